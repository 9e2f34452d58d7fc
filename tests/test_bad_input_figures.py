"""Bad input in what a figure tells its reader (its kind, its population, our translation of its
quote, its caveat, the words of an unnumbered plural): each fails with its file, its line and the
problem, and loses nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from etl.__main__ import main
from tests.conftest import snapshot

NET = "cited/figures/01net-2017-simeon.csv"
MONDE = "cited/figures/lemonde-2017-orain.csv"


def edit(path: Path, line: int, **cells: str) -> None:
    """Change cells of one line of a CSV file (line 1 is the header)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    for column, value in cells.items():
        rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def drop_column(path: Path, column: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    at = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:at] + r[at + 1 :] for r in rows])
    path.write_text(out.getvalue(), encoding="utf-8")


def line_of(path: Path, figure_id: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if text.startswith(f"{figure_id},"))


def at(relative: str, figure_id: str, **cells: str) -> Callable[[Path], None]:
    """Change cells of the row of `figure_id` (found by id, not by a line number that may move)."""

    def mutate(folder: Path) -> None:
        edit(folder / relative, line_of(folder / relative, figure_id), **cells)

    return mutate


def where(relative: str, figure_id: str) -> Callable[[Path], str]:
    return lambda folder: f"{Path(relative).name}, line {line_of(folder / relative, figure_id)}"


LAURA = "01net-2017-simeon-mturk-hourly-earnings-laura"
COMMISSION = "01net-2017-simeon-mturk-commission"
REGISTERED = "01net-2017-simeon-mturk-registered-workers"
ACTIVE = "01net-2017-simeon-mturk-monthly-active-workers"
FACEBOOK = "01net-2017-simeon-facebook-monthly-users"
DOZENS = "01net-2017-simeon-microwork-platforms-count"
WORLDWIDE = "01net-2017-simeon-micro-workers-worldwide"
PER_MINUTE = "lemonde-2017-orain-microwork-pay-per-minute"

Expected = str | Callable[[Path], str]
CASES: list[tuple[str, Callable[[Path], None], tuple[Expected, ...]]] = [
    (
        "French quote without our translation",
        at(NET, WORLDWIDE, quote_en=""),
        (where(NET, WORLDWIDE), "the quote is in 'fr' and has no quote_en"),
    ),
    (
        "file typed before quote_en existed",
        lambda d: drop_column(d / MONDE, "quote_en"),
        ("lemonde-2017-orain.csv, line 2", "has no quote_en (our English translation)"),
    ),
    (
        "translation that changes a number",
        at(
            NET,
            LAURA,
            quote_en="The sad reality, she laments, is that I earned 7.5 dollars an hour…, cut by 15%",
        ),
        (where(NET, LAURA), "quote_en must keep the quote's numbers as they are", "0.75", "7.5"),
    ),
    (
        "translation of a quote already in English",
        at(NET, FACEBOOK, quote_en="(1.9 billion monthly"),
        (where(NET, FACEBOOK), "quote_en is typed but the quote is already in English"),
    ),
    (
        "unknown quote language",
        at(NET, FACEBOOK, quote_language="english"),
        (where(NET, FACEBOOK), "quote_language 'english' is not one of en, fr, ko"),
    ),
    (
        "count of workers without its population",
        at(NET, REGISTERED, population_en="", population_fr=""),
        (where(NET, REGISTERED), "is in workers but has no population_en/population_fr", "'not stated'"),
    ),
    (
        "percent without its population",
        at(NET, COMMISSION, population_en="", population_fr=""),
        (where(NET, COMMISSION), "is in percent but has no population_en/population_fr"),
    ),
    (
        "population in one language only",
        at(NET, ACTIVE, population_fr=""),
        (where(NET, ACTIVE), "has population_en but no population_fr: type both or neither"),
    ),
    (
        "population 'not stated' in one language only",
        at(NET, ACTIVE, population_en="not stated"),
        (where(NET, ACTIVE), "disagree on whether the text states it"),
    ),
    (
        "caveat in one language only",
        at(NET, FACEBOOK, caveat_en=""),
        (where(NET, FACEBOOK), "has caveat_fr but no caveat_en: type both or neither"),
    ),
    (
        "caveat too long for the screen",
        at(NET, FACEBOOK, caveat_en="x" * 400),
        (where(NET, FACEBOOK), "caveat_en has 400 characters", "the whole story goes in note"),
    ),
    (
        "figure without its kind",
        at(NET, LAURA, figure_kind=""),
        (where(NET, LAURA), "has no figure_kind (one of: measured, estimate"),
    ),
    (
        "unknown figure kind",
        at(NET, LAURA, figure_kind="rumour"),
        (where(NET, LAURA), "has an unknown figure_kind 'rumour'"),
    ),
    (
        "unnumbered plural with a number",
        at(NET, DOZENS, value="10"),
        (where(NET, DOZENS), "qualifier several needs an empty value and value_low and value_high"),
    ),
    (
        "unnumbered plural without our reading",
        at(NET, DOZENS, value_high=""),
        (where(NET, DOZENS), "qualifier several needs an empty value and value_low and value_high"),
    ),
    (
        "our reading upside down",
        at(NET, DOZENS, value_low="90", value_high="20"),
        (where(NET, DOZENS), "value_low 90.0 is above value_high 20.0"),
    ),
    (
        "unnumbered plural whose reading is not said to be ours",
        at(NET, DOZENS, caveat_en="", caveat_fr=""),
        (where(NET, DOZENS), "qualifier several needs a caveat saying value_low–value_high is our reading"),
    ),
    (
        "unnumbered plural without its words",
        at(NET, DOZENS, words_en="", words_fr=""),
        (where(NET, DOZENS), "has no number: type the words the text gives (words_en/words_fr"),
    ),
    (
        "figure with no number and no words",
        at(MONDE, PER_MINUTE, words_en="", words_fr=""),
        (where(MONDE, PER_MINUTE), "has no number: type the words the text gives"),
    ),
    (
        "words in one language only",
        at(MONDE, PER_MINUTE, words_fr=""),
        (where(MONDE, PER_MINUTE), "has words_en but no words_fr: type both or neither"),
    ),
]


@pytest.mark.parametrize(("name", "mutate", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_reader_text_is_named_and_loses_nothing(
    datasets: Path,
    name: str,
    mutate: Callable[[Path], None],
    expected: tuple[Expected, ...],
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = snapshot(datasets)
    mutate(datasets)
    assert main(["--datasets", str(datasets)]) == 1
    message = capsys.readouterr().err
    for wanted in expected:
        fragment = wanted(datasets) if callable(wanted) else wanted
        assert fragment in message, f"{name}: {fragment!r} not in {message!r}"
    assert "previous datasets are unchanged" in message
    assert snapshot(datasets) == before
    assert not list(datasets.glob(".tidy-*"))
