"""Digital Labour Atlas: the entry point. It sets the language and navigates; pages draw."""

from __future__ import annotations

import cProfile
import json
import os
import sys
import time
from html import escape
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on the path, not the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import (
    components,  # noqa: E402
    embed,  # noqa: E402
    first_chart,  # noqa: E402
    i18n,  # noqa: E402
    lesson,  # noqa: E402
    url_state,  # noqa: E402
)
from dashboard.i18n import t  # noqa: E402

TIMINGS = os.environ.get("ATLAS_TIMINGS", "")
# benchmarks only (python -m benchmarks --only reruns --profile): a cProfile of each page's run
PROFILES = os.environ.get("ATLAS_PROFILES", "")
# ?embed=true (projecting, or a page inside a course site): Streamlit hides its own header; the
# sidebar and the page list go too, so the room sees the chart and its sentence only.
EMBED = embed.embedded()
st.set_page_config(
    page_title="Digital Labour Atlas",
    layout="wide",
    initial_sidebar_state="collapsed" if EMBED else "auto",
)


def browser_language() -> str:
    """fr when the browser asks for French, else English."""
    try:
        tag = (st.context.locale or "").lower()
    except Exception:  # AppTest and old clients have no locale
        tag = ""
    return "fr" if tag.startswith("fr") else "en"


def benchmark_profiler() -> cProfile.Profile | None:
    """A running profiler when the benchmark asks for one (ATLAS_PROFILES), else None."""
    if not PROFILES:
        return None
    profiler = cProfile.Profile()
    profiler.enable()
    return profiler


def share_link() -> str:
    """This view's address, with every control's value and the language spelled out."""
    try:
        base = st.context.url or ""
    except Exception:  # AppTest has no browser URL
        base = ""
    # The Lesson page's view is the lesson itself: its link keeps `v`; every other page's leaves out
    # the lesson being collected (url_state.NOT_VIEW).
    params = url_state.link_params(view_only=st.session_state.get(url_state.SCOPE) != "lesson")
    params["lang"] = [i18n.lang()]
    return f"{base}?{urlencode(params, doseq=True)}"


first_chart.begin()
i18n.settle(None)  # this run's language is read from the session until the control below has it
url_state.start()
url_state.choice("lang", i18n.LANGS, browser_language())
if EMBED:  # no sidebar at all inside another site's page: the language is the link's
    i18n.settle(str(url_state.current("lang")))
else:
    i18n.settle(
        # Two options side by side, one click: a select box also loaded two chunks of widget code
        # before every page's first chart (issue 21, cold start; BENCHMARKS.md).
        st.sidebar.radio(
            "Language / Langue",
            i18n.LANGS,
            horizontal=True,
            **url_state.bind("lang"),
            format_func=lambda code: {"en": "English", "fr": "Français"}[code],
        )
    )

# No page icons: Streamlit fetches Material icons from Google for the favicon, and the atlas
# must work offline; emoji need a colour-emoji font that classroom machines may lack.
PAGES = [
    ("overview", "app_pages/overview.py"),
    ("story", "app_pages/story.py"),
    ("map", "app_pages/map.py"),
    ("flows", "app_pages/flows.py"),
    ("platforms", "app_pages/platforms.py"),
    ("workers", "app_pages/workers.py"),
    ("projections", "app_pages/projections.py"),
    ("wages", "app_pages/wages.py"),
    ("sources", "app_pages/sources.py"),
    ("lesson", "app_pages/lesson.py"),
]
here = Path(__file__).parent
pages = [
    st.Page(str(here / path), title=t(f"nav.{name}"), url_path=name, default=(name == "overview"))
    for name, path in PAGES
]
started = time.perf_counter()
cpu_started = time.thread_time()
page = st.navigation(pages, position="hidden" if EMBED else "sidebar")
url_state.enter(page.url_path or "overview")
lesson.read_link()
embed.start()
components.new_run()
profiler = benchmark_profiler()
try:
    page.run()  # a session's first run may end inside, after the page's first chart (first_chart.py)
finally:
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(Path(PROFILES) / f"{page.url_path or 'overview'}-{time.time_ns()}.prof")
lesson.write_link()
embed.finish()
if TIMINGS:  # benchmarks only: how long the server spent running this page's script
    with open(TIMINGS, "a", encoding="utf-8") as log:
        log.write(
            json.dumps(
                {
                    "page": page.url_path or "overview",
                    "seconds": time.perf_counter() - started,
                    "cpu_seconds": time.thread_time() - cpu_started,
                }
            )
            + "\n"
        )
# The URL always spells the view out in language-neutral codes (metric=supply, country=IND,
# lang=fr). Streamlit's own bind="query-params" is not used: it writes the translated label of a
# radio ("Nord / Sud") into the URL and drops values seeded through session state.
st.query_params.from_dict(url_state.link_params() | {"lang": [i18n.lang()]})
if not EMBED:
    st.sidebar.caption(t("app.sidebar_note"))
    # The link in a read-only field (click, select all, copy). Not st.code: its syntax highlighter
    # is the heaviest script on the page (0.5 s of a cold load's 4 s of browser CPU, in a profile).
    st.sidebar.html(
        f'<label style="font-size:0.9rem">{escape(t("app.share"))}'
        f'<input data-testid="atlas-share-link" readonly value="{escape(share_link(), quote=True)}" '
        'style="width:100%;font:0.85rem/1.5 ui-monospace,monospace;padding:0.35rem;margin-top:0.25rem;'
        'border:1px solid rgba(128,128,128,0.6);border-radius:0.3rem;background:transparent;color:inherit"></label>'
    )
