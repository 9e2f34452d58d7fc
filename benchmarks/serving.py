"""The serving section of `make bench`: the atlas behind Caddy with 2 replicas (`make serve`), side
by side with one Streamlit process, in the same run.

- Bytes over the wire per page, as Chromium counts them (CDP: each response's encoded length,
  headers included, plus every websocket frame received): a first visit (new browser context,
  empty cache) and a repeat visit (a new tab in the same context, its cache warm).
- A lecture hall of protocol sessions (benchmarks/load.py, no browsers): each first fetches the
  page over HTTP, as a browser does, and keeps the cookies it is given, so behind the proxy its
  websocket goes to the replica its cookie names.

`python -m benchmarks --only serving` runs this section alone and puts it into BENCHMARKS.md in
place of the previous one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks import bytes as bytes_
from benchmarks import load, sections
from tests.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGES,
    ROOT,
    free_port,
    streamlit_process,
)

FIRST_TARGET_MB = 2.0  # brotli (localhost, HTTPS)
FIRST_TARGET_GZIP_MB = 2.5  # gzip (a room's plain-HTTP address)
REPEAT_TARGET_MB = 0.5
OPEN_P95_TARGET_S = 2.0
HEADING = "## Serving: Caddy in front of 2 replicas, beside one process"


@dataclass
class Cluster:
    """A running `scripts/serve.py`: the address to share, its replicas and its process."""

    base: str
    process: subprocess.Popen[bytes]
    replicas: list[tuple[int, int]] = field(default_factory=list)  # (port, pid)
    proxy_pid: int = 0
    output: Path = Path()

    def text(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")


# The floor's launcher: scripts/serve.py's launch (Caddyfile, proxy, 2 replicas) with the empty app as
# its replicas, for `cluster(2, command=EMPTY_APP_LAUNCHER)` (the click storm, the lecture hall).
EMPTY_APP_LAUNCHER = [sys.executable, "-m", "benchmarks.serve_empty", "--replicas", "2", "--port", "{port}"]


@contextlib.contextmanager
def cluster(
    replicas: int = 2,
    command: list[str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> Iterator[Cluster]:
    """Start the serve launcher (by default `python scripts/serve.py`; `command` may be `make serve`)
    in a process group of its own, on a free port; yield once it prints the address to share.
    On exit: Ctrl-C to the whole group, as a terminal sends it."""
    port = free_port()
    out = Path(tempfile.mkstemp(prefix="serve-", suffix=".out")[1])
    command = command or [
        sys.executable,
        "scripts/serve.py",
        "--replicas",
        str(replicas),
        "--port",
        str(port),
    ]
    command = [part.replace("{port}", str(port)) for part in command]
    with out.open("wb") as sink:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            start_new_session=True,
        )
    running = Cluster(base=f"http://127.0.0.1:{port}", process=process, output=out)
    try:
        deadline = time.monotonic() + timeout
        while "Share this address:" not in running.text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve did not start:\n{running.text()[-3000:]}")
            time.sleep(0.2)
        text = running.text()
        running.replicas = [
            (int(port_), int(pid))
            for port_, pid in re.findall(r"replica \d+: http://127\.0\.0\.1:(\d+) \(pid (\d+)\)", text)
        ]
        running.proxy_pid = int(re.findall(r"proxy: pid (\d+)", text)[0])
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        out.unlink(missing_ok=True)


def _url(base: str, page: str) -> str:
    return f"{base}/{'' if page == 'overview' else page}"


# A name for 127.0.0.1 that Chromium does not treat as localhost: over plain HTTP it then asks for
# gzip only (brotli and zstd are offered on HTTPS and on localhost), as a room's browsers do on a
# plain-HTTP address of the local network. The name resolves to 127.0.0.1 inside Chromium itself.
LAN_NAME = "atlas-lecture-hall.test"


def visit_bytes(base: str, pages: list[str], as_lan: bool = False) -> dict[str, dict[str, object]]:
    """Per page: bytes received over the wire by a first visit and by a repeat visit, the content
    encodings the responses came in, and the first visit's every response (benchmarks/bytes.py)."""
    results: dict[str, dict[str, object]] = {}
    args = list(CHROMIUM_ARGS)
    if as_lan:
        args.append(f"--host-resolver-rules=MAP {LAN_NAME} 127.0.0.1")
        base = base.replace("127.0.0.1", LAN_NAME)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=args)
        for name in pages:
            context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
            first = bytes_.record(context, _url(base, name), name)
            repeat = bytes_.record(context, _url(base, name), name)
            context.close()
            results[name] = {
                "first": first.total(),
                "repeat": repeat.total(),
                "encodings": sorted({r.encoding for r in first.responses + repeat.responses if r.encoding}),
                "visit": first,
                "errors": [e for e in (first.error, repeat.error) if e],
            }
        browser.close()
    return results


