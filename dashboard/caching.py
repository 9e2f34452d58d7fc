"""Once per server: what every visitor who makes the same choice in the same language is shown.

Streamlit reruns a page's whole script on every click. Sentences, option lists and small frames
computed from the shared tables are the same for every visitor with the same choice and language,
so they are computed once per process and shared (read-only, like the tables themselves). The
figures' own builders use st.cache_resource directly; these are the small things around them,
which one by one cost a millisecond or two and together were most of a rerun (BENCHMARKS.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from dashboard import i18n

P = ParamSpec("P")
R = TypeVar("R")


def per_language(func: Callable[P, R]) -> Callable[P, R]:
    """`func(*args)` computed once per process for each argument tuple and reader's language.

    For functions whose result depends only on their (hashable) arguments, the shared tables and
    the language they write in; never for one that reads the session (a time zone, a URL)."""

    @functools.lru_cache(maxsize=512)
    def remembered(lang: str, *args: object, **kwargs: object) -> R:
        return func(*args, **kwargs)  # type: ignore[arg-type]

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return remembered(i18n.lang(), *args, **kwargs)  # type: ignore[arg-type]

    return wrapper


def per_server(func: Callable[P, R]) -> Callable[P, R]:
    """`func(*args)` computed once per process for each argument tuple (no language in it)."""
    return functools.lru_cache(maxsize=512)(func)  # type: ignore[return-value]
