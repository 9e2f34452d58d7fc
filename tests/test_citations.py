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


def test_a_french_title_keeps_its_sentence_case_in_apa_in_both_languages() -> None:
    """Issue 20, item 2: "Le Calvaire Des Forçats Du Net" was typed from a press-database reprint's
    heading; APA keeps the case the publication used, and citeproc-py title-cases only English items."""
    assert record("01net-2017-simeon")["title"] == "Le calvaire des forçats du Net"
    for language in ("en", "fr"):
        assert "Le calvaire des forçats du Net." in citations.reference("01net-2017-simeon", language)
        french = {
            "id": "x",
            "type": "article-journal",
            "language": "fr",
            "title": "Le calvaire des forçats du Net",
        }
        french |= {
            "author": [{"family": "Simeon", "given": "Gabriel"}],
            "container-title": "revue des choses",
        }
        text = citations._render(french, language)
        assert "Le calvaire des forçats du Net. revue des choses." in text, text
        english = french | {
            "language": "en",
            "title": "the dark side",
            "container-title": "journal of the things",
        }
        text = citations._render(english, language)
        assert "Journal of the Things" in text, text  # APA: a periodical's name in title case


FRENCH_SMALL_WORDS = re.compile(r"\s(?:De|Des|Du|La|Le|Les|Et|En|Au|Aux|Pour|Sur|Dans|Un|Une)\s")


def test_no_french_title_is_in_title_case() -> None:
    french = SOURCES[SOURCES["language"] == "fr"]
    # Two capitalised small words ("Des", "Du") mark Title Case; one may begin a quoted sentence.
    assert [t for t in french["title"] if len(FRENCH_SMALL_WORDS.findall(t)) >= 2] == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_two_sources_share_a_short_citation(language: str) -> None:
    """Issue 20, item 21: one rule (APA 8.19), applied by the ETL: records whose typed citation is
    the same get letters after the year, in the order of their titles, the same in both languages."""
    shorts = [citations.short(s, language) for s in SOURCES["source_id"]]
    assert sorted({s for s in shorts if shorts.count(s) > 1}) == []
    assert "Source: ECB" not in shorts
    by_id = dict(zip(SOURCES["source_id"], shorts, strict=True))
    assert by_id["lee-2013-crowdturfers"] == "Lee et al. (2013a)"
    assert by_id["studylib-2013-lee-crowdturfers"] == "Lee et al. (2013b)"
    braesemann = sorted(v for k, v in by_id.items() if k.startswith("braesemann-2022"))
    assert braesemann[0] == "Braesemann et al. (2022a)" and len(set(braesemann)) == len(braesemann)


def test_the_etl_letters_same_citation_records_by_title_and_refuses_undated_twins(tmp_path) -> None:
    from etl.errors import EtlError
    from etl.sources import load

    record = "- source_id: {sid}\n  producer: P\n  title: {title}\n  licence: x\n  citation: {citation}\n"
    record += "  language: en\n  kind: press\n  date_published: {date}\n"
    (tmp_path / "a.yaml").write_text(
        record.format(sid="b-one", title="Zebra", citation="P (2020)", date="2020")
        + record.format(sid="a-two", title="The apple", citation="P (2020)", date="2020"),
        encoding="utf-8",
    )
    loaded = load(tmp_path)
    assert (loaded["a-two"].citation, loaded["b-one"].citation) == ("P (2020a)", "P (2020b)")
    (tmp_path / "a.yaml").write_text(
        record.format(sid="b-one", title="Zebra", citation="P", date='""')
        + record.format(sid="a-two", title="Apple", citation="P", date='""'),
        encoding="utf-8",
    )
    with pytest.raises(EtlError, match="share the undated citation"):
        load(tmp_path)


def test_the_sources_list_is_in_alphabetical_order_of_its_citations() -> None:
    """The same order in both languages (the key ignores accents and case, not the machine's locale)."""
    from dashboard import sources as subject
    from etl.sources import collation_key

    shown = list(subject.listed("all", "")["citation"])
    assert shown == sorted(shown, key=lambda c: (collation_key(c), c))
    assert collation_key("Économie") < collation_key("Ecz") and collation_key("Kässi") < collation_key("Kb")
