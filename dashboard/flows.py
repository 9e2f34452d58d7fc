"""The Flows page's subject: who buys online work from whom, measured (Braesemann et al. 2022).

Every arc, ring, Sankey band and table row comes from `flow_pairs`: the projects of one large
online labour platform in 2014 and 2015, aggregated by the ETL from admin-1 regions to countries.
Nothing here is modelled. The two years' samples differ in size (72,311 and 124,655 projects), so
widths, bands and comparisons across years are on shares of each year's projects, on one scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

# Imported here, once, by whichever session imports this module first (the import holds this module's
# lock): st.image (the width legend) imports Pillow lazily, and 48 sessions opening at once on a cold
# server raced on that import ("partially initialized module 'PIL.Image'", tests/test_concurrency.py).
import PIL.Image  # noqa: F401
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, citations, data, i18n, url_state
from dashboard.caching import per_language, per_server
from dashboard.components import per_object
from dashboard.hover import wrap
from dashboard.i18n import t
from dashboard.i18n.typography import for_language
from dashboard.names import name

SOURCE_IDS = ("braesemann-2022-network-2014", "braesemann-2022-network-2015")
YEARS = (2014, 2015)
# How employers' and workers' countries are split North/South: the World Bank's high-income
# economies of FY2025 (as the Map), the World Bank's groups in force in the flows' own year (FY2015
# for 2014, FY2016 for 2015: issue 20, item 20), or the UN's developed economies of 2020.
CLASSIFICATIONS = ("wb", "wb_year", "un")
GROUPINGS = ("north_south", "regions")
SIDES = ("North", "South", "unclassified")
# Employer side colours: the Map's North (blue) and South (orange); grey where the country is in
# neither list (Venezuela has no World Bank group in FY2025, Taiwan no UN status).
SIDE_RGB = {"North": (0, 114, 178), "South": (230, 159, 0), "unclassified": (120, 120, 120)}
MAX_WIDTH_PX = 14

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
def side_of(classification: str, year: int) -> dict[str, str]:
    """ISO3 → North, South or unclassified under the definition `classification` (for "wb_year",
    the World Bank's groups in force in `year`'s second half, published that July)."""
    column = {
        "wb": "north_south_wb",
        "un": "north_south_un",
        "wb_year": f"north_south_wb_fy{year + 1}",
    }[classification]
    countries = data.table("countries")
    return {r.iso3: (getattr(r, column) or "unclassified") for r in countries.itertuples()}


# The source of each North/South split (cited under the charts that use it).
CLASSIFICATION_SOURCES = {
    "wb": "worldbank-income-groups-fy2025",
    "wb_year": "worldbank-income-history",
    "un": "datahub-country-codes-2020",
}


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


LEVELS = ("countries", "regions")
# The flows drawn at first: 40 made a tangle a room could not read (the band from the United States
# to South Asia covered the rest); 25 still hold most of the year's projects, and the slider adds more.
DEFAULT_TOP = 25
# Whose flows, when one place is chosen: the work it buys (out, its employers'), the work it does
# (in, its workers'), or both.
DIRECTIONS = ("both", "out", "in")
# Circles on a square-root scale, locked per level across both years and every selection.
MAX_RADIUS_PX = {"countries": 30.0, "regions": 16.0}
MIN_HIT_PX = 7.0
# At region level the map draws the places at the ends of the flows drawn and the most active others.
REGION_PLACES = 150
NOT_STATED = "region not stated"


def share_between(year: int, employer: str, worker: str) -> float:
    """The share (percent) of `year`'s projects that went from `employer`'s to `worker`'s workers."""
    rows = pairs()
    hit = rows[(rows["year"] == year) & (rows["employer_iso3"] == employer) & (rows["worker_iso3"] == worker)]
    return float(hit["share_of_year_percent"].sum())


@per_server
def year_total(year: int) -> int:
    """The year's projects in the network file (the denominator of every share), as the ETL
    computed share_of_year_percent = projects ÷ that total × 100."""
    rows = pairs()[pairs()["year"] == year]
    first = rows.iloc[0]
    return round(float(first["projects"]) * 100 / float(first["share_of_year_percent"]))


