"""Natural Earth 1:50m countries → one small GeoJSON for every map, and a point per country."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon
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


def _round(coords: object) -> object:
    if isinstance(coords, list | tuple):
        if coords and isinstance(coords[0], int | float):
            return [round(float(c), DECIMALS) for c in coords]
        return [_round(c) for c in coords]
    return coords


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep the polygons of a repaired geometry (make_valid can add stray lines or points), and
    drop slivers that run along the antimeridian from -180° to +180° (they draw as a band)."""
    if isinstance(geom, MultiPolygon | Polygon):
        parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
        kept = [p for p in parts if p.bounds[2] - p.bounds[0] < 300]
        return MultiPolygon(kept) if len(kept) > 1 else (kept[0] if kept else geom)
    if isinstance(geom, GeometryCollection) and not isinstance(geom, MultiPolygon):
        polygons: list[Polygon] = []
        for part in geom.geoms:
            if isinstance(part, Polygon):
                polygons.append(part)
            elif isinstance(part, MultiPolygon):
                polygons.extend(part.geoms)
        return MultiPolygon(polygons)
    return geom


def build(topojson: Path, m49_to_iso3: dict[str, str]) -> tuple[dict[str, object], pd.DataFrame]:
    try:
        frame = gpd.read_file(topojson, layer="countries")
    except Exception as error:  # pyogrio raises several types; the message is what matters
        raise EtlError(topojson, f"cannot read boundaries: {error}") from None
    frame["iso3"] = frame["id"].astype(str).str.zfill(3).map(m49_to_iso3)
    # Features without an ISO code: drawn with the UN member they belong to, or as Kosovo.
    frame.loc[frame["iso3"].isna(), "iso3"] = frame["name"].map(UNCODED)
    # Antarctica is left out: no one there is in our data, and its ring spans the whole map.
    frame = frame[frame["iso3"].notna() & (frame["iso3"] != "ATA")].copy()
    # Only a few features have several parts to merge (Somalia and Somaliland…); repairing every
    # shape first (make_valid) would glue Russia's pieces across the antimeridian into a band.
    merged = []
    for iso3, group in frame.groupby("iso3", sort=True):
        geom = group.geometry.iloc[0] if len(group) == 1 else group.geometry.make_valid().union_all()
        merged.append({"iso3": iso3, "geometry": geom})
    frame = gpd.GeoDataFrame(merged, geometry="geometry", crs=frame.crs)
    # A point inside each country's largest piece (Russia's, not an Arctic island's; France's
    # mainland, not French Guiana): where arcs start and markers sit.
    largest = frame.geometry.map(
        lambda g: max(g.geoms, key=lambda p: p.area) if isinstance(g, MultiPolygon) else g
    )
    points = gpd.GeoSeries(largest, crs=frame.crs).representative_point()
    centres = pd.DataFrame({"iso3": frame["iso3"], "lon": points.x.round(3), "lat": points.y.round(3)})
    frame["geometry"] = frame.geometry.simplify(TOLERANCE, preserve_topology=True).map(_polygonal)
    features = []
    for row in frame.sort_values("iso3").itertuples():
        if row.geometry is None or row.geometry.is_empty:
            continue
        geometry = row.geometry.__geo_interface__
        features.append(
            {
                "type": "Feature",
                "id": row.iso3,
                "properties": {"iso3": row.iso3},
                "geometry": {"type": geometry["type"], "coordinates": _round(geometry["coordinates"])},
            }
        )
    collection: dict[str, object] = {"type": "FeatureCollection", "features": features}
    return collection, centres.sort_values("iso3").reset_index(drop=True)


def dumps(collection: dict[str, object]) -> str:
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
