"""The view lives in the URL: each control's state is seeded from it, checked, and bound to it.

Widgets on our pages are created with `key=` and `bind="query-params"` and *no* default of their
own: `choice()`/`number()` put the starting value in session state first, taken from the URL when
it is valid, else from the default. A value that is not valid is dropped with a visible notice
(the text escaped: a `<script>` in a link is shown, never run).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import streamlit as st

from dashboard.i18n import t

T = TypeVar("T")


def _notice(name: str, value: str) -> None:
    from dashboard.components import plain

    shown = value if len(value) <= 60 else value[:57] + "…"
    st.warning(t("common.bad_param", name=plain(name), value=plain(shown)))


def _url(name: str) -> str | None:
    if name not in st.query_params:
        return None
    value = st.query_params.get_all(name)
    return value[-1] if value else ""


def choice(name: str, options: Sequence[T], default: T, parse: type = str) -> None:
    """Seed widget `name` with the URL's value if it is one of `options`, else `default`."""
    if name in st.session_state:
        return
    raw = _url(name)
    value = default
    if raw is not None:
        try:
            candidate = parse(raw)
        except (TypeError, ValueError):
            candidate = None
        if candidate in options:
            value = candidate
        else:
            _notice(name, raw)
    st.session_state[name] = value


def choices(name: str, options: Sequence[str], default: Sequence[str]) -> None:
    """Seed a multiselect: every value in the URL must be an option."""
    if name in st.session_state:
        return
    raw = st.query_params.get_all(name) if name in st.query_params else None
    value = list(default)
    if raw is not None:
        bad = [v for v in raw if v not in options]
        if bad:
            _notice(name, ",".join(bad))
        value = [v for v in raw if v in options] or list(default)
    st.session_state[name] = value


def number(name: str, default: float, low: float, high: float) -> None:
    """Seed a number input with the URL's value if it is a finite number in [low, high]."""
    if name in st.session_state:
        return
    raw = _url(name)
    value = default
    if raw is not None:
        try:
            candidate = float(raw)
        except ValueError:
            candidate = float("nan")
        if low <= candidate <= high:
            value = candidate
        else:
            _notice(name, raw)
    st.session_state[name] = value


def integer(name: str, default: int, low: int, high: int) -> None:
    if name in st.session_state:
        return
    raw = _url(name)
    value = default
    if raw is not None:
        if raw.lstrip("-").isdigit() and low <= int(raw) <= high:
            value = int(raw)
        else:
            _notice(name, raw)
    st.session_state[name] = value
