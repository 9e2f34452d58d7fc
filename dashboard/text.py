"""Text shown as text: data and URL text escaped for Markdown, so that it never becomes markup.

A module of its own so that the URL state (which shows a notice for a bad link) and the page
components can both use it without importing each other."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]#|<>~$])")
_LINE_START = re.compile(r"(?m)^(\s*)([-+>]|\d+\.)")


def plain(text: str) -> str:
    """Text shown as is: Markdown's active characters escaped (and list or quote markers at the
    start of a line), so data and URL text can never become markup, links or HTML."""
    escaped = _MARKDOWN.sub(r"\\\1", str(text))
    return _LINE_START.sub(
        lambda m: m.group(1) + (m.group(2)[:-1] + "\\." if m.group(2).endswith(".") else "\\" + m.group(2)),
        escaped,
    )
