"""Projections: what was forecast about digital labour, against what was measured later."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, i18n, url_state, views
from dashboard.components import chart, plain, scheme, source_caption, styled, table_and_csv
from dashboard.i18n import t
from dashboard.projection import scenario

st.title(t("projections.title"))
st.write(t("projections.intro"))

people, _shared = views.world_workforce()


@st.cache_resource(show_spinner=False, max_entries=256)
def scenario_figure(growth: int, base_year: int, base_millions: float, lang: str, scheme: str) -> go.Figure:
    """The statements' chart with the scenario line, styled for `scheme`: one copy per choice."""
    _people, shared = views.world_workforce()
    base = styled(shared, scheme)
    line = scenario(base_millions * 1e6, base_year, growth / 100, 2030)
    with charts.PLOTLY:
        figure = go.Figure(base)  # the cached figure is shared: draw on a copy
        charts.add_line(figure, line, t("projections.scenario_line"))
    return figure


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
    key="growth",
    help=t("projections.growth_help"),
)
base_year = c2.slider(t("projections.base_year"), 2010, 2022, key="base_year")
base_millions = c3.number_input(
    t("projections.base_value"),
    1.0,
    1000.0,
    step=1.0,
    key="base",
    help=t("projections.base_help"),
)
st.latex(rf"N(y) = {base_millions:g}\,\text{{M}} \times (1 + {growth / 100:g})^{{\,y - {base_year}}}")
figure = scenario_figure(growth, base_year, base_millions, i18n.lang(), scheme())
chart(figure, "projections", t("projections.alt"), restyle=False)
st.caption(plain(t("projections.scenario_note")))
source_caption(people)
table_and_csv(
    people,
    "projections-people",
    "people",
    columns=[
        "figure_id",
        "status",
        "label_en",
        *views.FIGURE_EXPORT,
    ],
)

st.subheader(t("projections.other"))


@st.cache_resource(show_spinner=False)
def other_statements(lang: str) -> tuple[pd.DataFrame, str]:
    """Growth, automation and platform-count statements, and their list in `lang` (Markdown)."""
    figures = data.figures()
    other = figures[
        figures["topic"].isin(["growth", "automation"])
        | (figures["unit_normalised"] == "platforms") & (figures["platform"] == "")
    ]
    lines = []
    for row in other.sort_values(["unit_normalised", "year"]).itertuples():
        label = row.label_fr if lang == "fr" else row.label_en
        lines.append(
            f"- **{plain(label)}**: {plain(views.with_unit(views.figure_value(row), row.unit_normalised))} "
            f"({plain(views.period_label(row))}) — « {plain(row.quote)} » *{plain(row.citation)}*"
        )
    return other, "\n".join(lines)


other, listed = other_statements(i18n.lang())
st.markdown(listed)
source_caption(other)
table_and_csv(
    other,
    "projections-other",
    "other",
    columns=[
        "figure_id",
        "label_en",
        *views.FIGURE_EXPORT,
    ],
)