def warm(base: str) -> None:
    """One visit of the Map on a server, so the hall measures running servers, not first runs."""
    load.run(base, 2, 0, 0, "map")


def measure(sessions: int, spread: float, pages: list[str]) -> dict[str, object]:
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    with streamlit_process() as (direct, _process):
        direct_bytes = visit_bytes(direct, pages)
        warm(direct)
        direct_hall = load.run(direct, sessions, 0, spread, "map", sticky=True)
    with cluster(2) as running:
        proxy_bytes = visit_bytes(running.base, pages)
        lan_bytes = visit_bytes(running.base, pages, as_lan=True)
        for port, _pid in running.replicas:
            warm(f"http://127.0.0.1:{port}")
        proxy_hall = load.run(running.base, sessions, 0, spread, "map", sticky=True)
        spread_over = replica_share(running)
    return {
        "direct_bytes": direct_bytes,
        "proxy_bytes": proxy_bytes,
        "lan_bytes": lan_bytes,
        "direct_hall": direct_hall,
        "proxy_hall": proxy_hall,
        "spread_over": spread_over,
        "sessions": sessions,
        "spread": spread,
        "took": time.perf_counter() - started,
        "load": (load_before, os.getloadavg()[0]),
    }


def replica_share(running: Cluster) -> list[int]:
    """Sessions open on each replica now (the hall keeps them all open to its end: this is after)."""
    counts = []
    for port, _pid in running.replicas:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=5) as reply:
            text = reply.read().decode()
        found = re.findall(r'^session_events_total\{type="connect"\}\s+(\d+)', text, re.M)
        counts.append(int(found[0]) if found else -1)
    return counts


def _mb(value: float) -> str:
    return f"{value / 1e6:.2f} MB"


def _hall_row(crowd: dict[str, object], label: str) -> tuple[str, int, float]:
    results: list[dict[str, object]] = crowd["results"]  # type: ignore[assignment]
    ok = [r for r in results if not r["error"]]
    opened = [float(r["open_s"]) for r in ok]  # type: ignore[arg-type]
    changed = [float(r["change_s"]) for r in ok if r["change_s"] is not None]  # type: ignore[arg-type]
    errors = len(results) - len(ok)
    p95 = load._p95(opened)  # noqa: SLF001 - the same percentile as the lecture-hall table
    row = (
        f"| {label} | {len(results)} | {errors} | {statistics.median(opened) if opened else float('nan'):.2f} | "
        f"{p95:.2f} | {statistics.median(changed) if changed else float('nan'):.2f} | {load._p95(changed):.2f} | "  # noqa: SLF001
        f"{'met' if errors == 0 and p95 <= OPEN_P95_TARGET_S else 'missed'} |"
    )
    return row, errors, p95


