"""Braesemann et al.'s (2022) network files, region by region: who buys from whom, between admin-1
regions, with each row's points tested against the country it names.

The same files make `flow_pairs` (etl/flows.py): they are read once (`flows.read_network`), the
country names go through the same crosswalk, and a row left out there (an excluded name) is left
out here, so the regions of a country pair add up to the pair's projects.

What the points are: a region's coordinates change from row to row (Metro Manila has over a hundred
points in 2015, with decimals such as 14.6123805882353), so each row's point is evidently the mean
of the geocoded places of the pair's projects, not the region's centre. A mean of two coastal towns
can lie at sea (Florida's Gulf-coast means lie up to 1.3° offshore, Denmark's in the Kattegat), so
a point at sea is not an error in itself; a point on another country's land is (Pristina's projects
under "albania", the Isle of Man under "united kingdom", "afghanistan" in California).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from geopandas import GeoDataFrame
from shapely import STRtree

from etl.errors import EtlError
from etl.flows import NetworkFile
from etl.rawcsv import number_column

NOT_STATED = "region not stated"
SOURCE_NA = "NA"
SIDES = ("employer", "worker")
# Degrees (0.1° ≈ 11 km). A point this close to its country's 1:50m land is in it: the 1:50m
# coastlines and borders are generalised by a few km, and border towns' points fall on either side.
NEAR_DEGREES = 0.1
# Degrees (5° ≈ 550 km). A point at sea belongs to its country when that country is the nearest
# land (the means of coastal places above) and is no farther than this: a mean over two continents
# (New York and London under "united states", in mid-Atlantic) is no place of the country.
SEA_DEGREES = 5.0
OUTSIDE = "point_outside_country"
BOTH = "both_points_outside_country"
NOT_ON_MAP = "country_not_on_map"
FLAGS = (
    "",
    f"employer_{OUTSIDE}",
    f"worker_{OUTSIDE}",
    BOTH,
    f"employer_{NOT_ON_MAP}",
    f"worker_{NOT_ON_MAP}",
    f"employer_{NOT_ON_MAP};worker_{OUTSIDE}",
    f"employer_{OUTSIDE};worker_{NOT_ON_MAP}",
    f"employer_{NOT_ON_MAP};worker_{NOT_ON_MAP}",
)


class Borders:
    """The countries' full-resolution 1:50m land (etl/geometry.py `countries`), prepared for tests
    of many points at once."""

    def __init__(self, countries: GeoDataFrame) -> None:
        self.iso3 = np.array(countries["iso3"], dtype=object)
        self.shapes = np.array(countries.geometry, dtype=object)
        shapely.prepare(self.shapes)
        self.position = {code: index for index, code in enumerate(self.iso3)}
        self.tree = STRtree(self.shapes)

    def test(self, iso3: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(outside, not_on_map) for each point: outside its named country by the rules above, or
        its country has no shape at 1:50m (Gibraltar, Réunion…) and cannot be tested."""
        position, codes = pd.factorize(iso3)
        key = pd.DataFrame({"iso3": position, "x": x, "y": y})
        back, first = _first_of_each(key)
        code = codes[position[first]]
        ux, uy = x[first], y[first]
        own = np.array([self.position.get(c, -1) for c in code], dtype=np.int64)
        not_on_map = own < 0
        placed = ~not_on_map
        for index in np.unique(own[placed]):
            at = np.flatnonzero(own == index)
            placed[at] = shapely.contains_xy(self.shapes[index], ux[at], uy[at])
        doubtful = np.flatnonzero(~placed & ~not_on_map)
        geometry = shapely.points(ux[doubtful], uy[doubtful])
        near = shapely.dwithin(self.shapes[own[doubtful]], geometry, NEAR_DEGREES)
        doubtful, geometry = doubtful[~near], geometry[~near]
        on_land, country = self.tree.query(geometry, predicate="intersects")
        elsewhere = np.zeros(len(doubtful), dtype=bool)
        elsewhere[on_land[country != own[doubtful[on_land]]]] = True
        at_sea = np.flatnonzero(~elsewhere)
        (point, country), distance = self.tree.query_nearest(
            geometry[at_sea], all_matches=True, return_distance=True
        )
        home = (country == own[doubtful[at_sea[point]]]) & (distance <= SEA_DEGREES)
        at_home = np.zeros(len(at_sea), dtype=bool)
        at_home[point[home]] = True
        outside = np.zeros(len(first), dtype=bool)
        outside[doubtful] = elsewhere
        outside[doubtful[at_sea]] = ~at_home
        return outside[back], not_on_map[back]


