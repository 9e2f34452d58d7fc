"""Projections: what was forecast about digital labour, against what was measured later."""

from __future__ import annotations

import streamlit as st

from dashboard import i18n, projections, url_state
from dashboard.components import chart, plain, scheme, source_caption, table_and_csv
from dashboard.figures import FIGURE_EXPORT
from dashboard.i18n import t

st.title(t("projections.title"))
st.write(t("projections.intro"))

people, _shared = projections.world_workforce()


url_state.integer("growth", 25, 0, 50)
url_state.integer("base_year", 2017, 2010, 2022)
url_state.number("base", 100.0, 1.0, 1000.0)
st.subheader(t("projections.scenario"))
c1, c2, c3 = st.columns(3)
growth = c1.slider(
    t("projections.growth"),
    0,
    50,
    step=1,
    **url_state.bind("growth"),
    help=t("projections.growth_help"),
)
base_year = c2.slider(t("projections.base_year"), 2010, 2022, **url_state.bind("base_year"))
base_millions = c3.number_input(
    t("projections.base_value"),
    1.0,
    1000.0,
    step=1.0,
    **url_state.bind("base"),
    help=t("projections.base_help"),
)
st.latex(rf"N(y) = {base_millions:g}\,\text{{M}} \times (1 + {growth / 100:g})^{{\,y - {base_year}}}")
figure = projections.scenario_figure(growth, base_year, base_millions, i18n.lang(), scheme())
chart(figure, "projections", t("projections.alt"), restyle=False)
st.caption(plain(t("projections.scenario_note")))
source_caption(people, cite=t("projections.scenario"))
table_and_csv(
    people,
    "projections-people",
    "people",
    columns=[
        "figure_id",
        "status",
        "label_en",
        *FIGURE_EXPORT,
    ],
)

st.subheader(t("projections.other"))


other, listed = projections.other_statements(i18n.lang())
st.markdown(listed)
source_caption(other)
table_and_csv(
    other,
    "projections-other",
    "other",
    columns=[
        "figure_id",
        "label_en",
        *FIGURE_EXPORT,
    ],
)
