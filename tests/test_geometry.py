"""The world the maps draw: every country of Natural Earth, whole, with no band across the map.

The reference areas come from the raw TopoJSON decoded here by hand (not through the ETL's reader),
each ring measured with its longitudes made continuous, so a shape that crosses the antimeridian
is measured whole however the file stores it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache

import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, Point, Polygon, shape

from etl.geometry import UNCODED
from tests.conftest import DATASETS

RAW = DATASETS / "raw" / "boundaries" / "countries-50m.json"
WORLD = DATASETS / "tidy" / "world.geojson"
# Simplifying at 0.08° cuts corners of every coastline by up to 0.08°. Above 3 square degrees
# that costs each country at most 2.5 % of its area (South Korea, whose west coast is all islets;
# Norway and the Philippines about 2 %): 3 % holds those and fails on a lost mainland or island
# group. Below 3 square degrees archipelagos lose islets narrower than 0.08° (Solomon Islands
# 13 %, Bahamas 8 %, Fiji 4 %) and a small island may shrink by half: those are required to be
# drawn, not to keep their area.
LARGE = 3.0
TOLERANCE = 0.03


def _unwrapped_area(points: list[tuple[float, float]]) -> float:
    """Planar area (square degrees) of a ring, its longitudes made continuous across ±180°."""
    xs = [points[0][0]]
    for (x0, _), (x1, _) in zip(points, points[1:], strict=False):
        step = x1 - x0
        step -= 360 if step > 180 else (-360 if step < -180 else 0)
        xs.append(xs[-1] + step)
    assert abs(xs[-1] - xs[0]) < 1e-6, "a ring that goes round the pole (Antarctica) has no planar area"
    ys = [p[1] for p in points]
    twice = sum(xs[i] * ys[i + 1] - xs[i + 1] * ys[i] for i in range(len(xs) - 1))
    return abs(twice) / 2


@cache
def source_areas() -> dict[str, float]:
    """Square degrees per ISO3 in the raw Natural Earth TopoJSON (quantised, delta-encoded arcs)."""
    topology = json.loads(RAW.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indices:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    iso3 = m49_to_iso3()
    areas: dict[str, float] = defaultdict(float)
    for feature in topology["objects"]["countries"]["geometries"]:
        code = iso3.get(str(feature.get("id", "")).zfill(3)) or UNCODED.get(feature["properties"]["name"])
        if code is None or code == "ATA":
            continue
        polygons = [feature["arcs"]] if feature["type"] == "Polygon" else feature["arcs"]
        for rings in polygons:
            outer, *holes = (_unwrapped_area(ring(r)) for r in rings)
            areas[code] += outer - sum(holes)
    return dict(areas)


@cache
def m49_to_iso3() -> dict[str, str]:
    countries = pd.read_csv(DATASETS / "tidy" / "countries.csv", dtype=str, keep_default_na=False)
    return dict(zip(countries["m49"], countries["iso3"], strict=True))


@cache
def world() -> dict[str, MultiPolygon | Polygon]:
    features = json.loads(WORLD.read_text(encoding="utf-8"))["features"]
    return {feature["id"]: shape(feature["geometry"]) for feature in features}


def parts(geometry: MultiPolygon | Polygon) -> list[Polygon]:
    return list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]


def test_every_country_of_natural_earth_but_antarctica_is_on_the_map() -> None:
    topology = json.loads(RAW.read_text(encoding="utf-8"))
    iso3 = m49_to_iso3()
    expected = set()
    for feature in topology["objects"]["countries"]["geometries"]:
        code = iso3.get(str(feature.get("id", "")).zfill(3)) or UNCODED.get(feature["properties"]["name"])
        assert code is not None, f"Natural Earth feature {feature['properties']['name']!r} has no ISO3"
        expected.add(code)
    assert set(world()) == expected - {"ATA"}
    assert all(not world()[code].is_empty for code in world())


def test_each_large_country_keeps_its_area_within_three_percent() -> None:
    reference = source_areas()
    large = {code for code, area in reference.items() if area >= LARGE}
    assert {"RUS", "USA", "NZL"} <= large  # shapes with parts on both sides of ±180°
    off = {
        code: round(world()[code].area / reference[code], 4)
        for code in sorted(large)
        if abs(world()[code].area / reference[code] - 1) > TOLERANCE
    }
    assert off == {}, "output area ÷ Natural Earth area"


def test_russia_is_drawn_with_its_mainland() -> None:
    # 2,900 square degrees in Natural Earth, of which the mainland is most; the bug left 78.
    assert world()["RUS"].area > 0.97 * source_areas()["RUS"] > 2500


def test_small_countries_are_still_drawn() -> None:
    small = [code for code, area in source_areas().items() if area < LARGE]
    assert len(small) > 50
    assert [code for code in small if world()[code].area <= 0] == []


def test_no_polygon_is_wider_than_half_the_world() -> None:
    wide = {
        code: [
            round(p.bounds[2] - p.bounds[0], 1) for p in parts(geometry) if p.bounds[2] - p.bounds[0] > 180
        ]
        for code, geometry in world().items()
    }
    assert {code: widths for code, widths in wide.items() if widths} == {}


def test_every_coordinate_is_a_longitude_and_a_latitude() -> None:
    for code, geometry in world().items():
        west, south, east, north = geometry.bounds
        assert -180 <= west <= east <= 180, code
        assert -90 <= south <= north <= 90, code


def test_shapes_across_the_antimeridian_are_cut_there() -> None:
    """Russia's Chukotka and Fiji's Vanua Levu end at +180° and go on from -180°."""
    for code in ("RUS", "FJI"):
        pieces = parts(world()[code])
        assert any(p.bounds[2] == 180 for p in pieces), code
        assert any(p.bounds[0] == -180 for p in pieces), code


def test_the_geojson_is_under_400_kb() -> None:
    assert WORLD.stat().st_size < 400_000


@pytest.fixture(scope="module")
def centres() -> pd.DataFrame:
    countries = pd.read_csv(DATASETS / "tidy" / "countries.csv", keep_default_na=False)
    return countries[countries["iso3"].isin(list(world()))].set_index("iso3")


def test_every_country_has_its_centre_point_inside_it(centres: pd.DataFrame) -> None:
    # Kosovo (XKX) is drawn but has no row in the ISO 3166 country table, so no centre point.
    assert set(world()) - set(centres.index) <= {"XKX"}
    outside = [
        code for code, row in centres.iterrows() if not world()[str(code)].contains(Point(row.lon, row.lat))
    ]
    assert outside == []


def test_russias_centre_point_is_in_its_mainland(centres: pd.DataFrame) -> None:
    mainland = max(parts(world()["RUS"]), key=lambda p: p.area)
    assert mainland.area > 0.8 * world()["RUS"].area
    assert mainland.contains(Point(centres.at["RUS", "lon"], centres.at["RUS", "lat"]))
