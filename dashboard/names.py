"""Country names in the reader's language, from the countries table (Unicode CLDR via Babel)."""

from __future__ import annotations

import functools

from dashboard import data, i18n


def name(iso3: str) -> str:
    """The country's short name in the current language; the code itself when we hold no name."""
    return _names(i18n.lang()).get(iso3, iso3)


@functools.cache
def _names(lang: str) -> dict[str, str]:
    """ISO3 → name in `lang`, built once per process (the table never changes while it runs)."""
    return {code: pair[1] if lang == "fr" else pair[0] for code, pair in data.country_names().items()}


@functools.cache
def countries_by_name(lang: str) -> list[str]:
    """Every ISO3 code sorted by its name in `lang`."""
    names = _names(lang)
    return sorted(names, key=lambda code: names[code])
