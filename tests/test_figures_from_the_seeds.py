"""A sample of the seeds' figures, checked by value, unit, year and the sentence they came from."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from tests.support import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return pd.read_csv(
        ROOT / "datasets" / "tidy" / "figures.csv",
        keep_default_na=False,
        na_values={
            c: [""]
            for c in (
                "value",
                "value_normalised",
                "low_normalised",
                "high_normalised",
                "value_usd_nominal",
                "low_usd_nominal",
                "high_usd_nominal",
                "usd_per_hour",
                "value_usd_constant",
                "year",
            )
        },
    )


def row(figures: pd.DataFrame, figure_id: str) -> pd.Series:
    found = figures[figures["figure_id"] == figure_id]
    assert len(found) == 1, f"{figure_id} should be one row, found {len(found)}"
    return found.iloc[0]


def test_a_click_farm_click_is_six_thousandths_of_a_cent(figures: pd.DataFrame) -> None:
    click = row(figures, "rue89-2017-casilli-fillon-price-per-click-click-farms")
    assert click["value"] == 0.006 and click["unit"] == "USD_cent_per_click"
    assert click["value_normalised"] == pytest.approx(0.00006)
    assert click["unit_normalised"] == "USD_per_click"
    assert "(0,006¢/clic)" in click["quote"]
    assert click["source_id"] == "rue89-2017-casilli-fillon"


def test_a_like_costs_a_range_of_35_to_70_cents_kept_as_a_range(figures: pd.DataFrame) -> None:
    like = row(figures, "rue89-2017-casilli-fillon-price-per-like-influencers")
    assert like["qualifier"] == "range" and pd.isna(like["value"])
    assert (like["low_usd_nominal"], like["high_usd_nominal"]) == (pytest.approx(0.35), pytest.approx(0.70))
    assert "35-70¢/like" in like["quote"]


def test_upwork_has_two_disagreeing_sizes_and_both_stay(figures: pd.DataFrame) -> None:
    upwork = figures[
        (figures["platform"] == "upwork")
        & figures["source_id"].isin(["lemonde-2017-orain", "rue89-2016-casilli-trump", "01net-2017-simeon"])
    ]
    sizes = {(r.source_id, r.value_normalised) for r in upwork.itertuples()}
    assert ("lemonde-2017-orain", 12_000_000) in sizes
    assert ("01net-2017-simeon", 12_000_000) in sizes
    assert ("rue89-2016-casilli-trump", 10_000_000) in sizes


def test_the_ilo_forecast_of_213_million_is_relayed_by_le_figaro(figures: pd.DataFrame) -> None:
    ilo = row(figures, "lefigaro-2017-braun-ilo-workers-by-2019")
    assert ilo["value_normalised"] == 213_000_000 and ilo["unit_normalised"] == "workers"
    assert ilo["period"] == "2019" and ilo["topic"] == "projection"
    assert ilo["secondary_of"] == "ilo-2016-digital-labour"
    assert "213 millions de travailleurs" in ilo["quote"]


def test_more_than_a_hundred_million_keeps_its_qualifier(figures: pd.DataFrame) -> None:
    many = row(figures, "01net-2017-simeon-micro-workers-worldwide")
    assert many["qualifier"] == "more_than" and many["value_normalised"] == 100_000_000


def test_a_turker_earned_75_cents_an_hour(figures: pd.DataFrame) -> None:
    laura = row(figures, "01net-2017-simeon-mturk-hourly-earnings-laura")
    assert laura["usd_per_hour"] == pytest.approx(0.75)
    assert laura["year"] == 2017  # the 01net article's year: the text fixes no other period


def test_once_pays_ten_euro_cents_a_pair_converted_at_the_2017_rate(figures: pd.DataFrame) -> None:
    pair = row(figures, "01net-2017-simeon-once-price-per-pair")
    assert pair["unit"] == "EUR_cent_per_pair" and pair["value"] == 10
    # 0.10 EUR ÷ 0.885205508269372 EUR per USD (World Bank, euro area, 2017) = 0.11297 USD
    assert pair["value_usd_nominal"] == pytest.approx(0.10 / 0.885205508269372)
    # one match every 30 s: 120 pairs an hour
    assert pair["usd_per_hour"] == pytest.approx(120 * 0.10 / 0.885205508269372)


def test_every_seed_quote_is_word_for_word_in_the_seeds(figures: pd.DataFrame) -> None:
    assert SEEDS.is_dir(), f"the seeds are expected beside the repository, in {SEEDS}"
    text = " ".join(re.sub(r"\s+", " ", p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt")))
    seed_sources = {p.stem for p in (ROOT / "datasets" / "cited" / "figures").glob("*.csv") if _is_seed(p)}
    rows = figures[figures["source_id"].isin(seed_sources)]
    assert len(rows) >= 60
    missing = [r.figure_id for r in rows.itertuples() if re.sub(r"\s+", " ", r.quote) not in text]
    assert missing == []


def _is_seed(path: Path) -> bool:
    import yaml

    seeds = yaml.safe_load((ROOT / "datasets" / "sources" / "seeds.yaml").read_text(encoding="utf-8"))
    return path.stem in {s["source_id"] for s in seeds}