@per_server
def unmapped(year: int) -> int:
    """Projects of the year's pairs with an end the country map has no point for (Gibraltar,
    Réunion… have no shape of their own at 1:50m): counted in every share, not drawn."""
    rows = pairs()[pairs()["year"] == year]
    placed = set(level_pairs("countries")["from_iso3"]) | set(level_pairs("countries")["to_iso3"])
    off = ~rows["employer_iso3"].isin(placed) | ~rows["worker_iso3"].isin(placed)
    return int(rows.loc[off, "projects"].sum())


@per_server
def left_out(year: int) -> int:
    """Projects of the year's file that are in no pair: a country name the crosswalk lists as
    excluded with its reason (the former Netherlands Antilles). They count in the total."""
    rows = pairs()[pairs()["year"] == year]
    return year_total(year) - int(rows["projects"].sum())


@per_server
def level_pairs(level: str) -> pd.DataFrame:
    """The pairs drawn at `level`, both years: from_id → to_id (an ISO3, or "ISO3:region" as the
    source spells the region) with both ends' countries and points, projects and share of the year.

    Regions: rows without a stated region cannot be placed, and rows whose point lies outside the
    country the source names are flagged by the ETL; both stay out of the map (counted: unplaced())."""
    if level == "countries":
        countries = data.table("countries").set_index("iso3")
        rows = pairs()
        frame = pd.DataFrame(
            {
                "year": rows["year"],
                "from_id": rows["employer_iso3"],
                "to_id": rows["worker_iso3"],
                "from_iso3": rows["employer_iso3"],
                "to_iso3": rows["worker_iso3"],
                "from_lon": rows["employer_iso3"].map(countries["lon"]),
                "from_lat": rows["employer_iso3"].map(countries["lat"]),
                "to_lon": rows["worker_iso3"].map(countries["lon"]),
                "to_lat": rows["worker_iso3"].map(countries["lat"]),
                "projects": rows["projects"],
                "share": rows["share_of_year_percent"],
                "source_id": rows["source_id"],
            }
        )
        return frame[frame["from_lon"].notna() & frame["to_lon"].notna()].reset_index(drop=True)
    rows = data.table("region_flows")
    placed = rows[
        (rows["geocode_flag"] == "")
        & (rows["employer_region_stated"] == "yes")
        & (rows["worker_region_stated"] == "yes")
    ]
    return pd.DataFrame(
        {
            "year": placed["year"],
            "from_id": placed["employer_iso3"] + ":" + placed["employer_region"],
            "to_id": placed["worker_iso3"] + ":" + placed["worker_region"],
            "from_iso3": placed["employer_iso3"],
            "to_iso3": placed["worker_iso3"],
            "from_lon": placed["employer_lng"],
            "from_lat": placed["employer_lat"],
            "to_lon": placed["worker_lng"],
            "to_lat": placed["worker_lat"],
            "projects": placed["projects"],
            "share": placed["share_of_year_percent"],
            "source_id": placed["source_id"],
        }
    ).reset_index(drop=True)


@per_server
def unplaced(year: int) -> tuple[int, int, int]:
    """At region level, the year's projects that no map can place: (with no region stated at one
    end or both, in rows whose point lies outside their named country, the number of those rows)."""
    rows = data.table("region_flows")
    rows = rows[rows["year"] == year]
    flagged = rows[rows["geocode_flag"] != ""]
    unstated = rows[
        (rows["geocode_flag"] == "")
        & ((rows["employer_region_stated"] != "yes") | (rows["worker_region_stated"] != "yes"))
    ]
    return int(unstated["projects"].sum()), int(flagged["projects"].sum()), len(flagged)


