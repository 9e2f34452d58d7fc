"""Citations: the bibliography as CSL-JSON, formatted references (APA, English or French), BibTeX,
short citations, dates and licences in the reader's language.

One record of the sources table becomes one CSL-JSON item (`csl_item`), built by code from the
record's fields: `author` (names separated by ";"), `producer` (the outlet, journal, proceedings or
publisher; a trailing parenthesis such as "(blog)" describes it and is left out), `title`,
`date_published`, `url`, and the access date, which is read from the record where it says when the
page was read ("search tool, 2026-11-22" in `verification`, "Retrieved 2026-11-22" in
`access_note`). Nothing is typed twice: "n.d." / "s. d." come from the CSL locale, dates from Babel.

Style: APA 7th edition (dashboard/csl/apa.csl, the CSL project's file with dates written day before
month), rendered by citeproc-py with the CSL locales it ships (en-GB, fr-FR). BibTeX is written by
pybtex's own writer: citeproc-py reads BibTeX but does not write it, and pybtex keeps names as
structured persons ("Family, Given and …"), bracing institutions so they are never split.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import warnings
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import pandas as pd
import streamlit as st
from babel.dates import format_date, format_skeleton

from dashboard import data
from dashboard.i18n import LOCALES, lang, t

STYLE = Path(__file__).resolve().parent / "csl" / "apa.csl"
CSL_LOCALES = {"en": "en-GB", "fr": "fr-FR"}
ATLAS = "Digital Labour Atlas"

_DESCRIPTOR = re.compile(r"\s*\([^()]*\)$")
_ET_AL = re.compile(r",?\s*et al\.?$")
_ACCESSED = re.compile(
    r"(?:search tool, |[Rr]etrieved |[Aa]ccessed |[Rr]ead on )(\d{4}-\d{2}-\d{2})",
)
_TITLE_TWICE = re.compile(r"^(.+?)\. (\([^)]*\)\.) \1\. ")
_DOUBLED = re.compile(r"([?!])\.")
_DOI = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\..+)$")
_CONFERENCE = re.compile(r"Proceedings|Conference|ICWSM|\bCHI\b|\bWWW\b|WSDM", re.I)
_PREPRINT = re.compile(r"arXiv|RePEc|MPRA|Oxford Martin|working paper", re.I)
_TYPES = {
    "press": "article-newspaper",
    "blog": "post-weblog",
    "report": "report",
    "dataset": "dataset",
    "seminar": "speech",
    "seed": "post-weblog",
}


def outlet(producer: str) -> str:
    """The producer as a reference names it: "Transpay (company blog)" → "Transpay"."""
    return _DESCRIPTOR.sub("", producer).strip() or producer


def _person(name: str) -> dict[str, str]:
    parts = name.split()
    if len(parts) == 1:
        return {"literal": name}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}


def _initials(given: str) -> str:
    return " ".join(p[0] + "." for p in re.split(r"[\s.]+", given) if p)


def names(author: str) -> list[dict[str, str]]:
    """CSL names from the record's `author`: "Kyumin Lee; Steve Webb" → two persons.

    "Gang Wang et al." (the record knows the first author only) stays one literal name,
    "Wang, G., et al.", so that no co-author is made up and none is dropped silently."""
    author = re.sub(r"\s*\([^()]*\)", "", author).strip()  # "(lead author)"
    if not author:
        return []
    if _ET_AL.search(author):
        first = _person(_ET_AL.sub("", author).split(";")[0].strip())
        if "family" in first:
            return [{"literal": f"{first['family']}, {_initials(first['given'])}, et al."}]
        return [{"literal": f"{first['literal']} et al."}]
    separator = ";" if ";" in author else ","
    listed = [n.strip() for n in author.split(separator) if n.strip()]
    if separator == "," and not all(" " in n for n in listed):
        listed = [author]  # "Clark, D. J." is one person written family first
    return [_person(n) for n in listed]


def _date_parts(iso: str) -> dict[str, list[list[int]]] | None:
    if not iso:
        return None
    return {"date-parts": [[int(p) for p in iso.split("-")]]}


def accessed(row: Mapping[str, str]) -> str:
    """The day the page or file was read, where the record says it; "" otherwise."""
    for name in ("verification", "access_note"):
        found = _ACCESSED.search(str(row.get(name, "") or ""))
        if found:
            return found.group(1)
    return ""


def csl_type(row: Mapping[str, str]) -> str:
    kind = str(row.get("kind", ""))
    if kind == "paper":
        producer = str(row.get("producer", ""))
        if _CONFERENCE.search(producer):
            return "paper-conference"
        if _PREPRINT.search(producer):
            return "report"
        return "article-journal"
    return _TYPES.get(kind, "document")


def csl_item(row: Mapping[str, str]) -> dict[str, object]:
    """One source record as a CSL-JSON item."""
    kind = csl_type(row)
    producer = outlet(str(row.get("producer", "") or ""))
    authors = names(str(row.get("author", "") or ""))
    item: dict[str, object] = {
        "id": str(row["source_id"]),
        "type": kind,
        "title": str(row.get("title", "")),
        "language": str(row.get("language", "")),
    }
    if authors:
        item["author"] = authors
        if producer and producer != str(row.get("author", "")).strip():
            if kind in ("report", "dataset"):
                item["publisher"] = producer
            elif kind == "speech":
                item["event"] = producer  # CSL 1.0.1's name, which citeproc-py reads
            else:
                item["container-title"] = producer
    elif producer and row.get("kind") == "paper":
        # A paper whose authors we do not know is not signed by its archive: title first (APA).
        item["container-title" if kind != "report" else "publisher"] = producer
    elif producer:
        item["author"] = [{"literal": producer}]  # an institution or an outlet signs the work
    issued = _date_parts(str(row.get("date_published", "") or ""))
    if issued:
        item["issued"] = issued
    url = str(row.get("url", "") or "")
    if url:
        doi = _DOI.match(url)
        if doi:
            item["DOI"] = doi.group(1)
        else:
            item["URL"] = url
        read = accessed(row)
        if read and not doi:
            item["accessed"] = _date_parts(read)
    return item


@st.cache_resource(show_spinner=False)
def csl_items() -> list[dict[str, object]]:
    """Every source as CSL-JSON, in source_id order."""
    sources = data.table("sources")
    return [csl_item(row) for row in sources.to_dict("records")]


_LOCK = threading.Lock()


@cache
def _style(language: str) -> object:
    from citeproc import CitationStylesStyle

    return CitationStylesStyle(str(STYLE), locale=CSL_LOCALES[language], validate=False)


def _render(item: dict[str, object], language: str) -> str:
    """One item's reference. citeproc-py takes about 75 ms an item (it searches the style's XML
    for every macro), so references are made one by one when first shown, then remembered."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # arguments a CSL item may carry that APA never prints
        bibliography = CitationStylesBibliography(_style(language), CiteProcJSON([item]), formatter.plain)
        bibliography.register(Citation([CitationItem(str(item["id"]))]))
        text = str(bibliography.bibliography()[0])
    text = _DOUBLED.sub(r"\1", text)  # a title ending in "?" gets no "." after it
    # citeproc-py prints a title that stands in for a missing author twice (CSL's substitute
    # should suppress the second): "T. (2021). T. arXiv." → "T. (2021). arXiv."
    return _TITLE_TWICE.sub(r"\1. \2 ", text)


