"""Statutory minimum wages: ILOSTAT monthly local currency → nominal USD, PPP and an hourly model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl import cited
from etl.cited import number, rows
from etl.errors import EtlError
from etl.money import CPI_BASE_YEAR, Rates

# Ours, labelled as a model: a full-time month of 40 h × 52 weeks ÷ 12 = 173.33 h. ILOSTAT uses
# the same convention the other way (the US federal $7.25 an hour appears as $1,256.67 a month).
HOURS_PER_MONTH_MODEL = 40 * 52 / 12
# The two series of the OECD extract, and the basis each converts at.
OECD_SERIES = {
    "In 2015 constant prices at 2015 USD PPPs": "ppp",
    "In 2015 constant prices at 2015 USD exchange rates": "exchange_rate",
}
OECD_PERIODS = frozenset({"Annual", "Hourly"})


BREAK_COLUMNS = ("iso3", "first_year", "source_id", "locator", "note_en", "note_fr")


def series_breaks(
    path: Path, iso3: frozenset[str], sources: frozenset[str]
) -> dict[str, list[tuple[int, str, str]]]:
    """Documented breaks in the minimum-wage series: country → [(first year of the new series,
    note in English, note in French)], oldest first. Typed in, each with where it is seen."""
    breaks: dict[str, list[tuple[int, str, str]]] = {}
    for line, row in rows(path, BREAK_COLUMNS):
        if row["iso3"] not in iso3:
            raise EtlError(path, f"unknown country code {row['iso3']!r}", line)
        if row["source_id"] not in sources:
            raise EtlError(path, f"unknown source_id {row['source_id']!r}", line)
        for column in ("locator", "note_en", "note_fr"):
            if not row[column]:
                raise EtlError(path, f"empty {column}", line)
        year = cited.year(path, line, "first_year", row["first_year"])
        breaks.setdefault(row["iso3"], []).append((year, row["note_en"], row["note_fr"]))
    return {code: sorted(found) for code, found in breaks.items()}


def ilostat(
    path: Path,
    iso3: frozenset[str],
    currency_of: dict[str, str],
    rates: Rates,
    source_id: str,
    breaks: dict[str, list[tuple[int, str, str]]] | None = None,
) -> pd.DataFrame:
    breaks = breaks or {}
    out = []
    for line, row in rows(path, ("ref_area", "time", "ear_inee_noc_nb")):
        code = row["ref_area"].upper()
        if code not in iso3:
            raise EtlError(path, f"unknown country code {row['ref_area']!r}", line)
        year = cited.year(path, line, "time", row["time"])
        amount = number(path, line, "ear_inee_noc_nb", row["ear_inee_noc_nb"])
        if amount is None:
            raise EtlError(path, "missing amount (ear_inee_noc_nb)", line)
        if amount <= 0:  # etl/units.py: a minimum wage is above zero
            raise EtlError(
                path,
                f"ear_inee_noc_nb {row['ear_inee_noc_nb']!r} is not a minimum wage (must be above 0)",
                line,
            )
        currency = currency_of[code]
        rate = rates.usd_rate(currency, year)
        usd = None if rate is None else amount / rate
        ppp = rates.ppp_factor(code, year)
        intl = None if ppp is None else amount / ppp[0]
        out.append(
            {
                "iso3": code,
                "year": year,
                "currency": currency,
                "lcu_per_month": amount,
                "lcu_per_usd": rate,
                "usd_per_month_nominal": usd,
                "usd_per_month_constant": None if usd is None else rates.deflate(usd, year),
                "ppp_lcu_per_intl_dollar": None if ppp is None else ppp[0],
                "ppp_year_used": None if ppp is None else ppp[1],
                "intl_dollars_per_month_ppp": intl,
                "hours_per_month_model": round(HOURS_PER_MONTH_MODEL, 4),
                "usd_per_hour_nominal_model": None if usd is None else usd / HOURS_PER_MONTH_MODEL,
                "intl_dollars_per_hour_ppp_model": None if intl is None else intl / HOURS_PER_MONTH_MODEL,
                "method": (
                    "nominal: LCU ÷ WDI PA.NUS.FCRF of the year; constant: CPI-U "
                    f"{CPI_BASE_YEAR} base; PPP: LCU ÷ WDI PA.NUS.PRVT.PP (latest year ≤ year); "
                    "hourly: our model, ÷ 173.33 h a month (40 h × 52 ÷ 12)"
                ),
                # Ours: 0 for a country's first series, one more at each documented break, so
                # that a chart can draw a break as a gap instead of a jump.
                "series_segment": sum(1 for first, _en, _fr in breaks.get(code, []) if first <= year),
                "series_break_note_en": next(
                    (en for first, en, _fr in breaks.get(code, []) if first == year), ""
                ),
                "series_break_note_fr": next(
                    (fr for first, _en, fr in breaks.get(code, []) if first == year), ""
                ),
                "source_id": source_id,
            }
        )
    if not out:
        raise EtlError(path, "no data rows under the header")
    frame = pd.DataFrame(out)
    if frame.duplicated(["iso3", "year"]).any():
        raise EtlError(path, "two rows for the same country and year")
    return frame.sort_values(["iso3", "year"]).reset_index(drop=True)


def oecd_real(path: Path, index: dict[str, str], source_id: str) -> pd.DataFrame:
    from etl.reference import normalise_name

    out = []
    for line, row in rows(path, ("", "Time", "Country", "Series", "Pay period", "value")):
        code = index.get(normalise_name(row["Country"]))
        if code is None:
            raise EtlError(path, f"unknown country name {row['Country']!r}", line)
        cited.date(path, line, "Time", row["Time"])
        if row["Series"] not in OECD_SERIES:
            raise EtlError(path, f"unknown Series {row['Series']!r} (known: {', '.join(OECD_SERIES)})", line)
        if row["Pay period"] not in OECD_PERIODS:
            raise EtlError(path, f"unknown Pay period {row['Pay period']!r} (Annual or Hourly)", line)
        value = number(path, line, "value", row["value"])
        if value is None:  # the OECD extract leaves years without a minimum wage empty
            continue
        if value <= 0:  # etl/units.py: a minimum wage is above zero
            raise EtlError(path, f"value {row['value']!r} is not a minimum wage (must be above 0)", line)
        out.append(
            {
                "iso3": code,
                "year": int(row["Time"][:4]),
                "pay_period": row["Pay period"].lower(),
                "basis": OECD_SERIES[row["Series"]],
                "usd_2015_constant": value,
                "source_id": source_id,
            }
        )
    if not out:
        raise EtlError(path, "no minimum wage in the file")
    return pd.DataFrame(out).sort_values(["iso3", "year", "pay_period", "basis"]).reset_index(drop=True)
