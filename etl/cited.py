"""Reading typed-in CSV files with the line number of every row, so errors can name it, and the
checks of a single cell (a number, a count, a year, a calendar date) shared by every reader."""

from __future__ import annotations

import calendar
import csv
import re
from collections.abc import Iterator
from pathlib import Path

from etl.errors import EtlError
from etl.units import FIRST_YEAR, LAST_YEAR

DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def rows(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for each data row; every value stripped; unknown or missing columns rejected."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise EtlError(path, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    except (FileNotFoundError, IsADirectoryError):
        raise EtlError(path, "the file is missing") from None
    if not text.strip():
        raise EtlError(path, "the file is empty (a header row is required)")
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = [name.strip() for name in next(reader)]
    except csv.Error as error:
        raise EtlError(path, f"broken CSV: {error}", 1) from None
    missing = [name for name in required if name not in header]
    if missing:
        raise EtlError(path, f"missing column(s): {', '.join(missing)}", 1)
    unknown = [name for name in header if name not in required and name not in optional]
    if unknown:
        raise EtlError(path, f"unknown column(s): {', '.join(unknown)}", 1)
    if len(set(header)) != len(header):
        raise EtlError(path, "duplicate column names in the header", 1)
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise EtlError(path, f"broken CSV: {error}", start) from None
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise EtlError(path, f"{len(record)} fields where the header has {len(header)}", start)
        yield start, {name: cell.strip() for name, cell in zip(header, record, strict=True)}


def number(path: Path, line: int, column: str, text: str) -> float | None:
    if text == "":
        return None
    if "_" in text:  # Python would read 1_000 as 1000; a typed number has no underscore
        raise EtlError(path, f"{column} {text!r} is not a number (plain digits and a dot)", line)
    try:
        value = float(text)
    except ValueError:
        raise EtlError(path, f"{column} {text!r} is not a number (use a dot for decimals)", line) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise EtlError(path, f"{column} {text!r} is not a finite number", line)
    return value


def count(path: Path, line: int, column: str, text: str) -> int:
    """A whole number ≥ 0 (vacancies, profiles, a rank's position…), required."""
    value = number(path, line, column, text)
    if value is None or value < 0 or value != int(value):
        raise EtlError(path, f"{column} {text!r} is not a whole number ≥ 0", line)
    return int(value)


def year(path: Path, line: int, column: str, text: str) -> int:
    """A year between FIRST_YEAR and LAST_YEAR (etl/units.py), required."""
    value = number(path, line, column, text)
    if value is None or value != int(value):
        raise EtlError(path, f"{column} {text!r} is not a year", line)
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise EtlError(path, f"{column} {text!r} is not a plausible year ({FIRST_YEAR}–{LAST_YEAR})", line)
    return int(value)


def date_problem(text: str) -> str | None:
    """Why `text` is not a real calendar date written YYYY, YYYY-MM or YYYY-MM-DD, or None."""
    match = DATE.match(text)
    if not match:
        return "is not YYYY[-MM[-DD]]"
    year_text, month_text, day_text = match.groups()
    if not FIRST_YEAR <= int(year_text) <= LAST_YEAR:
        return f"has an implausible year (not {FIRST_YEAR}–{LAST_YEAR})"
    if month_text is not None and not 1 <= int(month_text) <= 12:
        return f"has no month {month_text}"
    if day_text is not None:
        days = calendar.monthrange(int(year_text), int(month_text))[1]
        if not 1 <= int(day_text) <= days:
            return f"is not a calendar date ({year_text}-{month_text} has {days} days)"
    return None


def date(path: Path, line: int, column: str, text: str) -> str:
    """A real calendar date YYYY[-MM[-DD]], required; returned as typed."""
    problem = date_problem(text)
    if problem:
        raise EtlError(path, f"{column} {text!r} {problem}", line)
    return text
