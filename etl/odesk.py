"""oDesk's 2012 country dashboard → job types by worker country, and when each country's workers work.

Weekday codes: the dashboard's own pipeline (gg2d3 country-dashboard/data/combine.coffee, commit
3ea95f13 of 2012-06-19) turns the file's day d into (d + 6) mod 7 and labels that index with
["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] (js/watch.coffee, js/compare.coffee): so 0 is
Sunday. The file agrees: days 0 and 6 have the least activity of the week.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl.crosswalk import CountryNames
from etl.errors import EtlError
from etl.rawcsv import columns, decimal, number_column, rows, whole, whole_column

WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
HOURS = 24
# Tolerance when checking active ÷ sampled against the source's percent_activity, which the
# source rounds to 10 decimals (as it does active_contractors).
SHARE_TOLERANCE = 1e-9


def jobs(path: Path, names: CountryNames, source_id: str) -> pd.DataFrame:
    """Projects by worker country and job category, with the source's share of the country."""
    out = []
    seen: dict[tuple[str, int], int] = {}
    by_name = names.for_file(path)
    for line, row in rows(
        path, ("Country", "Related JobCategory", "Level1", "Level2", "projects", "percent")
    ):
        projects = whole(path, line, "projects", row["projects"])
        category = whole(path, line, "Related JobCategory", row["Related JobCategory"])
        share = decimal(path, line, "percent", row["percent"])
        if share is None or not 0 <= share <= 1:
            raise EtlError(path, f"percent {row['percent']!r} is not a share between 0 and 1", line)
        if not row["Level1"] or not row["Level2"]:
            raise EtlError(path, "the job category (Level1, Level2) is empty", line)
        iso3 = by_name(line, row["Country"], projects)
        if iso3 is None:
            continue
        if (iso3, category) in seen:
            raise EtlError(
                path,
                f"a second row for {iso3}, category {category} (first at line {seen[iso3, category]})",
                line,
            )
        seen[iso3, category] = line
        out.append(
            {
                "iso3": iso3,
                "category_id": category,
                "category": row["Level1"],
                "subcategory": row["Level2"],
                "projects": projects,
                "share_of_country_percent": 100 * share,
                "source_id": source_id,
            }
        )
    return pd.DataFrame(out).sort_values(["iso3", "category_id"]).reset_index(drop=True)


def activity(path: Path, names: CountryNames, source_id: str) -> pd.DataFrame:
    """Each worker country's week in UTC hours: 7 × 24 cells, the absent ones filled with 0 active.

    The file lists only cells where someone was active: no row has 0 active contractors (checked
    here, since the fill rests on it), so a missing cell is read as nobody active.
    """
    lines, cells = columns(
        path,
        (
            "active_contractors",
            "total_contractors",
            "percent_activity",
            "utc_dayoftheweek",
            "utc_hour",
            "country",
        ),
    )
    if not lines:
        raise EtlError(path, "no data rows")

    def fail(mask: np.ndarray, message: str) -> None:
        if mask.any():
            first = int(np.argmax(mask))
            raise EtlError(
                path, message.format(**{name: values[first] for name, values in cells.items()}), lines[first]
            )

    day = whole_column(path, lines, "utc_dayoftheweek", cells["utc_dayoftheweek"])
    fail(day >= len(WEEKDAYS), "utc_dayoftheweek {utc_dayoftheweek!r} is not a day 0–6")
    hour = whole_column(path, lines, "utc_hour", cells["utc_hour"])
    fail(hour >= HOURS, "utc_hour {utc_hour!r} is not an hour 0–23")
    active = number_column(path, lines, "active_contractors", cells["active_contractors"])
    fail(np.isnan(active) | (active < 0), "active_contractors {active_contractors!r} is not a number ≥ 0")
    fail(
        active == 0,
        "a row with 0 active contractors: the file does list empty cells, so the absent cells can no "
        "longer be read as 0 (revisit etl/odesk.py)",
    )
    total = whole_column(path, lines, "total_contractors", cells["total_contractors"])
    fail(
        (total == 0) | (active > total),
        "{active_contractors} active of {total_contractors} sampled contractors",
    )
    percent = number_column(path, lines, "percent_activity", cells["percent_activity"])
    with np.errstate(invalid="ignore"):
        off = ~(np.abs(active / total - percent) <= SHARE_TOLERANCE)
    fail(off, "percent_activity {percent_activity!r} is not active_contractors ÷ total_contractors")
    frame = pd.DataFrame(
        {
            "iso3": names.map_column(path, lines, cells["country"], total),
            "utc_weekday": day,
            "utc_hour": hour,
            "active_contractors": active,
            "sampled_contractors": total,
            "line": lines,
        }
    )
    frame = frame[frame["iso3"] != ""]
    sizes = frame.groupby("iso3")["sampled_contractors"].transform("first")
    if (sizes != frame["sampled_contractors"]).any():
        row = frame[sizes != frame["sampled_contractors"]].iloc[0]
        raise EtlError(
            path,
            f"total_contractors {row.sampled_contractors} for {row.iso3}, another number on its other rows: "
            "a country's sample is one number",
            int(row.line),
        )
    twice = frame.duplicated(["iso3", "utc_weekday", "utc_hour"])
    if twice.any():
        row = frame[twice].iloc[0]
        raise EtlError(
            path, f"a second row for {row.iso3}, day {row.utc_weekday}, hour {row.utc_hour}", int(row.line)
        )
    grid = pd.MultiIndex.from_product(
        [sorted(frame["iso3"].unique()), range(len(WEEKDAYS)), range(HOURS)],
        names=["iso3", "utc_weekday", "utc_hour"],
    )
    listed = frame.set_index(["iso3", "utc_weekday", "utc_hour"])
    out = listed.reindex(grid).reset_index()
    out["in_source"] = np.where(out["line"].notna(), "yes", "no")
    out["active_contractors"] = out["active_contractors"].fillna(0.0)
    out["sampled_contractors"] = out["iso3"].map(frame.groupby("iso3")["sampled_contractors"].first())
    out["share_active_percent"] = 100 * out["active_contractors"] / out["sampled_contractors"]
    out["weekday"] = np.asarray(WEEKDAYS, dtype=object)[out["utc_weekday"].to_numpy()]
    out["source_id"] = source_id
    return out[
        [
            "iso3",
            "utc_weekday",
            "weekday",
            "utc_hour",
            "active_contractors",
            "sampled_contractors",
            "share_active_percent",
            "in_source",
            "source_id",
        ]
    ]
