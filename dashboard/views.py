"""Display shaping shared by pages: translated labels and hover texts built from tidy rows.

Nothing here computes a figure: values come from the ETL's tables; this module only picks rows,
formats them for the current language and says where they come from.
"""

from __future__ import annotations

import functools
import textwrap
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, i18n
from dashboard.components import plain
from dashboard.i18n import t

OCCUPATIONS = (
    "clerical_data_entry",
    "creative_multimedia",
    "professional_services",
    "sales_marketing",
    "software_technology",
    "writing_translation",
)
ROLE_COLOURS = {"micro_task_buyer": "#0072B2", "micro_task_seller": "#D55E00"}


def name(iso3: str) -> str:
    return _names(i18n.lang()).get(iso3, iso3)


@functools.cache
def _names(lang: str) -> dict[str, str]:
    """ISO3 → name in `lang`, built once per process (the table never changes while it runs)."""
    return {code: pair[1] if lang == "fr" else pair[0] for code, pair in data.country_names().items()}


def wrap(text: str, width: int = 60) -> str:
    """Hover text wrapped for plotly (which only breaks lines at <br>); markup is escaped."""
    safe = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "<br>".join(textwrap.wrap(safe, width)) or safe


@dataclass
class Layer:
    shown: pd.DataFrame
    no_data: pd.DataFrame
    rows: pd.DataFrame
    colour_title: str
    categories: list[str] | None = None
    note: str = ""
    log_scale: bool = False
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


def supply_layer(snapshot: int = 0) -> Layer:
    return _remember(_supply_layer(snapshot, i18n.lang()), f"supply:{snapshot}")


def supply_snapshot_labels() -> dict[str, str]:
    """Language-neutral key (source_id|period) → label, in the order of supply_snapshots()."""
    return _supply_snapshot_labels(i18n.lang())


@st.cache_resource(show_spinner=False)
def _supply_snapshot_labels(lang: str) -> dict[str, str]:
    cite = data.citations()
    return {
        f"{r.source_id}|{r.period}": f"{cite[r.source_id]}, {r.period} ({r.countries} {t('map.countries')})"
        for r in supply_snapshots().itertuples()
    }


@functools.cache
def countries_by_name(lang: str) -> list[str]:
    """Every ISO3 code sorted by its name in `lang`."""
    names = _names(lang)
    return sorted(names, key=lambda code: names[code])


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
    )
    add_named_countries(figure)
    return figure


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
    cite = data.citations()
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
    cite = data.citations()
    snapshots = supply_snapshots()
    if snapshots.empty:
        empty = pd.DataFrame(columns=["iso3", "value", "hover"])
        return Layer(empty, _no_data(set()), supply, t("map.share_percent"), note=t("map.supply_none"))
    chosen = snapshots.iloc[min(snapshot, len(snapshots) - 1)]
    rows = supply[(supply["source_id"] == chosen["source_id"]) & (supply["period"] == chosen["period"])]
    qualifier = {"about": "≈ ", "more_than": "> ", "less_than": "< ", "nearly": "≈ "}
    hover = [
        f"<b>{wrap(name(r.iso3))}</b><br>{qualifier.get(r.qualifier, '')}{i18n.percent(r.share_percent, 1)} "
        f"{t('map.of_online_workers')}, {r.period}<br><i>{wrap(cite[r.source_id])}"
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
    cite = data.citations()[source]
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
                go.Scattermap(
                    lon=trace["lon"],
                    lat=trace["lat"],
                    mode="markers",
                    marker=dict(size=14, color=trace["colour"]),
                    name=trace["name"],
                    customdata=[[h] for h in trace["hover"]],  # type: ignore[attr-defined]
                    hovertemplate="%{customdata[0]}<extra></extra>",
                )
            )


@st.cache_data(show_spinner=False)
def _named_markers(lang: str) -> list[dict[str, object]]:
    mentions = data.table("country_mentions")
    countries = data.table("countries").set_index("iso3")
    cite = data.citations()
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
    if passages:
        st.markdown(f"**{t('panel.passages')}**")
        for passage in passages:
            st.markdown(passage)
    else:
        st.info(t("panel.no_passages"))


