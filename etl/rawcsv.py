"""Reading third-party CSV files row by row, with the line of every row, so errors can name it.

Unlike the typed-in files of datasets/cited (etl/cited.py), raw files keep their publisher's
conventions: another delimiter, `NA` for missing, a nameless index column. The reader checks only
the shape (header, field count, quoting); each source module checks the values.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from etl.errors import EtlError


def table(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...] = (), delimiter: str = ","
) -> tuple[dict[str, int], Iterator[tuple[int, list[str]]]]:
    """The column positions, and (line, cells) for each data row.

    A missing or unknown column fails at line 1; a row of the wrong width fails at its line.
    """
    positions, reader, lines = _open(path, required, optional, delimiter)
    return positions, _records(path, reader, len(positions), lines)


def _open(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...], delimiter: str
) -> tuple[dict[str, int], Any, int]:
    """Column positions, a csv reader past the checked header, and the file's number of lines."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise EtlError(path, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    if not text.strip():
        raise EtlError(path, "the file is empty (a header row is required)")
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = [name.strip() for name in next(reader)]
    except csv.Error as error:
        raise EtlError(path, f"broken CSV: {error}", 1) from None
    missing = [name for name in required if name not in header]
    if missing:
        raise EtlError(path, f"missing column(s): {', '.join(repr(n) for n in missing)}", 1)
    unknown = [name for name in header if name not in required and name not in optional]
    if unknown:
        raise EtlError(path, f"unknown column(s): {', '.join(repr(n) for n in unknown)}", 1)
    if len(set(header)) != len(header):
        raise EtlError(path, "duplicate column names in the header", 1)
    return {name: index for index, name in enumerate(header)}, reader, len(lines)


def _records(path: Path, reader: Any, width: int, lines: int) -> Iterator[tuple[int, list[str]]]:
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise EtlError(path, f"broken CSV: {error} (is the file truncated?)", start) from None
        if len(record) != width:
            if not record or (len(record) == 1 and not record[0].strip()):
                continue
            hint = " (the file ends in this row: it looks truncated)" if reader.line_num == lines else ""
            raise EtlError(path, f"{len(record)} fields where the header has {width}{hint}", start)
        yield start, record


def rows(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...] = (), delimiter: str = ","
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for each data row, cells stripped: the convenient form, for small files."""
    columns, records = table(path, required, optional, delimiter)
    names = list(columns)
    for line, record in records:
        yield line, dict(zip(names, map(str.strip, record), strict=True))


def whole(path: Path, line: int, column: str, text: str) -> int:
    """A count: a whole number ≥ 0 (written `12` or `12.0`)."""
    if text.isascii() and text.isdigit():
        return int(text)
    value = decimal(path, line, column, text)
    if value is None:
        raise EtlError(path, f"{column} is empty (a count is required)", line)
    if value < 0:
        raise EtlError(path, f"{column} {text!r} is negative (a count must be ≥ 0)", line)
    if value != int(value):
        raise EtlError(path, f"{column} {text!r} is not a whole number", line)
    return int(value)


def decimal(path: Path, line: int, column: str, text: str, missing: tuple[str, ...] = ()) -> float | None:
    """A finite number; None for an empty cell or one of the source's `missing` markers (e.g. NA)."""
    if text == "" or text in missing:
        return None
    try:
        value = float(text)
    except ValueError:
        raise EtlError(path, f"{column} {text!r} is not a number", line) from None
    if not math.isfinite(value):
        raise EtlError(path, f"{column} {text!r} is not a finite number", line)
    return value


def columns(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...] = (), delimiter: str = ","
) -> tuple[list[int], dict[str, list[str]]]:
    """The lines of the data rows and the cells of each required column (optional ones are only
    checked for their presence), for checks over a whole column at once.

    Only the required cells are kept: holding every row's list made the garbage collector rescan
    tens of thousands of them, which cost more than reading the file.
    """
    positions, records = table(path, required, optional, delimiter)
    lines: list[int] = []
    kept: dict[str, list[str]] = {name: [] for name in required}
    appends = [(positions[name], kept[name].append) for name in required]
    for line, record in records:
        lines.append(line)
        for index, append in appends:
            append(record[index])
    return lines, kept


def whole_column(path: Path, lines: list[int], column: str, texts: list[str]) -> np.ndarray:
    """Counts of a whole column; the first bad cell fails as `whole` would, at its line."""
    values = _floats(path, lines, column, texts, ())
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(values) | (values < 0) | (values != np.floor(values))
    if bad.any():
        first = int(np.argmax(bad))
        whole(path, lines[first], column, texts[first])
        raise EtlError(path, f"{column} {texts[first]!r} is not a whole number ≥ 0", lines[first])
    return values.astype(np.int64)


def number_column(
    path: Path, lines: list[int], column: str, texts: list[str], missing: tuple[str, ...] = ()
) -> np.ndarray:
    """Finite numbers of a whole column, NaN for empty or `missing` cells; the first bad cell fails."""
    values = _floats(path, lines, column, texts, missing)
    absent = np.fromiter((text == "" or text in missing for text in texts), dtype=bool, count=len(texts))
    bad = ~absent & ~np.isfinite(values)
    if bad.any():
        first = int(np.argmax(bad))
        decimal(path, lines[first], column, texts[first], missing)
        raise EtlError(path, f"{column} {texts[first]!r} is not a finite number", lines[first])
    return values


def _floats(
    path: Path, lines: list[int], column: str, texts: list[str], missing: tuple[str, ...]
) -> np.ndarray:
    """The column as floats (NaN for empty or missing cells), parsed in one go; a cell that is no
    number fails at its line, with `decimal`'s message."""
    absent = ("", *missing)
    cells = [("nan" if text in absent else text) for text in texts] if missing or "" in texts else texts
    try:
        return np.array(cells, dtype=np.float64)
    except ValueError:
        for line, text in zip(lines, texts, strict=True):
            if text not in absent:
                decimal(path, line, column, text, missing)
        raise EtlError(path, f"{column}: a cell is not a number") from None
