"""The classroom pack (`make pack`): the story and every chart as pages that open from file:// with
no request leaving them, in both languages, each with its source line and its rows; the same bytes
from two builds but for the date; markup from the data shown as text; under 20 MB.

One pack is built per session (without images: kaleido is tried on a sample in its own test), and
a second one in another process at the same time, for the determinism test.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from playwright.sync_api import Browser, BrowserContext

from dashboard import caching, citations, data, flows, i18n
from dashboard.i18n import catalogue, message
from pack import assets, build, chart_pages, html, images, slides, sources_page
from tests.support import ROOT

DATE = "2026-12-02"
OTHER_DATE = "2031-01-02"
TIDY = ROOT / "datasets" / "tidy"
STEPS = slides.count()
SLUGS = [chart.slug for chart in chart_pages.CHARTS]
LIMIT_BYTES = 20 * 1000 * 1000
HOSTILE = "</script><script>alert('x')</script><img src=x onerror=alert(1)> *bold*"


@pytest.fixture(scope="session")
def second_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """Another build, in another process (another hash seed) with another date, running while the
    session's own build runs."""
    out = tmp_path_factory.mktemp("pack-other")
    log = (out / "build.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "pack", "--out", str(out), "--date", OTHER_DATE, "--no-images"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    yield process, out
    if process.poll() is None:
        process.kill()
    log.close()


@pytest.fixture(scope="session")
def pack(
    tmp_path_factory: pytest.TempPathFactory, second_build: tuple[subprocess.Popen[bytes], Path]
) -> build.Summary:
    return build.build(tmp_path_factory.mktemp("pack"), DATE, with_images=False)


def pages_of(lang: str) -> list[str]:
    return (
        [f"{lang}/story/{n}.html" for n in range(1, STEPS + 1)]
        + [f"{lang}/charts/{slug}.html" for slug in SLUGS]
        + [f"{lang}/sources.html", f"{lang}/index.html"]
    )


CHART_PAGES = [p for lang in i18n.LANGS for p in pages_of(lang) if "/story/" in p or "/charts/" in p]
EVERY_PAGE = ["index.html", *(p for lang in i18n.LANGS for p in pages_of(lang))]


class _Text(HTMLParser):
    """The text of the elements of one class in a page (as a reader sees it, entities decoded)."""

    def __init__(self, css: str) -> None:
        super().__init__()
        self.css, self.depth, self.found = css, 0, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif self.css in (dict(attrs).get("class") or "").split():
            self.depth, self.found = 1, [*self.found, ""]

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(0, self.depth - 1)

    def handle_data(self, text: str) -> None:
        if self.depth:
            self.found[-1] += text


def texts(page: Path, css: str) -> list[str]:
    parser = _Text(css)
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


def pack_csv(path: Path, **options: object) -> pd.DataFrame:
    """A pack CSV read as a spreadsheet in its language reads it (French: ';' and a decimal comma),
    its human headers turned back into the tables' column names (the `column.*` messages)."""
    lang = path.relative_to(path.parents[2]).parts[0]
    french = lang == "fr"
    frame = pd.read_csv(
        path, sep=";" if french else ",", decimal="," if french else ".", encoding="utf-8-sig", **options
    )
    names = {
        message(key, lang): key.removeprefix("column.")
        for key in catalogue(lang)
        if key.startswith("column.")
    }
    unknown = [c for c in frame.columns if c not in names]
    assert unknown == [], (path, unknown)
    return frame.rename(columns=names)


def source_prefix(lang: str) -> str:
    return message("common.source_prefix", lang)


def csv_of(page: str) -> str:
    lang, kind, name = page.split("/")
    stem = name.removesuffix(".html")
    return f"{lang}/data/{'story-' + stem if kind == 'story' else stem}.csv"


def test_the_pack_has_a_slide_per_story_step_and_a_page_per_chart_in_both_languages(
    pack: build.Summary,
) -> None:
    site = pack.site
    for page in EVERY_PAGE:
        assert (site / page).is_file(), page
    for page in CHART_PAGES:
        assert (site / csv_of(page)).is_file(), page
    for shared in (assets.PLOTLY, assets.LOCALE, assets.WORLD, assets.STYLE, assets.SCRIPT):
        assert (site / shared).is_file(), shared
    assert len(CHART_PAGES) == 2 * (STEPS + len(chart_pages.CHARTS))
    # The zip holds exactly the folder, under one top folder.
    assert pack.archive is not None
    with zipfile.ZipFile(pack.archive) as bundle:
        names = bundle.namelist()
    on_disk = sorted(f"{build.TOP}/{p.relative_to(site).as_posix()}" for p in site.rglob("*") if p.is_file())
    assert names == on_disk


def test_every_page_states_its_source_line_and_every_row_of_its_csv_is_cited(pack: build.Summary) -> None:
    bibliography = pd.read_csv(TIDY / "sources.csv", keep_default_na=False, dtype=str)
    by_id = dict(zip(bibliography["source_id"], bibliography["citation"], strict=True))
    for page in CHART_PAGES:
        lang = page[:2]
        prefix = source_prefix(lang)
        lines = texts(pack.site / page, "source")
        assert len(lines) == 1 and lines[0].startswith(prefix + " "), (page, lines)
        rows = pack_csv(pack.site / csv_of(page), keep_default_na=False, dtype=str)
        assert len(rows) > 0, page
        if "source_id" in rows:
            cited = rows[rows["source_id"] != ""]
            # Each row's citation is the bibliography's short one in the page's language ("n.d." /
            # "s. d." where the source is undated), and the page's source line names it.
            assert list(cited["citation"]) == [citations.short(s, lang) for s in cited["source_id"]], page
            assert all(
                by_id[s].split(" (")[0] in c
                for s, c in zip(cited["source_id"], cited["citation"], strict=True)
            ), page
            for citation in set(cited["citation"]):
                assert citation in lines[0], (page, citation)


def test_a_chart_csv_holds_exactly_the_rows_of_its_chart(pack: build.Summary) -> None:
    # The measured workers map of 2020: every country whose workers won a project that year.
    supply = pd.read_csv(TIDY / "worker_supply_years.csv")
    won = supply[(supply["year"] == 2020) & (supply["projects"] > 0)]
    shown = pack_csv(pack.site / "en/data/map-workers-2020.csv", keep_default_na=False)
    assert sorted(shown["iso3"]) == sorted(won["iso3"])
    assert shown["share_of_year_percent"].sum() == pytest.approx(won["share_of_year_percent"].sum())
    # Story step 1: the eight employer countries with the largest shares of 2014's measured
    # projects (the network file), and the part of each that went to workers in India.
    pairs = pd.read_csv(TIDY / "flow_pairs.csv", keep_default_na=False)
    of_year = pairs[pairs["year"] == 2014]
    top = of_year.groupby("employer_iso3")["share_of_year_percent"].sum().nlargest(8)
    first = pack_csv(pack.site / "fr/data/story-1.csv", keep_default_na=False)
    assert list(first["iso3"]) == list(top.index)
    assert list(first["share_of_year_percent"]) == pytest.approx(list(top))
    india = of_year[of_year["worker_iso3"] == "IND"].groupby("employer_iso3")["share_of_year_percent"].sum()
    assert list(first["to_india"]) == pytest.approx([india.get(c, 0.0) for c in top.index])
    assert "hover" not in first and all(c.startswith("Braesemann et al. (2022") for c in first["citation"])
    assert first.loc[first["iso3"] == "USA", "country"].item() == "États-Unis"


def test_the_flows_map_draws_the_decks_flows_with_plotly() -> None:
    with i18n.speaking("en"):
        chosen = flows.view(2015, chart_pages.TOP_PAIRS, "wb")
        figure = flows.figure(2015, chart_pages.TOP_PAIRS, "wb")
    drawn = [d for d in figure.data if d.type == "scattergeo" and d.mode == "lines+markers"]
    assert len(drawn) == len(chosen.flows) == chart_pages.TOP_PAIRS
    assert [a.line.width for a in drawn] == pytest.approx(list(chosen.flows["width"]))
    # Each flow runs from the employer's country to the worker's, stopping at the edge of the
    # worker's circle, with one arrowhead turned along the line at its end; the largest
    # cross-border pair of 2015 in the flow table is drawn last (on top).
    places = pd.read_csv(
        TIDY / "countries.csv",
        usecols=["iso3", "lon", "lat"],
        keep_default_na=False,
        na_values={"lon": [""], "lat": [""]},
    ).set_index("iso3")
    for line, row in zip(drawn, chosen.flows.itertuples(), strict=True):
        assert (line.lon[0], line.lat[0]) == pytest.approx(tuple(places.loc[row.from_iso3, ["lon", "lat"]]))
        worker = places.loc[row.to_iso3]
        assert abs(line.lon[-1] - worker["lon"]) < 8 and abs(line.lat[-1] - worker["lat"]) < 8
        sizes = list(line.marker.size)
        assert sizes[-1] > 0 and not any(sizes[:-1]) and line.marker.angleref == "previous"
    pairs = pd.read_csv(TIDY / "flow_pairs.csv", keep_default_na=False)
    largest = pairs[(pairs["year"] == 2015) & (pairs["domestic"] == "no")].nlargest(1, "projects").iloc[0]
    assert tuple(chosen.flows.iloc[-1][["from_iso3", "to_iso3"]]) == (
        largest["employer_iso3"],
        largest["worker_iso3"],
    )
    assert "Braesemann et al. (2022" in drawn[-1].hovertext[0]


def test_two_builds_are_identical_but_for_their_date(
    pack: build.Summary, second_build: tuple[subprocess.Popen[bytes], Path]
) -> None:
    process, out = second_build
    assert process.wait(timeout=300) == 0, (out / "build.log").read_text(encoding="utf-8")
    other = out / "pack"
    mine = {p.relative_to(pack.site).as_posix(): p.read_bytes() for p in pack.site.rglob("*") if p.is_file()}
    theirs = {p.relative_to(other).as_posix(): p.read_bytes() for p in other.rglob("*") if p.is_file()}
    assert sorted(mine) == sorted(theirs)
    dated = sorted(name for name in mine if mine[name] != theirs[name])
    assert dated == ["README.txt", "en/index.html", "fr/index.html", "index.html"]
    for name in dated:
        assert mine[name].replace(DATE.encode(), OTHER_DATE.encode()) == theirs[name], name
    # The zip: entries sorted, one timestamp, and the same bytes when written again from the same files.
    with zipfile.ZipFile(out / "atlas-pack.zip") as bundle:
        infos = bundle.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {build.ZIP_TIME}
    again = out / "again.zip"
    build.write_zip(other, again)
    assert again.read_bytes() == (out / "atlas-pack.zip").read_bytes()


def test_the_vendored_plotly_files_belong_to_the_installed_plotly_release() -> None:
    installed = assets.plotly_version()
    assert installed == assets.VENDORED_PLOTLY_VERSION, (
        f"plotly ships plotly.js {installed}: refresh pack/vendor/ (see PROVENANCE.md)"
    )
    for name in ("plotly-basic.min.js", "plotly-geo.min.js"):
        assert assets.plotly_version(assets.VENDOR / name) == installed, name


def test_every_message_the_pack_asks_for_exists_in_both_languages() -> None:
    used = set()
    for path in (ROOT / "pack").glob("*.py"):
        used |= set(
            re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""", path.read_text(encoding="utf-8"))
        )
    assert "pack.subtitle" in used
    for lang in i18n.LANGS:
        assert sorted(used - set(catalogue(lang))) == [], lang


def test_data_in_a_script_element_cannot_close_it() -> None:
    text = html.script_json({"title": HOSTILE})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"title": HOSTILE}
    assert html.esc(HOSTILE).startswith("&lt;/script&gt;&lt;script&gt;alert(&#x27;x&#x27;)")


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The sources page, the Platforms chart and story step 4 (Upwork) built from tables where one
    source's title, citation and quotes are markup."""
    copy = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", copy, ignore=shutil.ignore_patterns("raw", "cited"))
    sources = pd.read_csv(copy / "tidy" / "sources.csv", keep_default_na=False, dtype=str)
    sources.loc[sources["source_id"] == "lemonde-2017-orain", ["title", "citation"]] = [HOSTILE, HOSTILE]
    sources.to_csv(copy / "tidy" / "sources.csv", index=False)
    figures = pd.read_csv(copy / "tidy" / "figures.csv", keep_default_na=False, dtype=str)
    figures.loc[figures["source_id"] == "lemonde-2017-orain", "quote"] = HOSTILE
    figures.to_csv(copy / "tidy" / "figures.csv", index=False)
    monkeypatch.setattr(data, "DATASETS", copy)
    st.cache_resource.clear()
    caching.clear()
    st.cache_data.clear()
    site = tmp_path / "site"
    with i18n.speaking("en"):
        sources_page.write(site, "en")
        chart = next(c for c in chart_pages.CHARTS if c.slug == "platform-sizes")
        chart_pages.write_one(site, "en", chart)
        slides.write(site, "en", (4,))
    assets.write(site)
    yield site
    st.cache_resource.clear()
    caching.clear()
    st.cache_data.clear()


def test_markup_in_the_data_is_written_as_text(hostile: Path) -> None:
    written = {
        p.relative_to(hostile).as_posix(): p.read_text(encoding="utf-8") for p in hostile.rglob("*.html")
    }
    assert sorted(written) == ["en/charts/platform-sizes.html", "en/sources.html", "en/story/4.html"]
    for name, text in written.items():
        assert "<script>alert" not in text and "<img src=x" not in text, name
    assert "&lt;/script&gt;&lt;script&gt;alert(" in written["en/sources.html"]
    assert "&lt;/script&gt;&lt;script&gt;alert(" in written["en/story/4.html"]  # its source line
    assert "\\u003c/script\\u003e" in written["en/story/4.html"]  # its chart's labels, in the JSON


# ---- in Chromium, from file:// -------------------------------------------------------------------


def offline_context(browser: Browser) -> tuple[BrowserContext, list[str], list[str]]:
    """A context where every request that is not a file of the pack is refused and recorded, and
    where every script error is recorded."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    left: list[str] = []
    errors: list[str] = []
    context.route(
        lambda url: not url.startswith("file://"),
        lambda route: (left.append(route.request.url), route.abort()),
    )
    context.on("weberror", lambda error: errors.append(str(error.error)))
    context.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return context, left, errors


DRAWN_JS = """() => {
    const chart = document.getElementById('atlas-chart');
    if (!chart) return document.readyState === 'complete' ? 'no chart' : '';
    if (chart.dataset.drawn !== 'yes') return chart.dataset.drawn || '';
    const svg = chart.querySelector('.main-svg');
    const maps = chart.querySelectorAll('.geolayer .geo');
    const countries = chart.querySelectorAll('.choroplethlayer path').length;
    if (!svg || (maps.length && countries < 200)) return 'incomplete';
    const source = document.querySelector('p.source');
    return 'drawn|' + (source ? source.textContent : '');
}"""


@pytest.mark.browser
def test_every_page_draws_from_file_with_no_request_leaving_the_pack(
    pack: build.Summary, browser: Browser
) -> None:
    # One tab, page after page: it keeps plotly.js compiled between pages (same-site navigations
    # share a renderer), which made it as fast here as three tabs side by side.
    context, left, errors = offline_context(browser)
    tab = context.new_page()
    results: dict[str, str] = {}
    for page in EVERY_PAGE:
        tab.goto((pack.site / page).as_uri(), wait_until="commit")
        results[page] = str(tab.wait_for_function(DRAWN_JS, polling=100, timeout=30000).json_value())
    context.close()
    for page in EVERY_PAGE:
        if page in CHART_PAGES:
            prefix = source_prefix(page[:2])
            assert results[page].startswith(f"drawn|{prefix} "), (page, results[page])
        else:
            assert results[page] == "no chart", (page, results[page])
    assert left == []
    assert errors == []


@pytest.mark.browser
def test_the_arrow_keys_and_a_clicker_move_the_story(pack: build.Summary, browser: Browser) -> None:
    context, left, errors = offline_context(browser)
    tab = context.new_page()
    tab.goto((pack.site / "en/story/1.html").as_uri())
    tab.wait_for_function(DRAWN_JS, polling=100)
    tab.keyboard.press("ArrowLeft")  # nothing before the first step
    tab.keyboard.press("ArrowRight")
    tab.wait_for_url("**/en/story/2.html")
    assert tab.get_by_role("heading", name="Who does the work").count() == 1
    tab.keyboard.press("PageDown")
    tab.wait_for_url("**/en/story/3.html")
    tab.keyboard.press("ArrowLeft")
    tab.wait_for_url("**/en/story/2.html")
    tab.goto((pack.site / f"fr/story/{STEPS}.html").as_uri())
    tab.keyboard.press("ArrowRight")  # nothing after the last one
    tab.keyboard.press("PageUp")
    tab.wait_for_url(f"**/fr/story/{STEPS - 1}.html")
    tab.get_by_role("link", name="Suivant →").click()
    tab.wait_for_url(f"**/fr/story/{STEPS}.html")
    context.close()
    assert left == [] and errors == []


@pytest.mark.browser
def test_hovers_carry_citations_and_french_pages_speak_french(pack: build.Summary, browser: Browser) -> None:
    context, left, errors = offline_context(browser)
    tab = context.new_page()
    # The United States bar of the first slide, in French: its hover names the country, its part
    # going to India, and cites the network file.
    tab.goto((pack.site / "fr/story/1.html").as_uri())
    tab.wait_for_function(DRAWN_JS, polling=100)
    assert tab.get_by_role("heading", name="Qui achète").count() == 1
    rows = pack_csv(pack.site / "fr/data/story-1.csv", keep_default_na=False)
    usa = list(rows.sort_values("share_of_year_percent")["iso3"]).index("USA")  # drawn from the smallest up
    box = tab.locator(".barlayer .point").nth(usa).bounding_box()
    assert box is not None
    tab.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = tab.locator(".hoverlayer .hovertext")
    tooltip.wait_for()
    said = tooltip.text_content() or ""
    assert "États-Unis" in said and "Inde" in said and "Braesemann et al. (2022" in said, said
    # plotly.js's French locale is registered: the modebar speaks French.
    titles = tab.locator(".modebar-btn").evaluate_all(
        "buttons => buttons.map(b => b.getAttribute('data-title'))"
    )
    assert "Télécharger le graphique en fichier PNG" in titles
    # A map page from file://: the countries are drawn from the pack's own borders.
    tab.goto((pack.site / "en/charts/map-workers-2020.html").as_uri())
    tab.wait_for_function(DRAWN_JS, polling=100)
    assert tab.locator(".choroplethlayer path").count() >= 200
    assert tab.locator("figure figcaption").inner_text() == catalogue("en")["map.alt.workers"]
    assert tab.locator("#atlas-chart").get_attribute("aria-label") == catalogue("en")["map.alt.workers"]
    context.close()
    assert left == [] and errors == []


@pytest.mark.browser
def test_markup_in_the_data_stays_text_in_the_browser(hostile: Path, browser: Browser) -> None:
    context, left, errors = offline_context(browser)
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for page in ("en/story/4.html", "en/sources.html"):
        tab.goto((hostile / page).as_uri())
        tab.wait_for_function(DRAWN_JS, polling=100)
        assert tab.get_by_text("<script>alert('x')</script>", exact=False).count() >= 1, page
        assert tab.locator("img").count() == 0, page
    context.close()
    assert dialogs == [] and left == [] and errors == []


@pytest.mark.browser
def test_images_are_1920_by_1080_with_their_source_line_and_the_pack_stays_under_20_mb(
    pack: build.Summary, tmp_path: Path
) -> None:
    from PIL import Image

    by_slug = {chart.slug: chart for chart in chart_pages.CHARTS}
    with i18n.speaking("fr"):
        chosen = {
            "map": chart_pages.write_one(tmp_path, "fr", by_slug["map-workers-2020"]),
            "sankey": chart_pages.write_one(tmp_path, "fr", by_slug["flows-sankey-2015"]),
        }
    shutil.copytree(pack.site / "assets", tmp_path / "assets")
    requests = [
        images.Request(tmp_path / f"{name}-{n}", w.figure, w.title, w.source)
        for name, w in chosen.items()
        for n in (1, 2)
    ]
    images.write(requests, tmp_path / assets.WORLD)
    for request in requests:
        png, svg = (
            request.base.with_suffix(".png"),
            request.base.with_suffix(".svg").read_text(encoding="utf-8"),
        )
        assert Image.open(png).size == (1920, 1080)
        assert 'width="1920" height="1080"' in svg
        # The title and the source line are in the image itself (as text in the SVG).
        written = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
        # (plotly writes French typography's no-break spaces as plain spaces in SVG text)
        title = re.sub("[\u00a0\u202f]", " ", html.esc(request.title))
        assert written.startswith(title[:40])
        assert "Source : Braesemann et al. (2022" in written
    # Drawn twice, the same bytes (plotly's random ids replaced).
    for name in chosen:
        assert (tmp_path / f"{name}-1.svg").read_bytes() == (tmp_path / f"{name}-2.svg").read_bytes()
        assert (tmp_path / f"{name}-1.png").read_bytes() == (tmp_path / f"{name}-2.png").read_bytes()
    # The zip without images, plus every image as large as the largest of these (a world map,
    # compressed as the zip compresses it), stays under 20 MB.
    largest = 0
    for name in chosen:
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
            bundle.write(tmp_path / f"{name}-1.png", "a.png")
            bundle.write(tmp_path / f"{name}-1.svg", "a.svg")
        largest = max(largest, len(packed.getvalue()))
    count = len(CHART_PAGES)  # one PNG and one SVG each
    assert pack.archive is not None
    assert pack.zip_bytes + count * largest <= LIMIT_BYTES, (pack.zip_bytes, count, largest)
