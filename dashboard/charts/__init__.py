"""Pure functions: small DataFrames in, plotly figures or pydeck decks out. No file is read here.

Every hover carries the citation of the row it describes. Colours: Okabe–Ito for categories,
viridis (perceptually uniform, colour-blind safe, and with no grey in it that could read as "no
data", unlike cividis) for quantities; the countries named by the seeds are marked in black and
white, which no fill uses.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import ParamSpec, TypeVar

import pandas as pd
import plotly.graph_objects as go

from dashboard import colours as meaning

# Served by Streamlit's static file serving from dashboard/static/ (see .streamlit/config.toml).
WORLD_URL = "app/static/world.geojson"
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
TOPOJSON_URL = "app/static/topojson/"
NO_DATA = meaning.NO_DATA
SEQUENTIAL = "viridis"
# Every world map: Natural Earth projection, the whole world once, no base layers (they would need
# plotly's topojson from its CDN), Antarctica's latitudes left out (nobody there is in our data).
WORLD_GEO = dict(
    projection_type="natural earth",
    showframe=False,
    showcoastlines=False,
    showland=False,
    showcountries=False,
    showocean=False,
    showlakes=False,
    showrivers=False,
    bgcolor="rgba(0,0,0,0)",
    lataxis_range=[-57, 84],
)
FONT = dict(size=16)
LEGEND_FONT = dict(size=15)

# Plotly's graph objects are not thread-safe: their properties are built lazily on first read, and
# two threads reading the same figure (or plotly's shared default template) can corrupt it
# (plotly.py#3441). Streamlit runs each session's script in a thread of its own, and the atlas shares
# cached figures between sessions, so every build, copy or read of a plotly object holds this lock.
# The load test (benchmarks/load.py) raised "Invalid property specified for object of type Scatter"
# without it. Holders must not call cached functions (Streamlit's cache has locks of its own).
PLOTLY = threading.RLock()
P = ParamSpec("P")
R = TypeVar("R")


def locked(function: Callable[P, R]) -> Callable[P, R]:
    """`function`, run while holding PLOTLY."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with PLOTLY:
            return function(*args, **kwargs)

    return run


def _layout(fig: go.Figure, height: int = 520) -> go.Figure:
    """Size, type, and the reader's decimal and thousands separators on every axis plotly labels
    by itself ("0,01" and "10 000" in French). Figures are built per language (their builders are
    cached per language), so the language of the run that builds one is the figure's."""
    from dashboard import i18n

    fig.update_layout(
        separators=i18n.plotly_separators(),
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        font=FONT,
        hoverlabel=dict(font_size=15),
        legend=dict(font=LEGEND_FONT),
    )
    fig.update_xaxes(tickfont=dict(size=15), title_font=dict(size=16))
    fig.update_yaxes(tickfont=dict(size=15), title_font=dict(size=16))
    return fig


def _region(
    world: str | dict[str, object], locations: pd.Series, z: object, hover: pd.Series, **style: object
) -> go.Choropleth:
    return go.Choropleth(
        geojson=world,
        locationmode="geojson-id",
        featureidkey="id",
        locations=locations,
        z=z,
        marker_line_width=0.4,
        marker_line_color="#FFFFFF",
        customdata=hover.to_frame(),
        hovertemplate="%{customdata[0]}<extra></extra>",
        **style,
    )


def log_ticks(low: float, high: float) -> list[float]:
    """Round values (1, 2, 5 × 10^k) between `low` and `high` for a log colour scale; decades only
    when there would be more than six."""
    candidates = [m * 10.0**e for e in range(-4, 7) for m in (1, 2, 5)]
    ticks = [v for v in candidates if low <= v <= high]
    if len(ticks) > 6:
        ticks = [v for v in ticks if abs(math.log10(v) - round(math.log10(v))) < 1e-9]
    return ticks


