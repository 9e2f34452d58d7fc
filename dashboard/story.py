"""Story mode: eleven steps through the atlas, each a chart, one sentence and its source.

Each takeaway is built from the tables, so its numbers are the datasets' numbers; where a
measurement exists (flows, worker shares, the OLI month by month, the MTurk survey) the step shows
the measurement, and a cited figure keeps its qualifier ("under", "more than").
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, citations, data, flows, i18n, maps, projections, regions, wages, workers
from dashboard.figures import figure_hover, figure_value, stated, with_unit
from dashboard.hover import wrap
from dashboard.i18n import t
from dashboard.names import name


@dataclass
class Step:
    key: str
    figure: go.Figure | None
    takeaway: str
    rows: pd.DataFrame
    source_ids: tuple[str, ...] = ()
    # A sentence after the step's own, in smaller type (the newest months, when make update has
    # brought them): the takeaway stays whole on a projector's first screen.
    now: str = ""
    newest: str = ""  # the newest data point's date (ISO) when the rows alone do not hold it


BUYERS_SHOWN = 8


def _who_buys() -> Step:
    """The measured flows of 2014: each of the largest employer countries' share of the year's
    projects, and the part of it done by workers in India (the sentence's US → India share)."""
    year = flows.YEARS[0]
    rows = employer_shares(year, BUYERS_SHOWN)
    cite = citations.by_id()[flows.SOURCE_IDS[0]]
    rows["hover"] = [
        f"<b>{wrap(r.country)}</b><br>{t('story.buyers.hover', share=i18n.share(r.share_of_year_percent, 1), year=year)}"
        f"<br>{t('story.buyers.to_india', share=i18n.share(r.to_india, 1))}<br><i>{cite}</i>"
        for r in rows.itertuples()
    ]
    rows["label"] = [i18n.share(v, 1) for v in rows["share_of_year_percent"]]
    figure = _with_india_part(
        charts.bars(
            rows, "share_of_year_percent", "country", "hover", t("story.buyers.axis", year=year), text="label"
        ),
        rows,
    )
    usa = rows[rows["iso3"] == "USA"].iloc[0]
    others = rows[rows["iso3"] != "USA"].head(2)
    return Step(
        "buyers",
        figure,
        t(
            "story.buyers.takeaway",
            year=year,
            usa=i18n.share(float(usa["share_of_year_percent"]), 1),
            next=", ".join(
                f"{r.country} {i18n.share(r.share_of_year_percent, 1)}" for r in others.itertuples()
            ),
            us_india=i18n.share(float(usa["to_india"]), 1),
        ),
        rows,
        flows.SOURCE_IDS[:1],
    )


def employer_shares(year: int, count: int) -> pd.DataFrame:
    """The `count` employer countries with the largest shares of `year`'s projects (percent of the
    year's file), with the share of those that went to workers in India."""
    pairs = flows.pairs()
    rows = pairs[pairs["year"] == year]
    india = rows[rows["worker_iso3"] == "IND"].groupby("employer_iso3")["share_of_year_percent"].sum()
    top = (
        rows.groupby("employer_iso3", as_index=False)
        .agg(projects=("projects", "sum"), share_of_year_percent=("share_of_year_percent", "sum"))
        .nlargest(count, "share_of_year_percent")
        .rename(columns={"employer_iso3": "iso3"})
    )
    top["to_india"] = top["iso3"].map(india).fillna(0.0)
    top["country"] = top["iso3"].map(name)
    top["year"] = year
    top["source_id"] = flows.SOURCE_IDS[flows.YEARS.index(year)]
    return top.reset_index(drop=True)


@charts.locked
def _with_india_part(figure: go.Figure, rows: pd.DataFrame) -> go.Figure:
    """The bars with the part of each that went to workers in India drawn over it, in orange."""
    ordered = rows.sort_values("share_of_year_percent")
    figure.data[0].name = t("story.buyers.elsewhere")
    figure.add_bar(
        x=ordered["to_india"],
        y=ordered["country"],
        orientation="h",
        marker_color=charts.OKABE_ITO[1],
        name=t("story.buyers.india"),
        customdata=ordered[["hover"]],
        hovertemplate="%{customdata[0]}<extra></extra>",
    )
    figure.update_layout(
        barmode="overlay",
        showlegend=True,
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, traceorder="normal"),
    )
    return figure


