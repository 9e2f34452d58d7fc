"""The Projections page's scenario: compound growth from a base, drawn as OUR model, not data."""

from __future__ import annotations

import pandas as pd


def scenario(base_value: float, base_year: int, growth: float, last_year: int) -> pd.DataFrame:
    """N(y) = base × (1 + growth)^(y − base_year), for every year from base_year to last_year."""
    if base_value <= 0:
        raise ValueError("the base value must be positive")
    if growth <= -1:
        raise ValueError("a yearly growth of -100% or less leaves nothing")
    years = list(range(base_year, last_year + 1))
    return pd.DataFrame(
        {"year": years, "value": [base_value * (1 + growth) ** (y - base_year) for y in years]}
    )
