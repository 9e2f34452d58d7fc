"""A teacher's lesson pack (issue 22): how long `python -m pack --lesson` takes for a 20-slide
lesson, images included, and how large the zip of a 10-slide one is.

Each run is the command a teacher's "Download this lesson" runs, in a process of its own, on views
taken from every page with charts. Targets: 20 slides in under 20 s; a 10-slide zip under 10 MB.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import sections
from dashboard.lesson import Lesson, Slide, encode

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## A teacher's lesson pack: 20 slides, images included"
TARGET_S = 20.0
TARGET_MB = 10.0

# Views across the pages (each a chart of its page in a view of its own), repeated up to 20.
VIEWS = (
    Slide("overview", "top-employer-countries"),
    Slide("story", "story-3", (("step", "3"),)),
    Slide("map", "map-workers", (("metric", "workers"), ("year", "2015"))),
    Slide("map", "worker-shares-2013-2020", (("country", "NPL"),)),
    Slide("platforms", "platform-sizes"),
    Slide("workers", "mturk-countries-2026", (("survey_year", "2026"),)),
    Slide("workers", "working-day-of-the-world"),
    Slide("projections", "oli-total-against-claims"),
    Slide("projections", "projections", (("growth", "10"),)),
    Slide("wages", "price-ladder"),
    Slide("wages", "online-pay-vs-minimum-ppp", (("basis", "ppp"),)),
    Slide("wages", "pay-by-occupation-2017", (("pay_year", "2017"),)),
    Slide("wages", "hourly-vs-minimum"),
    Slide("flows", "flows-sankey-2014", (("view", "sankey"), ("year", "2014"))),
    Slide("flows", "flows-change-countries", (("view", "change"),)),
)


def lesson_of(count: int) -> Lesson:
    slides = tuple(VIEWS[i % len(VIEWS)] for i in range(count))
    notes = tuple(Slide(s.page, s.chart, s.params, "", "", f"Question {n}?") for n, s in enumerate(slides, 1))
    return Lesson("Benchmark lesson", "make bench", "What did you learn?", notes)


def _build(count: int, out: Path) -> dict[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pack",
            "--lesson",
            encode(lesson_of(count)),
            "--out",
            str(out),
            "--date",
            "2026-12-04",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "BROWSER_PATH": os.environ.get("BROWSER_PATH", "/usr/bin/chromium")},
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"python -m pack --lesson failed: {done.stderr.strip().splitlines()[-1:]}")
    summary = next(line for line in done.stdout.splitlines() if line.startswith("lesson:"))
    return {
        "seconds": seconds,
        "zip_mb": (out / "atlas-lesson.zip").stat().st_size / 1e6,
        "missing": float("slides whose chart is gone" in summary),
        "summary": summary,  # type: ignore[dict-item]
    }


def run() -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        return {
            "20": _build(20, Path(tmp) / "twenty"),
            "10": _build(10, Path(tmp) / "ten"),
        }


def render(result: dict[str, dict[str, float]], command: str) -> str:
    twenty, ten = result["20"], result["10"]
    return "\n".join(
        [
            HEADING,
            "",
            f"Measured by `{command}` on {dt.date.today().isoformat()}: `python -m pack --lesson` in a process "
            "of its own (as the Lesson page's “Download this lesson” runs it), each slide's page run "
            "headless in English and in French, PNG and SVG drawn by kaleido. Load average (1 min) when "
            f"the section ended: {os.getloadavg()[0]:.1f}.",
            "",
            "| lesson | wall time (s) | zip | target | met? |",
            "|---|---|---|---|---|",
            f"| 20 slides | {twenty['seconds']:.1f} | {twenty['zip_mb']:.1f} MB | build < {TARGET_S:g} s "
            f"| {'met' if twenty['seconds'] < TARGET_S else 'missed'} |",
            f"| 10 slides | {ten['seconds']:.1f} | {ten['zip_mb']:.1f} MB | zip < {TARGET_MB:g} MB "
            f"| {'met' if ten['zip_mb'] < TARGET_MB else 'missed'} |",
            "",
            f"The 20-slide build's own summary: `{twenty['summary']}`.",
        ]
    )


def replace_section(report: str, section: str) -> str:
    """BENCHMARKS.md with this section replaced (or put before the fixed analysis)."""
    return sections.replace(report, section, HEADING)
