"""Qualitative facts typed in from the seeds: country mentions, platforms, platform types."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from etl.cited import count, date, number, rows, year
from etl.errors import EtlError
from etl.sources import Source

ROLES = frozenset(
    {
        "micro_task_seller",
        "micro_task_buyer",
        "click_farm",
        "content_moderation",
        "translation_work",
        "crowdworker_origin",
        "other",
    }
)
TYPES = frozenset({"on_demand", "micro_work", "internet_of_things", "social"})

MENTION_COLUMNS = (
    "mention_id",
    "source_id",
    "secondary_of",
    "country_iso3",
    "role",
    "quote",
    "locator",
    "note",
)
PLATFORM_COLUMNS = (
    "platform_id",
    "name",
    "aliases",
    "owner",
    "hq_country_iso3",
    "casilli_type",
    "launched",
    "source_id",
    "quote",
    "locator",
    "note",
)
TYPE_COLUMNS = ("type_id", "rank", "label_en", "label_fr", "examples", "source_id", "quote", "locator")


def _check_source(
    path: Path, line: int, sources: dict[str, Source], row: dict[str, str], *names: str
) -> None:
    for name in names:
        value = row.get(name, "")
        if (name == "source_id" or value) and value not in sources:
            raise EtlError(path, f"unknown source_id {value!r} in {name}", line)
    if not row.get("quote"):
        raise EtlError(path, "missing quote", line)


def _unique(path: Path, line: int, seen: set[str], key: str) -> None:
    if key in seen:
        raise EtlError(path, f"duplicate id {key!r}", line)
    seen.add(key)


def mentions(path: Path, sources: dict[str, Source], iso3: frozenset[str]) -> pd.DataFrame:
    out: list[Mapping[str, object]] = []
    seen: set[str] = set()
    for line, row in rows(path, MENTION_COLUMNS):
        _unique(path, line, seen, row["mention_id"])
        _check_source(path, line, sources, row, "source_id", "secondary_of")
        if row["country_iso3"] not in iso3:
            raise EtlError(path, f"unknown country code {row['country_iso3']!r}", line)
        if row["role"] not in ROLES:
            raise EtlError(path, f"unknown role {row['role']!r}", line)
        out.append(row)
    return pd.DataFrame(out, columns=list(MENTION_COLUMNS)).sort_values("mention_id").reset_index(drop=True)


def platforms(path: Path, sources: dict[str, Source], iso3: frozenset[str]) -> pd.DataFrame:
    out: list[Mapping[str, object]] = []
    seen: set[str] = set()
    for line, row in rows(path, PLATFORM_COLUMNS):
        _unique(path, line, seen, row["platform_id"])
        _check_source(path, line, sources, row, "source_id")
        if row["hq_country_iso3"] and row["hq_country_iso3"] not in iso3:
            raise EtlError(path, f"unknown country code {row['hq_country_iso3']!r}", line)
        if row["casilli_type"] and row["casilli_type"] not in TYPES:
            raise EtlError(path, f"unknown casilli_type {row['casilli_type']!r}", line)
        if row["launched"]:
            year(path, line, "launched", row["launched"])
        out.append(row)
    return pd.DataFrame(out, columns=list(PLATFORM_COLUMNS)).sort_values("platform_id").reset_index(drop=True)


def platform_types(path: Path, sources: dict[str, Source]) -> pd.DataFrame:
    out: list[Mapping[str, object]] = []
    seen: set[str] = set()
    for line, row in rows(path, TYPE_COLUMNS):
        _unique(path, line, seen, row["type_id"])
        _check_source(path, line, sources, row, "source_id")
        if row["type_id"] not in TYPES:
            raise EtlError(path, f"unknown type_id {row['type_id']!r}", line)
        rank = count(path, line, "rank", row["rank"])
        if rank < 1:
            raise EtlError(path, f"rank {row['rank']!r} is below 1", line)
        out.append({**row, "rank": rank})
    frame = pd.DataFrame(out, columns=list(TYPE_COLUMNS))
    return frame.sort_values("rank").reset_index(drop=True)


def minimum_wage_leads(
    path: Path, sources: dict[str, Source], iso3: frozenset[str], currencies: frozenset[str]
) -> pd.DataFrame:
    columns = (
        "wage_id",
        "source_id",
        "country_iso3",
        "scope",
        "amount",
        "currency",
        "per",
        "effective",
        "quote",
        "locator",
        "note",
    )
    out: list[Mapping[str, object]] = []
    seen: set[str] = set()
    for line, row in rows(path, columns):
        _unique(path, line, seen, row["wage_id"])
        _check_source(path, line, sources, row, "source_id")
        if row["country_iso3"] not in iso3:
            raise EtlError(path, f"unknown country code {row['country_iso3']!r}", line)
        if row["currency"] not in currencies:
            raise EtlError(path, f"unknown currency {row['currency']!r}", line)
        if row["per"] not in {"hour", "day", "month"}:
            raise EtlError(path, f"unknown period {row['per']!r} (hour, day or month)", line)
        amount = number(path, line, "amount", row["amount"])
        if amount is None:
            raise EtlError(path, "missing amount", line)
        if amount <= 0:  # etl/units.py: a minimum wage is above zero
            raise EtlError(path, f"amount {row['amount']!r} is not a minimum wage (must be above 0)", line)
        if row["effective"]:
            date(path, line, "effective", row["effective"])
        out.append({**row, "amount": amount})
    return pd.DataFrame(out, columns=list(columns)).sort_values("wage_id").reset_index(drop=True)
