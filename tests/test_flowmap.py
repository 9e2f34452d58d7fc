"""The flow map: which way the work goes at a glance, a place clicked keeps its flows, the scale
does not move, and the numbers it states are the raw files'."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from streamlit.testing.v1 import AppTest

from dashboard import flows, i18n
from dashboard.charts.flowmap import curve, end_angle, fit_view, shortened
from tests.support import ROOT, is_local, wait_for_app, wait_for_charts

NETWORK = ROOT / "datasets" / "raw" / "flows" / "braesemann-2022"


def raw_projects(year: int, column: str, country: str) -> int:
    """Projects of `year`'s network file whose `column` country is `country` (lower-case name),
    less those whose other end is a name the checked crosswalk excludes with its reason (the former
    Netherlands Antilles: in no pair, as the page says)."""
    with (ROOT / "datasets" / "crosswalks" / "country_names_excluded.csv").open(encoding="utf-8") as handle:
        excluded = {r["name"] for r in csv.DictReader(handle)}
    other = "employer_country_real" if column == "worker_country_real" else "worker_country_real"
    with (NETWORK / f"olm_network_data_{year}.csv").open(encoding="utf-8") as handle:
        return sum(
            int(r["count"])
            for r in csv.DictReader(handle)
            if r[column] == country and r[other] not in excluded
        )


def _mercator(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def test_an_arrow_points_from_the_employer_to_the_worker_and_bends_to_its_left() -> None:
    path = curve(-98.0, 39.0, 78.0, 22.0)  # the United States to India
    assert path[0] == [-98.0, 39.0] and path[-1] == [78.0, 22.0]
    angle = end_angle(path)
    # East-south-east at the end of an eastward flow bent north (left of its direction): the head
    # points towards India, not back towards America.
    assert -90 < angle < 0
    assert max(p[1] for p in path) > 39.0  # bent to the left (north) of an eastward chord
    back = curve(78.0, 22.0, -98.0, 39.0)
    assert min(p[1] for p in back) < 22.0  # the return flow bends the other way: side by side


def test_an_arrow_stops_at_the_edge_of_the_circle_it_points_into() -> None:
    zoom = 1.0
    path = curve(-98.0, 39.0, 78.0, 22.0)
    cut = shortened(path, 20, zoom)
    scale = 512 * 2**zoom / 360
    gap = math.hypot((cut[-1][0] - 78.0) * scale, (_mercator(cut[-1][1]) - _mercator(22.0)) * scale)
    assert gap == pytest.approx(20, abs=0.5)


def test_the_first_view_holds_every_drawn_end_at_1280_by_720() -> None:
    with i18n.speaking("en"):
        view = flows.view(2015, flows.DEFAULT_TOP, "wb")
    lons = list(view.flows["from_lon"]) + list(view.flows["to_lon"])
    lats = list(view.flows["from_lat"]) + list(view.flows["to_lat"])
    centre = view.view
    scale = 512 * 2 ** centre["zoom"] / 360
    width, height = 760, 560  # the map at 1280×720 with the sidebar open, less its margins
    for lon, lat in zip(lons, lats, strict=True):
        x = (lon - centre["longitude"]) * scale
        y = (_mercator(lat) - _mercator(centre["latitude"])) * scale
        assert abs(x) <= width / 2 and abs(y) <= height / 2, (lon, lat)
    assert fit_view([], [])["zoom"] >= 0


def test_widths_keep_one_scale_across_years_and_selections() -> None:
    with i18n.speaking("en"):
        every = flows.view(2015, 40, "wb")
        india = flows.view(2015, 40, "wb", "IND")
        earlier = flows.view(2014, 40, "wb")
    pair = ("USA", "IND")

    def width(view: flows.FlowView) -> float:
        row = view.flows[(view.flows["from_iso3"] == pair[0]) & (view.flows["to_iso3"] == pair[1])]
        return float(row["width"].iloc[0])

    assert width(every) == width(india)
    # The same share would be drawn as wide in either year: width is a function of share alone.
    share_2014 = float(
        earlier.flows.loc[
            earlier.flows["from_iso3"].eq("USA") & earlier.flows["to_iso3"].eq("IND"), "share"
        ].iloc[0]
    )
    assert width(earlier) == pytest.approx(flows.width_px(share_2014, "countries"))
    assert width(every) > width(earlier) or share_2014 >= float(
        every.flows.loc[every.flows["from_iso3"].eq("USA") & every.flows["to_iso3"].eq("IND"), "share"].iloc[
            0
        ]
    )


def test_a_link_reopens_a_place_s_incoming_work_with_its_sentence_from_the_raw_file() -> None:
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.query_params.update({"lang": "en"})
    at.run()
    at.switch_page("app_pages/flows.py")
    at.query_params.update({"lang": "en", "focus": "IND", "direction": "in", "year": "2015"})
    at.run()
    assert not at.exception
    focus = next(s for s in at.selectbox if s.key == "focus")
    assert focus.value == "IND"
    direction = next(r for r in at.radio if r.key == "direction")
    assert direction.value == "in"
    done = raw_projects(2015, "worker_country_real", "india")
    text = " ".join(m.value for m in at.markdown)
    assert f"India, 2015: its workers did {done:,} projects" in text
    assert "its employers bought" not in text  # work it does only


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-GB")
    outside: list[str] = []
    context.route(
        "**/*", lambda route: route.abort() if not is_local(route.request.url) else route.continue_()
    )
    context.on("request", lambda r: None if is_local(r.url) else outside.append(r.url))
    tab = context.new_page()
    yield tab
    context.close()
    assert outside == []


def flows_label() -> str:
    from dashboard.i18n import message

    return message("flows.focus", "en")


def _centre(tab: Page) -> None:
    """The map in the middle of the window (Streamlit scrolls inside its main pane), then a moment
    for deck.gl to draw its layers after its canvas appears."""
    tab.locator('[data-testid="stDeckGlJsonChart"]').first.evaluate(
        "e => e.scrollIntoView({block: 'center'})"
    )
    tab.wait_for_timeout(2000)


def _place_on_screen(
    tab: Page, view: dict[str, float], lon: float, lat: float, name: str
) -> tuple[float, float]:
    """Where the place `name` is under the mouse: near its projected point, found as a reader
    finds it, by hovering until its tooltip names it (the frame's zoom may differ a little from the
    view asked for, as the container's width does)."""
    box = tab.locator('[data-testid="stDeckGlJsonChart"] canvas').first.bounding_box()
    assert box is not None
    scale = 512 * 2 ** view["zoom"] / 360
    x = box["x"] + box["width"] / 2 + (lon - view["longitude"]) * scale
    y = box["y"] + box["height"] / 2 - (_mercator(lat) - _mercator(view["latitude"])) * scale
    steps = sorted(
        ((dx, dy) for dx in range(-90, 91, 6) for dy in range(-36, 37, 6)),
        key=lambda d: abs(d[0]) + abs(d[1]),
    )
    for dx, dy in steps:
        tab.mouse.move(x + dx, y + dy)
        tab.wait_for_timeout(40)
        shown = tab.evaluate("() => document.querySelector('.deck-tooltip')?.innerText || ''")
        if shown.split("\n")[0].strip() == name:
            return x + dx, y + dy
    raise AssertionError(f"no place named {name} near ({x:.0f}, {y:.0f})")


@pytest.mark.browser
def test_clicking_a_place_keeps_its_flows_and_clicking_it_again_shows_all(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/flows?lang=en&year=2015")
    wait_for_app(page)
    wait_for_charts(page, 0, 1)
    _centre(page)
    with i18n.speaking("en"):
        every = flows.view(2015, flows.DEFAULT_TOP, "wb")
        india = every.places[every.places["id"] == "IND"].iloc[0]
    page.mouse.click(*_place_on_screen(page, every.view, float(india["lon"]), float(india["lat"]), "India"))
    # Streamlit rewrites the address with history.replaceState: no navigation to wait for.
    page.wait_for_function("() => location.search.includes('focus=IND')", polling=200, timeout=90000)
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    done = raw_projects(2015, "worker_country_real", "india")
    assert f"its workers did {done:,} projects" in (main.inner_text() or "")
    chooser = page.locator('[data-testid="stMain"]').get_by_role("combobox", name=flows_label(), exact=True)
    assert chooser.input_value() == "India"
    # The same place clicked again (the map redrawn around India's flows) shows every flow.
    wait_for_charts(page, 0, 1)
    _centre(page)
    with i18n.speaking("en"):
        chosen = flows.view(2015, flows.DEFAULT_TOP, "wb", "IND")
    # The map is a new element once a place is chosen (its key names the place): a click that lands
    # while the old one is still being replaced does nothing, so a reader's second try is allowed.
    for attempt in range(3):
        page.mouse.click(
            *_place_on_screen(page, chosen.view, float(india["lon"]), float(india["lat"]), "India")
        )
        try:
            page.wait_for_function("() => !location.search.includes('focus=')", polling=200, timeout=30000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            wait_for_app(page)
            wait_for_charts(page, 0, 1)
            _centre(page)
    wait_for_app(page)
    assert "its workers did" not in (page.locator('[data-testid="stMain"]').inner_text() or "")


def test_the_region_map_leaves_out_flagged_rows_and_says_how_many() -> None:
    rows = flows.level_pairs("regions")
    # afghanistan / California: an employer's point in another country, never drawn.
    assert not ((rows["from_iso3"] == "AFG") & rows["from_id"].str.endswith(":California")).any()
    with i18n.speaking("en"):
        view = flows.view(2015, 25, "wb", "", "regions")
        text = flows.summary(view, 2015, 25, "regions")
    unstated, flagged, flagged_rows = flows.unplaced(2015)
    assert flagged_rows > 0 and f"{flagged:,} projects in {flagged_rows:,} rows" in text


def test_the_five_largest_region_pairs_of_2015_are_the_raw_file_s() -> None:
    totals: dict[tuple[str, str, str, str], int] = {}
    with (NETWORK / "olm_network_data_2015.csv").open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            key = (
                r["employer_country_real"],
                r["employer_admin1"],
                r["worker_country_real"],
                r["worker_admin1"],
            )
            totals[key] = totals.get(key, 0) + int(r["count"])
    largest = sorted(((n, k) for k, n in totals.items() if "NA" not in (k[1], k[3])), reverse=True)[:5]
    with i18n.speaking("en"):
        view = flows.view(2015, 5, "wb", "", "regions")
    drawn = sorted(view.flows["projects"], reverse=True)
    assert drawn == [n for n, _ in largest]
    assert Path(NETWORK).exists()


def test_a_place_whose_employers_bought_nothing_says_so_instead_of_drawing_zero_flows() -> None:
    """A country whose employers appear in no 2015 pair, by hand from the raw network file, chosen
    with "work it buys": the page says there is nothing to draw, never "the 0 largest flows"."""
    raw = Path(__file__).resolve().parent.parent / "datasets" / "raw" / "flows" / "braesemann-2022"
    with (raw / "olm_network_data_2015.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert not any(r["employer_country_real"] == "zimbabwe" for r in rows)
    assert any(r["worker_country_real"] == "zimbabwe" for r in rows)
    from tests.test_pages import run, texts

    shown = texts(run("flows", year="2015", focus="ZWE", direction="out"))
    assert "Zimbabwe, 2015: its employers bought no project in this sample." in shown
    assert "Nothing to draw in this direction" in shown
    assert "the 0 largest" not in shown


def test_a_place_whose_only_work_bought_stays_inside_it_is_not_said_to_have_nothing() -> None:
    """Mali's employers bought 2015's projects only from Mali's workers (by hand from the raw file):
    no arrow, but work inside the place, which the summary keeps."""
    raw = Path(__file__).resolve().parent.parent / "datasets" / "raw" / "flows" / "braesemann-2022"
    with (raw / "olm_network_data_2015.csv").open(encoding="utf-8") as handle:
        bought = {
            r["worker_country_real"] for r in csv.DictReader(handle) if r["employer_country_real"] == "mali"
        }
    assert bought == {"mali"}
    from tests.test_pages import run, texts

    shown = texts(run("flows", year="2015", focus="MLI", direction="out"))
    assert "Nothing to draw in this direction" not in shown
    assert "Inside one country (in its circles)" in shown
