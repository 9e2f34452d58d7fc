"""Every control of every page, changed in sequence in a real browser (and back to its default):
after each change, every control on the page, the address bar and the charts must agree.

This is the test the Map's bug would have failed (issue 15, finding 2): after the metric was
switched twice, the year radio and the occupation box showed their defaults again while the map and
the URL still showed the reader's choice, because Streamlit forgets the state of a widget that one
run does not draw (dashboard/url_state.py keeps each value under a key of its own since). Here each
step checks the *whole* view, not only the control it changed: every control the page has drawn
shows the value the URL holds, and the URL holds every value chosen so far.

What a chart must show is computed from the tidy tables (the rows a choice selects), not read
back from the page's own code.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.i18n import message
from tests.support import (
    CHARTS,
    ROOT,
    is_local,
    wait_for_app,
    wait_for_charts,
)

pytestmark = pytest.mark.browser
TIDY = ROOT / "datasets" / "tidy"


@functools.cache
def tidy(file: str) -> pd.DataFrame:
    """A tidy table as its file holds it, read once per test process (the checks only read it)."""
    return pd.read_csv(TIDY / file, keep_default_na=False)


def en(key: str, **values: object) -> str:
    return message(key, "en", **values)


# What the page's plotly charts show: the file their camera saves (named after the view), the
# names of their traces, the countries a choropleth colours and the text drawn in their SVG.
PLOTS_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].map(g => ({
    file: g._context && g._context.toImageButtonOptions ? g._context.toImageButtonOptions.filename : '',
    names: g.data.map(d => d.name || ''),
    coloured: g.data.filter(d => d.type === 'choropleth' && !d.showlegend && d.showscale !== false)
        .flatMap(d => Array.from(d.locations || [])),
    values: g.data.filter(d => d.type === 'choropleth' && !d.showlegend && d.showscale !== false)
        .flatMap(d => Array.from(d.z || [])),
    traces: g.data.map(d => [d.name || '', Array.from(d.locations || [])]),
    text: [...g.querySelectorAll('text')].map(t => t.textContent).join(' | '),
}))"""


def plots(tab: Page) -> list[dict[str, object]]:
    return tab.evaluate(PLOTS_JS)  # type: ignore[no-any-return]


def plot(tab: Page, file: str) -> dict[str, object]:
    # A tab just opened may still be loading plotly.js (a first visit's map tab does not need it).
    with contextlib.suppress(PlaywrightTimeout):
        tab.wait_for_function(
            """(file) => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
                .some(g => g._context && g._context.toImageButtonOptions
                    && g._context.toImageButtonOptions.filename === file)""",
            arg=file,
            polling=100,
            timeout=20000,
        )
    found = [p for p in plots(tab) if p["file"] == file]
    assert len(found) == 1, (file, [p["file"] for p in plots(tab)])
    return found[0]


def main_text(tab: Page) -> str:
    return tab.locator('[data-testid="stMain"]').inner_text()


@dataclass
class Control:
    """A widget: its kind, its label and how it writes each value (value → text on screen)."""

    kind: str  # radio, select, slider, number, multi, text, tab
    label: str
    shown: Callable[[str], str] = str
    scope: str = '[data-testid="stMain"]'


@dataclass
class Step:
    param: str
    value: str | list[str]  # what the URL must hold afterwards
    check: Callable[[Page, dict[str, list[str]]], None] | None = None
    how: str = ""  # multi: "remove" or "add" (the value is then the whole list that must remain)
    item: str = ""  # multi: the option removed or added, as shown


@dataclass
class Tour:
    page: str
    controls: dict[str, Control]
    steps: list[Step]
    defaults: dict[str, list[str]] = field(default_factory=dict)
    # Controls the page sets itself after another changes (Sources: the source shown becomes the
    # first one listed when the search leaves the chosen one out): the URL says what they hold.
    derived: tuple[str, ...] = ()
    name: str = ""  # the test's id, when a page has two tours (walked side by side by the workers)


def url_state(tab: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(tab.url).query, keep_blank_values=True)


