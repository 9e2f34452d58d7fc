"""The Sources page's subject: the bibliography filtered by kind and words, and one source's figures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import citations, data, exports, i18n
from dashboard.components import plain
from dashboard.i18n import t
from dashboard.i18n.typography import for_language
from etl.sources import collation_key

KINDS = ("all", "seed", "press", "seminar", "blog", "report", "paper", "dataset")


@st.cache_resource(show_spinner=False)
def _counted() -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """Every source with the number of figures it supports and relays, the text a search looks
    in, and the quotes (casefolded): made once, not on every keystroke."""
    sources = data.table("sources")
    figures = data.figures()
    supported = figures.groupby("source_id").size()
    relayed = figures[figures["secondary_of"] != ""].groupby("secondary_of").size()
    counted = sources.assign(
        figures=sources["source_id"].map(supported).fillna(0).astype(int),
        relayed_figures=sources["source_id"].map(relayed).fillna(0).astype(int),
    )
    haystack = (
        sources[["source_id", "producer", "author", "title", "citation", "citation_full"]]
        .agg(" ".join, axis=1)
        .str.casefold()
    )
    quotes = pd.DataFrame({"source_id": figures["source_id"], "quote": figures["quote"].str.casefold()})
    return counted, haystack, quotes


def listed(kind: str, query: str) -> pd.DataFrame:
    """The sources of `kind` ("all": every one) whose record or a figure's quote holds `query`,
    with the number of figures each supports and relays."""
    counted, haystack, quotes = _counted()
    keep = pd.Series(True, index=counted.index)
    if kind != "all":
        keep &= counted["kind"] == kind
    if query:
        needle = query.casefold()
        by_figure = set(quotes.loc[quotes["quote"].str.contains(needle, regex=False), "source_id"])
        keep &= haystack.str.contains(needle, regex=False) | counted["source_id"].isin(by_figure)
    shown = counted[keep]
    return shown.assign(kind_label=shown["kind"].map(lambda k: t(f"kind.{k}"))).iloc[_order(shown)]


def _order(shown: pd.DataFrame) -> list[int]:
    """Alphabetical by short citation (author, then year and its letter, as an APA reference list),
    the same in English and French: accents and case aside, whatever the machine's locale."""
    keys = [
        (collation_key(str(c)), str(c), str(s))
        for c, s in zip(shown["citation"], shown["source_id"], strict=True)
    ]
    return sorted(range(len(keys)), key=keys.__getitem__)


def reading(row: object, language: str | None = None) -> str:
    """How we read the source, written for readers, in their language ('' when there is nothing to say)."""
    get = (
        row.get if isinstance(row, dict | pd.Series) else lambda name, default="": getattr(row, name, default)
    )
    return str(get("reading_fr" if (language or i18n.lang()) == "fr" else "reading_en", "") or "")


def caveat(row: object, language: str | None = None) -> str:
    """What a reader must know before using the source, in their language."""
    get = (
        row.get if isinstance(row, dict | pd.Series) else lambda name, default="": getattr(row, name, default)
    )
    french = str(get("caveat_fr", "") or "")
    return french if (language or i18n.lang()) == "fr" and french else str(get("caveat", "") or "")


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
    "retrieved",
    "kind",
    "licence",
    "url",
    "figures",
    "relayed_figures",
)
# "How we read it" is the reader's text (reading_en / reading_fr), never the maintainers' access_note.
EXPORTED = ("source_id", "citation", "author", *SHOWN[1:], "access_note")


def _table(shown: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    language = i18n.lang()
    out = shown.assign(
        citation=[citations.short(s) for s in shown["source_id"]],
        date_published=[citations.date_text(d) for d in shown["date_published"]],
        # a raw file's download day; nothing for a publication that is not a file of ours
        retrieved=[citations.date_text(d) if d else "" for d in shown["retrieved"]],
        licence=[for_language(citations.licence(x), language) for x in shown["licence"]],
        access_note=[for_language(reading(r, language), language) for r in shown.to_dict("records")],
    )
    cited = "source_id" in columns
    return exports.human(out[[c for c in columns if c != "citation" or not cited]])


@st.cache_resource(show_spinner=False)
def _every(language: str, columns: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every source as a human table and as shown on screen, indexed by source_id, made once per
    language (dates, licences and numbers in words cost a quarter of a second each time)."""
    every = listed("all", "")
    table = _table(every, columns)
    table.index = pd.Index(every["source_id"])
    return table, exports.for_screen(table)


def table(shown: pd.DataFrame) -> pd.DataFrame:
    """The listed sources as the Sources table shows them: short citations with "n.d." / "s. d.",
    dates in words, licences and kinds in the reader's language, human headers."""
    return _every(i18n.lang(), SHOWN)[1].loc[list(shown["source_id"])].reset_index(drop=True)


def csv(shown: pd.DataFrame) -> bytes:
    """The listed sources as CSV, with author, source_id and how we read each one."""
    rows = _every(i18n.lang(), EXPORTED)[0].loc[list(shown["source_id"])].reset_index(drop=True)
    return exports.csv_bytes(rows)
