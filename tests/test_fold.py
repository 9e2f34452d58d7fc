"""A room sees each story step whole on its first screen: the title, the sentence and the whole
chart inside the window, at 1280×720 and at 1920×1080, with Streamlit's chrome and with
`&embed=true`; and every text the chart draws is at least 18 px at 1920×1080.

Issue 20, item 9: at 1280×720 the chart started below the fold, so a room read the sentence
without its picture; item 11: legend titles, colour scales and notes were 13-17 px.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from dashboard.story import STEPS
from tests.support import wait_for_app, wait_for_charts

pytestmark = pytest.mark.browser
SIZES = ((1280, 720), (1920, 1080))
SMALLEST_TEXT_PX = 18

# The boxes of the step's title, its sentence and its chart (the whole Streamlit element), and the
# computed size of every text the chart draws (hover labels exist only under the pointer).
BOXES_JS = """() => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    const box = (el) => {
        if (!el) return null;
        const b = el.getBoundingClientRect();
        return {top: b.top, bottom: b.bottom, left: b.left, right: b.right};
    };
    const chart = main.querySelector('[data-testid="stPlotlyChart"]');
    const texts = chart ? [...chart.querySelectorAll('svg text')]
        .filter(t => !t.closest('.hoverlayer') && t.textContent.trim() !== '')
        .map(t => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize)]) : [];
    return {
        title: box(main.querySelector('h1')),
        sentence: box(main.querySelector('h2')),
        chart: box(chart),
        texts,
        width: window.innerWidth,
        height: window.innerHeight,
    };
}"""


def outside(name: str, box: dict[str, float] | None, width: int, height: int) -> list[str]:
    if box is None:
        return [f"no {name}"]
    if box["top"] < 0 or box["bottom"] > height or box["left"] < 0 or box["right"] > width:
        return [f"the {name} spans {box['top']:.0f}–{box['bottom']:.0f} px of a {height} px screen"]
    return []


def fold_problems(tab: Page, where: str) -> tuple[list[str], list[str]]:
    """What a room would miss on the first screen of the story step in `tab` (title, sentence or
    chart outside the window), and at 1920 px wide every text of its chart under 18 px."""
    seen = tab.evaluate(BOXES_JS)
    width, height = seen["width"], seen["height"]
    problems = [
        f"{where}: {p}"
        for name in ("title", "sentence", "chart")
        for p in outside(name, seen[name], width, height)
    ]
    small = []
    if width == 1920:
        assert seen["texts"], f"{where}: the chart drew no text"
        small = [f"{where}: «{text}» {size} px" for text, size in seen["texts"] if size < SMALLEST_TEXT_PX]
    return problems, small


# With Streamlit's chrome, the same check runs inside tests/test_legibility.py, which opens every
# story step at both sizes already (one visit of each step serves both tests).
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_embedded_story_step_shows_its_title_sentence_and_whole_chart_on_the_first_screen(
    browser: Browser, base_url: str, lang: str
) -> None:
    problems: list[str] = []
    small: list[str] = []
    for width, height in SIZES:
        context = browser.new_context(viewport={"width": width, "height": height})
        tab = context.new_page()
        for number in range(1, len(STEPS) + 1):
            tab.goto(f"{base_url}/story?step={number}&lang={lang}&embed=true")
            wait_for_app(tab)
            wait_for_charts(tab, 1)
            found, tiny = fold_problems(tab, f"{lang} step {number} at {width}×{height} embedded")
            problems += found
            small += tiny
        context.close()
    assert problems == [], "\n".join(problems)
    assert small == [], "\n".join(small)
