"""Projections: what was forecast about digital labour, against what was measured later."""

from __future__ import annotations

import streamlit as st

from dashboard import calculator, figures, i18n, projections, url_state
from dashboard.components import chart, chart_spec, per_object, plain, scheme, source_caption, table_and_csv
from dashboard.first_chart import rest_of_page
from dashboard.i18n import t

st.title(t("projections.title"))
st.write(t("projections.intro"))

people, _shared = projections.world_workforce()
months = projections.months()
url_state.choice("occupation", projections.occupations(), "total")
url_state.choice("from_month", months, months[0])
url_state.choice("to_month", months, months[-1])

st.subheader(t("projections.measured"))
c1, c2, c3 = st.columns([2, 1, 1])
occupation = c1.selectbox(
    t("projections.occupation"),
    projections.occupations(),
    format_func=lambda o: t(f"projections.oli.{o}"),
    **url_state.bind("occupation"),
)
first = c2.selectbox(
    t("projections.from_month"), months, format_func=i18n.month, **url_state.bind("from_month")
)
last = c3.selectbox(t("projections.to_month"), months, format_func=i18n.month, **url_state.bind("to_month"))
line, oli = projections.oli_figure(occupation, first, last)
chart(oli, f"oli-{occupation}-against-claims", t("projections.oli_alt"))
rest_of_page()  # the rest of the page once this chart is drawn (dashboard/first_chart.py)
measured = projections.measured_growth(occupation, first, last)
if measured is None:
    st.warning(t("projections.bad_span"))
else:
    st.markdown(plain(projections.growth_sentence(measured, occupation)))
yearly = projections.yearly_means_sentence(occupation)
if yearly:
    st.markdown(plain(yearly))
if projections.own_index() is None:
    st.caption(plain(t("projections.oli_note")))
else:  # the authors' own file (make update); the third party's means are kept as a cross-check
    st.caption(plain(t("projections.oli_note_own")))
    st.caption(plain(projections.cross_check_sentence()))
source_caption(
    line, source_ids=list(projections.growth_claims()["source_id"]), cite=t("projections.measured")
)
table_and_csv(line, f"oli-monthly-{occupation}", "oli", drop=["date"])

st.subheader(t("projections.people"))
url_state.integer("growth", projections.SCENARIO_DEFAULT[0], 0, 50)
url_state.integer("base_year", projections.SCENARIO_DEFAULT[1], 2010, 2022)
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
# A text field, not st.number_input: a French reader types and reads "1,5" (a decimal comma).
base_millions = calculator.number_field(
    c3,
    t("projections.base_value"),
    "base",
    projections.SCENARIO_DEFAULT[2],
    1.0,
    1000.0,
    "projections.bad_number",
    help=t("projections.base_help"),
)
st.caption(plain(t("projections.scenario")))
st.html(projections.formula(base_millions, growth, base_year))
text, height = projections.scenario_spec(growth, base_year, base_millions, scheme())
chart_spec(text, height, "projections", t("projections.alt"))
st.caption(plain(t("projections.scenario_note")))
source_caption(people, cite=t("projections.scenario"))
table_and_csv(
    per_object(people, "export", lambda: figures.export(people, leading=("figure_id", "status", "label_en"))),
    "projections-people",
    "people",
)

st.subheader(t("projections.other"))


other, listed = projections.other_statements(i18n.lang())
st.markdown(listed)
source_caption(other)
table_and_csv(
    per_object(other, "export", lambda: figures.export(other, leading=("figure_id", "label_en"))),
    "projections-other",
    "other",
)
