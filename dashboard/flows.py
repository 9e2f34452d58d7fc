"""The Flows page's subject: who buys online work from whom, measured (Braesemann et al. 2022).

Every arc, ring, Sankey band and table row comes from `flow_pairs`: the projects of one large
online labour platform in 2014 and 2015, aggregated by the ETL from admin-1 regions to countries.
Nothing here is modelled. The two years' samples differ in size (72,311 and 124,655 projects), so
widths, bands and comparisons across years are on shares of each year's projects, on one scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, citations, data, i18n
from dashboard.caching import per_language, per_server
from dashboard.hover import wrap
from dashboard.i18n import t
from dashboard.names import name

SOURCE_IDS = ("braesemann-2022-network-2014", "braesemann-2022-network-2015")
YEARS = (2014, 2015)
CLASSIFICATIONS = ("wb", "un")
GROUPINGS = ("north_south", "regions")
SIDES = ("North", "South", "unclassified")
# Employer side colours: the Map's North (blue) and South (orange); grey where the country is in
# neither list (Venezuela has no World Bank group in FY2025, Taiwan no UN status).
SIDE_RGB = {"North": (0, 114, 178), "South": (230, 159, 0), "unclassified": (120, 120, 120)}
MAX_WIDTH_PX = 18

# UN M49 sub-regions grouped so that the seeds' buyers (Northern America, Europe, Oceania) and
# workers (Southern and South-eastern Asia) each have a node of their own.
REGION_GROUPS = {
    "Northern America": "northern_america",
    "Latin America and the Caribbean": "latin_america",
    "Northern Europe": "europe",
    "Western Europe": "europe",
    "Southern Europe": "europe",
    "Eastern Europe": "eastern_europe",
    "Southern Asia": "southern_asia",
    "South-eastern Asia": "south_eastern_asia",
    "Eastern Asia": "eastern_asia",
    "Western Asia": "western_central_asia",
    "Central Asia": "western_central_asia",
    "Northern Africa": "africa",
    "Sub-Saharan Africa": "africa",
    "Australia and New Zealand": "oceania",
    "Melanesia": "oceania",
    "Micronesia": "oceania",
    "Polynesia": "oceania",
}
REGIONS = (
    "northern_america",
    "europe",
    "oceania",
    "eastern_europe",
    "eastern_asia",
    "western_central_asia",
    "latin_america",
    "africa",
    "south_eastern_asia",
    "southern_asia",
    "unclassified",
)


def pairs() -> pd.DataFrame:
    """The measured country pairs, both years (shared, read-only)."""
    return data.table("flow_pairs")


@per_server
def side_of(classification: str) -> dict[str, str]:
    """ISO3 → North, South or unclassified under the Map's definition `classification`."""
    column = "north_south_wb" if classification == "wb" else "north_south_un"
    countries = data.table("countries")
    return {r.iso3: (getattr(r, column) or "unclassified") for r in countries.itertuples()}


@per_server
def region_of() -> dict[str, str]:
    countries = data.table("countries")
    return {r.iso3: REGION_GROUPS.get(r.un_subregion, "unclassified") for r in countries.itertuples()}


@per_language
def countries_in_flows() -> list[str]:
    """Every country that appears at either end of a measured pair, by its name in this language."""
    both = pairs()
    codes = set(both["employer_iso3"]) | set(both["worker_iso3"])
    return sorted(codes, key=name)


@dataclass(frozen=True)
class Arcs:
    """What the arcs map draws and says, for one choice of year, count, definition and country."""

    drawn: pd.DataFrame  # the pairs drawn as arcs (not domestic), largest last (on top)
    rings: pd.DataFrame  # the domestic flows drawn as rings
    table: pd.DataFrame  # the top pairs of the table, domestic ones included and marked
    rest_pairs: int  # pairs left out of the arcs (smaller, or without coordinates)
    rest_share: float  # their share of the year's projects, percent
    domestic_share: float  # all domestic pairs' share, percent
    total_projects: int  # the year's projects in the file (denominator of every share)
    source_id: str


def arcs(year: int, top: int, classification: str, focus: str = "") -> Arcs:
    return _arcs(year, top, classification, focus, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=256)
