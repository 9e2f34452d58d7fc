"""The build: load → validate → normalise → join; returns every tidy table, writes nothing."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import (
    crosswalk,
    facts,
    figures,
    flows,
    geometry,
    mturk,
    odesk,
    oli,
    oli_figshare,
    oli_monthly,
    reference,
    region_flows,
    sources,
    wages,
    worker_regions,
)
from etl.paths import DATASETS
from etl.schemas import validate

FIRST_YEAR = 2000
# Cited shares of the world's online workers (OLI) and of one platform's active workers (oDesk 2013).
SUPPLY_METRICS = ("share_of_online_workers", "share_of_active_workers")


@dataclass
class Build:
    tables: dict[str, pd.DataFrame]
    geometry: str
    # Country names left out of the measured tables, with their reason and rows (for the report).
    excluded: dict[tuple[str, str], crosswalk.Excluded] = field(default_factory=dict)


def _long(frame: pd.DataFrame, value: str, **extra: str) -> pd.DataFrame:
    out = frame[frame["year"] >= FIRST_YEAR].rename(columns={"value": value})
    for name, constant in extra.items():
        out[name] = constant
    return out


def run(datasets: Path = DATASETS) -> Build:
    """Every tidy table, validated. The cyclic garbage collector is paused meanwhile: the build
    makes a few hundred thousand short-lived objects (raw rows, cells) and frees them by reference
    counting, so the collector's repeated scans were a fifth of the build's time for nothing."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(datasets)
    finally:
        if collecting:
            gc.enable()


def _run(datasets: Path) -> Build:
    registry = sources.load(datasets / "sources")
    raw = sources.check_raw(registry, datasets)
    cited = datasets / "cited"

    countries = reference.countries(
        raw["datahub-country-codes-2026"],
        raw["datahub-country-codes-2020"],
        raw["worldbank-income-groups-fy2025"],
        raw["worldbank-income-history"],
    )
    iso3 = frozenset(countries["iso3"])
    names = reference.name_index(
        countries,
        reference.extra_country_names(
            raw["datahub-country-codes-2026"], raw["worldbank-income-groups-fy2025"]
        ),
    )
    currencies = frozenset(c for c in countries["currency"] if c) | {"USD", "EUR"}

    fx = reference.read_wdi(raw["wdi-exchange-rates"], "wdi-exchange-rates")
    ppp_private = reference.read_wdi(raw["wdi-ppp-private-consumption"], "wdi-ppp-private-consumption")
    ppp_gdp = reference.read_wdi(raw["wdi-ppp-gdp"], "wdi-ppp-gdp")
    gdp = reference.read_wdi(raw["wdi-gdp-per-capita"], "wdi-gdp-per-capita")
    cpi = reference.cpi_annual(raw["bls-cpi-u"])
    ecb = reference.ecb_eur_per_usd(raw["ecb-euro-reference-rates"])
    rates = reference.rates(fx, ppp_private, cpi, countries)

    platforms = facts.platforms(cited / "platforms.csv", registry, iso3)
    platform_types = facts.platform_types(cited / "platform_types.csv", registry)
    mentions = facts.mentions(cited / "country_mentions.csv", registry, iso3)
    wage_leads = facts.minimum_wage_leads(cited / "minimum_wages_leads.csv", registry, iso3, currencies)

    records = figures.read(cited / "figures", registry, iso3, frozenset(platforms["platform_id"]), currencies)
    figure_table = figures.normalise(records, rates)

    share = figure_table[
        (figure_table["metric"].isin(SUPPLY_METRICS))
        & (figure_table["country_iso3"] != "")
        & (figure_table["unit_normalised"] == "percent")
    ]
    supply = pd.DataFrame(
        {
            "figure_id": share["figure_id"],
            "metric": share["metric"],
            "iso3": share["country_iso3"],
            "period": share["period"],
            "year": share["year"],
            "platform": share["platform"],
            "share_percent": share["value_normalised"],
            "qualifier": share["qualifier"],
            "source_id": share["source_id"],
            "secondary_of": share["secondary_of"],
        }
    ).sort_values(["iso3", "year", "figure_id"])

    boundaries = raw["naturalearth-50m-admin0"]
    borders = geometry.countries(boundaries, dict(zip(countries["m49"], countries["iso3"], strict=True)))
    world, centres = geometry.for_map(borders, boundaries)
    countries = countries.merge(centres, on="iso3", how="left")

    currency_of = dict(zip(countries["iso3"], countries["currency"], strict=True))
    breaks = wages.series_breaks(cited / "minimum_wage_breaks.csv", iso3, frozenset(registry))
    minimum = wages.ilostat(
        raw["ilostat-minimum-wages"], iso3, currency_of, rates, "ilostat-minimum-wages", breaks
    )
    oecd = wages.oecd_real(raw["oecd-real-minimum-wages"], names, "oecd-real-minimum-wages")

    measured = _measured(raw, datasets, countries, names, region_flows.Borders(borders))

    tables = {
        "sources": sources.table(registry),
        "figures": figure_table,
        "countries": countries,
        "country_mentions": mentions,
        "platforms": platforms,
        "platform_types": platform_types,
        "oli_demand": oli.demand(raw["oli-2017-employer-snapshot"], names, "oli-2017-employer-snapshot"),
        "oli_worker_sample": oli.worker_sample(
            raw["oli-2020-worker-sample"], names, "oli-2020-worker-sample"
        ),
        **oli_figshare.tables(raw, names),  # empty until make update brings the OLI's own files
        "supply_shares": supply,
        "exchange_rates": _long(fx, "lcu_per_usd"),
        "ecb_eur_usd": ecb,
        "ppp_factors": pd.concat(
            [
                _long(ppp_private, "lcu_per_intl_dollar", indicator="private_consumption"),
                _long(ppp_gdp, "lcu_per_intl_dollar", indicator="gdp"),
            ]
        ).sort_values(["iso3", "year", "indicator"]),
        "gdp_per_capita": _long(gdp, "usd"),
        "cpi_us": cpi,
        "minimum_wages": minimum,
        "minimum_wages_cited": wage_leads,
        "oecd_real_minimum_wages": oecd,
        **measured.tables,
    }
    checked = {name: validate(name, frame).reset_index(drop=True) for name, frame in tables.items()}
    _check_links(checked)
    return Build(checked, geometry.dumps(world), measured.excluded)


