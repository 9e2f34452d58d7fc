"""Server-side rerun time after a control is changed, per page, beside the empty app: the section
`python -m benchmarks --only reruns` writes (under 2 minutes, to check a change before it lands) and
the rerun table of `make bench`.

One `streamlit run` of the atlas and one of the empty app, in the same run. For every page: a
warm-up session, then one websocket session (benchmarks/client.py `visit`) that opens the page, waits
for its script to finish, and changes the page's control `count` times in a row (CONTROLS: to the
next value each time, rotating through them), waiting each time for the script to finish. The
server times each script run itself (dashboard/app.py writes wall and CPU seconds to ATLAS_TIMINGS;
the empty app is timed the same way by benchmarks/empty_timed.py): every line after the opening's.

With `profile`, every run of the atlas also dumps a cProfile (ATLAS_PROFILES); the change runs of
each page are summed and their top functions by cumulative time printed, those of `dashboard/` and
`streamlit/elements`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import os
import pstats
import statistics
import tempfile
import time
from pathlib import Path

import streamlit

from benchmarks.client import visit
from tests.support import ATLAS, PAGES, ROOT, streamlit_process

HEADING = "## Server-side rerun time after a control is changed (script run, measured inside the server)"
TARGET_MS = 50.0
FLOOR = "benchmarks/empty_timed.py"  # the empty app, timed wall and CPU like the atlas's pages
PROFILE_FILTER = r"dashboard/|streamlit/elements"
PROFILE_TOP = 15
WARM_CHANGES = 10  # the most values a control here has besides its default (Story: 10 steps)

# The control each page's visitors change, by its key (None: a plain rerun, the page has no control
# that changes what it shows), and in words. The changes rotate through the control's values from
# its default (benchmarks/client.py changed_value), so no two changes in a row ask for the same view.
CONTROLS: dict[str, tuple[str | None, str]] = {
    "empty": ("metric", "radio: b, c, a, …"),
    "overview": (None, "none on the page: a plain rerun"),
    "story": ("step", "step select_slider: 2, 3, … 10, 1, …"),
    "map": ("metric", "metric radio: each metric in turn"),
    "flows": ("year", "year radio: 2014, 2015, …"),
    "platforms": ("types", "types multiselect: one type off, each in turn"),
    "workers": ("survey_year", "survey-year radio: each year in turn"),
    "projections": ("growth", "growth slider: 36, 37, … 50, 0, 1, … % (each value new)"),
    "wages": ("basis", "basis radio: PPP, nominal, …"),
    "sources": ("kind", "kind selectbox: each kind in turn"),
}


def _load() -> float:
    return os.getloadavg()[0]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def _path(page: str) -> str:
    return "" if page in ("overview", "empty") else page


def _session(base: str, page: str, first: int, changes: int) -> dict[str, object]:
    """One session on `page`: opened, then `changes` changes of its control in a row."""
    key, _words = CONTROLS.get(page, (None, ""))
    visited = asyncio.run(
        visit(base, _path(page), "lang=en", key, 0, nth=first if key else None, changes=changes)
    )
    return {"sent": visited.sent_all, "exceptions": list(visited.exceptions)}


def _new_lines(log: Path, offset: int) -> tuple[list[dict[str, float]], int]:
    with log.open("rb") as handle:
        handle.seek(offset)
        data = handle.read()
    return [json.loads(line) for line in data.decode().splitlines() if line.strip()], offset + len(data)


def _ns(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[-1])


def measure(
    base: str, pages: list[str], count: int, log: Path, profiles: Path | None = None
) -> dict[str, dict[str, object]]:
    """Per page: the change runs' wall and CPU seconds, what was sent, exceptions, and (profiling)
    the change runs' profile files. `log` is the server's timings file.

    Per page, a warm-up session first: opened, then WARM_CHANGES changes (every value of a radio,
    a selectbox, the story's steps…, so that the measured changes find the caches a running server
    has). Then one session, opened, and `count` changes in a row, continuing the rotation (the
    Projections slider: to values the warm-up did not ask for)."""
    results: dict[str, dict[str, object]] = {}
    offset = log.stat().st_size if log.exists() else 0
    for page in pages:
        _session(base, page, 0, WARM_CHANGES)
        _, offset = _new_lines(log, offset)
        known = set(profiles.glob(f"{page}-*.prof")) if profiles else set()
        visited = _session(base, page, WARM_CHANGES, count)
        lines, offset = _new_lines(log, offset)
        mine = [line for line in lines if line["page"] == page]
        changes = mine[1:]  # the first is the session's opening
        files = sorted(set(profiles.glob(f"{page}-*.prof")) - known, key=_ns)[1:] if profiles else []
        results[page] = {
            "wall": [float(line["seconds"]) for line in changes],
            "cpu": [float(line.get("cpu_seconds", float("nan"))) for line in changes],
            "sent": visited["sent"],
            "exceptions": visited["exceptions"],
            "odd": abs(len(mine) - (count + 1)),  # runs missing from (or added to) the log
            "profiles": files,
        }
    return results


def profile_report(files: list[Path], top: int = PROFILE_TOP) -> str:
    """The summed profiles' top functions by cumulative time, from dashboard/ and streamlit/elements."""
    if not files:
        return "(no profile written)"
    out = io.StringIO()
    stats = pstats.Stats(*(str(f) for f in files), stream=out)
    stats.sort_stats("cumulative").print_stats(PROFILE_FILTER, top)
    text = out.getvalue()
    # from the table's header on: pstats' preamble lists every file it read
    start = text.find("   ncalls")
    text = text[start:] if start >= 0 else text
    for prefix in sorted(
        {str(Path(streamlit.__file__).parent.parent) + "/", str(ROOT) + "/"}, key=len, reverse=True
    ):
        text = text.replace(prefix, "")  # streamlit/elements/…, dashboard/…: short enough to read
    return text.rstrip()


