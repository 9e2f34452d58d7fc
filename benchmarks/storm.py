"""A click storm through `make serve REPLICAS=2`: every session of a room changes the same control
within a few seconds (the lecturer says "now pick 2014").

`sessions` websocket sessions (benchmarks/client.py's protocol) each fetch the page over HTTP through
the proxy, keep the sticky cookie it sets (`atlas_replica`) for their websocket, open the page and
wait until its script has finished. Once every session is open, all of them change the same control
(Flows: the year radio to 2014; the empty app: its radio to b), the clicks spread uniformly over
`window` seconds, and each times its click to its script_finished. Errors: an exception shown by the
page, a step over its limit (60 s), a websocket that fails. The same test then runs on the empty app
(benchmarks/empty_app.py) behind the same launcher, Caddyfile and 2 replicas: the floor.

The sessions run in one asyncio loop in a child process at nice 10 (one process is enough for 100
sessions): browsers are kept off the server's cores on purpose, since 30 headless Chromiums on the
same 2 cores would measure the machine, not the atlas. Bounded: a fixed number of sessions, a limit
per step, everything on 127.0.0.1.

`python -m benchmarks --only storm` runs this section alone and puts it into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections import Counter
from http.cookies import SimpleCookie

import websockets

from benchmarks import sections, serving
from benchmarks.client import Session, _rerun, _run_until_finished, changed_value, visit
from benchmarks.load import page_cookies

HEADING = "## Click storm: every session changes the same control within seconds (proxy, 2 replicas)"
LIMIT_S = 60.0
TARGET_P95_S = 2.0
OPEN_AT_ONCE = 10  # sessions opening at the same time (the opening is the set-up, not the test)
COOKIE = "atlas_replica"
# The page, its control (by key) and what the change is, in words; the change itself is the
# control's first other value (benchmarks/client.py changed_value, nth 0).
VIEWS = {
    "flows": {"path": "flows", "query": "lang=en", "key": "year", "words": "Flows, year radio to 2014"},
    "map": {"path": "map", "query": "lang=en", "key": "metric", "words": "Map, metric radio to Supply"},
    "empty": {"path": "", "query": "", "key": "metric", "words": "empty app, radio to b"},
}


class Storm:
    """Who has opened, who has finished, and when the clicks begin."""

    def __init__(self, sessions: int) -> None:
        self.sessions = sessions
        self.opened = 0
        self.finished = 0
        self.start = 0.0
        self.all_open = asyncio.Event()
        self.all_done = asyncio.Event()
        self.results: list[dict[str, object]] = []

    def one_opened(self) -> None:
        self.opened += 1
        if self.opened >= self.sessions:
            self.start = time.perf_counter() + 0.1
            self.all_open.set()

    def one_finished(self) -> None:
        self.finished += 1
        if self.finished >= self.sessions:
            self.all_done.set()


def _kind(problem: BaseException) -> str:
    if isinstance(problem, TimeoutError | asyncio.TimeoutError):
        return "timeout"
    if isinstance(problem, websockets.exceptions.WebSocketException | OSError):
        return "websocket"
    return "other"


async def _session(
    i: int, base: str, view: dict[str, str], window: float, storm: Storm, gate: asyncio.Semaphore
) -> None:
    record: dict[str, object] = {"cookie": "", "open_s": None, "click_s": None, "error": "", "kind": ""}
    session = Session()
    opened = finished = False
    ws: websockets.ClientConnection | None = None
    try:
        async with gate:
            started = time.perf_counter()
            url = f"{base}/{view['path']}" + (f"?{view['query']}" if view["query"] else "")
            headers = await asyncio.to_thread(page_cookies, url)
            jar: SimpleCookie = SimpleCookie(headers.get("Cookie", ""))
            record["cookie"] = jar[COOKIE].value if COOKIE in jar else ""
            ws = await websockets.connect(
                base.replace("http://", "ws://") + "/_stcore/stream",
                subprotocols=["streamlit"],  # type: ignore[list-item]
                origin=base,  # type: ignore[arg-type]
                max_size=None,
                additional_headers=headers,
                open_timeout=LIMIT_S,
                ping_interval=None,  # as a browser: no protocol pings of its own
            )
            await ws.send(_rerun(view["query"], view["path"]))
            await _run_until_finished(ws, session, LIMIT_S)
            record["open_s"] = time.perf_counter() - started
        if session.exceptions:
            record["error"], record["kind"] = (
                f"exception shown on open: {session.exceptions[0][:120]}",
                "exception",
            )
        opened = True
        storm.one_opened()
        await storm.all_open.wait()
        await asyncio.sleep(max(0.0, storm.start + i * window / storm.sessions - time.perf_counter()))
        widget = session.widgets.get(view["key"])
        if widget is None:
            raise LookupError(f"no control {view['key']!r} on the page")
        kind, proto = widget
        value = changed_value(kind, proto, 0)
        record["sent"] = value
        shown = len(session.exceptions)
        clicked = time.perf_counter()
        record["click_at"] = clicked - storm.start
        await ws.send(_rerun(view["query"], view["path"], (proto.id, value)))  # type: ignore[attr-defined]
        await _run_until_finished(ws, session, LIMIT_S)
        record["click_s"] = time.perf_counter() - clicked
        if len(session.exceptions) > shown and not record["error"]:
            record["error"], record["kind"] = (
                f"exception shown: {session.exceptions[shown][:120]}",
                "exception",
            )
        finished = True
        storm.one_finished()
        await storm.all_done.wait()  # everyone stays connected until the last click is served
    except Exception as problem:  # counted, not raised: a storm reports its failures
        if not record["error"]:
            record["error"], record["kind"] = repr(problem)[:200], _kind(problem)
    finally:
        if ws is not None:
            await ws.close()
        if not opened:
            storm.one_opened()
        if not finished:
            storm.one_finished()
        storm.results.append(record)


async def _storm(base: str, sessions: int, window: float, page: str) -> dict[str, object]:
    view = VIEWS[page]
    storm = Storm(sessions)
    gate = asyncio.Semaphore(OPEN_AT_ONCE)
    started = time.perf_counter()
    await asyncio.gather(*(_session(i, base, view, window, storm, gate) for i in range(sessions)))
    return {
        "page": page,
        "sessions": sessions,
        "window": window,
        "results": storm.results,
        "wall_s": time.perf_counter() - started,
        "cpu_s": time.process_time(),
    }


def _child(base: str, sessions: int, window: float, page: str) -> dict[str, object]:
    """The storm in a child process at nice 10, below the servers (as benchmarks/load.py runs)."""
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.storm",
            base,
            "--sessions",
            str(sessions),
            "--window",
            str(window),
            "--page",
            page,
        ],
        stdout=subprocess.PIPE,
        preexec_fn=lambda: os.nice(10),  # noqa: PLW1509 - no threads are running yet
    ) as child:
        out, _ = child.communicate()
    if child.returncode:
        raise RuntimeError(f"the click storm failed (exit {child.returncode})")
    result: dict[str, object] = json.loads(out)
    return result


def _replica_cookie(secret: str, port: int) -> str:
    """The value Caddy's cookie policy gives a replica: HMAC-SHA256 of its address under the secret."""
    return hmac.new(secret.encode(), f"127.0.0.1:{port}".encode(), hashlib.sha256).hexdigest()