def _widget(tab: Page, control: Control):  # type: ignore[no-untyped-def]
    scope = tab.locator(control.scope)
    if control.kind == "radio":
        return scope.get_by_role("radiogroup", name=control.label, exact=True)
    if control.kind == "select":
        return scope.get_by_role("combobox", name=control.label, exact=True)
    if control.kind == "slider":
        if not control.label:  # the story's step slider, whose label says which step it is
            return scope.get_by_role("slider")
        # (its accessible name is its label twice: the input's and its group's)
        return scope.get_by_role("slider", name=control.label)
    if control.kind == "text":
        return scope.get_by_role("textbox", name=control.label, exact=True)
    if control.kind == "number":
        return scope.get_by_label(control.label, exact=True)
    if control.kind == "tab":  # a page's tabs: the one selected is the value
        return scope.get_by_role("tablist")
    return scope.locator('[data-testid="stMultiSelect"]').filter(has_text=control.label)


def shown_value(tab: Page, control: Control) -> str | list[str] | None:
    """What the widget shows, or None when the page does not draw it in this view."""
    widget = _widget(tab, control)
    if widget.count() == 0:
        return None
    if control.kind == "radio":
        return widget.locator("label", has=tab.locator("input:checked")).inner_text().strip()
    if control.kind == "multi":
        return [t.strip() for t in widget.locator("[data-tag] span[title]").all_inner_texts()]
    if control.kind == "tab":
        return widget.get_by_role("tab", selected=True).inner_text().strip()
    return widget.input_value()


def change(tab: Page, control: Control, step: Step) -> None:
    widget = _widget(tab, control)
    if control.kind == "radio":
        widget.get_by_text(control.shown(str(step.value)), exact=True).click()
    elif control.kind == "tab":
        widget.get_by_role("tab", name=control.shown(str(step.value)), exact=True).click()
    elif control.kind == "select":
        # Typed, as a reader looks for a country among two hundred (the list draws only the
        # options in view), then picked.
        widget.click()
        widget.fill(control.shown(str(step.value)))
        tab.get_by_role("option", name=control.shown(str(step.value)), exact=True).click()
    elif control.kind == "slider":
        now = float(widget.input_value())
        wanted = float(control.shown(str(step.value)))
        spacing = float(widget.get_attribute("step") or 1)
        # One arrow key at a time, each change left to land (a reader's key presses while the
        # page reruns are not what this test is about).
        for _ in range(round(abs(wanted - now) / spacing)):
            before = tab.evaluate("() => location.search")
            widget.focus()
            widget.press("ArrowRight" if wanted > now else "ArrowLeft")
            tab.wait_for_function("(before) => location.search !== before", arg=before, polling=100)
            wait_for_app(tab)
    elif control.kind in ("number", "text"):
        widget.fill(str(step.value))
        widget.press("Enter")
    elif step.how == "remove":
        widget.get_by_role("button", name=f"Remove {step.item}", exact=True).click()
    else:
        box = widget.get_by_role("combobox")
        box.click()
        box.fill(step.item)
        tab.get_by_role("option", name=step.item, exact=True).click()
        tab.keyboard.press("Escape")


def agree(tab: Page, tour: Tour, expected: dict[str, list[str]], where: str) -> None:
    """Every control drawn shows the URL's value, and the URL holds every value chosen so far."""
    state = url_state(tab)
    for name, values in expected.items():
        assert state.get(name, []) == values, (where, name, state.get(name), values)
    for name, control in tour.controls.items():
        shown = shown_value(tab, control)
        if shown is None:
            continue
        if control.kind == "multi":
            wanted: str | list[str] = [control.shown(v) for v in state.get(name, [])]
        else:
            wanted = control.shown(state.get(name, [""])[0])
            if control.kind == "number":
                shown, wanted = f"{float(str(shown)):g}", f"{float(wanted):g}"
        assert shown == wanted, (where, name, shown, wanted)


