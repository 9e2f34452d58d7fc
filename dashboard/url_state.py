"""The view lives in the URL: each control's state is seeded from it, checked, and written back.

Widgets on our pages are created with `key=` and no default of their own: `choice()`, `number()`…
put the starting value in session state first (from the URL when it is valid, else the default)
and register the key; after the page has run, app.py writes every registered key's value back into
the URL, in language-neutral codes. A value that is not valid is dropped with a visible notice (the
text escaped: a `<script>` in a link is shown, never run).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import streamlit as st

from dashboard.i18n import t

T = TypeVar("T")


REGISTRY = "_url_keys"


def start() -> None:
    """Called once per run, before any page: forget the previous page's controls."""
    st.session_state[REGISTRY] = []


def _register(name: str) -> None:
    keys = st.session_state.setdefault(REGISTRY, [])
    if name not in keys:
        keys.append(name)


def link_params() -> dict[str, list[str]]:
    """Every control of this run with its current value, as URL parameters."""
    params: dict[str, list[str]] = {}
    for name in st.session_state.get(REGISTRY, []):
        value = st.session_state.get(name)
        if value is None or value == "":
            continue
        values = value if isinstance(value, list) else [value]
        params[name] = [f"{v:g}" if isinstance(v, float) else str(v) for v in values]
    return params


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
    _register(name)
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
    _register(name)
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
    _register(name)
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
    _register(name)
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


def text(name: str, max_chars: int) -> None:
    """Seed a free-text input (a search box): any text up to `max_chars`, control characters removed."""
    _register(name)
    if name in st.session_state:
        return
    raw = _url(name) or ""
    cleaned = "".join(ch for ch in raw if ch.isprintable())
    if len(cleaned) > max_chars or cleaned != raw:
        _notice(name, raw)
        cleaned = cleaned[:max_chars]
    st.session_state[name] = cleaned
