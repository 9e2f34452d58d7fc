"""Story mode: eight steps through the atlas, each a chart, one sentence and its source.

Each takeaway is built from the tables, so its numbers are the datasets' numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, i18n, maps, overview, projections, wages
from dashboard.figures import figure_hover
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
    return Step("buyers", figure, t("story.buyers.takeaway", usa=i18n.percent(usa, 0)), rows)


def _who_clicks() -> Step:
    layer = maps.supply_layer()
    figure = maps.map_figure(layer)
    top = layer.rows.sort_values("share_percent", ascending=False).head(3)
    names = ", ".join(f"{name(r.iso3)} ({i18n.percent(r.share_percent, 0)})" for r in top.itertuples())
    return Step("clickers", figure, t("story.clickers.takeaway", countries=names), layer.rows)


def _north_south() -> Step:
    layer = maps.north_south_layer("wb")
    figure = maps.map_figure(layer)
    mentions = data.table("country_mentions")
    named = mentions[mentions["role"].isin(["micro_task_buyer", "micro_task_seller"])]
    return Step(
        "north_south", figure, t("story.north_south.takeaway"), named, ("worldbank-income-groups-fy2025",)
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


def _prices() -> Step:
    rows, figure = wages.price_ladder()
    return Step("prices", figure, t("story.prices.takeaway"), rows)


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
    figure = charts.bars(rows, "usd", "what", "hover", t("story.minimum.axis"))
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
    figure = charts.bars(counts, "value_normalised", "label", "hover", t("story.adds_up.axis"))
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
    rows, figure = projections.world_workforce()
    return Step("forecast", figure, t("story.forecast.takeaway"), rows)


STEPS: tuple[Callable[[], Step], ...] = (
    _who_buys,
    _who_clicks,
    _north_south,
    _platforms,
    _prices,
    _minimum,
    _adds_up,
    _forecast,
)


def step_at(number: int) -> Step:
    """Step `number` (1-based) in the current language: built once, then shared read-only."""
    return _step(number, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=64)
def _step(number: int, lang: str) -> Step:
    return STEPS[number - 1]()


@charts.locked
def projected(figure: go.Figure) -> go.Figure:
    """A copy of `figure` for the back of a room: larger type, and a height that fits under the sentence."""
    big = go.Figure(figure)
    big.update_layout(font=dict(size=20), hoverlabel=dict(font_size=18), height=560, legend_y=-0.28)
    big.update_xaxes(tickfont=dict(size=18), title_font=dict(size=19))
    big.update_yaxes(tickfont=dict(size=18), title_font=dict(size=19))
    return big
