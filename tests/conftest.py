"""Fixtures: a private copy of the datasets folder to break, the app under AppTest, and for the
browser tests one `streamlit run` server for the whole session and a Chromium per test module.

`make test` runs pytest on two workers (pytest-xdist, `-n 2 --dist loadgroup` in pyproject.toml):
session fixtures are then per worker, so each worker starts at most one server, on a free port,
and every test writes into its own tmp_path. The files whose tests share something built once and
costly (the classroom pack) or a running `make serve` that their last test stops run whole on one
worker (ONE_WORKER, below). `-n 0` runs everything in this process, as before."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support import CHROMIUM_ARGS, ROOT, TEST_CHROMIUM, streamlit_server

DATASETS = ROOT / "datasets"

# The images the tests have kaleido draw (the pack's, a lesson's, in this process or in a server it
# starts) come from the same lighter headless Chromium as the browser tests (tests/support.py), unless
# BROWSER_PATH says otherwise; `make pack` keeps the full browser.
os.environ.setdefault("BROWSER_PATH", TEST_CHROMIUM)


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
    """Debian's Chromium, one per test module (it starts in about a second). Not one per session:
    Playwright's sync API keeps an asyncio loop running while it is open, and the tests that speak
    Streamlit's protocol themselves (asyncio.run) cannot run beside it."""
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=TEST_CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """The atlas under `streamlit run` on a free loopback port, one per session (per worker under
    xdist). Tests that need a cold server (tests/test_concurrency.py) start their own."""
    with streamlit_server() as url:
        yield url


# Under xdist, these files run whole on one worker, in their order: test_pack.py builds its pack
# once per session (and a second build runs beside it), and test_serving.py's `make serve` tests
# share one launch that its last one (Ctrl-C) stops. Every other test goes to whichever worker is
# free. (xdist's own `xdist_group` marks do nothing under pytest 9: xdist 3.8 renames `_nodeid`,
# which pytest 9 no longer reads; hence this scheduler, chosen by `--dist loadgroup`.)
ONE_WORKER = ("tests/test_pack.py", "tests/test_serving.py")


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class WholeFiles(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if path in ONE_WORKER else super()._split_scope(nodeid)

    return WholeFiles(config, log)
