"""Workers: who takes micro-tasks on Mechanical Turk, and when the world's online workers work."""

from __future__ import annotations

import streamlit as st

from dashboard import i18n, url_state, workers
from dashboard.components import chart, plain, source_caption, table_and_csv
from dashboard.first_chart import rest_of_page
from dashboard.i18n import t
from dashboard.names import name

years = workers.survey_years()
url_state.choice("survey_year", years, years[-1], parse=int)
url_state.choices("countries", workers.day_countries(), workers.DAY_COUNTRIES)
url_state.choice("zone", workers.ZONES, "local")

st.title(t("workers.title"))
st.write(t("workers.intro"))

st.subheader(t("workers.mix_title"))
mix_rows, mix = workers.mix()
chart(mix, "mturk-respondents-by-country", t("workers.mix_alt"))
rest_of_page()  # the rest of the page once this chart is drawn (dashboard/first_chart.py)
first, last = workers.first_and_last()
st.markdown(plain(workers.mix_sentence(first, last)))
st.caption(plain(t("workers.mix_note", minimum=i18n.number(workers.THIN_MONTH))))
source_caption(mix_rows, cite=t("workers.mix_title"))
table_and_csv(mix_rows, "mturk-respondents-by-country", "mix")

year = st.radio(t("workers.survey_year"), years, horizontal=True, **url_state.bind("survey_year"))
st.subheader(t("workers.ranking_title", year=year))
ranked, bars = workers.ranking(year)
chart(bars, f"mturk-countries-{year}", t("workers.ranking_alt", year=year))
source_caption(ranked, note=t("workers.ranking_note"), cite=t("workers.ranking_title", year=year))
table_and_csv(ranked, f"mturk-countries-{year}", "ranking")

st.subheader(t("workers.day_title"))
st.write(t("workers.day_intro"))
c1, c2 = st.columns([3, 1])
chosen = c1.multiselect(
    t("workers.countries"), workers.day_countries(), format_func=name, **url_state.bind("countries")
)
zone = c2.radio(
    t("workers.zone"), workers.ZONES, format_func=lambda z: t(f"workers.zone.{z}"), **url_state.bind("zone")
)
if not chosen:
    st.info(t("workers.choose_country"))
else:
    day, lines, label = workers.working_day(tuple(chosen), zone)
    chart(lines, "working-day-of-the-world", t("workers.day_alt", zone=label))
    st.markdown(plain(workers.peak_sentence(tuple(chosen), zone)))
    st.caption(plain(t("workers.day_note")))
    source_caption(day, cite=t("workers.day_title"))
    table_and_csv(day, "working-day-of-the-world", "day")

# The OLI's own worker supplement, month by month, when make update has brought it.
st.subheader(t("workers.oli_title"))
oli = workers.oli_months()
if oli is None:
    st.caption(plain(t("workers.oli_absent")))
else:
    oli_rows, oli_lines = oli
    chart(oli_lines, "oli-worker-shares-monthly", t("workers.oli_alt"))
    st.caption(plain(t("workers.oli_note")))
    source_caption(
        oli_rows,
        source_ids=["braesemann-2022-country-data"],
        cite=t("workers.oli_title"),
        newest_date=workers.oli_newest(),
    )
    table_and_csv(oli_rows, "oli-worker-shares-monthly", "oli-workers")
