"""The unit vocabulary of cited figures, and how a typed unit is read.

A unit is either a count (`workers`, `percent`…) or money: an ISO 4217 code, optionally `_cent`
when the text gives cents, optionally `_per_<basis>` for a rate (`USD_cent_per_click`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COUNT_UNITS = frozenset(
    {
        "workers",
        "users",
        "people",
        "employers",
        "accounts",
        "followers",
        "fans",
        "friends",
        "platforms",
        "tasks",
        "jobs",
        "tweets",
        "shares",
        "likes",
        "posts",
        "points",
        "projects",
        "transactions",
        "countries",
        "hours",
        "hours_per_week",
        "minutes_per_hour",
        "percent",
        "percentage_points",
        "ratio",
        "rank",
        "years",
        "weeks",
    }
)
BASES = frozenset(
    {
        "click",
        "like",
        "tweet",
        "share",
        "task",
        "pair",
        "gig",
        "follower",
        "minute",
        "hour",
        "day",
        "week",
        "month",
        "year",
        "budget",
    }
)
SCALES = {"": 1.0, "one": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9}
QUALIFIERS = frozenset(
    {"exact", "about", "more_than", "less_than", "at_least", "at_most", "nearly", "range", "up_to"}
)
TOPICS = frozenset(
    {
        "platform_size",
        "workforce",
        "price",
        "earnings",
        "hours",
        "commission",
        "growth",
        "projection",
        "automation",
        "politics",
        "gamification",
        "reach",
        "survey",
        "flow",
    }
)
MONEY = re.compile(r"^(?P<currency>[A-Z]{3})(?P<cent>_cent)?(?:_per_(?P<basis>[a-z]+))?$")


@dataclass(frozen=True)
class Unit:
    """A parsed unit. `factor` turns the typed number into whole currency units (cents → 0.01)."""

    typed: str
    kind: str  # "count" or "money"
    currency: str = ""
    basis: str = ""
    factor: float = 1.0

    @property
    def normalised(self) -> str:
        """The unit after normalisation: cents folded into the currency."""
        if self.kind == "count":
            return self.typed
        return f"{self.currency}_per_{self.basis}" if self.basis else self.currency


def parse(text: str, currencies: frozenset[str]) -> Unit:
    """Read a typed unit; raise ValueError with the reason when it is not in the vocabulary."""
    if text in COUNT_UNITS:
        return Unit(text, "count")
    match = MONEY.match(text)
    if not match:
        raise ValueError(f"unknown unit {text!r}")
    currency = match["currency"]
    if currency not in currencies:
        raise ValueError(f"unknown currency {currency!r} in unit {text!r}")
    basis = match["basis"] or ""
    if basis and basis not in BASES:
        raise ValueError(f"unknown basis {basis!r} in unit {text!r}")
    return Unit(text, "money", currency, basis, 0.01 if match["cent"] else 1.0)
