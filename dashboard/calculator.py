"""The wage calculator's arithmetic: a pure function the Wages page wires widgets to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    paid_usd_per_hour: float
    effective_usd_per_hour: float
    share_of_minimum_percent: float | None
    tasks_per_minimum_hour: float | None


def effective_pay(
    usd_per_task: float,
    seconds_per_task: float,
    unpaid_minutes_per_paid_hour: float = 0.0,
    minimum_usd_per_hour: float | None = None,
) -> Result:
    """Hourly pay of a task worker, counting unpaid time (searching, waiting, rejected work).

    paid hourly = price × 3600 ÷ seconds; every paid hour costs 60 + unpaid minutes of time, so
    effective hourly = paid hourly × 60 ÷ (60 + unpaid). Against a minimum wage: the share it
    represents, and how many tasks earn one hour of it (minimum ÷ price).
    """
    if usd_per_task < 0:
        raise ValueError("the price per task cannot be negative")
    if seconds_per_task <= 0:
        raise ValueError("a task takes more than zero seconds")
    if unpaid_minutes_per_paid_hour < 0:
        raise ValueError("unpaid time cannot be negative")
    paid = usd_per_task * 3600 / seconds_per_task
    effective = paid * 60 / (60 + unpaid_minutes_per_paid_hour)
    if minimum_usd_per_hour is None or minimum_usd_per_hour <= 0:
        return Result(paid, effective, None, None)
    share = 100 * effective / minimum_usd_per_hour
    tasks = minimum_usd_per_hour / usd_per_task if usd_per_task > 0 else None
    return Result(paid, effective, share, tasks)
