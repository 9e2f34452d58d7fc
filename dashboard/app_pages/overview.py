"""Overview: the atlas in one screen — who buys, who clicks, for how much, and where it comes from."""

from __future__ import annotations

import streamlit as st

from dashboard import data, i18n, overview
from dashboard.components import chart, plain, source_caption, table_and_csv
from dashboard.figures import stated
from dashboard.i18n import t
from dashboard.names import name

# The seed figures a class meets first; each card reads its row from the figures table.
HEADLINES = (
    "01net-2017-simeon-micro-workers-worldwide",
    "rue89-2017-casilli-fillon-price-per-click-click-farms",
    "01net-2017-simeon-mturk-hourly-earnings-laura",
    "lefigaro-2017-braun-ilo-workers-by-2019",
)

figures = data.figures().set_index("figure_id", drop=False)
st.title(t("overview.title"))
st.write(t("overview.intro"))

cards = [f for f in HEADLINES if f in figures.index]
for column, fid in zip(st.columns(len(cards) or 1), cards, strict=False):
    row = figures.loc[fid]
    label = row["label_fr"] if i18n.lang() == "fr" else row["label_en"]
    # Markdown, not st.metric: a metric cuts long values ("0,75 $US de l'h…") on a projector.
    column.markdown(f"**{plain(label)}**")
    column.markdown(f"### {plain(stated(row))}")
    # The whole sentence: cut at a fixed length, one quote lost the number it was there for.
    column.caption(plain(f"« {row['quote']} » — {row['citation']}"))

st.subheader(t("overview.measured"))
for column, (label, value, source) in zip(st.columns(4), overview.measured_cards(), strict=True):
    column.markdown(f"**{plain(label)}**")
    column.markdown(f"### {plain(value)}")
    column.caption(plain(source))

st.subheader(t("overview.buyers"))
by_country, buyers = overview.top_buyers(12)
chart(buyers, "top-employer-countries", t("overview.buyers_alt"))
source_caption(by_country, cite=t("overview.buyers"))
table_and_csv(by_country, "top-employer-countries", "buyers", drop=["hover"])

st.subheader(t("overview.named"))
mentions = data.table("country_mentions")
for role in ("micro_task_buyer", "micro_task_seller", "click_farm"):
    rows = mentions[mentions["role"] == role]
    if len(rows):
        names = ", ".join(dict.fromkeys(name(c) for c in rows["country_iso3"]))
        st.markdown(f"**{plain(t('map.role.' + role))}**: {plain(names)}")
source_caption(mentions[mentions["role"].isin(["micro_task_buyer", "micro_task_seller", "click_farm"])])
st.info(t("overview.how_to_read"))
