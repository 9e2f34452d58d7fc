"""Legible from the back of a room: no two pieces of text drawn on top of each other in any chart,
and no plot squeezed to less than half its chart's width (by a legend, a colour bar or margins),
on every page and every story step, at 1920×1080 and 1280×720, in English and in French.

Issue 15, findings 4 and 5: the price ladder's labels overlapped at the story's 560 px and 18 px
type, and an eleven-entry legend left the Projections plot about 150 px wide. Each page is opened
once per language and measured at both sizes (the charts are redrawn to the new width in place).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from dashboard.story import STEPS
from tests.support import (
    CHARTS,
    PAGES,
    POLL_MS,
    wait_for_app,
    wait_for_charts,
)

pytestmark = pytest.mark.browser
SIZES = ((1920, 1080), (1280, 720))
# Two boxes overlap when they share more than this many pixels both ways (anti-aliasing and the
# ascenders of one line touching the descenders of the next are not overlaps a reader sees).
SLACK_PX = 2

# Every piece of text a chart draws (tick labels, titles, legend entries, annotations, Sankey
# node labels, colour-bar ticks), visible, with its box; and the plot area's width against the
# chart's. Hover labels only exist while the pointer is on a mark, and are left out.
MEASURE_JS = """(slack) => {
    const visible = (el) => {
        for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
            const style = getComputedStyle(e);
            if (style.display === 'none' || style.visibility === 'hidden' || parseFloat(style.opacity) === 0) return false;
        }
        return true;
    };
    return [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].map((gd, index) => {
        const name = (gd._context && gd._context.toImageButtonOptions || {}).filename || String(index);
        const texts = [...gd.querySelectorAll('svg text')]
            .filter(t => !t.closest('.hoverlayer') && t.textContent.trim() !== '' && visible(t))
            .map(t => ({text: t.textContent.trim(), box: t.getBoundingClientRect()}))
            .filter(t => t.box.width > 0 && t.box.height > 0);
        const overlaps = [];
        for (let i = 0; i < texts.length; i++) {
            for (let j = i + 1; j < texts.length; j++) {
                const a = texts[i].box, b = texts[j].box;
                const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (w > slack && h > slack) overlaps.push([texts[i].text, texts[j].text, Math.round(w), Math.round(h)]);
            }
        }
        const size = gd._fullLayout ? gd._fullLayout._size : null;
        return {name, overlaps, plot: size ? Math.round(size.w) : 0, width: Math.round(gd.getBoundingClientRect().width)};
    });
}"""

VIEWS = [(page, "") for page in PAGES if page != "story"] + [
    ("story", f"step={n}") for n in range(1, len(STEPS) + 1)
]


def redrawn(tab: Page, width: int) -> None:
    """Wait until every chart has been laid out again for a window `width` px wide (Streamlit's
    charts follow their column; plotly redraws on the window's resize)."""
    tab.wait_for_function(
        """(width) => {
            const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')];
            return charts.every(gd => {
                const box = gd.getBoundingClientRect().width;
                return gd._fullLayout && Math.abs(gd._fullLayout.width - box) <= 2 && box < width;
            });
        }""",
        arg=width,
        polling=POLL_MS,
        timeout=20000,
    )


def measure(tab: Page) -> list[dict[str, object]]:
    return tab.evaluate(MEASURE_JS, SLACK_PX)  # type: ignore[no-any-return]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_chart_text_overlaps_and_no_plot_is_squeezed_at_either_size(
    browser: Browser, base_url: str, lang: str
) -> None:
    context = browser.new_context(viewport={"width": SIZES[0][0], "height": SIZES[0][1]}, locale="en-GB")
    tab = context.new_page()
    problems: list[str] = []
    charts_seen = 0
    for page, query in VIEWS:
        tab.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
        tab.goto(f"{base_url}/{'' if page == 'overview' else page}?lang={lang}{'&' + query if query else ''}")
        wait_for_app(tab)
        wait_for_charts(tab, *CHARTS[page])
        for width, height in SIZES:
            if width != SIZES[0][0]:
                tab.set_viewport_size({"width": width, "height": height})
            redrawn(tab, width)
            where = f"{lang} {page}{' ' + query if query else ''} at {width}×{height}"
            for chart in measure(tab):
                charts_seen += 1
                for a, b, w, h in chart["overlaps"]:  # type: ignore[attr-defined]
                    problems.append(f"{where}, {chart['name']}: «{a}» and «{b}» overlap by {w}×{h} px")
                if chart["plot"] < chart["width"] / 2:  # type: ignore[operator]
                    problems.append(
                        f"{where}, {chart['name']}: the plot is {chart['plot']} px of a {chart['width']} px chart"
                    )
    context.close()
    # Every page with charts was measured (a selector that found nothing would pass anything).
    assert charts_seen >= 2 * sum(CHARTS[p][0] for p, _ in VIEWS), charts_seen
    assert problems == [], "\n".join(problems)
