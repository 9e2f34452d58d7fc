"""The flow map: places as circles, flows as curved arrows, drawn with deck.gl (the app) or plotly
(the classroom pack, which carries one chart library). Pure functions: frames in, a chart out.

How it is drawn follows what was shown to read best (Jenny et al. 2018, "Design principles for
origin-destination flow maps", *CaGIS* 45(1), a user study of 215 people) and what flowmap.gl does:
- direction by an arrowhead at the worker's end (better than tapering);
- curved flows, the longer ones curved more, always bent to the left of their direction, so that
  A → B and B → A lie side by side instead of on each other;
- width proportional to the flow on one locked scale (the caller's), the largest drawn last, on top,
  each over a thin white outline so that crossings stay readable;
- each place as two circles on a square-root scale: filled for the work its workers did, a ring for
  the work its employers bought, so that one sees at once who buys and who works. Work inside a
  place counts in its circles, never as a flow to itself.

`flows` columns: path (list of [lon, lat]), angle (the arrowhead's, degrees counter-clockwise from
east on the Web Mercator screen), width (px), colour ([r, g, b, a]), hover (plain text), drawn in
their order (largest last). `places` columns: id, lon, lat, radius_in, radius_out (px), hover.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import WORLD_GEO, _layout, locked

# A white arrowhead pointing east, its tip at the right edge: deck.gl tints it with each flow's
# colour (mask) and turns it to the flow's direction. Served by the app itself (dashboard/static/),
# never inline: deck.gl fetches an icon, and a data: address would need the proxy's Content Security
# Policy to allow fetching data: (connect-src), which it does not.
ARROW_URL = "app/static/arrow.svg"
ARROW_ICON = {
    "url": ARROW_URL,
    "width": 64,
    "height": 64,
    "anchorX": 60,  # the tip, a little inside the edge so that it sits on the worker's point
    "anchorY": 32,
    "mask": True,
}
IN_RGBA = [40, 40, 40, 110]  # filled: work done by the place's workers
OUT_RGB = [30, 30, 30]  # ring: work bought by the place's employers
FOCUS_RGB = [204, 0, 102]  # the place the reader chose (a colour no flow or circle uses)
BEND = 0.22  # the control point's offset, as a fraction of the chord: longer flows bend more
MAX_LAT = 80.0


def curve(
    from_lon: float, from_lat: float, to_lon: float, to_lat: float, points: int = 24
) -> list[list[float]]:
    """A quadratic Bézier from one place to another in longitude/latitude, bent to the left of its
    direction by BEND of its length. It stays on the one world drawn (no wrap across the date line,
    which the map does not repeat) and within the map's latitudes, so no flow loops round the globe."""
    d_lon, d_lat = to_lon - from_lon, to_lat - from_lat
    ctrl_lon = (from_lon + to_lon) / 2 - BEND * d_lat
    ctrl_lat = max(-MAX_LAT, min(MAX_LAT, (from_lat + to_lat) / 2 + BEND * d_lon))
    path = []
    for i in range(points + 1):
        f = i / points
        lon = (1 - f) ** 2 * from_lon + 2 * (1 - f) * f * ctrl_lon + f**2 * to_lon
        lat = (1 - f) ** 2 * from_lat + 2 * (1 - f) * f * ctrl_lat + f**2 * to_lat
        path.append([round(lon, 4), round(lat, 4)])
    return path


def _mercator_y(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(max(-85.0, min(85.0, lat))) / 2)))