@locked
def choropleth(
    shown: pd.DataFrame,
    world: str | dict[str, object],
    no_data: pd.DataFrame,
    colour_title: str,
    no_data_label: str,
    categories: Sequence[str] | None = None,
    log_scale: bool = False,
    tick_label: Callable[[float], str] = lambda v: f"{v:g}",
) -> go.Figure:
    """A world map in the Natural Earth projection, drawn offline from our own GeoJSON.

    A plotly `geo` map, not a MapLibre one: it draws the world once at any width (MapLibre repeats
    it sideways on a wide screen, and its `bounds` setting broke the map in this plotly.js), keeps
    areas comparable (Mercator doubles Russia and Greenland) and is plain SVG (no WebGL on a
    classroom PC; exportable as SVG). plotly.js fetches a base topojson for `geo` maps even when
    every base layer is off: components.chart points it at TOPOJSON_URL, an empty topology of our
    own (dashboard/static/topojson/world_110m.json), so no request leaves the server.

    `world` is best the address of the GeoJSON on our own server (WORLD_URL): the browser fetches
    it once and caches it, and each rerun sends only the values, not 340 KB of borders.

    `shown`: iso3, value (number, or category when `categories` is given), hover (text).
    `no_data`: iso3, hover — countries drawn grey and said to have no data, never as zero.
    `tick_label` writes the colour bar's ticks in the reader's language.
    """
    fig = go.Figure()
    fig.add_trace(
        _region(
            world,
            no_data["iso3"],
            [0] * len(no_data),
            no_data["hover"],
            colorscale=[[0, NO_DATA], [1, NO_DATA]],
            showscale=False,
            name=no_data_label,
        )
    )
    if categories:
        for index, category in enumerate(categories):
            part = shown[shown["value"] == category]
            colour = OKABE_ITO[index % len(OKABE_ITO)]
            fig.add_trace(
                _region(
                    world,
                    part["iso3"],
                    [1] * len(part),
                    part["hover"],
                    colorscale=[[0, colour], [1, colour]],
                    showscale=False,
                    name=str(category),
                    showlegend=True,
                )
            )
        fig.update_layout(legend=dict(orientation="h", y=-0.02, x=0, title_text=colour_title))
    else:
        values = shown["value"].astype(float)
        colorbar: dict[str, object] = dict(
            title=dict(text=colour_title, side="right"), thickness=18, tickfont=dict(size=15)
        )
        if log_scale:
            # Shares run from 0.002 % to 50 %: a log colour scale keeps the small ones apart.
            ticks = log_ticks(max(values.min(), 1e-3), values.max())
            colorbar.update(tickvals=[math.log10(v) for v in ticks], ticktext=[tick_label(v) for v in ticks])
            values = values.clip(lower=1e-3).map(math.log10)
        fig.add_trace(
            _region(
                world,
                shown["iso3"],
                values,
                shown["hover"],
                colorscale=SEQUENTIAL,
                reversescale=True,
                colorbar=colorbar,
            )
        )
    fig.update_geos(WORLD_GEO)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.01, x=0))
    fig = _layout(fig, 560)
    fig.update_layout(margin=dict(l=0, r=0, t=10, b=10))
    return fig


@locked
def bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    hover: str,
    x_title: str,
    colour: str = OKABE_ITO[0],
    colour_column: str | None = None,
    text: str | None = None,
    labels: str = "axis",
    room: float = 0.0,
) -> go.Figure:
    """Horizontal bars, largest on top; `hover` is a ready text column; `colour_column` (optional)
    holds each bar's own colour; `text` (optional) a label written at each bar's end, so that a bar
    too short to see still says its value. labels="above": each bar's label above it, from the
    left edge, not on the axis (long labels there left the bars a strip of a 1280-pixel chart).
    `room` (e.g. 1.18): the x axis runs to that multiple of the longest bar, so its `text` fits."""
    ordered = frame.sort_values(x)
    fig = go.Figure(
        go.Bar(
            x=ordered[x],
            y=ordered[y],
            orientation="h",
            marker_color=list(ordered[colour_column]) if colour_column else colour,
            text=list(ordered[text]) if text else None,
            textposition="outside",
            cliponaxis=False,
            customdata=ordered[[hover]],
            hovertemplate="%{customdata[0]}<extra></extra>",
        )
    )
    fig.update_layout(xaxis_title=x_title, yaxis_title=None)
    if room and len(ordered):
        # Room after the longest bar for its value ("97.4%" ran off the chart's right edge).
        fig.update_xaxes(range=[0, room * max(float(ordered[x].max()), 0.0) or 1.0])
    if labels == "above":
        thickness = 0.45  # of a row: the label goes on the gap above the bar, never on it
        fig.update_traces(width=thickness)
        _row_labels(fig, ordered, x, y, "above", False, [], clear=thickness / 2)
        return _layout(fig, max(320, 70 * len(ordered) + 90))
    return _layout(fig, max(320, 34 * len(ordered) + 90))


@locked
def sankey(
    nodes: Sequence[str], links: pd.DataFrame, node_colours: Sequence[str], columns: Sequence[int]
) -> go.Figure:
    """`links`: source, target (node indices), value, hover. `columns[i]` is node i's column (0, 1, 2):
    nodes keep the order given, top to bottom in each column, wherever the flows would pull them."""
    inflow = links.groupby("target")["value"].sum()
    outflow = links.groupby("source")["value"].sum()
    sizes = [max(inflow.get(i, 0.0), outflow.get(i, 0.0)) for i in range(len(nodes))]
    xs, ys = [0.0] * len(nodes), [0.0] * len(nodes)
    for column in set(columns):
        members = [i for i in range(len(nodes)) if columns[i] == column]
        total = sum(sizes[i] for i in members) or 1.0
        gap = 0.02
        scale = (1 - gap * (len(members) - 1)) / total
        top = 0.0
        for i in members:
            height = sizes[i] * scale
            ys[i] = min(0.999, max(0.001, top + height / 2))
            xs[i] = {0: 0.001, 1: 0.36, 2: 0.999}[column]  # room for the right column's labels
            top += height + gap
    link_colours = [
        _rgba(node_colours[r.source if columns[r.source] == 0 else r.target], 0.35)
        for r in links.itertuples()
    ]
    fig = go.Figure(
        go.Sankey(
            arrangement="fixed",
            node=dict(
                label=list(nodes),
                color=list(node_colours),
                pad=10,
                thickness=20,
                x=xs,
                y=ys,
                line=dict(color="#FFFFFF", width=0.5),
                hovertemplate="%{label}: %{value:.1f}%<extra></extra>",
            ),
            link=dict(
                source=links["source"],
                target=links["target"],
                value=links["value"],
                customdata=links[["hover"]],
                hovertemplate="%{customdata[0]}<extra></extra>",
                color=link_colours,
            ),
            textfont=dict(size=16, color="#111111"),
        )
    )
    return _layout(fig, 700)


