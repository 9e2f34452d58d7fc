"""Parsers for the Online Labour Index's own files on figshare (article 3761562, CC BY 4.0).

Three kinds of file, each chosen by its name (etl/update.py):

- `worker_countrydata_YYYY-MM-DD.txt` (the worker supplement, from June 2017): `timestamp, country,
  occupation, num_workers, num_projects`. The columns and their meaning are the OII's codebook's
  (datasets/raw/oli/derived-monthly/oli_worker_codebook.txt, whose example lines are the file's):
  `num_workers` is a weighted sample and may be fractional; only relative shares are valid;
  `num_projects` is deprecated and not read.
- `bcountrydata_YYYY-MM-DD.txt` (vacancies by employer country): `timestamp, country, country_group,
  occupation, count`. Checked against real lines: the 2017-04-11 snapshot we ship
  (datasets/raw/oli/oli_bcountry_snapshot_2017-04-11.csv) is this file's last day, kept with its
  column names.
- `OLIdata_YYYY-MM-DD.txt` or `OLI_microwork_data_YYYY-MM-DD.txt` (the daily index by occupation):
  `date, occupation, count` and, in the older files, `status` ("new" for new vacancies). Known only
  from the code of public projects that read it (the OII's own R scripts filter `status == "new"`),
  not from a real line: the parser says which column it misses, by name.

Each parser reads a file (plain or gzip), checks its header and every value, and returns the
monthly table the pages would draw: shares of the month (ours, computed from the file's counts)
or the index's monthly mean. An error names the file, the line and the problem.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from etl.errors import EtlError

WORKERS = ("timestamp", "country", "occupation", "num_workers")
EMPLOYERS = ("timestamp", "country", "country_group", "occupation", "count")
INDEX = ("date", "occupation", "count")


def _lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8", newline="") as handle:
            yield from handle
    except (OSError, EOFError, UnicodeDecodeError) as error:  # a truncated gzip, bytes that are not text
        raise EtlError(path, f"cannot be read to its end: {error}") from None


def _rows(path: Path, needed: tuple[str, ...]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    reader = csv.reader(_lines(path))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise EtlError(path, "is empty") from None
    missing = [c for c in needed if c not in header]
    if missing:
        raise EtlError(path, f"has no column {', '.join(missing)} (its header: {', '.join(header)})", 1)
    rows = []
    for number, values in enumerate(reader, start=2):
        if not values:
            continue
        if len(values) != len(header):
            raise EtlError(path, f"has {len(values)} fields, the header {len(header)}", number)
        rows.append((number, dict(zip(header, values, strict=True))))
    if not rows:
        raise EtlError(path, "has a header and no rows")
    return header, rows


def _number(path: Path, line: int, name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise EtlError(path, f"{name} {text!r} is not a number", line) from None
    if not value >= 0 or value == float("inf"):
        raise EtlError(path, f"{name} {text!r} is not a count (negative or not finite)", line)
    return value


def _month(path: Path, line: int, text: str) -> str:
    day = pd.to_datetime(text[:10], format="%Y-%m-%d", errors="coerce")
    if pd.isna(day):
        raise EtlError(path, f"date {text!r} is not YYYY-MM-DD", line)
    return str(day.strftime("%Y-%m"))


def worker_shares(path: Path) -> pd.DataFrame:
    """Each month's share of the sampled workers by country and occupation (ours: the month's
    num_workers summed, over the month's total), as the codebook allows: relative shares only."""
    _, rows = _rows(path, WORKERS)
    table = pd.DataFrame(
        {
            "month": [_month(path, n, r["timestamp"]) for n, r in rows],
            "country": [r["country"].strip() for _, r in rows],
            "occupation": [r["occupation"].strip() for _, r in rows],
            "workers": [_number(path, n, "num_workers", r["num_workers"]) for n, r in rows],
        }
    )
    return _shares(table, ["country", "occupation"], "workers")


def employer_shares(path: Path) -> pd.DataFrame:
    """Each month's share of the vacancies by employer country (ours, from the daily counts)."""
    _, rows = _rows(path, EMPLOYERS)
    table = pd.DataFrame(
        {
            "month": [_month(path, n, r["timestamp"]) for n, r in rows],
            "country": [r["country"].strip() for _, r in rows],
            "occupation": [r["occupation"].strip() for _, r in rows],
            "vacancies": [_number(path, n, "count", r["count"]) for n, r in rows],
        }
    )
    return _shares(table, ["country"], "vacancies")


def index_monthly(path: Path) -> pd.DataFrame:
    """The index's monthly mean by occupation and in total (new vacancies only where the file
    says which are new), from the authors' own daily file."""
    header, rows = _rows(path, INDEX)
    if "status" in header:
        rows = [(n, r) for n, r in rows if r["status"].strip().lower() == "new"]
    table = pd.DataFrame(
        {
            "date": [r["date"][:10] for _, r in rows],
            "month": [_month(path, n, r["date"]) for n, r in rows],
            "occupation": [r["occupation"].strip() for _, r in rows],
            "index": [_number(path, n, "count", r["count"]) for n, r in rows],
        }
    )
    daily = table.groupby(["date", "month", "occupation"], as_index=False)["index"].sum()
    total = daily.groupby(["date", "month"], as_index=False)["index"].sum().assign(occupation="Total")
    both = pd.concat([daily, total], ignore_index=True)
    return (
        both.groupby(["month", "occupation"], as_index=False)["index"]
        .mean()
        .sort_values(["month", "occupation"])
    )


def _shares(table: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    summed = table.groupby(["month", *keys], as_index=False)[value].sum()
    totals = summed.groupby("month")[value].transform("sum")
    summed["share_percent"] = summed[value] / totals * 100
    return summed.sort_values(["month", *keys]).reset_index(drop=True)


def summary(path: Path, kind: str) -> dict[str, object]:
    """What a file holds, for `make update`'s report: months, countries (or occupations), rows."""
    table = {"worker_supplement": worker_shares, "employer_countries": employer_shares}.get(
        kind, index_monthly
    )(path)
    names = "country" if "country" in table else "occupation"
    return {
        "months": sorted(set(table["month"])),
        "names": sorted(set(table[names])),
        "rows": len(table),
    }
