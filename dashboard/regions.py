"""Where inside countries: the regions that buy and do online work (a subject of its own, shown on
the Flows page, in the Map's country panel and in the story).

Two measured tables, never mixed: `region_flows` (the network files, 2014 and 2015: both ends of
each project, admin-1 regions as the source spells them) and `worker_regions_years` (the Global Data
Lab's regions of 107 countries of the Global South, 2013–2020: the workers' side only, with median
pay). Shares are of the country's own projects in the same file and year (ours); samples differ by
year, so years compare as shares.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, citations, data, i18n
from dashboard.caching import per_language, per_server
from dashboard.hover import wrap
from dashboard.i18n import t
from dashboard.names import name

NETWORK_YEARS = (2014, 2015)
TOP = 10
LINES = 5  # regions drawn over the years: more lines than a room can follow would be a tangle
MIN_PAY_PROJECTS = 30  # as the Map: a median from fewer projects stands for little
NOT_STATED = "region not stated"
ROLES = ("worker", "employer")
DEFAULT_COUNTRY = "IND"


def _flows() -> pd.DataFrame:
    return data.table("region_flows")


def _gdl() -> pd.DataFrame:
    return data.table("worker_regions_years")


@per_server
def countries(role: str = "worker") -> frozenset[str]:
    """Countries with at least one region stated at their `role` end in either year."""
    rows = _flows()
    stated = rows[rows[f"{role}_region_stated"] == "yes"]
    return frozenset(stated[f"{role}_iso3"])


@per_language
def country_options() -> list[str]:
    """Every country with regions stated at either end, by name in the reader's language."""
    return sorted(countries("worker") | countries("employer"), key=name)


@per_server
def ranking(iso3: str, year: int, role: str) -> pd.DataFrame:
    """The country's regions at its `role` end in `year` (network file), largest first: projects,
    share of the country's projects at that end (every project, the unplaced ones included, ours)
    and share of the world's (of the year's projects in the file, ours). Rows whose point lies
    outside their named country are left out (the region's name may be wrong); counted by unplaced()."""
    rows = _flows()
    rows = rows[(rows["year"] == year) & (rows[f"{role}_iso3"] == iso3)]
    if rows.empty:
        return pd.DataFrame(
            columns=["region", "projects", "share_of_country_percent", "share_of_year_percent", "source_id"]
        )
    country_total = int(rows["projects"].sum())
    placed = rows[~_flagged_at(rows, role) & (rows[f"{role}_region_stated"] == "yes")]
    by_region = placed.groupby(f"{role}_region", as_index=False).agg(
        projects=("projects", "sum"), share_of_year_percent=("share_of_year_percent", "sum")
    )
    by_region = by_region.rename(columns={f"{role}_region": "region"})
    by_region["share_of_country_percent"] = 100 * by_region["projects"] / country_total
    by_region["source_id"] = str(rows["source_id"].iloc[0])
    ordered = by_region.sort_values(["projects", "region"], ascending=[False, True], kind="stable")
    return ordered[
        ["region", "projects", "share_of_country_percent", "share_of_year_percent", "source_id"]
    ].reset_index(drop=True)


def _flagged_at(rows: pd.DataFrame, role: str) -> pd.Series:
    """Rows whose point at the `role` end (or at both) the ETL flagged: the other end's error says
    nothing about this end's region."""
    return rows["geocode_flag"].str.startswith((role, "both"))


@per_server
def unplaced(iso3: str, year: int, role: str) -> tuple[int, int, int]:
    """(projects with no region stated, projects in flagged rows, the country's projects) at the
    country's `role` end in `year`."""
    rows = _flows()
    rows = rows[(rows["year"] == year) & (rows[f"{role}_iso3"] == iso3)]
    flagged = int(rows.loc[rows["geocode_flag"] != "", "projects"].sum())
    unstated = int(
        rows.loc[(rows["geocode_flag"] == "") & (rows[f"{role}_region_stated"] != "yes"), "projects"].sum()
    )
    return unstated, flagged, int(rows["projects"].sum())


def ranking_chart(
    iso3: str, year: int, role: str, count: int = TOP, brief: bool = False
) -> tuple[pd.DataFrame, go.Figure | None]:
    """The `count` largest regions of ranking() as bars of their share of the country's projects,
    each with its share of the country's and of the world's written above it (brief: the
    country's only, for a projected story step)."""
    return _ranking_chart(iso3, year, role, count, brief, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=128)
