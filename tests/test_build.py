"""The build: reproducible, deterministic, atomic, and every tidy table true to its contract."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from etl import package
from etl.__main__ import main
from etl.schemas import TABLES
from tests.conftest import DATASETS, snapshot


def test_a_fresh_build_reproduces_the_committed_datasets(datasets: Path) -> None:
    committed = snapshot(DATASETS)
    assert main(["--datasets", str(datasets)]) == 0
    rebuilt = snapshot(datasets)
    assert rebuilt.keys() == committed.keys()
    changed = [name for name in committed if committed[name] != rebuilt[name]]
    assert changed == [], "run `make etl` and commit datasets/: these outputs are stale"


def test_two_builds_give_identical_files(datasets: Path) -> None:
    assert main(["--datasets", str(datasets)]) == 0
    first = snapshot(datasets)
    assert main(["--datasets", str(datasets)]) == 0
    assert snapshot(datasets) == first


def test_a_build_that_fails_while_writing_leaves_the_previous_files(
    datasets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(datasets)
    calls = {"n": 0}
    real = package.to_csv

    def failing(frame: pd.DataFrame) -> str:
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError("disk full")
        return real(frame)

    monkeypatch.setattr(package, "to_csv", failing)
    with pytest.raises(OSError, match="disk full"):
        main(["--datasets", str(datasets)])
    assert snapshot(datasets) == before
    assert not list(datasets.glob(".tidy-*"))


def test_frictionless_accepts_the_data_package() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(DATASETS / "datapackage.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert '"valid": true' in done.stdout


def test_the_package_describes_every_table_with_units_and_sources() -> None:
    import json

    descriptor = json.loads((DATASETS / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in descriptor["resources"]]
    assert names[:2] == ["sources", "figures"]
    assert set(names) == {t.name for t in TABLES} | {"world"}
    figures = next(r for r in descriptor["resources"] if r["name"] == "figures")
    fields = {f["name"]: f for f in figures["schema"]["fields"]}
    for column in (
        "figure_id",
        "source_id",
        "topic",
        "metric",
        "label_en",
        "label_fr",
        "quote",
        "locator",
        "value",
        "value_low",
        "value_high",
        "qualifier",
        "unit",
        "currency",
        "period",
        "country_iso3",
        "platform",
        "value_usd_nominal",
        "value_usd_constant",
        "usd_per_hour",
    ):
        assert column in fields
    assert fields["value_usd_constant"]["unit"] == "USD_2024"
    assert figures["sources"], "each resource lists its sources"


def test_every_row_of_every_table_names_a_known_source() -> None:
    sources = set(pd.read_csv(DATASETS / "tidy" / "sources.csv", keep_default_na=False)["source_id"])
    for table in TABLES:
        frame = pd.read_csv(DATASETS / "tidy" / f"{table.name}.csv", keep_default_na=False, dtype=str)
        for column in ("source_id", "secondary_of"):
            if column in frame and table.name != "sources":
                unknown = set(frame[column]) - sources - {""}
                assert not unknown, f"{table.name}.{column}: {unknown}"


def test_the_map_geometry_is_small_and_has_hong_kong_and_singapore() -> None:
    import json

    path = DATASETS / "tidy" / "world.geojson"
    assert path.stat().st_size <= 400_000
    ids = {f["id"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]}
    assert {"HKG", "SGP", "USA", "IND", "PHL", "NPL"} <= ids


def test_the_maps_static_geometry_is_the_datasets_geometry() -> None:
    static = DATASETS.parent / "dashboard" / "static" / "world.geojson"
    assert not static.is_symlink(), "Streamlit refuses to serve a static file that resolves elsewhere"
    assert static.read_bytes() == (DATASETS / "tidy" / "world.geojson").read_bytes()
