"""Every chart says the date of its newest data point (issue 23, dashboard/newest.py), read here by
hand from the raw files, in the reader's words, in both languages."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest
from babel.dates import format_date

from dashboard import citations, i18n, newest
from tests.support import ROOT, run_page

RAW = ROOT / "datasets" / "raw"


def _captions(at: object) -> list[str]:
    return [str(c.value) for c in at.caption if "ource" in str(c.value)[:12]]  # type: ignore[attr-defined]


def _last_of(path: str, column: str) -> str:
    with (RAW / path).open(encoding="utf-8-sig", newline="") as handle:
        return max(row[column] for row in csv.DictReader(handle) if row[column])


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_oli_chart_says_its_last_month_from_the_raw_file(lang: str) -> None:
    last = dt.date.fromisoformat(_last_of("oli/derived-monthly/oli_levels_monthly.csv", "date"))
    month = format_date(last, "LLLL y", locale={"en": "en_GB", "fr": "fr_FR"}[lang])
    said = {"en": "Newest data: ", "fr": "Données les plus récentes\u00a0: "}[lang] + month
    assert month == {"en": "August 2024", "fr": "août 2024"}[lang]  # the file's last row, 2024-08-01
    captions = _captions(run_page("projections", lang))
    assert captions[0].endswith(said), captions[0]


def test_the_mturk_mix_says_its_last_survey_month_and_the_overview_its_snapshot_day() -> None:
    last = dt.date.fromisoformat(_last_of("mturk/monthly.csv", "m"))
    assert _captions(run_page("workers"))[0].endswith(
        f"Newest data: {format_date(last, 'LLLL y', locale='en_GB')}"
    )
    day = dt.date.fromisoformat(_last_of("oli/oli_bcountry_snapshot_2017-04-11.csv", "timestamp"))
    assert _captions(run_page("overview"))[0].endswith(
        f"Newest data: {format_date(day, 'd MMMM y', locale='en_GB')}"
    )


def test_the_flow_map_says_its_year_and_a_file_without_dates_says_so() -> None:
    captions = _captions(run_page("flows", year="2014"))
    assert captions[0].endswith("Newest data: 2014"), captions[0]
    # The oDesk activity file gives hours, not dates: its line says the date is not stated and
    # gives the file's own date, never a made-up data date.
    day = _captions(run_page("workers"))[-1]
    assert day.endswith("Date of the data not stated (source published: 19 June 2012)"), day


def test_a_forecast_is_not_data_and_a_publication_year_is_said_as_such() -> None:
    figures = pd.DataFrame(
        {
            "figure_kind": ["measured", "forecast", "measured"],
            "year": [2015, 2050, 2017],
            "year_basis": ["period", "period", "publication"],
        }
    )
    with i18n.speaking("en"):
        assert newest.sentence(figures, []) == "Newest figure: published in 2017"
        assert newest.sentence(figures.iloc[:2], []) == "Newest data: 2015"
        assert newest.sentence(None, [], "2024-08") == "Newest data: August 2024"
        assert newest.sentence(pd.DataFrame({"other": [1]}), []) == ""


def test_every_chart_on_every_page_says_its_newest_data() -> None:
    from tests.support import PAGES

    said = (
        "Newest data: ",
        "Newest figure: published in ",
        "Date of the data not stated (source published: ",
    )
    for page in PAGES:
        if page in ("sources", "lesson"):
            continue
        lines = _captions(run_page(page))
        assert lines, page
        for line in lines:
            assert any(s in line for s in said), (page, line)


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "Raw file downloaded**: "), ("fr", "Fichier brut téléchargé**\u00a0: ")]
)
def test_the_sources_page_says_when_each_raw_file_was_downloaded(lang: str, said: str) -> None:
    import yaml

    records = yaml.safe_load((ROOT / "datasets" / "sources" / "raw.yaml").read_text(encoding="utf-8"))
    record = next(r for r in records if r["source_id"] == "oli-2017-employer-snapshot")
    day = dt.date.fromisoformat(str(record["retrieved"]))
    words = format_date(day, "long", locale=citations.LOCALES[lang])  # the Sources page's dates
    at = run_page("sources", lang, source="oli-2017-employer-snapshot")
    shown = [str(m.value) for m in at.markdown]
    assert any(said in line and words in line for line in shown), shown
    # and in the table of every source, as a column
    assert all("path" not in r or r.get("retrieved") for r in records), "every raw file has its day"
