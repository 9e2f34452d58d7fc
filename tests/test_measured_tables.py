"""The measured tables against numbers computed here, by hand, from the raw files (csv module only)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import DATASETS

RAW = DATASETS / "raw"
TIDY = DATASETS / "tidy"
BRAESEMANN = RAW / "flows" / "braesemann-2022"


def raw_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def tidy(name: str) -> list[dict[str, str]]:
    return raw_rows(TIDY / f"{name}.csv")


def excluded_names() -> set[str]:
    """Names excluded in every file (the crosswalk's `file` column empty)."""
    rows = raw_rows(DATASETS / "crosswalks" / "country_names_excluded.csv")
    return {row["name"] for row in rows if not row["file"]}


@pytest.mark.parametrize(("year", "stated_total"), [(2014, 72_311), (2015, 124_655)])
def test_every_project_of_a_network_file_is_in_a_pair_or_left_out_by_name(
    year: int, stated_total: int
) -> None:
    rows = raw_rows(BRAESEMANN / f"olm_network_data_{year}.csv")
    raw_total = sum(int(row["count"]) for row in rows)
    assert raw_total == stated_total  # the total SOURCES.md states for the file
    out = excluded_names()
    left_out = sum(
        int(row["count"])
        for row in rows
        if row["employer_country_real"] in out or row["worker_country_real"] in out
    )
    in_pairs = sum(int(row["projects"]) for row in tidy("flow_pairs") if row["year"] == str(year))
    assert in_pairs + left_out == raw_total
    assert 0 < left_out < raw_total / 1000  # a handful of projects, not a country's worth


@pytest.mark.parametrize("year", [2014, 2015])
def test_united_states_to_india_is_the_sum_of_its_regions_with_its_share_of_the_year(year: int) -> None:
    rows = raw_rows(BRAESEMANN / f"olm_network_data_{year}.csv")
    projects = sum(
        int(row["count"])
        for row in rows
        if row["employer_country_real"] == "united states" and row["worker_country_real"] == "india"
    )
    share = 100 * projects / sum(int(row["count"]) for row in rows)
    (pair,) = [
        row
        for row in tidy("flow_pairs")
        if row["year"] == str(year) and row["employer_iso3"] == "USA" and row["worker_iso3"] == "IND"
    ]
    assert int(pair["projects"]) == projects
    assert float(pair["share_of_year_percent"]) == pytest.approx(share, rel=1e-9)
    assert pair["domestic"] == "no"


def test_work_inside_the_united_states_is_a_domestic_pair() -> None:
    rows = raw_rows(BRAESEMANN / "olm_network_data_2015.csv")
    projects = sum(
        int(row["count"])
        for row in rows
        if row["employer_country_real"] == "united states" and row["worker_country_real"] == "united states"
    )
    (pair,) = [
        row
        for row in tidy("flow_pairs")
        if row["year"] == "2015" and row["employer_iso3"] == "USA" and row["worker_iso3"] == "USA"
    ]
    assert (int(pair["projects"]), pair["domestic"]) == (projects, "yes")


@pytest.mark.parametrize("year", [2014, 2019])
def test_india_median_hourly_pay_is_the_country_file_s(year: int) -> None:
    (source,) = [
        row
        for row in raw_rows(BRAESEMANN / "OLM_Country_Data.csv")
        if row["ISO_Code"] == "IND" and row["year"] == f"01/01/{year}"
    ]
    (row,) = [r for r in tidy("worker_supply_years") if r["iso3"] == "IND" and r["year"] == str(year)]
    assert float(row["median_usd_per_hour"]) == pytest.approx(float(source["median_wage"]))
    total = sum(
        int(r["project_count"])
        for r in raw_rows(BRAESEMANN / "OLM_Country_Data.csv")
        if r["year"] == f"01/01/{year}"
    )
    assert float(row["share_of_year_percent"]) == pytest.approx(100 * int(source["project_count"]) / total)


def test_a_wage_the_source_marks_na_stays_empty() -> None:
    source = [
        row
        for row in raw_rows(BRAESEMANN / "OLM_Country_Data.csv")
        if row["median_wage"] == "NA" and int(row["project_count"]) > 0 and row["ISO_Code"] != "NA"
    ][0]
    year = source["year"][-4:]
    (row,) = [r for r in tidy("worker_supply_years") if r["iso3"] == source["ISO_Code"] and r["year"] == year]
    assert row["median_usd_per_hour"] == "" and row["mean_usd_per_hour"] == ""
    assert int(row["projects"]) == int(source["project_count"])


def test_mturk_shares_of_march_2019_add_up_to_100_and_are_the_source_s() -> None:
    (source,) = [row for row in raw_rows(RAW / "mturk" / "monthly.csv") if row["m"] == "2019-03-01"]
    (row,) = [r for r in tidy("mturk_monthly") if r["month"] == "2019-03"]
    shares = [float(row[f"share_{k}_percent"]) for k in ("us", "india", "other")]
    assert sum(shares) == pytest.approx(100, abs=1e-6)
    assert shares[1] == pytest.approx(100 * float(source["india"]))
    assert shares[1] > 30  # SOURCES.md: India 34 % in 2019-03


def test_the_month_the_survey_paused_has_no_row() -> None:
    months = {row["month"] for row in tidy("mturk_monthly")}
    assert "2019-11" in months and "2020-01" in months and "2019-12" not in months


def test_rank_of_india_in_2020_counts_the_known_countries_ahead_of_it() -> None:
    rows = [row for row in raw_rows(RAW / "mturk" / "country_year.csv") if row["y"] == "2020"]
    unknown = {"ZZ", "XK"}  # the survey's unknown country, and Kosovo which the countries table lacks
    india = next(int(row["n"]) for row in rows if row["country"] == "IN")
    rank = 1 + sum(1 for row in rows if row["country"] not in unknown and int(row["n"]) > india)
    (row,) = [r for r in tidy("mturk_countries") if r["year"] == "2020" and r["iso3"] == "IND"]
    assert int(row["rank_in_year"]) == rank == 2
    assert float(row["share_of_year_percent"]) == pytest.approx(100 * india / sum(int(r["n"]) for r in rows))


def test_countries_with_as_many_responses_share_the_lower_rank() -> None:
    rows = [row for row in tidy("mturk_countries") if row["year"] == "2016" and row["country_known"] == "yes"]
    counts = Counter(int(row["responses"]) for row in rows)
    tied = max(n for n, k in counts.items() if k > 1)
    ranks = {int(row["rank_in_year"]) for row in rows if int(row["responses"]) == tied}
    assert ranks == {1 + sum(1 for row in rows if int(row["responses"]) > tied)}


def test_the_unknown_country_stays_a_row_so_the_year_adds_up() -> None:
    (row,) = [r for r in tidy("mturk_countries") if r["year"] == "2019" and r["country_known"] == "no"]
    (source,) = [
        r for r in raw_rows(RAW / "mturk" / "country_year.csv") if r["y"] == "2019" and r["country"] == "ZZ"
    ]
    assert (row["iso3"], row["rank_in_year"], int(row["responses"])) == ("", "", int(source["n"]))


def oli_total(month: str) -> float:
    (source,) = [
        row
        for row in raw_rows(RAW / "oli" / "derived-monthly" / "oli_levels_monthly.csv")
        if row["date"] == f"{month}-01"
    ]
    return float(source["Total"])


def test_the_oli_total_is_100_in_may_2016_and_grows_as_computed_by_hand() -> None:
    index = {
        row["month"]: float(row["index_may2016_100"])
        for row in tidy("oli_monthly")
        if row["occupation"] == "total"
    }
    assert round(index["2016-05"]) == 100
    years = 8  # 2016-05 → 2024-05
    by_hand = (oli_total("2024-05") / oli_total("2016-05")) ** (1 / years) - 1
    from_table = (index["2024-05"] / index["2016-05"]) ** (1 / years) - 1
    assert from_table == pytest.approx(by_hand, rel=1e-9)
    assert -0.5 < by_hand < 0.5


def test_a_sampled_country_s_activity_cell_is_the_source_s() -> None:
    (source,) = [
        row
        for row in raw_rows(RAW / "flows" / "odesk-2012" / "contractor_activity_over_time_UTC.csv")
        if row["country"] == "Philippines" and row["utc_dayoftheweek"] == "1" and row["utc_hour"] == "3"
    ]
    (cell,) = [
        r
        for r in tidy("odesk_activity")
        if r["iso3"] == "PHL" and r["utc_weekday"] == "1" and r["utc_hour"] == "3"
    ]
    active, sampled = float(source["active_contractors"]), int(source["total_contractors"])
    assert cell["weekday"] == "Monday"  # the dashboard's code: (d + 6) mod 7 into a Monday-first week
    assert float(cell["active_contractors"]) == pytest.approx(active)
    assert int(cell["sampled_contractors"]) == sampled
    assert float(cell["share_active_percent"]) == pytest.approx(100 * active / sampled)
    assert float(cell["share_active_percent"]) == pytest.approx(
        100 * float(source["percent_activity"]), abs=1e-7
    )
    assert cell["in_source"] == "yes"


def test_a_cell_absent_from_the_source_is_zero_and_says_so() -> None:
    source = raw_rows(RAW / "flows" / "odesk-2012" / "contractor_activity_over_time_UTC.csv")
    listed = {(row["utc_dayoftheweek"], row["utc_hour"]) for row in source if row["country"] == "Afghanistan"}
    day, hour = next((str(d), str(h)) for d in range(7) for h in range(24) if (str(d), str(h)) not in listed)
    rows = [r for r in tidy("odesk_activity") if r["iso3"] == "AFG"]
    assert len(rows) == 7 * 24
    (cell,) = [r for r in rows if (r["utc_weekday"], r["utc_hour"]) == (day, hour)]
    assert (float(cell["active_contractors"]), cell["in_source"]) == (0.0, "no")
    assert sum(r["in_source"] == "yes" for r in rows) == len(listed)


def test_odesk_job_shares_are_the_source_s_percent_times_100() -> None:
    (source,) = [
        row
        for row in raw_rows(RAW / "flows" / "odesk-2012" / "jobtypes_per_country.csv")
        if row["Country"] == "India" and row["Related JobCategory"] == "9"
    ]
    (row,) = [r for r in tidy("odesk_jobs") if r["iso3"] == "IND" and r["category_id"] == "9"]
    assert float(row["share_of_country_percent"]) == pytest.approx(100 * float(source["percent"]))
    assert int(row["projects"]) == int(source["projects"])


def test_the_occupation_without_a_group_in_the_pooled_file_has_an_empty_group() -> None:
    pooled = {row["SOC4"] for row in raw_rows(BRAESEMANN / "OLM_Occupation_Data_aggregated.csv", ";")}
    yearly = {row["SOC4"] for row in raw_rows(BRAESEMANN / "OLM_Occupation_Data.csv")}
    missing = yearly - pooled
    assert missing == {"17-2199"}
    groups = {row["soc4"]: row["soc_major_group"] for row in tidy("occupation_pay")}
    assert groups["17-2199"] == ""
    assert all(groups[code] for code in pooled)


def test_income_bands_are_ordered_from_the_lowest() -> None:
    rows = [r for r in tidy("mturk_bands") if r["question"] == "weekly_income" and r["year"] == "2024"]
    ordered = [r["band"] for r in sorted(rows, key=lambda r: int(r["band_order"]))]
    assert ordered[0] == "Less than $1 per week" and ordered[-1] == "More than $500 per week"
    assert sum(float(r["share_of_year_percent"]) for r in rows) == pytest.approx(100)