@per_server
def place_totals(level: str) -> pd.DataFrame:
    """Each place's projects bought (out: its employers') and done (in: its workers'), per year,
    work inside the place included, with the place's point."""
    rows = level_pairs(level)
    out = rows.groupby(["year", "from_id"], as_index=False).agg(
        projects_out=("projects", "sum"),
        lon=("from_lon", "first"),
        lat=("from_lat", "first"),
        iso3=("from_iso3", "first"),
    )
    done = rows.groupby(["year", "to_id"], as_index=False).agg(
        projects_in=("projects", "sum"),
        lon=("to_lon", "first"),
        lat=("to_lat", "first"),
        iso3=("to_iso3", "first"),
    )
    both = out.rename(columns={"from_id": "id"}).merge(
        done.rename(columns={"to_id": "id"}), on=["year", "id"], how="outer", suffixes=("", "_w")
    )
    for column in ("lon", "lat", "iso3"):
        both[column] = both[column].fillna(both[f"{column}_w"])
    both = both.drop(columns=["lon_w", "lat_w", "iso3_w"])
    both[["projects_out", "projects_in"]] = both[["projects_out", "projects_in"]].fillna(0).astype(int)
    return both


@per_server
def scales(level: str) -> tuple[float, float]:
    """The locked scales of `level`: the largest share of a flow between two places and the largest
    place total, over both years (samples differ in size: flows on shares, circles on the year's
    share too), so that widths and circles do not jump between years or selections."""
    rows = level_pairs(level)
    crossing = rows[rows["from_id"] != rows["to_id"]]
    totals = place_totals(level)
    largest_place = 0.0
    for year in YEARS:
        of_year = totals[totals["year"] == year]
        total = year_total(year)
        largest_place = max(
            largest_place, 100 * float(of_year[["projects_in", "projects_out"]].to_numpy().max()) / total
        )
    return float(crossing["share"].max()), largest_place


def width_px(share: float, level: str) -> float:
    """A flow's width on the level's locked scale: 1 px to MAX_WIDTH_PX for the largest share."""
    return 1 + (MAX_WIDTH_PX - 1) * share / scales(level)[0]


def place_name(place: str) -> str:
    """A place's name: the country's in the reader's language, or "region (country)" as the source
    spells the region."""
    iso3, _, region = place.partition(":")
    return f"{region} ({name(iso3)})" if region else name(iso3)


@dataclass(frozen=True)
class FlowView:
    """What the flow map draws and says for one choice of year, count, definition, place, level and
    direction."""

    flows: pd.DataFrame  # drawn, largest last (on top): path, angle, width, arrow, colour, hover…
    places: pd.DataFrame  # id, lon, lat, radius_in, radius_out, radius_hit, hover
    table: pd.DataFrame  # the top pairs of the table, flows inside one place included and marked
    view: dict[str, float]  # the first view: every drawn endpoint inside it
    shown_share: float  # the drawn flows' share of the year's projects, percent
    rest_pairs: int  # pairs of the selection between two places not drawn (smaller)
    rest_share: float
    inside_share: float  # work done inside one place (in its circles), percent of the year
    total_projects: int  # the year's projects in the file (denominator of every share)
    selected_projects: int  # the selection's projects (the place's, or all placed ones)
    source_id: str


def view(
    year: int,
    top: int,
    classification: str,
    focus: str = "",
    level: str = "countries",
    direction: str = "both",
) -> FlowView:
    return _view(year, top, classification, focus, level, direction, i18n.lang())


def _selected(rows: pd.DataFrame, focus: str, direction: str) -> pd.DataFrame:
    if not focus:
        return rows
    column = "iso3" if ":" not in focus else "id"
    bought = rows[f"from_{column}"] == focus
    done = rows[f"to_{column}"] == focus
    keep = bought if direction == "out" else done if direction == "in" else bought | done
    return rows[keep]


