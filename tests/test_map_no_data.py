"""On every map, "no data" is not zero (issue 20, item 13): a country whose workers won no project
is drawn in the colour scale's own colour for zero, a country we hold nothing about in a pale grey
that no scale uses, and the legend names that grey ("No data", "Pas de données")."""

from __future__ import annotations

import pandas as pd
import plotly.colors
import pytest
from playwright.sync_api import Browser

from dashboard import i18n, maps
from dashboard.i18n import message
from tests.support import CHARTS, POLL_MS, ROOT, wait_for_app, wait_for_charts

YEAR = 2020
LAYERS = {
    "workers": lambda: maps.workers_layer(YEAR),
    "pay": lambda: maps.pay_layer(YEAR),
    "supply": lambda: maps.supply_layer(0),
    "demand": lambda: maps.demand_layer("all"),
    "north_south_wb": lambda: maps.north_south_layer("wb"),
    "north_south_un": lambda: maps.north_south_layer("un"),
}


def zero_countries() -> set[str]:
    supply = pd.read_csv(ROOT / "datasets" / "tidy" / "worker_supply_years.csv")
    return set(supply.loc[(supply["year"] == YEAR) & (supply["projects"] == 0), "iso3"])


def colour_at(trace: object, z: float) -> str:
    """The colour plotly.js gives `z` on `trace`'s colour scale (a hex string, lower case)."""
    stops = [(float(s), c) for s, c in trace.colorscale]  # type: ignore[attr-defined]
    low, high = trace.zmin, trace.zmax  # type: ignore[attr-defined]
    where = 0.0 if high == low else (z - low) / (high - low)
    for (s0, c0), (s1, c1) in zip(stops, stops[1:], strict=False):
        if s0 <= where <= s1:
            if s1 == s0 or where == s0:
                return str(c0).lower()
            rgb = plotly.colors.find_intermediate_color(
                plotly.colors.hex_to_rgb(c0), plotly.colors.hex_to_rgb(c1), (where - s0) / (s1 - s0)
            )
            return "#" + "".join(f"{round(v):02x}" for v in rgb)
    raise AssertionError(f"{z} is off the scale {stops}")


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("kind", list(LAYERS))
def test_no_data_is_a_named_pale_grey_and_never_a_colour_of_the_scale(kind: str, lang: str) -> None:
    with i18n.speaking(lang):
        layer = LAYERS[kind]()
        figure = maps.map_figure(layer)
    regions = [d for d in figure.data if d.type == "choropleth"]
    no_data = regions[0]
    assert {c.lower() for _, c in no_data.colorscale} == {maps.NO_DATA_FILL.lower()}
    assert no_data.showlegend is True and no_data.name == message("map.legend.no_data", lang)
    assert set(no_data.locations) == set(layer.no_data["iso3"])
    # No colour a value can take is the no-data grey.
    for trace in regions[1:]:
        assert maps.NO_DATA_FILL.lower() not in {str(c).lower() for _, c in trace.colorscale}, kind
        assert not set(trace.locations) & set(no_data.locations), kind


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_country_whose_workers_won_nothing_has_the_scales_zero_colour(lang: str) -> None:
    zeros = zero_countries()
    assert zeros, "the measured 2020 table has countries with no project won"
    with i18n.speaking(lang):
        figure = maps.map_figure(maps.workers_layer(YEAR))
    no_data, main = (d for d in figure.data if d.type == "choropleth")
    assert not zeros & set(no_data.locations)
    z = dict(zip(main.locations, main.z, strict=True))
    assert zeros <= set(z)
    assert {z[c] for c in zeros} == {main.zmin}  # the bottom of the colour bar…
    assert colour_at(main, main.zmin) == maps.ZERO_COLOUR.lower()  # …in the scale's zero colour
    assert main.colorbar.ticktext[0] == "0" and main.colorbar.tickvals[0] < min(
        v for c, v in z.items() if c not in zeros
    )
    # The smallest share drawn is a colour of the scale, not the zero's.
    smallest = min(v for c, v in z.items() if c not in zeros)
    assert colour_at(main, smallest) != maps.ZERO_COLOUR.lower()


PATH_FILLS_JS = """(codes) => {
    const paths = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .choroplethlayer path')];
    const fills = {};
    for (const p of paths) {
        const d = p.__data__;
        if (d && codes.includes(d.loc)) fills[d.loc] = getComputedStyle(p).fill;
    }
    const legend = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .legend .legendtext')]
        .map(t => t.textContent);
    return {fills, legend};
}"""


def rgb(hex_colour: str) -> str:
    red, green, blue = plotly.colors.hex_to_rgb(hex_colour)
    return f"rgb({red}, {green}, {blue})"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_map_page_draws_zero_and_no_data_apart_with_a_legend_entry(
    browser: Browser, base_url: str, lang: str
) -> None:
    zero = sorted(zero_countries())[0]
    with i18n.speaking(lang):
        missing = sorted(maps.workers_layer(YEAR).no_data["iso3"])[0]
    assert missing not in zero_countries()
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab = context.new_page()
    tab.goto(f"{base_url}/map?lang={lang}&metric=workers&year={YEAR}")
    wait_for_app(tab)
    wait_for_charts(tab, *CHARTS["map"])
    tab.wait_for_function("() => document.querySelector('.choroplethlayer path')", polling=POLL_MS)
    found = tab.evaluate(PATH_FILLS_JS, [zero, missing])
    context.close()
    assert found["fills"] == {zero: rgb(maps.ZERO_COLOUR), missing: rgb(maps.NO_DATA_FILL)}, found
    assert message("map.legend.no_data", lang) in found["legend"], found["legend"]
