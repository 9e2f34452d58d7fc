"""Platforms: what each platform is said to weigh, claim by claim, and who owns it."""

from __future__ import annotations

import streamlit as st

from dashboard import data, figures, i18n, platforms, url_state
from dashboard.components import chart, per_object, plain, source_caption, table_and_csv
from dashboard.first_chart import rest_of_page
from dashboard.i18n import t
from dashboard.platforms import TYPES

url_state.choices("types", TYPES, TYPES)

st.title(t("platforms.title"))
st.write(t("platforms.intro"))
chosen = st.multiselect(
    t("platforms.types"), TYPES, **url_state.bind("types"), format_func=lambda k: t(f"ptype.{k}")
)

sizes, figure = platforms.platform_sizes(tuple(chosen), i18n.lang())

st.subheader(t("platforms.sizes"))
if figure is None:
    st.info(t("common.no_data"))
else:
    chart(figure, "platform-sizes", t("platforms.alt"))
    rest_of_page()  # the rest of the page once this chart is drawn (dashboard/first_chart.py)
    st.caption(t("platforms.sizes_note"))
    source_caption(sizes, cite=t("platforms.sizes"))
    table_and_csv(
        per_object(
            sizes, "export", lambda: figures.export(sizes, leading=("figure_id", "platform_name", "metric"))
        ),
        "platform-sizes",
        "sizes",
    )

st.subheader(t("platforms.table"))


table = platforms.platform_table(tuple(chosen), i18n.lang())
st.markdown(platforms.directory(tuple(chosen), i18n.lang()))
st.caption(plain(t("platforms.empty_cells")))
source_caption(table)
table_and_csv(table, "platforms", "platforms")

st.subheader(t("platforms.types_title"))
for row in data.table("platform_types").itertuples():
    st.markdown(
        f"**{row.rank}. {plain(row.label_fr if i18n.lang() == 'fr' else row.label_en)}**"
        + (f" — {plain(platforms.platform_names(row.examples))}" if row.examples else "")
    )
    st.markdown(f"> {plain(row.quote)}")
source_caption(data.table("platform_types"))