@st.cache_resource(show_spinner=False, max_entries=512)
def _view(
    year: int, top: int, classification: str, focus: str, level: str, direction: str, lang: str
) -> FlowView:
    from dashboard.charts.flowmap import curve, end_angle, fit_view, shortened

    cite = citations.by_id()
    side = side_of(classification, year)
    rows = level_pairs(level)
    rows = rows[rows["year"] == year]
    source_id = str(rows["source_id"].iloc[0])
    total = year_total(year)
    chosen = _selected(rows, focus, direction)
    inside = chosen[chosen["from_id"] == chosen["to_id"]]
    crossing = chosen[chosen["from_id"] != chosen["to_id"]]
    drawn = crossing.nlargest(top, "projects", keep="first").sort_values("projects", kind="stable")

    def hover(r: object) -> str:
        get = r._asdict()  # type: ignore[attr-defined]
        return (
            f"{place_name(get['from_id'])} → {place_name(get['to_id'])}\n"
            f"{t('flows.projects_share', projects=i18n.number(get['projects']), share=i18n.share(get['share']), year=year)}"
            f"\n{t('flows.employer_side')}: {t('map.ns.' + side.get(get['from_iso3'], 'unclassified'))}"
            f"\n{cite[source_id]}"
        )

    places = _places(year, level, set(drawn["from_id"]) | set(drawn["to_id"]) | ({focus} if focus else set()))
    ends_lon = list(drawn["from_lon"]) + list(drawn["to_lon"])
    ends_lat = list(drawn["from_lat"]) + list(drawn["to_lat"])
    if focus and focus in set(places["id"]):
        spot = places[places["id"] == focus].iloc[0]
        ends_lon.append(float(spot["lon"]))
        ends_lat.append(float(spot["lat"]))
    first_view = (
        fit_view(ends_lon, ends_lat) if len(drawn) else fit_view(list(places["lon"]), list(places["lat"]))
    )
    # Each arrow stops at the edge of the worker's place's larger circle.
    stop = places.set_index("id")[["radius_in", "radius_out"]].max(axis=1)
    paths = [
        shortened(
            curve(r.from_lon, r.from_lat, r.to_lon, r.to_lat),
            float(stop.get(r.to_id, 0.0)) + 1,
            first_view["zoom"],
        )
        for r in drawn.itertuples()
    ]
    widths = [width_px(s, level) for s in drawn["share"]]
    flows = drawn.assign(
        path=paths,
        angle=[end_angle(p) for p in paths],
        width=widths,
        arrow=[8 + 1.5 * w for w in widths],
        colour=[[*SIDE_RGB[side.get(e, "unclassified")], 215] for e in drawn["from_iso3"]],
        hover=[hover(r) for r in drawn.itertuples()],
    ).reset_index(drop=True)
    table = chosen.nlargest(top, "projects", keep="first")
    table = pd.DataFrame(
        {
            "year": year,
            "employer": table["from_id"].map(place_name),
            "worker": table["to_id"].map(place_name),
            "projects": table["projects"],
            "share_of_year_percent": table["share"],
            "domestic": (table["from_iso3"] == table["to_iso3"]).map({True: "yes", False: "no"}),
            "employer_side": table["from_iso3"].map(lambda c: t("map.ns." + side.get(c, "unclassified"))),
            "worker_side": table["to_iso3"].map(lambda c: t("map.ns." + side.get(c, "unclassified"))),
            "employer_iso3": table["from_iso3"],
            "worker_iso3": table["to_iso3"],
            "source_id": table["source_id"],
        }
    ).reset_index(drop=True)
    return FlowView(
        flows=flows,
        places=places,
        table=table,
        view=fit_view(ends_lon, ends_lat)
        if len(drawn)
        else fit_view(list(places["lon"]), list(places["lat"])),
        shown_share=float(drawn["share"].sum()),
        rest_pairs=len(crossing) - len(drawn),
        rest_share=float(crossing["share"].sum() - drawn["share"].sum()),
        inside_share=float(inside["share"].sum()),
        total_projects=total,
        selected_projects=int(chosen["projects"].sum()),
        source_id=source_id,
    )