def _arcs(year: int, top: int, classification: str, focus: str, lang: str) -> Arcs:
    """The `top` largest cross-border pairs of `year` (of `focus`'s pairs when a country is chosen)."""
    countries = data.table("countries").set_index("iso3")
    cite = citations.by_id()
    side = side_of(classification)
    rows = pairs()[pairs()["year"] == year]
    source_id = str(rows["source_id"].iloc[0])
    # The denominator of every share: the year's projects in the file (excluded names included),
    # as the ETL computed share_of_year_percent = projects ÷ that total × 100.
    first = rows.iloc[0]
    total = round(float(first["projects"]) * 100 / float(first["share_of_year_percent"]))
    if focus:
        rows = rows[(rows["employer_iso3"] == focus) | (rows["worker_iso3"] == focus)]
    located = (
        rows["employer_iso3"].map(countries["lon"]).notna()
        & rows["worker_iso3"].map(countries["lon"]).notna()
    )
    abroad = rows[(rows["domestic"] == "no") & located].nlargest(top, ["projects"], keep="first")
    domestic = rows[(rows["domestic"] == "yes") & located].nlargest(top, ["projects"], keep="first")
    every_share = pairs().loc[pairs()["domestic"] == "no", "share_of_year_percent"].max()

    def hover(r: object) -> str:
        get = r._asdict()  # type: ignore[attr-defined]
        where = (
            t("flows.domestic_hover", country=name(get["employer_iso3"]))
            if get["domestic"] == "yes"
            else f"{name(get['employer_iso3'])} → {name(get['worker_iso3'])}"
        )
        return (
            f"{where}\n{t('flows.projects_share', projects=i18n.number(get['projects']), share=i18n.percent(get['share_of_year_percent'], 2), year=year)}"
            f"\n{t('flows.employer_side')}: {t('map.ns.' + side.get(get['employer_iso3'], 'unclassified'))}"
            f"\n{cite[source_id]}"
        )

    def located_rows(frame: pd.DataFrame) -> pd.DataFrame:
        colour = [[*SIDE_RGB[side.get(e, "unclassified")], 210] for e in frame["employer_iso3"]]
        return frame.assign(
            from_lon=frame["employer_iso3"].map(countries["lon"]),
            from_lat=frame["employer_iso3"].map(countries["lat"]),
            to_lon=frame["worker_iso3"].map(countries["lon"]),
            to_lat=frame["worker_iso3"].map(countries["lat"]),
            # One scale for both years (shares, since the samples differ): the widest arc is the
            # largest cross-border share of either year.
            width=1 + (MAX_WIDTH_PX - 1) * frame["share_of_year_percent"] / every_share,
            colour=colour,
            hover=[hover(r) for r in frame.itertuples()],
        )

    drawn = located_rows(abroad.sort_values("projects"))
    rings = located_rows(domestic).assign(
        radius_km=lambda f: 60 + 900 * (f["share_of_year_percent"] / every_share) ** 0.5
    )
    shown_share = drawn["share_of_year_percent"].sum()
    cross = rows[rows["domestic"] == "no"]
    table = rows.nlargest(top, "projects", keep="first").copy()
    table = table.assign(
        employer=table["employer_iso3"].map(name),
        worker=table["worker_iso3"].map(name),
        employer_side=table["employer_iso3"].map(lambda c: t("map.ns." + side.get(c, "unclassified"))),
        worker_side=table["worker_iso3"].map(lambda c: t("map.ns." + side.get(c, "unclassified"))),
    )
    return Arcs(
        drawn=drawn.reset_index(drop=True),
        rings=rings.reset_index(drop=True),
        table=table[
            [
                "year",
                "employer",
                "worker",
                "projects",
                "share_of_year_percent",
                "domestic",
                "employer_side",
                "worker_side",
                "employer_iso3",
                "worker_iso3",
                "source_id",
            ]
        ].reset_index(drop=True),
        rest_pairs=len(cross) - len(drawn),
        rest_share=float(cross["share_of_year_percent"].sum() - shown_share),
        domestic_share=float(rows.loc[rows["domestic"] == "yes", "share_of_year_percent"].sum()),
        total_projects=total,
        source_id=source_id,
    )