def shortened(path: list[list[float]], pixels: float, zoom: float) -> list[list[float]]:
    """`path` with its end pulled back by `pixels` on a Web Mercator screen at `zoom`, so that an
    arrowhead stops at the edge of the circle it points into instead of under it (as flowmap.gl
    does). Measured at the first view's zoom: zoomed in, the gap grows a little."""
    if pixels <= 0 or len(path) < 3:
        return path
    scale = 512 * 2**zoom / 360  # px per degree of longitude (and of Mercator y)

    def screen(point: Sequence[float]) -> tuple[float, float]:
        return point[0] * scale, _mercator_y(point[1]) * scale

    end_x, end_y = screen(path[-1])
    for index in range(len(path) - 2, 0, -1):
        x, y = screen(path[index])
        distance = math.hypot(x - end_x, y - end_y)
        if distance >= pixels:
            next_x, next_y = screen(path[index + 1])
            step = math.hypot(x - next_x, y - next_y)
            beyond = math.hypot(next_x - end_x, next_y - end_y)
            f = (pixels - beyond) / step if step else 0.0
            lon = path[index + 1][0] + f * (path[index][0] - path[index + 1][0])
            lat = path[index + 1][1] + f * (path[index][1] - path[index + 1][1])
            return [*path[: index + 1], [round(lon, 4), round(lat, 4)]]
    return path[:2]


def end_angle(path: Sequence[Sequence[float]]) -> float:
    """The direction of a path's last step on a Web Mercator screen, in degrees counter-clockwise
    from east (deck.gl's IconLayer angle)."""
    (lon_a, lat_a), (lon_b, lat_b) = path[-2], path[-1]
    return math.degrees(math.atan2(_mercator_y(lat_b) - _mercator_y(lat_a), lon_b - lon_a))


def fit_view(
    lons: Sequence[float], lats: Sequence[float], width: int = 760, height: int = 560
) -> dict[str, float]:
    """The centre and zoom that show every point in a map `width` × `height` px (Web Mercator,
    512 px world at zoom 0, as deck.gl draws it). The default size is the map's at 1280×720 with the
    sidebar open, the narrowest it is projected: at 1920×1080 the same view shows more around it."""
    if not lons:
        return {"longitude": 20.0, "latitude": 20.0, "zoom": 0.6}
    west, east = min(lons), max(lons)
    south_y, north_y = _mercator_y(min(lats)), _mercator_y(max(lats))
    span_x = max(east - west, 4.0) * 1.12 / 360
    span_y = max(north_y - south_y, 4.0) * 1.12 / 360
    zoom = math.log2(min(width / (512 * span_x), height / (512 * span_y)))
    centre_y = (north_y + south_y) / 2
    latitude = math.degrees(2 * math.atan(math.exp(math.radians(centre_y))) - math.pi / 2)
    return {"longitude": (west + east) / 2, "latitude": latitude, "zoom": max(0.0, min(zoom, 6.0))}


class FrozenDeck:
    """A pydeck Deck serialised once. st.pydeck_chart asks its argument for to_json() (and its
    tooltip) on every rerun; a shared deck never changes, so its JSON is made once instead of on each
    run (15-20 ms for the flow map). Duck-typed: Streamlit reads `to_json()`, `_tooltip`,
    `mapbox_key` and `layers` (which it would convert for pandas 3; here there is nothing left to)."""

    def __init__(self, deck: object) -> None:
        self._json: str = deck.to_json()  # type: ignore[attr-defined]
        self._tooltip = getattr(deck, "_tooltip", None)
        self.mapbox_key = None
        self.layers: list[object] = []
        self.deck_widget = None

    def to_json(self) -> str:
        return self._json


