"""Fixtures: a private copy of the datasets folder to break, and the app under AppTest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import ROOT

DATASETS = ROOT / "datasets"


@pytest.fixture
def datasets(tmp_path: Path) -> Path:
    """A copy of datasets/ (inputs and current outputs) that a test may damage freely."""
    copy = tmp_path / "datasets"
    shutil.copytree(DATASETS, copy, ignore=shutil.ignore_patterns(".tidy-*"))
    return copy


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output file of a datasets folder, byte for byte."""
    files = {"datapackage.json": (folder / "datapackage.json").read_bytes()}
    for path in sorted((folder / "tidy").iterdir()):
        files[f"tidy/{path.name}"] = path.read_bytes()
    return files