def _first_of_each(key: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For rows with repeated values: each row's group, and the first row of each group."""
    groups = key.groupby(list(key.columns), sort=False).ngroup().to_numpy()
    _, first = np.unique(groups, return_index=True)
    return groups, first


def _coordinates(file: NetworkFile, side: str) -> tuple[np.ndarray, np.ndarray]:
    """(longitudes, latitudes) of one end; a cell that is no number, or off the globe, fails at its line."""
    out = []
    for column, what, limit in ((f"{side}_lng", "longitude", 180.0), (f"{side}_lat", "latitude", 90.0)):
        values = number_column(file.path, file.lines, column, file.cells[column])
        bad = np.abs(values) > limit
        if bad.any():
            first = int(np.argmax(bad))
            raise EtlError(
                file.path,
                f"{column} {file.cells[column][first]!r} is not a {what} (-{limit:g} to {limit:g})",
                file.lines[first],
            )
        out.append(values)
    return out[0], out[1]


def _regions(file: NetworkFile, side: str) -> np.ndarray:
    texts = file.cells[f"{side}_admin1"]
    if "" in texts:
        first = texts.index("")
        raise EtlError(
            file.path, f"{side}_admin1 is empty (the file writes NA for no region)", file.lines[first]
        )
    return np.array([NOT_STATED if text == SOURCE_NA else text for text in texts], dtype=object)


def _flags(outside: dict[str, np.ndarray], unmapped: dict[str, np.ndarray]) -> np.ndarray:
    employer = np.where(
        outside["employer"],
        f"employer_{OUTSIDE}",
        np.where(unmapped["employer"], f"employer_{NOT_ON_MAP}", ""),
    ).astype(object)
    worker = np.where(
        outside["worker"], f"worker_{OUTSIDE}", np.where(unmapped["worker"], f"worker_{NOT_ON_MAP}", "")
    ).astype(object)
    both = (employer != "") & (worker != "")
    flags = employer + worker
    flags[both] = employer[both] + ";" + worker[both]
    flags[outside["employer"] & outside["worker"]] = BOTH
    return flags


def table(files: list[NetworkFile], borders: Borders) -> pd.DataFrame:
    """One row per (year, employer region, worker region), with the geocoding test of both ends."""
    frames = []
    for file in files:
        iso3s = {
            "employer": np.array(file.employer_iso3, dtype=object),
            "worker": np.array(file.worker_iso3, dtype=object),
        }
        keep = (iso3s["employer"] != "") & (iso3s["worker"] != "")
        columns: dict[str, object] = {"year": file.year}
        outside: dict[str, np.ndarray] = {}
        unmapped: dict[str, np.ndarray] = {}
        for side in SIDES:
            iso3 = iso3s[side]
            regions = _regions(file, side)
            x, y = _coordinates(file, side)
            out, off = borders.test(iso3[keep], x[keep], y[keep])
            stated = regions[keep] != NOT_STATED
            outside[side], unmapped[side] = out, off
            projects = file.projects[keep]
            columns |= {
                f"{side}_iso3": iso3[keep],
                f"{side}_region": regions[keep],
                f"{side}_region_stated": np.where(stated, "yes", "no"),
                # Weighted by projects, so that rows merged below (two names of one country) keep
                # the mean of their projects' places; empty where no region is stated.
                f"{side}_lat_x": np.where(stated, y[keep] * projects, np.nan),
                f"{side}_lng_x": np.where(stated, x[keep] * projects, np.nan),
                f"{side}_outside": out,
                f"{side}_off_map": off,
            }
        columns["projects"] = file.projects[keep]
        rows = pd.DataFrame(columns)
        key = [
            "year",
            "employer_iso3",
            "employer_region",
            "employer_region_stated",
            "worker_iso3",
            "worker_region",
            "worker_region_stated",
        ]
        # Only a country spelt two ways ("hong kong" and "hong kong sar") gives two rows one key.
        rows = rows.groupby(key, as_index=False, sort=False).agg(
            {
                "projects": "sum",
                **{f"{side}_{part}_x": "sum" for side in SIDES for part in ("lat", "lng")},
                **{f"{side}_{what}": "max" for side in SIDES for what in ("outside", "off_map")},
            }
        )
        for side in SIDES:
            for part in ("lat", "lng"):
                weighted = rows.pop(f"{side}_{part}_x")
                rows[f"{side}_{part}"] = np.where(
                    rows[f"{side}_region_stated"] == "yes", weighted / rows["projects"], np.nan
                )
        rows["share_of_year_percent"] = 100 * rows["projects"] / file.total
        rows["geocode_flag"] = _flags(
            {side: rows.pop(f"{side}_outside").to_numpy() for side in SIDES},
            {side: rows.pop(f"{side}_off_map").to_numpy() for side in SIDES},
        )
        rows["source_id"] = file.source_id
        frames.append(rows)
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(
        ["year", "employer_iso3", "employer_region", "worker_iso3", "worker_region"]
    ).reset_index(drop=True)


def flagged_by_year(frame: pd.DataFrame) -> dict[int, tuple[int, int, int]]:
    """year → (rows with a point outside its country, their projects, rows of the year)."""
    out = {}
    for year, rows in frame.groupby("year", sort=True):
        flagged = rows["geocode_flag"].str.contains(OUTSIDE, regex=False) | (rows["geocode_flag"] == BOTH)
        out[int(year)] = (int(flagged.sum()), int(rows.loc[flagged, "projects"].sum()), len(rows))
    return out


def description(frame: pd.DataFrame) -> str:
    """The counts of flagged rows, for the table's description (written from the data, not typed)."""
    years = flagged_by_year(frame)
    flagged = "; ".join(
        f"{year}: {rows:,} of {total:,} rows ({projects:,} projects)"
        for year, (rows, projects, total) in years.items()
    )
    untested = frame.groupby("year", sort=True)["geocode_flag"].agg(
        lambda flags: int(flags.str.contains(NOT_ON_MAP, regex=False).sum())
    )
    return (
        f"Rows with a point outside its named country, flagged and kept as the source has them: {flagged}. "
        "Rows whose country has no shape at 1:50m, so that its points are not tested: "
        + "; ".join(f"{year}: {count:,}" for year, count in untested.items())
        + "."
    )
