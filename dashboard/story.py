"""Story mode: ten steps through the atlas, each a chart, one sentence and its source.

Each takeaway is built from the tables, so its numbers are the datasets' numbers; where a
measurement exists (flows, worker shares, the OLI month by month, the MTurk survey) the step shows
the measurement, and a cited figure keeps its qualifier ("under", "more than").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, flows, i18n, maps, overview, projections, wages, workers
from dashboard.figures import figure_hover, figure_value, stated, with_unit
from dashboard.i18n import t
from dashboard.names import name


@dataclass
class Step:
    key: str
    figure: go.Figure | None
    takeaway: str
    rows: pd.DataFrame
    source_ids: tuple[str, ...] = ()


def _who_buys() -> Step:
    rows, figure = overview.top_buyers(8)
    usa = float(rows.loc[rows["iso3"] == "USA", "share"].sum())
    return Step(
        "buyers",
        figure,
        t(
            "story.buyers.takeaway",
            usa=i18n.percent(usa, 0),
            us_india=i18n.percent(flows.share_between(2014, "USA", "IND"), 1),
        ),
        rows,
        flows.SOURCE_IDS[:1],
    )


def _who_clicks() -> Step:
    year = maps.MEASURED_YEARS[-1]
    layer = maps.workers_layer(year)
    figure = maps.map_figure(layer)
    top = layer.rows.sort_values("share_of_year_percent", ascending=False).head(4)
    names = ", ".join(f"{name(r.iso3)} {i18n.percent(r.share_of_year_percent, 0)}" for r in top.itertuples())
    return Step("clickers", figure, t("story.clickers.takeaway", year=year, countries=names), layer.rows)


def _north_south() -> Step:
    layer = maps.north_south_layer("wb")
    figure = maps.map_figure(layer)
    year = flows.YEARS[-1]
    shares = flows.side_shares(year, "wb").assign(year=year, source_id=flows.SOURCE_IDS[-1])
    return Step(
        "north_south",
        figure,
        t(
            "story.north_south.takeaway",
            year=year,
            north_south=i18n.percent(flows.share_between_sides(year, "wb", "North", "South"), 0),
            north_north=i18n.percent(flows.share_between_sides(year, "wb", "North", "North"), 0),
            south_north=i18n.percent(flows.share_between_sides(year, "wb", "South", "North"), 0),
        ),
        shares,
        ("worldbank-income-groups-fy2025",),
    )


def _platforms() -> Step:
    figures = data.figures()
    seeds = data.table("sources").query("relayed_in == 'casilli-blog'")["source_id"]
    upwork = figures[
        (figures["platform"] == "upwork")
        & figures["metric"].isin(["registered_workers", "platform_users"])
        & figures["source_id"].isin(seeds)
    ]
    rows = upwork.assign(
        label=[f"{r.citation}" for r in upwork.itertuples()],
        hover=[figure_hover(r) for r in upwork.itertuples()],
    )
    figure = charts.bars(rows, "value_normalised", "label", "hover", t("story.platforms.axis"))
    sizes = sorted({i18n.compact(v) for v in rows["value_normalised"]})
    return Step("platforms", figure, t("story.platforms.takeaway", sizes=" / ".join(sizes)), rows)


# The prices the seeds state (the click farms' 0.006 cents, the caption's "under $0.10"): a story
# slide shows these few, large, rather than the Wages page's whole ladder.
PRICE_FIGURES = (
    "rue89-2017-casilli-fillon-price-per-click-click-farms",
    "rue89-2017-casilli-fillon-price-per-tweet-worker",
    "01net-2017-simeon-mturk-task-price-email-addresses",
    "01net-2017-simeon-mturk-caption-task-price",
    "01net-2017-simeon-mturk-task-price-list-ingredients",
)


def _prices() -> Step:
    rows, figure = wages.price_ladder(PRICE_FIGURES)
    by_id = data.figures().set_index("figure_id", drop=False)
    return Step(
        "prices",
        figure,
        t(
            "story.prices.takeaway",
            click=stated(by_id.loc[PRICE_FIGURES[0]]),
            task=stated(by_id.loc[PRICE_FIGURES[3]]),
        ),
        rows,
    )


def _minimum() -> Step:
    figures = data.figures().set_index("figure_id", drop=False)
    laura = figures.loc["01net-2017-simeon-mturk-hourly-earnings-laura"]
    wage = wages.minimum_hourly("USA")
    rows = pd.DataFrame(
        [
            {
                "what": t("story.minimum.earned"),
                "usd": laura["usd_per_hour"],
                "source_id": laura["source_id"],
                "hover": figure_hover(laura),
            },
            {
                "what": t("story.minimum.us_minimum", year=wage.year if wage else "—"),
                "usd": wage.usd_per_hour if wage else None,
                "source_id": wage.source_id if wage else "",
                "hover": t("wages.per_hour_model"),
            },
        ]
    )
    figure = charts.bars(rows, "usd", "what", "hover", t("story.minimum.axis"), labels="above")
    ratio = (wage.usd_per_hour / laura["usd_per_hour"]) if wage else None
    earned = i18n.money(laura["usd_per_hour"], "USD")
    return Step(
        "minimum", figure, t("story.minimum.takeaway", earned=earned, ratio=i18n.number(ratio, 0)), rows
    )


def _adds_up() -> Step:
    figures = data.figures()
    counts = figures[figures["source_id"] == "kassi-2021-online-workers"].copy()
    counts["label"] = [r.label_fr if i18n.lang() == "fr" else r.label_en for r in counts.itertuples()]
    counts["hover"] = [figure_hover(r) for r in counts.itertuples()]
    figure = charts.bars(
        counts, "value_normalised", "label", "hover", t("story.adds_up.axis"), labels="above"
    )
    values = dict(zip(counts["metric"], counts["value_normalised"], strict=True))
    return Step(
        "adds_up",
        figure,
        t(
            "story.adds_up.takeaway",
            registered=i18n.compact(values.get("registered_worker_profiles", float("nan"))),
            worked=i18n.compact(values.get("worker_profiles_with_work", float("nan"))),
            active=i18n.compact(values.get("worker_profiles_significantly_active", float("nan"))),
        ),
        counts,
    )


def _forecast() -> Step:
    months = projections.months()
    line, figure = projections.oli_figure("total", months[0], months[-1])
    first, last, _start, _end, rate = projections.growth_of_yearly_means("total")
    by_id = data.figures().set_index("figure_id", drop=False)
    claim = by_id.loc[projections.SEEDS_GROWTH]
    takeaway = t(
        "story.forecast.takeaway",
        claim=with_unit(figure_value(claim), str(claim["unit_normalised"])),
        claim_source=claim["citation"],
        first=f"{i18n.month(first[:7])} – {i18n.month(first[8:])}",
        last=f"{i18n.month(last[:7])} – {i18n.month(last[8:])}",
        rate=i18n.percent(rate, 1),
    )
    return Step("forecast", figure, takeaway, line, tuple(projections.growth_claims()["source_id"]))


def _who_turks() -> Step:
    rows, figure = workers.mix()
    first, last = workers.first_and_last()
    return Step("turkers", figure, workers.mix_sentence(first, last), rows)


def _hours_east(zone: str) -> int:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    offset = datetime(2012, 6, 1, tzinfo=ZoneInfo(zone)).utcoffset()
    return int(offset.total_seconds() // 3600) if offset else 0


def _working_day() -> Step:
    countries = workers.DAY_COUNTRIES
    rows, figure, _label = workers.working_day(countries, "utc")
    peaks = workers.peak_hours(countries)
    return Step(
        "day",
        figure,
        t(
            "story.day.takeaway",
            phl=f"{peaks['PHL']:02d}:00",
            # Manila's clock from the time-zone database (UTC+8, no summer time), not typed in.
            manila=f"{(peaks['PHL'] + _hours_east('Asia/Manila')) % 24:02d}:00",
            usa=f"{peaks['USA']:02d}:00",
            ind=f"{peaks['IND']:02d}:00",
        ),
        rows,
    )


STEPS: tuple[Callable[[], Step], ...] = (
    _who_buys,
    _who_clicks,
    _north_south,
    _platforms,
    _prices,
    _minimum,
    _adds_up,
    _forecast,
    _who_turks,
    _working_day,
)


def step_at(number: int) -> Step:
    """Step `number` (1-based) in the current language: built once, then shared read-only."""
    return _step(number, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=64)
def _step(number: int, lang: str) -> Step:
    return STEPS[number - 1]()


@charts.locked
def projected(figure: go.Figure) -> go.Figure:
    """A copy of `figure` for the back of a room: larger type (legend, colour scale and notes
    included), and at least the height the chart had (a chart's rows need that room at 20 px type;
    560 px squeezed the price ladder's labels)."""
    big = go.Figure(figure)
    height = max(560, int((figure.layout.height or 560) * 1.1))
    big.update_layout(font=dict(size=20), hoverlabel=dict(font_size=18), height=height, legend_font_size=18)
    big.update_xaxes(tickfont=dict(size=18), title_font=dict(size=19))
    big.update_yaxes(tickfont=dict(size=18), title_font=dict(size=19))
    # The legend, a map's colour scale and the notes on a chart are read from the back of the room
    # too (14-15 px were not).
    big.update_traces(colorbar=dict(tickfont=dict(size=18)), selector=dict(type="choropleth"))
    big.for_each_annotation(_larger_note)
    return big


def _larger_note(note: go.layout.Annotation, size: int = 17) -> None:
    """A chart's note at `size` px, moved off the plot in proportion (so it keeps clear of the next)."""
    ratio = size / (note.font.size or 14)
    note.update(font_size=size, yshift=(note.yshift or 0) * ratio)