@st.cache_resource(show_spinner=False, max_entries=1000)
def _reference(source_id: str, language: str) -> str:
    items = {str(item["id"]): item for item in csl_items()}
    return _render(items[source_id], language) if source_id in items else source_id


def reference(source_id: str, language: str | None = None) -> str:
    """The source's full reference (APA) in `language` (default: the reader's)."""
    return _reference(source_id, language or lang())


@st.cache_resource(show_spinner=False)
def _no_date(language: str) -> str:
    from citeproc.frontend import CitationStylesLocale

    term = CitationStylesLocale(CSL_LOCALES[language], validate=False).root.get_term("no date", "short")
    return str(term.single or term.text)


def no_date(language: str | None = None) -> str:
    """ "n.d." in English, "s. d." in French: the CSL locale's own term, as in the references."""
    return _no_date(language or lang())


def short(source_id: str, language: str | None = None) -> str:
    """The short citation, "Le Monde (2017)"; an undated work gets "(n.d.)" / "(s. d.)"."""
    sources = _records()
    row = sources.get(source_id)
    if row is None:
        return source_id
    citation = row["citation"]
    if row["date_published"] or citation.endswith(")"):
        return citation
    return f"{citation} ({no_date(language)})"


@st.cache_resource(show_spinner=False)
def _records() -> dict[str, dict[str, str]]:
    sources = data.table("sources")
    return {str(r["source_id"]): {k: str(v) for k, v in r.items()} for r in sources.to_dict("records")}