def render(result: dict[str, object], command: str) -> str:
    direct: dict[str, dict[str, float]] = result["direct_bytes"]  # type: ignore[assignment]
    proxy: dict[str, dict[str, float]] = result["proxy_bytes"]  # type: ignore[assignment]
    lan: dict[str, dict[str, float]] = result["lan_bytes"]  # type: ignore[assignment]
    sessions = int(result["sessions"])  # type: ignore[call-overload]
    spread = float(result["spread"])  # type: ignore[arg-type]
    lines = [
        HEADING,
        "",
        f"Measured by `{command}` on {dt.date.today().isoformat()}, in {float(result['took']):.0f} s "  # type: ignore[arg-type]
        "(`python -m benchmarks --only serving` runs this section alone). Direct: one `streamlit run` "
        "process. Proxy: `make serve REPLICAS=2` (scripts/serve.py: Caddy from deploy/Caddyfile in front "
        "of two replicas on 127.0.0.1). Load average (1 min) of the machine when the section began and "
        f"ended: {result['load'][0]:.1f} and {result['load'][1]:.1f} on {os.cpu_count()} cores "  # type: ignore[index]
        "(other jobs may share them; latencies grow with it, bytes do not).",
        "",
        "### Bytes over the wire per page (Chromium)",
        "",
        "Counted by Chromium itself (CDP `Network.loadingFinished` encoded length, headers included, "
        "plus every websocket frame received, as sent: Chromium reports frames inflated, so when "
        "permessage-deflate was negotiated benchmarks/bytes.py deflates them again with the server's "
        "settings), until the page's charts are drawn and the network is "
        "idle. First visit: a new browser context (empty cache). Repeat visit: a new tab in the same "
        "context (its cache warm), as a student who opens the link again. Proxy, localhost: "
        "http://127.0.0.1, where Chromium asks for brotli. Proxy, LAN name: the same proxy under a "
        f"name Chromium does not count as localhost (`{LAN_NAME}`, mapped to 127.0.0.1 inside "
        "Chromium), where on plain HTTP it asks for gzip only, as on a room's network. Each target is "
        "judged on both (localhost; LAN name).",
        "",
        f"| page | first: direct | proxy, localhost | proxy, LAN name "
        f"| target ≤ {FIRST_TARGET_MB:g} MB; ≤ {FIRST_TARGET_GZIP_MB:g} MB "
        f"| repeat: direct | proxy, localhost | proxy, LAN name | target ≤ {REPEAT_TARGET_MB:g} MB "
        "| encodings (localhost; LAN name) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]

    def verdict(page: str, visit: str, target_mb: float, lan_target_mb: float | None = None) -> str:
        return "; ".join(
            "met" if float(sizes[page][visit]) <= target * 1e6 else "missed"
            for sizes, target in ((proxy, target_mb), (lan, lan_target_mb or target_mb))
        )

    for page in proxy:
        lines.append(
            f"| {page} | {_mb(direct[page]['first'])} | {_mb(proxy[page]['first'])} | {_mb(lan[page]['first'])} "
            f"| {verdict(page, 'first', FIRST_TARGET_MB, FIRST_TARGET_GZIP_MB)} | {_mb(direct[page]['repeat'])} "
            f"| {_mb(proxy[page]['repeat'])} | {_mb(lan[page]['repeat'])} "
            f"| {verdict(page, 'repeat', REPEAT_TARGET_MB)} "
            f"| {', '.join(proxy[page]['encodings'])}; {', '.join(lan[page]['encodings'])} |"  # type: ignore[arg-type]
        )
    lines += [
        "",
        "How to read it: direct, Streamlit sends its JavaScript uncompressed; through the proxy the "
        "bundles come precompressed (brotli on localhost and HTTPS, quality 11 for the large bundles "
        "the pages load and 9 for the rest; gzip -9 elsewhere). Two fonts are shrunk in that copy "
        "(scripts/static_fonts.py): Material Symbols, which draws Streamlit's UI icons, keeps only "
        "the icons Streamlit's code names, and Source Sans, preloaded by index.html but drawn by "
        "no text of the atlas (its font is the system's), is an empty font. The websocket is "
        "deflated (server.enableWebsocketCompression). What is left of a first visit is mostly "
        "plotly.js (every page with a chart), Streamlit's data table (every page with a table "
        "view) and deck.gl (Flows only, which is why Flows is the heaviest page). "
        "A repeat visit fetches index.html, a few small API answers and the websocket's messages: "
        "the bundles are immutable in the cache and the geometry is fresh for 5 minutes.",
    ]
    lines += accounting(proxy, lan)
    direct_row, _, _ = _hall_row(result["direct_hall"], "one process")  # type: ignore[arg-type]
    proxy_row, _, _ = _hall_row(result["proxy_hall"], "proxy, 2 replicas")  # type: ignore[arg-type]
    share = result["spread_over"]
    lines += [
        "",
        f"### {sessions} protocol sessions arriving over {spread:g} s (Map)",
        "",
        f"benchmarks/load.py with no browsers: {sessions} sessions arrive evenly over {spread:g} s "
        f"(one every {spread / sessions:.2f} s); each fetches the page over HTTP (keeping the cookies "
        "it is given), opens the websocket, waits for the script to finish (open), picks Supply and "
        "waits again (change), and stays connected until the last one is done. Load generator at "
        "nice 10 on the same 2 cores. Each server had one warm-up visit per replica first.",
        "",
        f"| setup | sessions | errors | open p50 (s) | open p95 (s) | change p50 (s) | change p95 (s) "
        f"| target: 0 errors, open p95 ≤ {OPEN_P95_TARGET_S:g} s |",
        "|---|---|---|---|---|---|---|---|",
        direct_row,
        proxy_row,
        "",
        f"Websocket sessions each replica had accepted by the end (Streamlit's /_stcore/metrics, "
        f"warm-up included): {', '.join(str(n) for n in share)}.",  # type: ignore[attr-defined]
    ]
    for crowd, label in ((result["direct_hall"], "one process"), (result["proxy_hall"], "proxy")):
        failed = [r for r in crowd["results"] if r["error"]]  # type: ignore[index]
        if failed:
            lines += ["", f"First errors ({label}):", ""] + [f"- {r['error']}" for r in failed[:3]]
    return "\n".join(lines)


def accounting(proxy: dict[str, dict[str, object]], lan: dict[str, dict[str, object]]) -> list[str]:
    """Every byte of each page's first visit through the proxy, by group and by response."""
    brotli = {page: sizes["visit"] for page, sizes in proxy.items()}
    gzip = {page: sizes["visit"] for page, sizes in lan.items()}
    lines = [
        "",
        "### Every byte of a first visit through the proxy (benchmarks/bytes.py)",
        "",
        "kB on the wire, brotli (localhost) / gzip (LAN name), headers included. Streamlit main "
        "bundle: the script, module preloads and stylesheet its index.html names; lazy chunks: every "
        "other file of Streamlit's the page loads (its data table, widgets, Markdown, KaTeX); "
        "plotly.js and deck.gl/maplibre: Streamlit's chunks that carry them; our geometry: "
        "/app/static/; index.html and API: the page, /_stcore/ answers, the favicon, /media/ files.",
        "",
        *bytes_.group_table(brotli, gzip),
        "",
        "The websocket's messages (brotli run; the gzip run's are the same within a few bytes), "
        "decoded: the plotly figures' JSON in them and the part of it that is `layout.template`; "
        "the last column recomputes the messages as sent with every template left out.",
        "",
        *bytes_.socket_table(brotli),
    ]
    for page, visit in brotli.items():
        rows = bytes_.response_list(visit, gzip.get(page))
        big = rows[:2] + [r for r in rows[2:] if int(r.split("|")[5]) >= 10_000]
        small = [r for r in rows[2:] if int(r.split("|")[5]) < 10_000]
        lines += [
            "",
            f"<details><summary>{page}: every response of 10 kB or more "
            f"({len(small)} smaller ones: {sum(int(r.split('|')[5]) for r in small) / 1000:.0f} kB brotli)"
            "</summary>",
            "",
            *big,
            "",
            "</details>",
        ]
    errors = [f"{page}: {e}" for sizes in (proxy, lan) for page, s in sizes.items() for e in s["errors"]]  # type: ignore[attr-defined]
    if errors:
        lines += ["", "Pages that did not finish drawing (counted as far as they got):", ""]
        lines += [f"- {e}" for e in errors]
    return lines


def replace_section(report: str, section: str) -> str:
    """BENCHMARKS.md with its serving section replaced (or put before the fixed analysis)."""
    return sections.replace(report, section, HEADING)


def run(sessions: int, spread: float, pages: list[str] | None = None) -> dict[str, object]:
    return measure(sessions, spread, pages or list(PAGES))
