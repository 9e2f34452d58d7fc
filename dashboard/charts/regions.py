"""Regions inside one country: each region's share of its country's projects over the years, and
its workers' median pay against the country's. Pure functions: small frames in, a figure out."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import OKABE_ITO, _layout, locked

COUNTRY_RGB = "#555555"  # the country as a whole: a reference, drawn unlike any region


@locked
def share_lines(
    frame: pd.DataFrame, x: str, y: str, series: str, hover: str, y_title: str, gaps: Sequence[int] = ()
) -> go.Figure:
    """One line per region, labelled at its last point (a room reads the name, not a legend);
    `gaps`: years with no projects for the country, where lines break instead of joining."""
    fig = go.Figure()
    order = list(dict.fromkeys(frame[series]))
    ends = []
    for index, name in enumerate(order):
        part = frame[frame[series] == name].sort_values(x)
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[y],
                mode="lines+markers",
                name=str(name),
                line=dict(color=colour, width=3),
                marker=dict(size=8),
                customdata=part[[hover]],
                hovertemplate="%{customdata[0]}<extra></extra>",
                connectgaps=False,
                showlegend=False,
            )
        )
        last = part.dropna(subset=[y]).tail(1)
        if len(last):
            ends.append([float(last[y].iloc[0]), last[x].iloc[0], str(name), colour])
    # Names at the lines' ends, pushed apart where lines end close together (a label each 5 % of
    # the axis at least): a room reads the name beside its line, never two names on each other.
    top = float(frame[y].max()) if len(frame) else 1.0
    gap = 0.055 * top
    ends.sort(key=lambda end: end[0])
    for below, above in zip(ends, ends[1:], strict=False):
        above[0] = max(above[0], below[0] + gap)
    for value, at, name, colour in ends:
        fig.add_annotation(
            x=at,
            y=value,
            text=name,
            showarrow=False,
            xanchor="left",
            xshift=10,
            font=dict(size=15, color=colour),
        )
    years = sorted(frame[x].unique())
    # Room on the right for the names written at the lines' ends.
    fig.update_xaxes(tickvals=years, range=[min(years) - 0.3, max(years) + 0.45 * len(years)])
    fig.update_yaxes(title_text=y_title, range=[0, max(top, ends[-1][0] if ends else top) * 1.08])
    fig = _layout(fig, 460)
    fig.update_layout(margin=dict(l=10, r=10, t=20, b=10))
    return fig


@locked
def pay_against_country(
    frame: pd.DataFrame,
    x: str,
    y: str,
    hover: str,
    country_value: float | None,
    country_label: str,
    x_title: str,
    tick_text: Callable[[float], str],
    value_text: Callable[[float], str],
) -> go.Figure:
    """Each region's median hourly pay as a dot on its own row (label above the row), and the
    country's median as a vertical line with its words."""
    fig = go.Figure(
        go.Scatter(
            x=frame[x],
            y=frame[y],
            mode="markers+text",
            marker=dict(size=14, color=OKABE_ITO[0]),
            text=[value_text(v) if pd.notna(v) else "" for v in frame[x]],
            textposition="middle right",
            textfont=dict(size=15),
            customdata=frame[[hover]],
            hovertemplate="%{customdata[0]}<extra></extra>",
            showlegend=False,
        )
    )
    for index, label in enumerate(frame[y]):
        fig.add_annotation(
            x=0,
            xref="x domain",
            xanchor="left",
            y=index,
            yref="y",
            yanchor="bottom",
            yshift=10,
            text=str(label),
            showarrow=False,
            font=dict(size=15),
        )
    values = [v for v in frame[x] if pd.notna(v)] + ([country_value] if country_value else [])
    high = max(values) * 1.25 if values else 1.0
    if country_value:
        fig.add_vline(x=country_value, line=dict(color=COUNTRY_RGB, dash="dash", width=2))
        fig.add_annotation(
            x=country_value,
            y=1,
            yref="paper",
            yanchor="bottom",
            text=country_label,
            showarrow=False,
            font=dict(size=15, color=COUNTRY_RGB),
        )
    ticks = [high * f for f in (0, 0.25, 0.5, 0.75, 1.0)]
    fig.update_xaxes(
        title_text=x_title, range=[0, high], tickvals=ticks, ticktext=[tick_text(v) for v in ticks]
    )
    fig.update_yaxes(showticklabels=False, categoryorder="array", categoryarray=list(frame[y]))
    fig = _layout(fig, max(320, 62 * len(frame) + 120))
    fig.update_layout(margin=dict(l=10, r=10, t=40, b=10))
    return fig
