"""The Wages page's subject: the price ladder, hourly earnings against minimum wages, the
calculator's inputs (exchange rate, minimum wage, unpaid time)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, citations, colours, data, i18n
from dashboard.caching import per_language, per_server
from dashboard.figures import figure_hover
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


@per_server
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


@per_server
def rate_years() -> list[int]:
    """The years the calculator can convert a price at: those of the WDI rates, from 2008."""
    rates = data.table("exchange_rates")
    return sorted(int(y) for y in rates["year"].unique() if y >= 2008)


@per_server
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


@per_server
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
# The columns of the price ladder's and the hourly chart's exports (table view and CSV): the value
# as typed, our conversion and the sentence, not the chart's display columns.
LADDER_EXPORT = (
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
)
HOURLY_EXPORT = ("what", "group", "shown", "year", "source_id")


def price_ladder(only: tuple[str, ...] = ()) -> tuple[pd.DataFrame, go.Figure]:
    """Cached per language (and choice of figures: `only`, empty = every price); the figure is
    shared: copy it (go.Figure(fig)) before changing it."""
    return _price_ladder(only, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=16)
def _price_ladder(only: tuple[str, ...], lang: str) -> tuple[pd.DataFrame, go.Figure]:
    """Every per-unit price we hold (or the `only` ones), in nominal US dollars, smallest at the bottom."""
    figures = data.figures()
    prices = figures[
        figures["per"].isin(UNIT_PRICES) & figures["value_usd_nominal"].notna()
        | figures["per"].isin(UNIT_PRICES) & figures["low_usd_nominal"].notna()
    ].copy()
    if only:
        prices = prices[prices["figure_id"].isin(only)]
    # Labels above their rows, wrapped (plotly breaks only at <br>) to two lines at most at 1280 pixels.
    prices["per_label"] = prices["per"].map(lambda p: t(f"per.{p}"))
    # What a price is for ("per tweet") is written in its label: a colour for each unit would have
    # taken the colours that mean North, South, a gain… elsewhere in the atlas.
    prices["what"] = [
        wrap(f"{(r.label_fr if i18n.lang() == 'fr' else r.label_en)}, {r.per_label} ({r.citation})", 80)
        for r in prices.itertuples()
    ]
    prices["shown"] = prices["value_usd_nominal"].fillna(prices["low_usd_nominal"])
    prices["qualifier_label"] = prices["qualifier"].map(lambda q: t(f"qualifier.{q}"))
    prices["hover"] = [figure_hover(r) for r in prices.itertuples()]  # it says what is ours
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
        # Room for a two-line label above each dot, clear of the next row's dot at 1280 px.
        height=max(480, 72 * len(prices) + 200),
        category_order=list(prices["what"]),
        tick_text=i18n.money_tick,
        labels="above",
        colours={p: colours.NEUTRAL for p in prices["per_label"]},
        colour_legend=False,
    )
    return prices, ladder


@per_server
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
        f"<br><i>{citations.by_id()[r.source_id]}</i>"
        for r in minimum.itertuples()
    ]
    missing = [c for c in COUNTRIES if c not in set(minimum.loc[minimum["shown"].notna(), "iso3"])]
    earnings = figures[figures["usd_per_hour"].notna() | figures["usd_per_hour_low"].notna()].copy()
    earnings["what"] = [
        wrap(f"{(r.label_fr if i18n.lang() == 'fr' else r.label_en)} ({r.citation})", 80)
        for r in earnings.itertuples()
    ]
    earnings["group"] = t("wages.group_earnings")
    earnings["shown"] = earnings["usd_per_hour"].fillna(earnings["usd_per_hour_low"])
    earnings["hover"] = [figure_hover(r) for r in earnings.itertuples()]  # it says what is ours
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
        height=max(520, 64 * len(both) + 180),  # room for a two-line label above each dot
        category_order=list(both["what"]),
        tick_text=i18n.money_tick,
        labels="above",
        colours={t("wages.group_minimum"): colours.MINIMUM_WAGE, t("wages.group_earnings"): colours.MEASURED},
    )
    return both, missing, hourly


def pay_against_minimum(basis: str) -> tuple[pd.DataFrame, go.Figure]:
    """The per-country test of the seeds' claim: measured median hourly pay of a country's online
    workers (Braesemann et al. 2022) beside its statutory minimum wage, year by year."""
    return _pay_against_minimum(basis, i18n.lang())


def _to_ppp(frame: pd.DataFrame) -> pd.Series:
    """US dollars → international dollars (ours): × LCU per USD (WDI) ÷ LCU per international dollar
    (WDI private-consumption PPP) of the same country and year; empty where either is missing."""
    rates = data.table("exchange_rates").set_index(["iso3", "year"])["lcu_per_usd"]
    ppp = data.table("ppp_factors")
    ppp = ppp[ppp["indicator"] == "private_consumption"].set_index(["iso3", "year"])["lcu_per_intl_dollar"]
    keys = list(zip(frame["iso3"], frame["year"], strict=True))
    fx = pd.Series([rates.get(k) for k in keys], index=frame.index, dtype="float64")
    factor = pd.Series([ppp.get(k) for k in keys], index=frame.index, dtype="float64")
    return frame["median_usd_per_hour"] * fx / factor


@st.cache_resource(show_spinner=False, max_entries=8)
def _pay_against_minimum(basis: str, lang: str) -> tuple[pd.DataFrame, go.Figure]:
    from dashboard.maps import MIN_PAY_PROJECTS

    cite = citations.by_id()
    supply = data.table("worker_supply_years")
    online = supply[
        supply["iso3"].isin(COUNTRIES)
        & supply["median_usd_per_hour"].notna()
        & (supply["projects"] >= MIN_PAY_PROJECTS)
    ].copy()
    online["value"] = online["median_usd_per_hour"] if basis == "nominal" else _to_ppp(online)
    online = online[online["value"].notna()]
    online["series"] = t("wages.series.online")
    online["segment"] = 0
    online["kind"] = "measured" if basis == "nominal" else "converted"
    online["hover"] = [
        f"<b>{wrap(name(r.iso3))}</b>, {r.year}<br>{t('wages.series.online')}: "
        f"{i18n.money(r.value, 'USD')} {t(f'wages.unit.{basis}')}"
        + (
            f" ({t('wages.ppp_ours', usd=i18n.money(r.median_usd_per_hour, 'USD'))})"
            if basis == "ppp"
            else ""
        )
        + f"<br>{i18n.number(r.projects)} {t('map.projects')}<br><i>{wrap(cite[r.source_id])}</i>"
        for r in online.itertuples()
    ]
    wages = data.table("minimum_wages")
    column = "usd_per_hour_nominal_model" if basis == "nominal" else "intl_dollars_per_hour_ppp_model"
    minimum = wages[wages["iso3"].isin(COUNTRIES) & wages[column].notna()].copy()
    minimum["value"] = minimum[column]
    minimum["series"] = t("wages.series.minimum")
    # A new statutory series (a new sector's or region's wage) starts a new segment: a gap on the
    # chart, not a jump (the ETL numbers the segments from the documented breaks).
    minimum["segment"] = minimum["series_segment"]
    minimum["kind"] = "model"
    minimum["hover"] = [
        f"<b>{wrap(name(r.iso3))}</b>, {r.year}<br>{t('wages.series.minimum')}: {i18n.money(r.value, 'USD')} "
        f"{t(f'wages.unit.{basis}')} ({t('wages.per_hour_model')})<br>"
        f"{i18n.money(r.lcu_per_month, r.currency, 0)} {t('panel.per_month')}<br><i>{wrap(cite[r.source_id])}</i>"
        for r in minimum.itertuples()
    ]
    both = pd.concat([online, minimum], ignore_index=True)
    both["country"] = both["iso3"].map(name)
    order = {c: i for i, c in enumerate(COUNTRIES)}
    both = both.sort_values(["iso3", "series", "year"], key=lambda c: c.map(order) if c.name == "iso3" else c)
    figure = charts.small_multiples(
        both,
        "year",
        "value",
        "country",
        "hover",
        t(f"wages.unit_axis.{basis}"),
        columns=4,
        series="series",
        segment="segment",
        log_y=True,
        tick_text=i18n.money_tick,
        colours={t("wages.series.online"): colours.MEASURED, t("wages.series.minimum"): colours.MINIMUM_WAGE},
    )
    columns = [
        "country",
        "iso3",
        "year",
        "series",
        "kind",
        "value",
        "projects",
        "lcu_per_month",
        "currency",
        "source_id",
    ]
    return both[columns].reset_index(drop=True), figure


@per_server
def pay_ratios(year: int, basis: str) -> pd.DataFrame:
    """For `year`: each country's measured median online pay ÷ its hourly minimum wage (ours)."""
    rows, _figure = pay_against_minimum(basis)
    of_year = rows[rows["year"] == year]
    online = of_year[of_year["kind"] != "model"].set_index("iso3")["value"]
    minimum = of_year[of_year["kind"] == "model"].set_index("iso3")["value"]
    common = online.index.intersection(minimum.index)
    return pd.DataFrame(
        {"iso3": common, "online": online[common].to_numpy(), "minimum": minimum[common].to_numpy()}
    ).assign(ratio=lambda f: f["online"] / f["minimum"])