def walk(browser: Browser, base_url: str, tour: Tour) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
    context.set_default_timeout(15000)
    tab = context.new_page()
    outside: list[str] = []
    tab.on("request", lambda r: None if is_local(r.url) else outside.append(r.url))
    tab.goto(f"{base_url}/{'' if tour.page == 'overview' else tour.page}")
    wait_for_app(tab)
    wait_for_charts(tab, *CHARTS[tour.page])
    expected = url_state(tab)
    for name, values in tour.defaults.items():
        assert expected.get(name) == values, (tour.page, "default", name, expected.get(name))
    agree(tab, tour, expected, f"{tour.page}: opened")
    for number, step in enumerate(tour.steps, start=1):
        where = f"{tour.page} step {number}: {step.param} → {step.value}"
        # An empty choice (no focus country, no search) is left out of the address.
        values = step.value if isinstance(step.value, list) else [step.value] if step.value else []
        change(tab, tour.controls[step.param], step)
        try:
            tab.wait_for_function(
                "([name, values]) => JSON.stringify(new URLSearchParams(location.search).getAll(name))"
                " === JSON.stringify(values)",
                arg=[step.param, values],
                polling=100,
                timeout=20000,
            )
        except PlaywrightTimeout:
            pytest.fail(f"{where}: the address never showed it ({tab.url})")
        wait_for_app(tab)
        expected[step.param] = values
        for name in tour.derived:
            expected[name] = url_state(tab).get(name, [])
        assert tab.locator('[data-testid="stException"]').count() == 0, where
        agree(tab, tour, expected, where)
        if step.check is not None:
            step.check(tab, expected)
    # Reopened from its own address, the view is the same.
    final = dict(expected)
    tab.goto(tab.url)
    wait_for_app(tab)
    agree(tab, tour, final, f"{tour.page}: reopened")
    context.close()
    assert outside == []


# ---- what the charts must show, from the tidy tables -------------------------------------------


def _drawn_until(tab: Page, file: str, agrees: Callable[[dict[str, object]], bool]) -> dict[str, object]:
    """The chart `file` once it agrees with what is expected (a redraw under the same file name may
    come a moment after the script finished), or as it is after 10 s (for the assertion to show)."""
    deadline = time.monotonic() + 10
    drawn = plot(tab, file)
    while not agrees(drawn) and time.monotonic() < deadline:
        time.sleep(0.2)
        drawn = plot(tab, file)
    return drawn


def _coloured_as(expected: set[str]) -> Callable[[dict[str, object]], bool]:
    return lambda drawn: set(drawn["coloured"]) == expected  # type: ignore[call-overload]


def workers_map(year: str) -> Callable[[Page, dict[str, list[str]]], None]:
    def check(tab: Page, state: dict[str, list[str]]) -> None:
        # Every country the file measures that year is drawn as a value, zero included (a measured
        # zero is not "no data", issue 20 item 13); the others are in the no-data trace. And the
        # colours are that year's: a country with a larger share never gets a lower value (the
        # scale is a log one, zero in a band of its own below it, so the values are compared by
        # their order, not equality).
        supply = tidy("worker_supply_years.csv")
        measured = supply[supply["year"] == int(year)]
        share = dict(zip(measured["iso3"], measured["share_of_year_percent"], strict=True))

        def agrees(drawn: dict[str, object]) -> bool:
            values = dict(zip(drawn["coloured"], drawn["values"], strict=True))  # type: ignore[call-overload]
            if set(values) != set(share):
                return False
            ordered = sorted(share, key=lambda iso3: share[iso3])
            return all(
                values[a] <= values[b] or share[a] == share[b]
                for a, b in zip(ordered, ordered[1:], strict=False)
            )

        drawn = _drawn_until(tab, "map-workers", agrees)
        assert sorted(set(drawn["coloured"])) == sorted(set(measured["iso3"])), year  # type: ignore[arg-type]
        assert agrees(drawn), f"the map's values are not {year}'s shares"

    return check


def pay_map(tab: Page, state: dict[str, list[str]]) -> None:
    """The year the URL names: its medians of at least MIN_PAY_PROJECTS projects (said on the page)."""
    from dashboard.maps import MIN_PAY_PROJECTS

    year = int(state["year"][0])
    supply = tidy("worker_supply_years.csv")
    year_rows = supply[(supply["year"] == year) & (supply["median_usd_per_hour"] != "")]
    expected = set(year_rows.loc[year_rows["projects"] >= MIN_PAY_PROJECTS, "iso3"])
    drawn = _drawn_until(tab, "map-pay", _coloured_as(expected))
    assert sorted(set(drawn["coloured"])) == sorted(expected), year  # type: ignore[arg-type]


