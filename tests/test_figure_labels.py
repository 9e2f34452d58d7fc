"""Every cited figure, written the way a reader meets it (hover, sentence, CSV), in English and in
French: its qualifier in words, both ends of a range, whose it is, what is ours, the caveat, and
the quote with our translation for an English reader of a French one."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pandas as pd
import pytest

from dashboard import figures, i18n
from tests.support import ROOT

DATASETS = ROOT / "datasets"
# The words a reader must see for each qualifier, written here by hand (not read from the catalogue).
QUALIFIER_WORDS = {
    "en": {
        "about": "about ",
        "more_than": "more than ",
        "less_than": "less than ",
        "at_least": "at least ",
        "at_most": "at most ",
        "nearly": "nearly ",
        "up_to": "up to ",
    },
    "fr": {
        "about": "environ ",
        "more_than": "plus de ",
        "less_than": "moins de ",
        "at_least": "au moins ",
        "at_most": "au plus ",
        "nearly": "près de ",
        "up_to": "jusqu’à ",
    },
}
# How an "= …" line says the value is ours: "(ours: …)", "(calcul nôtre : …)", "(notre lecture des mots)".
OURS = {"en": r"= [^=]*\(ours", "fr": r"= [^=]*\((calcul nôtre|notre lecture)"}
TRANSLATION = "our translation"


def _table() -> pd.DataFrame:
    """The tidy figures table with its declared types, joined to the citations, as the app reads it."""
    package = json.loads((DATASETS / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "figures")
    numbers = [f["name"] for f in resource["schema"]["fields"] if f["type"] in ("number", "integer")]
    frame = pd.read_csv(
        DATASETS / resource["path"],
        dtype=str,
        keep_default_na=False,
    )
    for column in numbers:
        frame[column] = pd.to_numeric(frame[column].replace("", None))
    sources = pd.read_csv(DATASETS / "tidy" / "sources.csv", dtype=str, keep_default_na=False)
    cite = dict(zip(sources["source_id"], sources["citation"], strict=True))
    frame["citation"] = frame["source_id"].map(cite)
    frame["study_citation"] = frame["secondary_of"].map(lambda s: cite.get(s, ""))
    return frame


FIGURES = _table()


@pytest.fixture(params=["en", "fr"])
def lang(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(i18n, "lang", lambda: request.param)
    yield request.param


def seen(text: str) -> str:
    """What a reader reads: hover markup and line breaks gone, no-break spaces as spaces."""
    text = html.unescape(re.sub(r"<br>|</?[bi]>", " ", text))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def inside(part: str, whole: str) -> bool:
    """`part` is in `whole` as a reader reads it, wherever the hover broke its lines."""
    return re.sub(r"\s", "", seen(part)) in re.sub(r"\s", "", seen(whole))


def digits(text: str, lang: str) -> str:
    """Numbers without their thousands separators (10,379 / 10 379 → 10379)."""
    group = r"," if lang == "en" else r"[ \u00a0\u202f]"
    return re.sub(rf"(?<=\d){group}(?=\d{{3}})", "", text)


def typed(value: float, lang: str) -> str:
    """A number as the reader's language writes its digits: 0.006 / 0,006, 12, 33.3 / 33,3."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def rows() -> list[pd.Series]:
    return [row for _, row in FIGURES.iterrows()]


def test_the_table_holds_every_figure_and_its_reader_columns() -> None:
    assert len(FIGURES) >= 160
    for column in ("population_en", "population_fr", "quote_en", "caveat_en", "caveat_fr", "figure_kind"):
        assert column in FIGURES
    assert set(figures.FIGURE_EXPORT) <= set(FIGURES.columns)


@pytest.mark.parametrize("row", rows(), ids=list(FIGURES["figure_id"]))
def test_every_figure_is_written_with_its_qualifier_range_and_population(row: pd.Series, lang: str) -> None:
    hover = seen(figures.hover(row))
    sentence = seen(figures.sentence(row))
    value = seen(figures.stated(row))
    words = row[f"words_{lang}"]
    qualifier = row["qualifier"]
    if words:
        assert words in value and words in hover and words in sentence
    elif qualifier in QUALIFIER_WORDS[lang]:
        word = QUALIFIER_WORDS[lang][qualifier]
        assert value.startswith(word), value
        assert word in hover and word in sentence
    if qualifier == "range":
        low, high = typed(row["value_low"], lang), typed(row["value_high"], lang)
        assert re.search(rf"{re.escape(low)}\D{{0,3}}–\D{{0,3}}{re.escape(high)}", digits(value, lang)), value
    elif not words:
        assert typed(row["value"], lang) in digits(value, lang), value
    population = row[f"population_{lang}"]
    if population:
        assert inside(population, hover) and inside(population, sentence)
    caveat = row[f"caveat_{lang}"]
    if caveat:
        assert inside(caveat, hover) and inside(caveat, sentence)
    assert inside(row["quote"], hover)
    translation = row["quote_en"]
    if translation and lang == "en":
        assert inside(f"{TRANSLATION}: “{translation}”", hover)
    else:
        assert TRANSLATION not in hover


@pytest.mark.parametrize("row", rows(), ids=list(FIGURES["figure_id"]))
def test_what_we_compute_is_said_to_be_ours_on_screen_and_in_the_table(row: pd.Series, lang: str) -> None:
    hover = seen(figures.hover(row))
    converted = row["currency"] not in ("", "USD") and pd.notna(row["value_usd_nominal"])
    from_duration = pd.notna(row["seconds_per_unit"]) and pd.notna(row["usd_per_hour"])
    reading = row["qualifier"] == "several"
    if converted or from_duration or reading:
        assert re.search(OURS[lang], hover), hover
        assert "ours:" in row["conversion"]
    if reading:
        low, high = typed(row["value_low"], lang), typed(row["value_high"], lang)
        assert f"{low}–{high}" in hover
    if not (converted or from_duration or reading):
        assert "ours:" not in row["conversion"] or "constant" in row["conversion"]


