"""Map: where online work is bought and done, measured year by year, and how the North/South line is drawn."""

from __future__ import annotations

import streamlit as st

from dashboard import data, flows, i18n, maps, regions, url_state
from dashboard.charts import TOPOJSON_URL, WORLD_URL
from dashboard.components import chart, plain, source_caption, table_and_csv
from dashboard.first_chart import rest_of_page
from dashboard.i18n import t
from dashboard.maps import MEASURED_YEARS
from dashboard.names import countries_by_name, name
from dashboard.occupations import OCCUPATIONS

# With the OLI's own worker supplement (make update), its months are a metric of their own.
OLI_MONTHS = maps.oli_months()
METRICS = ("workers", "pay", "supply", "demand", "north_south") + (("oli_workers",) if OLI_MONTHS else ())
CLASSIFICATIONS = ("wb", "un")

countries = data.table("countries")
occupations = ("all", *OCCUPATIONS)
url_state.choice("metric", METRICS, "workers")
url_state.choice("year", MEASURED_YEARS, MEASURED_YEARS[-1], parse=int)
url_state.choice("occupation", occupations, "all")
url_state.choice("classification", CLASSIFICATIONS, "wb")
url_state.choice("country", list(countries["iso3"]), "PHL")
url_state.choice(
    "snapshot", list(maps.supply_snapshot_labels()), next(iter(maps.supply_snapshot_labels()), "")
)
if OLI_MONTHS:
    url_state.choice("month", OLI_MONTHS, OLI_MONTHS[-1])
url_state.choice("from_year", MEASURED_YEARS, MEASURED_YEARS[0], parse=int)
url_state.choice("to_year", MEASURED_YEARS, MEASURED_YEARS[-1], parse=int)

st.title(t("map.title"))
st.write(t("map.intro"))


def shown_layer(metric: str) -> maps.Layer:
    """The layer the controls' current values ask for (kept in the session, seeded from the URL)."""
    if metric in ("workers", "pay"):
        year = int(str(url_state.current("year")))
        return maps.workers_layer(year) if metric == "workers" else maps.pay_layer(year)
    if metric == "demand":
        return maps.demand_layer(str(url_state.current("occupation")))
    if metric == "supply":
        return maps.supply_layer(
            list(maps.supply_snapshot_labels()).index(str(url_state.current("snapshot")))
        )
    if metric == "oli_workers":
        return maps.oli_workers_layer(str(url_state.current("month")))
    return maps.north_south_layer(str(url_state.current("classification")))


# The map first, its controls right under it (as a timeline under a chart): on a projected
# 1280×720 screen the title, the introduction and two rows of options used to fill the first
# screen, and the map began below it; and a first visit draws the map before any option
# (dashboard/first_chart.py: 0.03× the empty app's cold start, BENCHMARKS.md).
metric = str(url_state.current("metric"))
layer = shown_layer(metric)
figure = maps.map_figure(layer)
chart(figure, f"map-{metric}", t(f"map.alt.{metric}"), key=f"map-{metric}")
# plotly.js fetches the countries and its base layer (our empty one) once it runs: fetched now instead
rest_of_page(preload=[WORLD_URL, f"{TOPOJSON_URL}world_110m.json"])  # the rest once this map is drawn
st.radio(
    t("map.metric"),
    METRICS,
    horizontal=True,
    format_func=lambda m: t(f"map.metric.{m}"),
    **url_state.bind("metric"),
)
if metric in ("workers", "pay"):
    st.radio(t("map.year"), MEASURED_YEARS, horizontal=True, **url_state.bind("year"))
elif metric == "demand":
    st.selectbox(
        t("map.occupation"),
        occupations,
        format_func=lambda o: t(f"occupation.{o}"),
        **url_state.bind("occupation"),
    )
elif metric == "supply":
    labels = maps.supply_snapshot_labels()
    st.selectbox(
        t("map.supply_snapshot"), list(labels), format_func=labels.__getitem__, **url_state.bind("snapshot")
    )
elif metric == "oli_workers":
    st.select_slider(t("map.oli_month"), OLI_MONTHS, format_func=i18n.month, **url_state.bind("month"))
else:
    st.radio(
        t("map.classification"),
        CLASSIFICATIONS,
        horizontal=True,
        format_func=lambda c: t(f"map.classification.{c}"),
        **url_state.bind("classification"),
    )
st.caption(plain(t("map.markers_legend")))
source_caption(layer.rows, note=layer.note, cite=t(f"map.metric.{metric}"))
table_and_csv(layer.rows, f"map-{metric}", "map")

st.divider()
st.subheader(t("map.country_panel"))
choices = countries_by_name(i18n.lang())
country = st.selectbox(t("map.country"), choices, format_func=name, **url_state.bind("country"))
maps.country_panel(country)
# Inside the country: its largest worker regions and who bought from them (network file, 2015).
region_lines = regions.panel_lines(country)
if region_lines:
    st.markdown(f"**{plain(t('regions.panel_title'))}**")
    st.markdown("  \n".join(plain(line) for line in region_lines))
    source_caption(
        source_ids=[flows.SOURCE_IDS[-1]], note=t("regions.note"), newest_date=str(regions.NETWORK_YEARS[-1])
    )

st.divider()
st.subheader(t("map.over_years"))
st.write(t("map.over_years_intro"))
rows, multiples = maps.shares_over_years()
chart(multiples, "worker-shares-2013-2020", t("map.over_years_alt"))
source_caption(rows, note=t("map.shares_only"), cite=t("map.over_years"))
table_and_csv(rows, "worker-shares-2013-2020", "over-years")

c1, c2 = st.columns(2)
first = c1.selectbox(t("map.from_year"), MEASURED_YEARS, **url_state.bind("from_year"))
last = c2.selectbox(t("map.to_year"), MEASURED_YEARS, **url_state.bind("to_year"))
change, bars = maps.change_between(first, last)
st.markdown(f"**{plain(t('map.change_title', first=first, last=last))}**")
chart(bars, f"worker-share-change-{first}-{last}", t("map.change_alt", first=first, last=last))
source_caption(change, note=t("map.change_note"), cite=t("map.change_title", first=first, last=last))
table_and_csv(change, f"worker-share-change-{first}-{last}", "change")
