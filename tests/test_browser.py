"""In Debian's Chromium, driven by Playwright: the pages draw, and nothing leaves localhost."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.support import (
    CHARTS,
    PAGES,
    ROOT,
    is_local,
    wait_for_app,
    wait_for_charts,
)

pytestmark = pytest.mark.browser
SHOTS = ROOT / "screenshots"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
    tab = context.new_page()
    tab.external = []  # type: ignore[attr-defined]
    tab.refused = []  # type: ignore[attr-defined]
    tab.on("request", lambda r: None if is_local(r.url) else tab.external.append(r.url))  # type: ignore[attr-defined]
    tab.on(  # our own assets (the maps' borders) must be served, not refused
        "response",
        lambda r: (
            tab.refused.append(f"{r.status} {r.url}") if "/app/static/" in r.url and r.status >= 400 else None
        ),  # type: ignore[attr-defined]
    )
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
    assert page.get_by_text("Source:", exact=False).count() >= (1 if name not in ("sources", "lesson") else 0)
    SHOTS.mkdir(exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / f"test-{name}.png"))
    assert page.external == []  # type: ignore[attr-defined]
    assert page.refused == []  # type: ignore[attr-defined]


def test_the_map_and_sankey_draw_offline_in_every_view(page: Page, base_url: str) -> None:
    for visit, query in enumerate(
        ("?metric=demand", "?metric=supply", "?metric=north_south&classification=un")
    ):
        with page.expect_response(lambda r: r.url.endswith("/app/static/world.geojson")) as borders:
            open_page(page, base_url, "map", query)
        assert borders.value.status == 200 and len(borders.value.body()) > 100_000
        assert page.locator(".geolayer .choroplethlayer path").count() >= 200
        # A first visit fetches the countries beside plotly.js, then plotly.js reads them from the
        # browser's cache (dashboard/first_chart.py, preload): one download, started first.
        fetched = page.evaluate(
            "performance.getEntriesByType('resource').filter(e => e.name.endsWith('/app/static/world.geojson'))"
            ".map(e => [e.initiatorType, e.transferSize])"
        )
        if visit == 0:
            assert fetched[0][0] == "fetch", fetched
            assert fetched[0][1] > 100_000 and all(size < 1_000 for _, size in fetched[1:]), fetched
        else:
            # The next visits ask for it early too, and download it at most once. (Which of the two
            # asks first is then a race of two cache reads, not something a reader waits for: under
            # load plotly.js, cached too, once asked first. And Streamlit sends no Cache-Control, so
            # on a fresh clone, whose files are minutes old, the cached copy may be stale already
            # and be fetched again, once.)
            assert any(kind == "fetch" for kind, _ in fetched), fetched
            assert sum(size > 100_000 for _, size in fetched) <= 1, fetched
        # Streamlit asked the server's own address at once, not /map/_stcore/health first
        # (deploy/page_address.py): one health request, at the root.
        asked = page.evaluate(
            "performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('_stcore/health'))"
        )
        assert asked == [f"{base_url}/_stcore/health"], asked
    open_page(page, base_url, "flows")
    assert page.locator('[data-testid="stDeckGlJsonChart"] canvas').count() >= 1
    # The Sankey is in its own tab: a reader opens it.
    page.get_by_role("tab", name="Groups of countries", exact=True).click()
    page.wait_for_selector('[data-testid="stPlotlyChart"] .sankey', state="attached")
    assert page.locator('[data-testid="stPlotlyChart"] .sankey').count() == 1
    assert page.external == []  # type: ignore[attr-defined]


def test_a_french_browser_gets_french_titles_and_numbers(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    tab = context.new_page()
    tab.goto(f"{base_url}/story")
    wait_for_app(tab)
    wait_for_charts(tab, *CHARTS["story"])
    assert tab.get_by_role("heading", name="Qui achète").count() == 1
    # Babel's French percent: a no-break space before %, e.g. "50 %".
    assert tab.get_by_text(re.compile(r"publient \d+(,\d)?[\u00a0\u202f]%")).count() == 1
    context.close()


def test_lang_in_the_url_overrides_the_browser(page: Page, base_url: str) -> None:
    open_page(page, base_url, "overview", "?lang=fr")
    assert page.get_by_role("heading", name="Atlas du travail numérique").count() == 1
    open_page(page, base_url, "overview", "?lang=en")
    assert page.get_by_role("heading", name="Digital Labour Atlas").count() == 1


def test_a_shared_link_reopens_the_same_view(page: Page, base_url: str) -> None:
    open_page(page, base_url, "map", "?metric=supply&country=IND&lang=fr")
    assert page.get_by_role("radio", name="Travailleurs (parts citées)").is_checked()
    assert page.get_by_text("Tout ce que nous savons d’un pays").count() == 1
    assert page.get_by_role("heading", name="Inde", exact=True).count() == 1
    link = page.locator('[data-testid="stSidebar"] [data-testid="atlas-share-link"]').input_value()
    assert "metric=supply" in link and "country=IND" in link and "lang=fr" in link
    page.get_by_text("Nord / Sud").click()
    page.wait_for_function("() => location.search.includes('metric=north_south')")
    wait_for_app(page)
    assert page.get_by_role("radio", name="Nord / Sud").is_checked()


def test_nonsense_and_hostile_values_fall_back_with_a_notice(page: Page, base_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    hostile = "?metric=%3Cscript%3Ealert(1)%3C%2Fscript%3E&country=ZZZ&occupation=%3Cb%3Ex&lang=en"
    open_page(page, base_url, "map", hostile)
    assert page.get_by_role("radio", name="Workers (measured)").is_checked()
    notices = page.locator('[data-testid="stAlertContentWarning"]')
    assert notices.count() >= 3
    assert notices.filter(has_text="metric=<script>alert(1)</script>").count() == 1
    assert page.locator("script:has-text('alert(1)')").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert dialogs == []
    open_page(page, base_url, "wages", "?price=-5&seconds=abc&year=1066&currency=%00&lang=xx")
    assert page.get_by_role("heading", name="Wages: what a click pays").count() == 1
    assert page.locator('[data-testid="stAlertContentWarning"]').count() >= 5
    assert page.locator('[data-testid="stException"]').count() == 0


CONTRAST_JS = """() => {
    const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
        const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = el => {
        for (let e = el; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
        }
        return [255, 255, 255];
    };
    const ratio = (fg, bg) => { const a = lum(fg) + 0.05, b = lum(bg) + 0.05; return Math.max(a, b) / Math.min(a, b); };
    const blend = (c, bg) => c.length === 4 ? c.slice(0, 3).map((v, i) => v * c[3] + bg[i] * (1 - c[3])) : c;
    const out = {};
    const check = (name, el, colour) => {
        if (!el) return;
        const bg = background(el);
        out[name] = ratio(blend(rgb(colour), bg), bg);
    };
    const p = document.querySelector('[data-testid="stMarkdownContainer"] p');
    check('text', p, p && getComputedStyle(p).color);
    const cap = document.querySelector('[data-testid="stCaptionContainer"]');
    check('caption', cap, cap && getComputedStyle(cap).color);
    const nav = document.querySelector('[data-testid="stSidebarNavLink"] span');
    check('navigation', nav, nav && getComputedStyle(nav).color);
    const tick = document.querySelector('[data-testid="stPlotlyChart"] .ytick text');
    if (tick) {
        const fill = tick.style.fill || getComputedStyle(tick).fill;
        const bg = background(tick.closest('[data-testid="stPlotlyChart"]'));
        const c = rgb(fill);
        out['chart labels'] = ratio(blend(c.length === 4 ? c : [...c, Number(tick.style.fillOpacity || 1)], bg), bg);
    }
    return out;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_meets_wcag_aa_contrast_in_both_themes(browser: Browser, base_url: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, color_scheme=scheme)  # type: ignore[arg-type]
    tab = context.new_page()
    tab.goto(f"{base_url}/?lang=en")
    wait_for_app(tab)
    wait_for_charts(tab, *CHARTS["overview"])
    ratios = tab.evaluate(CONTRAST_JS)
    context.close()
    assert set(ratios) == {"text", "caption", "navigation", "chart labels"}, ratios
    assert {name: round(value, 2) for name, value in ratios.items() if value < 4.5} == {}
