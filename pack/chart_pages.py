"""Every chart of the app as a page of its own: title, notes, the chart (interactive), its alt text,
its source line, the CSV of exactly its rows with their citations, and its PNG and SVG.

Each entry below calls what the app's page script calls for that chart, with the page's default
choices (and, where a page offers a few views a class would want side by side, each of them): the
same subject function, the same figure, the same notes and the same export. Nothing here shapes a
row or draws a trace.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import charts, figures, flows, i18n, maps, overview, platforms, projections, wages, workers
from dashboard.components import csv_bytes, export_rows, source_line, styled
from dashboard.i18n import t
from pack import assets, html
from pack.html import esc


@dataclass(frozen=True)
class Shown:
    """One chart as the app shows it, in the current language."""

    title: str
    figure: go.Figure
    rows: pd.DataFrame  # the export: exactly the chart's rows, with citations
    source: str
    alt: str
    notes: tuple[str, ...] = ()
    restyle: bool = True  # False: the figure is already styled for the light theme


@dataclass(frozen=True)
class Chart:
    slug: str  # its file names, in both languages
    subject: str  # the app page it is on (nav.<subject>)
    build: Callable[[], Shown] = field(repr=False)


def _map(kind: str, layer: Callable[[], maps.Layer], heading: Callable[[], str]) -> Callable[[], Shown]:
    """A Map page view: `heading` names it after the page's own controls (metric, year…)."""

    def build() -> Shown:
        chosen = layer()
        return Shown(
            f"{t('map.title')} — {heading()}",
            maps.map_figure(chosen),
            export_rows(chosen.rows),
            source_line(chosen.rows, note=chosen.note),
            t(f"map.alt.{kind}"),
            (t("map.markers_legend"),),
        )

    return build


YEAR = maps.MEASURED_YEARS[-1]


def _supply_heading() -> str:
    first = next(iter(maps.supply_snapshot_labels().values()), "")
    return f"{t('map.metric.supply')}: {first}"


def _ns_heading(classification: str) -> Callable[[], str]:
    return lambda: f"{t('map.metric.north_south')}: {t(f'map.classification.{classification}')}"


def _over_years() -> Shown:
    rows, figure = maps.shares_over_years()
    return Shown(
        t("map.over_years"),
        figure,
        export_rows(rows),
        source_line(rows, note=t("map.shares_only")),
        t("map.over_years_alt"),
        (t("map.over_years_intro"),),
    )


def _change() -> Shown:
    first, last = maps.MEASURED_YEARS[0], maps.MEASURED_YEARS[-1]
    change, bars = maps.change_between(first, last)
    return Shown(
        t("map.change_title", first=first, last=last),
        bars,
        export_rows(change),
        source_line(change, note=t("map.change_note")),
        t("map.change_alt", first=first, last=last),
    )


TOP_PAIRS = flows.DEFAULT_TOP  # the Flows page's default


def _arcs(year: int, level: str = "countries") -> Callable[[], Shown]:
    def build() -> Shown:
        chosen = flows.view(year, TOP_PAIRS, "wb", "", level)
        return Shown(
            t("flows.arcs_title", year=year)
            + ("" if level == "countries" else f" ({t('flows.level.regions')})"),
            flows.figure(year, TOP_PAIRS, "wb", "", level),
            export_rows(chosen.table),
            source_line(source_ids=[chosen.source_id], note=t("flows.arcs_note"), newest_date=str(year)),
            t("flows.arcs_alt", year=year),
            (t("flows.arcs_legend"), flows.summary(chosen, year, TOP_PAIRS, level), t("pack.arcs_plotly")),
        )

    return build


def _sankey(year: int, grouping: str) -> Callable[[], Shown]:
    def build() -> Shown:
        figure, links = flows.sankey(year, "wb", grouping)
        share = flows.share_between_sides(year, "wb", "North", "South")
        return Shown(
            f"{t('flows.sankey_title', year=year)} ({t(f'flows.grouping.{grouping}')})",
            figure,
            export_rows(links),
            source_line(links, note=t("map.ns_note.wb")),
            t("flows.sankey_alt", year=year),
            (t("flows.north_to_south", share=i18n.percent(share, 1), year=year),),
        )

    return build


def _platform_sizes() -> Shown:
    sizes, figure = platforms.platform_sizes(tuple(platforms.TYPES), i18n.lang())
    if figure is None:
        raise RuntimeError("no platform size claims: the Platforms chart has nothing to draw")
    return Shown(
        t("platforms.sizes"),
        figure,
        export_rows(figures.export(sizes, leading=("figure_id", "platform_name", "metric"))),
        source_line(sizes),
        t("platforms.alt"),
        (t("platforms.sizes_note"),),
    )


