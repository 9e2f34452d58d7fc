"""French typography: the spaces French puts before : ; ? ! and inside « », and nowhere else."""

from __future__ import annotations

import re

import pytest

from dashboard.i18n import catalogue, message
from dashboard.i18n.typography import NBSP, NNBSP, for_language, french

CASES = [
    ("Lien vers cette vue :", f"Lien vers cette vue{NBSP}:"),
    ("Source : Le Monde (2017)", f"Source{NBSP}: Le Monde (2017)"),
    ("Quoi? Non! Oui; peut-être", f"Quoi{NNBSP}? Non{NNBSP}! Oui{NNBSP}; peut-être"),
    ("« Sur Internet »", f"«{NBSP}Sur Internet{NBSP}»"),
    ("«Bonjour»", f"«{NBSP}Bonjour{NBSP}»"),
    ("Quoi ?!", f"Quoi{NNBSP}?!"),
    ("**Licence** : CC BY 4.0", f"**Licence**{NBSP}: CC BY 4.0"),
    # Not the end of a clause: addresses, times, ratios, entities, query strings.
    ("http://www.casilli.fr/wp-content/x.pdf", "http://www.casilli.fr/wp-content/x.pdf"),
    ("https://example.org/a?b=1;c=2 : fin", f"https://example.org/a?b=1;c=2{NBSP}: fin"),
    ("voir www.oii.ox.ac.uk?x=1", "voir www.oii.ox.ac.uk?x=1"),
    ("à 12:30, un rapport 1:2", "à 12:30, un rapport 1:2"),
    ("?lang=fr&step=5", "?lang=fr&step=5"),
    ("a &amp; b", "a &amp; b"),
    ("https://", "https://"),
    # Already spaced, with any space: the right space, once.
    (f"déjà{NBSP}: espacé{NNBSP}?", f"déjà{NBSP}: espacé{NNBSP}?"),
    (f"mal{NNBSP}: espacé{NBSP}!", f"mal{NBSP}: espacé{NNBSP}!"),
    ("deux  :  espaces", f"deux{NBSP}:  espaces"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_french_spacing_where_a_clause_ends_and_nowhere_else(text: str, expected: str) -> None:
    assert french(text) == expected


@pytest.mark.parametrize(("text", "_expected"), CASES)
def test_french_spacing_is_idempotent(text: str, _expected: str) -> None:
    assert french(french(text)) == french(text)


def test_english_text_is_untouched() -> None:
    english = "Source: Le Monde (2017). Is there a global digital labor culture? Yes; 12:30!"
    assert for_language(english, "en") == english
    for key, text in catalogue("en").items():
        if "{" not in text:
            assert message(key, "en") == text, key


def test_every_french_message_is_spaced_the_french_way() -> None:
    plain_space_before = re.compile(r" [;:?!]+(?=\s|$)|(?<=\S)[;:?!]+(?=\s|$)")
    bad = []
    for key, text in catalogue("fr").items():
        values = {name: "x" for name in re.findall(r"\{(\w+)\}", text)}
        shown = message(key, "fr", **values)
        stripped = re.sub(r"https?://\S+", "", shown)
        if plain_space_before.search(stripped) or "« " in stripped or " »" in stripped:
            bad.append((key, shown))
    assert bad == []
    assert message("common.source_prefix", "fr") == f"Source{NBSP}:"