def _places(year: int, level: str, wanted: set[str]) -> pd.DataFrame:
    """The places drawn: every country; at region level the ends of the drawn flows (and the chosen
    place) and the REGION_PLACES most active others. Radii on the level's locked scale."""
    totals = place_totals(level)
    of_year = totals[totals["year"] == year]
    if level == "regions":
        busiest = set(
            of_year.assign(both=of_year["projects_in"] + of_year["projects_out"]).nlargest(
                REGION_PLACES, "both"
            )["id"]
        )
        of_year = of_year[of_year["id"].isin(wanted | busiest)]
    total = year_total(year)
    largest = scales(level)[1]
    peak = MAX_RADIUS_PX[level]

    def radius(projects: pd.Series) -> pd.Series:
        return peak * ((100 * projects / total) / largest) ** 0.5

    # A circle under 2 px would be a dot that says nothing: not drawn (the place can still be
    # hovered and clicked, within MIN_HIT_PX).
    placed = of_year.assign(
        radius_in=radius(of_year["projects_in"]).where(lambda r: r >= 2, 0.0),
        radius_out=radius(of_year["projects_out"]).where(lambda r: r >= 2, 0.0),
    )
    placed = placed.assign(radius_hit=placed[["radius_in", "radius_out"]].max(axis=1).clip(lower=MIN_HIT_PX))
    placed["hover"] = [
        f"{place_name(r.id)}\n"
        + t(
            "flows.place_done",
            projects=i18n.number(r.projects_in),
            share=i18n.share(100 * r.projects_in / total),
            year=year,
        )
        + "\n"
        + t(
            "flows.place_bought",
            projects=i18n.number(r.projects_out),
            share=i18n.share(100 * r.projects_out / total),
        )
        for r in placed.itertuples()
    ]
    # Large circles first, so that a small place on a large one stays visible and clickable.
    return placed.sort_values("radius_hit", ascending=False, kind="stable").reset_index(drop=True)


def deck(
    year: int,
    top: int,
    classification: str,
    focus: str = "",
    level: str = "countries",
    direction: str = "both",
) -> object:
    """The flow map of view(), built and serialised once per choice and language, and shared."""
    return _deck(year, top, classification, focus, level, direction, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=256)
def _deck(
    year: int, top: int, classification: str, focus: str, level: str, direction: str, lang: str
) -> object:
    from dashboard.charts.flowmap import flow_deck

    chosen = _view(year, top, classification, focus, level, direction, lang)
    return flow_deck(charts.WORLD_URL, chosen.flows, chosen.places, focus, chosen.view)


def figure(
    year: int,
    top: int,
    classification: str,
    focus: str = "",
    level: str = "countries",
    direction: str = "both",
) -> go.Figure:
    """The flow map of view() drawn with plotly instead of deck.gl (for the classroom pack, which
    carries one chart library): built once per choice and language and shared (read-only)."""
    return _figure(year, top, classification, focus, level, direction, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=16)
def _figure(
    year: int, top: int, classification: str, focus: str, level: str, direction: str, lang: str
) -> go.Figure:
    from dashboard.charts.flowmap import flow_figure

    chosen = _view(year, top, classification, focus, level, direction, lang)
    features: list[dict[str, object]] = data.world_geojson()["features"]  # type: ignore[assignment]
    drawn_colours = {tuple(c[:3]) for c in chosen.flows["colour"]}
    legend = [
        (t("flows.side_legend", side=t("map.ns." + side)), SIDE_RGB[side])
        for side in SIDES
        if SIDE_RGB[side] in drawn_colours
    ]
    return flow_figure(
        charts.WORLD_URL,
        [str(f["id"]) for f in features],
        chosen.flows,
        chosen.places,
        legend,
        (t("flows.circle_done"), t("flows.circle_bought")),
    )


@per_language
def width_legend(level: str) -> str:
    """The legend of the locked width scale: two or three reference flows as the map draws them."""
    from dashboard.charts.flowmap import width_legend as drawn

    largest = scales(level)[0]
    steps = [s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10) if s <= largest]
    references = sorted({steps[-1], steps[max(0, len(steps) - 3)], steps[max(0, len(steps) - 5)]})
    return drawn(
        [(t("flows.width_reference", share=i18n.share(s)), width_px(s, level)) for s in references],
        8 + 1.5 * width_px(references[-1], level),
    )


def summary(chosen: FlowView, year: int, top: int, level: str, focus: str = "") -> str:
    """What is drawn and what is not, with the numbers of this choice (written once per view and
    language: the view is shared)."""
    return per_object(
        chosen, ("summary", year, top, level, i18n.lang()), lambda: _summary(chosen, year, top, level)
    )


