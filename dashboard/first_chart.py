"""The first chart first: a session's very first run sends a page down to its first chart, and the
rest of the page follows once the browser has drawn that chart (issue 21, cold start).

Why: on a first visit the browser loads plotly.js (4.7 MB to parse) and then draws every chart the
page has in one go, after rendering every paragraph, caption and control around them. A page of
four charts (Wages) showed its first chart 1.5–1.7× later than an empty app's one chart; the
room looks at a blank page while charts it cannot see yet are drawn below the fold. Sending the
page's top first and the rest a moment later shows the first chart sooner; the whole page comes a
little later than before (BENCHMARKS.md: cold start, and what was found and fixed).

How: the page calls `rest_of_page()` right after its first chart (its caption and source line
come with the rest, a fraction of a second later: each element sent before the chart is drawn
delays it). On the session's first run only, this draws a short inline script (SCRIPT) and a hidden
button, and ends the run. The script waits until the charts on screen are drawn (a world map: its
countries too), then clicks the button: that run sends the page whole. It clicks at once in a
background tab (which paints nothing), and after FALLBACK_MS if the charts never draw (an error);
it notes on the page which it was (`data-atlas-rest` on the root element: "drawn", "hidden" or
"fallback"; the browser tests expect "drawn"). The proxy's Content-Security-Policy allows the
script by its hash (deploy/Caddyfile; tests/test_serving.py recomputes it from SCRIPT). Not an
`st.components.v2` component: Streamlit loads those from a blob: URL, which that policy rightly
refuses, and with them 0.2 MB of Arrow code this needs none of.

What the cut run read from the address is read again by the run the script asks for, as a first
run does (begin() calls forget_run(): the controls are seeded again from the address, and a bad
parameter's or a damaged lesson link's notice is shown again by the whole page); the cut run does
not rewrite the address (app.py's last lines do not run). The values are forgotten at the start of
that run, not at the cut: a reader may click a control above the cut while the rest is on its way
(Story's Next), and its callback needs them. Never cut:
- a run with no browser behind it (AppTest and the lesson's captures, which have no request; a
  client of Streamlit's protocol that runs no JavaScript), which would never ask for the rest;
- a first run that comes with the values of controls already on screen: a page drawn by another
  replica, resumed here (deploy/replica.py), is not shrunk to its top;
- an embedded chart (`?embed=true&chart=…`), which may be any chart of the page;
- any run after the session's first (a click, a page change, the run the script asks for).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from html import escape

import streamlit as st

from dashboard import embed, lesson, url_state

SESSION = "_atlas_session"  # set by the session's first run
# The hidden button's key. Streamlit gives its box the class `st-key-atlas-rest-later` as soon as
# the run sends it: browser tests wait until it is gone (tests/support.py, APP_IDLE_JS).
GATE_KEY = "atlas-rest-later"
FALLBACK_MS = 4000

# As the benchmarks judge a chart drawn: a plotly chart with its plot, a world map with its
# countries (their GeoJSON is fetched), a deck.gl map with its canvas. Then the frame that paints
# it, then the click. A constant: the proxy allows it by its hash.
SCRIPT = """(() => {
  const started = performance.now();
  let done = false;
  const drawn = () => {
    const plots = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    const decks = [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')];
    const plotted = plots.filter((e) => e.querySelector(
      ".main-svg .plot, .main-svg .sankey, .main-svg .cartesianlayer, .main-svg .geolayer .geo"));
    const maps = plots.filter((e) => e.querySelector(".geolayer .geo"));
    return plots.length + decks.length > 0 && plotted.length === plots.length
      && maps.every((e) => e.querySelector(".geolayer .geo .choroplethlayer path"))
      && decks.every((e) => e.querySelector("canvas"));
  };
  const ask = (button, why) => {
    if (done) return;
    done = true;
    document.documentElement.dataset.atlasRest = why;
    button.click();
  };
  // what the page's charts will fetch once plotly.js runs (a world map's countries): now, beside it
  document.querySelectorAll("[data-atlas-preload]").forEach((e) => {
    fetch(e.dataset.atlasPreload).catch(() => {});
  });
  const check = () => {
    const button = document.querySelector(".st-key-GATE_KEY button");
    if (!button) {
      if (performance.now() - started < 2 * FALLBACK_MS) setTimeout(check, 25);
    } else if (document.hidden) {
      ask(button, "hidden");
    } else if (drawn()) {
      requestAnimationFrame(() => setTimeout(() => ask(button, "drawn"), 0));
      setTimeout(() => ask(button, "drawn"), 100);
    } else if (performance.now() - started > FALLBACK_MS) {
      ask(button, "fallback");
    } else {
      setTimeout(check, 25);
    }
  };
  check();
})();""".replace("FALLBACK_MS", str(FALLBACK_MS)).replace("GATE_KEY", GATE_KEY)

_RUN = threading.local()  # per script thread: one session's run at a time


def begin() -> None:
    """Called first in every run: whether this run is its session's very first, and not a resumed
    page; on the run the script asked for, forget what the cut run read from the address."""
    _RUN.first = SESSION not in st.session_state and not _controls_sent()
    st.session_state[SESSION] = True
    if st.session_state.get(GATE_KEY):
        forget_run()


def _controls_sent() -> bool:
    """Whether this run came with the values of controls the browser shows already: a page drawn
    elsewhere and resumed here (deploy/replica.py). A new page sends none. Streamlit has no public
    accessor for the values a run came with; if the internal one moves, pages are cut as usual."""
    try:
        from streamlit.runtime.state import get_session_state

        return bool(get_session_state()._state.get_widget_states())
    except Exception:
        return False


def _has_browser() -> bool:
    """Whether a browser runs this session, to ask for the rest: its User-Agent says "Mozilla/", as
    every browser's does. AppTest has no request at all; a script speaking Streamlit's protocol
    (the benchmarks' and the URL fuzzer's clients, a monitoring probe) runs no JavaScript and
    would be left with the top of the page: both get the whole page at once."""
    try:
        agent = st.context.headers.get("User-Agent", "")
    except Exception:  # no request behind this run
        return False
    return "Mozilla/" in agent


def rest_of_page(preload: Sequence[str] = ()) -> None:
    """After a page's first chart: on the session's first run (in a browser), end the run here;
    the rest is sent once that chart is drawn. Any other run goes on. `preload`: addresses the
    chart fetches once plotly.js has run (the Map's world geometry), fetched at once instead, while
    plotly.js loads: on a slow network the two downloads overlap rather than follow each other."""
    if not getattr(_RUN, "first", False):
        return
    _RUN.first = False
    if embed.requested() or not _has_browser():
        return
    # the style first: the button is never shown, focused or read out
    fetches = "".join(f'<span data-atlas-preload="{escape(url, quote=True)}"></span>' for url in preload)
    st.html(
        f"<style>.st-key-{GATE_KEY} {{display: none}}</style>{fetches}<script>{SCRIPT}</script>",
        unsafe_allow_javascript=True,
    )
    st.button("…", key=GATE_KEY)
    st.stop()


def forget_run() -> None:
    """Forget what the cut run read from the address, so that this run reads it again as a first
    run does, and shows its notices (a bad parameter, a damaged lesson link) again: the controls'
    kept values and the lesson read from the link. The widgets' own keys stay: deleting them makes
    Streamlit take the run for a change of every control."""
    for key in list(st.session_state.keys()):
        if str(key).startswith(url_state.STORE) or key in (lesson.LAST_LINK, lesson.STATE, lesson.GENERATION):
            del st.session_state[key]
