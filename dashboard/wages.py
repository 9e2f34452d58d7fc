"""The Wages page's subject: the price ladder, hourly earnings against minimum wages, the
calculator's inputs (exchange rate, minimum wage, unpaid time)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, i18n
from dashboard.figures import figure_hover, figure_value
from dashboard.hover import wrap
from dashboard.i18n import t
from dashboard.names import name

COUNTRIES = ("USA", "FRA", "GBR", "CAN", "AUS", "PHL", "IND", "PAK", "BGD", "NPL", "UKR", "RUS")
CURRENCIES = ("USD", "EUR", "GBP", "INR", "PHP", "CNY")
BASES = ("nominal", "ppp")


@dataclass(frozen=True)
class Cited:
    value: float
    quote: str
    citation: str


def unpaid_minutes_default() -> Cited | None:
    """The ILO 2021 figure for micro-task platforms: unpaid minutes per paid hour."""
    figures = data.figures()
    rows = figures[
        (figures["unit_normalised"] == "minutes_per_hour") & figures["metric"].str.contains("micro")
    ]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return Cited(float(row["value_normalised"]), row["quote"], row["citation"])


def rate_years() -> list[int]:
    """The years the calculator can convert a price at: those of the WDI rates, from 2008."""
    rates = data.table("exchange_rates")
    return sorted(int(y) for y in rates["year"].unique() if y >= 2008)


def usd_per_unit(currency: str, year: int) -> tuple[int, float | None]:
    """(year used, US dollars per unit of `currency`) from the ETL's WDI rates; latest ≤ year."""
    if currency == "USD":
        return year, 1.0
    economy = {"EUR": "EMU", "GBP": "GBR", "INR": "IND", "PHP": "PHL", "CNY": "CHN"}[currency]
    rates = data.table("exchange_rates")
    rows = rates[(rates["iso3"] == economy) & (rates["year"] <= year)].sort_values("year")
    if rows.empty:
        return year, None
    last = rows.iloc[-1]
    return int(last["year"]), 1 / float(last["lcu_per_usd"])


@dataclass(frozen=True)
class MinimumWage:
    year: int
    usd_per_hour: float
    source_id: str


def minimum_hourly(iso3: str, year: int | None = None) -> MinimumWage | None:
    """The hourly minimum wage (our model from ILOSTAT monthly) in nominal dollars of `year`, or of
    the latest year before it that has one (the latest of all when `year` is None)."""
    wages = data.table("minimum_wages")
    rows = wages[(wages["iso3"] == iso3) & wages["usd_per_hour_nominal_model"].notna()].sort_values("year")
    if year is not None:
        rows = rows[rows["year"] <= year]
    if rows.empty:
        return None
    last = rows.iloc[-1]
    return MinimumWage(int(last["year"]), float(last["usd_per_hour_nominal_model"]), str(last["source_id"]))


UNIT_PRICES = ("click", "like", "tweet", "share", "task", "pair", "gig", "follower")


def price_ladder() -> tuple[pd.DataFrame, go.Figure]:
    """Cached per language; the figure is shared: copy it (go.Figure(fig)) before changing it."""
    return _price_ladder(i18n.lang())


@st.cache_resource(show_spinner=False)
def _price_ladder(lang: str) -> tuple[pd.DataFrame, go.Figure]:
    """Every per-unit price we hold, in nominal US dollars, smallest at the bottom."""
    figures = data.figures()
    prices = figures[
        figures["per"].isin(UNIT_PRICES) & figures["value_usd_nominal"].notna()
        | figures["per"].isin(UNIT_PRICES) & figures["low_usd_nominal"].notna()
    ].copy()
    # Labels wrapped on two lines (plotly breaks only at <br>), so a 1280-pixel screen keeps room for dots.
    prices["what"] = [
        wrap(f"{(r.label_fr if i18n.lang() == 'fr' else r.label_en)} ({r.citation})", 56)
        for r in prices.itertuples()
    ]
    prices["shown"] = prices["value_usd_nominal"].fillna(prices["low_usd_nominal"])
    prices["per_label"] = prices["per"].map(lambda p: t(f"per.{p}"))
    prices["qualifier_label"] = prices["qualifier"].map(lambda q: t(f"qualifier.{q}"))
    prices["hover"] = [
        figure_hover(r)
        + f"<br>= {figure_value(r, 'value_usd_nominal', 'low_usd_nominal', 'high_usd_nominal')} USD"
        for r in prices.itertuples()
    ]
    prices = prices.sort_values("shown")
    ladder = charts.dots(
        prices,
        "shown",
        "what",
        "per_label",
        "hover",
        t("wages.usd_log"),
        "",
        log_x=True,
        symbol="qualifier_label",
        x_low="low_usd_nominal",
        x_high="high_usd_nominal",
        height=max(480, 64 * len(prices) + 200),  # room for labels of up to three lines
        category_order=list(prices["what"]),
        tick_text=i18n.money_tick,
    )
    return prices, ladder


def minimum_wage_years() -> list[int]:
    """The years of the minimum-wage table, oldest first."""
    return sorted(int(y) for y in data.table("minimum_wages")["year"].unique())


@st.cache_resource(show_spinner=False, max_entries=64)
def hourly_chart(basis: str, year: int, lang: str) -> tuple[pd.DataFrame, list[str], go.Figure]:
    """Minimum wages of `year` beside the cited hourly earnings, built once per choice and language."""
    column = "usd_per_hour_nominal_model" if basis == "nominal" else "intl_dollars_per_hour_ppp_model"
    wages = data.table("minimum_wages")
    figures = data.figures()
    minimum = wages[(wages["year"] == year) & wages["iso3"].isin(COUNTRIES)].copy()
    minimum["what"] = minimum["iso3"].map(name) + "<br>" + t("wages.minimum")
    minimum["group"] = t("wages.group_minimum")
    minimum["shown"] = minimum[column]
    minimum["hover"] = [
        f"<b>{name(r.iso3)}</b>, {r.year}<br>{t('wages.minimum')}: {i18n.money(r.lcu_per_month, r.currency, 0)} "
        f"{t('panel.per_month')}<br>≈ {i18n.money(getattr(r, column), 'USD')} {t('wages.per_hour_model')}"
        f"<br><i>{data.citations()[r.source_id]}</i>"
        for r in minimum.itertuples()
    ]
    missing = [c for c in COUNTRIES if c not in set(minimum.loc[minimum["shown"].notna(), "iso3"])]
    earnings = figures[figures["usd_per_hour"].notna() | figures["usd_per_hour_low"].notna()].copy()
    earnings["what"] = [
        wrap(f"{(r.label_fr if i18n.lang() == 'fr' else r.label_en)} ({r.citation})", 56)
        for r in earnings.itertuples()
    ]
    earnings["group"] = t("wages.group_earnings")
    earnings["shown"] = earnings["usd_per_hour"].fillna(earnings["usd_per_hour_low"])
    earnings["hover"] = [
        figure_hover(r)
        + f"<br>= {figure_value(r, 'usd_per_hour', 'usd_per_hour_low', 'usd_per_hour_high')} USD/h, {r.year}"
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
