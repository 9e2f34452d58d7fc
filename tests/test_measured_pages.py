"""The measured pages say the numbers of the raw files: each expected value is computed here from
datasets/raw with the csv module, never read from the tidy tables the pages draw."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from tests.support import ROOT
from tests.test_pages import run, texts

RAW = ROOT / "datasets" / "raw"
NETWORK = RAW / "flows" / "braesemann-2022"


def pair_share(year: int, employer: str, worker: str) -> tuple[int, float]:
    """Projects from `employer` to `worker` in `year` and their share of the file's projects, by hand."""
    total = pair = 0
    with (NETWORK / f"olm_network_data_{year}.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            count = int(row["count"])
            total += count
            if row["employer_country_real"] == employer and row["worker_country_real"] == worker:
                pair += count
    return pair, 100 * pair / total


def percent(value: float, digits: int = 1) -> str:
    text = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    return text + "%"


@pytest.mark.parametrize("year", [2014, 2015])
def test_the_flows_page_lists_the_largest_pair_with_its_share_of_the_year(year: int) -> None:
    projects, share = pair_share(year, "united states", "india")
    at = run("flows", year=str(year))
    shown = texts(at)
    # Shares in one list keep one decimal each (13.0%, 6.4%): one rule per list.
    assert f"1\\. United States → India: {share:.1f}% ({projects:,} projects)" in shown


def test_the_story_opens_on_the_measured_share_of_us_projects_done_in_india() -> None:
    _projects, share = pair_share(2014, "united states", "india")
    at = run("story", step="1")
    takeaway = next(m.value for m in at.markdown if m.value.startswith("## "))
    assert f"{percent(share)} of all projects of 2014 went from US employers to workers in India" in takeaway


def india_pay(year: int) -> str:
    with (NETWORK / "OLM_Country_Data.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["ISO_Code"] == "IND" and row["year"] == f"01/01/{year}":
                return row["median_wage"]
    raise AssertionError("India is in the file")


def test_the_map_panel_gives_india_s_measured_median_pay_in_two_years() -> None:
    at = run("map", country="IND")
    table = next(m.value for m in at.markdown if m.value.startswith("| Year |"))
    for year in (2014, 2019):
        pay = float(india_pay(year))
        assert f"| {year} |" in table and f"${pay:,.2f} |" in table.split(f"| {year} |")[1].split("\n")[0]


def test_the_working_day_gives_the_peak_hour_of_the_philippines_and_the_united_states() -> None:
    shares: dict[str, dict[int, list[float]]] = {
        "Philippines": defaultdict(list),
        "United States": defaultdict(list),
    }
    with (RAW / "flows" / "odesk-2012" / "contractor_activity_over_time_UTC.csv").open(
        encoding="utf-8"
    ) as handle:
        for row in csv.DictReader(handle):
            if row["country"] in shares:
                shares[row["country"]][int(row["utc_hour"])].append(float(row["percent_activity"]))
    # The file leaves out (day, hour) cells where nobody was active: seven days make the mean.
    peaks = {c: max(range(24), key=lambda h: sum(by[h]) / 7) for c, by in shares.items()}
    at = run("workers", zone="utc")
    sentence = next(m.value for m in at.markdown if m.value.startswith("Busiest hour"))
    assert f"Philippines {peaks['Philippines']:02d}:00 UTC" in sentence
    assert f"United States {peaks['United States']:02d}:00 UTC" in sentence


def test_the_mturk_shares_of_the_first_and_last_month_are_the_survey_s() -> None:
    with (RAW / "mturk" / "monthly.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    first, last = rows[0], rows[-1]
    assert abs(float(first["us"]) + float(first["india"]) + float(first["other"]) - 1) < 1e-9
    at = run("workers")
    sentence = next(m.value for m in at.markdown if m.value.startswith("In March 2015"))
    assert f"{round(100 * float(first['us']))}% of the {int(first['n'])} respondents" in sentence
    assert (
        f"in September 2026, {round(100 * float(last['us']))}% and {100 * float(last['india']):.1f}%"
        in sentence
    )


def test_the_oli_growth_between_two_months_is_the_compound_yearly_rate() -> None:
    with (RAW / "oli" / "derived-monthly" / "oli_levels_monthly.csv").open(encoding="utf-8") as handle:
        index = {row["date"][:7]: float(row["Total"]) for row in csv.DictReader(handle)}
    rate = 100 * ((index["2024-05"] / index["2016-05"]) ** (12 / 96) - 1)
    at = run("projections", from_month="2016-05", to_month="2024-05")
    sentence = next(m.value for m in at.markdown if m.value.startswith("Measured (our calculation)"))
    assert f"{percent(rate)} a year compounded" in sentence


# The network file's country names that the World Bank's history spells otherwise (by hand, from
# the two files; "korea" alone is left out: which Korea is not said).
WB_NAMES = {
    "russia": "russian federation",
    "egypt": "egypt, arab rep.",
    "vietnam": "viet nam",
    "macedonia": "north macedonia",
    "hong kong": "hong kong sar, china",
    "hong kong sar": "hong kong sar, china",
    "turkey": "türkiye",
    "venezuela": "venezuela, rb",
    "czech republic": "czechia",
    "palestinian territories": "west bank and gaza",
    "palestine": "west bank and gaza",
    "slovakia": "slovak republic",
    "south korea": "korea, rep.",
    "taiwan": "taiwan, china",
    "saint lucia": "st. lucia",
    "bahamas": "bahamas, the",
    "kyrgyzstan": "kyrgyz republic",
    "macao": "macao sar, china",
    "united states virgin islands": "virgin islands (u.s.)",
    "cote d'ivoire": "côte d'ivoire",
    "micronesia": "micronesia, fed. sts.",
    "swaziland": "eswatini",
    "saint kitts and nevis": "st. kitts and nevis",
    "faroe islands": "faeroe islands",
    "yemen": "yemen, rep.",
    "laos": "lao pdr",
    "croatia (hrvatska)": "croatia",
    "curacao": "curaçao",
    "saint vincent and the grenadines": "st. vincent and the grenadines",
}


def north_to_south_of_the_year(year: int) -> float:
    """The share of `year`'s projects from high-income employers' countries to the others' workers,
    with the World Bank's groups in force in that year (FY{year + 1}), from the raw files by hand."""
    groups = {}
    with (RAW / "reference" / "wb_income_history_FY1989_FY2025.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["fiscal_year"] == f"FY{(year + 1) % 100:02d}":
                groups[row["economy"].lower()] = row["income_group"]
    total = north_south = 0
    with (NETWORK / f"olm_network_data_{year}.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            count = int(row["count"])
            total += count
            employer, worker = (
                groups.get(WB_NAMES.get(name, name), "")
                for name in (row["employer_country_real"], row["worker_country_real"])
            )
            if employer == "H" and worker and worker != "H":
                north_south += count
    return 100 * north_south / total


@pytest.mark.parametrize("year", [2014, 2015])
def test_the_groups_of_the_year_give_the_flows_page_its_north_to_south_share(year: int) -> None:
    at = run("flows", year=str(year), classification="wb_year", view="sankey")
    share = north_to_south_of_the_year(year)
    shown = texts(at).replace("\\", "")  # Markdown's escapes (71\.9%) are not what a reader sees
    assert (
        f"{share:.1f}% of {year}'s projects went from employers in the North to workers in the South" in shown
    )
    assert f"in force from July {year} (FY{year + 1})" in shown