def demand_map(tab: Page, state: dict[str, list[str]]) -> None:
    """The occupation the URL names (all: every row of the OLI's 2017 snapshot)."""
    occupation = state["occupation"][0]
    demand = tidy("oli_demand.csv")
    rows = demand if occupation == "all" else demand[demand["occupation"] == occupation]
    drawn = _drawn_until(tab, "map-demand", _coloured_as(set(rows["iso3"])))
    assert sorted(set(drawn["coloured"])) == sorted(set(rows["iso3"])), occupation  # type: ignore[arg-type]


def supply_map(tab: Page, state: dict[str, list[str]]) -> None:
    """The snapshot the URL names (source|period): the countries that source gives a share for."""
    source_id, period = state["snapshot"][0].split("|")
    supply = tidy("supply_shares.csv")
    rows = supply[(supply["source_id"] == source_id) & (supply["period"].astype(str) == period)]
    assert not rows.empty, state["snapshot"]
    drawn = _drawn_until(tab, "map-supply", _coloured_as(set(rows["iso3"])))
    assert sorted(set(drawn["coloured"])) == sorted(set(rows["iso3"])), state["snapshot"]  # type: ignore[arg-type]


def north_south_map(tab: Page, state: dict[str, list[str]]) -> None:
    """The classification the URL names: each side's countries in the legend entry of that side."""
    classification = state["classification"][0]
    countries = tidy("countries.csv")
    expected = {
        en(f"map.ns.{side}"): sorted(
            countries.loc[countries[f"north_south_{classification}"] == side, "iso3"]
        )
        for side in ("North", "South")
    }

    def agrees(drawn: dict[str, object]) -> bool:
        traces = dict(drawn["traces"])  # type: ignore[call-overload]
        return all(sorted(traces.get(name, [])) == iso3 for name, iso3 in expected.items())

    drawn = _drawn_until(tab, "map-north_south", agrees)
    traces = dict(drawn["traces"])  # type: ignore[call-overload]
    for name, iso3 in expected.items():
        assert sorted(traces[name]) == iso3, (classification, name)


def file_is(pattern: str) -> Callable[[Page, dict[str, list[str]]], None]:
    """The chart named after the view (its camera's file) is on the page: `pattern` is formatted
    with the URL's values."""

    def check(tab: Page, state: dict[str, list[str]]) -> None:
        plot(tab, pattern.format(**{k: v[0] for k, v in state.items()}))

    return check


def flows_view(tab: Page, state: dict[str, list[str]]) -> None:
    """The largest flow between two places listed is the table's largest of that year at the chosen
    level (among the chosen place's flows, in the chosen direction), with its share written with one
    decimal; the summary counts the flows drawn; the map's tab draws no plotly chart."""
    year = int(state["year"][0])
    focus = state["focus"][0] if state.get("focus") else ""
    level = state.get("level", ["countries"])[0]
    direction = state.get("direction", ["both"])[0] if focus else "both"
    names = tidy("countries.csv").set_index("iso3")["name_en"]
    if level == "countries":
        pairs = tidy("flow_pairs.csv")
        places = tidy("countries.csv")
        placed = set(places.loc[places["lon"] != "", "iso3"])
        rows = pairs[
            (pairs["year"] == year) & pairs["employer_iso3"].isin(placed) & pairs["worker_iso3"].isin(placed)
        ]
        rows = rows.assign(
            a=rows["employer_iso3"],
            b=rows["worker_iso3"],
            a_name=rows["employer_iso3"].map(names),
            b_name=rows["worker_iso3"].map(names),
        )
        kind = "countries"
    else:
        regions = tidy("region_flows.csv")
        rows = regions[
            (regions["year"] == year)
            & (regions["geocode_flag"] == "")
            & (regions["employer_region_stated"] == "yes")
            & (regions["worker_region_stated"] == "yes")
        ]
        rows = rows.assign(
            a=rows["employer_iso3"] + ":" + rows["employer_region"],
            b=rows["worker_iso3"] + ":" + rows["worker_region"],
            a_name=rows["employer_region"] + " (" + rows["employer_iso3"].map(names) + ")",
            b_name=rows["worker_region"] + " (" + rows["worker_iso3"].map(names) + ")",
        )
        kind = "regions"
    if focus:
        column = "iso3" if ":" not in focus else ""
        out = (rows["employer_iso3"] == focus) if column else (rows["a"] == focus)
        into = (rows["worker_iso3"] == focus) if column else (rows["b"] == focus)
        rows = rows[out if direction == "out" else into if direction == "in" else out | into]
    crossing = rows[rows["a"] != rows["b"]]
    top = crossing.nlargest(1, "projects").iloc[0]
    share = float(top["share_of_year_percent"])
    line = f"{top['a_name']} → {top['b_name']}: {share:.1f}%"
    assert line in main_text(tab).replace("\u00a0", " ").replace(" %", "%"), line
    assert en("flows.arcs_title", year=year) in main_text(tab)
    top_n = int(state["top"][0])
    between = "two countries" if kind == "countries" else "two regions"
    assert f"Drawn: the {min(top_n, len(crossing))} largest flows between {between} in {year}" in main_text(
        tab
    )
    # The map's tab draws the map alone: no plotly chart (the other tabs' are not sent).
    assert plots(tab) == [], [p["file"] for p in plots(tab)]


