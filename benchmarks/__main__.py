"""`make bench`: measure the atlas side by side with an empty Streamlit app and write BENCHMARKS.md.

Every figure is measured in this one run, on this machine: cold start to first chart in Chromium,
server-side rerun time after a control is changed (benchmarks/reruns.py), bytes sent to the browser,
server memory with 1 and 50 sessions, ETL wall time, a bounded lecture-hall load test on loopback
through `make serve`'s proxy (see benchmarks/load.py), a click storm through the proxy and two
replicas (benchmarks/storm.py), and the atlas behind `make serve`'s proxy and two replicas beside one process (benchmarks/serving.py).

`python -m benchmarks --only reruns` runs the rerun section alone, in under 2 minutes, and replaces
it in BENCHMARKS.md (`--profile`: also each page's top functions by cumulative time); `--only storm`
does the same for the click storm, `--only serving` for the serving section, `--only pack` for the
classroom pack's first slide beside the app's cold start (benchmarks/pack.py), `--only lesson` for
a teacher's 20-slide lesson pack (benchmarks/lesson.py), `--only hall` for the lecture hall
(benchmarks/load.py, through `make serve`'s launcher).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks import lesson as lesson_bench
from benchmarks import load, serving, storm
from benchmarks import pack as pack_bench
from benchmarks import reruns as rerun_bench
from tests.support import (
    ATLAS,
    CHARTS,
    CHARTS_DRAWN_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGES,
    ROOT,
    streamlit_process,
    wait_for_app,
    wait_for_charts,
)

COLD_TARGET = 1.2  # first chart drawn, × the empty app's


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def etl_seconds(runs: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "datasets"
        shutil.copytree(ROOT / "datasets", copy)
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "etl", "--datasets", str(copy)],
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - started)
    return times


# Any one chart drawn: a plotly chart (maps: with their canvas) or a deck.gl canvas.
FIRST_CHART_JS = f"() => {{ const drawn = {CHARTS_DRAWN_JS}; return drawn([1, 0]) || drawn([0, 1]); }}"


def first_chart(targets: list[tuple[str, str]], runs: int) -> dict[str, dict[str, float]]:
    """Per page (`targets`: each server's address and page): median seconds from navigation to the
    first chart drawn, to every chart drawn (and the script finished), and bytes received.

    The runs are interleaved: each round opens every target once, in an order that rotates, so
    that the empty app and the atlas's pages are measured under the same state of the machine
    (measured one after the other, a drift of the machine's load moved the ratios by 0.1-0.15),
    and none is always measured right after the same other one. The first chart is watched
    at every animation frame, not every POLL_MS, which would add up to 100 ms at random."""
    found: dict[str, dict[str, list[float]]] = {
        name: {"first": [], "every": [], "bytes": []} for _, name in targets
    }
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for round_ in range(runs):
            turn = round_ % len(targets)  # each round starts one later: none always follows another
            for base, name in targets[turn:] + targets[:turn]:
                context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
                page = context.new_page()
                received = {"bytes": 0}

                def count_http(response: object, received: dict[str, int] = received) -> None:
                    try:
                        sizes_ = response.request.sizes()  # type: ignore[attr-defined]
                        received["bytes"] += sizes_["responseBodySize"] + sizes_["responseHeadersSize"]
                    except Exception:  # a response without sizes (cached or aborted) adds nothing
                        pass

                def count_ws(ws: object, received: dict[str, int] = received) -> None:
                    ws.on(
                        "framereceived",
                        lambda payload: received.__setitem__(  # type: ignore[attr-defined]
                            "bytes", received["bytes"] + len(payload)
                        ),
                    )

                page.on("response", count_http)
                page.on("websocket", count_ws)
                started = time.perf_counter()
                path = "" if name in ("overview", "empty") else name
                page.goto(f"{base}/{path}")
                plots, decks = CHARTS.get(name, (1, 0))
                if plots or decks:  # the first chart of any kind, as the target says
                    page.wait_for_function(FIRST_CHART_JS, polling="raf", timeout=60000)
                else:  # a page without a chart (Sources): ready when its script has run
                    wait_for_app(page)
                found[name]["first"].append(time.perf_counter() - started)
                wait_for_app(page)
                wait_for_charts(page, plots, decks)
                found[name]["every"].append(time.perf_counter() - started)
                page.wait_for_load_state("networkidle")
                found[name]["bytes"].append(received["bytes"])
                context.close()
        browser.close()
    return {
        name: {
            "first_chart_s": statistics.median(values["first"]),
            "every_chart_s": statistics.median(values["every"]),
            "bytes": statistics.median(values["bytes"]),
        }
        for name, values in found.items()
    }


async def hold(base: str, page: str, sessions: int) -> list[object]:
    """Open `sessions` sessions on `page` and keep their websockets open; returns them."""
    import websockets

    from benchmarks.client import Session, _rerun, _run_until_finished

    opened = []
    for _ in range(sessions):
        ws = await websockets.connect(
            base.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit"],
            origin=base,
            max_size=None,
        )  # type: ignore[list-item]
        await ws.send(_rerun("lang=en", page))
        await _run_until_finished(ws, Session(), 120)
        opened.append(ws)
    return opened


def measure_memory(script: str, pages: list[str]) -> dict[str, object]:
    """Server memory with 1 and 50 sessions (the cold starts are cold()'s, the rerun table
    benchmarks/reruns.py's, each on their own servers)."""
    with streamlit_process(script) as (base, process):

        async def memory() -> tuple[float, float]:
            page = "" if pages[0] in ("overview", "empty") else "map"
            one = await hold(base, page, 1)
            await asyncio.sleep(2)
            rss_one = rss_mb(process.pid)
            more = await hold(base, page, 49)
            await asyncio.sleep(2)
            rss_fifty = rss_mb(process.pid)
            for ws in one + more:
                await ws.close()  # type: ignore[attr-defined]
            return rss_one, rss_fifty

        rss_one, rss_fifty = asyncio.run(memory())
    return {"rss_one": rss_one, "rss_fifty": rss_fifty}


COLD_HEADING = "## Cold start to first chart, and bytes sent"


def render_cold(empty: dict, atlas: dict, command: str) -> str:
    """The cold-start section: each page's first chart beside the empty app's, in the same run."""
    floor = empty["empty"]["first_chart_s"]
    floor_every = empty["empty"]["every_chart_s"]
    when = (
        ""
        if command == "make bench"
        else (
            f"Measured by `{command}` on {dt.date.today().isoformat()} (`python -m benchmarks --only cold` runs "
            "this section alone). Load average (1 min) of the machine when it ended: "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n\n"
        )
    )
    lines = [
        f"{COLD_HEADING} (Chromium, new context each time; median of runs)",
        "",
        when + "One `streamlit run` per app on 127.0.0.1, direct (no proxy: the bytes are Streamlit's own, "
        "uncompressed; the serving section below has them through the proxy), both running at once: "
        "each round opens the empty app and every page once, in an order that rotates from round to "
        "round. First chart: the first plotly or deck.gl chart drawn (a world map: with its countries; "
        "a deck.gl map: with its canvas), from navigation, watched at every animation frame. A page's "
        "first run in a browser ends after its first chart and the rest follows (dashboard/first_chart.py): "
        "every chart drawn is the whole page. Every chart: all the "
        "charts of the page as it opens drawn and its script finished (Flows opens on its map's tab; "
        "Sources has no chart: its script finished).",
        "",
        f"| page | first chart drawn (s) | × empty app | target ≤ {COLD_TARGET:g}× | every chart drawn (s) "
        "| × empty app | bytes to the browser |",
        "|---|---|---|---|---|---|---|",
        f"| empty app (floor) | {floor:.2f} | 1.00 | — | {floor_every:.2f} | 1.00 "
        f"| {empty['empty']['bytes'] / 1e6:.2f} MB |",
    ]
    missed = []
    for page, values in atlas.items():
        ratio = values["first_chart_s"] / floor
        if ratio > COLD_TARGET:
            missed.append(f"{page} {ratio:.2f}×")
        lines.append(
            f"| {page} | {values['first_chart_s']:.2f} | {ratio:.2f} | {'met' if ratio <= COLD_TARGET else 'missed'} "
            f"| {values['every_chart_s']:.2f} | {values['every_chart_s'] / floor_every:.2f} "
            f"| {values['bytes'] / 1e6:.2f} MB |"
        )
    lines += [
        "",
        f"- Target (first chart ≤ {COLD_TARGET:g}× the empty app's, every page): "
        + ("**met**." if not missed else f"**missed** on {', '.join(missed)}."),
    ]
    return "\n".join(lines)


def replace_cold(report: str, section: str) -> str:
    """BENCHMARKS.md with the cold-start section replaced (or put first)."""
    start = report.find(COLD_HEADING)
    if start < 0:
        anchor = report.find("\n## ")
        anchor = anchor + 1 if anchor >= 0 else len(report)
        return report[:anchor] + section + "\n\n" + report[anchor:]
    end = report.find("\n## ", start + 4)
    end = end + 1 if end >= 0 else len(report)
    return report[:start] + section + "\n\n" + report[end:]


def cold(runs: int) -> tuple[dict, dict]:
    """Cold starts: the empty app's and every page of the atlas's, each app on its own server,
    measured in interleaved rounds (first_chart)."""
    with (
        streamlit_process("benchmarks/empty_app.py") as (empty, _),
        streamlit_process(ATLAS) as (atlas, _),
    ):
        targets = [(empty, "empty")] + [(atlas, page) for page in PAGES]
        # One visit first: a server in a classroom is running before the room opens the link (its
        # imports and the first run's caches are the server's start, not a visitor's cold start).
        first_chart(targets, 1)
        found = first_chart(targets, runs)
    return {"empty": found.pop("empty")}, found


def _replace(out: Path, section: str, replace: object) -> None:
    previous = out.read_text(encoding="utf-8") if out.exists() else ""
    out.write_text(replace(previous, section), encoding="utf-8")  # type: ignore[operator]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="cold-start rounds (each opens the empty app and every page once; median kept)",
    )
    parser.add_argument("--reruns", type=int, default=30, help="widget changes per page")
    parser.add_argument("--load", type=int, default=100, help="concurrent sessions in the load test")
    parser.add_argument("--browsers", type=int, default=30, help="of which real Chromium pages")
    parser.add_argument(
        "--spread", type=float, default=60.0, help="seconds over which the load test's sessions arrive"
    )
    parser.add_argument(
        "--serving-sessions", type=int, default=200, help="protocol sessions through the proxy (and direct)"
    )
    parser.add_argument(
        "--serving-spread", type=float, default=60.0, help="seconds over which those sessions arrive"
    )
    parser.add_argument(
        "--pack-runs", type=int, default=5, help="first story slides from file:// (and app cold starts)"
    )
    parser.add_argument(
        "--storm-sessions", type=int, default=100, help="websocket sessions in the click storm (2 replicas)"
    )
    parser.add_argument(
        "--storm-window", type=float, default=10.0, help="seconds over which the storm's clicks are spread"
    )
    parser.add_argument(
        "--storm-page", default="flows", choices=sorted(storm.VIEWS), help="the page the storm clicks on"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="with --only reruns: profile every run, print each page's top functions (dashboard/, streamlit/elements)",
    )
    parser.add_argument(
        "--only",
        choices=["cold", "reruns", "storm", "serving", "pack", "lesson", "hall"],
        help="run one section and replace it in the existing report",
    )
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()
    started = time.perf_counter()
    if args.only == "cold":
        command = f"python -m benchmarks --only cold --runs {args.runs}"
        section = render_cold(*cold(args.runs), command)
        _replace(Path(args.out), section, replace_cold)
        print(section)
        return 0
    if args.only == "reruns":
        command = f"python -m benchmarks --only reruns --reruns {args.reruns}" + (
            " --profile" if args.profile else ""
        )
        result = rerun_bench.run(args.reruns, profile=args.profile)
        section = rerun_bench.render(result, command)
        _replace(Path(args.out), section, rerun_bench.replace_section)
        print(section)
        if args.profile:
            rerun_bench.print_profiles(result)
        return 0
    if args.only == "storm":
        command = (
            f"python -m benchmarks --only storm --storm-sessions {args.storm_sessions} "
            f"--storm-window {args.storm_window:g} --storm-page {args.storm_page}"
        )
        section = storm.render(storm.run(args.storm_sessions, args.storm_window, args.storm_page), command)
        _replace(Path(args.out), section, storm.replace_section)
        print(section)
        return 0
    if args.only == "serving":
        command = (
            f"python -m benchmarks --only serving --serving-sessions {args.serving_sessions} "
            f"--serving-spread {args.serving_spread:g}"
        )
        section = serving.render(serving.run(args.serving_sessions, args.serving_spread), command)
        _replace(Path(args.out), section, serving.replace_section)
        print(section)
        return 0
    if args.only == "pack":
        command = f"python -m benchmarks --only pack --pack-runs {args.pack_runs}"
        section = pack_bench.render(pack_bench.run(args.pack_runs), command)
        _replace(Path(args.out), section, pack_bench.replace_section)
        print(section)
        return 0
    if args.only == "hall":
        command = f"python -m benchmarks --only hall --load {args.load} --browsers {args.browsers} --spread {args.spread:g}"
        crowds = load.hall(args.load, args.browsers, args.spread)
        section = load.render(crowds["map"], crowds["empty"], command)
        _replace(Path(args.out), section, load.replace_section)
        print(section)
        return 0
    if args.only == "lesson":
        command = "python -m benchmarks --only lesson"
        section = lesson_bench.render(lesson_bench.run(), command)
        _replace(Path(args.out), section, lesson_bench.replace_section)
        print(section)
        return 0
    etl = etl_seconds(3)
    empty_charts, atlas_charts = cold(args.runs)
    empty = measure_memory("benchmarks/empty_app.py", ["empty"]) | {"charts": empty_charts}
    atlas = measure_memory(ATLAS, list(PAGES)) | {"charts": atlas_charts}
    changes = rerun_bench.run(args.reruns)
    crowds = load.hall(args.load, args.browsers, args.spread)
    clicks = storm.run(args.storm_sessions, args.storm_window, args.storm_page)
    served = serving.run(args.serving_sessions, args.serving_spread)
    classroom = pack_bench.run(args.pack_runs)
    lessons = lesson_bench.run()
    report = render(
        etl,
        empty,
        atlas,
        changes,
        crowds,
        clicks,
        served,
        classroom,
        lessons,
        args,
        time.perf_counter() - started,
    )
    Path(args.out).write_text(report, encoding="utf-8")
    print(report)
    return 0


def render(
    etl: list[float],
    empty: dict,
    atlas: dict,
    changes: dict[str, object],
    crowds: dict,
    clicks: dict[str, object],
    served: dict[str, object],
    classroom: dict[str, object],
    lessons: dict[str, dict[str, float]],
    args: argparse.Namespace,
    took: float,
) -> str:
    memory_per_session = (atlas["rss_fifty"] - atlas["rss_one"]) / 49
    cores = os.cpu_count()
    mem_total = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` (`python -m benchmarks --runs {args.runs} --reruns {args.reruns} "
        f"--load {args.load} --browsers {args.browsers} --spread {args.spread:g} "
        f"--storm-sessions {args.storm_sessions} --storm-window {args.storm_window:g} --storm-page {args.storm_page} "
        f"--serving-sessions {args.serving_sessions} --serving-spread {args.serving_spread:g} "
        f"--pack-runs {args.pack_runs}`) on {dt.date.today().isoformat()}, in {took:.0f} s.",
        f"Machine: {cores} cores, {int(mem_total) / 1024 / 1024:.1f} GiB memory, {platform.platform()}, "
        f"Python {platform.python_version()}, Debian Chromium headless. Each figure below comes from that one run. "
        f"Load average (1, 5, 15 min) when it ended: {', '.join(f'{v:.1f}' for v in os.getloadavg())}.",
        "",
        render_cold(empty["charts"], atlas["charts"], "make bench"),
        "",
        rerun_bench.render(changes, "make bench"),
        "",
        "## Server memory (resident set of the Streamlit process, sessions on the Map page)",
        "",
        "| | atlas | empty app |",
        "|---|---|---|",
        f"| 1 session | {atlas['rss_one']:.0f} MB | {empty['rss_one']:.0f} MB |",
        f"| 50 sessions | {atlas['rss_fifty']:.0f} MB | {empty['rss_fifty']:.0f} MB |",
        f"| per extra session | {memory_per_session:.2f} MB ({'met' if memory_per_session <= 5 else 'missed'}: target ≤ 5 MB) "
        f"| {(empty['rss_fifty'] - empty['rss_one']) / 49:.2f} MB |",
        "",
        "## ETL",
        "",
        f"`python -m etl` wall time: median {statistics.median(etl):.2f} s of {len(etl)} runs "
        f"({'met' if statistics.median(etl) <= 5 else 'missed'}: target ≤ 5 s).",
        "",
        load.render(crowds["map"], crowds["empty"]),
        "",
        storm.render(clicks, "make bench"),
        "",
        serving.render(served, "make bench"),
        "",
        pack_bench.render(classroom, "make bench"),
        "",
        lesson_bench.render(lessons, "make bench"),
        "",
        (Path(__file__).parent / "analysis.md").read_text(encoding="utf-8"),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