def _summary(chosen: FlowView, year: int, top: int, level: str) -> str:
    if len(chosen.flows) == 0 and chosen.rest_pairs == 0 and chosen.inside_share == 0:
        # A place chosen in a direction it has no flows in (its employers bought nothing): the map
        # shows no arrow, and the sentence says so rather than "the 0 largest flows (0%)".
        return t("flows.summary_none", year=year, total=i18n.number(chosen.total_projects))
    text = t(
        "flows.summary_countries" if level == "countries" else "flows.summary_regions",
        shown=i18n.number(len(chosen.flows)),
        top=i18n.number(top),
        year=year,
        shown_share=i18n.share(chosen.shown_share),
        rest=i18n.number(chosen.rest_pairs),
        rest_share=i18n.share(chosen.rest_share),
        inside_share=i18n.share(chosen.inside_share),
        total=i18n.number(chosen.total_projects),
    )
    if level == "countries" and unmapped(year):
        text += " " + t("flows.unmapped", projects=i18n.number(unmapped(year)))
    missing = left_out(year)
    if missing:
        text += " " + t("flows.left_out", projects=i18n.number(missing))
    if level == "regions":
        unstated, flagged, flagged_rows = unplaced(year)
        text += " " + t(
            "flows.unplaced",
            unstated=i18n.number(unstated),
            flagged=i18n.number(flagged),
            rows=i18n.number(flagged_rows),
            share=i18n.share(100 * (unstated + flagged) / chosen.total_projects),
        )
    return text


def selection_sentence(year: int, focus: str, level: str, direction: str) -> str:
    """What the chosen place's flows say, computed from the rows: how much it bought and did, and
    its largest partner on each side."""
    return _selection_sentence(year, focus, level, direction, i18n.lang())


@per_server
def sentence_pairs(level: str) -> pd.DataFrame:
    """The pairs a sentence counts: at country level every pair of flow_pairs, those with a place
    the map cannot draw (Gibraltar, Réunion… have no shape of their own at 1:50m) included."""
    if level != "countries":
        return level_pairs(level)
    rows = pairs()
    return pd.DataFrame(
        {
            "year": rows["year"],
            "from_id": rows["employer_iso3"],
            "to_id": rows["worker_iso3"],
            "from_iso3": rows["employer_iso3"],
            "to_iso3": rows["worker_iso3"],
            "projects": rows["projects"],
            "share": rows["share_of_year_percent"],
        }
    )


@st.cache_resource(show_spinner=False, max_entries=512)
def _selection_sentence(year: int, focus: str, level: str, direction: str, lang: str) -> str:
    rows = sentence_pairs(level)
    rows = rows[rows["year"] == year]
    total = year_total(year)
    column = "iso3" if ":" not in focus else "id"
    parts = []
    for kind, mine, other in (("out", "from", "to"), ("in", "to", "from")):
        if direction not in (kind, "both"):
            continue
        own = rows[rows[f"{mine}_{column}"] == focus]
        elsewhere = own[own[f"{other}_{column}"] != focus]
        if own.empty:
            parts.append(t(f"flows.selected_{kind}_none"))
            continue
        # At country level the partner is a country; at region level, a region.
        by_partner = (
            elsewhere.groupby(f"{other}_id")["projects"].sum().sort_values(ascending=False, kind="stable")
        )
        projects = int(own["projects"].sum())
        if by_partner.empty:
            parts.append(
                t(
                    f"flows.selected_{kind}_inside",
                    projects=i18n.number(projects),
                    share=i18n.share(100 * projects / total),
                )
            )
            continue
        parts.append(
            t(
                f"flows.selected_{kind}",
                projects=i18n.number(projects),
                share=i18n.share(100 * projects / total),
                partner=place_name(str(by_partner.index[0])),
                partner_share=i18n.share(100 * float(by_partner.iloc[0]) / projects),
            )
        )
    return t(
        "flows.selected",
        place=place_name(focus),
        year=year,
        what="; ".join(p.rstrip(" ;.") for p in parts) + ".",
    )


def top_lines(chosen: FlowView, count: int) -> str:
    """The `count` largest pairs as a numbered Markdown list ("1. United States → India: 14.3 %")."""
    return per_object(chosen, ("top_lines", count, i18n.lang()), lambda: _top_lines(chosen, count))


