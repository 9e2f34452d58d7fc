"""Platforms: what each platform is said to weigh, claim by claim, and who owns it."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, i18n, url_state, views
from dashboard.components import chart, plain, source_caption, table_and_csv
from dashboard.i18n import t

TYPES = ("on_demand", "micro_work", "internet_of_things", "social", "unclassified")
SIZE_UNITS = ("workers", "users", "employers", "accounts", "people")

platforms = data.table("platforms").assign(
    type=lambda p: p["casilli_type"].where(p["casilli_type"] != "", "unclassified")
)
url_state.choices("types", TYPES, TYPES)


@st.cache_resource(show_spinner=False, max_entries=64)
def platform_sizes(types: tuple[str, ...], lang: str) -> tuple[pd.DataFrame, go.Figure | None]:
    """Size claims of the platforms of `types`, and their chart: built once per choice and language."""
    figures = data.figures()
    kept = platforms[platforms["type"].isin(types)]
    sizes = figures[
        figures["platform"].isin(kept["platform_id"])
        & figures["unit_normalised"].isin(SIZE_UNITS)
        & (figures["topic"] == "platform_size")
        & figures["year"].notna()
    ].copy()
    sizes["platform_name"] = sizes["platform"].map(
        dict(zip(platforms["platform_id"], platforms["name"], strict=True))
    )
    sizes["what"] = sizes["metric"].map(
        lambda m: t(f"metric.{m}") if t(f"metric.{m}") != f"metric.{m}" else m
    )
    sizes["shown"] = sizes["value_normalised"].fillna(sizes["low_normalised"])
    sizes["hover"] = [views.figure_hover(r) for r in sizes.itertuples()]
    if sizes.empty:
        return sizes, None
    figure = charts.dots(
        sizes,
        "year",
        "shown",
        "platform_name",
        "hover",
        t("platforms.year"),
        t("platforms.size_axis"),
        log_y=True,
        symbol="what",
        y_low="low_normalised",
        y_high="high_normalised",
        height=640,
        tick_text=i18n.compact,
    )
    with charts.PLOTLY:
        figure.update_xaxes(dtick=1, tickformat="d")
    return sizes, figure


st.title(t("platforms.title"))
st.write(t("platforms.intro"))
chosen = st.multiselect(t("platforms.types"), TYPES, key="types", format_func=lambda k: t(f"ptype.{k}"))

sizes, figure = platform_sizes(tuple(chosen), i18n.lang())

st.subheader(t("platforms.sizes"))
if figure is None:
    st.info(t("common.no_data"))
else:
    chart(figure, "platform-sizes", t("platforms.alt"))
    st.caption(t("platforms.sizes_note"))
    source_caption(sizes)
    table_and_csv(
        sizes,
        "platform-sizes",
        "sizes",
        columns=[
            "figure_id",
            "platform_name",
            "metric",
            *views.FIGURE_EXPORT,
        ],
    )

st.subheader(t("platforms.table"))


@st.cache_resource(show_spinner=False, max_entries=64)
def platform_table(types: tuple[str, ...], lang: str) -> pd.DataFrame:
    """The platforms of `types`, with their terms (commission, prices, earnings) cited, in `lang`."""
    figures = data.figures()
    kept = platforms[platforms["type"].isin(types)]
    terms = figures[
        figures["platform"].isin(kept["platform_id"])
        & figures["topic"].isin(["commission", "price", "earnings"])
    ]
    terms_text = terms.groupby("platform").apply(
        lambda g: "; ".join(
            f"{(r.label_fr if lang == 'fr' else r.label_en)} ({r.citation})" for r in g.itertuples()
        ),
        include_groups=False,
    )
    return kept.assign(
        type_label=kept["type"].map(lambda k: t(f"ptype.{k}")),
        country=kept["hq_country_iso3"].map(lambda c: views.name(c) if c else ""),
        terms=kept["platform_id"].map(terms_text).fillna(""),
        citation=kept["source_id"].map(data.citations()),
    )


table = platform_table(tuple(chosen), i18n.lang())
st.dataframe(
    table[["name", "aliases", "owner", "country", "type_label", "launched", "terms", "citation", "quote"]],
    hide_index=True,
    width="stretch",
    column_config={
        "name": t("platforms.col.name"),
        "aliases": t("platforms.col.aliases"),
        "owner": t("platforms.col.owner"),
        "country": t("platforms.col.country"),
        "type_label": t("platforms.col.type"),
        "launched": t("platforms.col.launched"),
        "terms": t("platforms.col.terms"),
        "citation": t("platforms.col.source"),
        "quote": t("platforms.col.quote"),
    },
)
st.caption(plain(t("platforms.empty_cells")))
source_caption(table)
table_and_csv(table, "platforms", "platforms")

st.subheader(t("platforms.types_title"))
for row in data.table("platform_types").itertuples():
    st.markdown(
        f"**{row.rank}. {plain(row.label_fr if i18n.lang() == 'fr' else row.label_en)}**"
        + (f" — {plain(views.platform_names(row.examples))}" if row.examples else "")
    )
    st.markdown(f"> {plain(row.quote)}")
source_caption(data.table("platform_types"))
