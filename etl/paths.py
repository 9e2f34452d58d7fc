"""Where things live. Every path is relative to the repository, so a clone works anywhere."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
SOURCES_DIR = DATASETS / "sources"
TIDY = DATASETS / "tidy"
DATAPACKAGE = DATASETS / "datapackage.json"

GEOMETRY_NAME = "world.geojson"