def regions_view(tab: Page, state: dict[str, list[str]]) -> None:
    """The chosen country's largest worker region of the year is named with its share of the
    country's projects (every project of the country at the workers' end counts)."""
    year, country = int(state["year"][0]), state["inside"][0]
    regions = tidy("region_flows.csv")
    mine = regions[(regions["year"] == year) & (regions["worker_iso3"] == country)]
    # A row flagged at the employer's end still places its worker's region.
    placed = mine[
        ~mine["geocode_flag"].str.startswith(("worker", "both")) & (mine["worker_region_stated"] == "yes")
    ]
    by_region = placed.groupby("worker_region")["projects"].sum().sort_values(ascending=False)
    share = 100 * float(by_region.iloc[0]) / float(mine["projects"].sum())
    text = main_text(tab).replace("\u00a0", " ").replace(" %", "%")
    assert f"{by_region.index[0]} ({share:.1f}%)" in text, (by_region.index[0], share)


def sankey_groups(kind: str) -> Callable[[Page, dict[str, list[str]]], None]:
    def check(tab: Page, state: dict[str, list[str]]) -> None:
        text = plot(tab, f"flows-sankey-{state['year'][0]}")["text"]
        if kind == "north_south":
            assert "North" in str(text) and "South" in str(text), text
        else:
            assert "Southern Asia" in str(text) and "Northern America" in str(text), text

    return check


def working_day(tab: Page, state: dict[str, list[str]]) -> None:
    names = tidy("countries.csv").set_index("iso3")["name_en"]
    drawn = plot(tab, "working-day-of-the-world")["names"]
    assert sorted(n for n in drawn if n) == sorted(names[c] for c in state["countries"])  # type: ignore[union-attr]


def formula(tab: Page, state: dict[str, list[str]]) -> None:
    growth, base_year, base = (state[k][0] for k in ("growth", "base_year", "base"))
    tex = tab.locator('[data-testid="stMain"] .atlas-formula').text_content() or ""
    assert f"{float(base):g}" in tex and f"{int(growth) / 100:g}" in tex and base_year in tex, tex
    plot(tab, "projections")


def story_step(tab: Page, state: dict[str, list[str]]) -> None:
    from dashboard.story import STEPS, step_at

    number = int(state["step"][0])
    title = en(f"story.{step_at(number).key}.title")
    assert tab.get_by_role("heading", name=title, exact=True).count() == 1, (number, title)
    assert en("story.kicker", n=number, total=len(STEPS)) in main_text(tab)


def sources_listed(tab: Page, state: dict[str, list[str]]) -> None:
    sources = pd.read_csv(TIDY / "sources.csv", keep_default_na=False, dtype=str)
    kind, query = state["kind"][0], (state.get("q") or [""])[0].lower()
    rows = sources if kind == "all" else sources[sources["kind"] == kind]
    if query:
        text = rows.apply(lambda r: " ".join(r.astype(str)).lower(), axis=1)
        hits = rows[text.str.contains(query, regex=False)]
        assert 0 < len(hits) <= len(rows)
        assert len(hits) < len(sources)
    assert tab.get_by_text("sources shown", exact=False).count() == 1


