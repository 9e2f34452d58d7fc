"""What a reader gets from every table view and CSV: human headers in her language, names instead of
node numbers, words instead of codes, empty cells instead of None, a citation beside each source."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator

import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard.exports import IndexColumnError, human
from dashboard.i18n import catalogue, message
from tests.support import PAGES, ROOT, open_tables

APP = str(ROOT / "dashboard" / "app.py")
# Every view whose tables differ: each page as it opens, each story step, each map metric. The
# Lesson page has no table or chart of its own (its slides are other pages' views).
VIEWS = [(page, {}) for page in PAGES if page != "lesson"]
VIEWS += [("story", {"step": str(step)}) for step in range(2, 9)]
VIEWS += [("map", {"metric": metric}) for metric in ("supply", "north_south")]
VIEWS += [("flows", {"view": view}) for view in ("regions", "change", "sankey")]
MACHINE_MARKERS = {"None", "nan", "NaN", "<NA>", "NaT"}

DOWNLOADS: list[tuple[str, bytes]] = []


class RecordingFiles(MediaFileManager):
    """The app's media files, with every download kept for the test to read."""

    def add(self, data, mimetype, coordinates, file_name=None, is_for_static_download=False):  # type: ignore[no-untyped-def]
        DOWNLOADS.append((str(file_name or ""), bytes(data) if isinstance(data, (bytes, bytearray)) else b""))
        return super().add(
            data, mimetype, coordinates, file_name=file_name, is_for_static_download=is_for_static_download
        )


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bytes]]]:
    monkeypatch.setattr(app_test, "MediaFileManager", RecordingFiles)
    DOWNLOADS.clear()
    yield DOWNLOADS


def run(page: str, lang: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return open_tables(at)


def shown_headers(element: object) -> list[str]:
    """A table's headers as the reader sees them: the column_config label where there is one."""
    config = json.loads(element.proto.columns or "{}")  # type: ignore[attr-defined]
    frame = element.value  # type: ignore[attr-defined]
    return [str((config.get(str(c)) or {}).get("label") or c) for c in frame.columns]


def csv_rows(data: bytes, lang: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for spreadsheets"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";" if lang == "fr" else ","))


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("page", "params"), VIEWS, ids=[f"{p}-{'-'.join(q.values()) or 'default'}" for p, q in VIEWS]
)
def test_every_table_and_csv_has_human_headers_and_no_machine_markers(
    page: str, params: dict[str, str], lang: str, downloads: list[tuple[str, bytes]]
) -> None:
    at = run(page, lang, params)
    headers = {message(k, lang) for k in catalogue(lang) if k.startswith("column.")}
    # The Sources table names its headers through column_config (the Platforms directory is a list).
    headers |= {message(k, lang) for k in catalogue(lang) if ".col." in k}
    views = [e for e in at.expander if e.label == message("common.table_view", lang)]
    assert len(at.dataframe) >= len(views), f"{page} {params} ({lang}): an opened table view shows no table"
    for table in at.dataframe:
        unknown = [h for h in shown_headers(table) if h not in headers]
        assert unknown == [], f"{page} {params} ({lang}): table headers without a message: {unknown}"
        cells = table.value.astype(str)
        assert not cells.isin(MACHINE_MARKERS).any().any(), f"{page} {params} ({lang}) shows None/nan"
    for plain_table in at.table:  # st.table: its headers are its columns
        unknown = [str(h) for h in plain_table.value.columns if h not in headers]
        assert unknown == [], f"{page} {params} ({lang}): table headers without a message: {unknown}"
        cells = plain_table.value.astype(str)
        assert not cells.isin(MACHINE_MARKERS).any().any(), f"{page} {params} ({lang}) shows None/nan"
    tables = [(name, data) for name, data in downloads if name.endswith(".csv")]
    assert tables or page == "overview" or at.dataframe, f"{page}: no CSV offered"
    for name, data in tables:
        rows = csv_rows(data, lang)
        unknown = [h for h in rows[0] if h not in headers]
        assert unknown == [], f"{name} ({lang}): headers without a message: {unknown}"
        assert not any(cell in MACHINE_MARKERS for row in rows[1:] for cell in row), name
        if "source_id" in {k.removeprefix("column.") for k in catalogue(lang) if message(k, lang) in rows[0]}:
            at_source = rows[0].index(message("column.source_id", lang))
            assert rows[0][at_source + 1] == message("column.citation", lang), (
                f"{name}: citation beside source_id"
            )


def test_the_sankey_csv_names_its_nodes_instead_of_numbering_them(downloads: list[tuple[str, bytes]]) -> None:
    run("flows", "en", {"year": "2015", "view": "sankey", "grouping": "regions"})
    data = dict(downloads)["flows-sankey-2015.csv"]
    rows = csv_rows(data, "en")
    assert rows[0][:3] == ["Year", "Employer's country", "Worker's country"]
    nodes = {row[1] for row in rows[1:]} | {row[2] for row in rows[1:]}
    assert "Northern America" in nodes and "Southern Asia" in nodes
    assert not any(node.strip().isdigit() for node in nodes)


def test_a_table_of_node_numbers_without_their_names_is_refused() -> None:
    links = pd.DataFrame({"source": [0, 1], "target": [2, 2], "value": [1.0, 2.0]})
    with pytest.raises(IndexColumnError):
        human(links)
    named = human(links, names={"source": ["a", "b", "c"], "target": ["a", "b", "c "]})
    assert list(named["source"]) == ["a", "b"] and list(named["target"]) == ["c", "c"]


def test_codes_are_words_and_missing_values_are_empty_in_french(downloads: list[tuple[str, bytes]]) -> None:
    run("projections", "fr", {})
    data = dict(downloads)["projections-people.csv"]
    rows = csv_rows(data, "fr")
    qualifier = rows[0].index("Qualificatif")
    qualifiers = {row[qualifier] for row in rows[1:]}
    assert "plus de" in qualifiers and "more_than" not in qualifiers
    low = rows[0].index(message("column.low_normalised", "fr"))
    assert "" in {row[low] for row in rows[1:]}
    value = rows[0].index(message("column.value_normalised", "fr"))
    assert all("." not in row[value] for row in rows[1:]), "decimal comma in French"


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("page", [p for p in PAGES if p not in ("sources", "lesson")])
def test_every_chart_can_be_cited_with_its_sources_in_the_readers_language(page: str, lang: str) -> None:
    from dashboard import citations

    at = run(page, lang, {})
    label = message("cite.title", lang)
    boxes = [e for e in at.expander if e.label == label]
    assert boxes, f"{page} ({lang}): no '{label}' under its chart"
    for box in boxes:
        text = "\n".join(m.value for m in box.markdown).replace("\\", "")
        assert text.startswith(f"Digital Labour Atlas. ({dt.date.today().year}). "), text
        assert f"[{message('cite.chart', lang)}]" in text
        retrieved = "Retrieved" if lang == "en" else "Consulté"
        assert retrieved in text and f"lang={lang}" in text, text
        assert message("cite.data", lang) in text
    # The sources cited are the chart's: the Map's default view rests on the measured worker shares.
    if page == "map":
        first = "\n".join(m.value for m in boxes[0].markdown).replace("\\", "")
        reference = citations.reference("braesemann-2022-country-data", lang)
        assert reference.replace("\\", "") in first
        assert ("[Jeu de données]" if lang == "fr" else "[Data set]") in reference