def _mix() -> Shown:
    rows, figure = workers.mix()
    first, last = workers.first_and_last()
    return Shown(
        t("workers.mix_title"),
        figure,
        export_rows(rows),
        source_line(rows),
        t("workers.mix_alt"),
        (
            workers.mix_sentence(first, last),
            t("workers.mix_note", minimum=i18n.number(workers.THIN_MONTH)),
        ),
    )


def _ranking() -> Shown:
    year = workers.survey_years()[-1]
    ranked, bars = workers.ranking(year)
    return Shown(
        t("workers.ranking_title", year=year),
        bars,
        export_rows(ranked),
        source_line(ranked, note=t("workers.ranking_note")),
        t("workers.ranking_alt", year=year),
    )


def _working_day() -> Shown:
    # In UTC: a page opened from a file has no server to tell the viewer's time zone to.
    day, lines, label = workers.working_day(workers.DAY_COUNTRIES, "utc")
    return Shown(
        t("workers.day_title"),
        lines,
        export_rows(day),
        source_line(day),
        t("workers.day_alt", zone=label),
        (
            t("workers.day_intro"),
            workers.peak_sentence(workers.DAY_COUNTRIES, "utc"),
            t("workers.day_note"),
        ),
    )


def _oli() -> Shown:
    months = projections.months()
    line, figure = projections.oli_figure("total", months[0], months[-1])
    measured = projections.measured_growth("total", months[0], months[-1])
    return Shown(
        t("projections.measured"),
        figure,
        export_rows(line, drop=["date"]),
        source_line(line, source_ids=list(projections.growth_claims()["source_id"])),
        t("projections.oli_alt"),
        (
            projections.growth_sentence(measured, "total") if measured else "",
            projections.yearly_means_sentence("total"),
            # as the app says it: the third party's means, or the authors' own file and the gap
            *(
                (t("projections.oli_note"),)
                if projections.own_index() is None
                else (t("projections.oli_note_own"), projections.cross_check_sentence())
            ),
        ),
    )


# The Projections page's scenario controls, at their defaults: 25 % a year from 100 million in 2017.
SCENARIO = (25, 2017, 100.0)


def _people() -> Shown:
    people, _shared = projections.world_workforce()
    growth, base_year, base = SCENARIO
    return Shown(
        t("projections.people"),
        projections.scenario_figure(growth, base_year, base, i18n.lang(), "light"),
        export_rows(figures.export(people, leading=("figure_id", "status", "label_en"))),
        source_line(people),
        t("projections.alt"),
        (t("projections.scenario"), t("projections.scenario_note")),
        restyle=False,
    )


def _ladder() -> Shown:
    prices, ladder = wages.price_ladder()
    return Shown(
        t("wages.ladder"),
        ladder,
        export_rows(prices, columns=wages.LADDER_EXPORT),
        source_line(prices),
        t("wages.ladder_alt"),
        (t("wages.ladder_note"),),
    )


PAY_YEAR = 2019  # the Wages page's default year for the ratio sentence and the occupations
HOURLY_YEAR = 2017  # and for the cited hourly earnings


def _against(basis: str) -> Callable[[], Shown]:
    def build() -> Shown:
        measured, against = wages.pay_against_minimum(basis)
        return Shown(
            f"{t('wages.measured')} ({t(f'wages.basis.{basis}')})",
            against,
            export_rows(measured),
            source_line(measured),
            t("wages.measured_alt"),
            (
                t("wages.measured_intro"),
                wages.ratio_sentence(PAY_YEAR, basis),
                t(f"wages.measured_note.{basis}"),
            ),
        )

    return build


def _occupations() -> Shown:
    occupations, figure = wages.occupation_pay(PAY_YEAR)
    return Shown(
        t("wages.occupations", year=PAY_YEAR),
        figure,
        export_rows(occupations),
        source_line(occupations),
        t("wages.occupations_alt", year=PAY_YEAR),
        (t("wages.occupations_note", minimum=wages.MIN_OCCUPATION_PROJECTS),),
    )


def _hourly() -> Shown:
    from dashboard.names import name

    both, missing, hourly = wages.hourly_chart("nominal", HOURLY_YEAR, i18n.lang())
    notes = [t("wages.hourly_note", year=HOURLY_YEAR), *wages.break_notes(HOURLY_YEAR)]
    if missing:
        notes.append(t("wages.missing", countries=", ".join(name(c) for c in missing), year=HOURLY_YEAR))
    return Shown(
        t("wages.hourly"),
        hourly,
        export_rows(both, columns=wages.HOURLY_EXPORT),
        source_line(both),
        t("wages.hourly_alt"),
        tuple(notes),
    )


