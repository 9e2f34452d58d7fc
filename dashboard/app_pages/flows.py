"""Flows: who buys online work from whom, measured on one large platform in 2014 and 2015."""

from __future__ import annotations

import streamlit as st

from dashboard import data, flows, i18n, url_state
from dashboard.components import chart, plain, source_caption, table_and_csv
from dashboard.flows import CLASSIFICATIONS, GROUPINGS, YEARS
from dashboard.i18n import t
from dashboard.names import name

url_state.choice("year", YEARS, 2015, parse=int)
url_state.integer("top", 40, 5, 200)
url_state.choice("classification", CLASSIFICATIONS, "wb")
url_state.choice("focus", ["", *flows.countries_in_flows()], "")
url_state.choice("grouping", GROUPINGS, "north_south")

st.title(t("flows.title"))
st.write(t("flows.intro"))
st.info(t("flows.measured"))

c1, c2, c3 = st.columns([1, 2, 2])
year = c1.radio(t("flows.year"), YEARS, horizontal=True, **url_state.bind("year"))
top = c2.slider(t("flows.top"), 5, 200, step=5, **url_state.bind("top"))
classification = c3.radio(
    t("flows.colour_by"),
    CLASSIFICATIONS,
    horizontal=True,
    format_func=lambda c: t(f"map.classification.{c}"),
    **url_state.bind("classification"),
)
focus = st.selectbox(
    t("flows.focus"),
    ["", *flows.countries_in_flows()],
    format_func=lambda c: t("flows.focus_all") if not c else name(c),
    **url_state.bind("focus"),
)

st.subheader(t("flows.arcs_title", year=year))
chosen = flows.arcs(year, top, classification, focus)
st.pydeck_chart(
    flows.arcs_deck(year, top, classification, focus), height=600, alt=t("flows.arcs_alt", year=year)
)
st.caption(plain(t("flows.arcs_legend")))
st.markdown(plain(flows.summary(chosen, year, top)))
source_caption(
    source_ids=[chosen.source_id], note=t("flows.arcs_note"), cite=t("flows.arcs_title", year=year)
)

st.subheader(t("flows.table_title", year=year))
st.markdown(plain(flows.top_lines(chosen, 10)))
table_and_csv(chosen.table, f"flows-top-pairs-{year}", "pairs")

st.subheader(t("flows.sankey_title", year=year))
grouping = st.radio(
    t("flows.grouping"),
    GROUPINGS,
    horizontal=True,
    format_func=lambda g: t(f"flows.grouping.{g}"),
    **url_state.bind("grouping"),
)
figure, links = flows.sankey(year, classification, grouping)
chart(figure, f"flows-sankey-{year}", t("flows.sankey_alt", year=year))
north_south = flows.share_between_sides(year, classification, "North", "South")
st.markdown(plain(t("flows.north_to_south", share=i18n.percent(north_south, 1), year=year)))
source_caption(links, note=t(f"map.ns_note.{classification}"), cite=t("flows.sankey_title", year=year))
table_and_csv(links, f"flows-sankey-{year}", "sankey")

st.subheader(t("flows.cases_title"))
mentions = data.table("country_mentions")
farms = mentions[mentions["role"] == "click_farm"]
for quote, named in farms.groupby("quote", sort=False):
    countries = ", ".join(dict.fromkeys(name(c) for c in named["country_iso3"]))
    st.markdown(f"**{plain(countries)}** — « {plain(quote)} »")
source_caption(farms, note=t("flows.cases_note"))