@dataclass
class _Measured:
    tables: dict[str, pd.DataFrame]
    excluded: dict[tuple[str, str], crosswalk.Excluded]


def _measured(
    raw: dict[str, Path],
    datasets: Path,
    countries: pd.DataFrame,
    index: dict[str, str],
    borders: region_flows.Borders,
) -> _Measured:
    """The tables read from measured files: flows (by country and by region), workers by country and
    by region, oDesk 2012, MTurk, OLI by month."""
    iso3 = frozenset(countries["iso3"])
    folder = datasets / "crosswalks"
    names = crosswalk.country_names(folder, index, iso3)
    codes = crosswalk.country_codes(
        folder, {row.iso2: row.iso3 for row in countries.itertuples() if row.iso2}, iso3
    )
    network = [
        flows.read_network(raw[sid], sid, names)
        for sid in ("braesemann-2022-network-2014", "braesemann-2022-network-2015")
    ]
    gdl = worker_regions.years(raw["braesemann-2022-gdl-data"], iso3, "braesemann-2022-gdl-data")
    matched = worker_regions.crosswalk(folder, gdl, worker_regions.network_worker_regions(network))
    surveyed = mturk.monthly(raw["mturk-survey-monthly"], raw["mturk-survey-totals"], "mturk-survey-monthly")
    tables = {
        "flow_pairs": flows.network(network),
        "region_flows": region_flows.table(network, borders),
        "worker_regions_years": worker_regions.table(gdl, matched),
        "worker_supply_years": flows.worker_supply(
            raw["braesemann-2022-country-data"], names, iso3, "braesemann-2022-country-data"
        ),
        "occupation_pay": flows.occupation_pay(
            raw["braesemann-2022-occupation-data"],
            raw["braesemann-2022-occupation-aggregated"],
            "braesemann-2022-occupation-data",
        ),
        "odesk_jobs": odesk.jobs(raw["odesk-2012-jobtypes"], names, "odesk-2012-jobtypes"),
        "odesk_activity": odesk.activity(raw["odesk-2012-activity"], names, "odesk-2012-activity"),
        "oli_monthly": oli_monthly.monthly(raw["oli-monthly-jifar"], "oli-monthly-jifar"),
        "mturk_monthly": surveyed,
        "mturk_countries": mturk.countries(
            raw["mturk-survey-country-year"], codes, surveyed, "mturk-survey-country-year"
        ),
        "mturk_bands": mturk.bands(
            {
                "weekly_income": (raw["mturk-survey-weekly-income"], "mturk-survey-weekly-income"),
                "weekly_hours": (raw["mturk-survey-weekly-hours"], "mturk-survey-weekly-hours"),
            }
        ),
    }
    return _Measured(tables, names.report)


def _check_links(tables: dict[str, pd.DataFrame]) -> None:
    """Every source_id on every row resolves to a source record."""
    known = set(tables["sources"]["source_id"])
    for name, frame in tables.items():
        for column in ("source_id", "secondary_of"):
            if column in frame and name != "sources":
                unknown = sorted(set(frame[column].unique()) - known - {""})
                if unknown:
                    raise ValueError(f"table {name}: unknown {column} {unknown}")