def _who_clicks() -> Step:
    year = maps.MEASURED_YEARS[-1]
    layer = maps.workers_layer(year)
    figure = maps.map_figure(layer)
    shares = layer.rows[layer.rows["share_of_year_percent"] > 0]
    top = shares.sort_values("share_of_year_percent", ascending=False).head(4)
    names = ", ".join(f"{name(r.iso3)} {i18n.share(r.share_of_year_percent, 1)}" for r in top.itertuples())
    takeaway = t(
        "story.clickers.takeaway",
        year=year,
        countries=names,
        together=i18n.share(float(top["share_of_year_percent"].sum()), 1),
        others=i18n.number(len(shares) - len(top)),
    )
    # And now: the OLI's own worker supplement's last month, when make update has brought it.
    sampled = data.table("oli_worker_shares_monthly")
    if sampled.empty:
        return Step("clickers", figure, takeaway, layer.rows)
    month = str(sampled["month"].max())
    latest = sampled[sampled["month"] == month].groupby("iso3")["share_percent"].sum().nlargest(4)
    now = ", ".join(f"{name(code)} {i18n.share(float(share), 1)}" for code, share in latest.items())
    said = t("story.clickers.now", month=i18n.month(month), countries=now)
    newest = max(month, str(year))  # ISO: "2026-08" after "2020", "2020" after "2017-07"
    return Step(
        "clickers", figure, takeaway, layer.rows, tuple(sorted(set(sampled["source_id"]))), said, newest
    )


SIDES_SHOWN = (("North", "South"), ("North", "North"), ("South", "South"), ("South", "North"))