def platforms_drawn(tab: Page, state: dict[str, list[str]]) -> None:
    """Each platform drawn is of a chosen type (an empty type is "unclassified"), and no platform
    of another type is."""
    table = pd.read_csv(TIDY / "platforms.csv", keep_default_na=False, dtype=str)
    kind = dict(zip(table["name"], table["casilli_type"].replace("", "unclassified"), strict=True))
    # (the other legend entries are the units' marker shapes: "workers", "users"…)
    named = {str(n).split(" / ")[0] for n in plot(tab, "platform-sizes")["names"]}  # type: ignore[union-attr]
    drawn = named & set(kind)
    assert drawn, named
    assert {kind[n] for n in drawn} <= set(state["types"]), {n: kind[n] for n in drawn}


def french(tab: Page, state: dict[str, list[str]]) -> None:
    heading = message("overview.title", state["lang"][0])
    assert tab.get_by_role("heading", name=heading, exact=True).count() == 1, heading


# ---- the tours ---------------------------------------------------------------------------------


def _names() -> pd.Series:
    return tidy("countries.csv").set_index("iso3")["name_en"]


def _month(code: str) -> str:
    from dashboard import i18n

    with i18n.speaking("en"):
        return i18n.month(code)


def _snapshots() -> list[str]:
    from dashboard import i18n, maps

    with i18n.speaking("en"):
        return list(maps.supply_snapshot_labels())


def _snapshot_label(code: str) -> str:
    from dashboard import i18n, maps

    with i18n.speaking("en"):
        return maps.supply_snapshot_labels()[code]


def _source_label(source_id: str) -> str:
    from dashboard import citations, i18n

    sources = pd.read_csv(TIDY / "sources.csv", keep_default_na=False, dtype=str).set_index("source_id")
    with i18n.speaking("en"):
        return f"{citations.short(source_id)} — {sources.loc[source_id, 'title'][:90]}"


PTYPES = ("on_demand", "micro_work", "internet_of_things", "social", "unclassified")


