"""The Projections page's subject: statements about the world's online workforce over time
(forecasts, press claims, counts), and the reader's own scenario, drawn as OUR model."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, citations, colours, data, i18n
from dashboard.caching import per_language, per_server
from dashboard.components import plain, spec, styled, with_trace
from dashboard.figures import QUALIFIER_SIGNS, SPANS, figure_hover, figure_value, period_label, with_unit
from dashboard.hover import wrap
from dashboard.i18n import t

# The seeds' growth claim: "L'utilisation des plateformes ... augmente de 25 % chaque année".
SEEDS_GROWTH = "lefigaro-2017-braun-platform-use-growth"
# Both charts of the page share this time axis, so a claim and a measurement of the same month sit
# one above the other.
TIME_AXIS = ("2016-01-01", "2025-01-01")
OLI_OCCUPATIONS = (
    "total",
    "microwork",
    "clerical_data_entry",
    "creative_multimedia",
    "professional_services",
    "sales_marketing",
    "software_technology",
    "writing_translation",
)

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


# What each kind of statement means, by colour (dashboard/colours.py): what a source says will be or
# is, against what a study counted or estimated; a forecast is a diamond, a press claim a circle.
KIND_COLOURS = {
    "forecast": colours.CLAIM,
    "claim": colours.CLAIM,
    "estimate": colours.MEASURED,
    "count": colours.MEASURED,
}
KIND_SYMBOLS = {"forecast": "diamond", "claim": "circle", "estimate": "square", "count": "circle"}
# The scenario's default settings (growth % a year, base year, base in millions): the page's too.
SCENARIO_DEFAULT = (25, 2017, 100.0)
# The people chart's axes, fixed so that its direct labels are placed for the plot drawn:
# 1 million to 3 billion people (log), and the page's time axis in years.
PEOPLE_LOG_RANGE = (6.0, 9.5)
# The plot's width and height at 1280 pixels (the narrowest screen the labels are placed for).
PEOPLE_PLOT_PX = (690.0, 400.0)


def _year_of(date: object) -> float:
    """'2017-07-01' → 2017.5 (a fraction of the year, for placing a label)."""
    text = str(date)
    return int(text[:4]) + (int(text[5:7]) - 1) / 12 + (int(text[8:10]) - 1) / 365


def _value_text(row: object) -> str:
    """A statement's value, short, in the reader's compact form: "> 100 M", "154–435 M"."""
    qualifier = str(row.qualifier)  # type: ignore[attr-defined]
    low, high = row.low_normalised, row.high_normalised  # type: ignore[attr-defined]
    if qualifier in SPANS and pd.notna(low) and pd.notna(high):
        return f"{i18n.compact(float(low))}–{i18n.compact(float(high))}"
    return QUALIFIER_SIGNS.get(qualifier, "") + i18n.compact(float(row.shown))  # type: ignore[attr-defined]


def _default_scenario_points() -> list[tuple[float, float]]:
    """Points along the scenario line at its default settings, every eighth of a year."""
    growth, base_year, base_millions = SCENARIO_DEFAULT
    return [
        (base_year + 0.5 + step / 8, base_millions * 1e6 * (1 + growth / 100) ** (step / 8))
        for step in range(int((2025 - base_year) * 8))
    ]


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
    # A range from a study is a range of estimates, never "a count" (the World Bank's 154–435 million).
    # The figure's own kind (typed in with it: forecast, estimate, measured…) decides, and a claim
    # a press piece makes with no study behind it is said to be one.
    people["kind"] = [
        "forecast"
        if r.figure_kind == "forecast" or r.topic == "projection"
        else "claim"
        if kinds.get(r.source_id) in ("press", "blog", "seminar") and not r.secondary_of
        else "estimate"
        if r.figure_kind == "estimate" or r.qualifier == "range"
        else "count"
        for r in people.itertuples()
    ]
    people["forecast"] = people["kind"].isin(["forecast", "claim"])
    # On the same time axis as the Online Labour Index: a year's statement sits at mid-year.
    people["date"] = people["year"].map(lambda y: f"{int(y)}-07-01")
    people["status"] = people["kind"].map(lambda k: t(f"projections.kind.{k}"))
    people["shown"] = people["value_normalised"].fillna(people["low_normalised"])
    people["hover"] = [figure_hover(r) for r in people.itertuples()]
    people["what"] = [r.label_fr if i18n.lang() == "fr" else r.label_en for r in people.itertuples()]
    # Each dot says beside it what it counts and how many (who says it: its colour, and the hover).
    people["label"] = [
        wrap(f"{_value_text(r)} {t(f'projections.what.{r.metric}')}", 24) for r in people.itertuples()
    ]
    # Colour says what kind of statement a dot is (four legend entries, not one per label: eleven
    # entries squeezed the plot to 150 px); the label beside it says what it counts.
    statuses = {t(f"projections.kind.{k}"): k for k in KIND_COLOURS}
    figure = charts.dots(
        people,
        "date",
        "shown",
        "status",
        "hover",
        t("projections.year"),
        t("projections.people_axis"),
        log_y=True,
        y_low="low_normalised",
        y_high="high_normalised",
        height=560,
        tick_text=i18n.compact,
        hollow="forecast",
        colours={s: KIND_COLOURS[k] for s, k in statuses.items()},
        group_symbols={s: KIND_SYMBOLS[k] for s, k in statuses.items()},
    )
    with charts.PLOTLY:
        figure.update_xaxes(type="date", range=list(TIME_AXIS), dtick="M12", tickformat="%Y")
        figure.update_yaxes(range=list(PEOPLE_LOG_RANGE))
        figure.update_layout(
            legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), margin=dict(l=10, r=10, t=90, b=10)
        )
        charts.label_points(
            figure,
            people,
            "date",
            "shown",
            "label",
            (_year_of(TIME_AXIS[0]), _year_of(TIME_AXIS[1])),
            PEOPLE_LOG_RANGE,
            PEOPLE_PLOT_PX,
            x_position=_year_of,
            bars=("low_normalised", "high_normalised"),
            avoid=_default_scenario_points(),  # the scenario line over this chart: labels keep off it
        )
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


def scenario_line(growth: int, base_year: int, base_millions: float) -> pd.DataFrame:
    """The scenario's yearly values (ours), dated mid-year on the page's date axis."""
    line = scenario(base_millions * 1e6, base_year, growth / 100, 2030)
    return line.assign(year=line["year"].map(lambda y: f"{y}-07-01"))


@per_language
def scenario_spec(growth: int, base_year: int, base_millions: float, scheme: str) -> tuple[str, int | None]:
    """scenario_figure()'s JSON, for the app: the statements' chart, serialised once per scheme,
    with the scenario's line added as JSON. The slider gives a new line at every step, and copying
    and re-serialising the whole figure for each one took 40-50 ms of a rerun."""
    _people, shared = world_workforce()
    text, height = spec(shared, scheme)
    trace = charts.line_trace(scenario_line(growth, base_year, base_millions), t("projections.scenario_line"))
    return with_trace(text, trace), height


@st.cache_resource(show_spinner=False, max_entries=256)
def scenario_figure(growth: int, base_year: int, base_millions: float, lang: str, scheme: str) -> go.Figure:
    """The statements' chart with the scenario line, styled for `scheme`: one copy per choice."""
    _people, shared = world_workforce()
    base = styled(shared, scheme)
    line = scenario_line(growth, base_year, base_millions)
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


