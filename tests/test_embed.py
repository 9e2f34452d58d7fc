"""Embed this view (issue 22): one chart of a view inside another site's page, its iframe code and
link, and its PNGs with the title and source line drawn in."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html import unescape

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page
from streamlit.testing.v1 import AppTest

from dashboard import embed
from tests.support import is_local, run_page, wait_for_app

WAGES_CHARTS = ("price-ladder", "online-pay-vs-minimum-ppp", "pay-by-occupation-2019", "hourly-vs-minimum")


def run(page: str, lang: str = "en", **params: str) -> AppTest:
    return run_page(page, lang, **params)  # type: ignore[no-any-return]


def test_each_cited_chart_offers_its_iframe_code_and_link_once_opened() -> None:
    at = run("wages", basis="ppp")
    embeds = [key for key in at.session_state if str(key).startswith("embed-")]
    assert sorted(embeds) == sorted(f"embed-{name}" for name in WAGES_CHARTS)
    assert not any("atlas-embed-code" in h.proto.body for h in at.get("html")), "lazy: drawn once opened"  # type: ignore[attr-defined]
    at.session_state["embed-online-pay-vs-minimum-ppp"] = True  # a reader opens one
    at.run()
    bodies = " ".join(h.proto.body for h in at.get("html"))  # type: ignore[attr-defined]
    code = unescape(
        re.search(r'<textarea data-testid="atlas-embed-code"[^>]*>(.*?)</textarea>', bodies, re.S).group(1)
    )  # type: ignore[union-attr]
    assert code.startswith("<iframe ") and 'title="Measured: what online workers are paid' in code
    src = unescape(re.search(r'src="([^"]+)"', code).group(1))  # type: ignore[union-attr]
    assert "embed=true" in src and "chart=online-pay-vs-minimum-ppp" in src and "basis=ppp" in src
    assert re.search(r'height="\d{3,4}"', code)
    labels = [b.label for b in at.get("download_button")]  # type: ignore[attr-defined]
    assert "PNG for a slide (1920 × 1080)" in labels and "PNG for a social preview (1200 × 630)" in labels


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1200, 630)])
def test_the_png_has_its_size_title_and_source_line(width: int, height: int) -> None:
    figure = {"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}], "layout": {}}
    made = embed._png_maker(figure, "A title", "Source: someone (2020)", width, height)()
    image = Image.open(io.BytesIO(made)).convert("L")
    assert image.size == (width, height)
    top = image.crop((0, 0, width // 2, 60))  # the title is drawn in the top band
    bottom = image.crop((0, height - 50, width // 2, height))  # and the source line at the bottom
    assert top.getextrema()[0] < 100 and bottom.getextrema()[0] < 140


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-GB")
    page = context.new_page()
    page.outside = []  # type: ignore[attr-defined]
    page.on("request", lambda r: None if is_local(r.url) else page.outside.append(r.url))  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("view", "title"),
    [
        ("wages?basis=ppp&chart=online-pay-vs-minimum-ppp", "Measured: what online workers are paid"),
        ("flows?view=sankey&chart=flows-sankey-2015", "Employers' side → workers' side, 2015"),
        # the Story's chart sits in a column beside its words: the words column goes too
        ("story?step=4&chart=story-4", "Through which platforms"),
    ],
)
def test_the_embed_route_shows_the_chart_and_its_source_line_without_the_sidebar(
    tab: Page, base_url: str, view: str, title: str
) -> None:
    tab.goto(f"{base_url}/{view}&lang=en&embed=true")
    wait_for_app(tab)
    tab.wait_for_selector(".st-key-atlas-embed .js-plotly-plot .main-svg", timeout=60000)
    # the rule that hides the rest comes with the end of the run: wait until one chart is left
    tab.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
        ".filter((e) => e.checkVisibility()).length <= 1",
        timeout=30000,
    )
    visible_charts = tab.locator('[data-testid="stPlotlyChart"]:visible').count()
    assert visible_charts == 1
    assert tab.locator('[data-testid="stSidebar"]:visible').count() == 0
    assert tab.get_by_role("heading", name=title).first.is_visible()
    assert tab.locator("h1:visible").count() == 0, "the page's own title is hidden"
    assert tab.get_by_role("tab").filter(visible=True).count() == 0
    source = tab.locator(".st-key-atlas-embed").get_by_text("Source:", exact=False)
    assert source.count() == 1 and source.is_visible()
    assert "chart=" in tab.url and "embed=true" in tab.url, "the address keeps what it shows"
    assert tab.outside == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_an_embed_link_to_a_chart_the_view_does_not_draw_shows_the_page_with_a_notice(
    tab: Page, base_url: str
) -> None:
    tab.goto(f"{base_url}/map?lang=en&embed=true&chart=no-such-chart")
    wait_for_app(tab)
    assert tab.get_by_text("This view does not draw the chart “no-such-chart”").is_visible()
    assert tab.locator("h1:visible").count() == 1


def test_a_hostile_chart_name_falls_back_with_a_notice_shown_as_text() -> None:
    at = run("wages", embed="true", chart='"><script>alert(1)</script>')
    notice = " ".join(w.value for w in at.warning)
    assert "This view does not draw the chart" in notice
    assert "<script>" not in notice and "\\<script\\>" in notice, "escaped: shown, never run"


@pytest.mark.browser
def test_the_flow_map_embeds_with_its_legends_and_goes_into_a_lesson_as_its_plotly_drawing(
    tab: Page, base_url: str
) -> None:
    tab.goto(
        f"{base_url}/flows?level=regions&focus=USA:California&lang=en&embed=true&chart=flows-map-regions-2015"
    )
    wait_for_app(tab)
    tab.wait_for_selector('.st-key-atlas-embed [data-testid="stDeckGlJsonChart"] canvas', timeout=60000)
    tab.wait_for_function(
        "() => !document.querySelector('[data-testid=stTabs] [role=tablist]').checkVisibility()"
    )
    assert tab.locator('[data-testid="stDeckGlJsonChart"]:visible').count() == 1
    assert tab.locator(".st-key-atlas-embed img").count() == 1, "the widths' legend comes with the map"
    assert tab.locator(".st-key-atlas-embed").get_by_text("Source:", exact=False).is_visible()
    assert tab.outside == []  # type: ignore[attr-defined]
    at = run("flows", level="regions", focus="USA:California")
    assert "lesson-add-flows-map-regions-2015" in [b.key for b in at.button]