def tours() -> list[Tour]:
    names = _names()
    snapshots = _snapshots()
    sources = pd.read_csv(TIDY / "sources.csv", keep_default_na=False, dtype=str)
    oli = pd.read_csv(TIDY / "oli_monthly.csv", keep_default_na=False, dtype=str)
    months = sorted(set(oli["month"]))
    # A source the search "upwork" lists (its title names the platform), other than the first.
    upwork_source = str(sources.loc[sources["title"].str.startswith("Upwork: Diving"), "source_id"].item())
    # The Flows page's controls, shared by its two tours (the map's, and the tabs').
    flows_controls = {
        "year": Control("radio", en("flows.year")),
        "top": Control("slider", en("flows.top")),
        "classification": Control("radio", en("flows.colour_by"), lambda c: en(f"map.classification.{c}")),
        "focus": Control("select", en("flows.focus"), lambda c: names[c] if c else en("flows.focus_all")),
        "grouping": Control("radio", en("flows.grouping"), lambda g: en(f"flows.grouping.{g}")),
        "level": Control("radio", en("flows.level"), lambda v: en(f"flows.level.{v}")),
        "direction": Control("radio", en("flows.direction"), lambda d: en(f"flows.direction.{d}")),
        "inside": Control("select", en("regions.country"), lambda c: names[c]),
        "view": Control("tab", "", lambda v: en(f"flows.view.{v}", first=2014, last=2015)),
    }
    return [
        Tour(
            "map",
            {
                "metric": Control("radio", en("map.metric"), lambda m: en(f"map.metric.{m}")),
                "year": Control("radio", en("map.year")),
                "occupation": Control("select", en("map.occupation"), lambda o: en(f"occupation.{o}")),
                "snapshot": Control("select", en("map.supply_snapshot"), _snapshot_label),
                "classification": Control(
                    "radio", en("map.classification"), lambda c: en(f"map.classification.{c}")
                ),
                "country": Control("select", en("map.country"), lambda c: names[c]),
                "from_year": Control("select", en("map.from_year")),
                "to_year": Control("select", en("map.to_year")),
            },
            [
                # Each control under the map changes the map drawn in the same run (map.py reads
                # the controls' values before they are drawn, under the map).
                Step("metric", "pay", pay_map),
                Step("year", "2016", pay_map),
                Step("metric", "workers", workers_map("2016")),
                Step("metric", "demand", demand_map),
                Step("occupation", "software_technology", demand_map),
                Step("metric", "supply", supply_map),
                Step("snapshot", snapshots[-1], supply_map),
                Step("metric", "north_south", north_south_map),
                Step("classification", "un", north_south_map),
                Step("metric", "demand", demand_map),  # its occupation kept while hidden
                Step("occupation", "all", demand_map),
                Step("metric", "workers", workers_map("2016")),
                Step("year", "2020", workers_map("2020")),
                Step(
                    "country",
                    "IND",
                    lambda tab, s: tab.get_by_role("heading", name="India", exact=True).wait_for(),
                ),
                Step("from_year", "2015", file_is("worker-share-change-{from_year}-{to_year}")),
                Step("to_year", "2018", file_is("worker-share-change-{from_year}-{to_year}")),
                Step("from_year", "2013", file_is("worker-share-change-{from_year}-{to_year}")),
                Step("to_year", "2020", file_is("worker-share-change-{from_year}-{to_year}")),
                Step("country", "PHL"),
            ],
            {"metric": ["workers"], "year": ["2020"], "country": ["PHL"]},
        ),
        Tour(
            "flows",
            flows_controls,
            [
                Step("year", "2014", flows_view),
                Step("top", "35", flows_view),
                Step("classification", "un", flows_view),
                Step("focus", "PHL", flows_view),
                Step("direction", "in", flows_view),
                Step("level", "regions", flows_view),
                Step("year", "2015", flows_view),
                Step("direction", "both", flows_view),
                Step("focus", "", flows_view),
                Step("level", "countries", flows_view),
                Step("top", "25", flows_view),
                Step("classification", "wb", flows_view),
            ],
            {"year": ["2015"], "top": ["25"], "view": ["map"]},
        ),
        Tour(
            "flows",
            flows_controls,
            [
                Step("view", "sankey", sankey_groups("north_south")),
                Step("grouping", "regions", sankey_groups("regions")),
                Step("view", "regions"),
                Step("inside", "PHL", regions_view),
                Step("year", "2014", regions_view),
                Step("view", "change", file_is("flows-change-{level}")),
                Step("level", "regions", file_is("flows-change-{level}")),
                Step("view", "map", flows_view),
                Step("view", "sankey"),
                Step("grouping", "north_south", sankey_groups("north_south")),
                Step("view", "regions"),
                Step("inside", "IND", regions_view),
                Step("view", "map", flows_view),
            ],
            {"view": ["map"]},
            name="flows-tabs",
        ),
        Tour(
            "wages",
            {
                "basis": Control("radio", en("wages.basis"), lambda b: en(f"wages.basis.{b}")),
                "pay_year": Control("radio", en("wages.pay_year")),
                "year": Control("select", en("wages.year")),
                "price": Control("number", en("wages.calc.price")),
                "currency": Control("select", en("wages.calc.currency")),
                "seconds": Control("number", en("wages.calc.seconds")),
                "price_year": Control("select", en("wages.calc.price_year")),
                "unpaid": Control("number", en("wages.calc.unpaid")),
                "wage_country": Control("select", en("wages.calc.country"), lambda c: names[c]),
            },
            [
                Step("basis", "ppp", file_is("online-pay-vs-minimum-{basis}")),
                Step("pay_year", "2016", file_is("pay-by-occupation-{pay_year}")),
                Step("year", "2020", lambda tab, s: plot(tab, "hourly-vs-minimum")),
                Step("price", "0.1"),
                Step("currency", "EUR"),
                Step("seconds", "60"),
                Step("price_year", "2016"),
                Step("unpaid", "5"),
                Step("wage_country", "PHL"),
                Step("basis", "nominal", file_is("online-pay-vs-minimum-{basis}")),
                Step("pay_year", "2019", file_is("pay-by-occupation-{pay_year}")),
                Step("currency", "USD"),
                Step("wage_country", "USA"),
            ],
            {"basis": ["nominal"], "pay_year": ["2019"], "currency": ["USD"]},
        ),
        Tour(
            "projections",
            {
                "occupation": Control(
                    "select", en("projections.occupation"), lambda o: en(f"projections.oli.{o}")
                ),
                "from_month": Control("select", en("projections.from_month"), _month),
                "to_month": Control("select", en("projections.to_month"), _month),
                "growth": Control("slider", en("projections.growth")),
                "base_year": Control("slider", en("projections.base_year")),
                "base": Control("number", en("projections.base_value")),
            },
            [
                Step("occupation", "software_technology", file_is("oli-{occupation}-against-claims")),
                Step("from_month", months[12], file_is("oli-{occupation}-against-claims")),
                Step("to_month", months[-13], file_is("oli-{occupation}-against-claims")),
                Step("growth", "30", formula),
                Step("base_year", "2019", formula),
                Step("base", "150", formula),
                Step("occupation", "total", file_is("oli-{occupation}-against-claims")),
                Step("from_month", months[0]),
                Step("to_month", months[-1]),
                Step("growth", "25", formula),
                Step("base_year", "2017", formula),
                Step("base", "100", formula),
            ],
            {"occupation": ["total"], "growth": ["25"]},
        ),
        Tour(
            "workers",
            {
                "survey_year": Control("radio", en("workers.survey_year")),
                "countries": Control("multi", en("workers.countries"), lambda c: names[c]),
                "zone": Control("radio", en("workers.zone"), lambda z: en(f"workers.zone.{z}")),
            },
            [
                Step("survey_year", "2020", file_is("mturk-countries-{survey_year}")),
                Step("countries", ["PHL", "IND", "BGD", "PAK", "USA"], working_day, "remove", names["UKR"]),
                Step("zone", "utc", working_day),
                Step(
                    "countries", ["PHL", "IND", "BGD", "PAK", "USA", "UKR"], working_day, "add", names["UKR"]
                ),
                Step("zone", "local", working_day),
            ],
            {"zone": ["local"]},
        ),
        Tour(
            "platforms",
            {"types": Control("multi", en("platforms.types"), lambda k: en(f"ptype.{k}"))},
            [
                Step(
                    "types",
                    [t for t in PTYPES if t != "micro_work"],
                    platforms_drawn,
                    "remove",
                    en("ptype.micro_work"),
                ),
                Step(
                    "types",
                    [t for t in PTYPES if t not in ("micro_work", "social")],
                    platforms_drawn,
                    "remove",
                    en("ptype.social"),
                ),
                Step(
                    "types",  # an option added goes to the end of the list
                    [*(t for t in PTYPES if t not in ("micro_work", "social")), "micro_work"],
                    platforms_drawn,
                    "add",
                    en("ptype.micro_work"),
                ),
            ],
            {"types": list(PTYPES)},
        ),
        Tour(
            "sources",
            {
                "kind": Control("select", en("sources.kind"), lambda k: en(f"kind.{k}")),
                "q": Control("text", en("sources.search")),
                "source": Control("select", en("sources.choose"), _source_label),
            },
            [
                Step("kind", "dataset", sources_listed),
                Step("kind", "all", sources_listed),
                Step("q", "upwork", sources_listed),
                Step("source", upwork_source),
                Step("q", "", sources_listed),
            ],
            {"kind": ["all"]},
            derived=("source",),
        ),
        Tour(
            "story",
            {
                # a select_slider: its range input holds the position of the step (0 for step 1)
                "step": Control(
                    "slider", "", lambda n: str(int(n) - 1), '[data-testid="stMain"] [data-testid="stSlider"]'
                )
            },
            [Step("step", "3", story_step), Step("step", "10", story_step), Step("step", "1", story_step)],
            {"step": ["1"]},
        ),
        Tour(
            "overview",
            {
                "lang": Control(
                    "radio",
                    "Language / Langue",
                    lambda c: {"en": "English", "fr": "Français"}[c],
                    '[data-testid="stSidebar"]',
                )
            },
            [Step("lang", "fr", french), Step("lang", "en", french)],
            {"lang": ["en"]},
        ),
    ]


TOURS = {tour.name or tour.page: tour for tour in tours()}


@pytest.mark.parametrize("page_name", list(TOURS))
def test_every_control_the_url_and_the_charts_agree_after_each_change(
    browser: Browser, base_url: str, page_name: str
) -> None:
    walk(browser, base_url, TOURS[page_name])
