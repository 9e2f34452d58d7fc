"""Natural Earth 1:50m countries → one small GeoJSON for every map, and a point per country."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import affinity, make_valid
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon, box, shape
from shapely.geometry.base import BaseGeometry

from etl.errors import EtlError

# Degrees. 0.08° keeps Hong Kong and Singapore and the coastlines a projected map shows, and
# brings the file under the 400 KB a map may send to the browser.
TOLERANCE = 0.08
DECIMALS = 2
UNCODED = {
    "Somaliland": "SOM",
    "N. Cyprus": "CYP",
    "Kosovo": "XKX",
    "Siachen Glacier": "IND",
    "Indian Ocean Ter.": "AUS",
}
# The world once (offset 0) and once to its east (offset 360): a polygon made continuous across
# +180° lies in these two windows, and the part in the second is moved back by -360°.
WINDOWS = tuple((offset, box(-180 + offset, -90, 180 + offset, 90)) for offset in (0, 360))


def _round(coords: object) -> object:
    if isinstance(coords, list | tuple):
        if coords and isinstance(coords[0], int | float):
            return [round(float(c), DECIMALS) for c in coords]
        return [_round(c) for c in coords]
    return coords


def _parts(geom: BaseGeometry | None) -> list[Polygon]:
    """The polygons of a geometry (make_valid and intersections can add stray lines or points)."""
    if isinstance(geom, Polygon):
        return [] if geom.is_empty else [geom]
    if isinstance(geom, MultiPolygon | GeometryCollection):
        return [polygon for part in geom.geoms for polygon in _parts(part)]
    return []


def _polygonal(parts: list[Polygon]) -> BaseGeometry:
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _continuous(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring with each step of more than 180° of longitude taken the short way (±360°)."""
    out = [ring[0]]
    for (x0, _), (x1, y1) in zip(ring, ring[1:], strict=False):
        step = x1 - x0
        step -= 360 if step > 180 else (-360 if step < -180 else 0)
        out.append((out[-1][0] + step, y1))
    return out


def _jumps(ring: list[tuple[float, float]]) -> bool:
    return any(abs(b[0] - a[0]) > 180 for a, b in zip(ring, ring[1:], strict=False))


def _cut_at_antimeridian(polygon: Polygon, name: str, path: Path) -> list[Polygon]:
    """A polygon whose ring jumps from +180° to -180° and back, as Natural Earth's TopoJSON stores
    Russia's mainland (with Chukotka), Wrangel Island and a sliver of Fiji's Vanua Levu: decoded
    as is, it runs the whole width of the map. Made continuous, then cut at +180°."""
    # Most polygons have no such step anywhere: one vectorised look (the rings one after another)
    # spares the ring-by-ring walk, which was most of the reading time.
    if not (np.abs(np.diff(shapely.get_coordinates(polygon)[:, 0])) > 180).any():
        return [polygon]
    rings = [list(polygon.exterior.coords), *(list(r.coords) for r in polygon.interiors)]
    if not any(_jumps(ring) for ring in rings):
        return [polygon]
    exterior, *holes = (_continuous(ring) for ring in rings)
    if abs(exterior[-1][0] - exterior[0][0]) > 1e-9:
        raise EtlError(path, f"feature {name!r}: a ring goes round a pole and cannot be cut at ±180°")
    west = min(x for x, _ in exterior)
    # A hole continued from its own first point may sit one turn away from its exterior.
    holes = [
        [(x + 360 * round((west - min(h[0] for h in hole)) / 360), y) for x, y in hole] for hole in holes
    ]
    whole = make_valid(Polygon(exterior, holes))
    pieces: list[Polygon] = []
    for offset, window in WINDOWS:
        pieces.extend(_parts(affinity.translate(whole.intersection(window), xoff=-offset)))
    return pieces


def _split(geom: BaseGeometry | None, name: str, path: Path) -> BaseGeometry:
    pieces = [piece for part in _parts(geom) for piece in _cut_at_antimeridian(part, name, path)]
    if not pieces:
        raise EtlError(path, f"feature {name!r} has no polygon to draw")
    return _polygonal(pieces)