@per_server
def own_index() -> pd.DataFrame | None:
    """The OLI by month from the OII's own daily file (make update, etl/oli_figshare.py), scaled as
    the third party's series is (May 2016 = 100, ours); None when it is not here or lacks May 2016."""
    own = data.table("oli_index_monthly")
    own = own[own["index_may2016_100"].notna()]
    return own[["month", "occupation", "index_may2016_100", "source_id"]] if len(own) else None


@per_server
def oli_table() -> pd.DataFrame:
    """The OLI series the page draws: the authors' own (own_index) when make update has brought
    it, else the third party's monthly means shipped with the atlas (oli_monthly)."""
    own = own_index()
    return own if own is not None else data.table("oli_monthly")


@per_server
def occupations() -> list[str]:
    """The occupations of the series drawn, in the page's order."""
    present = set(oli_table()["occupation"])
    return [o for o in OLI_OCCUPATIONS if o in present]


@per_server
def months() -> list[str]:
    """The months of the OLI monthly series, YYYY-MM, oldest first."""
    return sorted(oli_table()["month"].unique())


@per_server
def cross_check() -> tuple[float, float, int, str, str] | None:
    """How far the third party's monthly means (oli_monthly) are from ours, computed from the
    authors' daily file, on the total over the months both cover: (largest gap, mean gap, months,
    first, last), in index points. None without the authors' file."""
    own = own_index()
    if own is None:
        return None
    ours = own[own["occupation"] == "total"].set_index("month")["index_may2016_100"]
    jifar = data.table("oli_monthly")
    theirs = jifar[jifar["occupation"] == "total"].set_index("month")["index_may2016_100"]
    both = sorted(set(ours.index) & set(theirs.index))
    if not both:
        return None
    gaps = (theirs[both] - ours[both]).abs()
    return float(gaps.max()), float(gaps.mean()), len(both), both[0], both[-1]


@per_language
def cross_check_sentence() -> str:
    checked = cross_check()
    if checked is None:
        return t("projections.cross_check_none") if own_index() is not None else ""
    most, mean, count, first, last = checked
    return t(
        "projections.cross_check",
        most=i18n.number(most, 1),
        mean=i18n.number(mean, 1),
        months=count,
        first=i18n.month(first),
        last=i18n.month(last),
    )