def _ranking_chart(
    iso3: str, year: int, role: str, count: int, brief: bool, lang: str
) -> tuple[pd.DataFrame, go.Figure | None]:
    shown = ranking(iso3, year, role).head(count)
    if shown.empty:
        return shown, None
    cite = citations.by_id()
    country = name(iso3)
    shown = shown.assign(
        # The numbers go above the bar with the region's name: written at its end they ran off the
        # chart's edge at 1280 px.
        label=[
            f"{r.region} — "
            + (
                i18n.share(r.share_of_country_percent)
                if brief
                else t(
                    "regions.bar_label",
                    country=i18n.share(r.share_of_country_percent),
                    world=i18n.share(r.share_of_year_percent),
                )
            )
            for r in shown.itertuples()
        ],
        hover=[
            f"<b>{wrap(r.region)}</b> ({wrap(country)}), {year}<br>"
            + t(
                f"regions.hover_{role}",
                projects=i18n.number(r.projects),
                country_share=i18n.share(r.share_of_country_percent),
                world_share=i18n.share(r.share_of_year_percent),
            )
            + f"<br><i>{wrap(cite[r.source_id])}</i>"
            for r in shown.itertuples()
        ],
    )
    figure = charts.bars(
        shown,
        "share_of_country_percent",
        "label",
        "hover",
        t("regions.gdl_axis") if brief else t(f"regions.axis_{role}", country=country, year=year),
        labels="above",
    )
    return shown.drop(columns=["label", "hover"]), figure


@per_language
def ranking_sentence(iso3: str, year: int, role: str, count: int = 3, brief: bool = False) -> str:
    """How much of the country's work its `count` largest regions hold, and what cannot be placed
    (brief: that share only, for a projected story step)."""
    ranked = ranking(iso3, year, role)
    unstated, flagged, total = unplaced(iso3, year, role)
    if ranked.empty or total == 0:
        return t("regions.none", country=name(iso3), year=year)
    top = ranked.head(count)
    listed = ", ".join(f"{r.region} ({i18n.share(r.share_of_country_percent)})" for r in top.itertuples())
    text = t(
        f"regions.sentence_{role}",
        country=name(iso3),
        year=year,
        count=i18n.number(len(top)),
        share=i18n.share(float(top["share_of_country_percent"].sum())),
        listed=listed,
    )
    if (unstated or flagged) and brief:
        return text + " " + t("regions.unplaced_brief", share=i18n.share(100 * (unstated + flagged) / total))
    if unstated or flagged:
        key = (
            "regions.unplaced"
            if unstated and flagged
            else "regions.unstated"
            if unstated
            else "regions.flagged"
        )
        text += " " + t(
            key,
            unstated=i18n.number(unstated),
            flagged=i18n.number(flagged),
            share=i18n.share(100 * (unstated + flagged) / total),
        )
    return text


@per_server
def partners(iso3: str, year: int, region: str, count: int = 3) -> pd.DataFrame:
    """The employer regions that bought most from the workers of one region (network file)."""
    rows = _flows()
    rows = rows[
        (rows["year"] == year)
        & (rows["worker_iso3"] == iso3)
        & (rows["worker_region"] == region)
        & (rows["geocode_flag"] == "")
    ]
    total = int(rows["projects"].sum())
    by = rows.groupby(["employer_iso3", "employer_region"], as_index=False)["projects"].sum()
    by = by.sort_values(["projects", "employer_region"], ascending=[False, True], kind="stable").head(count)
    return by.assign(share_of_region_percent=100 * by["projects"] / total if total else 0.0)


@per_language
def panel_lines(iso3: str, year: int = NETWORK_YEARS[-1]) -> list[str]:
    """The Map's country panel: the country's three largest worker regions, each with its share of
    the country's projects and its largest employer regions (Markdown-safe plain text lines)."""
    lines = []
    for r in ranking(iso3, year, "worker").head(3).itertuples():
        buyers = partners(iso3, year, r.region)
        bought = "; ".join(
            f"{p.employer_region} ({name(p.employer_iso3)}) {i18n.share(p.share_of_region_percent)}"
            if p.employer_region != NOT_STATED
            else f"{t('regions.not_stated')} ({name(p.employer_iso3)}) {i18n.share(p.share_of_region_percent)}"
            for p in buyers.itertuples()
        )
        lines.append(
            t(
                "regions.panel_line",
                region=r.region,
                share=i18n.share(r.share_of_country_percent),
                projects=i18n.number(r.projects),
                buyers=bought or t("common.no_data"),
            )
        )
    return lines


@per_server
def gdl_countries() -> frozenset[str]:
    return frozenset(_gdl()["iso3"])


@per_server
def gdl_latest_year(iso3: str) -> int | None:
    rows = _gdl()
    rows = rows[(rows["iso3"] == iso3) & (rows["projects"] > 0)]
    return int(rows["year"].max()) if len(rows) else None


def gdl_lines(iso3: str) -> tuple[pd.DataFrame, go.Figure | None]:
    """The country's LINES largest GDL regions (by projects in its latest year): each one's share of
    the country's projects, year by year, 2013–2020."""
    return _gdl_lines(iso3, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=64)
