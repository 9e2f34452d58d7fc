"""French typography for text shown on screen: the spaces French puts before high punctuation.

A narrow no-break space (U+202F) before « ; ? ! », a no-break space (U+00A0) before « : » and
inside guillemets. Only where the mark ends a clause, i.e. is followed by a space, the end of the
text or a closing mark: "http://", "12:30", "1:2", "?lang=fr" or "&amp;" are left alone, and so is
every address. Idempotent: text already spaced (with any kind of space) comes out the same.
"""

from __future__ import annotations

import re
from functools import lru_cache

NNBSP = "\u202f"
NBSP = "\u00a0"
_SPACES = " \u00a0\u202f"
# Addresses are never touched (their colons, question marks and semicolons are syntax).
_URL = re.compile(r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*://|\bwww\.)[^\s<>«»\"]*")
# A mark (or a run such as "?!") after a non-space, followed by a space, the end or a closing mark;
# closing marks include Markdown's emphasis and Streamlit's escapes of them.
_HIGH = re.compile(rf"(?<=[^\s])[{_SPACES}]*([;:?!]+)(?=[\s)\]»”’*_\\]|$)")
_OPEN = re.compile(rf"«[{_SPACES}]*(?=[^\s])")
_CLOSE = re.compile(rf"(?<=[^\s])[{_SPACES}]*»")
_ENTITY = re.compile(r"&#?\w+$")


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


@lru_cache(maxsize=8192)  # the same messages and captions come back on every rerun
def french(text: str) -> str:
    """`text` with French spacing before ; : ? ! and inside « », addresses left as they are."""
    if not any(mark in text for mark in ";:?!«»"):
        return text
    urls = [m.span() for m in _URL.finditer(text)]

    def high(match: re.Match[str]) -> str:
        marks = match.group(1)
        if _inside(urls, match.start(1), match.end(1)):
            return match.group(0)
        if marks.startswith(";") and _ENTITY.search(text, 0, match.start()):
            return match.group(0)  # an HTML entity such as "&amp;"
        return (NBSP if marks.startswith(":") else NNBSP) + marks

    text = _HIGH.sub(high, text)
    text = _OPEN.sub("«" + NBSP, text)
    return _CLOSE.sub(NBSP + "»", text)


def for_language(text: str, lang: str) -> str:
    """French typography for French text; any other language is returned as it is."""
    return french(text) if lang == "fr" else text