def _top_lines(chosen: FlowView, count: int) -> str:
    lines = []
    for rank, r in enumerate(chosen.table.head(count).itertuples(), start=1):
        pair = (
            t("flows.inside_place", place=r.employer)
            if r.employer == r.worker
            else f"{r.employer} → {r.worker}"
        )
        lines.append(
            f"{rank}. {pair}: {i18n.share(r.share_of_year_percent)} ({i18n.number(r.projects)} {t('flows.projects')})"
        )
    # In French, the no-break space before the colon (dashboard/i18n/typography.py).
    return for_language("  \n".join(lines), i18n.lang())  # one line each (a Markdown line break)


@per_server
def valid_places() -> frozenset[str]:
    """Every place a link may choose: the countries and the regions of either year."""
    regions = place_totals("regions")["id"]
    return frozenset(["", *countries_in_flows_codes(), *regions])


@per_server
def countries_in_flows_codes() -> frozenset[str]:
    both = pairs()
    return frozenset(set(both["employer_iso3"]) | set(both["worker_iso3"]))


@per_server
def changes(level: str) -> pd.DataFrame:
    """Every pair between two places of either year with its share of each year's projects and the
    change 2014 → 2015 in percentage points (ours): the samples differ in size, so shares compare."""
    rows = level_pairs(level)
    crossing = rows[rows["from_id"] != rows["to_id"]]
    wide = crossing.pivot_table(
        index=["from_id", "to_id", "from_iso3", "to_iso3"],
        columns="year",
        values="share",
        aggfunc="sum",
        fill_value=0.0,
    ).reset_index()
    first, last = YEARS
    wide = wide.rename(columns={first: f"share_{first}_percent", last: f"share_{last}_percent"})
    wide["change_points"] = wide[f"share_{last}_percent"] - wide[f"share_{first}_percent"]
    return wide


def change_chart(level: str, count: int = 8) -> tuple[pd.DataFrame, go.Figure]:
    """The `count` largest gains and losses of share between 2014 and 2015, as diverging bars."""
    return _change_chart(level, count, i18n.lang())


GAIN, LOSS = "#009E73", "#D55E00"  # a change's colours: no other meaning in the atlas


@st.cache_resource(show_spinner=False, max_entries=8)
def _change_chart(level: str, count: int, lang: str) -> tuple[pd.DataFrame, go.Figure]:
    wide = changes(level)
    gains = wide.nlargest(count, "change_points", keep="first")
    losses = wide.nsmallest(count, "change_points", keep="first")
    shown = pd.concat([losses, gains.iloc[::-1]]).drop_duplicates(["from_id", "to_id"])
    shown = shown.assign(
        pair=[
            f"{place_name(a)} → {place_name(b)}"
            for a, b in zip(shown["from_id"], shown["to_id"], strict=True)
        ],
        direction=["gain" if c > 0 else "loss" for c in shown["change_points"]],
        source_id=SOURCE_IDS[-1],
        secondary_of="",
    )
    first, last = YEARS
    shown["hover"] = [
        f"<b>{wrap(r.pair)}</b><br>{first}: {i18n.share(getattr(r, f'share_{first}_percent'))}; "
        f"{last}: {i18n.share(getattr(r, f'share_{last}_percent'))}"
        f"<br>{t('flows.change_hover', change=i18n.signed_points(r.change_points))}"
        for r in shown.itertuples()
    ]
    figure = charts.diverging_bars(
        shown,
        "change_points",
        "pair",
        "hover",
        [GAIN if c > 0 else LOSS for c in shown["change_points"]],
        t("flows.change_axis", first=first, last=last),
        [i18n.signed_points(c) for c in shown["change_points"]],
        [(t("flows.change_gain"), GAIN), (t("flows.change_loss"), LOSS)],
    )
    columns = ["pair", f"share_{first}_percent", f"share_{last}_percent", "change_points", "source_id"]
    table = shown[columns].reset_index(drop=True)
    return table, figure


@per_language
def change_sentence(level: str) -> str:
    """The largest gains and losses of share 2014 → 2015, in words."""
    wide = changes(level)
    gains = wide.nlargest(3, "change_points", keep="first")
    losses = wide.nsmallest(3, "change_points", keep="first")

    def listed(frame: pd.DataFrame) -> str:
        return "; ".join(
            f"{place_name(r.from_id)} → {place_name(r.to_id)} {i18n.signed_points(r.change_points)}"
            for r in frame.itertuples()
        )

    first, last = YEARS
    return t("flows.change_sentence", first=first, last=last, gains=listed(gains), losses=listed(losses))


