"""In Debian's Chromium, driven by Playwright: the pages draw, and nothing leaves localhost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.support import (
    CHARTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGES,
    ROOT,
    is_local,
    streamlit_server,
    wait_for_app,
    wait_for_charts,
)

pytestmark = pytest.mark.browser
SHOTS = ROOT / "screenshots"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
    tab = context.new_page()
    tab.external = []  # type: ignore[attr-defined]
    tab.on("request", lambda r: None if is_local(r.url) else tab.external.append(r.url))  # type: ignore[attr-defined]
    yield tab
    context.close()


def open_page(page: Page, base_url: str, name: str, query: str = "") -> None:
    page.goto(f"{base_url}/{'' if name == 'overview' else name}{query}")
    wait_for_app(page)
    wait_for_charts(page, *CHARTS[name])


@pytest.mark.parametrize("name", PAGES)
def test_each_page_draws_its_charts_with_no_request_outside_localhost(
    page: Page, base_url: str, name: str
) -> None:
    open_page(page, base_url, name)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Source:", exact=False).count() >= (1 if name != "sources" else 0)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"test-{name}.png"))
    assert page.external == []  # type: ignore[attr-defined]


def test_the_map_and_sankey_draw_offline_in_every_view(page: Page, base_url: str) -> None:
    for query in ("?metric=demand", "?metric=supply", "?metric=north_south&classification=un"):
        open_page(page, base_url, "map", query)
        assert page.locator(".maplibregl-canvas").count() >= 1
    open_page(page, base_url, "flows")
    assert page.locator('[data-testid="stPlotlyChart"] .sankey').count() == 1
    assert page.locator('[data-testid="stDeckGlJsonChart"] canvas').count() >= 1
    assert page.external == []  # type: ignore[attr-defined]