def _rgba(hex_colour: str, alpha: float) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


# Shapes far enough apart to tell at 15 px; a chart with more kinds than shapes is refused rather
# than reusing one (a reused shape would say two different things are the same).
SYMBOLS = [
    "circle",
    "diamond",
    "square",
    "triangle-up",
    "x",
    "star",
    "cross",
    "hexagon",
    "triangle-down",
    "pentagon",
    "hourglass",
    "star-square",
    "bowtie",
    "asterisk",
]


def _error(part: pd.DataFrame, centre: str, low: str | None, high: str | None) -> dict[str, object] | None:
    if not (low and high):
        return None
    return dict(
        type="data",
        symmetric=False,
        array=(part[high] - part[centre]).fillna(0).clip(lower=0),
        arrayminus=(part[centre] - part[low]).fillna(0).clip(lower=0),
        thickness=2.5,
        width=7,
    )


@locked
def dots(
    frame: pd.DataFrame,
    x: str,
    y: str,
    colour: str,
    hover: str,
    x_title: str,
    y_title: str,
    log_x: bool = False,
    log_y: bool = False,
    symbol: str | None = None,
    x_low: str | None = None,
    x_high: str | None = None,
    y_low: str | None = None,
    y_high: str | None = None,
    height: int = 520,
    category_order: Sequence[str] | None = None,
    tick_text: Callable[[float], str] | None = None,
    hollow: str | None = None,
    dodge: float = 0.0,
    labels: str = "axis",
    colours: Mapping[str, str] | None = None,
    label_text: str | None = None,
    colour_legend: bool = True,
    group_symbols: Mapping[str, str] | None = None,
) -> go.Figure:
    """One dot per row (never averaged), coloured by `colour`, shaped by `symbol`; ranges as bars.

    `labels` (a categorical `y`): "axis" writes each row's label on the y axis; "above" writes it
    above its row, from the left edge, and "beside" next to its dot (on the side with more room).
    Long labels on the axis took up to four fifths of a 1280-pixel chart and left the dots a
    strip; above or beside their row they leave the plot the chart's whole width.

    For a range, `x`/`y` holds its low end and `*_low`/`*_high` its ends: the bar spans exactly the
    stated range. `hollow` names a boolean column: those dots are drawn open (forecasts, models).
    Shapes get their own legend entries, in grey, so a reader can decode them. `dodge` (in x units)
    sets the colour groups side by side around their x, so that two groups' dots at one date do not
    hide each other; the hover keeps the true value.

    `colours` gives a colour group the colour of its meaning (dashboard/colours.py); groups it does
    not name take Okabe–Ito hues in turn. `label_text` (a column) is the text of each row's label
    when it is not the row's `y` (which must then only be unique). colour_legend=False: no legend
    entry for the colour groups (each row already says what it is). `group_symbols`: a shape for
    each colour group (a forecast's diamond), when `symbol` is not given.
    """
    fig = go.Figure()
    kinds = list(dict.fromkeys(frame[symbol])) if symbol else []
    if len(kinds) > len(SYMBOLS):
        raise ValueError(f"{len(kinds)} kinds of dot but only {len(SYMBOLS)} distinct shapes")
    shapes = {v: SYMBOLS[i] for i, v in enumerate(kinds)}
    groups = frame[colour].nunique()
    for index, (key, part) in enumerate(frame.groupby(colour, sort=False)):
        if dodge:
            part = part.assign(**{x: part[x] + (index - (groups - 1) / 2) * dodge})
        colour_hex = (colours or {}).get(str(key), OKABE_ITO[index % len(OKABE_ITO)])
        own_shape = (group_symbols or {}).get(str(key), "circle")
        marker_symbols = part[symbol].map(shapes) if symbol else pd.Series(own_shape, index=part.index)
        if hollow:
            marker_symbols = marker_symbols.where(~part[hollow].astype(bool), marker_symbols + "-open")
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[y],
                mode="markers",
                name=str(key),
                legendgroup=str(key),
                showlegend=not symbol and colour_legend,
                marker=dict(
                    size=15,
                    color=colour_hex,
                    symbol=list(marker_symbols),
                    line=dict(width=1.5, color=colour_hex),
                ),
                customdata=part[[hover]],
                hovertemplate="%{customdata[0]}<extra></extra>",
                error_x=_error(part, x, x_low, x_high),
                error_y=_error(part, y, y_low, y_high),
            )
        )
    if symbol and colour_legend:
        for index, key in enumerate(dict.fromkeys(frame[colour])):
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=str(key),
                    legendgroup=str(key),
                    marker=dict(
                        size=13,
                        color=(colours or {}).get(str(key), OKABE_ITO[index % len(OKABE_ITO)]),
                        symbol="circle",
                    ),
                    hoverinfo="skip",
                )
            )
    for value, shape in shapes.items():
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=str(value),
                legendgroup="shape",
                marker=dict(size=13, color="#666666", symbol=shape),
                showlegend=True,
                hoverinfo="skip",
            )
        )
    fig.update_layout(
        xaxis_title=x_title, yaxis_title=y_title, legend=dict(orientation="h", yanchor="top", y=-0.16, x=0)
    )
    if category_order is not None:
        fig.update_yaxes(categoryorder="array", categoryarray=list(category_order))
    if labels != "axis":
        _row_labels(fig, frame, x, y, labels, log_x, [x_low, x_high], text=label_text)
    for axis, is_log, column in (("x", log_x, x), ("y", log_y, y)):
        if not is_log:
            continue
        update = fig.update_xaxes if axis == "x" else fig.update_yaxes
        update(type="log")
        if tick_text is not None:
            values = pd.concat(
                [
                    frame[c]
                    for c in (column, x_low if axis == "x" else y_low, x_high if axis == "x" else y_high)
                    if c
                ]
            ).dropna()
            values = values[values > 0]
            if len(values):
                decades = range(math.floor(math.log10(values.min())), math.ceil(math.log10(values.max())) + 1)
                ticks = [10.0**d for d in decades]
                # Within less than a decade or two (pay by occupation: 5 to 40 dollars), 1-2-5 steps:
                # one lone "$10" could not be read as a scale.
                inside = [v for v in ticks if values.min() <= v <= values.max()]
                if len(inside) < 2:
                    ticks = log_ticks(float(values.min()) * 0.8, float(values.max()) * 1.25)
                update(tickvals=ticks, ticktext=[tick_text(v) for v in ticks])
    return _layout(fig, height)