def flow_deck(
    world: str | dict[str, object],
    flows: pd.DataFrame,
    places: pd.DataFrame,
    focus: str = "",
    view: dict[str, float] | None = None,
) -> FrozenDeck:
    """The flow map over a grey world, with no basemap and so no request (map_provider=None).
    Every layer has an id; places and flows can be picked (hover, and clicking a place)."""
    import pydeck as pdk

    chosen = places[places["id"] == focus] if focus else places.iloc[0:0]
    records = flows.to_dict("records")
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            data=world,
            id="world",
            stroked=True,
            filled=True,
            get_fill_color=[226, 226, 226],
            get_line_color=[255, 255, 255],
            line_width_min_pixels=0.5,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            data=places.loc[places["radius_in"] > 0, ["lon", "lat", "radius_in"]].to_dict("records"),
            id="places-in",
            filled=True,
            stroked=False,
            radius_units="pixels",
            get_position=["lon", "lat"],
            get_radius="radius_in",
            get_fill_color=IN_RGBA,
        ),
        pdk.Layer(
            "PathLayer",
            data=[{"path": r["path"], "width": r["width"]} for r in records],
            id="flows-outline",
            width_units="pixels",
            get_path="path",
            get_width="width + 2",
            get_color=[255, 255, 255, 230],
            cap_rounded=True,
        ),
        pdk.Layer(
            "PathLayer",
            data=[{k: r[k] for k in ("path", "width", "colour", "hover")} for r in records],
            id="flows",
            pickable=True,
            width_units="pixels",
            get_path="path",
            get_width="width",
            get_color="colour",
            cap_rounded=True,
        ),
        pdk.Layer(
            "IconLayer",
            data=[
                {
                    "position": r["path"][-1],
                    "angle": r["angle"],
                    "size": r["arrow"],
                    "colour": r["colour"],
                    "icon": ARROW_ICON,
                }
                for r in records
            ],
            id="arrowheads",
            get_icon="icon",
            get_position="position",
            get_angle="angle",
            get_size="size",
            size_units="pixels",
            get_color="colour",
            billboard=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            data=places.loc[places["radius_out"] > 0, ["lon", "lat", "radius_out"]].to_dict("records"),
            id="places-out",
            filled=False,
            stroked=True,
            radius_units="pixels",
            line_width_units="pixels",
            get_position=["lon", "lat"],
            get_radius="radius_out",
            get_line_color=[*OUT_RGB, 230],
            get_line_width=1.6,
        ),
        # What a reader hovers and clicks: a circle as large as the place's larger one (at least
        # 7 px, so that a small place can be clicked), almost transparent.
        pdk.Layer(
            "ScatterplotLayer",
            data=places[["id", "lon", "lat", "radius_hit", "hover"]].to_dict("records"),
            id="places",
            pickable=True,
            auto_highlight=True,
            highlight_color=[*FOCUS_RGB, 90],
            filled=True,
            stroked=False,
            radius_units="pixels",
            get_position=["lon", "lat"],
            get_radius="radius_hit",
            get_fill_color=[255, 255, 255, 1],
        ),
        pdk.Layer(
            "ScatterplotLayer",
            data=chosen[["lon", "lat", "radius_hit"]].to_dict("records"),
            id="focus",
            filled=False,
            stroked=True,
            radius_units="pixels",
            line_width_units="pixels",
            get_position=["lon", "lat"],
            get_radius="radius_hit + 5",
            get_line_color=[*FOCUS_RGB, 255],
            get_line_width=3,
        ),
    ]
    start = view or {"longitude": 20.0, "latitude": 20.0, "zoom": 0.6}
    deck = pdk.Deck(
        layers=layers,
        map_provider=None,
        initial_view_state=pdk.ViewState(**start, pitch=0, bearing=0),
        tooltip={"text": "{hover}"},
        views=[pdk.View(type="MapView", controller=True, repeat=False)],
    )
    return FrozenDeck(deck)


def _plain_hover(text: str) -> str:
    """A plain-text tooltip (lines split by newlines) as plotly hover markup, escaped."""
    return "<br>".join(
        line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for line in text.split("\n")
    )


def _rgba(colour: Sequence[int]) -> str:
    red, green, blue, alpha = colour
    return f"rgba({red},{green},{blue},{alpha / 255:.3f})"


