"""Messages in English and French, and locale-aware formatting of numbers, money and dates.

The language of the current run is kept in `st.session_state["lang"]` (bound to `?lang=`); code run
outside a Streamlit server (the classroom pack, `python -m pack`) names its language with
`speaking(lang)` instead, since there is no session there to hold one.
Messages live in one file per subject and language (`en/flows.json`, `fr/flows.json`…): a key's
prefix names its subject, so whoever changes a page edits that page's catalogue only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

import streamlit as st
from babel import Locale
from babel.numbers import format_compact_decimal, format_currency, format_decimal, format_percent

from dashboard.i18n.typography import for_language

LANGS = ("en", "fr")
DEFAULT = "en"
HERE = Path(__file__).parent
LOCALES = {"en": "en_US", "fr": "fr_FR"}


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every message of `lang`, from all its subject files; a key defined twice is an error."""
    merged: dict[str, str] = {}
    for path in sorted((HERE / lang).glob("*.json")):
        part: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        twice = sorted(set(part) & set(merged))
        if twice:
            raise ValueError(f"{path}: keys already defined in another file: {twice}")
        merged.update(part)
    return merged


# Set only by speaking(): a language chosen by code, not by a session (None in the app).
_SPOKEN: ContextVar[str | None] = ContextVar("atlas_spoken_language", default=None)


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Messages and formats in `code` for the block inside, whatever a session says.

    For builds outside `streamlit run` (the classroom pack): a bare script has no session, and
    Streamlit's stand-in session state there is one global that it warns "does not function". The
    builders' caches are keyed by the language argument they are given, so both languages build in
    one process."""
    if code not in LANGS:
        raise ValueError(f"unknown language {code!r}: expected one of {', '.join(LANGS)}")
    token = _SPOKEN.set(code)
    try:
        yield
    finally:
        _SPOKEN.reset(token)


def settle(code: str | None) -> None:
    """The language of the rest of this script run (app.py, once the language control has its
    value), or None to read it from the session again (at the start of a run). lang() is asked
    thousands of times a run (every name and number in a list): a context variable answers in
    a fraction of a session-state lookup's time. Each run sets it again, so a reader's switch of
    language takes effect at the next run, as it does through session state."""
    if code is not None and code not in LANGS:
        code = DEFAULT
    _SPOKEN.set(code)


def lang() -> str:
    spoken = _SPOKEN.get()
    if spoken is not None:
        return spoken
    value = st.session_state.get("lang", DEFAULT)
    return value if value in LANGS else DEFAULT


def t(key: str, **values: object) -> str:
    """The message `key` in the current language, with `{name}` fields filled in, in the language's
    typography (French: no-break spaces before : ; ? ! and inside « »)."""
    return message(key, lang(), **values)


def message(key: str, language: str, **values: object) -> str:
    """The message `key` in `language`, as t() gives it."""
    text = catalogue(language).get(key) or catalogue(DEFAULT).get(key) or key
    return for_language(text.format(**values) if values else text, language)


def locale() -> str:
    return LOCALES[lang()]


def _extreme(value: float) -> str | None:
    """Babel's decimal arithmetic has 28 digits: beyond them (a price of 1e-28 a task from a
    hand-written link) numbers are written in scientific notation instead of failing."""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value != 0 and (abs(value) >= 1e15 or abs(value) < 1e-9):
        return f"{value:.3g}"
    return None


def number(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("common.no_data")
    if (extreme := _extreme(value)) is not None:
        return extreme
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale())


def significant(value: float | None, figures: int = 3) -> str:
    """A number to `figures` significant digits, however small (0.00006 stays 0.00006)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("common.no_data")
    if value == 0:
        return number(0)
    if (extreme := _extreme(value)) is not None:
        return extreme
    digits = max(0, figures - 1 - math.floor(math.log10(abs(value))))
    return number(round(value, digits), digits)


def percent(value: float | None, digits: int = 1) -> str:
    """`value` is in percent (12.5 → "12.5%" / "12,5 %")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("common.no_data")
    if (extreme := _extreme(value)) is not None:
        return extreme + "%"
    base = Locale.parse(locale()).percent_formats[None].pattern  # "#,##0%" / "#,##0\u202f%"
    pattern = base.replace("#,##0", "#,##0" + ("." + "#" * digits if digits else ""), 1)
    return format_percent(value / 100, format=pattern, locale=locale())


def share(value: float | None, digits: int = 1) -> str:
    """A share of a whole, in percent, with one rule for every list: always `digits` decimals
    ("12.0%", "0.4%"), "under 0.1%" for a share too small for them (never "0%", which would say
    none), and "0%" only for nothing at all."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("common.no_data")
    if value == 0:
        return percent(0, 0)
    smallest = 10.0**-digits
    if 0 < abs(value) < smallest:
        return t("common.under", value=_fixed_percent(smallest, digits))
    return _fixed_percent(value, digits)


def _fixed_percent(value: float, digits: int) -> str:
    base = Locale.parse(locale()).percent_formats[None].pattern
    pattern = base.replace("#,##0", "#,##0" + ("." + "0" * digits if digits else ""), 1)
    return format_percent(value / 100, format=pattern, locale=locale())


def signed_points(value: float, digits: int = 1) -> str:
    """A change of share in percentage points: "+1.2 pts", "−0.8 pts" (a true minus sign)."""
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return t("common.points", sign=sign, value=number(round(abs(value), digits), digits))


def money(value: float | None, currency: str = "USD", digits: int | None = None) -> str:
    """Money for the locale: "$0.75" in English, "0,75 $US" in French."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("common.no_data")
    if (extreme := _extreme(value)) is not None:
        return f"{extreme} {currency}"
    if digits is None:
        digits = 2 if abs(value) >= 0.01 or value == 0 else max(2, 1 - math.floor(math.log10(abs(value))) + 1)
    pattern = "¤#,##0" + ("." + "0" * digits if digits else "")
    if lang() == "fr":
        pattern = "#,##0" + ("." + "0" * digits if digits else "") + " ¤"
    return format_currency(value, currency, format=pattern, locale=locale(), currency_digits=False)


def money_tick(value: float, currency: str = "USD") -> str:
    """An axis tick: as many decimals as the value needs ($0.0001, $0.01, $1, $100)."""
    digits = max(0, -math.floor(math.log10(value))) if value > 0 else 0
    return money(value, currency, digits)


def compact(value: float) -> str:
    """10 000 000 → "10M" / "10 M"."""
    return format_compact_decimal(value, locale=locale(), fraction_digits=1)


def plotly_separators() -> str:
    """Plotly's `separators` (decimal mark, then thousands separator) for the current locale."""
    symbols = Locale.parse(locale()).number_symbols["latn"]
    return symbols["decimal"] + symbols["group"]


def month(yyyy_mm: str) -> str:
    """'2016-05' → 'May 2016' / 'mai 2016' (CLDR month names through Babel)."""
    return _month(yyyy_mm, locale())


@cache
def _month(yyyy_mm: str, locale_code: str) -> str:
    from datetime import date

    from babel.dates import format_date

    year, number = int(yyyy_mm[:4]), int(yyyy_mm[5:7])
    return format_date(date(year, number, 1), format="MMMM y", locale=locale_code)