def _row_labels(
    fig: go.Figure,
    frame: pd.DataFrame,
    x: str,
    y: str,
    where: str,
    log_x: bool,
    ends: list[str | None],
    clear: float = 0.0,
    text: str | None = None,
) -> None:
    """Each row's label above its row (from the plot's left edge) or beside its dot, instead of on
    the y axis. `clear`: how far above its row's centre a label starts, in rows (half a bar's
    thickness: pixels would not follow the bar when a projected chart grows); 0 for dots, whose
    labels sit a few pixels above them. Rows are in `frame`'s order, bottom up. `text`: the column
    holding each row's words, when they are not its `y`."""
    fig.update_yaxes(showticklabels=False)
    words = dict(zip(frame[y], frame[text], strict=True)) if text else {}
    if where == "above":
        for index, label in enumerate(dict.fromkeys(frame[y])):
            fig.add_annotation(
                x=0,
                xref="x domain",
                xanchor="left",
                y=index + clear if clear else label,  # a category axis places rows at 0, 1, 2…
                yref="y",
                yanchor="bottom",
                yshift=3 if clear else 9,
                text=str(words.get(label, label)),
                showarrow=False,
                align="left",
                font=dict(size=15),
            )
        return
    # Beside: to the right of a dot in the left half of the axis, to the left of one in the right.
    values = pd.concat([frame[c] for c in (x, *ends) if c]).dropna()
    scale = math.log10 if log_x else float
    values = values[values > 0] if log_x else values
    low, high = scale(float(values.min())), scale(float(values.max()))
    middle = (low + high) / 2
    for row in frame.itertuples():
        value = getattr(row, x)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        right = scale(float(value)) <= middle
        fig.add_annotation(
            x=scale(float(value)),  # plotly places annotations on a log axis by the log
            xref="x",
            xanchor="left" if right else "right",
            xshift=12 if right else -12,
            y=getattr(row, y),
            yref="y",
            text=str(words.get(getattr(row, y), getattr(row, y))),
            showarrow=False,
            font=dict(size=14),
        )


