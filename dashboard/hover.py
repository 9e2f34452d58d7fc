"""Hover texts for plotly: plotly breaks lines only at <br> and reads markup, so text is escaped."""

from __future__ import annotations

import textwrap


def wrap(text: str, width: int = 60) -> str:
    """`text` escaped (&, <, >) and wrapped at `width` characters with <br>."""
    safe = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "<br>".join(textwrap.wrap(safe, width)) or safe
