"""Country names and codes of the measured raw files → ISO3, through checked tables we keep.

The name index of etl/reference.py (CLDR, ISO and World Bank spellings plus NAME_ALIASES) maps
most names. The spellings it does not know, and the choices a reader should see (a territory the
files name oddly), sit in datasets/crosswalks/country_names.csv with a note. A name that is not
a country of the countries table, or cannot be given one, is listed with its reason in
country_names_excluded.csv (for every file, or for the one raw file named in its `file` column):
its rows are left out of the tables and still counted in every total.
Any other name fails the build, naming the file, the line and the name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from etl.cited import rows as typed_rows
from etl.errors import EtlError
from etl.reference import normalise_name

NAMES = "country_names.csv"
NAMES_EXCLUDED = "country_names_excluded.csv"
CODES = "iso2_codes.csv"
CODES_EXCLUDED = "iso2_codes_excluded.csv"


@dataclass
class Excluded:
    """What a build left out for a name: the reason, and (file, line, amount) of each row."""

    reason: str
    rows: list[tuple[str, int, float]] = field(default_factory=list)


@dataclass
class CountryNames:
    codes: dict[str, str]
    excluded: dict[str, str]
    # Exclusions that hold in one raw file only: (file name, name) → reason.
    excluded_in_file: dict[tuple[str, str], str]
    crosswalk: Path
    report: dict[tuple[str, str], Excluded] = field(default_factory=dict)

    def for_file(self, path: Path) -> Callable[[int, str, float], str | None]:
        """iso3(line, name, amount) for the rows of one file: the ISO3 of a name, or None when the
        name is excluded (the row is then recorded for the report); an unknown name fails."""
        file = path.name
        seen: dict[str, tuple[str, tuple[str, str] | None]] = {}

        def look_up(name: str) -> tuple[str, tuple[str, str] | None]:
            key = normalise_name(name)
            if (file, key) in self.excluded_in_file:
                return "", (file, key)
            if key in self.excluded:
                return "", ("", key)
            return self.codes.get(key, ""), None

        def iso3(line: int, name: str, amount: float = 0) -> str | None:
            known = seen.get(name)
            if known is None:
                known = seen[name] = look_up(name)
            code, exclusion = known
            if exclusion is not None:
                reason = self.excluded_in_file[exclusion] if exclusion[0] else self.excluded[exclusion[1]]
                self.report.setdefault(exclusion, Excluded(reason)).rows.append((file, line, amount))
                return None
            if not code:
                raise EtlError(
                    path,
                    f"unknown country name {name!r}: add it to {self.crosswalk} (name, iso3, note) "
                    f"or to {self.crosswalk.with_name(NAMES_EXCLUDED)} (name, reason)",
                    line,
                )
            return code

        return iso3

    def map_column(
        self, path: Path, lines: list[int], names: list[str], amounts: Sequence[float] | np.ndarray
    ) -> list[str]:
        """ISO3 of each row's name, "" for an excluded one (recorded); the first unknown name fails."""
        iso3 = self.for_file(path)
        codes: dict[str, str] = {}
        excluded: set[str] = set()
        for name in dict.fromkeys(names):
            if self.is_excluded(path, name):
                excluded.add(name)
                continue
            try:
                codes[name] = iso3(0, name, 0.0) or ""
            except EtlError:
                iso3(lines[names.index(name)], name, 0.0)  # fails again, at the name's first line
                raise
        if excluded:
            for index, name in enumerate(names):
                if name in excluded:
                    iso3(lines[index], name, float(amounts[index]))
        return [codes.get(name, "") for name in names]

    def is_excluded(self, path: Path, name: str) -> bool:
        key = normalise_name(name)
        return (path.name, key) in self.excluded_in_file or key in self.excluded


@dataclass
class CountryCodes:
    """ISO 3166-1 alpha-2 → ISO3; `unknown` codes are kept as rows without a country."""

    codes: dict[str, str]
    unknown: dict[str, str]
    excluded: dict[str, str]
    crosswalk: Path

    def iso3(self, path: Path, line: int, code: str) -> str | None:
        """ISO3, '' for a code the crosswalk keeps as unknown, None for an excluded code."""
        if code in self.excluded:
            return None
        if code in self.unknown:
            return ""
        iso3 = self.codes.get(code)
        if iso3 is None:
            raise EtlError(path, f"unknown country code {code!r}: add it to {self.crosswalk}", line)
        return iso3


def _exclusions(path: Path, column: str) -> dict[tuple[str, str], str]:
    """(file, key) → reason; file is '' for an exclusion that holds in every raw file."""
    out: dict[tuple[str, str], str] = {}
    for line, row in typed_rows(path, (column, "reason"), ("file",)):
        key = normalise_name(row[column]) if column == "name" else row[column]
        scope = row.get("file", "")
        if not row["reason"]:
            raise EtlError(path, f"{row[column]!r} is excluded without a reason", line)
        if (scope, key) in out:
            raise EtlError(path, f"{row[column]!r} is listed twice", line)
        out[scope, key] = row["reason"]
    return out


def country_names(folder: Path, index: dict[str, str], iso3: frozenset[str]) -> CountryNames:
    """The name index, checked and completed by the crosswalk; exclusions win over the index."""
    path = folder / NAMES
    scoped = _exclusions(folder / NAMES_EXCLUDED, "name")
    excluded = {key: reason for (scope, key), reason in scoped.items() if not scope}
    in_file = {(scope, key): reason for (scope, key), reason in scoped.items() if scope}
    codes = {name: code for name, code in index.items() if code in iso3}
    seen: set[str] = set()
    for line, row in typed_rows(path, ("name", "iso3", "note")):
        key = normalise_name(row["name"])
        if key in seen:
            raise EtlError(path, f"name {row['name']!r} is listed twice", line)
        seen.add(key)
        if row["iso3"] not in iso3:
            raise EtlError(path, f"iso3 {row['iso3']!r} is not in the countries table", line)
        if key in excluded:
            raise EtlError(path, f"name {row['name']!r} is also in {NAMES_EXCLUDED}", line)
        codes[key] = row["iso3"]
    for key in excluded:
        codes.pop(key, None)
    return CountryNames(codes, excluded, in_file, path)


def country_codes(folder: Path, iso2_to_iso3: dict[str, str], iso3: frozenset[str]) -> CountryCodes:
    path = folder / CODES
    excluded = {key: reason for (_, key), reason in _exclusions(folder / CODES_EXCLUDED, "code").items()}
    codes = dict(iso2_to_iso3)
    unknown: dict[str, str] = {}
    for line, row in typed_rows(path, ("code", "iso3", "note")):
        code = row["code"]
        if code in codes and codes[code] != row["iso3"]:
            raise EtlError(path, f"code {code!r} is {codes[code]} in the countries table", line)
        if code in excluded:
            raise EtlError(path, f"code {code!r} is also in {CODES_EXCLUDED}", line)
        if row["iso3"] == "":
            unknown[code] = row["note"]
        elif row["iso3"] not in iso3:
            raise EtlError(path, f"iso3 {row['iso3']!r} is not in the countries table", line)
        else:
            codes[code] = row["iso3"]
    return CountryCodes(codes, unknown, excluded, path)