@locked
def small_multiples(
    frame: pd.DataFrame,
    x: str,
    y: str,
    panel: str,
    hover: str,
    y_title: str,
    columns: int = 4,
    series: str | None = None,
    segment: str | None = None,
    log_y: bool = False,
    tick_text: Callable[[float], str] | None = None,
    colours: Mapping[str, str] | None = None,
) -> go.Figure:
    """One small line chart per value of `panel` (in the frame's order), all on one y scale, so the
    panels compare at a glance; a panel's title is its value.

    `series` (optional) draws one line per value in each panel, coloured alike across panels and
    named once in the legend. `segment` (optional) breaks a line where its value changes: a series
    break is drawn as a gap, never as a jump. `colours`: a series' colour by its meaning
    (dashboard/colours.py), whatever order the series come in.
    """
    from plotly.subplots import make_subplots

    names = list(dict.fromkeys(frame[panel]))
    rows = math.ceil(len(names) / columns)
    fig = make_subplots(
        rows=rows,
        cols=columns,
        shared_xaxes=True,
        subplot_titles=names,
        vertical_spacing=min(0.12, 0.4 / rows),
        horizontal_spacing=0.04,
    )
    kinds = list(dict.fromkeys(frame[series])) if series else [None]
    for index, label in enumerate(names):
        for number, kind in enumerate(kinds):
            part = frame[(frame[panel] == label) & ((frame[series] == kind) if series else True)]
            if segment:
                pieces = [g for _, g in part.groupby(segment, sort=False)]
                gap = pd.DataFrame({c: [None] for c in part.columns})
                part = (
                    pd.concat([p for g in pieces for p in (g, gap)][:-1], ignore_index=True)
                    if pieces
                    else part
                )
            fig.add_trace(
                go.Scatter(
                    x=part[x],
                    y=part[y],
                    mode="lines+markers",
                    connectgaps=False,
                    name=str(kind) if kind is not None else "",
                    legendgroup=str(kind),
                    line=dict(
                        color=(colours or {}).get(str(kind), OKABE_ITO[number % len(OKABE_ITO)]), width=3
                    ),
                    marker=dict(size=7),
                    customdata=part[[hover]],
                    hovertemplate="%{customdata[0]}<extra></extra>",
                    showlegend=series is not None and index == 0,
                ),
                row=index // columns + 1,
                col=index % columns + 1,
            )
    # One scale for every panel: a small country's line is not blown up to fill its panel.
    fig.update_yaxes(matches="y", type="log" if log_y else "linear")
    if not log_y:
        fig.update_yaxes(rangemode="tozero")
    if log_y and tick_text is not None:
        values = frame[y].dropna()
        values = values[values > 0]
        if len(values):
            ticks = log_ticks(float(values.min()), float(values.max()))
            fig.update_yaxes(tickvals=ticks, ticktext=[tick_text(v) for v in ticks])
    # A tick every two years over a short span; every five over a long one (2008-2025 in ten
    # labels turned them on their side in a quarter of a slide's width).
    years = pd.to_numeric(frame[x], errors="coerce").dropna()
    long_span = len(years) > 0 and years.max() - years.min() > 10
    # Level labels a panel wide: every ten years from 2010 over a long span, every four from 2014
    # over a short one (labels plotly turned on their side at 1280 pixels had their boxes overlap).
    fig.update_xaxes(
        dtick=10 if long_span else 4, tick0=2010 if long_span else 2014, tickformat="d", tickangle=0
    )
    fig.update_yaxes(title_text=y_title, col=1, row=(rows + 1) // 2)  # once, beside the middle row
    # One scale for all: its labels once per row, not in the gap beside every panel.
    for column in range(2, columns + 1):
        fig.update_yaxes(showticklabels=False, col=column)
    height = 220 * rows + 150
    fig = _layout(fig, height)
    # The legend in the top margin, above the first row's panel titles, never on them.
    fig.update_layout(
        margin=dict(t=90),
        legend=dict(orientation="h", yanchor="bottom", y=1 + 45 / (height - 100), x=0),
    )
    fig.update_annotations(font_size=16)
    return fig


@locked
def index_with_claims(
    line: pd.DataFrame,
    x: str,
    y: str,
    hover: str,
    name: str,
    claims: Sequence[dict[str, object]],
    y_title: str,
    x_range: tuple[str, str],
    span: tuple[str, str] | None = None,
    dashes: Sequence[str] = ("dash", "dot", "dashdot", "longdash", "longdashdot"),
) -> go.Figure:
    """A measured monthly line (solid) and claims about it (dashed, each from its base date), on a
    date axis; `span` shades the stretch the reader measures growth over.

    `claims`: dicts with name, dates, values, hover (a ready text). Every claim in the claims'
    colour, told apart by its dash; the measured line in the measured colour."""
    fig = go.Figure()
    if span is not None:
        fig.add_vrect(x0=span[0], x1=span[1], fillcolor="#BBBBBB", opacity=0.25, line_width=0)
    for index, claim in enumerate(claims):
        dates = list(claim["dates"])  # type: ignore[call-overload]
        fig.add_trace(
            go.Scatter(
                x=dates,
                y=claim["values"],
                mode="lines",
                name=str(claim["name"]),
                line=dict(color=meaning.CLAIM, dash=dashes[index % len(dashes)], width=3),
                # One text for the whole line, not a copy per month (0.17 MB of the Projections
                # page's first message was the same three sentences repeated).
                # (plotly does not give a single hovertext to %{hovertext}: the text is the
                # template itself, any "%{" in it kept from being read as a field.)
                hovertemplate=str(claim["hover"]).replace("%{", "%\u200b{") + "<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=line[x],
            y=line[y],
            mode="lines",
            name=name,
            line=dict(color=meaning.MEASURED, width=3.5),
            customdata=line[[hover]],
            hovertemplate="%{customdata[0]}<extra></extra>",
        )
    )
    fig.update_xaxes(type="date", range=list(x_range), dtick="M12", tickformat="%Y")
    values = [float(v) for c in claims for v in c["values"]] + list(line[y])  # type: ignore[attr-defined]
    ticks = log_ticks(min(values), max(values))
    fig.update_yaxes(title_text=y_title, type="log", tickvals=ticks, ticktext=[f"{v:g}" for v in ticks])
    fig = _layout(fig, 600)
    fig.update_layout(legend=dict(orientation="v", yanchor="top", y=-0.12, x=0), margin=dict(b=10))
    return fig


def _with_gaps(part: pd.DataFrame, x: str, gaps: Sequence[str]) -> pd.DataFrame:
    """`part` with an empty row at each missing date, so that its line stops there."""
    if not gaps:
        return part
    blank = pd.DataFrame({c: [None] * len(gaps) for c in part.columns}).assign(**{x: list(gaps)})
    return pd.concat([part, blank], ignore_index=True).sort_values(x, kind="stable")


@locked
def shares_with_counts(
    rows: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    hover: str,
    counts: pd.DataFrame,
    count: str,
    y_title: str,
    count_title: str,
    gaps: Sequence[str] = (),
    gap_label: str = "",
    note: str = "",
    colours: Mapping[str, str] | None = None,
) -> go.Figure:
    """Shares over time, one line per `group`, with a band for each point's sampling spread
    (`low`, `high`) and open markers where `thin` is true; under them, the number of responses
    behind each date. A missing date stops every line (a gap, not a line across it). `colours`: a
    group's colour by its meaning (dashboard/colours.py). `note` may hold <br> line breaks."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.74, 0.26], vertical_spacing=0.05)
    for index, (label, part) in enumerate(rows.groupby(group, sort=False)):
        colour = (colours or {}).get(str(label), OKABE_ITO[index % len(OKABE_ITO)])
        part = _with_gaps(part.sort_values(x), x, gaps)
        # One band per stretch between gaps: a band's outline may not run across a pause.
        stretch = part[y].isna().cumsum()
        for _key, piece in part[part[y].notna()].groupby(stretch[part[y].notna()]):
            fig.add_trace(
                go.Scatter(
                    x=list(piece[x]) + list(piece[x])[::-1],
                    y=list(piece["high"]) + list(piece["low"])[::-1],
                    fill="toself",
                    fillcolor=_rgba(colour, 0.18),
                    line=dict(width=0),
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=str(label),
                ),
                row=1,
                col=1,
            )
        thin = part["thin"].fillna(False).astype(bool)
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[y],
                mode="lines+markers",
                name=str(label),
                legendgroup=str(label),
                connectgaps=False,
                line=dict(color=colour, width=3),
                marker=dict(
                    size=[9 if v else 6 for v in thin],
                    color=["#FFFFFF" if v else colour for v in thin],
                    line=dict(color=colour, width=2),
                ),
                customdata=part[[hover]],
                hovertemplate="%{customdata[0]}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    bars = _with_gaps(counts.sort_values(x), x, gaps)
    fig.add_trace(
        go.Bar(
            x=bars[x],
            y=bars[count],
            marker_color="#777777",
            name=count_title,
            showlegend=False,
            hovertemplate="%{x|%Y-%m}: %{y}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    for gap in gaps:
        fig.add_vline(x=gap, line_dash="dot", line_color="#444444", line_width=2)
    if gaps and gap_label:
        fig.add_annotation(
            x=gaps[0],
            y=1.0,
            yref="paper",
            text=gap_label,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font=dict(size=14),
        )
    if note:
        fig.add_annotation(
            x=0,
            y=1.0,
            xref="paper",
            yref="paper",
            text=note,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            yshift=22,
            font=dict(size=14),
            align="left",
        )
    fig.update_yaxes(title_text=y_title, range=[0, 100], row=1, col=1)
    fig.update_yaxes(title_text=count_title, row=2, col=1)
    fig.update_xaxes(type="date", dtick="M12", tickformat="%Y")
    fig = _layout(fig, 640)
    fig.update_layout(margin=dict(t=80), legend=dict(orientation="h", yanchor="top", y=-0.08, x=0))
    return fig


@locked
def day_lines(
    rows: pd.DataFrame,
    x: str,
    y: str,
    line: str,
    hover: str,
    order: Sequence[str],
    y_title: str,
    x_title: str,
    night: tuple[int, int] | None = None,
    night_label: str = "",
) -> go.Figure:
    """One line per `line` over the 24 hours of a day (x from 0 to 24), in the order given; the
    night (`night` = (from, to) hours) shaded when the hours are the reader's own."""
    fig = go.Figure()
    if night is not None:
        start, end = night
        for x0, x1 in ((start, 24), (0, end)):
            fig.add_vrect(x0=x0, x1=x1, fillcolor="#2B2D42", opacity=0.12, line_width=0)
        # Named inside the early-morning band, at its top (where the lines are low at night): above
        # the plot it met the legend once that wrapped on two rows at 1280 pixels.
        fig.add_annotation(
            x=end / 2,
            y=1.0,
            yref="paper",
            text=night_label,
            showarrow=False,
            yanchor="top",
            yshift=-4,
            font=dict(size=14),
        )
    for index, label in enumerate(order):
        part = rows[rows[line] == label].sort_values(x)
        # The day wraps around: the first hour is drawn again at 24 so the line closes the day.
        part = pd.concat([part, part.head(1).assign(**{x: part[x].head(1) + 24})]) if len(part) else part
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[y],
                mode="lines",
                name=str(label),
                line=dict(color=OKABE_ITO[index % len(OKABE_ITO)], width=3.5),
                customdata=part[[hover]],
                hovertemplate="%{customdata[0]}<extra></extra>",
            )
        )
    fig.update_xaxes(
        title_text=x_title,
        range=[0, 24],
        tickvals=list(range(0, 25, 3)),
        ticktext=[f"{h:02d}:00" for h in range(0, 25, 3)],
    )
    fig.update_yaxes(title_text=y_title, rangemode="tozero")
    fig = _layout(fig, 540)
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), margin=dict(t=70))
    return fig