def _buyers() -> Shown:
    rows, figure = overview.top_buyers(12)
    return Shown(
        t("overview.buyers"),
        figure,
        export_rows(rows, drop=["hover"]),
        source_line(rows),
        t("overview.buyers_alt"),
    )


CHARTS: tuple[Chart, ...] = (
    Chart("top-employer-countries", "overview", _buyers),
    Chart(
        f"map-workers-{YEAR}",
        "map",
        _map("workers", lambda: maps.workers_layer(YEAR), lambda: f"{t('map.metric.workers')}, {YEAR}"),
    ),
    Chart(
        f"map-pay-{YEAR}",
        "map",
        _map("pay", lambda: maps.pay_layer(YEAR), lambda: f"{t('map.metric.pay')}, {YEAR}"),
    ),
    Chart("map-supply", "map", _map("supply", lambda: maps.supply_layer(0), _supply_heading)),
    Chart(
        "map-demand", "map", _map("demand", lambda: maps.demand_layer("all"), lambda: t("map.metric.demand"))
    ),
    Chart(
        "map-north-south-wb",
        "map",
        _map("north_south", lambda: maps.north_south_layer("wb"), _ns_heading("wb")),
    ),
    Chart(
        "map-north-south-un",
        "map",
        _map("north_south", lambda: maps.north_south_layer("un"), _ns_heading("un")),
    ),
    Chart("worker-shares-2013-2020", "map", _over_years),
    Chart("worker-share-change-2013-2020", "map", _change),
    Chart("flows-arcs-2015", "flows", _arcs(2015)),
    Chart("flows-arcs-2014", "flows", _arcs(2014)),
    Chart("flows-regions-2015", "flows", _arcs(2015, "regions")),
    Chart("flows-sankey-2015", "flows", _sankey(2015, "north_south")),
    Chart("flows-sankey-2015-regions", "flows", _sankey(2015, "regions")),
    Chart("platform-sizes", "platforms", _platform_sizes),
    Chart("mturk-respondents-by-country", "workers", _mix),
    Chart("mturk-countries-latest", "workers", _ranking),
    Chart("working-day-of-the-world", "workers", _working_day),
    Chart("oli-total-against-claims", "projections", _oli),
    Chart("projections-people", "projections", _people),
    Chart("price-ladder", "wages", _ladder),
    Chart("online-pay-vs-minimum-nominal", "wages", _against("nominal")),
    Chart("online-pay-vs-minimum-ppp", "wages", _against("ppp")),
    Chart(f"pay-by-occupation-{PAY_YEAR}", "wages", _occupations),
    Chart(f"hourly-vs-minimum-{HOURLY_YEAR}", "wages", _hourly),
)


@dataclass(frozen=True)
class Written:
    """A page the pack wrote, and what its images need."""

    path: str  # relative to the pack's top folder
    title: str
    figure: dict[str, Any]  # as drawn on the page (as_drawn)
    source: str
    image: str  # the images' path without extension, relative to the top folder
    scale: float = 1.5  # images: a chart page's figure is drawn at 1280 × 720 and scaled to 1920 × 1080


# What Streamlit's front end lays under every plotly chart of the app (its "streamlit" theme, light):
# axes that make room for their labels, no vertical grid lines, pale horizontal ones, a white
# ground. A plain plotly.js page has none of it (its labels were cut off without automargin). Set as
# template defaults, as Streamlit does, so that whatever a figure says itself still wins.
APP_THEME = dict(
    font=dict(
        family='system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif'
    ),
    paper_bgcolor="#FFFFFF",
    plot_bgcolor="#FFFFFF",
    xaxis=dict(automargin=True, showgrid=False, zeroline=False, gridcolor="#E4E6EB", title=dict(standoff=20)),
    yaxis=dict(automargin=True, gridcolor="#E4E6EB", ticklabelposition="outside", title=dict(standoff=24)),
    legend=dict(title=dict(side="top"), valign="top"),
    margin=dict(pad=10),
)


def as_drawn(figure: go.Figure, restyle: bool = True) -> dict[str, Any]:
    """The figure as the app draws it in its light theme, as the plotly.js JSON a page or kaleido
    draws: the app's own restyling (components.styled) and the Streamlit theme's defaults."""
    base = styled(figure, "light") if restyle else figure
    with charts.PLOTLY:
        drawn: dict[str, Any] = json.loads(pio.to_json(base, validate=False))
    return with_app_theme(drawn)


def with_app_theme(drawn: dict[str, Any]) -> dict[str, Any]:
    """`drawn` (plotly.js JSON, changed in place and returned) with the Streamlit theme's defaults
    under its own template: as a page, kaleido or a lesson slide must draw what the app showed."""
    template = drawn.setdefault("layout", {}).setdefault("template", {})
    template["layout"] = _merged(template.get("layout", {}), APP_THEME)
    return drawn