def one(app: str, sessions: int, window: float, page: str) -> dict[str, object]:
    """The storm on `page` through the launcher of `app` (atlas: scripts/serve.py; empty: the same
    with the empty app as replicas), 2 replicas, loopback only."""
    secret = secrets.token_hex(32)  # this launch's cookie key, so each cookie names its replica
    command = serving.EMPTY_APP_LAUNCHER if app == "empty" else None
    load_before = os.getloadavg()[0]
    with serving.cluster(2, command=command, env={"ATLAS_LB_SECRET": secret}) as running:
        view = VIEWS[page]
        for port, _pid in running.replicas:  # a warm server: one visit with the change per replica
            asyncio.run(visit(f"http://127.0.0.1:{port}", view["path"], view["query"], view["key"], 0, nth=0))
        before = serving.replica_share(running)
        result = _child(running.base, sessions, window, page)
        after = serving.replica_share(running)
        names = {
            _replica_cookie(secret, port): f"replica {n}"
            for n, (port, _pid) in enumerate(running.replicas, 1)
        }
    results: list[dict[str, object]] = result["results"]  # type: ignore[assignment]
    landed = Counter(
        names.get(str(r["cookie"]), "no cookie" if not r["cookie"] else "unknown") for r in results
    )
    return {
        **result,
        "app": app,
        "landed": dict(sorted(landed.items())),
        "connects": [b - a for a, b in zip(before, after, strict=True)],
        "load": (load_before, os.getloadavg()[0]),
    }


