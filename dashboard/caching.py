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
# Every cache made here, so that clear() can empty them with Streamlit's (a test that swaps the
# datasets clears st.cache_resource, and must clear these too).
_CACHES: list[functools._lru_cache_wrapper[object]] = []


def clear() -> None:
    """Forget everything remembered here (as st.cache_resource.clear() does for Streamlit's)."""
    for cache in _CACHES:
        cache.cache_clear()


def per_language(func: Callable[P, R]) -> Callable[P, R]:
    """`func(*args)` computed once per process for each argument tuple and reader's language.

    For functions whose result depends only on their (hashable) arguments, the shared tables and
    the language they write in; never for one that reads the session (a time zone, a URL)."""

    @functools.lru_cache(maxsize=512)
    def remembered(lang: str, *args: object, **kwargs: object) -> R:
        return func(*args, **kwargs)  # type: ignore[arg-type]

    _CACHES.append(remembered)

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return remembered(i18n.lang(), *args, **kwargs)  # type: ignore[arg-type]

    return wrapper


def per_server(func: Callable[P, R]) -> Callable[P, R]:
    """`func(*args)` computed once per process for each argument tuple (no language in it)."""
    remembered = functools.lru_cache(maxsize=512)(func)
    _CACHES.append(remembered)
    return remembered  # type: ignore[return-value]
