"""The classroom pack: the story and every chart of the atlas as static pages that open from the
file system or any static web host, with no Python and no network, in English and French.

`make pack` (python -m pack) writes dist/pack/ and dist/atlas-pack.zip from the same subject
modules, chart builders, message catalogues and tidy tables as the app. One module per part:
slides.py (the story), chart_pages.py (every chart), sources_page.py, images.py (PNG and SVG by
kaleido), html.py (the markup, everything escaped), assets.py (plotly.js and the other shared
files), build.py (the order of it all, the index pages and the zip).
"""

from __future__ import annotations

from pathlib import Path

from dashboard.data import PACK_ZIP


def zip_path() -> Path:
    """Where `make pack` writes the zip (the app's Sources page offers it when it is there)."""
    return PACK_ZIP
