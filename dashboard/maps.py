"""The Map page's subject: choropleth layers (demand, supply, North/South), markers, country panel.

Nothing here computes a figure: values come from the ETL's tables; this module picks rows,
formats them for the current language and says where they come from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.colors
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, citations, data, i18n
from dashboard.components import plain
from dashboard.figures import stated
from dashboard.hover import wrap
from dashboard.i18n import t
from dashboard.names import name

# Black and pink, with a white ring: no fill of any layer uses them (North/South are blue and
# orange, quantities viridis), so a marker never reads as a value of the map under it.
ROLE_COLOURS = {"micro_task_buyer": "#000000", "micro_task_seller": "#CC79A7"}
# "No data" is not a value: a pale grey with a darker outline (plotly maps have no hatching), named
# in the legend, and unlike every colour of the scales (viridis has no grey; North/South are blue
# and orange). A measured zero is a value: the colour scale's own bottom, labelled "0" on its bar.
NO_DATA_FILL = "#E2E2E2"
NO_DATA_LINE = "#A6A6A6"
# The scales run from pale (small) to dark (large): reversed viridis, with zero paler still.
SCALE = list(reversed(plotly.colors.sequential.Viridis))
ZERO_COLOUR = "#FFF7BC"


@dataclass
class Layer:
    shown: pd.DataFrame
    no_data: pd.DataFrame
    rows: pd.DataFrame
    colour_title: str
    zero: pd.DataFrame | None = None  # iso3, hover: measured zeros, drawn as the scale's zero
    categories: list[str] | None = None
    note: str = ""
    log_scale: bool = False
    money: bool = False  # colour bar ticks in US dollars
    key: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _no_data(exclude: set[str]) -> pd.DataFrame:
    features: list[dict[str, str]] = data.world_geojson()["features"]  # type: ignore[assignment]
    codes = [f["id"] for f in features]
    missing = [c for c in codes if c not in exclude]
    return pd.DataFrame(
        {"iso3": missing, "hover": [f"<b>{wrap(name(c))}</b><br>{t('common.no_data')}" for c in missing]}
    )


def demand_layer(occupation: str) -> Layer:
    return _remember(_demand_layer(occupation, i18n.lang()), f"demand:{occupation}")


# A median of fewer projects than this is not drawn (too few to stand for a country): ours.
MIN_PAY_PROJECTS = 30
MEASURED_YEARS = tuple(range(2013, 2021))


def workers_layer(year: int) -> Layer:
    return _remember(_workers_layer(year, i18n.lang()), f"workers:{year}")


def pay_layer(year: int) -> Layer:
    return _remember(_pay_layer(year, i18n.lang()), f"pay:{year}")


def _measured(year: int) -> pd.DataFrame:
    supply = data.table("worker_supply_years")
    return supply[supply["year"] == year]


def _with_hovers(no_data: pd.DataFrame, hovers: dict[str, str]) -> pd.DataFrame:
    """The grey countries, with a hover of their own where we know why they are grey."""
    return no_data.assign(
        hover=[hovers.get(c, h) for c, h in zip(no_data["iso3"], no_data["hover"], strict=True)]
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def _workers_layer(year: int, lang: str) -> Layer:
    """Each worker country's share of the projects won in `year` (Braesemann et al. 2022)."""
    year_rows = _measured(year)
    cite = citations.by_id()
    rows = year_rows[year_rows["projects"] > 0]
    hover = [
        f"<b>{wrap(name(r.iso3))}</b><br>{i18n.percent(r.share_of_year_percent, 2)} "
        f"{t('map.of_projects_won', year=year)} ({i18n.number(r.projects)} {t('map.projects')})"
        f"<br><i>{wrap(cite[r.source_id])}</i>"
        for r in rows.itertuples()
    ]
    none_won = year_rows[year_rows["projects"] == 0]
    zero = pd.DataFrame(
        {
            "iso3": none_won["iso3"],
            "hover": [
                f"<b>{wrap(name(r.iso3))}</b><br>{t('map.no_project', year=year)}<br><i>{wrap(cite[r.source_id])}</i>"
                for r in none_won.itertuples()
            ],
        }
    )
    shown = pd.DataFrame({"iso3": rows["iso3"], "value": rows["share_of_year_percent"], "hover": hover})
    return Layer(
        shown,
        _no_data(set(rows["iso3"]) | set(zero["iso3"])),
        rows.reset_index(drop=True),
        t("map.workers_share_log"),
        zero=zero.reset_index(drop=True),
        note=t("map.workers_note"),
        log_scale=True,
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def _pay_layer(year: int, lang: str) -> Layer:
    """Each worker country's median hourly pay in `year`, where it won enough projects to say."""
    year_rows = _measured(year)
    cite = citations.by_id()
    enough = year_rows["median_usd_per_hour"].notna() & (year_rows["projects"] >= MIN_PAY_PROJECTS)
    rows = year_rows[enough]
    hover = [
        f"<b>{wrap(name(r.iso3))}</b><br>{t('map.median_pay', pay=i18n.money(r.median_usd_per_hour, 'USD'), year=year)}"
        f"<br>{t('map.mean_pay', pay=i18n.money(r.mean_usd_per_hour, 'USD'))}, {i18n.number(r.projects)} {t('map.projects')}"
        f"<br><i>{wrap(cite[r.source_id])}</i>"
        for r in rows.itertuples()
    ]
    few = {
        r.iso3: f"<b>{wrap(name(r.iso3))}</b><br>{t('map.too_few', n=i18n.number(r.projects), year=year, minimum=MIN_PAY_PROJECTS)}"
        f"<br><i>{wrap(cite[r.source_id])}</i>"
        for r in year_rows[~enough].itertuples()
    }
    shown = pd.DataFrame({"iso3": rows["iso3"], "value": rows["median_usd_per_hour"], "hover": hover})
    return Layer(
        shown,
        _with_hovers(_no_data(set(rows["iso3"])), few),
        rows.reset_index(drop=True),
        t("map.pay_log"),
        note=t("map.pay_note", minimum=MIN_PAY_PROJECTS),
        log_scale=True,
        money=True,
    )


def supply_layer(snapshot: int = 0) -> Layer:
    return _remember(_supply_layer(snapshot, i18n.lang()), f"supply:{snapshot}")


def supply_snapshot_labels() -> dict[str, str]:
    """Language-neutral key (source_id|period) → label, in the order of supply_snapshots()."""
    return _supply_snapshot_labels(i18n.lang())


@st.cache_resource(show_spinner=False)
def _supply_snapshot_labels(lang: str) -> dict[str, str]:
    cite = citations.by_id()
    return {
        f"{r.source_id}|{r.period}": f"{cite[r.source_id]}, {r.period} ({r.countries} {t('map.countries')})"
        for r in supply_snapshots().itertuples()
    }


def map_figure(layer: Layer) -> go.Figure:
    """The choropleth of a layer with the seeds' named countries on top, built once per layer."""
    return _map_figure(layer.key, i18n.lang())


_LAYERS: dict[tuple[str, str], Layer] = {}


@st.cache_resource(show_spinner=False, max_entries=64)
def _map_figure(key: str, lang: str) -> go.Figure:
    layer = _LAYERS[(key, lang)]
    figure = charts.choropleth(
        layer.shown,
        charts.WORLD_URL,
        layer.no_data,
        layer.colour_title,
        t("common.no_data"),
        layer.categories,
        log_scale=layer.log_scale,
        tick_label=i18n.money_tick if layer.money else i18n.significant,
    )
    _draw_no_data_and_zero(figure, layer)
    add_named_countries(figure)
    return figure


def _draw_no_data_and_zero(figure: go.Figure, layer: Layer) -> None:
    """Tell "no data" from zero (issue 20, item 13): the no-data countries in NO_DATA_FILL, named
    in the legend; a quantity's scale drawn from zero, and the layer's measured zeros in the
    scale's colour at zero. A linear scale starts at 0; on a log scale zero has no place, so it gets
    a band of its own under the smallest value (a sixth of the bar, ZERO_COLOUR), labelled "0"."""
    with charts.PLOTLY:
        no_data, *others = figure.data
        no_data.update(
            colorscale=[[0, NO_DATA_FILL], [1, NO_DATA_FILL]],
            marker_line_color=NO_DATA_LINE,
            marker_line_width=0.6,
            name=t("map.legend.no_data"),
            showlegend=True,
            legendrank=2000,  # after the other entries
        )
        scaled = [d for d in others if d.type == "choropleth" and d.showscale is not False]
        if layer.categories or not scaled:
            return
        main = scaled[0]
        values = [float(v) for v in main.z]
        low, high = (min(values), max(values)) if values else (0.0, 1.0)
        zero = layer.zero if layer.zero is not None else pd.DataFrame(columns=["iso3", "hover"])
        if layer.log_scale:
            band = (high - low) / 5 if high > low else 1.0  # a sixth of the bar
            bottom = low - band
            share = band / (high - bottom)
            # Zero's colour up to 70 % of its band, then a short blend into the scale's first colour,
            # which the smallest value takes (two stops at one place would leave it to chance).
            stops = [[0.0, ZERO_COLOUR], [0.7 * share, ZERO_COLOUR]] + [
                [share + (1 - share) * i / (len(SCALE) - 1), c] for i, c in enumerate(SCALE)
            ]
            bar = main.colorbar
            main.update(
                colorbar=dict(
                    tickvals=[bottom, *list(bar.tickvals or ())],  # where the zeros are
                    ticktext=["0", *list(bar.ticktext or ())],
                )
            )
        else:
            # A linear scale starts at zero, whose colour is the scale's first.
            bottom = min(0.0, low)
            stops = [[i / (len(SCALE) - 1), c] for i, c in enumerate(SCALE)]
        main.update(
            colorscale=stops,
            reversescale=False,
            zmin=bottom,
            zmax=high,
            locations=[*main.locations, *zero["iso3"]],
            z=[*values, *([bottom] * len(zero))],
            customdata=[*[list(r) for r in main.customdata], *([h] for h in zero["hover"])],
        )


def north_south_layer(classification: str) -> Layer:
    return _remember(_north_south_layer(classification, i18n.lang()), f"ns:{classification}")


def _remember(layer: Layer, key: str) -> Layer:
    """Name a layer so that its figure can be cached under that name."""
    layer.key = key
    _LAYERS[(key, i18n.lang())] = layer
    return layer


# Layers are built once per choice and language (the lang argument is the cache key: the hover
# texts are in it); a rerun then costs a dictionary look-up instead of 240 formatted hovers. Shared
# read-only between sessions (cache_resource, no per-call copy), so the table and CSV derived from
# a layer's rows are derived once too (components.per_object).
@st.cache_resource(show_spinner=False, max_entries=64)
def _demand_layer(occupation: str, lang: str) -> Layer:
    demand = data.table("oli_demand")
    cite = citations.by_id()
    if occupation == "all":
        rows = demand.groupby(["snapshot_date", "iso3", "source_id"], as_index=False).agg(
            vacancies=("vacancies", "sum"), share_percent=("share_of_all_vacancies_percent", "sum")
        )
        rows = rows.assign(occupation="all")
    else:
        rows = demand[demand["occupation"] == occupation].rename(
            columns={"share_within_occupation_percent": "share_percent"}
        )
        rows = rows[["snapshot_date", "iso3", "occupation", "vacancies", "share_percent", "source_id"]]
    hover = [
        f"<b>{wrap(name(r.iso3))}</b><br>{i18n.percent(r.share_percent, 2)} "
        f"{t('map.of_vacancies')} ({i18n.number(r.vacancies)} {t('map.vacancies')}), {r.snapshot_date}"
        f"<br><i>{wrap(cite[r.source_id])}</i>"
        for r in rows.itertuples()
    ]
    shown = pd.DataFrame({"iso3": rows["iso3"], "value": rows["share_percent"], "hover": hover})
    return Layer(
        shown,
        _no_data(set(rows["iso3"])),
        rows.reset_index(drop=True),
        t("map.share_percent_log"),
        note=t("map.demand_note"),
        log_scale=True,
    )


@st.cache_resource(show_spinner=False)
def supply_snapshots() -> pd.DataFrame:
    """The supply samples we hold, (source_id, period, countries), the widest first. Shared: read-only."""
    supply = data.table("supply_shares")
    groups = (
        supply.groupby(["source_id", "period"], as_index=False)
        .agg(countries=("iso3", "nunique"))
        .sort_values(["countries", "period"], ascending=False)
    )
    return groups.reset_index(drop=True)


@st.cache_resource(show_spinner=False, max_entries=64)
def _supply_layer(snapshot: int, lang: str) -> Layer:
    supply = data.table("supply_shares")
    cite = citations.by_id()
    snapshots = supply_snapshots()
    if snapshots.empty:
        empty = pd.DataFrame(columns=["iso3", "value", "hover"])
        return Layer(empty, _no_data(set()), supply, t("map.share_percent"), note=t("map.supply_none"))
    chosen = snapshots.iloc[min(snapshot, len(snapshots) - 1)]
    rows = supply[(supply["source_id"] == chosen["source_id"]) & (supply["period"] == chosen["period"])]
    figures = data.figures().set_index("figure_id", drop=False)
    # The figure as its source states it ("more than 25%"), with whose workers it counts.
    hover = [
        f"<b>{wrap(name(r.iso3))}</b><br>{wrap(stated(figures.loc[r.figure_id], period=True, population=True))}"
        f"<br><i>{wrap(cite[r.source_id])}"
        + (f" — {t('common.relaying')} {wrap(cite[r.secondary_of])}" if r.secondary_of else "")
        + "</i>"
        for r in rows.itertuples()
    ]
    shown = pd.DataFrame({"iso3": rows["iso3"], "value": rows["share_percent"], "hover": hover})
    return Layer(
        shown,
        _no_data(set(rows["iso3"])),
        rows.reset_index(drop=True),
        t("map.share_percent"),
        note=t("map.supply_note"),
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def _north_south_layer(classification: str, lang: str) -> Layer:
    countries = data.table("countries")
    column = "north_south_wb" if classification == "wb" else "north_south_un"
    detail = "income_group_fy2025" if classification == "wb" else "un_development_2020"
    source = "worldbank-income-groups-fy2025" if classification == "wb" else "datahub-country-codes-2020"
    rows = (
        countries[countries[column] != ""][["iso3", column, detail]]
        .rename(columns={column: "north_south", detail: "detail"})
        .assign(source_id=source)
    )
    cite = citations.by_id()[source]
    hover = [
        f"<b>{wrap(name(r.iso3))}</b><br>{t('map.ns.' + r.north_south)} — "
        f"{t(('income.' if classification == 'wb' else 'un.') + r.detail)}<br><i>{wrap(cite)}</i>"
        for r in rows.itertuples()
    ]
    labels = {"North": t("map.ns.North"), "South": t("map.ns.South")}
    shown = pd.DataFrame({"iso3": rows["iso3"], "value": rows["north_south"].map(labels), "hover": hover})
    return Layer(
        shown,
        _no_data(set(rows["iso3"])),
        rows.reset_index(drop=True),
        t(f"map.classification.{classification}"),
        categories=[labels["North"], labels["South"]],
        note=t(f"map.ns_note.{classification}"),
    )


def add_named_countries(figure: go.Figure) -> None:
    """Markers on the countries the seeds name as buyers and sellers of micro-tasks."""
    traces = _named_markers(i18n.lang())  # a cached call: made before taking the plotly lock
    for trace in traces:
        with charts.PLOTLY:
            figure.add_trace(
                go.Scattergeo(
                    lon=trace["lon"],
                    lat=trace["lat"],
                    mode="markers",
                    marker=dict(size=13, color=trace["colour"], line=dict(width=2, color="#FFFFFF")),
                    name=trace["name"],
                    customdata=[[h] for h in trace["hover"]],  # type: ignore[attr-defined]
                    hovertemplate="%{customdata[0]}<extra></extra>",
                )
            )


@st.cache_data(show_spinner=False)
def _named_markers(lang: str) -> list[dict[str, object]]:
    mentions = data.table("country_mentions")
    countries = data.table("countries").set_index("iso3")
    cite = citations.by_id()
    traces: list[dict[str, object]] = []
    for role, colour in ROLE_COLOURS.items():
        rows = mentions[mentions["role"] == role].drop_duplicates("country_iso3")
        rows = rows[rows["country_iso3"].isin(countries.index)]
        if rows.empty:
            continue
        hover = [
            f"<b>{wrap(name(r.country_iso3))}</b><br>{t('map.role.' + role)}<br>« {wrap(r.quote[:220])} »"
            f"<br><i>{wrap(cite[r.source_id])}</i>"
            for r in rows.itertuples()
        ]
        traces.append(
            {
                "lon": list(countries.loc[rows["country_iso3"], "lon"]),
                "lat": list(countries.loc[rows["country_iso3"], "lat"]),
                "colour": colour,
                "name": t("map.role." + role),
                "hover": hover,
            }
        )
    return traces


def country_panel(iso3: str) -> None:
    """Every figure we hold about one country, each with its source."""
    panel, passages = _country_panel(iso3, i18n.lang())
    st.markdown(f"### {plain(name(iso3))}")
    cols = st.columns(3)
    cols[0].markdown(panel["income"])
    cols[1].markdown(panel["un"])
    cols[2].metric(t("panel.demand_share"), panel["demand"])
    st.markdown(panel["items"])
    st.markdown(f"**{t('panel.measured')}**")
    st.markdown(panel["measured"])
    if panel["partners"]:
        st.markdown(panel["partners"])
    if passages:
        st.markdown(f"**{t('panel.passages')}**")
        for passage in passages:
            st.markdown(passage)
    else:
        st.info(t("panel.no_passages"))


@st.cache_resource(show_spinner=False, max_entries=512)
def _country_panel(iso3: str, lang: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """The panel's texts and quoted passages (Markdown, data escaped) for one country in `lang`."""
    cite = citations.by_id()
    countries = data.table("countries").set_index("iso3")
    row = countries.loc[iso3]
    panel = {
        "income": f"**{t('panel.income_group')}**  \n"
        + (t(f"income.{row['income_group_fy2025']}") if row["income_group_fy2025"] else t("common.no_data")),
        "un": f"**{t('panel.un_2020')}**  \n"
        + (t(f"un.{row['un_development_2020']}") if row["un_development_2020"] else t("common.no_data")),
    }
    demand = data.table("oli_demand")
    share = demand.loc[demand["iso3"] == iso3, "share_of_all_vacancies_percent"].sum()
    panel["demand"] = i18n.percent(share, 2) if (demand["iso3"] == iso3).any() else t("common.no_data")
    items: list[tuple[str, str]] = []
    gdp = data.table("gdp_per_capita")
    gdp = gdp[gdp["iso3"] == iso3].sort_values("year")
    if len(gdp):
        last = gdp.iloc[-1]
        items.append(
            (
                f"{t('panel.gdp')} ({last['year']}): {i18n.money(last['usd'], 'USD', 0)}",
                cite[last["source_id"]],
            )
        )
    else:
        items.append((f"{t('panel.gdp')}: {t('common.no_data')}", ""))
    wages = data.table("minimum_wages")
    wages = wages[wages["iso3"] == iso3].sort_values("year")
    if len(wages):
        last = wages.iloc[-1]
        items.append(
            (
                f"{t('panel.min_wage')} ({last['year']}): {i18n.money(last['lcu_per_month'], last['currency'], 0)} "
                f"{t('panel.per_month')} = {i18n.money(last['usd_per_month_nominal'], 'USD', 0)} "
                f"({t('panel.nominal')}), {i18n.number(last['intl_dollars_per_month_ppp'])} {t('panel.ppp_dollars')}",
                cite[last["source_id"]],
            )
        )
    else:
        items.append((f"{t('panel.min_wage')}: {t('common.no_data')}", ""))
    supply = data.table("supply_shares")
    figures = data.figures().set_index("figure_id", drop=False)
    for r in supply[supply["iso3"] == iso3].itertuples():
        # The figure's own label says whose workers it counts ("active oDesk workers", 2013), and
        # its value keeps the source's qualifier ("more than 25 %").
        figure = figures.loc[r.figure_id]
        label = figure["label_fr"] if lang == "fr" else figure["label_en"]
        items.append((f"{label}: {stated(figure, period=True, population=True)}", cite[r.source_id]))
    panel["items"] = "\n".join(
        f"- {plain(text)}" + (f" — *{plain(source)}*" if source else "") for text, source in items
    )
    panel["measured"] = _measured_series(iso3)
    panel["partners"] = _partners_text(iso3)
    about = figures[figures["country_iso3"] == iso3]
    mentions = data.table("country_mentions")
    named = mentions[mentions["country_iso3"] == iso3]
    passages = [
        f"> {plain(r.quote)}\n\n— {plain(t('map.role.' + r.role))}, *{plain(cite[r.source_id])}*"
        for r in named.itertuples()
    ]
    passages += [
        f"> {plain(r.quote)}\n\n— {plain(r.label_en if lang == 'en' else r.label_fr)}, *{plain(r.citation)}*"
        for r in about.itertuples()
    ]
    return panel, tuple(passages)


def _measured_series(iso3: str) -> str:
    """The country's measured projects won, share and median pay, year by year, as a Markdown
    table (Braesemann et al. 2022); "no data" when the country never appears."""
    supply = data.table("worker_supply_years")
    rows = supply[supply["iso3"] == iso3].sort_values("year")
    if rows.empty:
        return t("panel.measured_none")
    header = f"| {t('panel.year')} | {t('panel.projects_won')} | {t('panel.share_of_year')} | {t('panel.median_pay')} |"
    lines = [header, "|---|---:|---:|---:|"]
    for r in rows.itertuples():
        pay = (
            i18n.money(r.median_usd_per_hour, "USD")
            if r.median_usd_per_hour == r.median_usd_per_hour and r.projects >= MIN_PAY_PROJECTS
            else t("panel.too_few_short", minimum=MIN_PAY_PROJECTS)
            if r.projects > 0
            else "—"
        )
        lines.append(
            f"| {r.year} | {i18n.number(r.projects)} | {i18n.percent(r.share_of_year_percent, 2)} | {pay} |"
        )
    cite = citations.by_id()[str(rows["source_id"].iloc[0])]
    return "\n".join(lines) + f"\n\n*{plain(cite)}. {plain(t('panel.measured_note'))}*"


def _partners_text(iso3: str) -> str:
    """Whom the country's workers worked for, and whom its employers hired, in 2014 and 2015."""
    from dashboard import flows

    parts = []
    for role, key in (("worker", "panel.top_buyers"), ("employer", "panel.top_workers")):
        for year in flows.YEARS:
            top = flows.partners(iso3, role, year)
            if top.empty:
                continue
            listed = ", ".join(
                f"{r.partner} {i18n.percent(r.share_of_country_percent, 0)}" for r in top.itertuples()
            )
            parts.append(f"- {plain(t(key, year=year))}: {plain(listed)}")
    return "\n".join(parts)


def shares_over_years(count: int = 12) -> tuple[pd.DataFrame, go.Figure]:
    """The measured worker shares 2013–2020 of the `count` countries with the largest share in any
    year, one small panel each (shares only: the samples differ by year)."""
    return _shares_over_years(count, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=16)
def _shares_over_years(count: int, lang: str) -> tuple[pd.DataFrame, go.Figure]:
    supply = data.table("worker_supply_years")
    cite = citations.by_id()
    largest = supply.groupby("iso3")["share_of_year_percent"].max().nlargest(count).index
    rows = supply[supply["iso3"].isin(largest)].copy()
    order = {c: i for i, c in enumerate(largest)}
    rows = rows.sort_values(["iso3", "year"], key=lambda col: col.map(order) if col.name == "iso3" else col)
    rows["country"] = rows["iso3"].map(name)
    rows["hover"] = [
        f"<b>{wrap(r.country)}</b>, {r.year}<br>{i18n.percent(r.share_of_year_percent, 1)} "
        f"{t('map.of_projects_won', year=r.year)} ({i18n.number(r.projects)} {t('map.projects')})"
        f"<br><i>{wrap(cite[r.source_id])}</i>"
        for r in rows.itertuples()
    ]
    figure = charts.small_multiples(
        rows, "year", "share_of_year_percent", "country", "hover", t("map.share_axis")
    )
    return rows.drop(columns="hover").reset_index(drop=True), figure


def change_between(first: int, last: int, count: int = 16) -> tuple[pd.DataFrame, go.Figure]:
    """Each worker country's share in `last` minus its share in `first` (percentage points, ours):
    the `count` largest changes, gains and losses."""
    return _change_between(first, last, count, i18n.lang())


@st.cache_resource(show_spinner=False, max_entries=128)
def _change_between(first: int, last: int, count: int, lang: str) -> tuple[pd.DataFrame, go.Figure]:
    supply = data.table("worker_supply_years")
    cite = citations.by_id()
    wide = supply.pivot_table(index="iso3", columns="year", values="share_of_year_percent", aggfunc="sum")
    change = pd.DataFrame(
        {
            "iso3": wide.index,
            "share_first_percent": wide[first].to_numpy(),
            "share_last_percent": wide[last].to_numpy(),
        }
    )
    change["change_points"] = change["share_last_percent"] - change["share_first_percent"]
    change = change.dropna(subset=["change_points"])
    change = change.reindex(change["change_points"].abs().sort_values(ascending=False).index).head(count)
    change = change.assign(
        first_year=first,
        last_year=last,
        country=change["iso3"].map(name),
        colour=[charts.OKABE_ITO[2] if v >= 0 else charts.OKABE_ITO[5] for v in change["change_points"]],
        source_id=str(supply["source_id"].iloc[0]),
    )
    change["hover"] = [
        f"<b>{wrap(r.country)}</b><br>{first}: {i18n.percent(r.share_first_percent, 1)} → {last}: "
        f"{i18n.percent(r.share_last_percent, 1)}<br>{t('map.change_hover', points=i18n.number(r.change_points, 1))}"
        f"<br><i>{wrap(cite[r.source_id])}</i>"
        for r in change.itertuples()
    ]
    figure = charts.bars(
        change, "change_points", "country", "hover", t("map.change_axis"), colour_column="colour"
    )
    return change.drop(columns=["hover", "colour"]).reset_index(drop=True), figure


def oli_months() -> list[str]:
    """The months of the OLI's own worker supplement (make update), oldest first; [] without it."""
    return sorted(data.table("oli_worker_shares_monthly")["month"].unique())


def oli_workers_layer(month: str) -> Layer:
    return _remember(_oli_workers_layer(month, i18n.lang()), f"oli_workers:{month}")


@st.cache_resource(show_spinner=False, max_entries=64)
def _oli_workers_layer(month: str, lang: str) -> Layer:
    """Each worker country's share of the month's sampled workers (the OII's worker supplement;
    each day's share averaged over the month, ours), all occupations together."""
    table = data.table("oli_worker_shares_monthly")
    cite = citations.by_id()
    rows = (
        table[table["month"] == month]
        .groupby(["month", "iso3", "source_id"], as_index=False)["share_percent"]
        .sum()
    )
    rows = rows[rows["share_percent"] > 0].reset_index(drop=True)
    hover = [
        f"<b>{wrap(name(r.iso3))}</b><br>{t('map.oli_share', share=i18n.percent(r.share_percent, 2), month=i18n.month(month))}"
        f"<br><i>{wrap(cite[r.source_id])}</i>"
        for r in rows.itertuples()
    ]
    shown = pd.DataFrame({"iso3": rows["iso3"], "value": rows["share_percent"], "hover": hover})
    return Layer(
        shown,
        _no_data(set(rows["iso3"])),
        rows,
        t("map.oli_share_log"),
        note=t("map.oli_note"),
        log_scale=True,
    )