def shorts(source_ids: Iterable[str], language: str | None = None) -> pd.Series:
    return pd.Series([short(s, language) if s else "" for s in source_ids], dtype="string")


def date_text(iso: str, language: str | None = None) -> str:
    """A publication date in words: "22 March 2017" / "22 mars 2017", "mars 2017", "2017"."""
    language = language or lang()
    if not iso:
        return no_date(language)
    parts = [int(p) for p in iso.split("-")]
    locale = LOCALES[language]
    if len(parts) == 3:
        return format_date(dt.date(*parts), format="long", locale=locale)
    if len(parts) == 2:
        return format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1), locale=locale)
    return str(parts[0])


_TITLE, _ADDRESS = "ATLASCHARTTITLE", "https://atlas.invalid/view"


@st.cache_resource(show_spinner=False, max_entries=8)
def _chart_pattern(language: str, day: dt.date) -> str:
    """The APA reference of an atlas chart with placeholders for its title and address, rendered by
    citeproc once a day (the access date is the day the reader cites it)."""
    item: dict[str, object] = {
        "id": "atlas-chart",
        "type": "webpage",
        "title": _TITLE,
        "author": [{"literal": ATLAS}],
        "issued": {"date-parts": [[day.year]]},
        "URL": _ADDRESS,
        "accessed": {"date-parts": [[day.year, day.month, day.day]]},
    }
    return _render(item, language)


def chart_citation(title: str, address: str, source_ids: Iterable[str], language: str | None = None) -> str:
    """ "Digital Labour Atlas. (2026). <title> [chart]. Retrieved <today>, from <address>" and the
    references of the chart's sources, in APA and the reader's language."""
    language = language or lang()
    line = _chart_pattern(language, dt.date.today())
    line = line.replace(_TITLE, f"{title} [{t('cite.chart')}]").replace(_ADDRESS, address)
    sources = sorted({reference(s, language) for s in source_ids if s})
    return "\n\n".join([line, t("cite.data"), *sources] if sources else [line])


def csl_json() -> str:
    """Every source as CSL-JSON (the format Zotero, Pandoc and citeproc read)."""
    return json.dumps(csl_items(), ensure_ascii=False, indent=1)


_BIBTEX_TYPES = {
    "article-newspaper": "article",
    "article-journal": "article",
    "paper-conference": "inproceedings",
    "report": "techreport",
    "post-weblog": "online",
    "dataset": "dataset",
    "speech": "misc",
    "webpage": "online",
}


def _bibtex_person(name: Mapping[str, str]) -> str:
    if "literal" in name:
        return "{" + name["literal"] + "}"  # an institution, never split into given and family
    return f"{name['family']}, {name['given']}"


@st.cache_resource(show_spinner=False)
def bibtex() -> str:
    """Every source as BibTeX (biblatex field names where BibTeX has none: urldate, date)."""
    from pybtex.database import BibliographyData, Entry, Person

    entries: dict[str, Entry] = {}
    for item in csl_items():
        fields: dict[str, str] = {"title": "{" + str(item["title"]) + "}"}
        container = item.get("container-title") or item.get("event-title")
        if container:
            key = {"article": "journal", "inproceedings": "booktitle"}.get(
                _BIBTEX_TYPES.get(str(item["type"]), "misc"), "howpublished"
            )
            fields[key] = str(container)
        if item.get("publisher"):
            kind = _BIBTEX_TYPES.get(str(item["type"]), "misc")
            fields["institution" if kind == "techreport" else "publisher"] = str(item["publisher"])
        issued = item.get("issued")
        if isinstance(issued, dict):
            parts = issued["date-parts"][0]
            fields["year"] = str(parts[0])
            if len(parts) > 1:
                fields["month"] = str(parts[1])
            fields["date"] = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
        for csl, bib in (("URL", "url"), ("DOI", "doi"), ("language", "langid")):
            if item.get(csl):
                fields[bib] = str(item[csl])
        read = item.get("accessed")
        if isinstance(read, dict):
            fields["urldate"] = "-".join(
                f"{p:02d}" if i else str(p) for i, p in enumerate(read["date-parts"][0])
            )
        persons = {"author": [Person(_bibtex_person(n)) for n in item.get("author", [])]}  # type: ignore[attr-defined]
        entries[str(item["id"])] = Entry(
            _BIBTEX_TYPES.get(str(item["type"]), "misc"), fields=fields, persons=persons
        )
    return str(BibliographyData(entries).to_string("bibtex"))


