"""The Workers page's subject: who takes micro-tasks on Mechanical Turk (the MTurk demographics
survey, 2015–2026), and when the world's online workers are at work (oDesk, 2012)."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, citations, colours, data, i18n
from dashboard.caching import per_language, per_server
from dashboard.hover import wrap
from dashboard.i18n import t
from dashboard.names import name

SHARES = ("us", "india", "other")
# The United States are in the North, India in the South, "elsewhere" in neither: the atlas's
# colours for those meanings (dashboard/colours.py).
SHARE_COLOURS = {"us": colours.NORTH, "india": colours.SOUTH, "other": colours.UNCLASSIFIED}
SHARE_DIGITS = 1  # decimals of every share listed on the page
# A month with fewer responses than this is drawn as uncertain (open markers): ours.
THIN_MONTH = 1000
DAY_COUNTRIES = ("PHL", "IND", "BGD", "PAK", "UKR", "USA")
ZONES = ("utc", "local")
NIGHT = (22, 7)  # the viewer's night, shaded: 22:00 to 07:00 (ours)


def survey_months() -> pd.DataFrame:
    return data.table("mturk_monthly")


def _gaps(frame: pd.DataFrame) -> list[str]:
    """Months missing between the first and the last (the survey's pause), YYYY-MM."""
    present = set(frame["month"])
    first, last = frame["month"].min(), frame["month"].max()
    every = pd.period_range(first, last, freq="M").strftime("%Y-%m")
    return [m for m in every if m not in present]


def mix() -> tuple[pd.DataFrame, go.Figure]:
    """US / India / elsewhere shares of respondents by month, with the responses behind each."""
    return _mix(i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=4)
def _mix(lang: str) -> tuple[pd.DataFrame, go.Figure]:
    months = survey_months().sort_values("month")
    cite = citations.by_id()[str(months["source_id"].iloc[0])]
    gaps = _gaps(months)
    long = []
    for key in SHARES:
        share = months[f"share_{key}_percent"]
        # The spread of a share from sampling alone, if respondents were drawn at random (they
        # are not: they choose to answer) — ours, shown so a thin month reads as uncertain.
        half = 196 * (share / 100 * (1 - share / 100) / months["responses"]).pow(0.5)
        long.append(
            months.assign(
                where=t(f"workers.share.{key}"),
                share_percent=share,
                low=share - half,
                high=share + half,
                thin=months["responses"] < THIN_MONTH,
            )
        )
    rows = pd.concat(long, ignore_index=True)
    rows["date"] = rows["month"] + "-01"
    rows["hover"] = [
        f"<b>{wrap(r.where)}</b>, {i18n.month(r.month)}<br>{i18n.share(r.share_percent, 1)} "
        f"{t('workers.of_respondents', n=i18n.number(r.responses))}"
        + (f"<br>{t('workers.thin', minimum=i18n.number(THIN_MONTH))}" if r.thin else "")
        + f"<br><i>{wrap(cite)}</i>"
        for r in rows.itertuples()
    ]
    figure = charts.shares_with_counts(
        rows,
        "date",
        "share_percent",
        "where",
        "hover",
        months.assign(date=months["month"] + "-01"),
        "responses",
        t("workers.share_axis"),
        t("workers.responses_axis"),
        gaps=[f"{g}-01" for g in gaps],
        gap_label=t("workers.pause", months=", ".join(i18n.month(g) for g in gaps)),
        # On two lines: on one, it ran past the chart's right edge at 1280 pixels.
        note=wrap(t("workers.self_selected"), 70),
        colours={t(f"workers.share.{k}"): SHARE_COLOURS[k] for k in SHARES},
    )
    return rows.drop(columns=["hover", "date"]), figure


@per_server
def first_and_last() -> tuple[pd.Series, pd.Series]:
    """The first and the last month of the survey."""
    months = survey_months().sort_values("month")
    return months.iloc[0], months.iloc[-1]


@per_server
def survey_years() -> list[int]:
    return sorted(int(y) for y in data.table("mturk_countries")["year"].unique())


def ranking(year: int, count: int = 15) -> tuple[pd.DataFrame, go.Figure]:
    """The countries of the respondents of `year`, by their share (the survey's self-reported
    country; unknown countries left out of the ranking but not of the shares)."""
    return _ranking(year, count, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=32)
def _ranking(year: int, count: int, lang: str) -> tuple[pd.DataFrame, go.Figure]:
    table = data.table("mturk_countries")
    cite = citations.by_id()
    rows = table[(table["year"] == year) & (table["country_known"] == "yes")].nsmallest(
        count, "rank_in_year", keep="all"
    )
    rows = rows.assign(country=rows["iso3"].map(name))
    rows["label"] = [f"{int(r.rank_in_year)}. {r.country}" for r in rows.itertuples()]
    rows["hover"] = [
        f"<b>{wrap(r.country)}</b>, {year}<br>{t('workers.rank', rank=int(r.rank_in_year))}: "
        f"{i18n.share(r.share_of_year_percent, SHARE_DIGITS)} {t('workers.of_year_responses', n=i18n.number(r.responses))}"
        f"<br>{t('workers.distinct', n=i18n.number(r.workers_in_year))}<br><i>{wrap(cite[r.source_id])}</i>"
        for r in rows.itertuples()
    ]
    # One number of decimals for the whole list, and "under 0.1%" for a country whose few
    # respondents round to nothing (never "0%", which would say it had none).
    rows["value_text"] = [i18n.share(v, SHARE_DIGITS) for v in rows["share_of_year_percent"]]
    figure = charts.bars(
        rows,
        "share_of_year_percent",
        "label",
        "hover",
        t("workers.ranking_axis"),
        colour=colours.NEUTRAL,
        text="value_text",
        room=1.2,
    )
    return rows.drop(columns=["hover", "label", "value_text"]).reset_index(drop=True), figure


def offset_hours(zone: str) -> tuple[float, str]:
    """(hours east of UTC, a label) for `zone`: "utc", or "local" = the viewer's browser zone."""
    if zone == "local":
        try:
            tz = st.context.timezone or ""
        except Exception:  # AppTest has no browser
            tz = ""
        if tz:
            try:
                offset = datetime.now(ZoneInfo(tz)).utcoffset()
            except (KeyError, ValueError):
                offset = None
            if offset is not None:
                hours = offset.total_seconds() / 3600
                return hours, f"{tz} (UTC{hours:+g})"
    return 0.0, "UTC"


def working_day(countries: tuple[str, ...], zone: str) -> tuple[pd.DataFrame, go.Figure, str]:
    """For each chosen country, the share of its sampled oDesk workers active at each hour of the
    day (the mean of the seven weekdays, ours), in UTC or the viewer's time zone."""
    hours, label = offset_hours(zone)
    rows, figure = _working_day(countries, hours, label, i18n.lang())
    return rows, figure, label


@st.cache_resource(show_spinner=False, max_entries=256)
def _working_day(
    countries: tuple[str, ...], hours: float, label: str, lang: str
) -> tuple[pd.DataFrame, go.Figure]:
    activity = data.table("odesk_activity")
    cite = citations.by_id()
    chosen = activity[activity["iso3"].isin(countries)]
    rows = chosen.groupby(["iso3", "utc_hour"], as_index=False).agg(
        share_active_percent=("share_active_percent", "mean"),
        sampled_contractors=("sampled_contractors", "max"),
        source_id=("source_id", "first"),
    )
    rows["hour"] = (rows["utc_hour"] + hours) % 24
    rows["country"] = rows["iso3"].map(name)
    rows = rows.sort_values(["iso3", "hour"])
    rows["hover"] = [
        f"<b>{wrap(r.country)}</b>, {_clock(r.hour)} ({label})<br>"
        f"{t('workers.active', share=i18n.share(r.share_active_percent, 1))}<br>"
        f"{t('workers.sample', n=i18n.number(r.sampled_contractors))}<br><i>{wrap(cite[r.source_id])}</i>"
        for r in rows.itertuples()
    ]
    order = [name(c) for c in countries if c in set(rows["iso3"])]
    figure = charts.day_lines(
        rows,
        "hour",
        "share_active_percent",
        "country",
        "hover",
        order,
        t("workers.active_axis"),
        t("workers.hour_axis", zone=label),
        night=NIGHT if label != "UTC" else None,
        night_label=t("workers.night"),
    )
    return rows.drop(columns="hover").reset_index(drop=True), figure


def _clock(hour: float) -> str:
    whole = math.floor(hour)
    return f"{whole:02d}:{round((hour - whole) * 60):02d}"


@per_server
def peak_hours(countries: tuple[str, ...]) -> dict[str, int]:
    """Each country's UTC hour with the largest mean share of its sampled workers active."""
    activity = data.table("odesk_activity")
    means = (
        activity[activity["iso3"].isin(countries)]
        .groupby(["iso3", "utc_hour"])["share_active_percent"]
        .mean()
    )
    return {str(code): int(group.droplevel(0).idxmax()) for code, group in means.groupby(level=0)}


@per_language
def day_countries() -> list[str]:
    """Every country of the activity table, by name in this language."""
    return sorted(set(data.table("odesk_activity")["iso3"]), key=name)


def mix_sentence(first: pd.Series, last: pd.Series) -> str:
    """The US and India shares of the first and the last month, from the table."""
    return t(
        "workers.mix_sentence",
        first=i18n.month(str(first["month"])),
        last=i18n.month(str(last["month"])),
        us_first=i18n.percent(float(first["share_us_percent"]), 0),
        india_first=i18n.percent(float(first["share_india_percent"]), 0),
        n_first=i18n.number(int(first["responses"])),
        us_last=i18n.percent(float(last["share_us_percent"]), 0),
        india_last=i18n.percent(float(last["share_india_percent"]), 1),
        n_last=i18n.number(int(last["responses"])),
    )


def peak_sentence(countries: tuple[str, ...], zone: str) -> str:
    """Each chosen country's busiest hour, in UTC and in the shown zone."""
    hours, label = offset_hours(zone)
    peaks = peak_hours(countries)
    parts = [
        f"{name(code)} {_clock(hour)} UTC"
        + (f" ({_clock((hour + hours) % 24)} {t('workers.yours')})" if label != "UTC" else "")
        for code, hour in sorted(peaks.items(), key=lambda item: countries.index(item[0]))
    ]
    return t("workers.peaks", peaks="; ".join(parts))


OLI_TOP = 6  # countries drawn month by month: the largest mean shares over the months (ours)


def oli_months() -> tuple[pd.DataFrame, go.Figure] | None:
    """The OLI's own worker supplement month by month (make update), beside Braesemann et al.'s
    yearly shares of projects won for the same countries; None when the supplement is not here."""
    return _oli_months(i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=4)
def _oli_months(lang: str) -> tuple[pd.DataFrame, go.Figure] | None:
    table = data.table("oli_worker_shares_monthly")
    if table.empty:
        return None
    cite = citations.by_id()
    rows = table.groupby(["month", "iso3", "source_id"], as_index=False)["share_percent"].sum()
    order = charts.largest_over_months(rows, OLI_TOP)
    rows = rows[rows["iso3"].isin(order)].reset_index(drop=True)
    rows["country"] = rows["iso3"].map(name)
    rows["date"] = rows["month"] + "-01"
    rows["hover"] = [
        f"<b>{wrap(r.country)}</b>, {i18n.month(r.month)}<br>"
        f"{t('workers.oli_share', share=i18n.percent(r.share_percent, 1))}<br><i>{cite[r.source_id]}</i>"
        for r in rows.itertuples()
    ]
    supply = data.table("worker_supply_years")
    yearly = supply[supply["iso3"].isin(order)].copy()
    yearly["country"] = yearly["iso3"].map(name)
    yearly["date"] = yearly["year"].astype(str) + "-07-01"  # a year's share, drawn at mid-year
    yearly["hover"] = [
        f"<b>{wrap(r.country)}</b>, {r.year}<br>"
        f"{t('workers.braesemann_share', share=i18n.percent(r.share_of_year_percent, 1))}<br><i>{cite[r.source_id]}</i>"
        for r in yearly.itertuples()
    ]
    figure = charts.monthly_shares(
        rows.rename(columns={"share_percent": "share"}),
        [name(c) for c in order],
        t("workers.oli_axis"),
        yearly.rename(columns={"share_of_year_percent": "share"}),
        t("workers.oli_key_monthly"),
        t("workers.oli_key_yearly"),
    )
    shown = rows[["month", "iso3", "country", "share_percent", "source_id"]]
    return shown, figure


def oli_newest() -> str:
    """The newest point of the OLI chart (ISO): the supplement's last month or Braesemann et al.'s
    last year, whichever is later ("2026-08" sorts after "2020", "2020" after "2017-07")."""
    months = data.table("oli_worker_shares_monthly")["month"]
    last_year = str(data.table("worker_supply_years")["year"].max())
    return max(str(months.max()), last_year) if len(months) else last_year
