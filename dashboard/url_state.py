"""The view lives in the URL: each control's state is seeded from it, checked, and written back.

Widgets on our pages are created with `**url_state.bind(name)` (a key, and a callback that keeps
the value) and no default of their own: `choice()`, `number()`… put the value in session state
first (from the URL when it is valid, else the default) and register the key; after the page has
run, app.py writes every registered key's value back into the URL, in language-neutral codes. A
value that is not valid is dropped with a visible notice (the text escaped: a `<script>` in a link
is shown, never run).

Each value is kept under a key of its own (`_url_value.<name>`), not only under the widget's key,
because Streamlit forgets a widget's state when a run does not draw it: the Map's occupation box,
hidden while the metric is Supply, came back at its default while the URL and the chart still said
the last choice. Every run copies the kept value into the widget's key before the widget is drawn;
the widget's callback copies a reader's change back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TypedDict, TypeVar

import streamlit as st

from dashboard.i18n import t
from dashboard.text import plain

T = TypeVar("T")


REGISTRY = "_url_keys"
STORE = "_url_value."
SCOPE = "_url_scope"


def _stored(name: str) -> str:
    """The session-state key that keeps control `name` of the current page: each page keeps its
    own (Flows' year is 2014 or 2015, Wages' a minimum-wage year), the language is the app's."""
    return f"{STORE}{st.session_state.get(SCOPE, 'app')}.{name}"


class Binding(TypedDict):
    key: str
    on_change: Callable[[str, str], None]
    args: tuple[str, str]


def bind(name: str) -> Binding:
    """The keyword arguments that tie a widget to the value `name`: `st.radio(…, **bind("metric"))`."""
    return {"key": name, "on_change": _keep, "args": (name, _stored(name))}


def _keep(name: str, stored: str) -> None:
    """A reader changed the widget: keep its value (callbacks run before the page, so the key it
    is kept under was fixed when the widget was drawn)."""
    st.session_state[stored] = st.session_state[name]


def current(name: str) -> object:
    """The current value of control `name` (seeded by choice(), number()…)."""
    return st.session_state[_stored(name)]


def set_value(name: str, new: object) -> None:
    """Change control `name` from code (a button's callback): the widget and the URL follow."""
    st.session_state[_stored(name)] = new
    st.session_state[name] = new


def _seed(name: str, first: object) -> None:
    """Keep `first` as the value of `name` unless one is kept already; give it to the widget."""
    store = _stored(name)
    if store not in st.session_state:
        st.session_state[store] = first
    st.session_state[name] = st.session_state[store]


def _seeded(name: str) -> bool:
    _register(name)
    return _stored(name) in st.session_state


def start() -> None:
    """Called once per run, before any page: forget the previous page's controls."""
    st.session_state[REGISTRY] = []
    st.session_state[SCOPE] = "app"


def enter(page: str) -> None:
    """Called once the page of this run is known: its controls are kept under its name."""
    st.session_state[SCOPE] = page


def _register(name: str) -> None:
    keys = st.session_state.setdefault(REGISTRY, [])
    entry = (name, _stored(name))
    if entry not in keys:
        keys.append(entry)


# Kept in the address bar but not part of a view: the lesson being collected (dashboard/lesson.py),
# which a view's share link, its citation and a lesson's slides leave out.
NOT_VIEW = frozenset({"v", "chart"})


def link_params(view_only: bool = False) -> dict[str, list[str]]:
    """Every control of this run with its current value, as URL parameters (`view_only`: without
    the values that are no part of the view, NOT_VIEW)."""
    params: dict[str, list[str]] = {}
    for name, stored in st.session_state.get(REGISTRY, []):
        if view_only and name in NOT_VIEW:
            continue
        current = st.session_state.get(stored)
        if current is None or current == "":
            continue
        values = current if isinstance(current, list) else [current]
        params[name] = [f"{v:g}" if isinstance(v, float) else str(v) for v in values]
    return params


def _notice(name: str, value: str) -> None:
    shown = value if len(value) <= 60 else value[:57] + "…"
    st.warning(t("common.bad_param", name=plain(name), value=plain(shown)))


def _url(name: str) -> str | None:
    if name not in st.query_params:
        return None
    value = st.query_params.get_all(name)
    return value[-1] if value else ""


def choice(name: str, options: Collection[T], default: T, parse: type = str) -> None:
    """Seed widget `name` with the URL's value if it is one of `options`, else `default`."""
    if _seeded(name):
        _seed(name, None)
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
    _seed(name, value)


def choices(name: str, options: Sequence[str], default: Sequence[str]) -> None:
    """Seed a multiselect: every value in the URL must be an option."""
    if _seeded(name):
        _seed(name, None)
        return
    raw = st.query_params.get_all(name) if name in st.query_params else None
    value = list(default)
    if raw is not None:
        bad = [v for v in raw if v not in options]
        if bad:
            _notice(name, ",".join(bad))
        value = [v for v in raw if v in options] or list(default)
    _seed(name, value)


def number(name: str, default: float, low: float, high: float) -> None:
    """Seed a number input with the URL's value if it is a finite number in [low, high]."""
    if _seeded(name):
        _seed(name, None)
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
    _seed(name, value)


def integer(name: str, default: int, low: int, high: int) -> None:
    """Seed an integer control (a slider) with the URL's value if it is an integer in [low, high]."""
    if _seeded(name):
        _seed(name, None)
        return
    raw = _url(name)
    value = default
    if raw is not None:
        if raw.lstrip("-").isdigit() and low <= int(raw) <= high:
            value = int(raw)
        else:
            _notice(name, raw)
    _seed(name, value)


def text(name: str, max_chars: int) -> None:
    """Seed a free-text input (a search box): any text up to `max_chars`, control characters removed."""
    if _seeded(name):
        _seed(name, None)
        return
    raw = _url(name) or ""
    cleaned = "".join(ch for ch in raw if ch.isprintable())
    if len(cleaned) > max_chars or cleaned != raw:
        _notice(name, raw)
        cleaned = cleaned[:max_chars]
    _seed(name, cleaned)


def keep_value(name: str, value: str) -> None:
    """A value that no control shows (the Lesson page's lesson, `v`), written to the URL after the
    page has run like the controls' values ("" leaves it out)."""
    _register(name)
    st.session_state[_stored(name)] = value


def url_value(name: str) -> str | None:
    """The URL's raw value of `name` (the last one), or None."""
    return _url(name)
