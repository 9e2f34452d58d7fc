"""References a reader can reuse: APA from the records in English and French, short citations that
name the work, "n.d." / "s. d." made by code, BibTeX and CSL-JSON that other tools read back,
dates and licences in French."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from dashboard import citations
from dashboard.i18n.typography import NBSP
from tests.support import ROOT

SOURCES = pd.read_csv(ROOT / "datasets" / "tidy" / "sources.csv", keep_default_na=False, dtype=str)


def record(source_id: str) -> dict[str, str]:
    return SOURCES.set_index("source_id").loc[source_id].to_dict()


def test_le_monde_2017_in_apa_in_english_and_french() -> None:
    row = record("lemonde-2017-orain")
    assert (row["author"], row["date_published"], row["producer"]) == (
        "Grégoire Orain",
        "2017-03-11",
        "Le Monde",
    )
    title = row["title"]
    assert (
        citations.reference("lemonde-2017-orain", "en") == f"Orain, G. (2017, 11 March). {title}. Le Monde."
    )
    assert citations.reference("lemonde-2017-orain", "fr") == f"Orain, G. (2017, 11 mars). {title}. Le Monde."


def test_an_undated_page_reads_n_d_in_english_and_s_d_in_french() -> None:
    row = record("transpay-nd-oli-labour-supply")
    assert row["date_published"] == "" and "n.d." not in row["citation"] + row["citation_full"]
    english = citations.reference("transpay-nd-oli-labour-supply", "en")
    french = citations.reference("transpay-nd-oli-labour-supply", "fr")
    assert english == f"Transpay. (n.d.). {row['title']}. {row['url']}"
    assert french == f"Transpay. (s.{NBSP}d.). {row['title']}. {row['url']}"
    assert citations.short("transpay-nd-oli-labour-supply", "en") == "Transpay (n.d.)"
    assert citations.short("transpay-nd-oli-labour-supply", "fr") == f"Transpay (s.{NBSP}d.)"


def test_a_page_read_on_a_known_day_says_so_in_both_languages() -> None:
    row = record("supportforce-nd-work-life-balance")
    assert "2026-11-22" in row["verification"]
    assert citations.reference("supportforce-nd-work-life-balance", "en").endswith(
        f"Retrieved 22 November 2026, from {row['url']}"
    )
    assert citations.reference("supportforce-nd-work-life-balance", "fr").endswith(
        f"Consulté 22 novembre 2026, à l'adresse {row['url']}"
    )


def test_short_citations_name_the_work_not_the_copy_nor_a_typed_no_date() -> None:
    typed = SOURCES[SOURCES["citation"].str.contains(r"n\.d\.|s\. ?d\.|\bcopy\b|\bvia\b", regex=True)]
    assert list(typed["source_id"]) == []
    undated = SOURCES[SOURCES["date_published"] == ""]
    for source_id in undated["source_id"]:
        short = citations.short(source_id, "en")
        assert short.endswith("(n.d.)") or re.search(r"\(\d{4}\)$", short), short


def test_every_record_renders_with_its_author_or_producer_title_and_address() -> None:
    for row in SOURCES.to_dict("records"):
        for language in ("en", "fr"):
            text = citations.reference(row["source_id"], language)
            assert row["title"].rstrip("?.") in text, (row["source_id"], text)
            signer = (
                row["author"].split(";")[0].split()[-1]
                if row["author"]
                else citations.outlet(row["producer"])
            )
            assert signer.rstrip(".") in text, (row["source_id"], text)
            if row["url"] and "doi.org" not in row["url"]:
                assert row["url"] in text, (row["source_id"], text)
            assert "?." not in text and "Retrieved http" not in text and "Consulté http" not in text


def test_bibtex_and_csl_json_hold_every_source_and_read_back() -> None:
    from citeproc.source.json import CiteProcJSON
    from pybtex.database import parse_string

    items = json.loads(citations.csl_json())
    assert sorted(i["id"] for i in items) == sorted(SOURCES["source_id"])
    CiteProcJSON(items)  # citeproc-py accepts it as it is
    parsed = parse_string(citations.bibtex(), "bibtex")
    assert sorted(parsed.entries) == sorted(SOURCES["source_id"])
    lee = parsed.entries["lee-2014-fiverr"]
    assert [str(p) for p in lee.persons["author"]] == ["Lee, Kyumin", "Webb, Steve", "Ge, Hancheng"]
    world_bank = parsed.entries["wdi-exchange-rates"]
    assert [str(p) for p in world_bank.persons["author"]] == ["{World Bank}"]
    assert parsed.entries["supportforce-nd-work-life-balance"].fields["urldate"] == "2026-11-22"


@pytest.mark.parametrize(
    ("iso", "language", "expected"),
    [
        ("2017-03-22", "fr", "22 mars 2017"),
        ("2017-03", "fr", "mars 2017"),
        ("2017-03-22", "en", "March 22, 2017"),
        ("2017", "fr", "2017"),
        ("", "fr", f"s.{NBSP}d."),
        ("", "en", "n.d."),
    ],
)
def test_dates_in_words_in_each_language(iso: str, language: str, expected: str) -> None:
    assert citations.date_text(iso, language) == expected


# Words of the licence texts' English phrasing; names of owners (after ©) are not checked.
ENGLISH = re.compile(
    r"\b(quoted|commentary|quotation|relayed|figures?|data|packaging|repository|stated|known|seeds|"
    r"authors?|reuse|acknowledged|terms|apply|public domain|attribute|reprint|press|release|package|"
    r"cited|not|own|with|and|the|by|of|per|statistics|free|license|says|keep)\b"
    r"|\b(?:Not|Public|License|Data|Statistics)\b",
)


def test_every_licence_has_a_french_rendering_with_no_english_left() -> None:
    untranslated = []
    for text in sorted(set(SOURCES["licence"])):
        french = citations.licence(text, "fr")
        checked = re.sub(r"©[^;(]*", "", french)  # the owner's name
        checked = re.sub(r"«[^»]*»", "", checked)  # an attribution to be quoted as it is
        checked = re.sub(r"\([^()]*(?:figshare|GitHub|Natural Earth)[^()]*\)", "", checked)
        checked = re.sub(r"GitHub \S+", "", checked)  # a repository's name is a name
        if ENGLISH.search(checked) or "the author" in french:
            untranslated.append((text, french))
    assert untranslated == []


def test_licences_stay_as_written_in_english() -> None:
    text = "© Le Monde; quoted for commentary (short quotation right)"
    assert citations.licence(text, "en") == text
    assert citations.licence(text, "fr") == "© Le Monde; cité pour commentaire (droit de courte citation)"
