"""The classroom pack's section of `make bench`: the first story slide drawn from file:// in
Chromium, beside the app's cold start to its first chart, measured in the same run.

Each measurement is a new browser context (an empty cache), as the app's cold-start table is: the
pack's slide from a freshly built pack (without images, which the slide does not load), the app's
Story page from one `streamlit run` process. The two alternate run by run, so that a change of the
machine's load (other jobs share its two cores) falls on both. Time: from navigation to the chart
drawn, polled every 100 ms for both (tests/support.POLL_MS); for the pack also the page's own clock
(performance.now() when plotly.js resolved its drawing, written by pack.js).

`python -m benchmarks --only pack` runs this section alone and puts it into BENCHMARKS.md.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks import sections
from tests.support import CHARTS_DRAWN_JS, CHROMIUM, CHROMIUM_ARGS, POLL_MS, streamlit_process

HEADING = "## Classroom pack: the first story slide from file://, beside the app's cold start"
TARGET_S = 1.5
SLIDE_DRAWN_JS = (
    "() => { const c = document.getElementById('atlas-chart'); return c && c.dataset.drawn === 'yes'; }"
)
APP_FIRST_CHART_JS = f"() => {{ const drawn = {CHARTS_DRAWN_JS}; return drawn([1, 0]); }}"


def _load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def run(runs: int = 5) -> dict[str, object]:
    import logging

    import streamlit.logger

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    streamlit.logger.set_log_level("error")
    from pack import assets, build

    started = time.perf_counter()
    load_before = _load()
    slide_s: list[float] = []
    slide_page_ms: list[float] = []
    app_s: list[float] = []
    with tempfile.TemporaryDirectory(prefix="atlas-pack-bench-") as out:
        built = time.perf_counter()
        summary = build.build(Path(out), build.build_date(), with_images=False, with_zip=False)
        build_s = time.perf_counter() - built
        site = summary.site
        slide = (site / "en" / "story" / "1.html").as_uri()
        slide_bytes = (site / "en" / "story" / "1.html").stat().st_size
        bundles = {
            name: (site / path, (site / path).stat().st_size)
            for name, path in (("basic", assets.BUNDLES[0][0]), ("full", assets.PLOTLY))
        }
        for name, (path, _size) in bundles.items():
            (site / f"bundle-{name}.html").write_text(
                f'<!DOCTYPE html><script src="{path.relative_to(site).as_posix()}"></script>'
                "<script>document.documentElement.dataset.ready = 'yes'</script>",
                encoding="utf-8",
            )
        bundle_s: dict[str, list[float]] = {name: [] for name in bundles}
        with streamlit_process() as (base, _process), sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(runs):
                for name in bundles:  # plotly.js alone: from navigation to the bundle started
                    context = browser.new_context()
                    page = context.new_page()
                    began = time.perf_counter()
                    page.goto((site / f"bundle-{name}.html").as_uri())
                    page.wait_for_function("() => document.documentElement.dataset.ready", polling=POLL_MS)
                    bundle_s[name].append(time.perf_counter() - began)
                    context.close()
                context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
                context.route(lambda url: not url.startswith("file://"), lambda route: route.abort())
                page = context.new_page()
                began = time.perf_counter()
                page.goto(slide)
                page.wait_for_function(SLIDE_DRAWN_JS, polling=POLL_MS, timeout=60000)
                slide_s.append(time.perf_counter() - began)
                slide_page_ms.append(
                    float(page.locator("#atlas-chart").get_attribute("data-drawn-ms") or "nan")
                )
                context.close()
                context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
                page = context.new_page()
                began = time.perf_counter()
                page.goto(f"{base}/story")
                page.wait_for_function(APP_FIRST_CHART_JS, polling=POLL_MS, timeout=60000)
                app_s.append(time.perf_counter() - began)
                context.close()
            browser.close()
    return {
        "runs": runs,
        "slide_s": slide_s,
        "slide_page_ms": slide_page_ms,
        "app_s": app_s,
        "build_s": build_s,
        "pages": len(summary.pages),
        "slide_bytes": slide_bytes,
        "bundle_s": bundle_s,
        "bundle_bytes": {name: size for name, (_path, size) in bundles.items()},
        "load": (load_before, _load()),
        "took": time.perf_counter() - started,
    }


def _row(name: str, values: list[float], unit: float = 1.0) -> str:
    shown = [v / unit for v in values]
    return (
        f"| {name} | {statistics.median(shown):.2f} | {min(shown):.2f} | {max(shown):.2f} | "
        + ", ".join(f"{v:.2f}" for v in shown)
        + " |"
    )


def render(result: dict[str, object], command: str, zip_note: str = "") -> str:
    slide: list[float] = result["slide_s"]  # type: ignore[assignment]
    page_ms: list[float] = result["slide_page_ms"]  # type: ignore[assignment]
    app: list[float] = result["app_s"]  # type: ignore[assignment]
    load: tuple[float, float] = result["load"]  # type: ignore[assignment]
    median = statistics.median(slide)
    lines = [
        HEADING,
        "",
        f"Measured by `{command}` on {dt.date.today().isoformat()}, in {float(result['took']):.0f} s "  # type: ignore[arg-type]
        f"(`python -m benchmarks --only pack` runs this section alone). {result['runs']} runs each, "
        "alternating, each in a new Chromium context (empty cache): the pack's `en/story/1.html` opened "
        "from file:// with every other request refused, and the app's Story page from one `streamlit run` "
        "process, until the first chart is drawn. Load average (1 min) of the machine when the section "
        f"began and ended: {load[0]:.1f} and {load[1]:.1f} on {os.cpu_count()} cores (other jobs share "
        "them; every time grows with it).",
        "",
        "| | median (s) | fastest (s) | slowest (s) | each run (s) |",
        "|---|---|---|---|---|",
        _row("pack: first slide drawn, from file:// (navigation to chart, polled)", slide),
        _row("pack: the same, by the page's own clock (performance.now())", page_ms, 1000.0),
        _row("app: Story page, cold start to first chart", app),
        "",
        f"- Target (first slide ≤ {TARGET_S:g} s, median of {result['runs']}): "
        f"**{'met' if median <= TARGET_S else 'missed'}** ({median:.2f} s); "
        f"{median / statistics.median(app):.2f} × the app's cold start in the same run.",
        f"- The pack built for it ({result['pages']} pages, no images) in {float(result['build_s']):.0f} s."  # type: ignore[arg-type]
        + (f" {zip_note}" if zip_note else ""),
        f"- What the slide loads: its page ({int(result['slide_bytes']) / 1000:.0f} KB with its chart's figure), "  # type: ignore[call-overload]
        "pack.css, pack.js, and plotly.js's partial bundle *basic* (scatter and bar): a page loads the "
        "smallest bundle that draws its chart (pack/assets.py). plotly.js alone, from navigation to the "
        "bundle started, in a new context, in the same run:",
        "",
        "| bundle | size | median (s) | each run (s) |",
        "|---|---|---|---|",
    ]
    bundle_s: dict[str, list[float]] = result["bundle_s"]  # type: ignore[assignment]
    sizes: dict[str, int] = result["bundle_bytes"]  # type: ignore[assignment]
    for name, values in bundle_s.items():
        label = "basic (the slide's)" if name == "basic" else "full (every trace type; the Sankey pages')"
        lines.append(
            f"| {label} | {sizes[name] / 1e6:.1f} MB | {statistics.median(values):.2f} | "
            + ", ".join(f"{v:.2f}" for v in values)
            + " |"
        )
    return "\n".join(lines)


def replace_section(report: str, section: str) -> str:
    """BENCHMARKS.md with this section replaced (or put before the fixed analysis)."""
    return sections.replace(report, section, HEADING)
