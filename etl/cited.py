"""Reading typed-in CSV files with the line number of every row, so errors can name it."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from etl.errors import EtlError


def rows(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for each data row; every value stripped; unknown or missing columns rejected."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise EtlError(path, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
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
    try:
        value = float(text)
    except ValueError:
        raise EtlError(path, f"{column} {text!r} is not a number (use a dot for decimals)", line) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise EtlError(path, f"{column} {text!r} is not a finite number", line)
    return value
