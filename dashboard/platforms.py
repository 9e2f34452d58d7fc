"""The Platforms page's subject: size claims over time, the platforms table with their terms."""

from __future__ import annotations

import functools

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, citations, colours, data, i18n
from dashboard.figures import QUALIFIER_SIGNS, SPANS, figure_hover
from dashboard.hover import wrap
from dashboard.i18n import t
from dashboard.names import name
from dashboard.text import plain

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
    # One row per claim, named in words above its dot ("Upwork, 12 M registered workers (2017) —
    # 01net (2017)"): fifteen colours and nine shapes in two legends could not be read in a room,
    # and labels beside dots on a time axis crossed each other's leader lines (21 claims, 13 of
    # them in 2016-2017). A platform's claims one under the other, oldest on top, so that
    # Upwork's 10 and 12 million sit side by side; the platform with the largest claim first.
    sizes["label"] = [
        wrap(
            f"{r.platform_name}, {_size_text(r)} {r.what}"
            # The figure's year, unless its source's citation already says it.
            + ("" if str(int(r.year)) in r.citation else f" ({int(r.year)})")
            + f" — {r.citation}",
            84,
        )
        for r in sizes.itertuples()
    ]
    largest = sizes.groupby("platform_name")["shown"].max()
    sizes = sizes.assign(platform_rank=sizes["platform_name"].map(largest.rank(method="first")))
    sizes = sizes.sort_values(["platform_rank", "year", "shown"], ascending=[True, False, True])
    sizes = sizes.drop(columns="platform_rank")
    figure = charts.dots(
        sizes,
        "shown",
        "figure_id",
        "platform_name",
        "hover",
        t("platforms.size_axis"),
        "",
        log_x=True,
        x_low="low_normalised",
        x_high="high_normalised",
        # Room above each dot for its label: two lines need more than one.
        height=max(420, (64 if sizes["label"].str.contains("<br>").any() else 46) * len(sizes) + 150),
        category_order=list(sizes["figure_id"]),
        tick_text=i18n.compact,
        labels="above",
        colours={n: colours.NEUTRAL for n in sizes["platform_name"]},
        label_text="label",
        colour_legend=False,
    )
    return sizes.drop(columns="label"), figure


def _size_text(row: object) -> str:
    """A size claim, short, in the reader's compact form: "12 M", "> 8 M", "154–435 M"."""
    qualifier = str(row.qualifier)  # type: ignore[attr-defined]
    low, high = row.low_normalised, row.high_normalised  # type: ignore[attr-defined]
    if qualifier in SPANS and pd.notna(low) and pd.notna(high):
        return f"{i18n.compact(float(low))}–{i18n.compact(float(high))}"
    return QUALIFIER_SIGNS.get(qualifier, "") + i18n.compact(float(row.shown))  # type: ignore[attr-defined]


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


DIRECTORY = ("type_label", "owner", "country", "launched", "terms", "citation")
DIRECTORY_HEADERS = {
    "type_label": "platforms.col.type",
    "owner": "platforms.col.owner",
    "country": "platforms.col.country",
    "launched": "platforms.col.launched",
    "terms": "platforms.col.terms",
    "citation": "platforms.col.source",
}


@st.cache_resource(show_spinner=False, max_entries=64)
def directory(types: tuple[str, ...], lang: str) -> str:
    """The directory as a list, one platform a line, its known fields named: readable at any width
    on a projector (a nine-column grid was cut at 1280 px), and without Streamlit's data grid, whose
    0.29 MB of JavaScript a first visit would load (issue 21's budget). A field no source states is
    left out, never filled. The quote each line rests on is in the table view and the CSV."""
    lines = []
    for row in platform_table(types, lang).itertuples():
        head = f"**{plain(str(row.name))}**"
        if row.aliases:
            names = ", ".join(a.strip() for a in str(row.aliases).split("|") if a.strip())
            head += f" ({plain(t('platforms.also', names=names))})"
        fields = [
            t("platforms.field", label=t(key), value=plain(str(getattr(row, column))))
            for column, key in DIRECTORY_HEADERS.items()
            if str(getattr(row, column) or "").strip()
        ]
        lines.append(f"- {head} — " + " · ".join(fields))
    return "\n".join(lines)


def platform_names(ids: str) -> str:
    """'uber|airbnb' → 'Uber, Airbnb' (names from the platforms table)."""
    platforms = data.table("platforms")
    names = dict(zip(platforms["platform_id"], platforms["name"], strict=True))
    return ", ".join(names.get(i.strip(), i.strip()) for i in ids.split("|") if i.strip())
