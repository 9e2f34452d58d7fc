"""The atlas as `make run` serves it: `streamlit run deploy/atlas.py`. The same app as
`streamlit run dashboard/app.py`, plus one inline script in each page's HTML that spares a first
visit Streamlit's probe of a wrong address (deploy/page_address.py: 0.1 s on every page but the
Overview). `streamlit run dashboard/app.py` still works, without it."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

ROOT = Path(__file__).resolve().parent.parent
# `streamlit run deploy/atlas.py` puts deploy/ on the path, not the repository root.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.page_address import PageAddress  # noqa: E402

app = st.App(str(ROOT / "dashboard" / "app.py"), middleware=[Middleware(PageAddress)])
