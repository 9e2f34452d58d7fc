"""Fixtures: a private copy of the datasets folder to break, the app under AppTest, and for the
browser tests a Chromium and a `streamlit run` server per test module."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support import CHROMIUM, CHROMIUM_ARGS, ROOT, streamlit_server

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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, one per test module."""
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The atlas under `streamlit run` on a free loopback port, one per test module."""
    with streamlit_server() as url:
        yield url
