"""The MTurk demographics survey (Difallah, Filatova & Ipeirotis 2018) → who takes MTurk tasks.

Three tables: `mturk_monthly` (responses, workers and shares by month), `mturk_countries`
(responses by country and year, with our shares and ranks) and `mturk_bands` (self-reported
weekly income and hours). Respondents are self-selected survey takers on MTurk.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pandas as pd

from etl.crosswalk import CountryCodes
from etl.errors import EtlError
from etl.rawcsv import decimal, rows, whole

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])-01$")
YEAR = re.compile(r"^\d{4}$")
# us + india + other must make a whole; the file's fractions carry about 16 digits.
SUM_TOLERANCE = 1e-6
SHARES = {"us": "share_us_percent", "india": "share_india_percent", "other": "share_other_percent"}


def _fraction(path: Path, line: int, column: str, text: str, required: bool) -> float | None:
    value = decimal(path, line, column, text)
    if value is None:
        if required:
            raise EtlError(path, f"{column} is empty", line)
        return None
    if not 0 <= value <= 1:
        raise EtlError(path, f"{column} {text!r} is not a fraction between 0 and 1", line)
    return value


def monthly(path: Path, totals: Path, source_id: str) -> pd.DataFrame:
    """One row per surveyed month; a month without a survey has no row (2019-12)."""
    out = []
    seen: dict[str, int] = {}
    for line, row in rows(
        path, ("m", "n", "w", "female", "us", "india", "other"), optional=("married", "college")
    ):
        match = MONTH.match(row["m"])
        if match is None:
            raise EtlError(path, f"month {row['m']!r} is not YYYY-MM-01", line)
        month = f"{match.group(1)}-{match.group(2)}"
        if month in seen:
            raise EtlError(path, f"a second row for {month} (first at line {seen[month]})", line)
        seen[month] = line
        responses = whole(path, line, "n", row["n"])
        workers = whole(path, line, "w", row["w"])
        if workers > responses:
            raise EtlError(path, f"{workers} workers gave only {responses} responses", line)
        shares = {column: _fraction(path, line, column, row[column], required=True) for column in SHARES}
        whole_sum = sum(value for value in shares.values() if value is not None)
        if abs(whole_sum - 1) > SUM_TOLERANCE:
            raise EtlError(path, f"us + india + other = {whole_sum:.9f}, not 1", line)
        female = _fraction(path, line, "female", row["female"], required=False)
        out.append(
            {
                "month": month,
                "responses": responses,
                "workers": workers,
                **{SHARES[column]: 100 * value for column, value in shares.items() if value is not None},
                "share_female_percent": None if female is None else 100 * female,
                "source_id": source_id,
            }
        )
    frame = pd.DataFrame(out).sort_values("month").reset_index(drop=True)
    stated = _total_responses(totals)
    if int(frame["responses"].sum()) != stated:
        raise EtlError(
            path, f"responses add up to {int(frame['responses'].sum())}, but {totals.name} says {stated}"
        )
    return frame


def _total_responses(path: Path) -> int:
    for line, row in rows(
        path, ("responses",), ("workers", "hits", "countries", "days", "first_day", "last_day")
    ):
        return whole(path, line, "responses", row["responses"])
    raise EtlError(path, "no totals row")


def countries(path: Path, codes: CountryCodes, monthly_table: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """Responses by country and year; shares of the year's responses, ranks among known countries."""
    out = []
    seen: dict[tuple[int, str], int] = {}
    totals: dict[int, int] = defaultdict(int)
    for line, row in rows(path, ("y", "country", "n", "w")):
        if not YEAR.match(row["y"]):
            raise EtlError(path, f"year {row['y']!r} is not YYYY", line)
        year = int(row["y"])
        responses = whole(path, line, "n", row["n"])
        workers = whole(path, line, "w", row["w"])
        if workers > responses:
            raise EtlError(path, f"{workers} workers gave only {responses} responses", line)
        if (year, row["country"]) in seen:
            raise EtlError(path, f"a second row for {row['country']} in {year}", line)
        seen[year, row["country"]] = line
        totals[year] += responses
        iso3 = codes.iso3(path, line, row["country"])
        if iso3 is None:
            continue
        out.append(
            {
                "year": year,
                "iso3": iso3,
                "country_known": "yes" if iso3 else "no",
                "responses": responses,
                "workers_in_year": workers,
            }
        )
    frame = pd.DataFrame(out)
    # The two files are one survey: each year's responses must be the months' responses.
    by_month = monthly_table.groupby(monthly_table["month"].str[:4].astype(int))["responses"].sum()
    for year, total in sorted(totals.items()):
        if by_month.get(year) != total:
            raise EtlError(path, f"{year}: {total} responses here, {by_month.get(year)} in the monthly file")
    frame["share_of_year_percent"] = 100 * frame["responses"] / frame["year"].map(totals)
    known = frame["country_known"] == "yes"
    frame["rank_in_year"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    frame.loc[known, "rank_in_year"] = (
        frame[known].groupby("year")["responses"].rank(method="min", ascending=False).astype("Int64")
    )
    frame["source_id"] = source_id
    return frame.sort_values(["year", "iso3"]).reset_index(drop=True)


LESS = re.compile(r"^Less than \$?(\d+)\b")
RANGE = re.compile(r"^\$?(\d+)-\$?(\d+)\b")
MORE = re.compile(r"^More than \$?(\d+)\b")


def _lower_bound(path: Path, line: int, band: str) -> tuple[float, float]:
    """(lower, upper) of a band: 'Less than $1 per week' → (0, 1), 'More than 40 hours…' → (40, ∞)."""
    if match := LESS.match(band):
        return 0.0, float(match.group(1))
    if match := RANGE.match(band):
        return float(match.group(1)), float(match.group(2))
    if match := MORE.match(band):
        return float(match.group(1)), float("inf")
    raise EtlError(path, f"band {band!r} is not 'Less than X', 'X-Y' or 'More than X'", line)


def bands(files: dict[str, tuple[Path, str]]) -> pd.DataFrame:
    """Self-reported bands by question and year; `files` maps question → (path, source_id).

    Responses with an empty band (the question was not yet asked: 2015, 2016 and part of 2017)
    are left out, so shares are of the responses that give a band.
    """
    frames = []
    for question, (path, source_id) in files.items():
        out = []
        seen: dict[tuple[int, str], int] = {}
        for line, row in rows(path, ("y", "v", "n")):
            if not YEAR.match(row["y"]):
                raise EtlError(path, f"year {row['y']!r} is not YYYY", line)
            responses = whole(path, line, "n", row["n"])
            if row["v"] == "":
                continue
            year = int(row["y"])
            if (year, row["v"]) in seen:
                raise EtlError(path, f"a second row for {row['v']!r} in {year}", line)
            seen[year, row["v"]] = line
            out.append((year, row["v"], _lower_bound(path, line, row["v"]), responses))
        bounds = sorted({bound for _, _, bound, _ in out})
        for (lower, upper), (next_lower, _) in zip(bounds, bounds[1:], strict=False):
            if next_lower < upper or lower == next_lower:
                raise EtlError(path, f"bands overlap: {lower}–{upper} and one from {next_lower}")
        order = {bound: number for number, bound in enumerate(bounds, start=1)}
        frame = pd.DataFrame(
            [(question, year, band, order[bound], n) for year, band, bound, n in out],
            columns=["question", "year", "band", "band_order", "responses"],
        )
        frame["share_of_year_percent"] = (
            100 * frame["responses"] / frame.groupby("year")["responses"].transform("sum")
        )
        frame["source_id"] = source_id
        frames.append(frame)
    out_frame = pd.concat(frames, ignore_index=True)
    return out_frame.sort_values(["question", "year", "band_order"]).reset_index(drop=True)
