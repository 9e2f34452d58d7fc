"""A lecture hall on loopback: many sessions open the Map at once and each changes a control.

Most sessions speak Streamlit's websocket protocol (benchmarks/client.py); `browsers` of them are
real Chromium pages that must draw the map. Bounded: a fixed number of sessions, each with a
60-second limit, all against 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from playwright.async_api import async_playwright

from benchmarks.client import visit
from tests.support import APP_IDLE_JS, CHARTS_DRAWN_JS, CHROMIUM, CHROMIUM_ARGS

LIMIT_S = 60


async def _protocol(base: str, results: list[dict[str, object]]) -> None:
    started = time.perf_counter()
    try:
        session = await asyncio.wait_for(visit(base, "map", "lang=en", "metric", 1), LIMIT_S)
        error = "; ".join(session.exceptions)
        results.append(
            {
                "kind": "protocol",
                "open_s": session.first_seconds,
                "change_s": session.change_seconds,
                "error": error,
            }
        )
    except Exception as problem:  # a timeout or a dropped socket is an error to count, not a crash
        results.append(
            {
                "kind": "protocol",
                "open_s": time.perf_counter() - started,
                "change_s": None,
                "error": repr(problem),
            }
        )


async def _browser(context_factory: object, base: str, results: list[dict[str, object]]) -> None:
    context = await context_factory()  # type: ignore[operator]
    page = await context.new_page()
    started = time.perf_counter()
    try:
        await page.goto(f"{base}/map?lang=en", timeout=LIMIT_S * 1000)
        await page.wait_for_function(APP_IDLE_JS, timeout=LIMIT_S * 1000)
        await page.wait_for_function(CHARTS_DRAWN_JS, arg=[1, 0], timeout=LIMIT_S * 1000)
        opened = time.perf_counter() - started
        changed_at = time.perf_counter()
        await page.get_by_text("Supply (workers)").click()
        await page.wait_for_function(
            "() => location.search.includes('metric=supply')", timeout=LIMIT_S * 1000
        )
        await page.wait_for_function(APP_IDLE_JS, timeout=LIMIT_S * 1000)
        await page.wait_for_function(CHARTS_DRAWN_JS, arg=[1, 0], timeout=LIMIT_S * 1000)
        failed = await page.locator('[data-testid="stException"]').count()
        results.append(
            {
                "kind": "browser",
                "open_s": opened,
                "change_s": time.perf_counter() - changed_at,
                "error": "exception shown" if failed else "",
            }
        )
    except Exception as problem:
        results.append(
            {
                "kind": "browser",
                "open_s": time.perf_counter() - started,
                "change_s": None,
                "error": repr(problem)[:200],
            }
        )
    finally:
        await context.close()


async def _run(base: str, sessions: int, browsers: int) -> list[dict[str, object]]:
    results: list[dict[str, object]] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        async def context() -> object:
            return await browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-GB")

        tasks = [_browser(context, base, results) for _ in range(browsers)]
        tasks += [_protocol(base, results) for _ in range(sessions - browsers)]
        await asyncio.gather(*tasks)
        await browser.close()
    return results


def run(base: str, sessions: int, browsers: int) -> dict[str, object]:
    started = time.perf_counter()
    results = asyncio.run(_run(base, sessions, browsers))
    return {
        "sessions": sessions,
        "browsers": browsers,
        "results": results,
        "wall_s": time.perf_counter() - started,
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else float("nan")


def render(crowd: dict[str, object]) -> str:
    results: list[dict[str, object]] = crowd["results"]  # type: ignore[assignment]
    errors = [r for r in results if r["error"]]
    lines = [
        f"## Lecture hall: {crowd['sessions']} concurrent sessions on the Map, {crowd['browsers']} of them in Chromium",
        "",
        f"All started at once against one server on 127.0.0.1; each opens the Map, then switches it to Supply. "
        f"Whole test: {crowd['wall_s']:.0f} s.",
        "",
        "| sessions | count | errors | open p50 (s) | open p95 (s) | change p50 (s) | change p95 (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, label in (
        ("browser", "Chromium (drawn page)"),
        ("protocol", "websocket protocol (script finished)"),
    ):
        rows = [r for r in results if r["kind"] == kind]
        opened = [float(r["open_s"]) for r in rows if not r["error"]]  # type: ignore[arg-type]
        changed = [float(r["change_s"]) for r in rows if not r["error"] and r["change_s"] is not None]  # type: ignore[arg-type]
        lines.append(
            f"| {label} | {len(rows)} | {sum(1 for r in rows if r['error'])} | "
            f"{statistics.median(opened) if opened else float('nan'):.2f} | {_p95(opened):.2f} | "
            f"{statistics.median(changed) if changed else float('nan'):.2f} | {_p95(changed):.2f} |"
        )
    drawn = [float(r["open_s"]) for r in results if r["kind"] == "browser" and not r["error"]]  # type: ignore[arg-type]
    lines += [
        "",
        f"Target: zero errors ({'met' if not errors else f'missed: {len(errors)}'}), p95 ≤ 3 s to a drawn page "
        f"({'met' if drawn and _p95(drawn) <= 3 else 'missed'}: {_p95(drawn):.2f} s in Chromium).",
    ]
    if errors:
        lines += ["", "First errors:", ""] + [f"- {r['kind']}: {r['error']}" for r in errors[:5]]
    return "\n".join(lines)