@per_server
def _index(occupation: str) -> pd.Series:
    table = oli_table()
    rows = table[table["occupation"] == occupation]
    return pd.Series(rows["index_may2016_100"].to_numpy(), index=rows["month"]).sort_index()


@dataclass(frozen=True)
class Growth:
    first: str
    last: str
    first_index: float
    last_index: float
    yearly_percent: float  # ours: compound yearly rate between the two months


@per_server
def measured_growth(occupation: str, first: str, last: str) -> Growth | None:
    """The compound yearly growth of the OLI between two months (ours):
    (index_last ÷ index_first)^(12 ÷ months between) − 1. None when the months do not run forward."""
    series = _index(occupation)
    if occupation != "total":  # as drawn: rebased to its own May 2016 = 100 (ours)
        series = 100 * series / series.iloc[0]
    if first not in series.index or last not in series.index:
        return None
    gap = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7])
    if gap <= 0:
        return None
    start, end = float(series[first]), float(series[last])
    return Growth(first, last, start, end, 100 * ((end / start) ** (12 / gap) - 1))


@per_server
def growth_of_yearly_means(occupation: str = "total") -> tuple[str, str, float, float, float]:
    """(first year's months, last year's months, their mean indices, the compound yearly growth
    between the two means — ours): a growth rate that one month's dip or spike does not decide."""
    series = _index(occupation)
    # twelve months at each end; with under two years of months (a short series of the OII's own
    # file), the first and the last month
    span = 12 if len(series) >= 24 else 1
    head, tail = series.iloc[:span], series.iloc[-span:]
    years = max(len(series) - span, 1) / 12
    start, end = float(head.mean()), float(tail.mean())
    span_first = f"{head.index[0]}/{head.index[-1]}"
    span_last = f"{tail.index[0]}/{tail.index[-1]}"
    return span_first, span_last, start, end, 100 * ((end / start) ** (1 / years) - 1)


def _month_of(text: str) -> str:
    return text[:7] if len(text) >= 7 else f"{text[:4]}-01"


@per_server
def growth_claims() -> pd.DataFrame:
    """Growth rates the sources state, each as a claim to draw from its base month: yearly rates as
    compound curves, growth over a stated period as a segment to its end."""
    figures = data.figures()
    sources = data.table("sources").set_index("source_id")
    rows = figures[(figures["topic"] == "growth") & (figures["unit_normalised"] == "percent")].copy()
    base, end, kind = [], [], []
    for r in rows.itertuples():
        start, _, stop = str(r.period).partition("/")
        published = str(sources.at[r.source_id, "date_published"]) or str(r.year)
        if "annual" in r.metric:  # a yearly rate: from the period it describes, else its date
            base.append(_month_of(start or published))
            end.append("")
            kind.append("yearly")
        elif stop:  # growth over a stated period
            base.append(_month_of(start))
            end.append(_month_of(stop))
            kind.append("period")
        else:
            base.append("")
            end.append("")
            kind.append("")
    rows = rows.assign(base_month=base, end_month=end, claim=kind)
    return rows[rows["claim"] != ""].reset_index(drop=True)


def oli_figure(occupation: str, first: str, last: str) -> tuple[pd.DataFrame, go.Figure]:
    """The OLI monthly line, the growth claims drawn from their base months, and the span the
    reader measures between, on the page's time axis."""
    return _oli_figure(occupation, first, last, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=256)
