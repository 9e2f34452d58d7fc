"""The Platforms page's subject: size claims over time, the platforms table with their terms."""

from __future__ import annotations

import functools

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, citations, data, i18n
from dashboard.figures import figure_hover
from dashboard.i18n import t
from dashboard.names import name

TYPES = ("on_demand", "micro_work", "internet_of_things", "social", "unclassified")
SIZE_UNITS = ("workers", "users", "employers", "accounts", "people")


def shown_name(name: str, aliases: str) -> str:
    """A platform's name with the first alias that is another name, not a spelling of it:
    "Zhubajie / Witmart", "Spare5 / Mighty AI" (so a reader looking for Witmart finds it)."""

    def key(text: str) -> str:
        return "".join(ch for ch in text.casefold() if ch.isalnum())

    for alias in (a.strip() for a in aliases.split("|")):
        if alias and key(alias) not in key(name) and key(name) not in key(alias):
            return f"{name} / {alias}"
    return name


@functools.cache
def _platforms() -> pd.DataFrame:
    """The platforms table with `type` = Casilli's type, or "unclassified" (read-only, shared)."""
    platforms = data.table("platforms")
    return platforms.assign(
        type=platforms["casilli_type"].where(platforms["casilli_type"] != "", "unclassified"),
        shown_name=[shown_name(n, a) for n, a in zip(platforms["name"], platforms["aliases"], strict=True)],
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def platform_sizes(types: tuple[str, ...], lang: str) -> tuple[pd.DataFrame, go.Figure | None]:
    """Size claims of the platforms of `types`, and their chart: built once per choice and language."""
    figures = data.figures()
    platforms = _platforms()
    kept = platforms[platforms["type"].isin(types)]
    sizes = figures[
        figures["platform"].isin(kept["platform_id"])
        & figures["unit_normalised"].isin(SIZE_UNITS)
        & (figures["topic"] == "platform_size")
        & figures["year"].notna()
    ].copy()
    sizes["platform_name"] = sizes["platform"].map(
        dict(zip(platforms["platform_id"], platforms["shown_name"], strict=True))
    )
    sizes["what"] = sizes["metric"].map(
        lambda m: t(f"metric.{m}") if t(f"metric.{m}") != f"metric.{m}" else m
    )
    sizes["shown"] = sizes["value_normalised"].fillna(sizes["low_normalised"])
    sizes["hover"] = [figure_hover(r) for r in sizes.itertuples()]
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
        dodge=0.12,  # platforms side by side within a year: Upwork's 12 million beside Zhubajie's
    )
    with charts.PLOTLY:
        figure.update_xaxes(dtick=1, tickformat="d")
    return sizes, figure


@st.cache_resource(show_spinner=False, max_entries=64)
def platform_table(types: tuple[str, ...], lang: str) -> pd.DataFrame:
    """The platforms of `types`, with their terms (commission, prices, earnings) cited, in `lang`."""
    figures = data.figures()
    platforms = _platforms()
    kept = platforms[platforms["type"].isin(types)]
    terms = figures[
        figures["platform"].isin(kept["platform_id"])
        & figures["topic"].isin(["commission", "price", "earnings"])
    ]
    # A plain dict: groupby().apply returns a DataFrame, not a Series, when no platform has terms.
    terms_text = {
        platform: "; ".join(
            f"{(r.label_fr if lang == 'fr' else r.label_en)} ({r.citation})" for r in group.itertuples()
        )
        for platform, group in terms.groupby("platform")
    }
    return kept.assign(
        type_label=kept["type"].map(lambda k: t(f"ptype.{k}")),
        country=kept["hq_country_iso3"].map(lambda c: name(c) if c else ""),
        terms=kept["platform_id"].map(terms_text).fillna(""),
        citation=kept["source_id"].map(citations.by_id()),
    )


def platform_names(ids: str) -> str:
    """'uber|airbnb' → 'Uber, Airbnb' (names from the platforms table)."""
    platforms = data.table("platforms")
    names = dict(zip(platforms["platform_id"], platforms["name"], strict=True))
    return ", ".join(names.get(i.strip(), i.strip()) for i in ids.split("|") if i.strip())
