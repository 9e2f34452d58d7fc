"""Region flows and worker regions: every number traced back to the raw files, read here with the
csv module, and the geocoding test checked on rows a person looked up."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from etl import crosswalk, reference, sources
from etl.__main__ import main
from etl.region_flows import NOT_STATED, flagged_by_year
from tests.conftest import DATASETS, snapshot

FLOWS = DATASETS / "raw" / "flows" / "braesemann-2022"
NETWORK = {2014: "olm_network_data_2014.csv", 2015: "olm_network_data_2015.csv"}
GDL = "OLM_GDL_Data.csv"
CROSSWALK = DATASETS / "crosswalks" / "gdl_network_regions.csv"


def tidy(name: str) -> pd.DataFrame:
    """A tidy table: empty text stays "", an empty number is NaN."""
    numbers = (
        "median_usd_per_hour",
        "mean_usd_per_hour",
        "share_of_country_percent",
        "share_of_year_percent",
    )
    return pd.read_csv(
        DATASETS / "tidy" / f"{name}.csv", keep_default_na=False, na_values={c: [""] for c in numbers}
    )


@cache
def region_flows() -> pd.DataFrame:
    return pd.read_csv(
        DATASETS / "tidy" / "region_flows.csv",
        keep_default_na=False,
        na_values={c: [""] for c in ("employer_lat", "employer_lng", "worker_lat", "worker_lng")},
    )


@cache
def raw_rows(year: int) -> list[dict[str, str]]:
    with (FLOWS / NETWORK[year]).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def iso3_of() -> dict[str, str | None]:
    """Country name → ISO3 through the same checked crosswalk as the ETL; None for an excluded name."""
    registry = sources.load(DATASETS / "sources")
    raw = {s.source_id: DATASETS / s.fields["path"] for s in registry.values() if s.fields.get("path")}
    countries = reference.countries(
        raw["datahub-country-codes-2026"],
        raw["datahub-country-codes-2020"],
        raw["worldbank-income-groups-fy2025"],
        raw["worldbank-income-history"],
    )
    index = reference.name_index(
        countries,
        reference.extra_country_names(
            raw["datahub-country-codes-2026"], raw["worldbank-income-groups-fy2025"]
        ),
    )
    names = crosswalk.country_names(DATASETS / "crosswalks", index, frozenset(countries["iso3"]))
    out: dict[str, str | None] = {}
    for year in NETWORK:
        for row in raw_rows(year):
            for column in ("employer_country_real", "worker_country_real"):
                name = row[column]
                if name not in out:
                    excluded = names.is_excluded(FLOWS / NETWORK[year], name)
                    out[name] = None if excluded else names.codes[reference.normalise_name(name)]
    return out


def row(year: int, employer: str, employer_region: str, worker: str, worker_region: str) -> pd.Series:
    frame = region_flows()
    found = frame[
        (frame["year"] == year)
        & (frame["employer_iso3"] == employer)
        & (frame["employer_region"] == employer_region)
        & (frame["worker_iso3"] == worker)
        & (frame["worker_region"] == worker_region)
    ]
    assert len(found) == 1, (year, employer, employer_region, worker, worker_region)
    return found.iloc[0]


@pytest.mark.parametrize("year", sorted(NETWORK))
def test_each_country_pair_s_region_projects_add_up_to_the_raw_file_and_to_flow_pairs(year: int) -> None:
    codes = iso3_of()
    expected: Counter[tuple[str, str]] = Counter()
    for raw in raw_rows(year):
        employer, worker = codes[raw["employer_country_real"]], codes[raw["worker_country_real"]]
        if employer is not None and worker is not None:
            expected[employer, worker] += int(raw["count"])
    regions = region_flows()
    regions = regions[regions["year"] == year]
    summed = regions.groupby(["employer_iso3", "worker_iso3"])["projects"].sum().to_dict()
    assert summed == dict(expected)
    pairs = tidy("flow_pairs")
    pairs = pairs[pairs["year"] == year]
    assert dict(
        zip(zip(pairs["employer_iso3"], pairs["worker_iso3"], strict=True), pairs["projects"], strict=True)
    ) == dict(expected)


@pytest.mark.parametrize("year", sorted(NETWORK))
def test_a_region_share_divides_by_every_project_of_the_file_excluded_names_included(year: int) -> None:
    total = sum(int(raw["count"]) for raw in raw_rows(year))
    regions = region_flows()
    regions = regions[regions["year"] == year]
    assert (regions["share_of_year_percent"] - 100 * regions["projects"] / total).abs().max() < 1e-9
    assert regions["projects"].sum() < total  # the Netherlands Antilles' rows are left out, as in flow_pairs


@pytest.mark.parametrize("side", ["employer", "worker"])
@pytest.mark.parametrize("year", sorted(NETWORK))
def test_rows_without_a_region_are_kept_as_region_not_stated_with_all_their_projects(
    year: int, side: str
) -> None:
    codes = iso3_of()
    expected = sum(
        int(raw["count"])
        for raw in raw_rows(year)
        if raw[f"{side}_admin1"] == "NA"
        and codes[raw["employer_country_real"]] is not None
        and codes[raw["worker_country_real"]] is not None
    )
    assert expected > 0
    regions = region_flows()
    unstated = regions[(regions["year"] == year) & (regions[f"{side}_region"] == NOT_STATED)]
    assert unstated["projects"].sum() == expected
    assert (unstated[f"{side}_region_stated"] == "no").all()
    assert unstated[f"{side}_lat"].isna().all() and unstated[f"{side}_lng"].isna().all()
    stated = regions[(regions["year"] == year) & (regions[f"{side}_region"] != NOT_STATED)]
    assert (stated[f"{side}_region_stated"] == "yes").all() and stated[f"{side}_lat"].notna().all()


def test_an_afghan_employer_placed_in_california_is_flagged() -> None:
    flagged = row(2015, "AFG", "California", "PAK", "Sindh")
    assert flagged["geocode_flag"] == "employer_point_outside_country"
    assert flagged["employer_lat"] == pytest.approx(37.5925463)


def test_isle_of_man_workers_placed_in_the_presov_region_of_slovakia_are_flagged() -> None:
    regions = region_flows()
    rows = regions[(regions["worker_iso3"] == "IMN") & (regions["worker_region"] == "Prešov Region")]
    assert len(rows) > 0
    assert set(rows["geocode_flag"]) <= {"worker_point_outside_country", "both_points_outside_country"}


def test_pristina_under_albania_and_the_channel_islands_under_the_uk_are_flagged() -> None:
    regions = region_flows()
    albania = regions[(regions["worker_iso3"] == "ALB") & (regions["worker_region"] == NOT_STATED)]
    # Raw 2014 line: albania/NA worker at 42.66291, 21.1655 (Pristina, Kosovo), employer in the US.
    assert (albania["geocode_flag"].str.contains("worker_point_outside_country")).any()
    jersey = row(2014, "GBR", "St Helier", "CAN", "Ontario")
    assert jersey["geocode_flag"] == "employer_point_outside_country"


@pytest.mark.parametrize(
    ("year", "employer", "employer_region", "worker", "worker_region"),
    [
        (2015, "USA", "Texas", "PAK", "Sindh"),
        (2015, "CAN", "Ontario", "PHL", "Metro Manila"),
        (2015, "USA", "California", "PHL", "Metro Manila"),
        (2014, "USA", "New York", "IND", "Chandigarh"),
        (2015, "SGP", NOT_STATED, "IND", "Maharashtra"),
        (2015, "AUS", "New South Wales", "SGP", NOT_STATED),
        (2015, "HKG", "Hong Kong Island", "BGD", "Rajshahi Division"),
    ],
)
def test_rows_whose_points_lie_in_their_countries_are_not_flagged(
    year: int, employer: str, employer_region: str, worker: str, worker_region: str
) -> None:
    assert row(year, employer, employer_region, worker, worker_region)["geocode_flag"] == ""


def test_a_florida_mean_at_sea_in_the_gulf_is_not_flagged() -> None:
    # A mean of Gulf-coast places lies offshore, nearest to the United States: not an error.
    regions = region_flows()
    florida = regions[
        (regions["employer_iso3"] == "USA")
        & (regions["employer_region"] == "Florida")
        & (regions["employer_lng"] < -83)
    ]
    assert len(florida) > 0
    assert not florida["geocode_flag"].str.startswith("employer").any()


def test_hong_kong_s_two_spellings_are_one_row_with_both_counts() -> None:
    codes = iso3_of()
    assert codes["hong kong sar"] == codes["hong kong"] == "HKG"
    expected = sum(
        int(raw["count"])
        for raw in raw_rows(2015)
        if raw["employer_country_real"] in ("hong kong", "hong kong sar")
        and raw["employer_admin1"] == "NA"
        and raw["worker_country_real"] == "india"
        and raw["worker_admin1"] == "Punjab"
    )
    assert expected == 24
    assert row(2015, "HKG", NOT_STATED, "IND", "Punjab")["projects"] == expected


def test_the_flagged_rows_per_year_are_what_the_table_description_says() -> None:
    descriptor = json.loads((DATASETS / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "region_flows"]
    regions = region_flows()
    counted = flagged_by_year(regions)
    assert set(counted) == {2014, 2015}
    for year, (rows, projects, total) in counted.items():
        flagged = regions[(regions["year"] == year) & regions["geocode_flag"].str.contains("outside_country")]
        assert (rows, projects, total) == (
            len(flagged),
            flagged["projects"].sum(),
            (regions["year"] == year).sum(),
        )
        assert rows > 0
        assert f"{year}: {rows:,} of {total:,} rows ({projects:,} projects)" in resource["description"]


def test_the_region_table_has_units_and_descriptions_in_the_data_package() -> None:
    descriptor = json.loads((DATASETS / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    for name in ("region_flows", "worker_regions_years"):
        fields = {f["name"]: f for f in resources[name]["schema"]["fields"]}
        assert all(f["description"] for f in fields.values())
        assert fields["projects"]["unit"] == "projects"
    assert resources["region_flows"]["schema"]["fields"][4]["unit"] == "degrees_north"
    assert (
        "Ours"
        in {f["name"]: f for f in resources["worker_regions_years"]["schema"]["fields"]}[
            "share_of_country_percent"
        ]["description"]
    )


@cache
def gdl_rows() -> list[dict[str, str]]:
    with (FLOWS / GDL).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_gdl_region_shares_within_a_country_add_up_to_100_each_year() -> None:
    regions = tidy("worker_regions_years")
    with_projects = regions.groupby(["iso3", "year"])["projects"].transform("sum") > 0
    sums = regions[with_projects].groupby(["iso3", "year"])["share_of_country_percent"].sum()
    assert len(sums) > 700
    assert (sums - 100).abs().max() < 1e-6  # the CSV keeps 10 significant digits
    assert regions.loc[~with_projects, "share_of_country_percent"].isna().all()


def test_gdl_rows_are_the_raw_file_s_with_na_kept_missing_and_the_country_from_the_code() -> None:
    regions = tidy("worker_regions_years").set_index(["gdl_code", "year"])
    seen = set()
    for raw in gdl_rows():
        key = (raw["gdlCode"], int(raw["year"][-4:]))
        got = regions.loc[key]
        assert got["projects"] == int(raw["project_count"])
        assert got["region"] == raw["Region"].strip()
        assert got["iso3"] == raw["gdlCode"][:3]
        if raw["ISO_Code"] != "NA":
            assert got["iso3"] == raw["ISO_Code"]
        for column, source in (("median_usd_per_hour", "median_wage"), ("mean_usd_per_hour", "mean_wage")):
            if raw[source] == "NA":
                assert pd.isna(got[column])
            else:
                assert got[column] == pytest.approx(float(raw[source]))
        seen.add(key)
    assert len(regions) == len(seen)  # North Gaza's repeated rows are kept once


def test_the_crosswalk_s_matched_names_exist_in_the_gdl_file_and_among_the_network_s_workers() -> None:
    codes = iso3_of()
    network: dict[str, set[str]] = defaultdict(set)
    for year in NETWORK:
        for raw in raw_rows(year):
            iso3 = codes[raw["worker_country_real"]]
            if iso3 is not None and raw["worker_admin1"] != "NA":
                network[iso3].add(raw["worker_admin1"])
    gdl = {raw["gdlCode"]: raw["Region"].strip() for raw in gdl_rows()}
    with CROSSWALK.open(encoding="utf-8", newline="") as handle:
        crosswalk_rows = list(csv.DictReader(handle))
    matched = [r for r in crosswalk_rows if r["status"] == "matched"]
    assert len(matched) > 150
    for r in matched:
        assert gdl[r["gdl_code"]] == r["gdl_region"]
        assert r["network_admin1"] in network[r["iso3"]], r
    assert {r["gdl_code"] for r in crosswalk_rows if r["gdl_code"]} == set(gdl)
    joined = tidy("worker_regions_years").drop_duplicates("gdl_code").set_index("gdl_code")["network_admin1"]
    by_code: dict[str, list[str]] = defaultdict(list)
    for r in matched:
        by_code[r["gdl_code"]].append(r["network_admin1"])
    for code, names in by_code.items():
        assert joined[code] == "; ".join(sorted(names))
    assert (joined.drop(list(by_code)) == "").all()


@pytest.mark.parametrize(
    ("gdl_code", "network_admin1"),
    [
        ("INDr131", "Chandigarh"),
        ("INDr117", "Odisha"),
        ("PHLr101", "Metro Manila"),
        ("PHLr115", "Region XII; SOCCSKSARGEN"),
        ("PAKr105", "Islamabad Capital Territory"),
        ("UKRr101", ""),
    ],
)
def test_a_gdl_region_carries_the_network_name_of_the_same_territory(
    gdl_code: str, network_admin1: str
) -> None:
    regions = tidy("worker_regions_years")
    assert set(regions.loc[regions["gdl_code"] == gdl_code, "network_admin1"]) == {network_admin1}


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def reseal(folder: Path, relative: str) -> None:
    registry = folder / "sources" / "raw.yaml"
    text = registry.read_text(encoding="utf-8")
    old = text[text.index(f"path: {relative}\n") :].split("sha256: ", 1)[1][:64]
    new = hashlib.sha256((folder / relative).read_bytes()).hexdigest()
    registry.write_text(text.replace(old, new), encoding="utf-8")


NETWORK_2015 = "raw/flows/braesemann-2022/olm_network_data_2015.csv"
GDL_DATA = "raw/flows/braesemann-2022/OLM_GDL_Data.csv"
BAD_INPUT = [
    (
        NETWORK_2015,
        12,
        "count",
        "2.5",
        ("olm_network_data_2015.csv, line 12", "count '2.5' is not a whole number"),
    ),
    (
        NETWORK_2015,
        13,
        "worker_lat",
        "north",
        ("olm_network_data_2015.csv, line 13", "worker_lat 'north' is not a number"),
    ),
    (
        NETWORK_2015,
        14,
        "employer_lng",
        "190.5",
        ("olm_network_data_2015.csv, line 14", "employer_lng '190.5'"),
    ),
    (NETWORK_2015, 15, "worker_admin1", "", ("olm_network_data_2015.csv, line 15", "worker_admin1 is empty")),
    (GDL_DATA, 20, "project_count", "-4", ("OLM_GDL_Data.csv, line 20", "project_count '-4' is negative")),
    (GDL_DATA, 21, "gdlCode", "INDX131", ("OLM_GDL_Data.csv, line 21", "'INDX131' is not a GDL region code")),
    (GDL_DATA, 22, "ISO_Code", "ARG", ("OLM_GDL_Data.csv, line 22", "ISO_Code 'ARG'")),
]


@pytest.mark.parametrize(
    ("relative", "line", "column", "value", "expected"), BAD_INPUT, ids=[c[3] or "empty" for c in BAD_INPUT]
)
def test_a_malformed_row_stops_the_build_naming_the_file_and_line(
    datasets: Path,
    relative: str,
    line: int,
    column: str,
    value: str,
    expected: tuple[str, ...],
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = snapshot(datasets)
    set_cell(datasets / relative, line, column, value)
    reseal(datasets, relative)
    assert main(["--datasets", str(datasets)]) == 1
    message = capsys.readouterr().err
    for fragment in expected:
        assert fragment in message, message
    assert snapshot(datasets) == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "IND,INDr131,Chandigarth,Chandigarth,matched,typo\n",
            "'Chandigarth' is no worker admin-1 region of IND",
        ),
        ("IND,INDr999,Nowhere,,unmatched,none\n", "gdl_code 'INDr999' is not in the GDL file"),
    ],
)
def test_a_crosswalk_row_naming_what_does_not_exist_stops_the_build(
    datasets: Path, text: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = datasets / "crosswalks" / "gdl_network_regions.csv"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    assert main(["--datasets", str(datasets)]) == 1
    message = capsys.readouterr().err
    assert "gdl_network_regions.csv, line" in message and expected in message, message
