"""Braesemann et al.'s (2022) Global Data Lab file → projects won and hourly pay by worker region,
2013–2020, with the network files' admin-1 name of the same region where one is known.

The GDL's regions are its own (Indian states, Philippine regions, but Kenya's eight former provinces
and Ukraine's five macro-regions), spelt its own way ("Chandigarth"). A GDL region is joined to a
network admin-1 region only through datasets/crosswalks/gdl_network_regions.csv, where each match
was checked by hand; the ETL checks that both names exist and that every GDL region is listed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pandas as pd

from etl.cited import rows as typed_rows
from etl.errors import EtlError
from etl.flows import MISSING, NetworkFile, date_year, wage
from etl.rawcsv import rows, whole

GDL_CODE = re.compile(r"^([A-Z]{3})r\d{3}$")
FIRST_YEAR, LAST_YEAR = 2013, 2020
CROSSWALK = "gdl_network_regions.csv"
STATUSES = ("matched", "unmatched")


def network_worker_regions(files: list[NetworkFile]) -> dict[str, set[str]]:
    """ISO3 → the admin-1 names of the network files' workers (the rows kept in region_flows)."""
    out: dict[str, set[str]] = defaultdict(set)
    for file in files:
        for iso3, region in zip(file.worker_iso3, file.cells["worker_admin1"], strict=True):
            if iso3 and region != "NA":
                out[iso3].add(region)
    return out


def years(path: Path, iso3: frozenset[str], source_id: str) -> pd.DataFrame:
    """One row per (GDL region, year). A row that repeats an earlier one word for word is kept once
    (the file gives PSEr105, North Gaza, twice in each year 2013–2018); a different second row fails."""
    out: list[dict[str, object]] = []
    seen: dict[tuple[str, int], tuple[int, dict[str, str]]] = {}
    names: dict[str, tuple[int, str]] = {}
    columns = (
        "gdlCode",
        "Region",
        "year",
        "ISO_Code",
        "Country",
        "project_count",
        "median_wage",
        "mean_wage",
    )
    for line, row in rows(path, columns):
        match = GDL_CODE.match(row["gdlCode"])
        if match is None:
            raise EtlError(path, f"gdlCode {row['gdlCode']!r} is not a GDL region code (AAAr123)", line)
        code = row["gdlCode"]
        year = date_year(path, line, row["year"])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise EtlError(path, f"year {year} is outside {FIRST_YEAR}–{LAST_YEAR}", line)
        if (code, year) in seen:
            first, earlier = seen[code, year]
            if earlier == row:
                continue
            raise EtlError(
                path, f"a second, different row for {code} in {year} (first at line {first})", line
            )
        seen[code, year] = (line, row)
        if names.setdefault(code, (line, row["Region"]))[1] != row["Region"]:
            raise EtlError(path, f"{code} is named {names[code][1]!r} at line {names[code][0]}", line)
        country = match.group(1)
        if row["ISO_Code"] not in MISSING and row["ISO_Code"] != country:
            raise EtlError(path, f"ISO_Code {row['ISO_Code']!r} is not the country of {code}", line)
        if country not in iso3:
            raise EtlError(path, f"{country} (from {code}) is not in the countries table", line)
        out.append(
            {
                "gdl_code": code,
                "region": row["Region"],
                "iso3": country,
                "year": year,
                "projects": whole(path, line, "project_count", row["project_count"]),
                "median_usd_per_hour": wage(path, line, "median_wage", row["median_wage"]),
                "mean_usd_per_hour": wage(path, line, "mean_wage", row["mean_wage"]),
            }
        )
    if not out:
        raise EtlError(path, "no data rows")
    frame = pd.DataFrame(out)
    country = frame.groupby(["iso3", "year"])["projects"].transform("sum")
    # A country with no project in a year has no shares that year (0 ÷ 0), not shares of 0.
    frame["share_of_country_percent"] = (100 * frame["projects"] / country.where(country > 0)).astype(float)
    frame["source_id"] = source_id
    return frame


def crosswalk(folder: Path, regions: pd.DataFrame, network: dict[str, set[str]]) -> dict[str, str]:
    """gdl_code → the network admin-1 name(s) of the same region ("; " between two spellings the
    network files both use), from the checked crosswalk."""
    path = folder / CROSSWALK
    gdl = dict(zip(regions["gdl_code"], regions["region"], strict=False))
    listed: set[str] = set()
    matched: dict[str, list[str]] = defaultdict(list)
    unmatched: set[str] = set()
    network_seen: dict[tuple[str, str], int] = {}
    for line, row in typed_rows(path, ("iso3", "gdl_code", "gdl_region", "network_admin1", "status", "note")):
        code, name, iso3 = row["gdl_code"], row["network_admin1"], row["iso3"]
        if row["status"] not in STATUSES:
            raise EtlError(path, f"status {row['status']!r} is not one of {', '.join(STATUSES)}", line)
        if code:
            if code not in gdl:
                raise EtlError(path, f"gdl_code {code!r} is not in the GDL file", line)
            if code[:3] != iso3:
                raise EtlError(path, f"gdl_code {code} is not a region of {iso3!r}", line)
            if row["gdl_region"] != gdl[code]:
                raise EtlError(
                    path, f"{code} is {gdl[code]!r} in the GDL file, not {row['gdl_region']!r}", line
                )
            listed.add(code)
        if name:
            if name not in network.get(iso3, set()):
                raise EtlError(
                    path, f"{name!r} is no worker admin-1 region of {iso3} in the network files", line
                )
            if (iso3, name) in network_seen:
                raise EtlError(
                    path,
                    f"{name!r} ({iso3}) is listed twice (first at line {network_seen[iso3, name]})",
                    line,
                )
            network_seen[iso3, name] = line
        if row["status"] == "matched":
            if not (code and name):
                raise EtlError(path, "a matched row needs both a gdl_code and a network_admin1", line)
            matched[code].append(name)
        elif bool(code) == bool(name):
            raise EtlError(
                path, "an unmatched row names either a gdl_code or a network_admin1, not both", line
            )
        else:
            unmatched.add(code)
        if code in matched and code in unmatched:
            raise EtlError(path, f"{code} is listed both matched and unmatched", line)
    missing = sorted(set(gdl) - listed)
    if missing:
        raise EtlError(
            path, f"GDL regions not listed (add them, matched or unmatched): {', '.join(missing[:8])}"
        )
    return {code: "; ".join(sorted(names)) for code, names in matched.items()}


def table(regions: pd.DataFrame, matched: dict[str, str]) -> pd.DataFrame:
    frame = regions.copy()
    frame["network_admin1"] = frame["gdl_code"].map(matched).fillna("")
    return frame.sort_values(["iso3", "gdl_code", "year"]).reset_index(drop=True)
