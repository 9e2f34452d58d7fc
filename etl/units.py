"""The unit vocabulary of cited figures, how a typed unit is read, and the values each unit admits.

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
    {
        "exact",
        "about",
        "more_than",
        "less_than",
        "at_least",
        "at_most",
        "nearly",
        "range",
        "up_to",
        "several",
    }
)
# `several`: the text gives an unnumbered plural of a round number instead of a number
# ("plusieurs centaines de millions", "des millions", "des dizaines"). `value` stays empty;
# `words_en`/`words_fr` carry the words, which are what the screen shows; `value_low`–`value_high`
# is OUR reading of them, always two to nine of the unit the words name (several hundred million:
# 200–900 million), since ten of it would have been called by the next name ("a billion",
# "tens of millions"). A `caveat` must say the span is ours: a chart that draws it draws our reading.
SEVERAL = "several"
# What kind of number a figure is, as its text presents it (our classification, typed per row).
FIGURE_KINDS = {
    "measured": "counted or observed: a tally of accounts, workers, tasks, vacancies or money, a survey "
    "result, a price or pay seen, or a share, average or median of such a tally, whoever counted it",
    "estimate": "presented as an estimate or an order of magnitude: a conditional the text flags as a "
    "guess, a range of estimates, an unnumbered plural (qualifier `several`)",
    "forecast": "about a time after the publication (a projection, a target, a risk by a date)",
    "example": "an illustration, not a measure (« par exemple », a hypothetical comparison)",
    "calculation": "the publication's own arithmetic from its other figures (an annualisation, its own "
    "currency conversion, a ratio or growth factor between two of its figures)",
    "assumption": "a premise the publication sets for a calculation (40 hours a week, no holidays)",
}
# Units whose figures count people (or their accounts): each needs the population it counts
# (`population_en`/`population_fr`: whose workers, on which platform, when). So does every percent:
# a share or a change means nothing without what it is a share of.
PEOPLE_UNITS = frozenset({"workers", "people", "users", "employers", "accounts"})
SHARE_UNITS = frozenset({"percent", "percentage_points"})
# What to type as a population when the text does not say it.
NOT_STATED = {"en": "not stated", "fr": "non précisé"}
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


# Which values may be below zero. None of our counts can (workers, users, tasks, hours; in the raw
# files OLI vacancies and worker profiles), nor an amount of money (a price, a wage, earnings, a
# fee: a loss would be a metric of its own), nor a ratio of two of those. A minimum wage (typed in,
# or in the ILOSTAT and OECD files) is above zero: a country without one has no row. Only a change
# can fall: a difference in percentage points, and a percent that is not a share (a growth rate).
SIGNED = frozenset({"percentage_points"})
# Ceilings a count cannot pass: an hour has 60 minutes, a week 168 hours.
CEILINGS = {"minutes_per_hour": 60.0, "hours_per_week": 168.0}
# A rank starts at 1.
FLOORS = {"rank": 1.0}
# Years a figure, a publication or a raw row may be dated in. The oldest series we read (US CPI)
# starts in 1913, and the furthest projection we cite is for 2050: a year outside this span is a
# typing error (a day typed in the year's place, a digit too many).
FIRST_YEAR = 1900
LAST_YEAR = 2100


def needs_population(unit: Unit) -> bool:
    """Whether a figure in `unit` must say whose it is: counts of people and percents do."""
    return unit.typed in PEOPLE_UNITS or unit.typed in SHARE_UNITS


def is_share(metric: str) -> bool:
    """A percent is a share of a whole (0 to 100) when its metric says so: `share_of_…`, `…_share`."""
    return "share" in metric.split("_")


def out_of_range(unit: Unit, metric: str, value: float) -> str | None:
    """Why `value` (normalised: scale and cents applied) cannot be a `unit` figure, or None."""
    if unit.typed == "percent" and is_share(metric):
        return None if 0 <= value <= 100 else "is a share and must be between 0 and 100"
    if unit.typed in SIGNED or (unit.typed == "percent" and not is_share(metric)):
        return None
    if value < FLOORS.get(unit.typed, 0.0):
        return f"cannot be below {FLOORS.get(unit.typed, 0.0):g}"
    if unit.typed in CEILINGS and value > CEILINGS[unit.typed]:
        return f"cannot be above {CEILINGS[unit.typed]:g}"
    return None
