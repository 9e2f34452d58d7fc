"""The wage calculator's arithmetic (a pure function the Wages page wires widgets to), and the number
fields of the calculator and the Projections scenario, in the reader's own notation."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    paid_usd_per_hour: float
    effective_usd_per_hour: float
    share_of_minimum_percent: float | None
    tasks_per_minimum_hour: float | None


def effective_pay(
    usd_per_task: float,
    seconds_per_task: float,
    unpaid_minutes_per_paid_hour: float = 0.0,
    minimum_usd_per_hour: float | None = None,
) -> Result:
    """Hourly pay of a task worker, counting unpaid time (searching, waiting, rejected work).

    paid hourly = price × 3600 ÷ seconds; every paid hour costs 60 + unpaid minutes of time, so
    effective hourly = paid hourly × 60 ÷ (60 + unpaid). Against a minimum wage: the share it
    represents, and how many tasks earn one hour of it (minimum ÷ price).
    """
    if usd_per_task < 0:
        raise ValueError("the price per task cannot be negative")
    if seconds_per_task <= 0:
        raise ValueError("a task takes more than zero seconds")
    if unpaid_minutes_per_paid_hour < 0:
        raise ValueError("unpaid time cannot be negative")
    paid = usd_per_task * 3600 / seconds_per_task
    effective = paid * 60 / (60 + unpaid_minutes_per_paid_hour)
    if minimum_usd_per_hour is None or minimum_usd_per_hour <= 0:
        return Result(paid, effective, None, None)
    share = 100 * effective / minimum_usd_per_hour
    tasks = minimum_usd_per_hour / usd_per_task if usd_per_task > 0 else None
    return Result(paid, effective, share, tasks)


def parse_number(text: str, locale: str) -> float | None:
    """A number as the reader typed it, in their locale ("0,04" in French, "0.04" in English; a
    point is read as a decimal mark in French too, and spaces as nothing), or None when it is not
    one (letters, two decimal marks, nothing, infinity)."""
    from babel.numbers import NumberFormatError, parse_decimal

    cleaned = "".join(str(text).split())  # "1 000", "1\u202f000"
    if not cleaned:
        return None
    try:
        value = float(parse_decimal(cleaned, locale=locale, strict=False))
    except (NumberFormatError, ValueError, ArithmeticError):
        return None
    return value if math.isfinite(value) else None


def number_text(value: float, locale: str) -> str:
    """`value` as a number field shows it: the locale's decimal mark, no thousands separator (so
    that what is shown parses back to the same value), up to six decimals."""
    from babel.numbers import format_decimal

    return format_decimal(value, format="0.######", locale=locale)


def number_field(
    container: object,
    label: str,
    name: str,
    default: float,
    low: float,
    high: float,
    notice_key: str,
    help: str | None = None,
) -> float:
    """A text field for a number in the reader's own notation (a decimal comma in French, which
    st.number_input cannot show), tied to the URL value `name` (url_state.number: written there
    in language-neutral form, "0.04"). Text that is not a number in [low, high] gives the default
    back, with a notice (`notice_key`: a message with {text}, {low}, {high}, {default})."""
    import streamlit as st

    from dashboard import i18n, url_state

    url_state.number(name, default, low, high)
    value = float(url_state.current(name))  # type: ignore[arg-type]
    key, bad = f"_text.{name}", f"_text_bad.{name}"
    locale = i18n.locale()
    shown = st.session_state.get(key)
    # A change of language, a link or a reset: the field shows the value in this language.
    if shown is None or parse_number(str(shown), locale) != value:
        st.session_state[key] = number_text(value, locale)

    def typed() -> None:
        text = str(st.session_state[key])
        parsed = parse_number(text, locale)
        if parsed is None or not low <= parsed <= high:
            st.session_state[bad] = text
            parsed = default
        url_state.set_value(name, parsed)
        st.session_state[key] = number_text(parsed, locale)

    container.text_input(label, key=key, on_change=typed, help=help)  # type: ignore[attr-defined]
    if bad in st.session_state:
        from dashboard.components import plain

        st.warning(
            plain(
                i18n.t(
                    notice_key,
                    text=st.session_state.pop(bad)[:60],
                    low=i18n.number(low, 6),
                    high=i18n.number(high, 6),
                    default=number_text(default, locale),
                )
            )
        )
    return float(url_state.current(name))  # type: ignore[arg-type]
