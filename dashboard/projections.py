"""The Projections page's subject: statements about the world's online workforce over time
(forecasts, press claims, counts), and the reader's own scenario, drawn as OUR model."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, i18n
from dashboard.components import plain, styled
from dashboard.figures import figure_hover, figure_value, period_label, with_unit
from dashboard.i18n import t

# Figures about the size of the world's online or micro-task workforce (not one platform's).
WORLD_METRICS = (
    "micro_workers_worldwide",
    "digital_labour_workers_worldwide",
    "new_digital_labour_workers_by_2019",
    "online_gig_workers",
    "registered_worker_profiles",
    "worker_profiles_with_work",
    "worker_profiles_significantly_active",
)


def world_workforce() -> tuple[pd.DataFrame, go.Figure]:
    """Cached per language; the figure is shared: copy it (go.Figure(fig)) before changing it."""
    return _world_workforce(i18n.lang())


@st.cache_resource(show_spinner=False)
def _world_workforce(lang: str) -> tuple[pd.DataFrame, go.Figure]:
    """Statements about the world's online workforce over time: forecasts, claims and counts."""
    figures = data.figures()
    people = figures[
        figures["metric"].isin(WORLD_METRICS) & ~figures["note"].str.contains("superseded")
    ].copy()
    # Three kinds of statement, drawn apart: a forecast; a claim a press piece makes on its own;
    # a count or estimate from a study (read directly or relayed by the press).
    kinds = data.table("sources").set_index("source_id")["kind"]
    people["kind"] = [
        "forecast"
        if r.topic == "projection"
        else "claim"
        if kinds.get(r.source_id) in ("press", "blog", "seminar") and not r.secondary_of
        else "count"
        for r in people.itertuples()
    ]
    people["forecast"] = people["kind"] != "count"
    people["status"] = people["kind"].map(lambda k: t(f"projections.kind.{k}"))
    people["shown"] = people["value_normalised"].fillna(people["low_normalised"])
    people["hover"] = [figure_hover(r) for r in people.itertuples()]
    people["what"] = [r.label_fr if i18n.lang() == "fr" else r.label_en for r in people.itertuples()]
    figure = charts.dots(
        people,
        "year",
        "shown",
        "status",
        "hover",
        t("projections.year"),
        t("projections.people_axis"),
        log_y=True,
        symbol="what",
        y_low="low_normalised",
        y_high="high_normalised",
        height=680,
        tick_text=i18n.compact,
        hollow="forecast",
    )
    with charts.PLOTLY:
        figure.update_xaxes(dtick=1, tickformat="d")
    return people, figure


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


@st.cache_resource(show_spinner=False, max_entries=256)
def scenario_figure(growth: int, base_year: int, base_millions: float, lang: str, scheme: str) -> go.Figure:
    """The statements' chart with the scenario line, styled for `scheme`: one copy per choice."""
    _people, shared = world_workforce()
    base = styled(shared, scheme)
    line = scenario(base_millions * 1e6, base_year, growth / 100, 2030)
    with charts.PLOTLY:
        figure = go.Figure(base)  # the cached figure is shared: draw on a copy
        charts.add_line(figure, line, t("projections.scenario_line"))
    return figure


@st.cache_resource(show_spinner=False)
def other_statements(lang: str) -> tuple[pd.DataFrame, str]:
    """Growth, automation and platform-count statements, and their list in `lang` (Markdown)."""
    figures = data.figures()
    other = figures[
        figures["topic"].isin(["growth", "automation"])
        | (figures["unit_normalised"] == "platforms") & (figures["platform"] == "")
    ]
    lines = []
    for row in other.sort_values(["unit_normalised", "year"]).itertuples():
        label = row.label_fr if lang == "fr" else row.label_en
        lines.append(
            f"- **{plain(label)}**: {plain(with_unit(figure_value(row), row.unit_normalised))} "
            f"({plain(period_label(row))}) — « {plain(row.quote)} » *{plain(row.citation)}*"
        )
    return other, "\n".join(lines)
