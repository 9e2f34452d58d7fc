"""Markup in the data is shown as text: a source title or a quote can never inject HTML."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import caching, data
from dashboard.components import plain
from tests.support import ROOT

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)> *bold* [link](javascript:alert(1))"


@pytest.fixture
def hostile_datasets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app's tables with a hostile source title, citation and quote."""
    copy = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", copy, ignore=shutil.ignore_patterns("raw", "cited"))
    sources = pd.read_csv(copy / "tidy" / "sources.csv", keep_default_na=False, dtype=str)
    sources.loc[sources["source_id"] == "lemonde-2017-orain", ["title", "citation"]] = [HOSTILE, HOSTILE]
    sources.to_csv(copy / "tidy" / "sources.csv", index=False)
    figures = pd.read_csv(copy / "tidy" / "figures.csv", keep_default_na=False, dtype=str)
    figures.loc[figures["source_id"] == "lemonde-2017-orain", "quote"] = HOSTILE
    figures.to_csv(copy / "tidy" / "figures.csv", index=False)
    monkeypatch.setattr(data, "DATASETS", copy)
    st.cache_resource.clear()
    caching.clear()
    st.cache_data.clear()
    yield copy
    st.cache_resource.clear()
    caching.clear()
    st.cache_data.clear()


def test_plain_escapes_every_active_character() -> None:
    shown = plain(HOSTILE)
    assert "<" not in shown.replace("\\<", "") and ">" not in shown.replace("\\>", "")
    assert "\\*bold\\*" in shown and "\\[link\\]" in shown


@pytest.mark.parametrize("page", ["sources", "overview", "platforms"])
def test_a_hostile_title_and_quote_are_shown_as_text(hostile_datasets: Path, page: str) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    at.query_params["q"] = "script"
    at.query_params["source"] = "lemonde-2017-orain"
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception
    bodies = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any("alert" in body for body in bodies) or page != "sources", (
        "the hostile text should be on the page"
    )
    for body in bodies:
        unescaped = body.replace("\\<", "").replace("\\>", "")
        assert "<script" not in unescaped and "<img" not in unescaped, body
        assert "](javascript:" not in body.replace("\\]", "")