def _feature_names(topojson: Path) -> list[str]:
    topology = json.loads(topojson.read_text(encoding="utf-8"))
    features = topology["objects"]["countries"]["geometries"]
    return [str((feature.get("properties") or {}).get("name", "")) for feature in features]


def countries(topojson: Path, m49_to_iso3: dict[str, str]) -> gpd.GeoDataFrame:
    """One row per ISO3 with its full-resolution 1:50m shape (cut at ±180°, parts merged): what
    `for_map` simplifies, and what the ETL tests points against."""
    try:
        frame = gpd.read_file(topojson, layer="countries")
    except Exception as error:  # pyogrio raises several types; the message is what matters
        raise EtlError(topojson, f"cannot read boundaries: {error}") from None
    missing = [name for name in ("id", "name") if name not in frame.columns]
    if missing:
        raise EtlError(topojson, f"the countries have no {' or '.join(missing)} property")
    # The reader skips a feature without geometry without a word: a country would vanish.
    lost = sorted(set(_feature_names(topojson)) - set(frame["name"]))
    if lost:
        raise EtlError(topojson, f"features without a shape: {', '.join(lost)}")
    frame["iso3"] = frame["id"].astype(str).str.zfill(3).map(m49_to_iso3)
    # Features without an ISO code: drawn with the UN member they belong to, or as Kosovo.
    frame.loc[frame["iso3"].isna(), "iso3"] = frame["name"].map(UNCODED)
    # Antarctica is left out: no one there is in our data, and its ring goes round the South Pole
    # (along -90° from -180° to +180°), a shape no cut at the antimeridian can make a polygon of.
    frame = frame[frame["iso3"].notna() & (frame["iso3"] != "ATA")].copy()
    frame["geometry"] = [_split(g, n, topojson) for g, n in zip(frame.geometry, frame["name"], strict=True)]
    # Only a few features have several parts to merge (Somalia and Somaliland…).
    merged = []
    for iso3, group in frame.groupby("iso3", sort=True):
        geom = group.geometry.iloc[0] if len(group) == 1 else group.geometry.make_valid().union_all()
        merged.append({"iso3": iso3, "geometry": geom})
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=frame.crs)


def build(topojson: Path, m49_to_iso3: dict[str, str]) -> tuple[dict[str, object], pd.DataFrame]:
    return for_map(countries(topojson, m49_to_iso3), topojson)


def for_map(borders: gpd.GeoDataFrame, topojson: Path) -> tuple[dict[str, object], pd.DataFrame]:
    """The map's GeoJSON (simplified, rounded) and a point per country, from `countries`."""
    frame = borders.copy()
    frame["geometry"] = frame.geometry.simplify(TOLERANCE, preserve_topology=True).map(
        lambda g: _polygonal(_parts(g))
    )
    features = []
    centres = []
    for row in frame.sort_values("iso3").itertuples():
        if row.geometry is None or row.geometry.is_empty:
            continue
        geometry = row.geometry.__geo_interface__
        drawn = {"type": geometry["type"], "coordinates": _round(geometry["coordinates"])}
        wide = [p for p in _parts(row.geometry) if p.bounds[2] - p.bounds[0] > 180]
        if wide:
            raise EtlError(
                topojson,
                f"{row.iso3}: a polygon spans {wide[0].bounds[2] - wide[0].bounds[0]:.0f}° of longitude",
            )
        # A point inside the largest piece as drawn (Russia's mainland, not an Arctic island;
        # France's, not French Guiana): where arcs start and markers sit.
        largest = max(_parts(shape(drawn)), key=lambda p: p.area)
        point = largest.representative_point()
        centres.append({"iso3": row.iso3, "lon": round(point.x, 3), "lat": round(point.y, 3)})
        features.append(
            {"type": "Feature", "id": row.iso3, "properties": {"iso3": row.iso3}, "geometry": drawn}
        )
    collection: dict[str, object] = {"type": "FeatureCollection", "features": features}
    return collection, pd.DataFrame(centres, columns=["iso3", "lon", "lat"])


def dumps(collection: dict[str, object]) -> str:
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