def run(count: int = 30, pages: list[str] | None = None, profile: bool = False) -> dict[str, object]:
    pages = pages or list(PAGES)
    started = time.perf_counter()
    load_before = _load()
    with tempfile.TemporaryDirectory(prefix="atlas-reruns-") as tmp:
        floor_log, atlas_log = Path(tmp) / "floor.jsonl", Path(tmp) / "atlas.jsonl"
        floor_log.touch()
        atlas_log.touch()
        with streamlit_process(FLOOR, env={"ATLAS_TIMINGS": "", "ATLAS_FLOOR_TIMINGS": str(floor_log)}) as (
            base,
            _process,
        ):
            floor = measure(base, ["empty"], count, floor_log)
        profiles = Path(tmp) / "profiles" if profile else None
        # an exception's type and message reach the client (the report names them; a visitor's
        # server shows none)
        env = {"ATLAS_TIMINGS": str(atlas_log), "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "full"}
        if profiles is not None:
            profiles.mkdir()
            env["ATLAS_PROFILES"] = str(profiles)
        with streamlit_process(ATLAS, env=env) as (base, _process):
            atlas = measure(base, pages, count, atlas_log, profiles)
        reports = (
            {page: profile_report(values["profiles"]) for page, values in atlas.items()} if profile else {}
        )  # type: ignore[arg-type]
    return {
        "count": count,
        "floor": floor["empty"],
        "atlas": atlas,
        "profiles": reports,
        "profiled": profile,
        "load": (load_before, _load()),
        "took": time.perf_counter() - started,
    }


def _cpu(values: dict[str, object]) -> list[float]:
    return [c for c in values["cpu"] if c == c]  # type: ignore[attr-defined]  # NaN: no CPU time logged


def _ms(values: list[float], q: float) -> str:
    return (
        f"{(statistics.median(values) if q == 50 else percentile(values, q)) * 1000:.0f}" if values else "—"
    )


def table(result: dict[str, object]) -> list[str]:
    """The table and the verdict: per page p50 and p95 of wall and CPU time, the floor beside it."""
    floor: dict[str, list[float]] = result["floor"]  # type: ignore[assignment]
    atlas: dict[str, dict[str, list[float]]] = result["atlas"]  # type: ignore[assignment]
    lines = [
        f"| page | control changed | changes | wall p50 (ms) | wall p95 (ms) | CPU p50 (ms) | CPU p95 (ms) "
        f"| target wall p95 ≤ {TARGET_MS:g} ms | errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]

    def row(name: str, page: str, values: dict[str, list[float]], verdict: str) -> str:
        wall, cpu = values["wall"], _cpu(values)
        errors = len(values["exceptions"]) + int(values["odd"])  # type: ignore[call-overload]
        return (
            f"| {name} | {CONTROLS.get(page, (None, 'a plain rerun'))[1]} | {len(wall)} | {_ms(wall, 50)} "
            f"| {_ms(wall, 95)} | {_ms(cpu, 50)} | {_ms(cpu, 95)} | {verdict} | {errors} |"
        )

    lines.append(row("empty app (floor)", "empty", floor, "—"))
    missed = []
    for page, values in atlas.items():
        p95 = percentile(values["wall"], 95) * 1000
        met = p95 <= TARGET_MS and not values["exceptions"]
        if not met:
            missed.append(page)
        lines.append(row(page, page, values, "met" if met else "missed"))
    cpu_over = [page for page, values in atlas.items() if percentile(_cpu(values), 95) * 1000 > TARGET_MS]
    worst = max(atlas, key=lambda page: percentile(_cpu(atlas[page]), 95))
    lines += [
        "",
        f"- Target (p95 of the server's script time after a change ≤ {TARGET_MS:g} ms, every page): "
        f"**{'met' if not missed else 'missed'}**"
        + (f" — missed on {', '.join(missed)}." if missed else "."),
        "- The same bound on CPU time (the work itself, whatever else the machine runs): "
        + (
            f"within it on every page (highest CPU p95: {worst}, {percentile(_cpu(atlas[worst]), 95) * 1000:.0f} ms)."
            if not cpu_over
            else f"over it on {', '.join(cpu_over)}."
        )
        + (
            " Where wall time misses and CPU time does not, the script waited for a core (load above)."
            if missed and not set(missed) & set(cpu_over)
            else ""
        ),
    ]
    for page, values in [("empty", floor), *atlas.items()]:
        if values["exceptions"] or values["odd"]:
            shown = "; ".join(str(e)[:120] for e in values["exceptions"][:2])  # type: ignore[index]
            lines.append(
                f"- {page}: {len(values['exceptions'])} exceptions shown, "  # type: ignore[arg-type]
                f"{values['odd']} timed runs missing or extra. {shown}"
            )
    return lines


def render(result: dict[str, object], command: str) -> str:
    load: tuple[float, float] = result["load"]  # type: ignore[assignment]
    lines = [
        HEADING,
        "",
        f"Measured by `{command}` on {dt.date.today().isoformat()}, in {float(result['took']):.0f} s "  # type: ignore[arg-type]
        "(`python -m benchmarks --only reruns` runs this section alone, to check a change before it "
        "lands). One `streamlit run` of the atlas and one of the empty app (the floor), each on "
        "127.0.0.1. Per page: a warm-up session (every value of the control once, so that the caches "
        "are those of a running server), then one websocket session that opens the page and changes "
        f"its control {result['count']} times in a row (to the next value each time, rotating "
        "through them; the Projections slider to values the warm-up did not ask for), waiting each "
        "time for the script to finish; the table is the change runs as the server times them (dashboard/app.py: wall "
        "`perf_counter` and CPU `thread_time` of the page's script, the language and navigation "
        "around it not included; the empty app timed the same way). Wall time grows with other load "
        "on the machine; CPU time much less. Load average (1 min) of the machine when the section "
        f"began and ended: {load[0]:.1f} and {load[1]:.1f} on {os.cpu_count()} cores."
        + (
            " **Profiled run** (`--profile`): every run of the atlas was under cProfile, so its times "
            "include the profiler's overhead."
            if result.get("profiled")
            else ""
        ),
        "",
        *table(result),
    ]
    return "\n".join(lines)


def print_profiles(result: dict[str, object]) -> None:
    reports: dict[str, str] = result["profiles"]  # type: ignore[assignment]
    for page, report in reports.items():
        print(
            f"\n### {page}: top {PROFILE_TOP} functions by cumulative time, {PROFILE_FILTER}, "
            f"summed over the change runs\n"
        )
        print(report)


def replace_section(report: str, section: str) -> str:
    """BENCHMARKS.md with this section replaced (or put before the memory section, else the fixed
    analysis)."""
    start = report.find(HEADING)
    if start < 0:
        # the table make bench wrote before this section had a heading of its own
        start = report.find("## Server-side rerun time after a widget change")
    if start < 0:
        for anchor_heading in ("## Server memory", "## What was found and fixed"):
            anchor = report.find(anchor_heading)
            if anchor >= 0:
                return report[:anchor] + section + "\n\n" + report[anchor:]
        return report + ("\n" if report else "") + section + "\n"
    end = report.find("\n## ", start + 4)
    end = end + 1 if end >= 0 else len(report)
    return report[:start] + section + "\n\n" + report[end:]