def occupation_pay(year: int) -> tuple[pd.DataFrame, go.Figure]:
    """Median hourly pay by occupation in `year` (occupations with 100 projects or more)."""
    return _occupation_pay(year, i18n.lang())


MIN_OCCUPATION_PROJECTS = 100
# Our French names of the source's (English, US SOC) occupations and occupation groups: a checked
# table, one row per occupation of the data (tests/test_pages.py), the source's name beside ours.
OCCUPATION_NAMES_FR = data.DATASETS / "crosswalks" / "occupation_names_fr.csv"
OCCUPATION_GROUPS_FR = data.DATASETS / "crosswalks" / "occupation_groups_fr.csv"


@per_server
def occupation_names_fr() -> dict[str, str]:
    """SOC code → our French name of the occupation (read once per process)."""
    table = pd.read_csv(OCCUPATION_NAMES_FR, dtype=str, keep_default_na=False)
    return dict(zip(table["soc4"], table["name_fr"], strict=True))


@per_server
def occupation_groups_fr() -> dict[str, str]:
    """The source's short group name → our French name of the group (read once per process)."""
    table = pd.read_csv(OCCUPATION_GROUPS_FR, dtype=str, keep_default_na=False)
    return dict(zip(table["soc_major_short"], table["name_fr"], strict=True))


