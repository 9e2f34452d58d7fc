"""The first chart first (dashboard/first_chart.py): a session's first run in a browser ends after
the page's first chart, and the run the browser then asks for sends the page whole, reading the
address again as a first run does.

AppTest has no browser (no request headers), so the pages run whole in every other test; here the
session is given one. The browser tests (test_browser, test_controls…) open every page through
the real thing: their wait for the app waits for the rest of the page too (tests/support.py).
"""

from __future__ import annotations

import pytest

from dashboard import first_chart
from tests.support import run_page


@pytest.fixture
def in_a_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(first_chart, "_has_browser", lambda: True)


def charts(at: object) -> int:
    return len(at.get("plotly_chart"))  # type: ignore[attr-defined]


def warnings(at: object) -> list[str]:
    return [w.value for w in at.warning]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("page", "whole"),
    [("wages", 4), ("workers", 3), ("projections", 2), ("map", 3)],
)
def test_a_first_visit_gets_the_first_chart_then_the_whole_page(
    in_a_browser: None, page: str, whole: int
) -> None:
    at = run_page(page)
    assert charts(at) == 1
    at.run()  # the run the browser asks for once that chart is drawn
    assert not at.exception
    assert charts(at) == whole


def test_the_rest_of_the_page_reads_the_address_again(in_a_browser: None) -> None:
    # year is read before the cut, price and the price's year after it
    at = run_page("wages", year="1066", price="0.5", price_year="1900")
    assert charts(at) == 1
    at.run()
    shown = warnings(at)
    assert any("year=1066" in w for w in shown), shown  # the notice of the cut run, shown again
    assert any("1900" in w for w in shown), shown  # price_year, read after the cut
    assert "0.5" in [field.value for field in at.text_input]
    assert at.query_params["price"] == "0.5"  # and the address keeps it


def test_an_embedded_chart_and_every_later_run_are_never_cut(in_a_browser: None) -> None:
    # the embedded chart (any chart of the page: this one comes after the cut) is drawn
    at = run_page("wages", embed="true", chart="hourly-vs-minimum")
    assert charts(at) == 4
    assert not [w for w in warnings(at) if "does not draw" in w]

    at = run_page("wages")
    at.run()
    at.radio(key="pay_year").set_value(2017).run()  # a click: the whole page again
    assert charts(at) == 4