def largest_over_months(rows: pd.DataFrame, count: int) -> list[str]:
    """The `count` places (`iso3`) a monthly_shares chart draws: the largest mean `share_percent`
    over every month of `rows`, a month without the place counting as 0 (ours)."""
    means = rows.groupby("iso3")["share_percent"].sum() / rows["month"].nunique()
    return list(means.nlargest(count).index)


def monthly_shares(
    rows: pd.DataFrame,
    order: Sequence[str],
    y_title: str,
    yearly: pd.DataFrame | None = None,
    monthly_label: str = "",
    yearly_label: str = "",
) -> go.Figure:
    """One line per country (`rows`: country, date, share, hover) in the order given, month by
    month; with `yearly` (country, date, share, hover), each country's yearly shares of another
    source as open markers in its colour, the two kinds named in the legend by `monthly_label` and
    `yearly_label` (a grey key line and a grey open marker: colour says the country)."""
    fig = go.Figure()
    for index, country in enumerate(order):
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        part = rows[rows["country"] == country].sort_values("date")
        fig.add_trace(
            go.Scatter(
                x=part["date"],
                y=part["share"],
                mode="lines+markers",  # a month alone (between gaps) still shows
                name=str(country),
                legendgroup=str(country),
                line=dict(color=colour, width=3),
                marker=dict(color=colour, size=5),
                customdata=part[["hover"]],
                hovertemplate="%{customdata[0]}<extra></extra>",
            )
        )
        if yearly is not None:
            dots = yearly[yearly["country"] == country].sort_values("date")
            fig.add_trace(
                go.Scatter(
                    x=dots["date"],
                    y=dots["share"],
                    mode="markers",
                    name=str(country),
                    legendgroup=str(country),
                    showlegend=False,
                    marker=dict(color="white", size=10, line=dict(color=colour, width=2.5)),
                    customdata=dots[["hover"]],
                    hovertemplate="%{customdata[0]}<extra></extra>",
                )
            )
    if yearly is not None:  # the key: which mark is which source (grey, since colour is the country)
        for label, kind in ((monthly_label, "lines"), (yearly_label, "markers")):
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode=kind,
                    name=label,
                    line=dict(color="#555555", width=3),
                    marker=dict(color="white", size=10, line=dict(color="#555555", width=2.5)),
                    hoverinfo="skip",
                )
            )
    highest = max(
        [float(rows["share"].max() or 0)]
        + ([float(yearly["share"].max() or 0)] if yearly is not None else [])
    )
    fig.update_yaxes(title_text=y_title, range=[0, highest * 1.08 or 1], ticksuffix=" %")
    fig = _layout(fig, 520)
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), margin=dict(t=90))
    return fig


