"""Monthly means of the Online Labour Index (a third party's derivation) → one long table.

The file gives, per month, the mean of the OLI's daily index (May 2016 = 100) for all projects
(`Total`) and for seven occupations, which add up to the total.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from etl.errors import EtlError
from etl.oli import OCCUPATIONS
from etl.rawcsv import decimal, rows
from etl.reference import normalise_name

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])-01$")
TOTAL = "Total"
# The six occupations the dashboard already knows keep their ids (etl/oli.py); microwork is new.
CODES = {**OCCUPATIONS, "microwork": "microwork"}
# The seven occupations must add up to Total; the file's values carry about 16 digits.
SUM_TOLERANCE = 1e-6


def monthly(path: Path, source_id: str) -> pd.DataFrame:
    occupations = (
        "Clerical and data entry",
        "Creative and multimedia",
        "Microwork",
        "Professional services",
        "Sales and marketing support",
        "Software development and technology",
        "Writing and translation",
    )
    out = []
    seen: dict[str, int] = {}
    for line, row in rows(path, ("date", TOTAL, *occupations)):
        match = MONTH.match(row["date"])
        if match is None:
            raise EtlError(path, f"date {row['date']!r} is not a month YYYY-MM-01", line)
        month = f"{match.group(1)}-{match.group(2)}"
        if month in seen:
            raise EtlError(path, f"a second row for {month} (first at line {seen[month]})", line)
        seen[month] = line
        values: dict[str, float] = {}
        for column in (TOTAL, *occupations):
            value = decimal(path, line, column, row[column])
            if value is None or value < 0:
                raise EtlError(path, f"{column} {row[column]!r} is not an index value ≥ 0", line)
            values[column] = value
        parts = sum(values[column] for column in occupations)
        if abs(parts - values[TOTAL]) > SUM_TOLERANCE:
            raise EtlError(
                path, f"Total {row[TOTAL]} is not the sum of the seven occupations ({parts:.6f})", line
            )
        out.append({"month": month, "occupation": "total", "index_may2016_100": values[TOTAL]})
        out.extend(
            {"month": month, "occupation": CODES[normalise_name(column)], "index_may2016_100": values[column]}
            for column in occupations
        )
    frame = pd.DataFrame(out)
    frame["source_id"] = source_id
    return frame.sort_values(["month", "occupation"]).reset_index(drop=True)