@st.cache_resource(show_spinner=False, max_entries=512)
def _country_panel(iso3: str, lang: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """The panel's texts and quoted passages (Markdown, data escaped) for one country in `lang`."""
    cite = data.citations()
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
    for r in supply[supply["iso3"] == iso3].itertuples():
        items.append(
            (
                f"{t('map.share_of_workers')} ({r.period}): {i18n.percent(r.share_percent, 1)}",
                cite[r.source_id],
            )
        )
    panel["items"] = "\n".join(
        f"- {plain(text)}" + (f" — *{plain(source)}*" if source else "") for text, source in items
    )
    figures = data.figures()
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


# The columns a figures export carries after its own leading ones: the value as stated (qualifier,
# value or range, unit, period), the sentence, and where it comes from.
FIGURE_EXPORT = (
    "qualifier",
    "value_normalised",
    "low_normalised",
    "high_normalised",
    "unit_normalised",
    "period",
    "quote",
    "source_id",
    "secondary_of",
)


QUALIFIER_SIGNS = {
    "about": "≈ ",
    "more_than": "> ",
    "less_than": "< ",
    "nearly": "≈ ",
    "at_least": "≥ ",
    "at_most": "≤ ",
    "up_to": "≤ ",
}


def figure_value(
    row: object, centre: str = "value_normalised", low: str = "low_normalised", high: str = "high_normalised"
) -> str:
    """A figure's value as stated: qualifier kept ("> 100 million"), a range kept as a range."""
    get = row._asdict() if hasattr(row, "_asdict") else dict(row)  # type: ignore[call-overload]
    if get["qualifier"] == "range":
        return f"{i18n.significant(get[low])}–{i18n.significant(get[high])}"
    return QUALIFIER_SIGNS.get(get["qualifier"], "") + i18n.significant(get[centre])


def figure_hover(row: object) -> str:
    """Label, value with unit and year, the exact quote and the citation, for a plotly hover."""
    get = row._asdict() if hasattr(row, "_asdict") else dict(row)  # type: ignore[call-overload]
    label = get["label_fr"] if i18n.lang() == "fr" else get["label_en"]
    source = get["citation"] + (
        f" — {t('common.relaying')} {get['study_citation']}" if get.get("study_citation") else ""
    )
    return (
        f"<b>{wrap(label)}</b><br>{figure_value(row)} {wrap(unit_label(get['unit_normalised']))}, {get['period']}"
        f"<br>« {wrap(get['quote'][:300])} »<br><i>{wrap(source)}</i>"
    )


def with_unit(value: str, unit: str) -> str:
    """'14' + percent → '14%' (or '14 %' in French, as Babel does); other units after a space."""
    if unit == "percent":
        return value + ("\u00a0%" if i18n.lang() == "fr" else "%")
    return f"{value} {unit_label(unit)}"


def period_label(row: object) -> str:
    """The period as the text fixes it ("2016-05 – 2016-09"), else the publication year, said so."""
    get = row._asdict() if hasattr(row, "_asdict") else dict(row)  # type: ignore[call-overload]
    if get["period"]:
        return str(get["period"]).replace("/", " – ")
    if get["year"] == get["year"] and get["year"] is not None:
        return t("common.published", year=int(get["year"]))
    return t("common.undated")


def platform_names(ids: str) -> str:
    """'uber|airbnb' → 'Uber, Airbnb' (names from the platforms table)."""
    platforms = data.table("platforms")
    names = dict(zip(platforms["platform_id"], platforms["name"], strict=True))
    return ", ".join(names.get(i.strip(), i.strip()) for i in ids.split("|") if i.strip())


def unit_label(unit: str) -> str:
    key = f"unit.{unit}"
    text = t(key)
    return unit.replace("_", " ") if text == key else text


@dataclass(frozen=True)
class Cited:
    value: float
    quote: str
    citation: str


def unpaid_minutes_default() -> Cited | None:
    """The ILO 2021 figure for micro-task platforms: unpaid minutes per paid hour."""
    figures = data.figures()
    rows = figures[
        (figures["unit_normalised"] == "minutes_per_hour") & figures["metric"].str.contains("micro")
    ]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return Cited(float(row["value_normalised"]), row["quote"], row["citation"])


def usd_per_unit(currency: str, year: int) -> tuple[int, float | None]:
    """(year used, US dollars per unit of `currency`) from the ETL's WDI rates; latest ≤ year."""
    if currency == "USD":
        return year, 1.0
    economy = {"EUR": "EMU", "GBP": "GBR", "INR": "IND", "PHP": "PHL", "CNY": "CHN"}[currency]
    rates = data.table("exchange_rates")
    rows = rates[(rates["iso3"] == economy) & (rates["year"] <= year)].sort_values("year")
    if rows.empty:
        return year, None
    last = rows.iloc[-1]
    return int(last["year"]), 1 / float(last["lcu_per_usd"])


@dataclass(frozen=True)
class MinimumWage:
    year: int
    usd_per_hour: float
    source_id: str


def minimum_hourly(iso3: str) -> MinimumWage | None:
    """The latest hourly minimum wage (our model from ILOSTAT monthly) in nominal dollars."""
    wages = data.table("minimum_wages")
    rows = wages[(wages["iso3"] == iso3) & wages["usd_per_hour_nominal_model"].notna()].sort_values("year")
    if rows.empty:
        return None
    last = rows.iloc[-1]
    return MinimumWage(int(last["year"]), float(last["usd_per_hour_nominal_model"]), str(last["source_id"]))


def stated(row: object) -> str:
    """A figure as its source states it: "> 100 million", "0.006 ¢ per click", "$0.75 an hour"."""
    get = row._asdict() if hasattr(row, "_asdict") else dict(row)  # type: ignore[call-overload]
    sign = QUALIFIER_SIGNS.get(get["qualifier"], "")
    scale = "" if get["scale"] in ("", "one") else " " + t(f"scale.{get['scale']}")

    def amount(value: float) -> str:
        if get["currency"] and "_cent" in get["unit"]:
            return f"{i18n.significant(value)} ¢"
        if get["currency"] and not scale:
            return i18n.money(value, get["currency"])
        return i18n.significant(value) + scale + (f" {get['currency']}" if get["currency"] else "")

    if get["qualifier"] == "range":
        text = f"{amount(get['value_low'])}–{amount(get['value_high'])}"
    elif get["value"] is None or get["value"] != get["value"]:
        return t("common.no_number")
    else:
        text = sign + amount(get["value"])
    if get["per"]:
        text += " " + t(f"per.{get['per']}")
    return text


UNIT_PRICES = ("click", "like", "tweet", "share", "task", "pair", "gig", "follower")


def price_ladder() -> tuple[pd.DataFrame, go.Figure]:
    """Cached per language; the figure is shared: copy it (go.Figure(fig)) before changing it."""
    return _price_ladder(i18n.lang())


@st.cache_resource(show_spinner=False)
def _price_ladder(lang: str) -> tuple[pd.DataFrame, go.Figure]:
    """Every per-unit price we hold, in nominal US dollars, smallest at the bottom."""
    figures = data.figures()
    prices = figures[
        figures["per"].isin(UNIT_PRICES) & figures["value_usd_nominal"].notna()
        | figures["per"].isin(UNIT_PRICES) & figures["low_usd_nominal"].notna()
    ].copy()
    # Labels wrapped on two lines (plotly breaks only at <br>), so a 1280-pixel screen keeps room for dots.
    prices["what"] = [
        wrap(f"{(r.label_fr if i18n.lang() == 'fr' else r.label_en)} ({r.citation})", 56)
        for r in prices.itertuples()
    ]
    prices["shown"] = prices["value_usd_nominal"].fillna(prices["low_usd_nominal"])
    prices["per_label"] = prices["per"].map(lambda p: t(f"per.{p}"))
    prices["qualifier_label"] = prices["qualifier"].map(lambda q: t(f"qualifier.{q}"))
    prices["hover"] = [
        figure_hover(r)
        + f"<br>= {figure_value(r, 'value_usd_nominal', 'low_usd_nominal', 'high_usd_nominal')} USD"
        for r in prices.itertuples()
    ]
    prices = prices.sort_values("shown")
    ladder = charts.dots(
        prices,
        "shown",
        "what",
        "per_label",
        "hover",
        t("wages.usd_log"),
        "",
        log_x=True,
        symbol="qualifier_label",
        x_low="low_usd_nominal",
        x_high="high_usd_nominal",
        height=max(480, 64 * len(prices) + 200),  # room for labels of up to three lines
        category_order=list(prices["what"]),
        tick_text=i18n.money_tick,
    )
    return prices, ladder


def top_buyers(count: int) -> tuple[pd.DataFrame, go.Figure]:
    """Cached per language; the figure is shared: copy it (go.Figure(fig)) before changing it."""
    return _top_buyers(count, i18n.lang())


@st.cache_resource(show_spinner=False)
def _top_buyers(count: int, lang: str) -> tuple[pd.DataFrame, go.Figure]:
    """The employer countries with the largest shares of OLI vacancies, as bars."""
    demand = data.table("oli_demand")
    by_country = (
        demand.groupby(["iso3", "snapshot_date", "source_id"], as_index=False)
        .agg(vacancies=("vacancies", "sum"), share=("share_of_all_vacancies_percent", "sum"))
        .nlargest(count, "share")
    )
    by_country["country"] = by_country["iso3"].map(name)
    cite = data.citations()
    by_country["hover"] = [
        f"<b>{wrap(r.country)}</b><br>{i18n.percent(r.share, 1)} {t('map.of_vacancies')}, {r.snapshot_date}"
        f"<br><i>{cite[r.source_id]}</i>"
        for r in by_country.itertuples()
    ]
    figure = charts.bars(by_country, "share", "country", "hover", t("overview.share_axis"))
    return by_country, figure


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