def _occupation_names(rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` with the occupation and its group in the reader's language (`occupation`, `group`),
    the source's name beside it (`occupation_source`) and, in French, a note that the names are
    our translation. A name missing from the table stays the source's, never blank."""
    source_names = rows["occupation"]
    shown_groups = rows["soc_major_short"]
    note = ""
    if i18n.lang() == "fr":
        names, groups = occupation_names_fr(), occupation_groups_fr()
        rows = rows.assign(
            occupation=[names.get(c, n) for c, n in zip(rows["soc4"], source_names, strict=True)]
        )
        shown_groups = shown_groups.map(lambda g: groups.get(g, g))
        note = t("wages.occupation_translation")
    return rows.assign(
        occupation_source=source_names,
        group=shown_groups.where(rows["soc_major_short"] != "", t("wages.occupation_ungrouped")),
        note=note,
    )


@st.cache_resource(show_spinner=False, max_entries=16)
def _occupation_pay(year: int, lang: str) -> tuple[pd.DataFrame, go.Figure]:
    cite = citations.by_id()
    table = data.table("occupation_pay")
    rows = table[(table["year"] == year) & (table["projects"] >= MIN_OCCUPATION_PROJECTS)].copy()
    rows = _occupation_names(rows[rows["median_usd_per_hour"].notna()])
    # Groups one under the other, each under its name, the best-paid group on top and the
    # best-paid occupation on top within it: the group is read in words, not decoded from a
    # colour (nine colours would have taken those that mean North, South, a gain… elsewhere).
    group_pay = rows.groupby("group")["median_usd_per_hour"].median().sort_values()
    rows = rows.assign(group_rank=rows["group"].map({g: i for i, g in enumerate(group_pay.index)}))
    rows = rows.sort_values(["group_rank", "median_usd_per_hour"]).drop(columns="group_rank")
    order: list[str] = []
    for group, part in rows.groupby("group", sort=False):
        order += [*part["soc4"], f"group:{group}"]
    rows["hover"] = [
        f"<b>{wrap(r.occupation)}</b> ({wrap(r.occupation_source) + ', ' if lang == 'fr' else ''}{r.soc4}), {year}<br>{t('wages.median_mean', median=i18n.money(r.median_usd_per_hour, 'USD'), mean=i18n.money(r.mean_usd_per_hour, 'USD'))}"
        f"<br>{i18n.number(r.projects)} {t('map.projects')}, {t('wages.applicants', n=i18n.number(r.median_applicants, 1))}"
        f"<br><i>{wrap(cite[r.source_id])}</i>"
        for r in rows.itertuples()
    ]
    figure = charts.dots(
        rows,
        "median_usd_per_hour",
        "soc4",
        "group",
        "hover",
        t("wages.occupation_axis"),
        "",
        log_x=True,
        height=max(480, 26 * len(order) + 200),
        category_order=order,
        tick_text=i18n.money_tick,
        labels="beside",
        colours={g: colours.MEASURED for g in rows["group"]},
        label_text="occupation",
        colour_legend=False,
    )
    with charts.PLOTLY:
        for group in dict.fromkeys(rows["group"]):
            figure.add_annotation(
                x=0,
                xref="x domain",
                xanchor="left",
                y=f"group:{group}",
                yref="y",
                text=f"<b>{wrap(group)}</b>",
                showarrow=False,
                font=dict(size=15),
            )
        if lang == "fr":  # the names are ours: said on the chart, above its plot
            figure.add_annotation(
                x=0,
                xref="paper",
                xanchor="left",
                y=1,
                yref="paper",
                yanchor="bottom",
                yshift=6,
                text=wrap(t("wages.occupation_translation"), 80),
                showarrow=False,
                align="left",
                font=dict(size=14),
            )
            figure.update_layout(margin=dict(t=80))
    columns = [
        "soc4",
        "occupation",
        "occupation_source",
        "group",
        "soc_major_short",
        "soc_major_group",
        "year",
        "projects",
        "median_usd_per_hour",
        "mean_usd_per_hour",
        "median_applicants",
        "mean_applicants",
        "source_id",
        *(["note"] if lang == "fr" else []),
    ]
    return rows[columns].reset_index(drop=True), figure


@per_language
def ratio_sentence(year: int, basis: str) -> str:
    """How many of the countries have a median online pay above their minimum wage in `year`, and
    by how much, computed from the two tables (the ratio is ours)."""
    ratios = pay_ratios(year, basis).sort_values("ratio")
    if ratios.empty:
        return t("wages.ratio_none", year=year)
    listed = ", ".join(f"{name(r.iso3)} {i18n.number(r.ratio, 1)}×" for r in ratios.itertuples())
    return t(
        "wages.ratio_sentence",
        year=year,
        above=i18n.number(int((ratios["ratio"] > 1).sum())),
        count=i18n.number(len(ratios)),
        listed=listed,
    )


@per_language
def break_notes(year: int) -> list[str]:
    """The series breaks of `year` in the minimum wages shown (a new series starts that year)."""
    wages = data.table("minimum_wages")
    rows = wages[
        (wages["year"] == year) & wages["iso3"].isin(COUNTRIES) & (wages["series_break_note_en"] != "")
    ]
    column = "series_break_note_fr" if i18n.lang() == "fr" else "series_break_note_en"
    return [f"{name(r.iso3)}: {getattr(r, column)}" for r in rows.itertuples()]
