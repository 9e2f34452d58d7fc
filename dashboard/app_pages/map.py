"""Map: who buys online work, who does it, and how the North/South line is drawn."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, url_state, views
from dashboard.components import chart, plain, source_caption, table_and_csv
from dashboard.i18n import t

METRICS = ("demand", "supply", "north_south")
CLASSIFICATIONS = ("wb", "un")

countries = data.table("countries")
occupations = ("all", *views.OCCUPATIONS)
url_state.choice("metric", METRICS, "demand")
url_state.choice("occupation", occupations, "all")
url_state.choice("classification", CLASSIFICATIONS, "wb")
url_state.choice("country", list(countries["iso3"]), "PHL")

st.title(t("map.title"))
st.write(t("map.intro"))
metric = st.radio(
    t("map.metric"),
    METRICS,
    key="metric",
    horizontal=True,
    format_func=lambda m: t(f"map.metric.{m}"),
)

if metric == "demand":
    occupation = st.selectbox(
        t("map.occupation"),
        occupations,
        key="occupation",
        format_func=lambda o: t(f"occupation.{o}"),
    )
    layer = views.demand_layer(occupation)
elif metric == "supply":
    layer = views.supply_layer()
else:
    classification = st.radio(
        t("map.classification"),
        CLASSIFICATIONS,
        key="classification",
        horizontal=True,
        format_func=lambda c: t(f"map.classification.{c}"),
    )
    layer = views.north_south_layer(classification)

figure = charts.choropleth(
    layer.shown,
    charts.WORLD_URL,
    layer.no_data,
    layer.colour_title,
    t("common.no_data"),
    layer.categories,
    log_scale=layer.log_scale,
)
views.add_named_countries(figure)
chart(figure, f"map-{metric}", t(f"map.alt.{metric}"), key=f"map-{metric}")
st.caption(plain(t("map.markers_legend")))
source_caption(layer.rows, note=layer.note)
table_and_csv(layer.rows, f"map-{metric}", "map")

st.divider()
st.subheader(t("map.country_panel"))
names = data.country_names()
choices = sorted(countries["iso3"], key=lambda c: views.name(c))
country = st.selectbox(t("map.country"), choices, key="country", format_func=views.name)
views.country_panel(country)
