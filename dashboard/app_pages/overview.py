"""Overview: the atlas in one screen — who buys, who clicks, for how much, and where it comes from."""

from __future__ import annotations

import streamlit as st

from dashboard import data, i18n, overview
from dashboard.components import chart, plain, source_caption, table_and_csv
from dashboard.figures import quote, stated
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

# Two cards a row: four in a row left each about 180 px at 1280 px (French, with the sidebar), and
# the values' larger type broke "travailleurs" inside the word.
cards = [f for f in HEADLINES if f in figures.index]
for start in range(0, len(cards), 2):
    for column, fid in zip(st.columns(2, gap="large"), cards[start : start + 2], strict=False):
        row = figures.loc[fid]
        label = row["label_fr"] if i18n.lang() == "fr" else row["label_en"]
        # Markdown, not st.metric: a metric cuts long values ("0,75 $US de l'h…") on a projector.
        column.markdown(f"**{plain(label)}**")
        column.markdown(f"### {plain(stated(row))}")
        # The whole sentence (cut at a fixed length, one quote lost the number it was there for),
        # and for an English reader of a French one, our translation, said to be ours.
        column.caption(plain(f"{quote(row)} — {row['citation']}"))

st.subheader(t("overview.measured"))
measured = overview.measured_cards()
for start in range(0, len(measured), 2):
    for column, (label, value, source) in zip(
        st.columns(2, gap="large"), measured[start : start + 2], strict=True
    ):
        column.markdown(f"**{plain(label)}**")
        column.markdown(f"### {plain(value)}")
        column.caption(plain(source))

st.subheader(t("overview.buyers"))
by_country, buyers = overview.top_buyers(12)
# One day's vacancies on the platforms the Online Labour Index tracks, not all online work.
st.write(overview.snapshot_note())
chart(buyers, "top-employer-countries", t("overview.buyers_alt"))
source_caption(by_country, cite=t("overview.buyers"))
table_and_csv(by_country, "top-employer-countries", "buyers", drop=["hover"])

# The OLI's own employer file, month by month, when make update has brought it.
months = overview.employer_months()
if months is None:
    st.caption(plain(t("overview.months_absent")))
else:
    month_rows, month_lines = months
    st.subheader(t("overview.months_title"))
    chart(month_lines, "oli-employer-shares-monthly", t("overview.months_alt"))
    source_caption(month_rows, cite=t("overview.months_title"))
    table_and_csv(month_rows, "oli-employer-shares-monthly", "oli-employers")

st.subheader(t("overview.named"))
mentions = data.table("country_mentions")
for role in ("micro_task_buyer", "micro_task_seller", "click_farm"):
    rows = mentions[mentions["role"] == role]
    if len(rows):
        names = ", ".join(dict.fromkeys(name(c) for c in rows["country_iso3"]))
        st.markdown(f"**{plain(t('map.role.' + role))}**: {plain(names)}")
source_caption(mentions[mentions["role"].isin(["micro_task_buyer", "micro_task_seller", "click_farm"])])
st.info(t("overview.how_to_read"))