def line_trace(line: pd.DataFrame, name: str) -> dict[str, object]:
    """A dashed model line (ours), drawn unlike the data points: the trace as plotly.js reads it.
    Its hover writes each value in the reader's compact form ("150 M", "1,2 Md"), which plotly's
    SI format ("150M", "1.2G") cannot."""
    from dashboard import i18n

    return {
        "type": "scatter",
        "x": [str(x) for x in line["year"]],
        "y": [float(y) for y in line["value"]],
        "text": [
            f"{str(x)[:4]}: {i18n.compact(float(y))}"
            for x, y in zip(line["year"], line["value"], strict=True)
        ],
        "mode": "lines",
        "name": name,
        "line": {"color": meaning.MODEL, "dash": "dash", "width": 3},
        "hovertemplate": f"{name}<br>%{{text}}<extra></extra>",
    }


@locked
def add_line(fig: go.Figure, line: pd.DataFrame, name: str) -> go.Figure:
    """line_trace() added to `fig`."""
    fig.add_trace(go.Scatter(line_trace(line, name)))
    return fig


@locked
def diverging_bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    hover: str,
    colours: Sequence[str],
    x_title: str,
    text: Sequence[str],
    legend: Sequence[tuple[str, str]],
) -> go.Figure:
    """Horizontal bars either side of zero (a change: gains right, losses left), each row's label
    above its bar, its value at its end; rows in `frame`'s order, bottom up. `legend`: (words,
    colour) of each colour, shown as legend entries since the colours carry meaning."""
    thickness = 0.45
    fig = go.Figure(
        go.Bar(
            x=frame[x],
            y=frame[y],
            orientation="h",
            marker_color=list(colours),
            text=list(text),
            textposition="outside",
            cliponaxis=False,
            width=thickness,
            customdata=frame[[hover]],
            hovertemplate="%{customdata[0]}<extra></extra>",
            showlegend=False,
        )
    )
    for label, colour in legend:
        fig.add_trace(go.Bar(x=[None], y=[None], marker_color=colour, name=label, orientation="h"))
    widest = float(frame[x].abs().max()) if len(frame) else 1.0
    fig.update_xaxes(
        range=[-1.35 * widest, 1.35 * widest], zeroline=True, zerolinewidth=2, zerolinecolor="#555555"
    )
    fig.update_layout(xaxis_title=x_title, yaxis_title=None, barmode="overlay")
    _row_labels(fig, frame, x, y, "above", False, [], clear=thickness / 2)
    fig = _layout(fig, max(360, 64 * len(frame) + 130))
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0))
    return fig


# An estimate of a label's size at 14 px (DejaVu Sans, the system font of the classroom PCs we
# tried): generous, so that two labels estimated apart are apart on screen.
LABEL_CHAR_PX = 8.2
LABEL_LINE_PX = 18.0


