"""The Sources page's subject: the bibliography filtered by kind and words, and one source's figures."""

from __future__ import annotations

import pandas as pd

from dashboard import data, i18n
from dashboard.components import plain
from dashboard.i18n import t

KINDS = ("all", "seed", "press", "seminar", "blog", "report", "paper", "dataset")


def listed(kind: str, query: str) -> pd.DataFrame:
    """The sources of `kind` ("all": every one) whose record or a figure's quote holds `query`,
    with the number of figures each supports and relays."""
    sources = data.table("sources")
    figures = data.figures()
    supported = figures.groupby("source_id").size()
    relayed = figures[figures["secondary_of"] != ""].groupby("secondary_of").size()
    shown = sources.assign(
        kind_label=sources["kind"].map(lambda k: t(f"kind.{k}")),
        figures=sources["source_id"].map(supported).fillna(0).astype(int),
        relayed_figures=sources["source_id"].map(relayed).fillna(0).astype(int),
    )
    if kind != "all":
        shown = shown[shown["kind"] == kind]
    if query:
        needle = query.casefold()
        haystack = shown[["source_id", "producer", "author", "title", "citation", "citation_full"]].agg(
            " ".join, axis=1
        )
        matched_by_figure = set(
            figures.loc[figures["quote"].str.casefold().str.contains(needle, regex=False), "source_id"]
        )
        shown = shown[
            haystack.str.casefold().str.contains(needle, regex=False)
            | shown["source_id"].isin(matched_by_figure)
        ]
    return shown


def figure_lines(source_id: str) -> str:
    """The figures a source supports or relays, one Markdown line each (data escaped)."""
    figures = data.figures()
    rows = figures[(figures["source_id"] == source_id) | (figures["secondary_of"] == source_id)]
    lines = [
        f"- **{plain(f.label_fr if i18n.lang() == 'fr' else f.label_en)}** — « {plain(f.quote)} » ({plain(f.citation)})"
        for f in rows.itertuples()
    ]
    return "\n".join(lines) if lines else t("sources.no_figures")
