"""Many visitors at once on a freshly started server: every page still runs without an error.

Streamlit runs each session's script in a thread of its own, and the atlas shares cached tables and
figures between sessions. Plotly's graph objects are not thread-safe (plotly.py#3441): before the
plotly lock (dashboard/charts.PLOTLY), 40 simultaneous Map sessions raised "Invalid property
specified for object of type plotly.graph_objs.Scatter" in 6 of them (benchmarks/load.py).
"""

from __future__ import annotations

import asyncio

from benchmarks.client import Session, visit
from tests.support import streamlit_process

# Pages that build and draw plotly figures, and the control each session changes (None: a rerun).
VISITS = [
    ("map", "metric", 1),
    ("map", "metric", 2),
    ("wages", "basis", 1),
    ("", None, 0),
    ("story", None, 0),
    ("platforms", None, 0),
    ("projections", None, 0),
    ("flows", None, 0),
]
PER_PAGE = 6


async def crowd(base: str) -> list[Session | BaseException]:
    visits = [
        visit(base, page, "lang=en", control, option, timeout=120)
        for page, control, option in VISITS
        for _ in range(PER_PAGE)
    ]
    return await asyncio.gather(*visits, return_exceptions=True)


def test_forty_eight_simultaneous_visitors_on_a_cold_server_see_no_error() -> None:
    # Errors in full, so that a failure names its exception (the check is the same: none at all).
    with streamlit_process(env={"STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "full"}) as (base, _process):
        sessions = asyncio.run(crowd(base))
    failures = [s for s in sessions if isinstance(s, BaseException)]
    assert not failures, failures[:3]
    errors = [e for s in sessions if isinstance(s, Session) for e in s.exceptions]
    assert not errors, errors[:3]
    assert all(isinstance(s, Session) and s.first_seconds > 0 and s.change_seconds > 0 for s in sessions)
