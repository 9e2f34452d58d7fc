"""The date of a chart's newest data point, said at the end of its source line (issue 23): "Newest
data: August 2024". In the app, the classroom pack, a lesson's slides and the embed images alike,
since all of them write the source line (components.source_line).

Where the date comes from, in this order:
- a date given by the page (a chart drawn without a table, such as the flow map: its year);
- cited figures (rows with `figure_kind`): the latest `year` that is not a forecast's target (2050
  is not data); when that year is the publication's (`year_basis` = publication), the line says
  "published in", since the figure's own period is not stated;
- the table's own dates, the most precise first: `snapshot_date` (a day), `month`, `date` (a day),
  `last_year`, `year`;
- none of those: the newest `date_published` of the rows' sources, said as such ("date of the data
  not stated; source published on …"), never passed off as the data's date.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from babel.dates import format_date

from dashboard import data, i18n
from dashboard.i18n import t

# A table's date columns, the most precise first, each with the precision of its values.
COLUMNS = (
    ("snapshot_date", "day"),
    ("month", "month"),
    ("date", "day"),
    ("last_year", "year"),
    ("year", "year"),
)
_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def when(value: str) -> str:
    """An ISO date, year-month or year ("2017-04-11", "2024-08", "2015") in the reader's words:
    "11 April 2017", "August 2024", "2015" (French: "11 avril 2017", "août 2024")."""
    found = _ISO.match(value.strip())
    if not found:
        return value
    year, month, day = found.groups()
    if day:
        return format_date(dt.date(int(year), int(month), int(day)), "d MMMM y", locale=i18n.locale())
    if month:
        return format_date(dt.date(int(year), int(month), 1), "LLLL y", locale=i18n.locale())
    return year


def _latest(values: pd.Series, precision: str) -> str:
    shown = values.dropna()
    if precision == "year":
        numbers = pd.to_numeric(shown, errors="coerce").dropna()
        return str(int(numbers.max())) if len(numbers) else ""
    text = shown.astype(str).str.strip()
    text = text[text.str.match(r"^\d{4}")]
    return str(text.max())[: {"day": 10, "month": 7}[precision]] if len(text) else ""


def _of_figures(frame: pd.DataFrame) -> str:
    rows = frame[frame["figure_kind"].astype(str) != "forecast"] if "figure_kind" in frame else frame
    years = pd.to_numeric(rows["year"], errors="coerce")
    if not years.notna().any():
        return ""
    top = int(years.max())
    bases = set(rows.loc[years == top, "year_basis"].astype(str)) if "year_basis" in rows else set()
    if bases == {"publication"}:
        return t("common.newest_published", date=str(top))
    return t("common.newest", date=str(top))


def _of_sources(source_ids: list[str]) -> str:
    sources = data.table("sources").set_index("source_id")
    dates = [str(sources.at[s, "date_published"]) for s in source_ids if s in sources.index]
    dates = [d for d in dates if _ISO.match(d)]
    if not dates:
        return ""
    latest = max(dates, key=lambda d: (d[:4], d[5:7] or "00", d[8:10] or "00"))
    return t("common.newest_not_stated", date=when(latest))


def sentence(frame: pd.DataFrame | None, source_ids: list[str], given: str = "") -> str:
    """The "Newest data: …" sentence for a chart of `frame` (its rows) from `source_ids`; `given`:
    the date the page states (ISO), for a chart drawn without its table. "" when nothing says."""
    if given:
        return t("common.newest", date=when(given))
    if frame is not None and len(frame):
        if "figure_kind" in frame and "year" in frame:
            return _of_figures(frame)
        for column, precision in COLUMNS:
            if column in frame:
                latest = _latest(frame[column], precision)
                if latest:
                    return t("common.newest", date=when(latest))
    return _of_sources(source_ids) if source_ids else ""
