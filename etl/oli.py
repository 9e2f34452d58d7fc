"""Online Labour Index files → demand by employer country, and the 2020 worker sample."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.cited import count, date, rows
from etl.errors import EtlError
from etl.reference import normalise_name

# One id per OLI occupation; the 2017 snapshot and the 2020 sample spell them differently.
OCCUPATIONS = {
    "clerical and data entry": "clerical_data_entry",
    "creative and multimedia": "creative_multimedia",
    "professional services": "professional_services",
    "sales and marketing support": "sales_marketing",
    "sales and marketing": "sales_marketing",
    "software development and technology": "software_technology",
    "software and technology": "software_technology",
    "writing and translation": "writing_translation",
    "all occupations": "all",
}


def occupation_id(path: Path, line: int, name: str) -> str:
    key = normalise_name(name)
    if key not in OCCUPATIONS:
        raise EtlError(path, f"unknown OLI occupation {name!r}", line)
    return OCCUPATIONS[key]


def country_code(path: Path, line: int, name: str, index: dict[str, str]) -> str:
    code = index.get(normalise_name(name))
    if code is None:
        raise EtlError(path, f"unknown country name {name!r} (add it to etl/reference.py NAME_ALIASES)", line)
    return code


def demand(path: Path, index: dict[str, str], source_id: str) -> pd.DataFrame:
    """Vacancies by employer country and occupation on the snapshot date, with shares."""
    out = []
    for line, row in rows(path, ("timestamp", "country", "country_group", "occupation", "count")):
        out.append(
            {
                "snapshot_date": date(path, line, "timestamp", row["timestamp"]),
                "iso3": country_code(path, line, row["country"], index),
                "oli_country_name": row["country"],
                "occupation": occupation_id(path, line, row["occupation"]),
                "vacancies": count(path, line, "count", row["count"]),
            }
        )
    if not out:
        raise EtlError(path, "no data rows under the header")
    frame = pd.DataFrame(out)
    # The OLI file spells one country two ways on separate rows ("Moldova" and "Republic of
    # Moldova"): the same employers' country, so the rows are added, both spellings kept.
    frame = frame.groupby(["snapshot_date", "iso3", "occupation"], as_index=False).agg(
        oli_country_name=("oli_country_name", lambda s: " | ".join(sorted(set(s)))),
        vacancies=("vacancies", "sum"),
    )
    if frame["snapshot_date"].nunique() != 1:
        raise EtlError(path, "expected one snapshot date")
    total = frame["vacancies"].sum()
    by_occupation = frame.groupby("occupation")["vacancies"].transform("sum")
    frame["share_of_all_vacancies_percent"] = (100 * frame["vacancies"] / total).round(4)
    frame["share_within_occupation_percent"] = (100 * frame["vacancies"] / by_occupation).round(4)
    frame["source_id"] = source_id
    return frame.sort_values(["iso3", "occupation"]).reset_index(drop=True)


def worker_sample(path: Path, index: dict[str, str], source_id: str) -> pd.DataFrame:
    out = []
    for line, row in rows(path, ("country", "occupation", "gender", "count")):
        profiles = count(path, line, "count", row["count"])
        if row["gender"] not in {"female", "male", "unknown"}:
            raise EtlError(path, f"unknown gender value {row['gender']!r}", line)
        out.append(
            {
                "iso3": country_code(path, line, row["country"], index),
                "occupation": occupation_id(path, line, row["occupation"]),
                "gender": row["gender"],
                "profiles": profiles,
            }
        )
    if not out:
        raise EtlError(path, "no data rows under the header")
    frame = pd.DataFrame(out)
    if frame.duplicated(["iso3", "occupation", "gender"]).any():
        dup = frame[frame.duplicated(["iso3", "occupation", "gender"], keep=False)].iloc[0]
        raise EtlError(path, f"two rows for {dup.iso3} / {dup.occupation} / {dup.gender}")
    frame["source_id"] = source_id
    return frame.sort_values(["iso3", "occupation", "gender"]).reset_index(drop=True)
