"""In Chromium, as a teacher does it (issue 22): five views taken from their links into a lesson,
the lesson downloaded as a zip, its slides opened from file:// with the network refused, and each
slide's values compared with the chart the app drew for the same view."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page

from tests.support import is_local, wait_for_app

pytestmark = pytest.mark.browser

# (page, its view's parameters, the chart to take)
VIEWS = [
    ("wages", "basis=ppp&pay_year=2015", "online-pay-vs-minimum-ppp"),
    ("workers", "survey_year=2026", "mturk-countries-2026"),
    ("map", "metric=workers&country=NPL", "worker-shares-2013-2020"),
    ("projections", "growth=10", "projections"),
    ("overview", "", "top-employer-countries"),
]

# A chart's traces as plain arrays (plotly.js keeps typed arrays), found by the file name its
# camera button gives (the chart's name), in the app or on a slide.
TRACES_JS = """(name) => {
  const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : v === undefined ? null : v);
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const own = gd._context && gd._context.toImageButtonOptions && gd._context.toImageButtonOptions.filename;
    if (name === null || own === name) {
      return gd.data.map((t) => [t.type || 'scatter', plain(t.x), plain(t.y), plain(t.z), plain(t.locations)]);
    }
  }
  return null;
}"""


def lesson_of(url: str) -> str:
    return (parse_qs(urlparse(url).query).get("v") or [""])[-1]


def app_traces(tab: Page, base_url: str, page: str, query: str, chart: str, link: str) -> object:
    """Open the view's link (with the lesson this tab holds), wait for `chart`, return its traces."""
    extra = "&".join(p for p in (query, "lang=en", f"v={link}" if link else "") if p)
    tab.goto(f"{base_url}/{'' if page == 'overview' else page}?{extra}")
    wait_for_app(tab)
    tab.wait_for_function(f"() => ({TRACES_JS})({json.dumps(chart)}) !== null", timeout=60000)
    return tab.evaluate(TRACES_JS, chart)


def test_a_five_view_lesson_downloads_and_shows_the_same_values_offline(
    browser: Browser, base_url: str, tmp_path: Path
) -> None:
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale="en-GB", accept_downloads=True
    )
    context.set_default_timeout(60000)
    tab = context.new_page()
    outside: list[str] = []
    tab.on("request", lambda r: None if is_local(r.url) else outside.append(r.url))
    link = ""
    expected = []
    for number, (page, query, chart) in enumerate(VIEWS, 1):
        expected.append(app_traces(tab, base_url, page, query, chart, link))
        tab.locator(f".st-key-lesson-add-{chart}").get_by_role("button", name="Add to my lesson").click()
        tab.wait_for_function(
            f"() => new URLSearchParams(location.search).get('v') !== {json.dumps(link or None)}"
        )
        tab.get_by_text(f"Added as slide {number} of your lesson").first.wait_for()
        link = lesson_of(tab.url)
    tab.locator('[data-testid="stSidebarNav"] a', has_text="Lesson").click()
    tab.get_by_role("heading", name="My lesson").first.wait_for()  # the Lesson page, not the last
    wait_for_app(tab)
    assert tab.get_by_text("Slide 5 of 5").count() == 1
    tab.get_by_role("button", name="Build the lesson pack (zip)").click()
    download_button = tab.get_by_role("button", name="Download this lesson", exact=False)
    download_button.wait_for(timeout=240000)
    with tab.expect_download() as fetched:
        download_button.click()
    archive = tmp_path / "lesson.zip"
    fetched.value.save_as(archive)
    assert archive.stat().st_size < 10_000_000
    assert outside == []
    context.close()

    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(tmp_path)
    top = tmp_path
    assert (top / "imsmanifest.xml").exists(), "at the zip's root, where an LMS looks for it"
    offline = browser.new_context(viewport={"width": 1920, "height": 1080}, offline=True)
    refused: list[str] = []
    offline.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file://")
            else (refused.append(route.request.url), route.abort())
        ),
    )
    slide = offline.new_page()
    for number, traces in enumerate(expected, 1):
        assert traces, f"the app drew no {VIEWS[number - 1][2]}"
        slide.goto((top / "en" / "lesson" / f"{number}.html").as_uri())
        slide.wait_for_function(f"() => ({TRACES_JS})(null) !== null", timeout=30000)
        assert slide.evaluate(TRACES_JS, None) == traces, f"slide {number}: {VIEWS[number - 1]}"
        assert slide.locator("p.source").inner_text().startswith("Source")
        for name in ("png", "svg"):
            assert (top / "en" / "images" / f"slide-{number}.{name}").stat().st_size > 1000
    assert refused == []
    offline.close()