def _oli_figure(occupation: str, first: str, last: str, lang: str) -> tuple[pd.DataFrame, go.Figure]:
    series = _index(occupation)
    table = oli_table()
    source_id = str(table["source_id"].iloc[0])
    cite = citations.by_id()
    study = data.table("sources").set_index("source_id").at[source_id, "secondary_of"]
    source_line = cite[source_id] + (f" — {t('common.relaying')} {cite[study]}" if study else "")
    # An occupation's values in the file are its part of the total (the seven add up to it); drawn
    # beside the total it is rebased by us to its own May 2016 = 100, so the two lines' slopes compare.
    shown = series if occupation == "total" else 100 * series / series.iloc[0]
    label = t(f"projections.oli.{occupation}") + (
        "" if occupation == "total" else f" ({t('projections.rebased')})"
    )
    line = pd.DataFrame(
        {
            "month": series.index,
            "date": [f"{m}-01" for m in series.index],
            "index_shown": shown.to_numpy(),
            "index_may2016_100": series.to_numpy(),
            "occupation": occupation,
            "source_id": source_id,
        }
    )
    line["hover"] = [
        f"<b>{wrap(label)}</b>, {i18n.month(m)}<br>{t('projections.index_value', value=i18n.number(v, 1))}"
        f"<br><i>{wrap(source_line)}</i>"
        for m, v in zip(line["month"], line["index_shown"], strict=True)
    ]
    curves: list[dict[str, object]] = []
    total = _index("total")
    for r in growth_claims().itertuples():
        # A claim about a time before the series starts (Kässi & Lehdonvirta's 14 % for 2016) is
        # drawn from the first month measured, at its index.
        base_month = max(r.base_month, str(total.index[0]))
        if base_month not in total.index:  # after the last month measured: nothing to draw from
            continue
        r = r._replace(base_month=base_month)
        start_value = float(total[base_month])
        if r.claim == "yearly":
            dates = pd.date_range(f"{r.base_month}-01", TIME_AXIS[1], freq="MS")
            values = [start_value * (1 + r.value_normalised / 100) ** (i / 12) for i in range(len(dates))]
        else:
            dates = pd.DatetimeIndex([f"{r.base_month}-01", f"{r.end_month}-01"])
            values = [start_value, start_value * (1 + r.value_normalised / 100)]
        curves.append(
            {
                "name": f"{with_unit(figure_value(r), 'percent')} — {r.citation}"
                if r.claim == "period"
                else f"{with_unit(figure_value(r), 'percent')} {t('projections.a_year')} — {r.citation}",
                "dates": [d.strftime("%Y-%m-%d") for d in dates],
                "values": values,
                "hover": figure_hover(r)
                + f"<br>{t('projections.claim_drawn', month=i18n.month(r.base_month))}",
            }
        )
    span = (first, last) if first in series.index and last in series.index else None
    figure = charts.index_with_claims(
        line,
        "date",
        "index_shown",
        "hover",
        label,
        curves,
        t("projections.index_axis"),
        TIME_AXIS,
        span=(f"{span[0]}-01", f"{span[1]}-01") if span else None,
    )
    return line.drop(columns="hover"), figure


@per_language
def growth_sentence(measured: Growth, occupation: str) -> str:
    """What the OLI measured between the two months (ours), and what the seeds' yearly growth
    (Le Figaro 2017: 25 % a year, read from the figures table) would have given."""
    figures = data.figures().set_index("figure_id")
    claim = float(figures.at[SEEDS_GROWTH, "value_normalised"])
    claimed = measured.first_index * (1 + claim / 100) ** (
        (
            (int(measured.last[:4]) - int(measured.first[:4])) * 12
            + int(measured.last[5:7])
            - int(measured.first[5:7])
        )
        / 12
    )
    return t(
        "projections.growth_sentence",
        what=t(f"projections.oli.{occupation}"),
        first=i18n.month(measured.first),
        last=i18n.month(measured.last),
        rate=i18n.percent(measured.yearly_percent, 1),
        start=i18n.number(measured.first_index, 1),
        end=i18n.number(measured.last_index, 1),
        claimed=i18n.number(claimed, 0),
        claim=i18n.percent(claim, 0),
        claim_source=citations.by_id()[str(figures.at[SEEDS_GROWTH, "source_id"])],
    )


@per_language
def yearly_means_sentence(occupation: str) -> str:
    """The growth between the first and the last twelve months measured (ours), which one month's
    dip or spike does not decide."""
    if len(_index(occupation)) < 24:  # two separate years are needed
        return ""
    first, last, start, end, rate = growth_of_yearly_means(occupation)
    return t(
        "projections.yearly_means",
        first=f"{i18n.month(first[:7])} – {i18n.month(first[8:])}",
        last=f"{i18n.month(last[:7])} – {i18n.month(last[8:])}",
        start=i18n.number(start, 1),
        end=i18n.number(end, 1),
        rate=i18n.percent(rate, 1),
    )


def formula(base_millions: float, growth: int, base_year: int) -> str:
    """The scenario's formula as HTML, its numbers in the reader's notation ("1,25" in French,
    "1.25" in English). Not st.latex: KaTeX is a 265 KB chunk and a font that the page fetched and
    parsed while its first chart was being drawn, for one line; HTML superscript says the same."""
    from html import escape

    from dashboard.calculator import number_text

    base = escape(number_text(base_millions, i18n.locale()))
    rate = escape(number_text(growth / 100, i18n.locale()))
    spoken = f"N(y) = {base} M × (1 + {rate}) ^ (y − {base_year})"
    return (
        f'<p class="atlas-formula" role="math" aria-label="{spoken}" style="text-align:center;'
        "font-size:1.35rem;font-family:'Liberation Serif','DejaVu Serif',Georgia,serif;margin:0.4rem 0\">"
        f"<i>N</i>(<i>y</i>) = {base}\u202fM × (1 + {rate})<sup>\u2009<i>y</i> − {base_year}</sup></p>"
    )
