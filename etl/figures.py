"""Figures typed in from publications → the tidy `figures` table, normalised by code."""

from __future__ import annotations

import calendar
import re
from pathlib import Path

import pandas as pd

from etl import units
from etl.cited import date_problem, number, rows
from etl.errors import EtlError
from etl.money import CPI_BASE_YEAR, Rates
from etl.sources import LANGUAGES, Source

REQUIRED = (
    "figure_id",
    "topic",
    "metric",
    "label_en",
    "label_fr",
    "quote",
    "locator",
    "value",
    "value_low",
    "value_high",
    "qualifier",
    "unit",
    "period",
    "country_iso3",
    "platform",
    "secondary_of",
)
OPTIONAL = (
    "scale",
    "seconds_per_unit",
    "note",
    "figure_kind",
    "population_en",
    "population_fr",
    "quote_language",
    "quote_en",
    "caveat_en",
    "caveat_fr",
    "words_en",
    "words_fr",
)
# Typed by us for the reader, in both languages or in neither.
PAIRS = (("population_en", "population_fr"), ("caveat_en", "caveat_fr"), ("words_en", "words_fr"))
# A caveat is one or two short sentences shown with the figure; the whole story goes in `note`.
CAVEAT_MAX = 320
DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
PERIOD = re.compile(rf"^({DATE})(?:[-/–]({DATE}))?$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

COLUMNS = [
    "figure_id",
    "source_id",
    "secondary_of",
    "topic",
    "metric",
    "label_en",
    "label_fr",
    "quote",
    "locator",
    "value",
    "value_low",
    "value_high",
    "scale",
    "qualifier",
    "unit",
    "currency",
    "per",
    "period",
    "year",
    "year_basis",
    "country_iso3",
    "platform",
    "seconds_per_unit",
    "note",
    "figure_kind",
    "population_en",
    "population_fr",
    "quote_language",
    "quote_en",
    "caveat_en",
    "caveat_fr",
    "words_en",
    "words_fr",
    "unit_normalised",
    "value_normalised",
    "low_normalised",
    "high_normalised",
    "value_usd_nominal",
    "low_usd_nominal",
    "high_usd_nominal",
    "value_usd_constant",
    "low_usd_constant",
    "high_usd_constant",
    "usd_per_hour",
    "usd_per_hour_low",
    "usd_per_hour_high",
    "conversion",
]
HOURLY = {"hour": 1.0, "minute": 60.0}
# Numbers as printed: French "10 379", "0,75", "15millions"; English "10,379", "0.75".
NUMBER = {
    "fr": re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?"),
    "en": re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?"),
}


def numbers(text: str, language: str) -> list[float]:
    """The numbers written in digits in `text`, read with `language`'s separators, in order."""
    found = []
    for match in NUMBER[language].finditer(text):
        digits = re.sub(r"[ \u00a0\u202f]", "", match.group())
        digits = digits.replace(",", ".") if language == "fr" else digits.replace(",", "")
        found.append(float(digits))
    return found


def _year(path: Path, line: int, period: str, published: str) -> tuple[int | None, str]:
    """The year a figure is converted at: its period's first year, else its publication's."""
    if not period:
        return (int(published[:4]), "publication") if published else (None, "publication")
    match = PERIOD.match(period)
    if not match:
        raise EtlError(
            path,
            f"period {period!r} is not YYYY[-MM[-DD]], optionally followed by -, / or – and a second date",
            line,
        )
    start, end = match.group(1), match.group(2)
    for text in (start, end):
        problem = date_problem(text) if text else None
        if problem:
            raise EtlError(path, f"period {period!r}: {text!r} {problem}", line)
    if end and _first_day(start) > _last_day(end):
        raise EtlError(path, f"period {period!r} ends before it starts", line)
    return int(start[:4]), "period"


def _first_day(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("-")) + (1,) * (3 - text.count("-") - 1)


def _last_day(text: str) -> tuple[int, ...]:
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 1:
        parts.append(12)
    if len(parts) == 2:
        parts.append(calendar.monthrange(parts[0], parts[1])[1])
    return tuple(parts)


def _check_values(path: Path, line: int, row: dict[str, str], unit: units.Unit, scale: str) -> None:
    """Each number against what its unit admits (etl/units.py): no negative count, no share over 100."""
    factor = units.SCALES[scale] * unit.factor
    for column in ("value", "value_low", "value_high"):
        value = number(path, line, column, row[column])
        problem = None if value is None else units.out_of_range(unit, row["metric"], value * factor)
        if problem:
            raise EtlError(path, f"{column} {row[column]!r} {row['unit']} {problem}", line)
    seconds = number(path, line, "seconds_per_unit", row.get("seconds_per_unit", ""))
    if seconds is not None and seconds <= 0:
        raise EtlError(path, f"seconds_per_unit {row['seconds_per_unit']!r} is not a duration above 0", line)


def _check_reader_text(
    path: Path,
    line: int,
    row: dict[str, str],
    unit: units.Unit,
    source: Source,
    value: float | None,
    low: float | None,
    high: float | None,
) -> str:
    """What the reader is shown beside the number: its kind, its population, an English translation
    of a quote that is not in English, a caveat, and the words of a figure that has no number.
    Returns the quote's language."""
    fid = row["figure_id"]
    kind = row.get("figure_kind", "")
    if kind not in units.FIGURE_KINDS:
        known = ", ".join(units.FIGURE_KINDS)
        problem = "has no figure_kind" if not kind else f"has an unknown figure_kind {kind!r}"
        raise EtlError(path, f"figure {fid!r} {problem} (one of: {known})", line)
    for english, french in PAIRS:
        if bool(row.get(english, "")) != bool(row.get(french, "")):
            typed, empty = (english, french) if row.get(english, "") else (french, english)
            raise EtlError(path, f"figure {fid!r} has {typed} but no {empty}: type both or neither", line)
    population = (row.get("population_en", ""), row.get("population_fr", ""))
    if units.needs_population(unit) and not population[0]:
        raise EtlError(
            path,
            f"figure {fid!r} is in {unit.typed} but has no population_en/population_fr (whose "
            f"{unit.typed}, on which platform?); type {units.NOT_STATED['en']!r} / "
            f"{units.NOT_STATED['fr']!r} when the text does not say",
            line,
        )
    said = [text == units.NOT_STATED[lang] for text, lang in zip(population, ("en", "fr"), strict=True)]
    if population[0] and said[0] != said[1]:
        raise EtlError(
            path,
            f"figure {fid!r}: population_en {population[0]!r} and population_fr {population[1]!r} "
            f"disagree on whether the text states it ({units.NOT_STATED['en']!r} / "
            f"{units.NOT_STATED['fr']!r})",
            line,
        )
    language = row.get("quote_language", "") or source.fields.get("language", "")
    if language not in LANGUAGES:
        raise EtlError(
            path, f"quote_language {language!r} is not one of {', '.join(sorted(LANGUAGES))}", line
        )
    translation = row.get("quote_en", "")
    if language != "en" and not translation:
        raise EtlError(
            path,
            f"figure {fid!r}: the quote is in {language!r} and has no quote_en (our English translation)",
            line,
        )
    if language == "en" and translation:
        raise EtlError(path, f"figure {fid!r}: quote_en is typed but the quote is already in English", line)
    if language in NUMBER and translation:
        stated, translated = numbers(row["quote"], language), numbers(translation, "en")
        if sorted(stated) != sorted(translated):
            raise EtlError(
                path,
                f"figure {fid!r}: quote_en must keep the quote's numbers as they are "
                f"(quote {[f'{n:g}' for n in stated]}, quote_en {[f'{n:g}' for n in translated]})",
                line,
            )
    for column in ("caveat_en", "caveat_fr"):
        if len(row.get(column, "")) > CAVEAT_MAX:
            raise EtlError(
                path,
                f"figure {fid!r}: {column} has {len(row[column])} characters; a caveat is shown on "
                f"screen and stays under {CAVEAT_MAX} (the whole story goes in note)",
                line,
            )
    if row["qualifier"] == units.SEVERAL:
        if value is not None or low is None or high is None:
            raise EtlError(
                path,
                f"figure {fid!r}: qualifier several needs an empty value and value_low and value_high "
                "(our reading of the words)",
                line,
            )
        if low > high:
            raise EtlError(path, f"value_low {low} is above value_high {high}", line)
        if not row.get("caveat_en", ""):
            raise EtlError(
                path,
                f"figure {fid!r}: qualifier several needs a caveat saying value_low–value_high is our reading",
                line,
            )
    no_number = value is None and row["qualifier"] != "range"
    if no_number and not row.get("words_en", ""):
        raise EtlError(
            path,
            f"figure {fid!r} has no number: type the words the text gives (words_en/words_fr, "
            "e.g. 'several hundred million workers', 'a few cents')",
            line,
        )
    return language


def read(
    directory: Path,
    sources: dict[str, Source],
    iso3: frozenset[str],
    platforms: frozenset[str],
    currencies: frozenset[str],
) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    seen: dict[str, str] = {}
    files = sorted(directory.glob("*.csv"))
    if not files:
        raise EtlError(directory, "no cited figure files (*.csv)")
    for path in files:
        source_id = path.stem
        if source_id not in sources:
            raise EtlError(path, f"file name {source_id!r} is not a source_id in datasets/sources/")
        for line, row in rows(path, REQUIRED, OPTIONAL):
            fid = row["figure_id"]
            if not SLUG.match(fid):
                raise EtlError(path, f"figure_id {fid!r} is not a slug", line)
            if fid in seen:
                raise EtlError(path, f"duplicate figure_id {fid!r} (first in {seen[fid]})", line)
            seen[fid] = f"{path.name}, line {line}"
            if not row["quote"]:
                raise EtlError(path, f"figure {fid!r} has no quote", line)
            if row["topic"] not in units.TOPICS:
                raise EtlError(path, f"unknown topic {row['topic']!r}", line)
            if row["qualifier"] not in units.QUALIFIERS:
                raise EtlError(path, f"unknown qualifier {row['qualifier']!r}", line)
            scale = row.get("scale", "")
            if scale not in units.SCALES:
                raise EtlError(path, f"unknown scale {scale!r}", line)
            try:
                unit = units.parse(row["unit"], currencies)
            except ValueError as error:
                raise EtlError(path, str(error), line) from None
            _check_values(path, line, row, unit, scale)
            if row["secondary_of"] and row["secondary_of"] not in sources:
                raise EtlError(path, f"unknown source_id {row['secondary_of']!r} in secondary_of", line)
            if row["country_iso3"] and row["country_iso3"] not in iso3:
                raise EtlError(path, f"unknown country code {row['country_iso3']!r}", line)
            if row["platform"] and row["platform"] not in platforms:
                raise EtlError(path, f"unknown platform {row['platform']!r} (not in platforms.csv)", line)
            value = number(path, line, "value", row["value"])
            low = number(path, line, "value_low", row["value_low"])
            high = number(path, line, "value_high", row["value_high"])
            if row["qualifier"] == "range":
                if low is None or high is None or value is not None:
                    raise EtlError(path, "a range needs value_low and value_high and an empty value", line)
                if low > high:
                    raise EtlError(path, f"value_low {low} is above value_high {high}", line)
            elif value is None and row["qualifier"] != units.SEVERAL and not row.get("note"):
                raise EtlError(
                    path,
                    f"figure {fid!r} has no value (a figure with no number needs a note saying why)",
                    line,
                )
            language = _check_reader_text(path, line, row, unit, sources[source_id], value, low, high)
            seconds = number(path, line, "seconds_per_unit", row.get("seconds_per_unit", ""))
            year, basis = _year(
                path, line, row["period"], sources[source_id].fields.get("date_published", "")
            )
            out.append(
                {
                    **{name: row[name] for name in REQUIRED},
                    "source_id": source_id,
                    "scale": scale or "one",
                    "note": row.get("note", ""),
                    **{name: row.get(name, "") for name in OPTIONAL[3:]},
                    "quote_language": language,
                    "_unit": unit,
                    "year": year,
                    "year_basis": basis,
                    "value": value,
                    "value_low": low,
                    "value_high": high,
                    "seconds_per_unit": seconds,
                }
            )
    return out


def normalise(records: list[dict[str, object]], rates: Rates) -> pd.DataFrame:
    """Scale, cents, currency, price level and hourly rate, each by code and said in `conversion`."""
    rows_out = []
    for record in records:
        unit: units.Unit = record.pop("_unit")  # type: ignore[assignment]
        year = record["year"]
        factor = units.SCALES[str(record["scale"])] * unit.factor
        triple = [record["value"], record["value_low"], record["value_high"]]
        normalised = [None if v is None else float(v) * factor for v in triple]  # type: ignore[arg-type]
        nominal: list[float | None] = [None, None, None]
        constant: list[float | None] = [None, None, None]
        hourly: list[float | None] = [None, None, None]
        # What the text's own notation implies (cents, scale words) is said plainly; every value we
        # compute (a currency conversion, constant dollars, an hourly rate, our reading of words) is
        # marked "ours:".
        notes = []
        if unit.factor != 1.0:
            notes.append("cents ÷ 100")
        if record["scale"] != "one":
            notes.append(f"× {record['scale']}")
        if record["qualifier"] == units.SEVERAL:
            scale = "" if record["scale"] == "one" else f" {record['scale']}"
            notes.append(
                f"ours: value_low–value_high ({record['value_low']:g}–{record['value_high']:g}{scale}) is "
                f"our reading of the words « {record['words_en']} » (two to nine of the unit they name)"
            )
        if unit.kind == "money" and year is None:
            notes.append("no year (undated page, no period): not converted")
        elif unit.kind == "money":
            assert isinstance(year, int)
            rate = rates.usd_rate(unit.currency, year)
            if rate is None:
                notes.append(f"no {unit.currency} rate for {year}: not converted")
            else:
                nominal = [None if v is None else v / rate for v in normalised]
                if unit.currency != "USD":
                    notes.append(
                        f"ours: {unit.currency}→USD at World Bank WDI {year} average "
                        f"{rate:.4f} {unit.currency} per USD"
                    )
                constant = [None if v is None else rates.deflate(v, year) for v in nominal]
                if constant[0] is not None or constant[1] is not None:
                    notes.append(f"ours: constant {CPI_BASE_YEAR} USD by US CPI-U annual average")
                else:
                    notes.append(f"no CPI-U annual average for {year}: no constant dollars")
                per_hour = HOURLY.get(unit.basis)
                seconds = record["seconds_per_unit"]
                if per_hour is None and seconds:
                    per_hour = 3600.0 / float(seconds)  # type: ignore[arg-type]
                    notes.append(
                        f"ours: per hour = per {unit.basis} × 3600 ÷ {seconds:g} s (stated duration)"
                    )
                if per_hour is not None:
                    hourly = [None if v is None else v * per_hour for v in nominal]
        rows_out.append(
            {
                **record,
                "currency": unit.currency,
                "per": unit.basis,
                "unit_normalised": unit.normalised,
                "value_normalised": normalised[0],
                "low_normalised": normalised[1],
                "high_normalised": normalised[2],
                "value_usd_nominal": nominal[0],
                "low_usd_nominal": nominal[1],
                "high_usd_nominal": nominal[2],
                "value_usd_constant": constant[0],
                "low_usd_constant": constant[1],
                "high_usd_constant": constant[2],
                "usd_per_hour": hourly[0],
                "usd_per_hour_low": hourly[1],
                "usd_per_hour_high": hourly[2],
                "conversion": "; ".join(notes),
            }
        )
    frame = pd.DataFrame(rows_out, columns=COLUMNS)
    return frame.sort_values(["source_id", "figure_id"]).reset_index(drop=True)