def arcs_deck(year: int, top: int, classification: str, focus: str = "") -> object:
    """The arcs map of arcs(), built once per choice and language and shared (read-only)."""
    return _arcs_deck(year, top, classification, focus, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=256)
def _arcs_deck(year: int, top: int, classification: str, focus: str, lang: str) -> object:
    chosen = _arcs(year, top, classification, focus, lang)
    return charts.arcs_deck(charts.WORLD_URL, chosen.drawn, chosen.rings)


def arcs_figure(year: int, top: int, classification: str, focus: str = "") -> go.Figure:
    """The arcs of arcs() drawn with plotly instead of deck.gl (for the classroom pack, which
    carries one chart library): built once per choice and language and shared (read-only)."""
    return _arcs_figure(year, top, classification, focus, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=16)
def _arcs_figure(year: int, top: int, classification: str, focus: str, lang: str) -> go.Figure:
    chosen = _arcs(year, top, classification, focus, lang)
    features: list[dict[str, object]] = data.world_geojson()["features"]  # type: ignore[assignment]
    drawn_colours = {tuple(c[:3]) for c in chosen.drawn["colour"]}
    legend = [
        (t("flows.side_legend", side=t("map.ns." + side)), SIDE_RGB[side])
        for side in SIDES
        if SIDE_RGB[side] in drawn_colours
    ]
    return charts.arcs_map(
        charts.WORLD_URL,
        [str(f["id"]) for f in features],
        chosen.drawn,
        chosen.rings,
        legend,
        t("flows.rings"),
    )


def summary(chosen: Arcs, year: int, top: int) -> str:
    """One sentence on what is drawn and what is not, with the numbers of this choice."""
    return t(
        "flows.summary",
        shown=i18n.number(len(chosen.drawn)),
        top=i18n.number(top),
        year=year,
        shown_share=i18n.percent(100 - chosen.rest_share - chosen.domestic_share, 1),
        rest=i18n.number(chosen.rest_pairs),
        rest_share=i18n.percent(chosen.rest_share, 1),
        domestic_share=i18n.percent(chosen.domestic_share, 1),
        total=i18n.number(chosen.total_projects),
    )


def share_between(year: int, employer: str, worker: str) -> float:
    """The share (percent) of `year`'s projects that went from `employer`'s to `worker`'s workers."""
    rows = pairs()
    hit = rows[(rows["year"] == year) & (rows["employer_iso3"] == employer) & (rows["worker_iso3"] == worker)]
    return float(hit["share_of_year_percent"].sum())


def top_lines(chosen: Arcs, count: int) -> str:
    """The `count` largest pairs as a numbered Markdown list ("1. United States → India: 14.3 %")."""
    lines = []
    for rank, r in enumerate(chosen.table.head(count).itertuples(), start=1):
        pair = (
            t("flows.domestic_hover", country=r.employer)
            if r.domestic == "yes"
            else f"{r.employer} → {r.worker}"
        )
        lines.append(
            f"{rank}. {pair}: {i18n.percent(r.share_of_year_percent, 1)} ({i18n.number(r.projects)} {t('flows.projects')})"
        )
    return "  \n".join(lines)  # one line each (a Markdown line break)


@per_server
def share_between_sides(year: int, classification: str, employer_side: str, worker_side: str) -> float:
    """The share (percent) of `year`'s projects from employers of one side to workers of another."""
    shares = side_shares(year, classification)
    hit = shares[(shares["employer_side"] == employer_side) & (shares["worker_side"] == worker_side)]
    return float(hit["share_percent"].sum())


@per_server
def side_shares(year: int, classification: str) -> pd.DataFrame:
    """The year's projects by employer side × worker side (percent): North→South and the rest."""
    side = side_of(classification)
    rows = pairs()[pairs()["year"] == year]
    grouped = rows.assign(
        employer_side=rows["employer_iso3"].map(lambda c: side.get(c, "unclassified")),
        worker_side=rows["worker_iso3"].map(lambda c: side.get(c, "unclassified")),
    )
    return grouped.groupby(["employer_side", "worker_side"], as_index=False).agg(
        projects=("projects", "sum"), share_percent=("share_of_year_percent", "sum")
    )