@locked
def flow_figure(
    world: str | dict[str, object],
    countries: Sequence[str],
    flows: pd.DataFrame,
    places: pd.DataFrame,
    legend: Sequence[tuple[str, Sequence[int]]] = (),
    circle_labels: tuple[str, str] = ("", ""),
) -> go.Figure:
    """The flow map of flow_deck() drawn with plotly on the world maps' geo projection: the same
    paths, widths, colours, arrowheads and circles (marker sizes are diameters: twice the radii).

    `countries`: the ids of `world`'s features, all drawn grey. `legend`: (label, [r, g, b]) of
    each flow colour used. `circle_labels`: the legend's words for the filled and the ring circles."""
    fig = go.Figure(
        go.Choropleth(
            geojson=world,
            locationmode="geojson-id",
            featureidkey="id",
            locations=list(countries),
            z=[0] * len(countries),
            colorscale=[[0, "#E2E2E2"], [1, "#E2E2E2"]],
            showscale=False,
            marker_line_width=0.5,
            marker_line_color="#FFFFFF",
            hoverinfo="skip",
        )
    )
    done, bought = circle_labels
    fig.add_trace(
        go.Scattergeo(
            lon=places["lon"],
            lat=places["lat"],
            mode="markers",
            marker=dict(size=[2 * r for r in places["radius_in"]], color=_rgba(IN_RGBA), line=dict(width=0)),
            hoverinfo="skip",
            name=done,
            showlegend=bool(done),
        )
    )
    for r in flows.itertuples():
        lons = [p[0] for p in r.path]
        lats = [p[1] for p in r.path]
        fig.add_trace(
            go.Scattergeo(
                lon=lons,
                lat=lats,
                mode="lines",
                line=dict(width=float(r.width) + 2, color="rgba(255,255,255,0.9)"),
                hoverinfo="skip",
                showlegend=False,
            )
        )
        # The line and its arrowhead in one trace: plotly turns a marker along its line ("previous").
        fig.add_trace(
            go.Scattergeo(
                lon=lons,
                lat=lats,
                mode="lines+markers",
                line=dict(width=float(r.width), color=_rgba(r.colour)),
                marker=dict(
                    symbol="triangle-up",
                    angleref="previous",
                    size=[0] * (len(lons) - 1) + [float(r.arrow)],
                    color=_rgba(r.colour),
                    line=dict(width=0),
                ),
                hovertext=[_plain_hover(r.hover)] * len(lons),
                hoverinfo="text",
                showlegend=False,
            )
        )
    fig.add_trace(
        go.Scattergeo(
            lon=places["lon"],
            lat=places["lat"],
            mode="markers",
            marker=dict(
                symbol="circle-open",
                size=[2 * r for r in places["radius_out"]],
                color=_rgba([*OUT_RGB, 230]),
                line=dict(width=1.6),
            ),
            hovertext=[_plain_hover(h) for h in places["hover"]],
            hoverinfo="text",
            name=bought,
            showlegend=bool(bought),
        )
    )
    for label, rgb in legend:
        fig.add_trace(
            go.Scattergeo(
                lon=[None],
                lat=[None],
                mode="lines",
                line=dict(width=6, color=f"rgb({rgb[0]},{rgb[1]},{rgb[2]})"),
                name=label,
                hoverinfo="skip",
            )
        )
    fig.update_geos(WORLD_GEO)
    fig = _layout(fig, 620)
    fig.update_layout(
        margin=dict(l=0, r=0, t=10, b=10), legend=dict(orientation="h", yanchor="top", y=-0.01, x=0)
    )
    return fig


def width_legend(references: Sequence[tuple[str, float]], arrow: float, colour: str = "#444444") -> str:
    """An SVG of two or three reference widths with their words ("1 % of the year's projects"),
    drawn as the map draws flows: the reader compares a flow with them on the locked scale."""
    rows = []
    y = 14
    for label, width in references:
        escaped = label.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        rows.append(
            f'<line x1="4" y1="{y}" x2="84" y2="{y}" stroke="{colour}" stroke-width="{width:.1f}" />'
            f'<path d="M84 {y - max(width, 6)} L{84 + arrow} {y} L84 {y + max(width, 6)} Z" fill="{colour}"/>'
            f'<text x="{100 + arrow}" y="{y + 6}" font-size="18" '
            f'font-family="system-ui, sans-serif" fill="#1A1A1A">{escaped}</text>'
        )
        y += 34
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="520" height="{y - 10}" '
        f'viewBox="0 0 520 {y - 10}">' + "".join(rows) + "</svg>"
    )
