"""Wages: what a click, a like or a task pays, next to what an hour at the minimum wage pays."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import calculator, charts, data, i18n, url_state, views
from dashboard.components import chart, plain, source_caption, table_and_csv
from dashboard.i18n import t

COUNTRIES = ("USA", "FRA", "GBR", "CAN", "AUS", "PHL", "IND", "PAK", "BGD", "NPL", "UKR", "RUS")
CURRENCIES = ("USD", "EUR", "GBP", "INR", "PHP", "CNY")
BASES = ("nominal", "ppp")

figures = data.figures()
wages = data.table("minimum_wages")
years = sorted(wages["year"].unique())
url_state.choice("basis", BASES, "nominal")
url_state.choice("year", years, 2017 if 2017 in years else years[-1], parse=int)
url_state.number("price", 0.04, 0.0, 1000.0)
url_state.choice("currency", CURRENCIES, "USD")
url_state.number("seconds", 30.0, 1.0, 36000.0)
url_state.choice("wage_country", COUNTRIES, "USA")


@st.cache_resource(show_spinner=False, max_entries=64)
def hourly_chart(basis: str, year: int, lang: str) -> tuple[pd.DataFrame, list[str], go.Figure]:
    """Minimum wages of `year` beside the cited hourly earnings, built once per choice and language."""
    column = "usd_per_hour_nominal_model" if basis == "nominal" else "intl_dollars_per_hour_ppp_model"
    minimum = wages[(wages["year"] == year) & wages["iso3"].isin(COUNTRIES)].copy()
    minimum["what"] = minimum["iso3"].map(views.name) + "<br>" + t("wages.minimum")
    minimum["group"] = t("wages.group_minimum")
    minimum["shown"] = minimum[column]
    minimum["hover"] = [
        f"<b>{views.name(r.iso3)}</b>, {r.year}<br>{t('wages.minimum')}: {i18n.money(r.lcu_per_month, r.currency, 0)} "
        f"{t('panel.per_month')}<br>≈ {i18n.money(getattr(r, column), 'USD')} {t('wages.per_hour_model')}"
        f"<br><i>{data.citations()[r.source_id]}</i>"
        for r in minimum.itertuples()
    ]
    missing = [c for c in COUNTRIES if c not in set(minimum.loc[minimum["shown"].notna(), "iso3"])]
    earnings = figures[figures["usd_per_hour"].notna() | figures["usd_per_hour_low"].notna()].copy()
    earnings["what"] = [
        views.wrap(f"{(r.label_fr if i18n.lang() == 'fr' else r.label_en)} ({r.citation})", 56)
        for r in earnings.itertuples()
    ]
    earnings["group"] = t("wages.group_earnings")
    earnings["shown"] = earnings["usd_per_hour"].fillna(earnings["usd_per_hour_low"])
    earnings["hover"] = [
        views.figure_hover(r)
        + f"<br>= {views.figure_value(r, 'usd_per_hour', 'usd_per_hour_low', 'usd_per_hour_high')} USD/h, {r.year}"
        for r in earnings.itertuples()
    ]
    both = pd.concat([minimum[minimum["shown"].notna()], earnings], ignore_index=True).sort_values("shown")
    hourly = charts.dots(
        both,
        "shown",
        "what",
        "group",
        "hover",
        t(f"wages.hourly_axis.{basis}"),
        "",
        log_x=True,
        x_low="usd_per_hour_low",
        x_high="usd_per_hour_high",
        height=max(520, 60 * len(both) + 180),  # room for labels of up to three lines
        category_order=list(both["what"]),
        tick_text=i18n.money_tick,
    )
    return both, missing, hourly


st.title(t("wages.title"))
st.write(t("wages.intro"))

st.subheader(t("wages.ladder"))
prices, ladder = views.price_ladder()
chart(ladder, "price-ladder", t("wages.ladder_alt"))
st.caption(plain(t("wages.ladder_note")))
source_caption(prices)
table_and_csv(
    prices,
    "price-ladder",
    "ladder",
    columns=[
        "figure_id",
        "label_en",
        "per",
        "qualifier",
        "value",
        "value_low",
        "value_high",
        "unit",
        "value_usd_nominal",
        "low_usd_nominal",
        "high_usd_nominal",
        "year",
        "conversion",
        "quote",
        "source_id",
        "secondary_of",
    ],
)

st.subheader(t("wages.hourly"))
c1, c2 = st.columns(2)
basis = c1.radio(
    t("wages.basis"),
    BASES,
    key="basis",
    horizontal=True,
    format_func=lambda b: t(f"wages.basis.{b}"),
)
year = c2.selectbox(t("wages.year"), years, key="year")
both, missing, hourly = hourly_chart(basis, year, i18n.lang())
chart(hourly, "hourly-vs-minimum", t("wages.hourly_alt"))
st.caption(plain(t("wages.hourly_note", year=year)))
if missing:
    st.warning(t("wages.missing", countries=", ".join(views.name(c) for c in missing), year=year))
source_caption(both)
table_and_csv(both, "hourly-vs-minimum", "hourly", columns=["what", "group", "shown", "year", "source_id"])

st.subheader(t("wages.calculator"))
unpaid_default = views.unpaid_minutes_default()
url_state.number("unpaid", float(unpaid_default.value) if unpaid_default else 0.0, 0.0, 600.0)
a, b, c = st.columns(3)
price = a.number_input(t("wages.calc.price"), 0.0, 1000.0, step=0.01, format="%.4f", key="price")
currency = b.selectbox(t("wages.calc.currency"), CURRENCIES, key="currency")
seconds = c.number_input(t("wages.calc.seconds"), 1.0, 36000.0, step=5.0, key="seconds")
d, e = st.columns(2)
unpaid = d.number_input(t("wages.calc.unpaid"), 0.0, 600.0, step=1.0, key="unpaid")
country = e.selectbox(t("wages.calc.country"), COUNTRIES, key="wage_country", format_func=views.name)
if unpaid_default is not None:
    st.caption(
        plain(t("wages.calc.unpaid_source", quote=unpaid_default.quote, source=unpaid_default.citation))
    )
rate_year, usd_per_unit = views.usd_per_unit(currency, year)
reference_wage = views.minimum_hourly(country)
if usd_per_unit is None:
    st.error(t("wages.calc.no_rate", currency=currency, year=year))
else:
    result = calculator.effective_pay(
        price * usd_per_unit, seconds, unpaid, reference_wage.usd_per_hour if reference_wage else None
    )
    m1, m2, m3 = st.columns(3)
    m1.metric(t("wages.calc.effective"), i18n.money(result.effective_usd_per_hour, "USD"))
    m2.metric(
        t("wages.calc.share", country=views.name(country)),
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
    st.caption(
        plain(
            t(
                "wages.calc.method",
                paid=i18n.money(result.paid_usd_per_hour, "USD"),
                rate_year=rate_year,
                wage_year=reference_wage.year if reference_wage else "—",
            )
        )
    )
    if reference_wage:
        source_caption(source_ids=[reference_wage.source_id, "wdi-exchange-rates"])
