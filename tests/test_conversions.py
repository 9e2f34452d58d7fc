"""Every conversion against a case computed by hand."""

from __future__ import annotations

import pytest

from dashboard.calculator import effective_pay
from etl import figures, units
from etl.money import Rates
from etl.wages import HOURS_PER_MONTH_MODEL

RATES = Rates(
    lcu_per_usd={("EMU", 2017): 0.885205508269372, ("PHL", 2017): 50.4037, ("IND", 2017): 65.1216},
    ppp_lcu_per_intl={("PHL", 2017): 20.1, ("PHL", 2019): 20.9},
    cpi={2017: 245.1196, 2024: 313.6888},
    currency_economy={"EUR": "EMU", "PHP": "PHL", "INR": "IND"},
)
CURRENCIES = frozenset({"USD", "EUR", "PHP", "INR"})


def record(
    value: float | None,
    unit: str,
    year: int | None = 2017,
    scale: str = "one",
    seconds: float | None = None,
    low: float | None = None,
    high: float | None = None,
) -> dict[str, object]:
    return {
        "figure_id": "x",
        "source_id": "s",
        "scale": scale,
        "year": year,
        "year_basis": "period",
        "value": value,
        "value_low": low,
        "value_high": high,
        "seconds_per_unit": seconds,
        "_unit": units.parse(unit, CURRENCIES),
        "qualifier": "range" if low is not None else "exact",
    }


def normalised(rec: dict[str, object]) -> dict[str, object]:
    return figures.normalise([rec], RATES).iloc[0].to_dict()


def test_cents_become_dollars() -> None:
    out = normalised(record(0.006, "USD_cent_per_click"))
    assert out["value_normalised"] == pytest.approx(0.00006)
    assert out["value_usd_nominal"] == pytest.approx(0.00006)
    assert out["unit_normalised"] == "USD_per_click"


def test_euros_become_dollars_at_the_world_bank_rate_of_the_year() -> None:
    out = normalised(record(9800, "EUR_per_year"))
    assert out["value_usd_nominal"] == pytest.approx(11070.88, abs=0.01)  # 9800 / 0.885205508
    assert "WDI 2017" in out["conversion"]


def test_constant_dollars_use_the_cpi_ratio() -> None:
    out = normalised(record(100, "USD"))
    assert out["value_usd_constant"] == pytest.approx(127.97, abs=0.01)  # 100 × 313.6888 / 245.1196


def test_scale_words_multiply() -> None:
    out = normalised(record(12, "workers", scale="million"))
    assert out["value_normalised"] == 12_000_000
    assert pd_isna(out["value_usd_nominal"])


def test_a_stated_duration_gives_an_hourly_rate() -> None:
    out = normalised(record(10, "EUR_cent_per_pair", seconds=30))
    assert out["usd_per_hour"] == pytest.approx(0.10 / 0.885205508269372 * 120)


def test_ranges_are_converted_at_both_ends() -> None:
    out = normalised(record(None, "USD_cent_per_like", low=35, high=70))
    assert (out["low_usd_nominal"], out["high_usd_nominal"]) == (pytest.approx(0.35), pytest.approx(0.70))
    assert pd_isna(out["value_usd_nominal"])


def test_a_money_figure_without_a_rate_is_left_unconverted_and_says_so() -> None:
    out = normalised(record(5, "INR_per_hour", year=2030))
    assert pd_isna(out["value_usd_nominal"]) and "no INR rate for 2030" in out["conversion"]


def test_ppp_uses_the_latest_factor_not_after_the_year() -> None:
    assert RATES.ppp_factor("PHL", 2018) == (20.1, 2017)
    assert RATES.ppp_factor("PHL", 2016) is None


def test_the_hourly_minimum_wage_model_reverses_ilostat_convention() -> None:
    # ILOSTAT shows the US federal $7.25 an hour as 1256.67 a month (× 40 × 52 ÷ 12).
    assert pytest.approx(7.25, abs=0.001) == 1256.67 / HOURS_PER_MONTH_MODEL


def test_four_cents_a_task_every_30_seconds_is_4_80_an_hour() -> None:
    result = effective_pay(0.04, 30, 0, 7.25)
    assert result.paid_usd_per_hour == pytest.approx(4.80)
    assert result.effective_usd_per_hour == pytest.approx(4.80)
    assert result.share_of_minimum_percent == pytest.approx(4.80 / 7.25 * 100)
    assert result.tasks_per_minimum_hour == pytest.approx(181.25)


def test_unpaid_minutes_dilute_the_hourly_pay() -> None:
    # 20 unpaid minutes per paid hour: 80 minutes of work earn one paid hour, 4.80 × 60 / 80 = 3.60
    assert effective_pay(0.04, 30, 20).effective_usd_per_hour == pytest.approx(3.60)


@pytest.mark.parametrize("args", [(-0.01, 30, 0), (0.04, 0, 0), (0.04, 30, -1)])
def test_the_calculator_refuses_impossible_inputs(args: tuple[float, float, float]) -> None:
    with pytest.raises(ValueError):
        effective_pay(*args)


def test_unknown_units_and_currencies_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown unit"):
        units.parse("furlongs", CURRENCIES)
    with pytest.raises(ValueError, match="unknown currency 'XYZ'"):
        units.parse("XYZ_per_hour", CURRENCIES)
    with pytest.raises(ValueError, match="unknown basis 'fortnight'"):
        units.parse("USD_per_fortnight", CURRENCIES)


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


@pytest.mark.parametrize("value", [1e-28, 7.25e28, float("inf"), 1e300, -1e-12])
def test_extreme_numbers_are_formatted_not_crashed(value: float) -> None:
    from dashboard import i18n

    for text in (i18n.number(value), i18n.money(value), i18n.percent(value), i18n.significant(value)):
        assert text and "nan" not in text.lower()