@per_server
def share_between_sides(year: int, classification: str, employer_side: str, worker_side: str) -> float:
    """The share (percent) of `year`'s projects from employers of one side to workers of another."""
    shares = side_shares(year, classification)
    hit = shares[(shares["employer_side"] == employer_side) & (shares["worker_side"] == worker_side)]
    return float(hit["share_percent"].sum())


@per_server
def side_shares(year: int, classification: str) -> pd.DataFrame:
    """The year's projects by employer side × worker side (percent): North→South and the rest."""
    side = side_of(classification, year)
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
    side = side_of(classification, year)
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


def settle_focus(level: str) -> None:
    """At country level a region chosen before (on the region map, or by a link) becomes its
    country, so that the country's flows are shown rather than none."""
    focus = str(url_state.current("focus"))
    if level == "countries" and ":" in focus:
        url_state.set_value("focus", focus.partition(":")[0])


def focus_options(focus: str) -> list[str]:
    """The list's choices: all places, every country with a flow, and the chosen region if one is
    (regions are chosen on the map or by link: a list of 2,000 would weigh on every rerun)."""
    countries = countries_in_flows()
    return ["", *countries, *([focus] if ":" in focus else [])]


def focus_in(focus: str, year: int, level: str) -> tuple[str, str]:
    """(the place whose flows are shown, a notice): a place with no flow in `year` at `level`
    shows every flow, and the notice says why."""
    if not focus:
        return "", ""
    rows = level_pairs(level)
    rows = rows[rows["year"] == year]
    column = "iso3" if ":" not in focus else "id"
    if ((rows[f"from_{column}"] == focus) | (rows[f"to_{column}"] == focus)).any():
        return focus, ""
    return "", t("flows.selected_missing", place=place_name(focus), year=year)


# The page's parts, each a tab drawn only when open (a lazy st.tabs): the map first, then where
# inside countries, the change between the years, the groups of countries, the press's click farms.
# A first visit draws the map alone, so it loads deck.gl but not plotly.js (1.06 MB brotli):
# issue 21's first-visit budget of 2 MB could not hold both. Each part is its own URL (`view=`).
VIEWS = ("map", "regions", "change", "sankey", "cases")


def view_tabs(current: str) -> dict[str, Any]:
    """The page's tabs, opened on `current`, by code. A reader's choice of tab is kept as the URL's
    `view` (a language-neutral code); the tabs' own key carries the language, since their labels
    are their values."""
    first, last = YEARS
    labels = {v: t(f"flows.view.{v}", first=first, last=last) for v in VIEWS}
    key = f"flows-view-{i18n.lang()}"

    def chosen() -> None:
        label = st.session_state.get(key)
        code = next((v for v, text in labels.items() if text == label), "map")
        url_state.set_value("view", code)

    tabs = st.tabs(list(labels.values()), default=labels[current], key=key, on_change=chosen)
    return dict(zip(VIEWS, tabs, strict=True))


def clicked(key: str) -> None:
    """The map's click (a callback, run before the page): a place clicked becomes the place whose
    flows are shown; the same place clicked again, or a click beside every place, shows all flows."""
    state = st.session_state.get(key)
    selection = getattr(state, "selection", None) or (state or {}).get("selection", {})
    objects = selection.get("objects", {}) if selection else {}
    places = objects.get("places", [])
    current = str(url_state.current("focus"))
    if places:
        place = str(places[0].get("id", ""))
        url_state.set_value("focus", "" if place == current else place)
    elif not any(objects.values()):
        url_state.set_value("focus", "")


@per_language
def measured_note() -> str:
    """The page's statement of what is measured, with the files' own totals."""
    first, last = YEARS
    supply = data.table("worker_supply_years")
    row = supply[supply["year"] == first].nlargest(1, "projects").iloc[0]
    country_file = round(float(row["projects"]) * 100 / float(row["share_of_year_percent"]))
    return t(
        "flows.measured",
        first=first,
        last=last,
        first_total=i18n.number(year_total(first)),
        last_total=i18n.number(year_total(last)),
        first_country=i18n.number(country_file),
    )