def _merged(under: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(under)
    for key, value in over.items():
        merged[key] = _merged(merged.get(key, {}), value) if isinstance(value, dict) else value
    return merged


def shown_figure(shown: Shown) -> dict[str, Any]:
    return as_drawn(shown.figure, shown.restyle)


def write(
    site: Path, lang: str, charts: tuple[Chart, ...] = CHARTS
) -> tuple[list[Written], list[tuple[str, str, str]]]:
    """The chart pages of `lang` with their CSVs; returns the pages written, and (subject, title,
    href from the language's index) for the index."""
    written = [write_one(site, lang, chart) for chart in charts]
    listed = [
        (chart.subject, w.title, f"charts/{chart.slug}.html")
        for chart, w in zip(charts, written, strict=True)
    ]
    return written, listed


def write_one(site: Path, lang: str, chart: Chart) -> Written:
    shown = chart.build()
    page = f"{lang}/charts/{chart.slug}.html"
    csv = f"{lang}/data/{chart.slug}.csv"
    figure = shown_figure(shown)
    (site / csv).parent.mkdir(parents=True, exist_ok=True)
    (site / csv).write_bytes(csv_bytes(shown.rows))
    (site / page).parent.mkdir(parents=True, exist_ok=True)
    (site / page).write_text(_page(lang, chart, shown, figure), encoding="utf-8")
    return Written(page, shown.title, figure, shown.source, f"{lang}/images/{chart.slug}")


def figure_block(name: str, alt: str, fill: bool = False, caption: bool = True) -> str:
    """The chart's holder: the script draws the figure into it; its alt text is its label and caption."""
    return (
        f'<figure><div id="atlas-chart" class="chart" role="img" aria-label="{esc(alt)}" '
        f'data-name="{esc(name)}" data-failed="{esc(t("pack.chart_failed"))}"'
        + (' data-fill="yes"' if fill else "")
        + f'></div><figcaption class="{"alt" if caption else "visually-hidden"}">{esc(alt)}</figcaption></figure>'
    )


def scripts_for(figure: dict[str, Any], lang: str) -> list[str]:
    """The shared files a page with `figure` loads: the smallest plotly.js bundle that draws it, its
    French locale, and the borders when the figure draws a world map."""
    types = {str(trace.get("type", "scatter")) for trace in figure.get("data", [])}
    scripts = [assets.bundle_for(types)]
    if lang == "fr":
        scripts.append(assets.LOCALE)
    if types & {"choropleth", "scattergeo"}:
        scripts.append(assets.WORLD)
    return scripts


def figure_data(figure: dict[str, Any]) -> str:
    """The figure as the JSON the page's script draws, safe inside a <script> element."""
    return html.script_json(figure)


def _page(lang: str, chart: Chart, shown: Shown, figure: dict[str, Any]) -> str:
    other = "fr" if lang == "en" else "en"
    table = shown.rows.head(500)
    columns = [str(c) for c in table.columns]
    rows = [{str(k): v for k, v in r.items()} for r in table.to_dict(orient="records")]
    body = (
        f'<p class="kicker">{esc(t(f"nav.{chart.subject}"))}</p>'
        f"<h1>{esc(shown.title)}</h1>"
        + html.paragraphs(shown.notes[:1], "note")
        + figure_block(chart.slug, shown.alt)
        + f'<p class="source">{esc(shown.source)}</p>'
        + html.paragraphs(shown.notes[1:], "note")
        + f"<h2>{esc(t('pack.files'))}</h2>"
        + '<ul class="files">'
        + f"<li>{html.link(f'../data/{chart.slug}.csv', t('pack.csv', rows=i18n.number(len(shown.rows))))}</li>"
        + f"<li>{html.link(f'../images/{chart.slug}.png', t('pack.png'))}</li>"
        + f"<li>{html.link(f'../images/{chart.slug}.svg', t('pack.svg'))}</li>"
        + "</ul>"
        + f"<details><summary>{esc(t('common.table_view'))}</summary>"
        + (
            html.paragraphs([t("pack.table_cut", rows=i18n.number(len(table)))])
            if len(table) < len(shown.rows)
            else ""
        )
        + html.table(rows, columns)
        + "</details>"
    )
    return html.page(
        lang=lang,
        title=shown.title,
        body=body,
        root="../../",
        other_language=f"../../{other}/charts/{chart.slug}.html",
        scripts=scripts_for(figure, lang),
        kind="chart-page",
        data_json=figure_data(figure),
    )
