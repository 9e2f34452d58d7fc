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
st.pydeck_chart(flows.arcs_deck(charts.WORLD_URL), height=560, alt=t("flows.arcs_alt"))
st.caption(t("flows.arcs_legend"))
source_caption(
    supply_used,
    source_ids=["oli-2017-employer-snapshot", *cases.get("source_id", [])],
    cite=t("flows.arcs_title"),
)
table_and_csv(modelled, "flows-modelled-arcs", "arcs", drop=["width"])

st.subheader(t("flows.sankey_title"))
_nodes, links, _colours, _columns = flows.sankey_links()
chart(flows.sankey_figure(), "sankey", t("flows.sankey_alt"))
st.warning(t("flows.sankey_samples"))
source_caption(
    source_ids=["oli-2017-employer-snapshot", "oli-2020-worker-sample"], cite=t("flows.sankey_title")
)
table_and_csv(links, "flows-sankey", "sankey", drop=["hover"], names={"source": _nodes, "target": _nodes})
