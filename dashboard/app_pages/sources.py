"""Sources: every publication and file behind the atlas, with the figures each one supports."""

from __future__ import annotations

import streamlit as st

from dashboard import data, i18n, url_state
from dashboard import sources as subject
from dashboard.components import plain
from dashboard.i18n import t
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
    shown[
        [
            "citation",
            "title",
            "producer",
            "date_published",
            "kind_label",
            "licence",
            "url",
            "figures",
            "relayed_figures",
        ]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "citation": st.column_config.TextColumn(t("sources.col.citation")),
        "title": st.column_config.TextColumn(t("sources.col.title"), width="large"),
        "producer": st.column_config.TextColumn(t("sources.col.producer")),
        "date_published": st.column_config.TextColumn(t("sources.col.date")),
        "kind_label": st.column_config.TextColumn(t("sources.col.kind")),
        "licence": st.column_config.TextColumn(t("sources.col.licence")),
        "url": st.column_config.LinkColumn(t("sources.col.url")),
        "figures": st.column_config.NumberColumn(t("sources.col.figures")),
        "relayed_figures": st.column_config.NumberColumn(t("sources.col.relayed")),
    },
)
st.download_button(
    t("common.download_csv"),
    data=shown.to_csv(index=False).encode("utf-8"),
    file_name="sources.csv",
    mime="text/csv",
    on_click="ignore",
)

st.download_button(
    t("sources.download_package"),
    data=data.package_zip(),
    file_name="digital-labour-atlas-data.zip",
    mime="application/zip",
    on_click="ignore",
    type="primary",
)

st.subheader(t("sources.details"))
# One source at a time: a hundred expanders made every rerun of this page take over a second.
if shown.empty:
    st.info(t("sources.none"))
else:
    ids = list(shown["source_id"])
    if url_state.current("source") not in ids:
        url_state.set_value("source", ids[0])
    cite = dict(
        zip(shown["source_id"], shown["citation"] + " — " + shown["title"].str.slice(0, 90), strict=True)
    )
    chosen = st.selectbox(t("sources.choose"), ids, **url_state.bind("source"), format_func=cite.__getitem__)
    row = shown.set_index("source_id").loc[chosen]
    st.markdown(f"**{plain(row['citation'])}** — {plain(row['citation_full'] or row['title'])}")
    st.markdown(f"**{t('sources.col.licence')}**: {plain(row['licence'])}")
    if row["url"]:
        st.markdown(f"**{t('sources.col.url')}**: {plain(row['url'])}")
    if row["verification"]:
        st.markdown(f"**{t('sources.verification')}**: {plain(row['verification'])}")
    if row["caveat"]:
        st.warning(plain(row["caveat"]))
    st.markdown(subject.figure_lines(chosen))