def run(sessions: int = 100, window: float = 10.0, page: str = "flows") -> dict[str, object]:
    started = time.perf_counter()
    load_before = os.getloadavg()
    atlas = one("atlas", sessions, window, page)
    floor = one("empty", sessions, window, "empty")
    return {
        "atlas": atlas,
        "floor": floor,
        "sessions": sessions,
        "window": window,
        "page": page,
        "load": (load_before[0], os.getloadavg()[0]),
        "took": time.perf_counter() - started,
    }


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _figures(crowd: dict[str, object]) -> dict[str, object]:
    results: list[dict[str, object]] = crowd["results"]  # type: ignore[assignment]
    clicks = [float(r["click_s"]) for r in results if r["click_s"] is not None and not r["error"]]  # type: ignore[arg-type]
    opens = [float(r["open_s"]) for r in results if r["open_s"] is not None]  # type: ignore[arg-type]
    kinds = Counter(str(r["kind"]) for r in results if r["error"])
    return {
        "errors": sum(kinds.values()),
        "kinds": kinds,
        "clicks": clicks,
        "p50": statistics.median(clicks) if clicks else float("nan"),
        "p95": _p(clicks, 95),
        "max": max(clicks) if clicks else float("nan"),
        "open_p50": statistics.median(opens) if opens else float("nan"),
        "open_p95": _p(opens, 95),
    }


