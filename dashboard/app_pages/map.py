"""Map: who buys online work, who does it, and how the North/South line is drawn."""

from __future__ import annotations

import streamlit as st

from dashboard import data, i18n, maps, url_state
from dashboard.components import chart, plain, source_caption, table_and_csv
from dashboard.i18n import t
from dashboard.names import countries_by_name, name
from dashboard.occupations import OCCUPATIONS

METRICS = ("demand", "supply", "north_south")
CLASSIFICATIONS = ("wb", "un")

countries = data.table("countries")
occupations = ("all", *OCCUPATIONS)
url_state.choice("metric", METRICS, "demand")
url_state.choice("occupation", occupations, "all")
url_state.choice("classification", CLASSIFICATIONS, "wb")
url_state.choice("country", list(countries["iso3"]), "PHL")
url_state.choice(
    "snapshot", list(maps.supply_snapshot_labels()), next(iter(maps.supply_snapshot_labels()), "")
)

st.title(t("map.title"))
st.write(t("map.intro"))
metric = st.radio(
    t("map.metric"),
    METRICS,
    **url_state.bind("metric"),
    horizontal=True,
    format_func=lambda m: t(f"map.metric.{m}"),
)

if metric == "demand":
    occupation = st.selectbox(
        t("map.occupation"),
        occupations,
        **url_state.bind("occupation"),
        format_func=lambda o: t(f"occupation.{o}"),
    )
    layer = maps.demand_layer(occupation)
elif metric == "supply":
    snapshots = maps.supply_snapshots()
    labels = maps.supply_snapshot_labels()
    snapshot = st.selectbox(
        t("map.supply_snapshot"), list(labels), **url_state.bind("snapshot"), format_func=labels.__getitem__
    )
    layer = maps.supply_layer(list(labels).index(snapshot))
else:
    classification = st.radio(
        t("map.classification"),
        CLASSIFICATIONS,
        **url_state.bind("classification"),
        horizontal=True,
        format_func=lambda c: t(f"map.classification.{c}"),
    )
    layer = maps.north_south_layer(classification)

figure = maps.map_figure(layer)
chart(figure, f"map-{metric}", t(f"map.alt.{metric}"), key=f"map-{metric}")
st.caption(plain(t("map.markers_legend")))
source_caption(layer.rows, note=layer.note, cite=t(f"map.metric.{metric}"))
table_and_csv(layer.rows, f"map-{metric}", "map")

st.divider()
st.subheader(t("map.country_panel"))
choices = countries_by_name(i18n.lang())
country = st.selectbox(t("map.country"), choices, **url_state.bind("country"), format_func=name)
maps.country_panel(country)
