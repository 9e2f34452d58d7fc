"""Bad measured input: each broken raw file fails with its file, its line and the problem, and loses nothing."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from etl.__main__ import main
from tests.conftest import snapshot

NETWORK_2014 = "raw/flows/braesemann-2022/olm_network_data_2014.csv"
NETWORK_2015 = "raw/flows/braesemann-2022/olm_network_data_2015.csv"
COUNTRY_DATA = "raw/flows/braesemann-2022/OLM_Country_Data.csv"
ACTIVITY = "raw/flows/odesk-2012/contractor_activity_over_time_UTC.csv"
OLI_MONTHLY = "raw/oli/derived-monthly/oli_levels_monthly.csv"
MTURK_MONTHLY = "raw/mturk/monthly.csv"
MTURK_COUNTRIES = "raw/mturk/country_year.csv"
NAMES = "crosswalks/country_names.csv"
EXCLUDED = "crosswalks/country_names_excluded.csv"


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Change one cell of a CSV file (line 1 is the header; one row per line in these files)."""
    rows = read_rows(path)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def drop_column(path: Path, column: str) -> None:
    rows = read_rows(path)
    index = rows[0].index(column)
    write_rows(path, [row[:index] + row[index + 1 :] for row in rows])


def cut_inside_line(path: Path, line: int) -> None:
    """Truncate the file in the middle of a row, as an interrupted download would."""
    data = path.read_bytes()
    start = 0
    for _ in range(line - 1):
        start = data.index(b"\n", start) + 1
    end = data.index(b"\n", start)
    path.write_bytes(data[: (start + end) // 2])


def reseal(folder: Path, relative: str) -> None:
    """Update a raw file's checksum in raw.yaml, so the test reaches the file's own validation."""
    registry = folder / "sources" / "raw.yaml"
    text = registry.read_text(encoding="utf-8")
    old = text[text.index(f"path: {relative}\n") :].split("sha256: ", 1)[1][:64]
    new = hashlib.sha256((folder / relative).read_bytes()).hexdigest()
    registry.write_text(text.replace(old, new), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def raw(relative: str, change: Callable[[Path], None]) -> Callable[[Path], None]:
    """Change a raw file, then reseal its checksum."""

    def mutate(folder: Path) -> None:
        change(folder / relative)
        reseal(folder, relative)

    return mutate


Mutation = Callable[[Path], None]
CASES: list[tuple[str, Mutation, tuple[str, ...]]] = [
    (
        "network: unknown country name",
        raw(NETWORK_2014, lambda p: set_cell(p, 5, "employer_country_real", "atlantis")),
        ("olm_network_data_2014.csv, line 5", "unknown country name 'atlantis'", "country_names.csv"),
    ),
    (
        "network: negative count",
        raw(NETWORK_2014, lambda p: set_cell(p, 6, "count", "-3")),
        ("olm_network_data_2014.csv, line 6", "count '-3' is negative"),
    ),
    (
        "network: non-numeric count",
        raw(NETWORK_2015, lambda p: set_cell(p, 7, "count", "many")),
        ("olm_network_data_2015.csv, line 7", "count 'many' is not a number"),
    ),
    (
        "network: missing column",
        raw(NETWORK_2015, lambda p: drop_column(p, "worker_country_real")),
        ("olm_network_data_2015.csv, line 1", "missing column(s): 'worker_country_real'"),
    ),
    (
        "network: truncated in the middle of a row",
        raw(NETWORK_2014, lambda p: cut_inside_line(p, 1000)),
        ("olm_network_data_2014.csv, line 1000", "truncated"),
    ),
    (
        "network: checksum mismatch",
        lambda d: append(d / NETWORK_2015, '"33045","2015-01-01","india",NA,"india",NA,1,0,0,0,0\n'),
        ("olm_network_data_2015.csv", "checksum mismatch"),
    ),
    (
        "country data: negative project count",
        raw(COUNTRY_DATA, lambda p: set_cell(p, 10, "project_count", "-1")),
        ("OLM_Country_Data.csv, line 10", "project_count '-1' is negative"),
    ),
    (
        "country data: non-numeric wage",
        raw(COUNTRY_DATA, lambda p: set_cell(p, 11, "median_wage", "ten")),
        ("OLM_Country_Data.csv, line 11", "median_wage 'ten' is not a number"),
    ),
    (
        "oDesk activity: hour 24",
        raw(ACTIVITY, lambda p: set_cell(p, 7, "utc_hour", "24")),
        ("contractor_activity_over_time_UTC.csv, line 7", "utc_hour '24' is not an hour 0–23"),
    ),
    (
        "oDesk activity: a cell with nobody active",
        raw(ACTIVITY, lambda p: set_cell(p, 8, "active_contractors", "0")),
        ("contractor_activity_over_time_UTC.csv, line 8", "0 active contractors"),
    ),
    (
        "OLI monthly: Total is not the sum",
        raw(OLI_MONTHLY, lambda p: set_cell(p, 4, "Total", "150")),
        ("oli_levels_monthly.csv, line 4", "Total 150 is not the sum of the seven occupations"),
    ),
    (
        "OLI monthly: bad month",
        raw(OLI_MONTHLY, lambda p: set_cell(p, 3, "date", "2016-13-01")),
        ("oli_levels_monthly.csv, line 3", "date '2016-13-01' is not a month"),
    ),
    (
        "MTurk monthly: shares do not sum to 1",
        raw(MTURK_MONTHLY, lambda p: set_cell(p, 5, "us", "0.9")),
        ("monthly.csv, line 5", "us + india + other", "not 1"),
    ),
    (
        "MTurk countries: unknown country code",
        raw(MTURK_COUNTRIES, lambda p: set_cell(p, 9, "country", "QQ")),
        ("country_year.csv, line 9", "unknown country code 'QQ'"),
    ),
    (
        "crosswalk: ISO3 not in the countries table",
        lambda d: append(d / NAMES, "atlantis,ATL,a sunken island\n"),
        ("country_names.csv, line 14", "iso3 'ATL' is not in the countries table"),
    ),
    (
        "exclusion without a reason",
        lambda d: append(d / EXCLUDED, "atlantis,,\n"),
        ("country_names_excluded.csv, line 6", "'atlantis' is excluded without a reason"),
    ),
]


@pytest.mark.parametrize(("name", "mutate", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_measured_input_is_named_and_loses_nothing(
    datasets: Path, name: str, mutate: Mutation, expected: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(datasets)
    mutate(datasets)
    assert main(["--datasets", str(datasets)]) == 1
    message = capsys.readouterr().err
    for fragment in expected:
        assert fragment in message, f"{name}: {fragment!r} not in {message!r}"
    assert "previous datasets are unchanged" in message
    assert snapshot(datasets) == before
    assert not list(datasets.glob(".tidy-*"))