def _north_south() -> Step:
    """The year's projects by the employer's side and the worker's: bars of the shares the sentence
    gives, with World Bank groups of 2025 applied to the projects of 2015 (said on the step)."""
    year = flows.YEARS[-1]
    shares = flows.side_shares(year, "wb")
    rows = pd.DataFrame(
        [
            {
                "employer_side": employer,
                "worker_side": worker,
                "what": t(
                    "story.north_south.pair", employer=t(f"map.ns.{employer}"), worker=t(f"map.ns.{worker}")
                ),
                "share_percent": flows.share_between_sides(year, "wb", employer, worker),
                "year": year,
                "source_id": flows.SOURCE_IDS[-1],
            }
            for employer, worker in SIDES_SHOWN
        ]
    )
    rows["label"] = [i18n.share(v, 1) for v in rows["share_percent"]]
    rows["projects"] = [
        int(shares[(shares["employer_side"] == e) & (shares["worker_side"] == w)]["projects"].sum())
        for e, w in SIDES_SHOWN
    ]
    cite = citations.by_id()[flows.SOURCE_IDS[-1]]
    rows["hover"] = [
        f"<b>{wrap(r.what)}</b><br>{r.label} ({i18n.number(r.projects)})<br><i>{cite}</i>"
        for r in rows.itertuples()
    ]
    figure = charts.bars(
        rows, "share_percent", "what", "hover", t("story.north_south.axis", year=year), text="label"
    )
    return Step(
        "north_south",
        figure,
        t(
            "story.north_south.takeaway",
            year=year,
            north_south=rows.loc[0, "label"],
            north_north=rows.loc[1, "label"],
            south_north=rows.loc[3, "label"],
        ),
        rows,
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
    # Each bar's label above it: on the axis, the long citations left the bars a strip of the
    # story's column at 1280 px (tests/test_legibility.py).
    figure = charts.bars(
        rows, "value_normalised", "label", "hover", t("story.platforms.axis"), labels="above"
    )
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
    """The sentence holds for every mark: the lowest and the highest price shown, and how many of
    the five are under ten cents (a price "less than $0.10" is; a price of $0.50 is not)."""
    rows, ladder = wages.price_ladder(PRICE_FIGURES)
    by_id = data.figures().set_index("figure_id", drop=False)
    figure = _short_labels(ladder, rows)
    low = rows.nsmallest(1, "shown").iloc[0]
    high = rows.nlargest(1, "shown").iloc[0]
    return Step(
        "prices",
        figure,
        t(
            "story.prices.takeaway",
            click=stated(by_id.loc[str(low["figure_id"])]),
            top=stated(by_id.loc[str(high["figure_id"])]),
            under=i18n.number(under_ten_cents(rows)),
            count=i18n.number(len(rows)),
        ),
        rows,
    )


@charts.locked
def _short_labels(ladder: go.Figure, rows: pd.DataFrame) -> go.Figure:
    """The ladder with each row labelled by the figure's label only (its value as stated), not
    its unit and citation too: the story's column is half the Wages page's, and the source line
    under the chart names the citations."""
    short = {
        str(r.what): wrap(r.label_fr if i18n.lang() == "fr" else r.label_en, LABEL_CHARS)
        for r in rows.itertuples()
    }
    figure = go.Figure(ladder)
    figure.for_each_annotation(lambda note: note.update(text=short.get(str(note.text), note.text)))
    # No empty half row under the cheapest dot: its rows get that height, so that a two-line label
    # above one dot keeps clear of the next row's dot in the story's 500 px.
    figure.update_yaxes(range=[-0.3, len(rows) - 0.5])
    # Every other decade: four money ticks at 18 px did not fit the column side by side.
    axis = figure.layout.xaxis
    if axis.tickvals is not None and len(axis.tickvals) > 3:
        figure.update_xaxes(tickvals=axis.tickvals[::2], ticktext=axis.ticktext[::2], tickangle=0)
    return figure


def under_ten_cents(rows: pd.DataFrame) -> int:
    """Prices shown that are below $0.10: a value under it, or a bound ("less than", "at most") at
    or under it."""
    bounded = rows["qualifier"].isin(["less_than", "at_most", "up_to"])
    return int(((rows["shown"] < 0.10) | (bounded & (rows["shown"] <= 0.10))).sum())


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
    rows["label"] = [i18n.money(v, "USD") for v in rows["usd"]]
    figure = charts.bars(rows, "usd", "what", "hover", t("story.minimum.axis"), text="label", labels="above")
    ratio = (wage.usd_per_hour / laura["usd_per_hour"]) if wage else None
    earned = i18n.money(laura["usd_per_hour"], "USD")
    return Step(
        "minimum", figure, t("story.minimum.takeaway", earned=earned, ratio=i18n.number(ratio, 0)), rows
    )


def _adds_up() -> Step:
    """Kässi et al.'s three counts, each as the source states it ("approximately 14 million", "at
    least 10 projects or at least $1000"), on the bars and in the sentence."""
    figures = data.figures()
    counts = figures[figures["source_id"] == "kassi-2021-online-workers"].copy()
    counts["label"] = [r.label_fr if i18n.lang() == "fr" else r.label_en for r in counts.itertuples()]
    counts["hover"] = [figure_hover(r) for r in counts.itertuples()]
    counts["value_label"] = [stated(r) for r in counts.itertuples()]
    figure = charts.bars(
        counts,
        "value_normalised",
        "label",
        "hover",
        t("story.adds_up.axis"),
        text="value_label",
        labels="above",
    )
    said = dict(zip(counts["metric"], counts["value_label"], strict=True))
    return Step(
        "adds_up",
        figure,
        t(
            "story.adds_up.takeaway",
            registered=said.get("registered_worker_profiles", t("common.no_data")),
            worked=said.get("worker_profiles_with_work", t("common.no_data")),
            active=said.get("worker_profiles_significantly_active", t("common.no_data")),
            projects=i18n.number(10),
            earned=i18n.money(1000, "USD", 0),
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


def _inside() -> Step:
    """Inside one country: the regions where India's workers did the work (network file, 2015)."""
    year = regions.NETWORK_YEARS[-1]
    ranked, figure = regions.ranking_chart(regions.DEFAULT_COUNTRY, year, "worker", count=6, brief=True)
    takeaway = regions.ranking_sentence(regions.DEFAULT_COUNTRY, year, "worker", brief=True)
    return Step("inside", figure, takeaway, ranked)


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
    _inside,
)


def step_at(number: int) -> Step:
    """Step `number` (1-based) in the current language: built once, then shared read-only."""
    return _step(number, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=64)
def _step(number: int, lang: str) -> Step:
    return STEPS[number - 1]()


# Every chart of the story has this height, whatever its number of rows: with the step's title and
# sentence beside it, it fits the first screen of a 1280 × 720 projector under Streamlit's header
# and the step controls (tests/test_fold.py), and of a 1920 × 1080 one.
CHART_HEIGHT_PX = 500
# Every text of a story chart, from the back of a room (issue 20, item 11: at least 18 px).
TEXT_PX = 18
# A label written over the plot is wrapped to this many characters: the chart's column is about
# 470 px wide at 1280 px (the sentence takes the other part), 18 px type is about 10 px a character.
LABEL_CHARS = 42


@charts.locked
def projected(figure: go.Figure) -> go.Figure:
    """A copy of `figure` for the back of a room: every text at least TEXT_PX (ticks, axis and
    legend titles, legends, colour scales, bar values and notes), at the story's fixed height, with
    its legend above the plot (beside it, it took the plot's width in the story's narrower column)."""
    big = go.Figure(figure)
    big.update_layout(
        font=dict(size=TEXT_PX + 2),
        hoverlabel=dict(font_size=TEXT_PX),
        height=CHART_HEIGHT_PX,
        legend=dict(font_size=TEXT_PX, title_font_size=TEXT_PX),
    )
    big.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left"))
    _room_for_values(big)
    # At most six ticks along the bottom: 18 px years or hours on every step of a 470 px column
    # overlapped (tests/test_legibility.py).
    big.update_xaxes(tickfont=dict(size=TEXT_PX), title_font=dict(size=TEXT_PX), nticks=6, tickangle=0)
    big.for_each_xaxis(_fewer_ticks)
    big.update_yaxes(tickfont=dict(size=TEXT_PX), title_font=dict(size=TEXT_PX))
    big.update_traces(
        colorbar=dict(tickfont=dict(size=TEXT_PX), title_font=dict(size=TEXT_PX)),
        selector=dict(type="choropleth"),
    )
    big.for_each_trace(_shorter_colour_title, selector=dict(type="choropleth"))
    big.update_traces(textfont_size=TEXT_PX, selector=dict(type="bar"))
    big.update_traces(textfont_size=TEXT_PX, selector=dict(type="scatter"))
    big.for_each_annotation(_larger_note)
    _room_above(big)
    _counts_axis_apart(big)
    # Notes written above the plot (a pause, who answered) and a legend there too lay on each other:
    # the legend goes under the plot instead.
    # So do rows labelled above their marks (the price ladder): the top row's label met the legend.
    above = [
        a
        for a in big.layout.annotations
        if a.yref == "paper" and (a.y or 0) >= 1 or a.xref == "x domain" and a.yref == "y"
    ]
    if above and big.layout.showlegend is not False and len(big.data) > 1:
        big.update_layout(
            # In one row where they fit: grouped (the ladder's shapes), they stood in a column.
            legend=dict(orientation="h", yanchor="top", y=-0.2, x=0, xanchor="left", traceorder="normal"),
            margin=dict(b=(big.layout.margin.b or 10) + 70),
        )
    return big


# The height of a line of text at TEXT_PX, with plotly's line spacing, rounded up.
LINE_PX = 25
# A note pinned to a date above the plot (a pause in a survey) is wrapped narrower: it starts at
# its date, part-way across the story's column, and ran off the chart's right edge.
DATED_NOTE_CHARS = 18
# A note above the plot starts at the plot's left edge, right of the axis's ticks and title: a
# 42-character line ran 13 px off the chart at 1280 px.
NOTE_CHARS = 34


def _lines(note: go.layout.Annotation) -> int:
    return str(note.text or "").count("<br>") + 1


def _room_above(figure: go.Figure) -> None:
    """Notes written above the plot, stacked one over the other (a dated note on the plot's top
    edge, a general note above it) and the top margin grown to hold them all (at 18 px, a
    three-line note ran out of the chart's top)."""
    above = [
        a
        for a in figure.layout.annotations
        if a.yref == "paper" and (a.y or 0) >= 1 and a.yanchor == "bottom" and a.visible is not False
    ]
    if not above:
        return
    for note in above:
        chars = DATED_NOTE_CHARS if (note.xref or "x") == "x" else NOTE_CHARS
        if len(str(note.text or "")) > chars and "<" not in str(note.text).replace("<br>", ""):
            note.update(text="<br>".join(textwrap.wrap(str(note.text).replace("<br>", " "), chars)))
    top = 0.0
    for note in sorted(above, key=lambda a: a.yshift or 0):
        shift = max(float(note.yshift or 0), top)
        note.update(yshift=shift)
        top = shift + _lines(note) * LINE_PX + 4
    margin = figure.layout.margin
    figure.update_layout(margin=dict(t=max(int(margin.t or 0), int(top) + 12)))


def _counts_axis_apart(figure: go.Figure) -> None:
    """A second y axis stacked under the first (the counts under the shares): its ticks and title
    on the right, since at 18 px its title was longer than its short row and ran into the first
    axis's title on the left."""
    if "yaxis2" not in figure.layout:
        return
    second = figure.layout["yaxis2"]
    if second.overlaying or second.domain is None or not second.title.text:
        return
    first = figure.layout.yaxis
    if first.domain is not None and tuple(second.domain) != tuple(first.domain):
        # Two ticks at most: the row is short, and three at 18 px lay on each other.
        second.update(side="right", nticks=2)


# A colour bar's title, written along the bar, on lines of at most this many characters: at 18 px
# on one line it was longer than a slide's map is high at 1280 × 720, and ran out of the chart.
COLOUR_TITLE_CHARS = 24
# Plotly leaves room for one line of the title only: padding for its second line.
COLOUR_TITLE_PAD_PX = 30


def _shorter_colour_title(trace: go.Choropleth) -> None:
    title = trace.colorbar.title
    text = str(title.text or "")
    if len(text) > COLOUR_TITLE_CHARS and "<" not in text:
        title.update(text="<br>".join(textwrap.wrap(text, COLOUR_TITLE_CHARS)))
        trace.colorbar.update(xpad=COLOUR_TITLE_PAD_PX)


def _fewer_ticks(axis: go.layout.XAxis) -> None:
    """An axis given its ticks one by one (every year) keeps one in so many, six at most."""
    values = list(axis.tickvals or ())
    if not values:  # a tick every year or month (dtick) on a 470 px column: plotly picks six at most
        if axis.dtick is not None:
            axis.update(tickmode="auto", dtick=None, nticks=6)
        return
    if len(values) <= 6:
        return
    step = -(-len(values) // 6)
    texts = list(axis.ticktext or ())
    axis.update(tickvals=values[::step], ticktext=texts[::step] if texts else None)


def _room_for_values(figure: go.Figure) -> None:
    """Room on the right of horizontal bars for the value written at each one's end (at 18 px, the
    longest bar's value ran off the chart)."""
    bars = [b for b in figure.data if b.type == "bar" and b.orientation == "h" and b.text is not None]
    if not bars or figure.layout.xaxis.type == "log":
        return
    longest = max(max(float(v) for v in b.x) for b in bars)
    widest = max(len(str(text)) for b in bars for text in b.text)
    # About 10 px a character at 18 px type, on a plot of about 300 px in the story's column.
    figure.update_xaxes(range=[0, longest * (1 + min(1.5, 0.04 * widest + 0.1))])


def _larger_note(note: go.layout.Annotation, size: int = TEXT_PX) -> None:
    """A chart's note at `size` px (never smaller than it was), moved off the plot in proportion
    (so it keeps clear of the next), and wrapped to the story's column."""
    size = max(size, int(note.font.size or 0))
    ratio = size / (note.font.size or 14)
    text = str(note.text or "")
    if len(text) > LABEL_CHARS and "<" not in text.replace("<br>", ""):
        text = "<br>".join(textwrap.wrap(text.replace("<br>", " "), LABEL_CHARS))
    note.update(font_size=size, yshift=(note.yshift or 0) * ratio, text=text)