def render(result: dict[str, object], command: str) -> str:
    atlas: dict[str, object] = result["atlas"]  # type: ignore[assignment]
    floor: dict[str, object] = result["floor"]  # type: ignore[assignment]
    sessions, window = int(result["sessions"]), float(result["window"])  # type: ignore[call-overload, arg-type]
    load: tuple[float, float] = result["load"]  # type: ignore[assignment]
    mine, base = _figures(atlas), _figures(floor)
    lines = [
        HEADING,
        "",
        f"Measured by `{command}` on {dt.date.today().isoformat()}, in {float(result['took']):.0f} s "  # type: ignore[arg-type]
        "(`python -m benchmarks --only storm` runs this section alone). `make serve REPLICAS=2` "
        "(scripts/serve.py: Caddy with deploy/Caddyfile in front of 2 replicas), on 127.0.0.1 only. "
        f"{sessions} websocket sessions each fetch the page over HTTP through the proxy, keep the sticky "
        f"cookie (`{COOKIE}`) for their websocket, open the page ({VIEWS[str(result['page'])]['words']}) "
        "and wait until its script has finished; once all are open, every session changes the same "
        f"control, the clicks spread uniformly over {window:g} s, and each times its click to its "
        "`script_finished`. Errors: an exception shown, a step over 60 s, a websocket failure. The floor: "
        "the empty app (benchmarks/empty_app.py) as the replicas of the same launcher, Caddyfile and "
        "proxy, same test, same run. Each replica had one warm-up visit first. The sessions run in one "
        "asyncio loop in a child process at nice 10: browsers are kept off the server's cores on purpose "
        "(30 headless Chromiums on the same 2 cores measure the machine, not the atlas; the lecture-hall "
        "test above has them). Load average (1 min) of the machine when the section began and ended: "
        f"{load[0]:.1f} and {load[1]:.1f} on {os.cpu_count()} cores.",
        "",
        "| app | sessions | errors | open p50 (s) | open p95 (s) | click → finished p50 (s) | p95 (s) "
        f"| max (s) | target: 0 errors, p95 ≤ {TARGET_P95_S:g} s | sessions per replica (cookie) | whole test (s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for crowd, figures, label in (
        (floor, base, "empty app (floor)"),
        (atlas, mine, f"atlas, {result['page']}"),
    ):
        met = figures["errors"] == 0 and float(figures["p95"]) <= TARGET_P95_S  # type: ignore[arg-type]
        landed: dict[str, int] = crowd["landed"]  # type: ignore[assignment]
        lines.append(
            f"| {label} | {crowd['sessions']} | {figures['errors']} | {figures['open_p50']:.2f} "
            f"| {figures['open_p95']:.2f} | {figures['p50']:.2f} | {figures['p95']:.2f} | {figures['max']:.2f} "
            f"| {'met' if met else 'missed'} | {', '.join(f'{k}: {v}' for k, v in landed.items())} "
            f"| {float(crowd['wall_s']):.0f} |"  # type: ignore[arg-type]
        )
    met = mine["errors"] == 0 and float(mine["p95"]) <= TARGET_P95_S  # type: ignore[arg-type]
    ratio = float(mine["p95"]) / float(base["p95"]) if float(base["p95"]) else float("nan")  # type: ignore[arg-type]
    kinds: Counter[str] = mine["kinds"]  # type: ignore[assignment]
    lines += [
        "",
        f"- Target (0 errors, click → finished p95 ≤ {TARGET_P95_S:g} s), atlas: **{'met' if met else 'missed'}** — "
        f"{mine['errors']} errors"
        + (f" ({', '.join(f'{v} {k}' for k, v in kinds.items())})" if kinds else "")
        + f", p95 {float(mine['p95']):.2f} s, {ratio:.1f} × the empty app's {float(base['p95']):.2f} s.",  # type: ignore[arg-type]
        f"- Which replica each session landed on, by its cookie (HMAC of the replica's address under this "
        f"launch's key); the replicas' own count of new websocket connections agrees: atlas "
        f"{', '.join(str(n) for n in atlas['connects'])}, empty app "  # type: ignore[attr-defined]
        f"{', '.join(str(n) for n in floor['connects'])}.",  # type: ignore[attr-defined]
        f"- The load generator's own CPU: {float(atlas['cpu_s']):.1f} s (atlas storm), "  # type: ignore[arg-type]
        f"{float(floor['cpu_s']):.1f} s (empty app storm), at nice 10.",  # type: ignore[arg-type]
    ]
    for crowd, label in ((floor, "empty app"), (atlas, "atlas")):
        failed = [r for r in crowd["results"] if r["error"]]  # type: ignore[attr-defined]
        if failed:
            lines += ["", f"First errors ({label}):", ""] + [
                f"- {r['kind']}: {r['error']}" for r in failed[:3]
            ]
    return "\n".join(lines)


def replace_section(report: str, section: str) -> str:
    """BENCHMARKS.md with this section replaced (or put before the serving section, else the fixed analysis)."""
    return sections.replace(report, section, HEADING, before=(serving.HEADING, sections.ANALYSIS))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.storm")
    parser.add_argument("base", help="the proxy, e.g. http://127.0.0.1:8500")
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--window", type=float, default=10.0, help="seconds over which the clicks spread")
    parser.add_argument("--page", default="flows", choices=sorted(VIEWS))
    args = parser.parse_args()
    print(json.dumps(asyncio.run(_storm(args.base, args.sessions, args.window, args.page)), default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
