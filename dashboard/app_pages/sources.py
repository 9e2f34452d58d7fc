"""Sources: every publication and file behind the atlas, with the figures each one supports."""

from __future__ import annotations

import streamlit as st

from dashboard import citations, data, exports, i18n, url_state
from dashboard import sources as subject
from dashboard.components import plain
from dashboard.i18n import t
from dashboard.i18n.typography import for_language
from dashboard.sources import KINDS

sources = data.table("sources")
figures = data.figures()

st.title(t("sources.title"))
st.write(t("sources.intro", sources=i18n.number(len(sources)), figures=i18n.number(len(figures))))
url_state.choice("kind", KINDS, "all")
url_state.text("q", 80)
url_state.choice("source", list(sources["source_id"]), "")
left, right = st.columns([3, 1])
query = left.text_input(
    t("sources.search"), **url_state.bind("q"), placeholder=t("sources.search_hint"), max_chars=80
)
kind = right.selectbox(
    t("sources.kind"), KINDS, **url_state.bind("kind"), format_func=lambda k: t(f"kind.{k}")
)

shown = subject.listed(kind, query)

st.caption(t("sources.count", n=i18n.number(len(shown))))
st.dataframe(
    subject.table(shown),
    hide_index=True,
    width="stretch",
    column_config={
        exports.header("title"): st.column_config.TextColumn(width="large"),
        exports.header("url"): st.column_config.LinkColumn(),
    },
)
st.download_button(
    t("common.download_csv"),
    data=lambda: subject.csv(shown),
    file_name="sources.csv",
    mime="text/csv",
    on_click="ignore",
)
st.caption(t("sources.csv_format"))

st.subheader(t("sources.cite_all"))
bib, csl, package = st.columns(3)
bib.download_button(
    t("sources.download_bibtex"),
    data=citations.bibtex,
    file_name="digital-labour-atlas.bib",
    mime="application/x-bibtex",
    on_click="ignore",
)
csl.download_button(
    t("sources.download_csl"),
    data=citations.csl_json,
    file_name="digital-labour-atlas.csl.json",
    mime="application/vnd.citationstyles.csl+json",
    on_click="ignore",
)
package.download_button(
    t("sources.download_package"),
    # The function, not its bytes: Streamlit then makes the 2 MB zip only when it is asked for, instead
    # of a first visit of this page fetching it to check the button's address (BENCHMARKS.md, Serving).
    data=data.package_zip,
    file_name="digital-labour-atlas-data.zip",
    mime="application/zip",
    on_click="ignore",
    type="primary",
)
# The classroom pack beside the data package, when `make pack` has built it on this server.
if data.PACK_ZIP.is_file():
    st.download_button(
        t("pack.download"),
        data=data.PACK_ZIP.read_bytes,  # read on click: the zip is about 11 MB
        file_name="atlas-pack.zip",
        mime="application/zip",
        on_click="ignore",
    )
else:
    st.caption(t("pack.not_built"))
st.caption(t("sources.cite_note"))

st.subheader(t("sources.details"))
# One source at a time: a hundred expanders made every rerun of this page take over a second.
if shown.empty:
    st.info(t("sources.none"))
else:
    ids = list(shown["source_id"])
    if url_state.current("source") not in ids:
        url_state.set_value("source", ids[0])
    cite = {
        s: f"{citations.short(s)} — {title[:90]}"
        for s, title in zip(shown["source_id"], shown["title"], strict=True)
    }
    chosen = st.selectbox(t("sources.choose"), ids, **url_state.bind("source"), format_func=cite.__getitem__)
    row = shown.set_index("source_id").loc[chosen]
    lang = i18n.lang()

    def labelled(label: str, value: str) -> str:
        """ "**Licence**: …" with the colon spaced as the language spaces it; `value` escaped."""
        return for_language(f"**{label}**:", lang) + f" {value}"

    st.markdown(f"**{plain(citations.short(chosen))}** — {plain(citations.reference(chosen))}")
    st.markdown(
        labelled(t("sources.col.licence"), plain(for_language(citations.licence(row["licence"]), lang)))
    )
    st.markdown(labelled(t("sources.col.date"), plain(citations.date_text(row["date_published"]))))
    if row["retrieved"]:  # a raw file of ours: the day it was downloaded
        st.markdown(labelled(t("sources.retrieved"), plain(citations.date_text(row["retrieved"]))))
    if row["url"]:
        st.markdown(labelled(t("sources.col.url"), plain(row["url"])))
    # Written for readers in their language; the maintainers' access notes stay in the registry.
    read = subject.reading(row, lang)
    if read:
        st.markdown(labelled(t("sources.access_note"), plain(for_language(read, lang))))
    warning = subject.caveat(row, lang)
    if warning:
        st.warning(plain(for_language(warning, lang)))
    st.markdown(subject.figure_lines(chosen))