def sankey(year: int, classification: str, grouping: str) -> tuple[go.Figure, pd.DataFrame]:
    """Employer group → worker group for `year`, in shares of its projects (measured)."""
    return _sankey(year, classification, grouping, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=64)
def _sankey(year: int, classification: str, grouping: str, lang: str) -> tuple[go.Figure, pd.DataFrame]:
    side = side_of(classification)
    groups = side if grouping == "north_south" else region_of()
    order = list(SIDES) if grouping == "north_south" else list(REGIONS)
    rows = pairs()[pairs()["year"] == year]
    source_id = str(rows["source_id"].iloc[0])
    cite = citations.by_id()[source_id]
    links = (
        rows.assign(
            employer_group=rows["employer_iso3"].map(lambda c: groups.get(c, "unclassified")),
            worker_group=rows["worker_iso3"].map(lambda c: groups.get(c, "unclassified")),
        )
        .groupby(["employer_group", "worker_group"], as_index=False)
        .agg(projects=("projects", "sum"), share_percent=("share_of_year_percent", "sum"))
    )
    used_left = [g for g in order if g in set(links["employer_group"])]
    used_right = [g for g in order if g in set(links["worker_group"])]

    def label(group: str) -> str:
        return t(f"map.ns.{group}") if grouping == "north_south" else t(f"region.{group}")

    left_totals = links.groupby("employer_group")["share_percent"].sum()
    right_totals = links.groupby("worker_group")["share_percent"].sum()
    nodes = [f"{label(g)} ({i18n.percent(left_totals[g], 0)})" for g in used_left] + [
        f"{label(g)} ({i18n.percent(right_totals[g], 0)}) " for g in used_right
    ]
    palette = (
        {g: "#{:02X}{:02X}{:02X}".format(*SIDE_RGB[g]) for g in SIDES}
        if grouping == "north_south"
        else dict(zip(REGIONS, [*charts.OKABE_ITO, "#7F7F7F", "#B15928", "#BBBBBB"], strict=True))
    )
    colours = [palette[g] for g in used_left] + [palette[g] for g in used_right]
    index_left = {g: i for i, g in enumerate(used_left)}
    index_right = {g: len(used_left) + i for i, g in enumerate(used_right)}
    links = links.assign(
        source=links["employer_group"].map(index_left),
        target=links["worker_group"].map(index_right),
        value=links["share_percent"],
        employer=links["employer_group"].map(label),
        worker=links["worker_group"].map(label),
        source_id=source_id,
    )
    links["hover"] = [
        f"{wrap(r.employer)} → {wrap(r.worker)}<br>"
        + t(
            "flows.projects_share",
            projects=i18n.number(r.projects),
            share=i18n.percent(r.share_percent, 1),
            year=year,
        )
        + f"<br><i>{wrap(cite)}</i>"
        for r in links.itertuples()
    ]
    figure = charts.sankey(nodes, links, colours, [0] * len(used_left) + [2] * len(used_right))
    table = links.assign(year=year)[["year", "employer", "worker", "projects", "share_percent", "source_id"]]
    return figure, table.sort_values("share_percent", ascending=False).reset_index(drop=True)


def partners(iso3: str, role: str, year: int, count: int = 5) -> pd.DataFrame:
    """`iso3`'s largest partners in `year`: its worker countries when `role` is "employer", its
    employer countries when "worker"; with each pair's projects and share of the country's own."""
    rows = pairs()[pairs()["year"] == year]
    mine, other = ("employer_iso3", "worker_iso3") if role == "employer" else ("worker_iso3", "employer_iso3")
    own = rows[rows[mine] == iso3]
    if own.empty:
        return own.assign(partner="", share_of_country_percent=0.0)
    top = own.nlargest(count, "projects", keep="first")
    return top.assign(
        partner=top[other].map(name),
        share_of_country_percent=100 * top["projects"] / own["projects"].sum(),
    )
