"""Braesemann et al. (2022) replication files → who buys from whom, who works, for what pay.

Three tables: `flow_pairs` (the 2014 and 2015 employer → worker networks, admin-1 regions added
up to countries; the regions themselves are etl/region_flows.py's), `worker_supply_years` (projects won and hourly wages by worker country, 2013–2020)
and `occupation_pay` (the same by occupation, with the SOC major group of the pooled file).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from etl.crosswalk import CountryNames
from etl.errors import EtlError
from etl.rawcsv import columns, decimal, rows, whole, whole_column
from etl.reference import normalise_name

NETWORK_COLUMNS = (
    "year",
    "employer_country_real",
    "employer_admin1",
    "worker_country_real",
    "worker_admin1",
    "count",
    "employer_lat",
    "employer_lng",
    "worker_lat",
    "worker_lng",
)
NETWORK_UNUSED = ("",)  # R's row numbers
NETWORK_YEAR = re.compile(r"^(\d{4})-01-01$")
YEAR_DATE = re.compile(r"^01/01/(\d{4})$")
MISSING = ("NA",)
# R's infinity: five occupations' mean applicants in 2013 are "Inf", which is no count of applicants.
NO_MEAN = ("NA", "Inf")


@dataclass
class NetworkFile:
    """One year's network file, read and checked once for the two tables made of it
    (`flow_pairs` here, `region_flows` in etl/region_flows.py)."""

    path: Path
    source_id: str
    year: int
    lines: list[int]
    cells: dict[str, list[str]]
    projects: np.ndarray
    # Every project of the file, rows left out for an excluded name included: the denominator of shares.
    total: int
    # ISO3 of each row's names; "" where the name is excluded (its rows are left out).
    employer_iso3: list[str]
    worker_iso3: list[str]


def read_network(path: Path, source_id: str, names: CountryNames) -> NetworkFile:
    lines, cells = columns(path, NETWORK_COLUMNS, NETWORK_UNUSED)
    if not lines:
        raise EtlError(path, "no data rows")
    bad = [cells["year"].index(text) for text in set(cells["year"]) if NETWORK_YEAR.match(text) is None]
    if bad:
        first = min(bad)
        raise EtlError(path, f"year {cells['year'][first]!r} is not YYYY-01-01", lines[first])
    if len(set(cells["year"])) != 1:
        second = next(i for i, text in enumerate(cells["year"]) if text != cells["year"][0])
        raise EtlError(
            path, f"year {cells['year'][second]!r} in a file of {cells['year'][0][:4]}", lines[second]
        )
    counts = whole_column(path, lines, "count", cells["count"])
    total = int(counts.sum())
    if total == 0:
        raise EtlError(path, "no projects in the file")
    return NetworkFile(
        path,
        source_id,
        int(cells["year"][0][:4]),
        lines,
        cells,
        counts,
        total,
        names.map_column(path, lines, cells["employer_country_real"], counts),
        names.map_column(path, lines, cells["worker_country_real"], counts),
    )


def network(files: list[NetworkFile]) -> pd.DataFrame:
    """One row per (year, employer country, worker country): the admin-1 rows added up."""
    frames = []
    for file in files:
        pairs = pd.DataFrame(
            {"employer_iso3": file.employer_iso3, "worker_iso3": file.worker_iso3, "projects": file.projects}
        )
        kept = pairs[(pairs["employer_iso3"] != "") & (pairs["worker_iso3"] != "")]
        frame = kept.groupby(["employer_iso3", "worker_iso3"], as_index=False, sort=False)["projects"].sum()
        frame.insert(0, "year", file.year)
        # The denominator is every row of the file, so rows left out (excluded names) still count.
        frame["share_of_year_percent"] = 100 * frame["projects"] / file.total
        frame["domestic"] = (frame["employer_iso3"] == frame["worker_iso3"]).map({True: "yes", False: "no"})
        frame["source_id"] = file.source_id
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    years = [file.year for file in files]
    for file in files:
        if years.count(file.year) > 1:
            raise EtlError(file.path, f"a second network file for {file.year}")
    return out.sort_values(["year", "employer_iso3", "worker_iso3"]).reset_index(drop=True)


def date_year(path: Path, line: int, text: str) -> int:
    match = YEAR_DATE.match(text)
    if match is None:
        raise EtlError(path, f"year {text!r} is not a date 01/01/YYYY", line)
    return int(match.group(1))


def wage(path: Path, line: int, column: str, text: str, missing: tuple[str, ...] = MISSING) -> float | None:
    value = decimal(path, line, column, text, missing)
    if value is not None and value < 0:
        raise EtlError(path, f"{column} {text!r} is negative", line)
    return value


def worker_supply(path: Path, names: CountryNames, iso3: frozenset[str], source_id: str) -> pd.DataFrame:
    """Projects won and hourly wages by worker country and year; shares of each year's projects.

    The file spells Palestine two ways under one code (PSE: "palestine", "palestinian territories").
    Such rows are one country: their projects are added; a median or mean wage cannot be merged, so
    the wages are kept only when one row alone has projects that year, and left empty otherwise.
    """
    found: dict[tuple[str, int], list[tuple[int, str, int, float | None, float | None]]] = defaultdict(list)
    totals: dict[int, int] = defaultdict(int)
    by_name = names.for_file(path)
    for line, row in rows(path, ("ISO_Code", "country", "year", "project_count", "median_wage", "mean_wage")):
        year = date_year(path, line, row["year"])
        projects = whole(path, line, "project_count", row["project_count"])
        totals[year] += projects
        median = wage(path, line, "median_wage", row["median_wage"])
        mean = wage(path, line, "mean_wage", row["mean_wage"])
        if names.is_excluded(path, row["country"]):
            by_name(line, row["country"], projects)  # recorded as left out
            continue
        if row["ISO_Code"] in MISSING:
            code = by_name(line, row["country"], projects)  # no code in the file: by name
            if code is None:
                continue
        elif row["ISO_Code"] in iso3:
            code = row["ISO_Code"]
        else:
            raise EtlError(path, f"ISO_Code {row['ISO_Code']!r} is not in the countries table", line)
        for other in found[code, year]:
            if normalise_name(other[1]) == normalise_name(row["country"]):
                raise EtlError(path, f"a second row for {code} in {year} (first at line {other[0]})", line)
        found[code, year].append((line, row["country"], projects, median, mean))
    out = []
    for (code, year), group in found.items():
        with_projects = [entry for entry in group if entry[2] > 0]
        wages = with_projects[0][3:] if len(with_projects) == 1 else (None, None)
        if len(group) == 1:
            wages = group[0][3:]
        out.append((code, year, sum(entry[2] for entry in group), *wages))
    frame = pd.DataFrame(
        out, columns=["iso3", "year", "projects", "median_usd_per_hour", "mean_usd_per_hour"]
    )
    frame["share_of_year_percent"] = 100 * frame["projects"] / frame["year"].map(totals)
    frame["source_id"] = source_id
    return frame.sort_values(["iso3", "year"]).reset_index(drop=True)


AGGREGATED_COLUMNS = ("SOC4", "detailedOccupations", "SOC1_title", "short_soc1_name")
AGGREGATED_UNUSED = (
    "median_wage",
    "mean_wage",
    "median_numApplicants",
    "mean_numApplicants",
    "project_count",
    "Rs",
    "L_Total",
    "SOC1_code",
    "SOC4_onet",
    "cluster",
    "order",
    "order_correct",
    "short_name",
)
SOC4 = re.compile(r"^\d{2}-\d{4}$")


def occupation_pay(yearly: Path, aggregated: Path, source_id: str) -> pd.DataFrame:
    """Projects, hourly wages and applicants by SOC 4-digit occupation and year, with its SOC group."""
    groups: dict[str, tuple[str, str]] = {}
    for line, row in rows(aggregated, AGGREGATED_COLUMNS, AGGREGATED_UNUSED, delimiter=";"):
        if not SOC4.match(row["SOC4"]):
            raise EtlError(aggregated, f"SOC4 {row['SOC4']!r} is not a SOC code NN-NNNN", line)
        if row["SOC4"] in groups:
            raise EtlError(aggregated, f"SOC4 {row['SOC4']} is listed twice", line)
        groups[row["SOC4"]] = (row["SOC1_title"], row["short_soc1_name"])
    out = []
    seen: dict[tuple[str, int], int] = {}
    names: dict[str, str] = {}
    for line, row in rows(
        yearly,
        (
            "detailedOccupations",
            "SOC4",
            "year",
            "project_count",
            "median_wage",
            "mean_wage",
            "median_numApplicants",
            "mean_numApplicants",
        ),
    ):
        soc4 = row["SOC4"]
        if not SOC4.match(soc4):
            raise EtlError(yearly, f"SOC4 {soc4!r} is not a SOC code NN-NNNN", line)
        year = date_year(yearly, line, row["year"])
        if (soc4, year) in seen:
            raise EtlError(
                yearly, f"a second row for {soc4} in {year} (first at line {seen[soc4, year]})", line
            )
        seen[soc4, year] = line
        if names.setdefault(soc4, row["detailedOccupations"]) != row["detailedOccupations"]:
            raise EtlError(yearly, f"{soc4} is named {names[soc4]!r} elsewhere", line)
        major, short = groups.get(soc4, ("", ""))
        out.append(
            {
                "soc4": soc4,
                "occupation": row["detailedOccupations"],
                "soc_major_group": major,
                "soc_major_short": short,
                "year": year,
                "projects": whole(yearly, line, "project_count", row["project_count"]),
                "median_usd_per_hour": wage(yearly, line, "median_wage", row["median_wage"]),
                "mean_usd_per_hour": wage(yearly, line, "mean_wage", row["mean_wage"]),
                "median_applicants": wage(
                    yearly, line, "median_numApplicants", row["median_numApplicants"], NO_MEAN
                ),
                "mean_applicants": wage(
                    yearly, line, "mean_numApplicants", row["mean_numApplicants"], NO_MEAN
                ),
                "source_id": source_id,
            }
        )
    frame = pd.DataFrame(out)
    return frame.sort_values(["soc4", "year"]).reset_index(drop=True)


def occupations_without_group(table: pd.DataFrame) -> list[str]:
    """SOC codes of the yearly file that the pooled file gives no major group (reported by the build)."""
    return sorted(set(table.loc[table["soc_major_group"] == "", "soc4"]))