def _gdl_lines(iso3: str, lang: str) -> tuple[pd.DataFrame, go.Figure | None]:
    from dashboard.charts.regions import share_lines

    latest = gdl_latest_year(iso3)
    if latest is None:
        return _gdl().iloc[0:0], None
    rows = _gdl()
    rows = rows[rows["iso3"] == iso3]
    leaders = list(rows[rows["year"] == latest].nlargest(LINES, "projects")["gdl_code"])
    shown = rows[rows["gdl_code"].isin(leaders)].copy()
    # Lines in the order of the latest year's ranking (the largest first: its colour is the first).
    shown["order"] = shown["gdl_code"].map({code: i for i, code in enumerate(leaders)})
    shown = shown.sort_values(["order", "year"])
    cite = citations.by_id()
    shown["hover"] = [
        f"<b>{wrap(r.region)}</b>, {r.year}<br>"
        + t(
            "regions.gdl_hover",
            share=i18n.share(r.share_of_country_percent),
            projects=i18n.number(r.projects),
        )
        + f"<br><i>{wrap(cite[r.source_id])}</i>"
        for r in shown.itertuples()
    ]
    figure = share_lines(
        shown,
        "year",
        "share_of_country_percent",
        "region",
        "hover",
        t("regions.gdl_axis", country=name(iso3)),
    )
    return shown.drop(columns=["hover", "order"]).reset_index(drop=True), figure


def gdl_pay(iso3: str) -> tuple[pd.DataFrame, go.Figure | None]:
    """The median hourly pay of the workers of each GDL region with MIN_PAY_PROJECTS projects or
    more in the country's latest year, against the country's own median (country file)."""
    return _gdl_pay(iso3, i18n.lang())


@per_server
def country_median(iso3: str, year: int) -> float | None:
    supply = data.table("worker_supply_years")
    row = supply[(supply["iso3"] == iso3) & (supply["year"] == year)]
    if row.empty or pd.isna(row["median_usd_per_hour"].iloc[0]) or row["projects"].iloc[0] < MIN_PAY_PROJECTS:
        return None
    return float(row["median_usd_per_hour"].iloc[0])


@st.cache_resource(show_spinner=False, max_entries=64)
def _gdl_pay(iso3: str, lang: str) -> tuple[pd.DataFrame, go.Figure | None]:
    from dashboard.charts.regions import pay_against_country

    latest = gdl_latest_year(iso3)
    if latest is None:
        return _gdl().iloc[0:0], None
    rows = _gdl()
    rows = rows[
        (rows["iso3"] == iso3)
        & (rows["year"] == latest)
        & (rows["projects"] >= MIN_PAY_PROJECTS)
        & rows["median_usd_per_hour"].notna()
    ]
    if rows.empty:
        return rows, None
    shown = rows.nlargest(TOP, "projects").sort_values("median_usd_per_hour", ascending=False)
    cite = citations.by_id()
    shown = shown.assign(
        hover=[
            f"<b>{wrap(r.region)}</b>, {latest}<br>"
            + t(
                "regions.pay_hover",
                median=i18n.money(r.median_usd_per_hour),
                projects=i18n.number(r.projects),
            )
            + f"<br><i>{wrap(cite[r.source_id])}</i>"
            for r in shown.itertuples()
        ]
    )
    country = country_median(iso3, latest)
    figure = pay_against_country(
        shown.iloc[::-1],
        "median_usd_per_hour",
        "region",
        "hover",
        country,
        t("regions.country_median", country=name(iso3), pay=i18n.money(country)) if country else "",
        t("regions.pay_axis", year=latest),
        lambda v: i18n.money(v, digits=0),
        lambda v: i18n.money(v),
    )
    return shown.drop(columns="hover").reset_index(drop=True), figure


@per_language
def gdl_sentence(iso3: str) -> str:
    """The largest region's share in the first and the latest year with projects, and its pay
    against the country's (ours: shares and the comparison)."""
    latest = gdl_latest_year(iso3)
    if latest is None:
        return t("regions.gdl_none", country=name(iso3))
    rows = _gdl()
    rows = rows[(rows["iso3"] == iso3) & (rows["projects"] > 0)]
    leader = rows[rows["year"] == latest].nlargest(1, "projects").iloc[0]
    mine = rows[rows["gdl_code"] == leader["gdl_code"]].sort_values("year")
    first = mine.iloc[0]
    text = t(
        "regions.gdl_sentence",
        region=leader["region"],
        country=name(iso3),
        latest=latest,
        share=i18n.share(float(leader["share_of_country_percent"])),
        first=int(first["year"]),
        first_share=i18n.share(float(first["share_of_country_percent"])),
    )
    country = country_median(iso3, latest)
    if country and leader["projects"] >= MIN_PAY_PROJECTS and pd.notna(leader["median_usd_per_hour"]):
        text += " " + t(
            "regions.gdl_pay_sentence",
            region=leader["region"],
            pay=i18n.money(float(leader["median_usd_per_hour"])),
            country=name(iso3),
            country_pay=i18n.money(country),
            year=latest,
        )
    return text
