"""The Flows page's two pictures, built from the OLI tables and the cited supply shares.

Bilateral flows between countries are not in our data. The arc widths are therefore OUR MODEL:
each buyer country hires from the world pool in proportion to each country's share of supply,
flow(buyer → seller) = demand share(buyer) × supply share(seller). The Sankey's right half is
modelled the same way from the OLI 2020 worker sample.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import data, i18n
from dashboard.i18n import t

# UN M49 sub-regions grouped so that the seeds' buyers (Northern America, Europe, Oceania) and
# sellers (Southern and South-eastern Asia) each have a node of their own.
REGION_GROUPS = {
    "Northern America": "northern_america",
    "Latin America and the Caribbean": "latin_america",
    "Northern Europe": "europe",
    "Western Europe": "europe",
    "Southern Europe": "europe",
    "Eastern Europe": "eastern_europe",
    "Southern Asia": "southern_asia",
    "South-eastern Asia": "south_eastern_asia",
    "Eastern Asia": "eastern_asia",
    "Western Asia": "western_central_asia",
    "Central Asia": "western_central_asia",
    "Northern Africa": "africa",
    "Sub-Saharan Africa": "africa",
    "Australia and New Zealand": "oceania",
    "Melanesia": "oceania",
    "Micronesia": "oceania",
    "Polynesia": "oceania",
}
REGIONS = (
    "northern_america",
    "europe",
    "oceania",
    "eastern_europe",
    "eastern_asia",
    "western_central_asia",
    "latin_america",
    "africa",
    "south_eastern_asia",
    "southern_asia",
)


def region_of() -> dict[str, str]:
    countries = data.table("countries")
    return {r.iso3: REGION_GROUPS.get(r.un_subregion, "") for r in countries.itertuples()}


def sankey_figure() -> go.Figure:
    """The Sankey of sankey_links(), built once per language and shared (read-only)."""
    return _sankey_figure(i18n.lang())


@st.cache_resource(show_spinner=False)
def _sankey_figure(lang: str) -> go.Figure:
    from dashboard.charts import sankey

    nodes, links, colours, columns = _sankey_links(lang)
    return sankey(nodes, links, colours, columns)


def arcs_deck(world: str) -> object:
    """The arcs map of arcs(), built once per language and shared (read-only)."""
    return _arcs_deck(world, i18n.lang())


@st.cache_resource(show_spinner=False)
def _arcs_deck(world: str, lang: str) -> object:
    from dashboard.charts import arcs_deck as deck

    modelled, cases, _used = _arcs(1.0, lang)
    return deck(world, modelled, cases)


def sankey_links() -> tuple[list[str], pd.DataFrame, list[str], list[int]]:
    return _sankey_links(i18n.lang())


# cache_resource: one read-only result shared by every session (no per-call copy), so the figure and
# the CSV derived from it are built once (components.per_object).
@st.cache_resource(show_spinner=False)
def _sankey_links(lang: str) -> tuple[list[str], pd.DataFrame, list[str], list[int]]:
    """Nodes (employer regions, occupations, worker regions) and links in percent of vacancies."""
    from dashboard.charts import OKABE_ITO
    from dashboard.occupations import OCCUPATIONS

    regions = region_of()
    demand = data.table("oli_demand").assign(region=lambda d: d["iso3"].map(regions))
    sample = data.table("oli_worker_sample")
    sample = sample[sample["occupation"] != "all"].assign(region=lambda d: d["iso3"].map(regions))
    total = demand["vacancies"].sum()
    left = demand.groupby(["region", "occupation"], as_index=False)["vacancies"].sum()
    left["value"] = 100 * left["vacancies"] / total
    by_occupation = left.groupby("occupation")["value"].sum()
    right = sample.groupby(["occupation", "region"], as_index=False)["profiles"].sum()
    right["within"] = right["profiles"] / right.groupby("occupation")["profiles"].transform("sum")
    right["value"] = right["occupation"].map(by_occupation) * right["within"]
    used_left = [r for r in REGIONS if r in set(left["region"])]
    used_right = [r for r in REGIONS if r in set(right["region"])]
    nodes = (
        [t(f"region.{r}") for r in used_left]
        + [t(f"occupation.{o}") for o in OCCUPATIONS]
        + [t(f"region.{r}") + " " for r in used_right]
    )
    columns = [0] * len(used_left) + [1] * len(OCCUPATIONS) + [2] * len(used_right)
    colour = dict(zip(REGIONS, [*OKABE_ITO, "#7F7F7F", "#B15928"], strict=True))
    colours = (
        [colour[r] for r in used_left] + ["#555555"] * len(OCCUPATIONS) + [colour[r] for r in used_right]
    )
    index_left = {r: i for i, r in enumerate(used_left)}
    index_occ = {o: len(used_left) + i for i, o in enumerate(OCCUPATIONS)}
    index_right = {r: len(used_left) + len(OCCUPATIONS) + i for i, r in enumerate(used_right)}
    cite = data.citations()
    links = []
    for r in left.itertuples():
        links.append(
            {
                "source": index_left[r.region],
                "target": index_occ[r.occupation],
                "value": r.value,
                "hover": f"{t('region.' + r.region)} → {t('occupation.' + r.occupation)}: "
                f"{i18n.percent(r.value, 1)} {t('flows.of_vacancies')} ({i18n.number(r.vacancies)} {t('map.vacancies')}, 2017-04-11)"
                f"<br><i>{cite['oli-2017-employer-snapshot']}</i>",
            }
        )
    for r in right.itertuples():
        links.append(
            {
                "source": index_occ[r.occupation],
                "target": index_right[r.region],
                "value": r.value,
                "hover": f"{t('occupation.' + r.occupation)} → {t('region.' + r.region)}: "
                f"{i18n.percent(r.value, 1)} ({t('flows.modelled')}: {i18n.percent(100 * r.within, 1)} "
                f"{t('flows.of_sample_profiles')})<br><i>{cite['oli-2020-worker-sample']}</i>",
            }
        )
    return nodes, pd.DataFrame(links), colours, columns


def arcs(min_buyer_share: float = 1.0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return _arcs(min_buyer_share, i18n.lang())


@st.cache_resource(show_spinner=False)
def _arcs(min_buyer_share: float, lang: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(modelled arcs, case-study arcs, the supply rows used). Widths in pixels ∝ modelled share."""
    from dashboard.maps import supply_snapshots
    from dashboard.names import name

    countries = data.table("countries").set_index("iso3")
    cite = data.citations()
    demand = data.table("oli_demand").groupby("iso3", as_index=False)["share_of_all_vacancies_percent"].sum()
    buyers = demand[demand["share_of_all_vacancies_percent"] >= min_buyer_share]
    supply = data.table("supply_shares")
    snapshots = supply_snapshots()
    modelled_rows = []
    used = supply.iloc[0:0]
    if not snapshots.empty:
        chosen = snapshots.iloc[0]
        used = supply[(supply["source_id"] == chosen["source_id"]) & (supply["period"] == chosen["period"])]
        for b in buyers.itertuples():
            for s in used.itertuples():
                if b.iso3 == s.iso3:
                    continue
                share = b.share_of_all_vacancies_percent * s.share_percent / 100
                modelled_rows.append(
                    {
                        "from_lon": countries.at[b.iso3, "lon"],
                        "from_lat": countries.at[b.iso3, "lat"],
                        "to_lon": countries.at[s.iso3, "lon"],
                        "to_lat": countries.at[s.iso3, "lat"],
                        "buyer": b.iso3,
                        "seller": s.iso3,
                        "modelled_share_percent": share,
                        "width": max(1.0, share * 1.2),
                        "hover": f"{name(b.iso3)} → {name(s.iso3)}: {share:.2f}% "
                        f"({t('flows.modelled')})\n{t('flows.model_formula_short')}\n"
                        f"{cite['oli-2017-employer-snapshot']}; {cite[s.source_id]}",
                    }
                )
    mentions = data.table("country_mentions")
    farms = mentions[mentions["role"] == "click_farm"]
    case_rows = []
    for r in farms.itertuples():
        target = "USA" if "Trump" in r.quote or "Trump" in r.note else ""
        if not target or r.country_iso3 not in countries.index:
            continue
        case_rows.append(
            {
                "from_lon": countries.at[r.country_iso3, "lon"],
                "from_lat": countries.at[r.country_iso3, "lat"],
                "to_lon": countries.at[target, "lon"],
                "to_lat": countries.at[target, "lat"],
                "seller": r.country_iso3,
                "buyer": target,
                "source_id": r.source_id,
                "hover": f"{name(r.country_iso3)} → {name(target)} ({t('flows.case_study')})\n« {r.quote} »\n{cite[r.source_id]}",
            }
        )
    return pd.DataFrame(modelled_rows), pd.DataFrame(case_rows), used
