"""Numbers and names as the reader reads them: shares ("under 0.1%", one number of decimals in a
list), numbers typed with a decimal comma in French, compact axis ticks, French occupation names."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import TextInput

from dashboard import calculator, i18n, platforms, projections, wages, workers
from tests.support import ROOT

APP = str(ROOT / "dashboard" / "app.py")
NBSP, NNBSP = "\u00a0", "\u202f"


def plain_spaces(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ")


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [
        ("en", 0.04, "under 0.1%"),
        ("en", 0.0999, "under 0.1%"),
        ("en", 0.1, "0.1%"),
        ("en", 12.0, "12.0%"),
        ("en", 0.0, "0%"),
        ("fr", 0.04, "moins de 0,1 %"),
        ("fr", 12.0, "12,0 %"),
        ("fr", 97.44, "97,4 %"),
    ],
)
def test_a_share_is_never_zero_when_it_is_not_and_keeps_its_decimals(
    lang: str, value: float, expected: str
) -> None:
    with i18n.speaking(lang):
        assert plain_spaces(i18n.share(value, 1)) == expected


def decimals(text: str) -> int | None:
    """How many decimals a written share has (None for "under 0.1%")."""
    if "0.1" in text and ("under" in text or "moins" in text) or "0,1" in text and "moins" in text:
        return None
    found = re.search(r"[.,](\d+)", text)
    return len(found.group(1)) if found else 0


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_mturk_ranking_says_under_0_1_percent_never_0_percent_and_one_number_of_decimals(
    lang: str,
) -> None:
    with i18n.speaking(lang):
        for year in workers.survey_years():
            rows, figure = workers.ranking(year)
            shown = list(figure.data[0].text)
            values = list(figure.data[0].x)
            assert len(shown) == len(rows)
            for value, text in zip(values, shown, strict=True):
                if value > 0:  # a country with respondents
                    assert not re.fullmatch(r"0([.,]0+)?\s?%", plain_spaces(text)), (year, value, text)
            assert {decimals(plain_spaces(t)) for t in shown} - {None} == {1}, (year, shown)


def test_the_workers_page_shows_no_zero_percent_for_a_country_with_respondents() -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "fr"
    at.query_params["survey_year"] = str(workers.survey_years()[-1])
    at.switch_page("app_pages/workers.py")
    at.run()
    assert not at.exception
    import json

    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    bars = next(
        c for c in charts if c["data"] and c["data"][0].get("type") == "bar" and c["data"][0].get("text")
    )
    assert all(
        "moins de 0,1" in plain_spaces(t) or not plain_spaces(t).startswith("0 %")
        for t in bars["data"][0]["text"]
    )
    assert any("moins de 0,1" in plain_spaces(t) for t in bars["data"][0]["text"])


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("0,04", "fr_FR", 0.04),
        ("1,5", "fr_FR", 1.5),
        ("1.5", "fr_FR", 1.5),  # a point typed on a French page is still a decimal mark
        ("36 000", "fr_FR", 36000.0),
        ("0.04", "en_US", 0.04),
        ("1,000", "en_US", 1000.0),
        ("abc", "fr_FR", None),
        ("", "fr_FR", None),
        ("1,2,3,4;5", "fr_FR", None),
        ("inf", "en_US", None),
    ],
)
def test_a_number_is_read_as_the_reader_writes_it(text: str, locale: str, expected: float | None) -> None:
    assert calculator.parse_number(text, locale) == expected


def test_a_number_field_shows_a_decimal_comma_in_french_and_parses_back() -> None:
    for value in (0.04, 1.5, 36000.0, 100.0, 0.000123):
        for locale in ("fr_FR", "en_US"):
            assert calculator.parse_number(calculator.number_text(value, locale), locale) == value
    assert calculator.number_text(0.04, "fr_FR") == "0,04"
    assert calculator.number_text(36000.0, "fr_FR") == "36000"


def fields(at: AppTest) -> dict[str, TextInput]:
    return {w.label: w for w in at.text_input}


def test_french_calculator_takes_a_decimal_comma_and_the_url_stays_language_neutral() -> None:
    # The test's own thread formats the page's options in French too (AppTest sends every widget's
    # value back through its format_func, in the test's language).
    with i18n.speaking("fr"):
        at = AppTest.from_file(APP, default_timeout=90)
        at.query_params["lang"] = "fr"
        at.switch_page("app_pages/wages.py")
        at.run()
        price = fields(at)[i18n.message("wages.calc.price", "fr")]
        assert price.value == "0,04"
        price.set_value("0,5").run()
        assert not at.exception
        assert fields(at)[i18n.message("wages.calc.price", "fr")].value == "0,5"
        assert at.session_state["_url_value.wages.price"] == 0.5
        seconds = fields(at)[i18n.message("wages.calc.seconds", "fr")]
        seconds.set_value("trente").run()
        assert not at.exception, "bad text must never raise"
        assert fields(at)[i18n.message("wages.calc.seconds", "fr")].value == "30"
        assert any("trente" in w.value for w in at.warning), "bad text gives a notice"


def test_the_projections_formula_writes_a_decimal_comma_in_french() -> None:
    with i18n.speaking("fr"):
        assert "= 1,5\u202fM × (1 + 0,25)<sup>" in projections.formula(1.5, 25, 2017)
    with i18n.speaking("en"):
        assert "= 1.5\u202fM × (1 + 0.25)<sup>" in projections.formula(1.5, 25, 2017)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_compact_axis_ticks_are_written_the_readers_way(lang: str) -> None:
    """plotly's SI suffixes ("2M", "1G") cannot be localised: the ticks are Babel's ("2 M", "1 Md")."""
    with i18n.speaking(lang):
        people = projections.world_workforce()[1]
        sizes = platforms.platform_sizes(platforms.TYPES, lang)[1]
    ticks = [plain_spaces(str(t)) for t in people.layout.yaxis.ticktext] + [
        plain_spaces(str(t))
        for t in sizes.layout.xaxis.ticktext  # type: ignore[union-attr]
    ]
    if lang == "fr":
        assert "1 Md" in ticks and "10 M" in ticks
        assert not [t for t in ticks if re.search(r"\d[KMBG]$", t)]
    else:
        assert "1B" in ticks and "10M" in ticks


def test_every_occupation_of_the_data_has_a_french_name_and_its_source_name_matches() -> None:
    data = pd.read_csv(ROOT / "datasets" / "tidy" / "occupation_pay.csv", dtype=str, keep_default_na=False)
    table = pd.read_csv(wages.OCCUPATION_NAMES_FR, dtype=str, keep_default_na=False)
    assert table["soc4"].is_unique
    merged = data[["soc4", "occupation"]].drop_duplicates().merge(table, on="soc4", how="left")
    assert merged[merged["name_fr"].isna() | (merged["name_fr"].str.strip() == "")]["soc4"].tolist() == []
    assert (merged["occupation"] == merged["name_source"]).all(), (
        "a source name changed: check our translation"
    )
    groups = pd.read_csv(wages.OCCUPATION_GROUPS_FR, dtype=str, keep_default_na=False)
    named = set(groups["soc_major_short"])
    assert {g for g in data["soc_major_short"] if g} - named == set()


def test_french_wages_page_names_occupations_in_french_with_the_source_s_name_in_the_export() -> None:
    with i18n.speaking("fr"):
        rows, figure = wages.occupation_pay(2019)
    assert "Opérateurs de saisie" in set(rows["occupation"])
    assert "Data Entry Keyers" in set(rows["occupation_source"])
    assert "Soutien administratif" in set(rows["group"])
    assert set(rows["note"]) == {i18n.message("wages.occupation_translation", "fr")}
    words = " ".join(str(a.text) for a in figure.layout.annotations)
    assert "Opérateurs de saisie" in words and "Data Entry Keyers" not in words
    assert "notre traduction" in words
