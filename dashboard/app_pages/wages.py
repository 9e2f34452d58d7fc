"""Wages: what a click, a like or a task pays, next to what an hour at the minimum wage pays."""

from __future__ import annotations

import streamlit as st

from dashboard import calculator, i18n, url_state, wages
from dashboard.components import chart, plain, source_caption, table_and_csv
from dashboard.first_chart import rest_of_page
from dashboard.i18n import t
from dashboard.maps import MEASURED_YEARS
from dashboard.names import name
from dashboard.wages import BASES, COUNTRIES, CURRENCIES

years = wages.minimum_wage_years()
url_state.choice("basis", BASES, "nominal")
url_state.choice("pay_year", MEASURED_YEARS, 2019, parse=int)
url_state.choice("year", years, 2017 if 2017 in years else years[-1], parse=int)
url_state.choice("currency", CURRENCIES, "USD")
url_state.choice("wage_country", COUNTRIES, "USA")

st.title(t("wages.title"))
st.write(t("wages.intro"))

st.subheader(t("wages.ladder"))
prices, ladder = wages.price_ladder()
chart(ladder, "price-ladder", t("wages.ladder_alt"))
rest_of_page()  # the rest of the page once this chart is drawn (dashboard/first_chart.py)
st.caption(plain(t("wages.ladder_note")))
source_caption(prices, cite=t("wages.ladder"))
table_and_csv(prices, "price-ladder", "ladder", columns=wages.LADDER_EXPORT)

st.subheader(t("wages.measured"))
st.write(t("wages.measured_intro"))
c1, c2 = st.columns(2)
basis = c1.radio(
    t("wages.basis"),
    BASES,
    **url_state.bind("basis"),
    horizontal=True,
    format_func=lambda b: t(f"wages.basis.{b}"),
)
pay_year = c2.radio(t("wages.pay_year"), MEASURED_YEARS, horizontal=True, **url_state.bind("pay_year"))
measured, against = wages.pay_against_minimum(basis)
chart(against, f"online-pay-vs-minimum-{basis}", t("wages.measured_alt"))
st.markdown(plain(wages.ratio_sentence(pay_year, basis)))
st.caption(plain(t(f"wages.measured_note.{basis}")))
source_caption(measured, cite=t("wages.measured"))
table_and_csv(measured, f"online-pay-vs-minimum-{basis}", "measured")

st.subheader(t("wages.occupations", year=pay_year))
occupations, by_occupation = wages.occupation_pay(pay_year)
chart(by_occupation, f"pay-by-occupation-{pay_year}", t("wages.occupations_alt", year=pay_year))
st.caption(plain(t("wages.occupations_note", minimum=wages.MIN_OCCUPATION_PROJECTS)))
source_caption(occupations, cite=t("wages.occupations", year=pay_year))
table_and_csv(occupations, f"pay-by-occupation-{pay_year}", "occupations")

st.subheader(t("wages.hourly"))
year = st.selectbox(t("wages.year"), years, **url_state.bind("year"))
both, missing, hourly = wages.hourly_chart(basis, year, i18n.lang())
chart(hourly, "hourly-vs-minimum", t("wages.hourly_alt"))
st.caption(plain(t("wages.hourly_note", year=year)))
for note in wages.break_notes(year):
    st.warning(plain(note))
if missing:
    st.warning(t("wages.missing", countries=", ".join(name(c) for c in missing), year=year))
source_caption(both, cite=t("wages.hourly"))
table_and_csv(both, "hourly-vs-minimum", "hourly", columns=wages.HOURLY_EXPORT)

st.subheader(t("wages.calculator"))
unpaid_default = wages.unpaid_minutes_default()
price_years = wages.rate_years()
url_state.choice("price_year", price_years, 2017 if 2017 in price_years else price_years[-1], parse=int)
a, b, c, f = st.columns(4)
# Text fields, not st.number_input: a French reader types and reads "0,04" (a decimal comma).
price = calculator.number_field(a, t("wages.calc.price"), "price", 0.04, 0.0, 1000.0, "wages.bad_number")
currency = b.selectbox(t("wages.calc.currency"), CURRENCIES, **url_state.bind("currency"))
seconds = calculator.number_field(
    c, t("wages.calc.seconds"), "seconds", 30.0, 1.0, 36000.0, "wages.bad_number"
)
price_year = f.selectbox(t("wages.calc.price_year"), price_years, **url_state.bind("price_year"))
d, e = st.columns(2)
unpaid = calculator.number_field(
    d,
    t("wages.calc.unpaid"),
    "unpaid",
    float(unpaid_default.value) if unpaid_default else 0.0,
    0.0,
    600.0,
    "wages.bad_number",
)
country = e.selectbox(t("wages.calc.country"), COUNTRIES, **url_state.bind("wage_country"), format_func=name)
if unpaid_default is not None:
    st.caption(
        plain(t("wages.calc.unpaid_source", quote=unpaid_default.quote, source=unpaid_default.citation))
    )
# The price is converted at its own year's rate and set against the minimum wage of that year (or
# the latest before it), not at the year chosen for the chart above.
rate_year, usd_per_unit = wages.usd_per_unit(currency, price_year)
reference_wage = wages.minimum_hourly(country, price_year)
if usd_per_unit is None:
    st.error(t("wages.calc.no_rate", currency=currency, year=price_year))
else:
    result = calculator.effective_pay(
        price * usd_per_unit, seconds, unpaid, reference_wage.usd_per_hour if reference_wage else None
    )
    m1, m2, m3 = st.columns(3)
    m1.metric(t("wages.calc.effective"), i18n.money(result.effective_usd_per_hour, "USD"))
    m2.metric(
        t("wages.calc.share", country=name(country)),
        i18n.percent(result.share_of_minimum_percent, 1)
        if result.share_of_minimum_percent is not None
        else t("common.no_data"),
    )
    m3.metric(
        t("wages.calc.tasks"),
        i18n.number(result.tasks_per_minimum_hour, 0)
        if result.tasks_per_minimum_hour
        else t("common.no_data"),
    )
    rate = (
        t("wages.calc.rate_usd")
        if currency == "USD"
        else t(
            "wages.calc.rate",
            one=i18n.money(1, currency),
            usd=i18n.money(usd_per_unit, "USD", 4),
            per_usd=i18n.significant(1 / usd_per_unit, 5),
            currency=currency,
            rate_year=rate_year,
        )
    )
    wage_text = (
        t(
            "wages.calc.wage",
            country=name(country),
            wage=i18n.money(reference_wage.usd_per_hour, "USD"),
            wage_year=reference_wage.year,
        )
        if reference_wage
        else t("wages.calc.no_wage", country=name(country), year=price_year)
    )
    st.caption(
        plain(
            t(
                "wages.calc.method",
                paid=i18n.money(result.paid_usd_per_hour, "USD"),
                rate=rate,
                wage=wage_text,
            )
        )
    )
    if reference_wage:
        source_caption(
            source_ids=[reference_wage.source_id, "wdi-exchange-rates"], newest_date=str(reference_wage.year)
        )