# Licence texts follow a few patterns; each phrase is translated where it stands, so a new record
# written in the same words gets its French without a second field. Names (after ©) stay as they are.
_LICENCE_FR: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in (
        (
            r"quoted for commentary \(short quotation right\)",
            "cité pour commentaire (droit de courte citation)",
        ),
        (r"^Not stated in the seeds", "Non précisée dans les documents de départ"),
        (r"\b[Nn]ot stated\b", "non précisée"),
        (r"^Not known$", "Inconnue"),
        (r"\bfigures quoted as relayed by\b", "chiffres cités tels que relayés par"),
        (r"\bfigure quoted as relayed by\b", "chiffre cité tel que relayé par"),
        (r"\brelayed qualitatively by\b", "relayé qualitativement par"),
        (r"\bcited as an illustration source\b", "cité comme source d’une illustration"),
        (r"\bthe authors\b", "les auteurs"),
        (r"\bthe author\b", "l’auteur"),
        (r"\(per the reprint\)", "(selon la reproduction)"),
        (r"\(press release\)", "(communiqué de presse)"),
        (r"\breplication data; cite the article\b", "données de réplication ; citer l’article"),
        (r"\bpublished by\b", "publiée par"),
        (
            r"\bBLS data are US public domain\b",
            "les données du BLS sont dans le domaine public des États-Unis",
        ),
        (
            r"\bISO's own terms apply to the code list\b",
            "les conditions de l’ISO s’appliquent à la liste des codes",
        ),
        (
            r"^ECB statistics: free reuse with the source acknowledged",
            "Statistiques de la BCE : réutilisation libre en citant la source",
        ),
        (
            r"\bderivation in (.+?), whose LICENSE says data keep their sources' licences",
            r"dérivation dans \1, dont le fichier LICENSE dit que les données gardent la licence de leur source",
        ),
        (r"^OECD data\b", "Données de l’OCDE"),
        (r"^OLI data\b", "Données OLI"),
        (r"\(OLI data\)", "(données OLI)"),
        (r"\(data\)", "(données)"),
        (r"\(attribute ", "(attribution "),
        (r"\bpackaging\b", "mise en paquet"),
        (r"\bpackage\b", "paquet"),
        (r"\brepository\b", "dépôt"),
        (r"^Public domain\b", "Domaine public"),
        (r"^Unicode License v3$", "Licence Unicode v3"),
        (r" and ", " et "),
        (r"\"([^\"]+)\"", r"« \1 »"),
    )
]


def licence(text: str, language: str | None = None) -> str:
    """A licence text in `language`: French by pattern ("© Le Monde; quoted for commentary (short
    quotation right)" → "© Le Monde ; cité pour commentaire (droit de courte citation)")."""
    if (language or lang()) != "fr":
        return text
    for pattern, replacement in _LICENCE_FR:
        text = pattern.sub(replacement, text)
    return text


def by_id(language: str | None = None) -> dict[str, str]:
    """source_id → short citation in the reader's language ("Transpay (n.d.)" / "(s. d.)"), for
    hover texts and sentences: the same form as the captions'."""
    return _by_id(language or lang())


@st.cache_resource(show_spinner=False)
def _by_id(language: str) -> dict[str, str]:
    return {source_id: short(source_id, language) for source_id in _records()}
