"""Shared by the browser tests, the screenshot script and the benchmarks: a real server, a real browser."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
# The atlas as `make run` serves it (dashboard/app.py behind deploy/page_address.py's middleware).
ATLAS = "deploy/atlas.py"
CHROMIUM = "/usr/bin/chromium"
# The browser tests drive Debian's headless shell of the same Chromium build (package
# chromium-headless-shell, which scripts/ensure-chromium installs beside chromium): the same Blink,
# V8 and SwiftShader, without the full browser's window and compositor machinery. It is what
# Playwright itself uses for headless runs. Measured on the same pages and clicks (9 pages opened,
# the flow map's year changed four times; two runs each): a third less CPU (user + system 6.0 s
# against 10.2 s) and 14 % less wall time; the suite is CPU-bound on two cores. Where it is not
# installed, the tests use the full Chromium; ATLAS_TEST_CHROMIUM names another binary. The benchmarks and the screenshot
# script keep the full browser (CHROMIUM): they measure and show what a visitor's browser does.
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
TEST_CHROMIUM = os.environ.get("ATLAS_TEST_CHROMIUM") or (
    HEADLESS_SHELL if os.path.exists(HEADLESS_SHELL) else CHROMIUM
)
# Without these, Chromium tries Google's services at start, and this machine refuses them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PAGES = (
    "overview",
    "story",
    "map",
    "flows",
    "platforms",
    "workers",
    "projections",
    "wages",
    "sources",
    "lesson",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def streamlit_server(script: str = ATLAS, timeout: float = 60) -> Iterator[str]:
    """`streamlit run` on a free loopback port; yields the base URL once /_stcore/health answers."""
    with streamlit_process(script, timeout) as (base, _process):
        yield base


@contextlib.contextmanager
def streamlit_process(
    script: str = ATLAS, timeout: float = 60, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Like streamlit_server, and also yields the server process (for its memory).

    The free port is chosen before the server binds it: another process (a second pytest-xdist
    worker) may take it in between, so a server that exits before answering is started again on
    another port, up to three times."""
    for attempt in range(3):
        manager = _streamlit_process(script, timeout, env)
        try:
            started = manager.__enter__()
        except _ExitedEarly:
            if attempt == 2:
                raise
            continue
        with contextlib.ExitStack() as stack:
            stack.push(manager)
            yield started
        return


class _ExitedEarly(RuntimeError):
    """The server process ended before /_stcore/health answered."""


@contextlib.contextmanager
def _streamlit_process(
    script: str, timeout: float, env: dict[str, str] | None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    # The server's output goes to a file, never to an unread pipe that could fill and block it.
    log = tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = Path(log.name).read_text(encoding="utf-8", errors="replace")
                failure = _ExitedEarly if process.poll() is not None else RuntimeError
                raise failure(f"streamlit did not start on {base}:\n{output[-2000:]}")
            time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)


def open_tables(at: Any) -> Any:
    """Open every "Table view" expander of an AppTest run, as a reader clicking each would: they
    are lazy (dashboard/components.py table_and_csv), their table is drawn only once opened."""
    from dashboard import i18n

    keys = [key for key in at.session_state if str(key).startswith("table-")]
    for key in keys:
        at.session_state[key] = True
    if keys:
        # AppTest sends every widget's value back through its format_func in the test's own
        # thread: it must speak the page's language (as tests/test_shares_format.py does).
        with i18n.speaking(str(at.session_state["lang"]) if "lang" in at.session_state else i18n.DEFAULT):
            at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
        return True
    return parsed.hostname in ("127.0.0.1", "localhost", "::1")


# Checks every 100 ms rather than on every animation frame (Playwright's default), which makes a
# page render frames nobody asked for and, with many pages open, slows them all.
POLL_MS = 100

APP_IDLE_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]')
        // a session's first run ends after the page's first chart, the rest still to come: the
        // element that will ask for it is there (Streamlit gives it its key's class at once)
        && !document.querySelector('.st-key-atlas-rest-later');
}"""


def wait_for_app(page: object, timeout_ms: int = 60000) -> None:
    """Wait until Streamlit has finished running the script (no 'running' status widget)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)  # type: ignore[attr-defined]
    page.wait_for_function(APP_IDLE_JS, polling=POLL_MS, timeout=timeout_ms)  # type: ignore[attr-defined]


CHARTS_DRAWN_JS = """([plots, decks]) => {
            const p = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
            const d = [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')];
            const drawn = p.filter(e => e.querySelector('.main-svg .plot, .main-svg .sankey, .main-svg .cartesianlayer, .main-svg .geolayer .geo'));
            // A world map has drawn once its countries (fetched GeoJSON) are paths.
            const maps = p.filter(e => e.querySelector('.geolayer .geo'));
            const mapsReady = maps.every(e => e.querySelector('.geolayer .geo .choroplethlayer path'));
            return drawn.length >= plots && mapsReady && d.filter(e => e.querySelector('canvas')).length >= decks;
        }"""

# How many charts each page draws when it opens with its defaults: (plotly, deck.gl). Flows opens
# on its map's tab; its other tabs draw plotly charts (FLOWS_TABS: at least one each).
FLOWS_TABS = ("view=regions", "view=change", "view=sankey")
CHARTS = {
    "overview": (1, 0),
    "story": (1, 0),
    "map": (3, 0),
    "flows": (0, 1),
    "platforms": (1, 0),
    "workers": (3, 0),
    "projections": (2, 0),
    "wages": (4, 0),
    "sources": (0, 0),
    "lesson": (0, 0),
}


def wait_for_charts(page: object, plots: int = 0, decks: int = 0, timeout_ms: int = 60000) -> None:
    """Wait until at least `plots` plotly charts have drawn (maps: their WebGL canvas too) and
    `decks` deck.gl charts have their canvas."""
    page.wait_for_function(  # type: ignore[attr-defined]
        CHARTS_DRAWN_JS,
        arg=[plots, decks],
        polling=POLL_MS,
        timeout=timeout_ms,
    )


def run_page(page: str, lang: str = "en", timeout: float = 120, **params: str) -> Any:
    """`page` of the atlas under AppTest, opened with `params` in its address and `lang`, run once
    and checked to have raised nothing."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=timeout)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def array(value: object) -> list[float]:
    """Plotly sends numeric arrays as lists or as base64 typed arrays ({"dtype", "bdata"})."""
    if isinstance(value, dict):
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"])).tolist()
    return list(value)  # type: ignore[call-overload]