def _box(cx: float, cy: float, lines: Sequence[str]) -> tuple[float, float, float, float]:
    width = max(len(line) for line in lines) * LABEL_CHAR_PX + 8
    height = len(lines) * LABEL_LINE_PX + 4
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(
    points: Sequence[tuple[float, float, Sequence[str]]],
    width: float,
    height: float,
    obstacles: Sequence[tuple[float, float, float, float]] = (),
) -> list[tuple[float, float]]:
    """Where to put each point's label (its centre's offset from the point, in pixels) so that no
    label covers another, a mark in `obstacles` or another point, and all stay inside the plot.

    `points`: (x, y, lines) in pixels from the plot's top left corner, for the narrowest plot the
    chart is drawn at: wider, the points move apart and the labels, pinned to them, stay apart.
    Beside the point first, then further up or down (a leader line says whose label it is); a label
    that finds no free place goes where it covers least."""
    taken: list[tuple[float, float, float, float]] = list(obstacles)
    taken += [(x - 10, y - 10, x + 10, y + 10) for x, y, _ in points]
    placed: list[tuple[float, float]] = [(0.0, 0.0)] * len(points)
    # The most crowded first: the points with the most neighbours within a label's width.
    order = sorted(
        range(len(points)),
        key=lambda i: -sum(abs(points[i][0] - p[0]) < 200 and abs(points[i][1] - p[1]) < 60 for p in points),
    )
    for i in order:
        x, y, lines = points[i]
        half = _box(0, 0, lines)[2]
        sides = (1, -1) if x + 16 + 2 * half <= width else (-1, 1)
        steps = [0.0] + [sign * step for step in range(22, int(height), 22) for sign in (-1, 1)]
        candidates = [(side * (16 + half), dy) for dy in steps for side in sides]
        best, fewest = candidates[0], math.inf
        for dx, dy in candidates:
            box = _box(x + dx, y + dy, lines)
            if box[0] < 0 or box[2] > width or box[1] < 0 or box[3] > height:
                continue
            hits = sum(_overlaps(box, other) for other in taken)
            if hits < fewest:
                best, fewest = (dx, dy), hits
            if hits == 0:
                break
        placed[i] = best
        taken.append(_box(x + best[0], y + best[1], lines))
    return placed


@locked
def label_points(
    fig: go.Figure,
    frame: pd.DataFrame,
    x: str,
    y: str,
    text: str,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    plot_px: tuple[float, float],
    x_position: Callable[[object], float] = lambda value: float(value),  # type: ignore[arg-type]
    bars: tuple[str, str] | None = None,
    y_log: bool = True,
    avoid: Sequence[tuple[float, float]] = (),
) -> go.Figure:
    """Each row's `text` (lines joined by <br>) written beside its dot, with a thin leader line
    where it had to move (place_labels). The axes are fixed to `x_range`, `y_range` (log10 units on
    a log axis) so that the placement computed here is the one drawn; `plot_px` is the plot's
    width and height at the narrowest size the chart is shown (1280-pixel screens); `x_position`
    turns an `x` value into a number on the axis (a date into a fractional year); `bars`: the
    columns of each row's vertical range (an obstacle too); `avoid`: more places (x as a number,
    y as a value) no label may cover, such as a line's points."""
    scale = math.log10 if y_log else float
    width, height = plot_px

    def px(row: object) -> tuple[float, float]:
        xv = x_position(getattr(row, x))
        yv = scale(float(getattr(row, y)))
        return (
            (xv - x_range[0]) / (x_range[1] - x_range[0]) * width,
            (y_range[1] - yv) / (y_range[1] - y_range[0]) * height,
        )

    rows = list(frame.itertuples())
    points = [(*px(r), str(getattr(r, text)).split("<br>")) for r in rows]
    obstacles = []
    if bars:
        for r, (px_x, _py, _lines) in zip(rows, points, strict=True):
            low, high = getattr(r, bars[0]), getattr(r, bars[1])
            if pd.notna(low) and pd.notna(high) and float(low) > 0:
                top = (y_range[1] - scale(float(high))) / (y_range[1] - y_range[0]) * height
                bottom = (y_range[1] - scale(float(low))) / (y_range[1] - y_range[0]) * height
                obstacles.append((px_x - 8, top - 4, px_x + 8, bottom + 4))
    for ax_x, ax_y in avoid:
        spot_x = (ax_x - x_range[0]) / (x_range[1] - x_range[0]) * width
        spot_y = (y_range[1] - scale(ax_y)) / (y_range[1] - y_range[0]) * height
        obstacles.append((spot_x - 6, spot_y - 6, spot_x + 6, spot_y + 6))
    for r, (dx, dy) in zip(rows, place_labels(points, width, height, obstacles), strict=True):
        fig.add_annotation(
            x=getattr(r, x),
            y=scale(float(getattr(r, y))),
            xref="x",
            yref="y",
            text=str(getattr(r, text)),
            showarrow=True,
            arrowhead=0,
            arrowwidth=1,
            arrowcolor="#777777",
            standoff=9,
            ax=dx,
            ay=dy,
            axref="pixel",
            ayref="pixel",
            align="left",
            font=dict(size=14),
        )
    return fig
