"""The Sources page's subject: the bibliography filtered by kind and words, and one source's figures."""

from __future__ import annotations

import pandas as pd

from dashboard import citations, data, exports, i18n
from dashboard.components import plain
from dashboard.i18n import t
from dashboard.i18n.typography import for_language

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
    """The figures a source supports or relays, one Markdown line each (data escaped; French
    labels and quotes in French typography)."""
    figures = data.figures()
    languages = dict(zip(data.table("sources")["source_id"], data.table("sources")["language"], strict=True))
    rows = figures[(figures["source_id"] == source_id) | (figures["secondary_of"] == source_id)]
    french = i18n.lang() == "fr"
    lines = [
        f"- **{plain(for_language(f.label_fr, 'fr') if french else f.label_en)}** — "
        f"« {plain(for_language(f.quote, languages.get(f.source_id, '')))} » ({plain(citations.short(f.source_id))})"
        for f in rows.itertuples()
    ]
    return "\n".join(lines) if lines else t("sources.no_figures")


# The Sources table: what a reader compares at a glance; the CSV adds who wrote it and how we read it.
SHOWN = (
    "citation",
    "title",
    "producer",
    "date_published",
    "kind",
    "licence",
    "url",
    "figures",
    "relayed_figures",
)
EXPORTED = ("source_id", "citation", "author", *SHOWN[1:], "access_note")


def table(shown: pd.DataFrame, columns: tuple[str, ...] = SHOWN) -> pd.DataFrame:
    """The listed sources for a person: short citations with "n.d." / "s. d.", dates in words,
    licences and kinds in the reader's language (machine column names still)."""
    language = i18n.lang()
    out = shown.assign(
        citation=[citations.short(s) for s in shown["source_id"]],
        date_published=[citations.date_text(d) for d in shown["date_published"]],
        licence=[for_language(citations.licence(x), language) for x in shown["licence"]],
    )
    cited = "source_id" in columns
    out = exports.human(out[[c for c in columns if c != "citation" or not cited]])
    return out


def csv(shown: pd.DataFrame) -> bytes:
    return exports.csv_bytes(table(shown, EXPORTED))
