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

import base64
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

from benchmarks import load
from tests.support import (
    CHARTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGES,
    ROOT,
    free_port,
    streamlit_process,
    wait_for_app,
    wait_for_charts,
)

FIRST_TARGET_MB = 3.0
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
    """Per page: bytes received over the wire by a first visit and by a repeat visit, and the
    content encodings the responses came in."""
    results: dict[str, dict[str, object]] = {}
    args = list(CHROMIUM_ARGS)
    if as_lan:
        args.append(f"--host-resolver-rules=MAP {LAN_NAME} 127.0.0.1")
        base = base.replace("127.0.0.1", LAN_NAME)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=args)
        for name in pages:
            context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
            counts = {}
            encodings: set[str] = set()
            for visit in ("first", "repeat"):
                page = context.new_page()
                received = {"bytes": 0}
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")

                def encoding(event: dict[str, object], encodings: set[str] = encodings) -> None:
                    headers: dict[str, str] = event["response"]["headers"]  # type: ignore[index]
                    found = {k.lower(): v for k, v in headers.items()}.get("content-encoding")
                    if found:
                        encodings.add(found)

                cdp.on("Network.responseReceived", encoding)

                def http(event: dict[str, object], received: dict[str, int] = received) -> None:
                    received["bytes"] += int(event["encodedDataLength"])  # type: ignore[call-overload]

                def frame(event: dict[str, object], received: dict[str, int] = received) -> None:
                    response: dict[str, object] = event["response"]  # type: ignore[assignment]
                    payload = str(response["payloadData"])
                    # binary frames (Streamlit's protobuf) come base64-encoded
                    size = (
                        len(base64.b64decode(payload)) if response["opcode"] == 2 else len(payload.encode())
                    )
                    received["bytes"] += size

                cdp.on("Network.loadingFinished", http)
                cdp.on("Network.webSocketFrameReceived", frame)
                page.goto(_url(base, name))
                wait_for_app(page)
                wait_for_charts(page, *CHARTS[name])
                page.wait_for_load_state("networkidle")
                counts[visit] = received["bytes"]
                page.close()
            context.close()
            results[name] = {
                "first": counts["first"],
                "repeat": counts["repeat"],
                "encodings": sorted(encodings),
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
        "plus every websocket frame received), until the page's charts are drawn and the network is "
        "idle. First visit: a new browser context (empty cache). Repeat visit: a new tab in the same "
        "context (its cache warm), as a student who opens the link again. Proxy, localhost: "
        "http://127.0.0.1, where Chromium asks for brotli. Proxy, LAN name: the same proxy under a "
        f"name Chromium does not count as localhost (`{LAN_NAME}`, mapped to 127.0.0.1 inside "
        "Chromium), where on plain HTTP it asks for gzip only, as on a room's network. Each target is "
        "judged on both (localhost; LAN name).",
        "",
        f"| page | first: direct | proxy, localhost | proxy, LAN name | target ≤ {FIRST_TARGET_MB:g} MB "
        f"| repeat: direct | proxy, localhost | proxy, LAN name | target ≤ {REPEAT_TARGET_MB:g} MB "
        "| encodings (localhost; LAN name) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]

    def verdict(page: str, visit: str, target_mb: float) -> str:
        return "; ".join(
            "met" if float(sizes[page][visit]) <= target_mb * 1e6 else "missed" for sizes in (proxy, lan)
        )

    for page in proxy:
        lines.append(
            f"| {page} | {_mb(direct[page]['first'])} | {_mb(proxy[page]['first'])} | {_mb(lan[page]['first'])} "
            f"| {verdict(page, 'first', FIRST_TARGET_MB)} | {_mb(direct[page]['repeat'])} "
            f"| {_mb(proxy[page]['repeat'])} | {_mb(lan[page]['repeat'])} "
            f"| {verdict(page, 'repeat', REPEAT_TARGET_MB)} "
            f"| {', '.join(proxy[page]['encodings'])}; {', '.join(lan[page]['encodings'])} |"  # type: ignore[arg-type]
        )
    lines += [
        "",
        "How to read it: direct, Streamlit sends its JavaScript uncompressed; through the proxy the "
        "bundles come precompressed (brotli on localhost and HTTPS, gzip -9 elsewhere). What is left "
        "of a first visit is mostly plotly.js (every page with a chart), deck.gl (Flows only, which "
        "is why Flows is the heaviest page), and two font files that arrive compressed already "
        "(Material Symbols for Streamlit's icons, Source Sans preloaded by Streamlit's index.html). "
        "A repeat visit fetches index.html, a few small API answers and the websocket's messages: "
        "the bundles are immutable in the cache and the geometry is fresh for 5 minutes.",
    ]
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


def replace_section(report: str, section: str) -> str:
    """BENCHMARKS.md with its serving section replaced (or put before the fixed analysis)."""
    start = report.find(HEADING)
    if start < 0:
        anchor = report.find("## What was found and fixed")
        anchor = anchor if anchor >= 0 else len(report)
        return report[:anchor] + section + "\n\n" + report[anchor:]
    end = report.find("\n## ", start + len(HEADING))
    end = end + 1 if end >= 0 else len(report)
    return report[:start] + section + "\n\n" + report[end:]


def run(sessions: int, spread: float, pages: list[str] | None = None) -> dict[str, object]:
    return measure(sessions, spread, pages or list(PAGES))
