"""Bad input: each malformed source fails with its file, its line and the problem, and loses nothing."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from etl.__main__ import main
from tests.conftest import snapshot

FIGURE_FILE = "cited/figures/01net-2017-simeon.csv"
OLI = "raw/oli/oli_bcountry_snapshot_2017-04-11.csv"


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Change one cell of a CSV file (line 1 is the header)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def reseal(folder: Path, relative: str) -> None:
    """Update a raw file's checksum in raw.yaml, so the test reaches the file's own validation."""
    registry = folder / "sources" / "raw.yaml"
    text = registry.read_text(encoding="utf-8")
    block_start = text.index(f"path: {relative}")
    old = text[block_start:].split("sha256: ", 1)[1][:64]
    new = hashlib.sha256((folder / relative).read_bytes()).hexdigest()
    registry.write_text(text.replace(old, new), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


Mutation = Callable[[Path], None]
CASES: list[tuple[str, Mutation, tuple[str, ...]]] = [
    (
        "missing quote",
        lambda d: set_cell(d / FIGURE_FILE, 3, "quote", ""),
        ("01net-2017-simeon.csv, line 3", "no quote"),
    ),
    (
        "unknown unit",
        lambda d: set_cell(d / FIGURE_FILE, 4, "unit", "furlongs"),
        ("line 4", "unknown unit 'furlongs'"),
    ),
    (
        "unknown currency",
        lambda d: set_cell(d / FIGURE_FILE, 5, "unit", "XYZ_per_task"),
        ("line 5", "unknown currency 'XYZ'"),
    ),
    (
        "unknown source_id",
        lambda d: set_cell(d / FIGURE_FILE, 6, "secondary_of", "nobody-2099"),
        ("line 6", "unknown source_id 'nobody-2099'"),
    ),
    (
        "non-numeric value",
        lambda d: set_cell(d / FIGURE_FILE, 7, "value", "12 millions"),
        ("line 7", "value '12 millions' is not a number"),
    ),
    (
        "decimal comma",
        lambda d: set_cell(d / FIGURE_FILE, 7, "value", "0,75"),
        ("line 7", "use a dot for decimals"),
    ),
    (
        "unknown country code",
        lambda d: set_cell(d / FIGURE_FILE, 8, "country_iso3", "XXX"),
        ("line 8", "unknown country code 'XXX'"),
    ),
    (
        "unknown platform",
        lambda d: set_cell(d / FIGURE_FILE, 8, "platform", "myspace"),
        ("line 8", "unknown platform 'myspace'"),
    ),
    (
        "unknown qualifier",
        lambda d: set_cell(d / FIGURE_FILE, 9, "qualifier", "roughly"),
        ("line 9", "unknown qualifier 'roughly'"),
    ),
    (
        "unknown topic",
        lambda d: set_cell(d / FIGURE_FILE, 9, "topic", "gossip"),
        ("line 9", "unknown topic 'gossip'"),
    ),
    (
        "bad period",
        lambda d: set_cell(d / FIGURE_FILE, 10, "period", "spring 2017"),
        ("line 10", "period 'spring 2017'"),
    ),
    (
        "range upside down",
        lambda d: (
            set_cell(d / FIGURE_FILE, 2, "qualifier", "range"),
            set_cell(d / FIGURE_FILE, 2, "value", ""),
            set_cell(d / FIGURE_FILE, 2, "value_low", "9"),
            set_cell(d / FIGURE_FILE, 2, "value_high", "3"),
        ),
        ("line 2", "value_low 9.0 is above value_high 3.0"),
    ),
    (
        "duplicate figure_id",
        lambda d: set_cell(d / FIGURE_FILE, 3, "figure_id", "01net-2017-simeon-micro-workers-worldwide"),
        ("line 3", "duplicate figure_id"),
    ),
    (
        "too many fields",
        lambda d: append(d / FIGURE_FILE, "a,b\n"),
        ("01net-2017-simeon.csv, line", "2 fields where the header has"),
    ),
    (
        "broken CSV quoting",
        lambda d: append(d / FIGURE_FILE, 'x,"unterminated\n'),
        ("01net-2017-simeon.csv", "broken CSV"),
    ),
    (
        "empty figure file",
        lambda d: (d / FIGURE_FILE).write_text("", encoding="utf-8"),
        ("01net-2017-simeon.csv", "the file is empty"),
    ),
    (
        "missing column",
        lambda d: (d / FIGURE_FILE).write_text("figure_id,topic\n", encoding="utf-8"),
        ("line 1", "missing column(s)"),
    ),
    (
        "file for an unknown source",
        lambda d: (d / "cited/figures/nobody-2099.csv").write_text("x\n", encoding="utf-8"),
        ("nobody-2099.csv", "is not a source_id"),
    ),
    (
        "checksum mismatch",
        lambda d: append(d / OLI, "2017-04-11,France,other Europe,Writing and translation,1\n"),
        ("oli_bcountry_snapshot_2017-04-11.csv", "checksum mismatch"),
    ),
    (
        "truncated raw file",
        lambda d: (d / OLI).write_bytes((d / OLI).read_bytes()[:5000]),
        ("oli_bcountry_snapshot_2017-04-11.csv", "checksum mismatch"),
    ),
    (
        "missing raw file",
        lambda d: (d / OLI).unlink(),
        ("oli_bcountry_snapshot_2017-04-11.csv", "is missing"),
    ),
    (
        "unknown country in a raw file",
        lambda d: (set_cell(d / OLI, 5, "country", "Atlantis"), reseal(d, OLI)),
        ("oli_bcountry_snapshot_2017-04-11.csv, line 5", "unknown country name 'Atlantis'"),
    ),
    (
        "non-numeric count in a raw file",
        lambda d: (set_cell(d / OLI, 6, "count", "many"), reseal(d, OLI)),
        ("oli_bcountry_snapshot_2017-04-11.csv, line 6", "count 'many' is not a number"),
    ),
    (
        "broken YAML",
        lambda d: append(d / "sources/seeds.yaml", "- source_id: [unclosed\n"),
        ("seeds.yaml", "not valid YAML"),
    ),
    (
        "duplicate source_id",
        lambda d: append(
            d / "sources/reference.yaml", (d / "sources/reference.yaml").read_text().split("\n", 1)[1]
        ),
        ("reference.yaml", "duplicate source_id 'unicode-cldr'"),
    ),
    (
        "source without a licence",
        lambda d: (d / "sources/reference.yaml").write_text(
            (d / "sources/reference.yaml").read_text().replace("  licence: Unicode License v3\n", "")
        ),
        ("reference.yaml", "lacks 'licence'"),
    ),
    (
        "mention of an unknown country",
        lambda d: set_cell(d / "cited/country_mentions.csv", 2, "country_iso3", "ZZZ"),
        ("country_mentions.csv, line 2", "unknown country code 'ZZZ'"),
    ),
    (
        "minimum wage in an unknown currency",
        lambda d: set_cell(d / "cited/minimum_wages_leads.csv", 2, "currency", "ABC"),
        ("minimum_wages_leads.csv, line 2", "unknown currency 'ABC'"),
    ),
    (
        "platform quote missing",
        lambda d: set_cell(d / "cited/platforms.csv", 2, "quote", ""),
        ("platforms.csv, line 2", "missing quote"),
    ),
    (
        "not UTF-8",
        lambda d: (d / FIGURE_FILE).write_bytes("figure_id\nd\xe9j\xe0\n".encode("latin-1")),
        ("01net-2017-simeon.csv", "not UTF-8"),
    ),
]


@pytest.mark.parametrize(("name", "mutate", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named_and_loses_nothing(
    datasets: Path, name: str, mutate: Mutation, expected: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(datasets)
    mutate(datasets)
    assert main(["--datasets", str(datasets)]) == 1
    message = capsys.readouterr().err
    for fragment in expected:
        assert fragment in message, f"{name}: {fragment!r} not in {message!r}"
    assert "previous datasets are unchanged" in message
    assert snapshot(datasets) == before
    assert not list(datasets.glob(".tidy-*"))


def test_there_are_at_least_twenty_bad_input_cases() -> None:
    assert len(CASES) >= 20
