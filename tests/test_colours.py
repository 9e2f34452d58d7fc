"""One meaning, one colour: a trace that says it is the minimum wage, the North or our model is
drawn in that meaning's colour on every page and in both languages, and no other trace of these
pages borrows a colour that means something."""

from __future__ import annotations

from collections.abc import Iterator

import plotly.graph_objects as go
import pytest

from dashboard import colours, flows, i18n, platforms, projections, wages, workers
from dashboard.i18n import message

# The colours other pages used before the table existed, which the table keeps.
KEPT = {
    "north": (0, 114, 178),
    "south": (230, 159, 0),
    "unclassified": (120, 120, 120),
    "gain": (0, 158, 115),
    "loss": (213, 94, 0),
    "no_data": (212, 212, 212),
}


def test_the_table_keeps_the_atlas_s_colours_and_gives_each_meaning_its_own() -> None:
    for meaning, rgb in KEPT.items():
        assert colours.rgb_of(colours.MEANINGS[meaning]) == rgb, meaning
    assert len(set(colours.MEANINGS.values())) == len(colours.MEANINGS), "two meanings share a colour"


def test_the_flows_page_uses_the_same_north_south_and_change_colours() -> None:
    assert flows.SIDE_RGB["North"] == colours.rgb_of(colours.NORTH)
    assert flows.SIDE_RGB["South"] == colours.rgb_of(colours.SOUTH)
    assert flows.SIDE_RGB["unclassified"] == colours.rgb_of(colours.UNCLASSIFIED)
    assert (flows.GAIN, flows.LOSS) == (colours.GAIN, colours.LOSS)


def named_meanings(lang: str) -> dict[str, str]:
    """Trace names that say a meaning, in `lang`, and the meaning's colour."""
    said = {
        "wages.series.minimum": colours.MINIMUM_WAGE,
        "wages.group_minimum": colours.MINIMUM_WAGE,
        "wages.series.online": colours.MEASURED,
        "wages.group_earnings": colours.MEASURED,
        "projections.scenario_line": colours.MODEL,
        "projections.oli.total": colours.MEASURED,
        "projections.kind.forecast": colours.CLAIM,
        "projections.kind.claim": colours.CLAIM,
        "projections.kind.count": colours.MEASURED,
        "projections.kind.estimate": colours.MEASURED,
        "workers.share.us": colours.NORTH,
        "workers.share.india": colours.SOUTH,
        "workers.share.other": colours.UNCLASSIFIED,
    }
    return {message(key, lang): colour for key, colour in said.items()}


def figures(lang: str) -> Iterator[tuple[str, go.Figure]]:
    """Every chart of Wages, Projections, Platforms and Workers at its default view (and the
    Projections scenario line), built by the pages' own builders."""
    yield "price ladder", wages.price_ladder()[1]
    for basis in wages.BASES:
        yield f"pay against minimum ({basis})", wages.pay_against_minimum(basis)[1]
        yield f"hourly ({basis})", wages.hourly_chart(basis, 2017, lang)[2]
    yield "occupations", wages.occupation_pay(2019)[1]
    people = projections.world_workforce()[1]
    with_scenario = go.Figure(people)
    with_scenario.add_trace(
        go.Scatter(
            projections.charts.line_trace(
                projections.scenario_line(25, 2017, 100.0), message("projections.scenario_line", lang)
            )
        )
    )
    yield "people with the scenario", with_scenario
    yield "OLI", projections.oli_figure("total", "2016-05", "2024-05")[1]
    yield "platform sizes", platforms.platform_sizes(platforms.TYPES, lang)[1]
    yield "MTurk mix", workers.mix()[1]
    yield "MTurk ranking", workers.ranking(workers.survey_years()[-1])[1]


def trace_colours(trace: object) -> set[str]:
    """The colours a trace draws its marks in (line, markers, bars), upper-case hex."""
    found: set[str] = set()
    for colour in (
        getattr(getattr(trace, "line", None), "color", None),
        getattr(getattr(trace, "marker", None), "color", None),
    ):
        values = colour if isinstance(colour, (list, tuple)) else [colour]
        found |= {str(v).upper() for v in values if isinstance(v, str) and v.startswith("#")}
    return found


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_trace_that_says_a_meaning_wears_its_colour(lang: str) -> None:
    with i18n.speaking(lang):
        meanings = named_meanings(lang)
        checked, wrong = 0, []
        for chart, figure in figures(lang):
            for trace in figure.data:
                if trace.name in meanings:
                    checked += 1
                    if trace_colours(trace) - {"#FFFFFF"} != {meanings[trace.name].upper()}:
                        wrong.append((chart, trace.name, sorted(trace_colours(trace))))
    assert checked >= 12, "the pages should name the meanings they draw"
    assert wrong == []


# What the traces of a chart mean when their names do not say it: each dot on the
# pay-by-occupation chart is a measured median pay (its trace is named after its group); each
# dashed curve beside the Online Labour Index is a growth rate a source claims.
WHOLE_CHART = {"occupations": colours.MEASURED, "OLI": colours.CLAIM}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_other_trace_borrows_a_colour_that_means_something(lang: str) -> None:
    meaningful = {c.upper() for c in colours.MEANINGS.values()} - {colours.NEUTRAL.upper()}
    with i18n.speaking(lang):
        meanings = named_meanings(lang)
        borrowed = []
        for chart, figure in figures(lang):
            for trace in figure.data:
                used = trace_colours(trace) & meaningful
                meant = meanings.get(str(trace.name), WHOLE_CHART.get(chart, "")).upper()
                if used and used != {meant}:
                    borrowed.append((chart, trace.name, sorted(used)))
    assert borrowed == []


def test_the_minimum_wage_is_one_colour_in_both_wages_charts_whichever_the_language() -> None:
    """The bug: orange in one chart, blue in the next (the order of the series decided)."""
    seen = set()
    for lang in ("en", "fr"):
        with i18n.speaking(lang):
            for figure in (
                wages.pay_against_minimum("nominal")[1],
                wages.hourly_chart("nominal", 2017, lang)[2],
            ):
                for trace in figure.data:
                    if trace.name in (
                        message("wages.series.minimum", lang),
                        message("wages.group_minimum", lang),
                    ):
                        seen |= trace_colours(trace)
    assert seen == {colours.MINIMUM_WAGE.upper()}
