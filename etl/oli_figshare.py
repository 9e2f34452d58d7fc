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
import zlib
from pathlib import Path

import pandas as pd

from etl.errors import EtlError
from etl.reference import normalise_name

WORKERS = ("timestamp", "country", "occupation", "num_workers")
EMPLOYERS = ("timestamp", "country", "country_group", "occupation", "count")
INDEX = ("date", "occupation", "count")
MAX_ROWS = 20_000_000  # a file with more rows than this is refused (a decompression bomb stops here)


def _read(path: Path, needed: tuple[str, ...], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """The columns `needed` (and `extra` when present) of `path` (plain or gzip), as text; the
    header's line is 1, the first row's 2 (`line` column)."""
    try:
        header = pd.read_csv(path, nrows=0, compression="infer").columns
    except (OSError, EOFError, UnicodeDecodeError, zlib.error, pd.errors.ParserError, csv.Error) as error:
        raise EtlError(path, f"cannot be read: {error}") from None
    except pd.errors.EmptyDataError:
        raise EtlError(path, "is empty") from None
    names = {str(c).strip().lower(): c for c in header}
    missing = [c for c in needed if c not in names]
    if missing:
        raise EtlError(path, f"has no column {', '.join(missing)} (its header: {', '.join(names)})", 1)
    wanted = [c for c in (*needed, *extra) if c in names]
    try:
        table = pd.read_csv(
            path,
            usecols=[names[c] for c in wanted],
            dtype=str,
            keep_default_na=False,
            compression="infer",
            nrows=MAX_ROWS + 1,
        )
    except (OSError, EOFError, UnicodeDecodeError, zlib.error, pd.errors.ParserError, csv.Error) as error:
        raise EtlError(path, f"cannot be read to its end: {error}") from None
    if len(table) > MAX_ROWS:
        raise EtlError(path, f"has more than {MAX_ROWS:,} rows")
    if table.empty:
        raise EtlError(path, "has a header and no rows")
    table.columns = [str(c).strip().lower() for c in table.columns]
    table["line"] = range(2, len(table) + 2)
    return table


def _numbers(path: Path, table: pd.DataFrame, name: str) -> pd.Series:
    values = pd.to_numeric(table[name], errors="coerce")
    bad = values.isna() | (values < 0) | ~values.abs().lt(float("inf"))
    if bad.any():
        first = table[bad].iloc[0]
        raise EtlError(path, f"{name} {first[name]!r} is not a count", int(first["line"]))
    return values


def _days(path: Path, table: pd.DataFrame, name: str) -> pd.Series:
    days = pd.to_datetime(table[name].str[:10], format="%Y-%m-%d", errors="coerce")
    if days.isna().any():
        first = table[days.isna()].iloc[0]
        raise EtlError(path, f"date {first[name]!r} is not YYYY-MM-DD", int(first["line"]))
    return days.dt.strftime("%Y-%m-%d")


def worker_shares(path: Path) -> pd.DataFrame:
    """Each month's share of the sampled workers by country and occupation (ours), as the codebook
    allows (relative shares only): each day's share of that day's sample, averaged over the month's
    days (a day with a larger sample weighs no more); and, within each country, the share of its
    workers in each occupation (the codebook's own example: 68 / (14 + 42 + 68 + 20))."""
    raw = _read(path, WORKERS)
    table = pd.DataFrame(
        {
            "day": _days(path, raw, "timestamp"),
            "country": raw["country"].str.strip(),
            "occupation": raw["occupation"].str.strip(),
            "workers": _numbers(path, raw, "num_workers"),
        }
    )
    daily = table.groupby(["day", "country", "occupation"], as_index=False)["workers"].sum()
    daily["share_percent"] = daily["workers"] / daily.groupby("day")["workers"].transform("sum") * 100
    daily["share_in_country_percent"] = (
        daily["workers"] / daily.groupby(["day", "country"])["workers"].transform("sum") * 100
    )
    daily["month"] = daily["day"].str[:7]
    monthly = daily.groupby(["month", "country", "occupation"], as_index=False)[
        ["share_percent", "share_in_country_percent"]
    ].sum()
    days = daily.groupby("month")["day"].nunique()
    for column in ("share_percent", "share_in_country_percent"):
        monthly[column] = monthly[column] / monthly["month"].map(days)  # a day without a cell counts 0
    return monthly.sort_values(["month", "country", "occupation"]).reset_index(drop=True)


def employer_shares(path: Path) -> pd.DataFrame:
    """Each month's share of the vacancies by employer country (ours): each day's share, averaged
    over the month's days."""
    raw = _read(path, EMPLOYERS)
    table = pd.DataFrame(
        {
            "day": _days(path, raw, "timestamp"),
            "country": raw["country"].str.strip(),
            "vacancies": _numbers(path, raw, "count"),
        }
    )
    daily = table.groupby(["day", "country"], as_index=False)["vacancies"].sum()
    daily["share_percent"] = daily["vacancies"] / daily.groupby("day")["vacancies"].transform("sum") * 100
    daily["month"] = daily["day"].str[:7]
    monthly = daily.groupby(["month", "country"], as_index=False)["share_percent"].sum()
    monthly["share_percent"] = monthly["share_percent"] / monthly["month"].map(
        daily.groupby("month")["day"].nunique()
    )
    return monthly.sort_values(["month", "country"]).reset_index(drop=True)


def index_monthly(path: Path) -> pd.DataFrame:
    """The index's monthly mean by occupation and in total (new vacancies only where the file
    says which are new), from the authors' own daily file."""
    raw = _read(path, INDEX, extra=("status",))
    if "status" in raw:
        raw = raw[raw["status"].str.strip().str.lower() == "new"]
        if raw.empty:
            raise EtlError(path, "has no row with status 'new'")
    table = pd.DataFrame(
        {
            "day": _days(path, raw, "date"),
            "occupation": raw["occupation"].str.strip(),
            "index": _numbers(path, raw, "count"),
        }
    )
    daily = table.groupby(["day", "occupation"], as_index=False)["index"].sum()
    total = daily.groupby("day", as_index=False)["index"].sum().assign(occupation="Total")
    both = pd.concat([daily, total], ignore_index=True)
    both["month"] = both["day"].str[:7]
    return (
        both.groupby(["month", "occupation"], as_index=False)["index"]
        .mean()
        .sort_values(["month", "occupation"])
        .reset_index(drop=True)
    )


def summary(path: Path, kind: str) -> dict[str, object]:
    """What a file holds, for `make update`'s report: months, countries (or occupations), rows."""
    table = {"worker_supplement": worker_shares, "employer_countries": employer_shares}.get(
        kind, index_monthly
    )(path)
    names = "country" if "country" in table else "occupation"
    return {
        "months": sorted(set(table["month"])),
        "names": sorted(set(table[names]) - {"Total"}),
        "rows": len(table),
    }


# The records make update writes (etl/update.py: "oli-figshare-" and the kind's key).
SOURCE_IDS = {
    "worker_supplement": "oli-figshare-worker-supplement",
    "employer_countries": "oli-figshare-employer-countries",
    "daily_index": "oli-figshare-daily-index",
}
WORKER_COLUMNS = ["month", "iso3", "occupation", "share_percent", "share_in_country_percent", "source_id"]
EMPLOYER_COLUMNS = ["month", "iso3", "share_percent", "source_id"]
INDEX_COLUMNS = ["month", "occupation", "index_mean", "index_may2016_100", "source_id"]
BASE_MONTH = "2016-05"  # the OLI's own base, and the third party's (its series: May 2016 = 100)


def _occupation(path: Path, name: str) -> str:
    from etl.oli_monthly import CODES

    code = CODES.get(normalise_name(name))
    if code is None:
        raise EtlError(path, f"unknown OLI occupation {name!r} (etl/oli.py OCCUPATIONS)")
    return code


def _iso3(path: Path, frame: pd.DataFrame, names: dict[str, str]) -> pd.Series:
    from etl.oli import country_code

    codes = {name: country_code(path, 0, name, names) for name in frame["country"].unique()}
    return frame["country"].map(codes)


def tables(raw: dict[str, Path], names: dict[str, str]) -> dict[str, pd.DataFrame]:
    """The tidy tables of the OLI's own files, at the resolution the pages draw (months, not days):
    worker shares by country and occupation, employer shares by country, the index by month. Each
    is empty (its columns only) until `make update` has brought its file: the pages then stay as
    they were, on the files shipped with the atlas."""
    out = {
        "oli_worker_shares_monthly": pd.DataFrame(columns=WORKER_COLUMNS),
        "oli_employer_shares_monthly": pd.DataFrame(columns=EMPLOYER_COLUMNS),
        "oli_index_monthly": pd.DataFrame(columns=INDEX_COLUMNS),
    }
    sid = SOURCE_IDS["worker_supplement"]
    if sid in raw:
        path = raw[sid]
        workers = worker_shares(path)
        workers["iso3"] = _iso3(path, workers, names)
        workers["occupation"] = [_occupation(path, o) for o in workers["occupation"]]
        # two spellings of one country or occupation land on one row
        workers = workers.groupby(["month", "iso3", "occupation"], as_index=False)[
            ["share_percent", "share_in_country_percent"]
        ].sum()
        out["oli_worker_shares_monthly"] = workers.assign(source_id=sid)[WORKER_COLUMNS]
    sid = SOURCE_IDS["employer_countries"]
    if sid in raw:
        path = raw[sid]
        employers = employer_shares(path)
        employers["iso3"] = _iso3(path, employers, names)
        employers = employers.groupby(["month", "iso3"], as_index=False)["share_percent"].sum()
        out["oli_employer_shares_monthly"] = employers.assign(source_id=sid)[EMPLOYER_COLUMNS]
    sid = SOURCE_IDS["daily_index"]
    if sid in raw:
        path = raw[sid]
        index = index_monthly(path).rename(columns={"index": "index_mean"})
        index["occupation"] = ["total" if o == "Total" else _occupation(path, o) for o in index["occupation"]]
        index = index.groupby(["month", "occupation"], as_index=False)["index_mean"].sum()
        base = index[(index["month"] == BASE_MONTH) & (index["occupation"] == "total")]["index_mean"]
        # ours: each month's mean over May 2016's total, × 100, as the third party's series is
        # scaled (the cross-check on the Projections page compares the two); none without May 2016
        index["index_may2016_100"] = (
            index["index_mean"] / float(base.iloc[0]) * 100 if len(base) else float("nan")
        )
        out["oli_index_monthly"] = index.assign(source_id=sid)[INDEX_COLUMNS]
    for name, frame in out.items():
        out[name] = frame.sort_values([c for c in ("month", "iso3", "occupation") if c in frame]).reset_index(
            drop=True
        )
    return out