def _row(figure_id: str) -> pd.Series:
    return FIGURES.set_index("figure_id", drop=False).loc[figure_id]


def test_ten_euro_cents_a_pair_every_30_seconds_is_13_56_dollars_an_hour_marked_ours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(i18n, "lang", lambda: "en")
    hover = seen(figures.hover(_row("01net-2017-simeon-once-price-per-pair")))
    # 0.10 EUR ÷ 0.885205508 EUR per USD (World Bank 2017) × 120 pairs an hour = 13.556 USD
    assert "10 euro cents per matched pair" in hover
    assert "= $13.56 an hour (ours:" in hover
    assert "one every 30 s as the text states" in hover
    assert "0.8852 EUR per US dollar" in hover


def test_several_hundred_million_is_words_with_our_reading_not_more_than_100_million(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    row = _row("lefigaro-2017-braun-digital-labour-workers")
    assert row["qualifier"] == "several" and pd.isna(row["value"])
    assert (row["low_normalised"], row["high_normalised"]) == (200_000_000, 900_000_000)
    assert row["figure_kind"] == "estimate"
    monkeypatch.setattr(i18n, "lang", lambda: "en")
    assert figures.stated(row) == "several hundred million workers"
    hover = seen(figures.hover(row))
    assert "more than" not in hover
    assert "= 200–900 million workers (ours: our reading of the words)" in hover
    monkeypatch.setattr(i18n, "lang", lambda: "fr")
    assert figures.stated(row) == "plusieurs centaines de millions de travailleurs"


def test_the_world_bank_range_is_an_estimate_with_both_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    row = _row("fastcompany-2023-wb-online-gig-workers")
    assert row["figure_kind"] == "estimate" and row["qualifier"] == "range"
    monkeypatch.setattr(i18n, "lang", lambda: "en")
    assert figures.stated(row) == "154–435 million workers"
    assert "not a count" in figures.caveat(row)


def test_india_s_share_keeps_more_than_and_says_whose_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "lang", lambda: "en")
    row = _row("transpay-oli-worker-share-ind")
    assert figures.stated(row) == "more than 25%"
    assert "workers observed by the Online Labour Index" in figures.sentence(row)
    philippines = _row("geonet-2013-odesk-active-share-phl")
    assert figures.stated(philippines, population=True) == (
        "about 25% — population: oDesk’s active workers at noon (local time) on an average Tuesday, 2013"
    )


def test_the_seeds_misreadings_reach_the_screen_as_caveats(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "lang", lambda: "en")
    jobs = _row("alternatives-economiques-2017-aggeri-frey-osborne-jobs-at-risk")
    assert (
        "47% des emplois sont menacés par la révolution digitale d’ici à 2050" in jobs["quote"]
    )  # as the seed
    hover = seen(figures.hover(jobs))
    assert (
        "perhaps a decade or two" in hover and "no 2050" in hover and "US jobs only" in hover
    )  # and the paper
    facebook = seen(figures.hover(_row("01net-2017-simeon-facebook-monthly-users")))
    assert "Not 01net’s figure" in facebook and "company-profile box" in facebook
    assert TRANSLATION not in facebook  # the box is in English
    followers = seen(figures.hover(_row("rue89-2016-casilli-trump-trump-facebook-followers-bought")))
    assert "42%" in followers


def test_a_french_reader_sees_the_quote_without_our_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    row = _row("01net-2017-simeon-mturk-hourly-earnings-laura")
    monkeypatch.setattr(i18n, "lang", lambda: "en")
    english = seen(figures.hover(row))
    assert "« La triste réalité" in english
    assert "(our translation: “The sad reality, she laments, is that I earned 0.75 dollar an hour" in english
    monkeypatch.setattr(i18n, "lang", lambda: "fr")
    assert "The sad reality" not in seen(figures.hover(row))


def test_the_export_has_the_value_as_stated_in_the_reader_s_language(monkeypatch: pytest.MonkeyPatch) -> None:
    shares = FIGURES[FIGURES["metric"] == "share_of_online_workers"]
    for lang, word in (("en", "more than 25%"), ("fr", "plus de 25\u00a0%")):
        monkeypatch.setattr(i18n, "lang", lambda lang=lang: lang)
        out = figures.export(shares, leading=("figure_id",))
        assert list(out.columns[:5]) == ["figure_id", "as_stated", "population", "ours", "caveat"]
        india = out[out["figure_id"] == "transpay-oli-worker-share-ind"].iloc[0]
        assert seen(india["as_stated"]).startswith(seen(word))
        assert (
            india["population"] == shares.set_index("figure_id").loc[india["figure_id"], f"population_{lang}"]
        )
        assert india["caveat"]


def test_the_names_pages_call_keep_working(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "lang", lambda: "en")
    row = _row("01net-2017-simeon-micro-workers-worldwide")
    assert figures.figure_value(row) == "> 100,000,000"
    assert figures.figure_hover(row) == figures.hover(row)
    assert figures.with_unit("14", "percent") == "14%"
    assert figures.with_unit(
        figures.figure_value(_row("01net-2017-simeon-microwork-platforms-count")), "platforms"
    ) == ("dozens of platforms")
    assert figures.period_label(row) == "published 2017"
