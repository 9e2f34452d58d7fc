"""The first chart first (dashboard/first_chart.py): a session's first run in a browser ends after
the page's first chart, and the run the browser then asks for sends the page whole, reading the
address again as a first run does.

AppTest has no browser (no request headers), so the pages run whole in every other test; here the
session is given one. The browser tests (test_browser, test_controls…) open every page through
the real thing: their wait for the app waits for the rest of the page too (tests/support.py).
"""

from __future__ import annotations

import re

import pytest

from dashboard import first_chart
from dashboard.first_chart import GATE_KEY, SCRIPT
from tests.support import run_page


@pytest.fixture
def in_a_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(first_chart, "_has_browser", lambda: True)


def charts(at: object) -> int:
    return len(at.get("plotly_chart"))  # type: ignore[attr-defined]


def warnings(at: object) -> list[str]:
    return [w.value for w in at.warning]  # type: ignore[attr-defined]


def ask_for_the_rest(at: object) -> None:
    """What the page's script does once the first chart is drawn: click the hidden button."""
    at.button(key=GATE_KEY).click().run()  # type: ignore[attr-defined]
    assert not at.exception, at.exception  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("page", "whole"),
    [("wages", 4), ("workers", 3), ("projections", 2), ("map", 3), ("platforms", 1), ("story", 1)],
)
def test_a_first_visit_gets_the_first_chart_then_the_whole_page(
    in_a_browser: None, page: str, whole: int
) -> None:
    at = run_page(page)
    assert charts(at) == 1
    shown = len(at.main.children)  # type: ignore[attr-defined]
    ask_for_the_rest(at)
    assert charts(at) == whole
    assert len(at.main.children) > shown  # type: ignore[attr-defined]
    assert GATE_KEY not in [b.key for b in at.button]  # type: ignore[attr-defined]


def test_the_rest_of_the_page_reads_the_address_again(in_a_browser: None) -> None:
    # year is read before the cut, price and the price's year after it
    at = run_page("wages", year="1066", price="0.5", price_year="1900")
    assert charts(at) == 1
    ask_for_the_rest(at)
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
    ask_for_the_rest(at)
    at.radio(key="pay_year").set_value(2017).run()  # a click: the whole page again
    assert charts(at) == 4


def test_a_control_clicked_while_the_rest_is_coming_works(in_a_browser: None) -> None:
    at = run_page("story")
    assert charts(at) == 1
    at.button(key="next").click().run()  # before the script asks for the rest
    assert not at.exception, at.exception
    assert at.query_params["step"] == "2"
    assert charts(at) == 1  # the whole page of step 2


def test_the_script_survives_streamlit_s_sanitiser() -> None:
    # DOMPurify drops a <script> whose text looks like markup (`<` then a letter, `/` or `!`): the
    # page would then stay cut.
    assert not re.search(r"<[/\w!]", SCRIPT)
