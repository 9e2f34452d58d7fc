"""Flows: from the countries that buy online work to those that do it."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, flows
from dashboard.components import chart, source_caption, table_and_csv
from dashboard.i18n import t

st.title(t("flows.title"))
st.write(t("flows.intro"))

st.subheader(t("flows.arcs_title"))
modelled, cases, supply_used = flows.arcs()
st.info(t("flows.arcs_method"))
if modelled.empty:
    st.warning(t("flows.no_supply"))
st.pydeck_chart(charts.arcs_deck(charts.WORLD_URL, modelled, cases), height=560, alt=t("flows.arcs_alt"))
st.caption(t("flows.arcs_legend"))
source_caption(supply_used, source_ids=["oli-2017-employer-snapshot", *cases.get("source_id", [])])
table_and_csv(modelled.drop(columns=["width"], errors="ignore"), "flows-modelled-arcs", "arcs")

st.subheader(t("flows.sankey_title"))
nodes, links, colours, columns = flows.sankey_links()
chart(charts.sankey(nodes, links, colours, columns), "sankey", t("flows.sankey_alt"))
st.warning(t("flows.sankey_samples"))
source_caption(source_ids=["oli-2017-employer-snapshot", "oli-2020-worker-sample"])
table_and_csv(links.drop(columns=["hover"]), "flows-sankey", "sankey")
