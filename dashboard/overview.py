"""The Overview page's subject: who buys (OLI vacancies by employer country)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, citations, data, i18n
from dashboard.caching import per_language
from dashboard.hover import wrap
from dashboard.i18n import t
from dashboard.names import name


def top_buyers(count: int) -> tuple[pd.DataFrame, go.Figure]:
    """Cached per language; the figure is shared: copy it (go.Figure(fig)) before changing it."""
    return _top_buyers(count, i18n.lang())


@st.cache_resource(show_spinner=False)
def _top_buyers(count: int, lang: str) -> tuple[pd.DataFrame, go.Figure]:
    """The employer countries with the largest shares of OLI vacancies, as bars."""
    demand = data.table("oli_demand")
    by_country = (
        demand.groupby(["iso3", "snapshot_date", "source_id"], as_index=False)
        .agg(vacancies=("vacancies", "sum"), share=("share_of_all_vacancies_percent", "sum"))
        .nlargest(count, "share")
    )
    by_country["country"] = by_country["iso3"].map(name)
    cite = citations.by_id()
    by_country["hover"] = [
        f"<b>{wrap(r.country)}</b><br>{i18n.percent(r.share, 1)} {t('map.of_vacancies')}, {r.snapshot_date}"
        f"<br><i>{cite[r.source_id]}</i>"
        for r in by_country.itertuples()
    ]
    figure = charts.bars(by_country, "share", "country", "hover", t("overview.share_axis"))
    return by_country, figure


@per_language
def snapshot_note() -> str:
    """What the vacancy shares are: one day's snapshot of the platforms the index tracks."""
    from babel.dates import format_date

    days = sorted(pd.to_datetime(data.table("oli_demand")["snapshot_date"].astype(str).unique()))
    return t(
        "overview.snapshot", day=", ".join(format_date(d, format="long", locale=i18n.locale()) for d in days)
    )


def measured_cards() -> list[tuple[str, str, str]]:
    """(label, value, source) of the measurements a class meets first, computed from the tables."""
    return _measured_cards(i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=4)
def _measured_cards(lang: str) -> list[tuple[str, str, str]]:
    from dashboard import flows, maps, projections

    cite = citations.by_id()
    year = flows.YEARS[-1]
    top = flows.pairs()
    first_year = top[top["year"] == flows.YEARS[0]].nlargest(1, "projects").iloc[0]
    supply = data.table("worker_supply_years")
    last = maps.MEASURED_YEARS[-1]
    leader = supply[supply["year"] == last].nlargest(1, "share_of_year_percent").iloc[0]
    first, last_months, _start, _end, rate = projections.growth_of_yearly_means("total")
    # the series the Projections page draws: the authors' own after make update, else the third party's
    oli_source = str(projections.oli_table()["source_id"].iloc[0])
    span = "twelve" if first[:7] != first[8:] else "months"
    return [
        (
            t("overview.card.north_south", year=year),
            i18n.share(flows.share_between_sides(year, "wb", "North", "South"), 1),
            cite[flows.SOURCE_IDS[-1]],
        ),
        (
            t(
                "overview.card.top_pair",
                year=flows.YEARS[0],
                employer=name(str(first_year["employer_iso3"])),
                worker=name(str(first_year["worker_iso3"])),
            ),
            i18n.share(float(first_year["share_of_year_percent"]), 1),
            cite[str(first_year["source_id"])],
        ),
        (
            t("overview.card.leader", year=last, country=name(str(leader["iso3"]))),
            i18n.share(float(leader["share_of_year_percent"]), 1),
            cite[str(leader["source_id"])],
        ),
        (
            t(f"overview.card.oli_growth_{span}", first=first[:4], last=last_months[-7:-3]),
            i18n.percent(rate, 1),
            cite[oli_source],
        ),
    ]


EMPLOYER_TOP = 6  # employer countries drawn month by month: the largest mean shares (ours)


def employer_months() -> tuple[pd.DataFrame, go.Figure] | None:
    """The OLI's own employer file month by month (make update); None when it is not here."""
    return _employer_months(i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=4)
def _employer_months(lang: str) -> tuple[pd.DataFrame, go.Figure] | None:
    table = data.table("oli_employer_shares_monthly")
    if table.empty:
        return None
    cite = citations.by_id()
    order = charts.largest_over_months(table, EMPLOYER_TOP)
    rows = table[table["iso3"].isin(order)].reset_index(drop=True)
    rows["country"] = rows["iso3"].map(name)
    rows["date"] = rows["month"] + "-01"
    rows["hover"] = [
        f"<b>{wrap(r.country)}</b>, {i18n.month(r.month)}<br>"
        f"{i18n.percent(r.share_percent, 1)} {t('map.of_vacancies')}<br><i>{cite[r.source_id]}</i>"
        for r in rows.itertuples()
    ]
    figure = charts.monthly_shares(
        rows.rename(columns={"share_percent": "share"}), [name(c) for c in order], t("overview.share_axis")
    )
    return rows[["month", "iso3", "country", "share_percent", "source_id"]], figure
