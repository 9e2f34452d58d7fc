"""Every page, in both languages, as a reader sees it: no exception, numbers from the datasets, sources."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import catalogue, message
from tests.support import PAGES, ROOT, array, run_page

TIDY = ROOT / "datasets" / "tidy"


def run(page: str, lang: str = "en", **params: str) -> AppTest:
    return run_page(page, lang, **params)  # type: ignore[no-any-return]


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [str(m.value) for m in at.metric] + [m.label for m in at.metric]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_and_cites_its_sources(page: str, lang: str) -> None:
    at = run(page, lang)
    prefix = message("common.source_prefix", lang)
    captions = [c.value for c in at.caption if c.value.startswith(prefix)]
    if page == "sources":
        assert at.dataframe, "the Sources page lists sources in a table"
    elif page == "lesson":  # a teacher's own slides: empty until she adds views (tests/test_lesson.py)
        assert any(i.value == message("lesson.empty", lang) for i in at.info)
    else:
        assert captions, f"{page} ({lang}) shows no source caption"
    title_key = "story.buyers.title" if page == "story" else f"{page}.title"  # the story opens on step 1
    assert at.title[0].value == message(title_key, lang)


def oli_share(iso3: str) -> float:
    demand = pd.read_csv(TIDY / "oli_demand.csv")
    return float(demand.loc[demand["iso3"] == iso3, "share_of_all_vacancies_percent"].sum())


@pytest.mark.parametrize("iso3", ["USA", "IND"])
def test_the_map_panel_shows_the_dataset_share_of_vacancies(iso3: str) -> None:
    at = run("map", country=iso3)
    metric = next(m for m in at.metric if m.label == "Share of OLI vacancies (2017)")
    expected = f"{oli_share(iso3):,.2f}".rstrip("0").rstrip(".") + "%"
    assert metric.value == expected


def test_the_map_panel_says_no_data_for_a_country_without_any() -> None:
    demand = set(pd.read_csv(TIDY / "oli_demand.csv")["iso3"])
    assert "TKM" not in demand
    at = run("map", country="TKM")
    metric = next(m for m in at.metric if m.label == "Share of OLI vacancies (2017)")
    assert metric.value == "no data"
    assert "no data" in texts(at)


def test_the_supply_map_greys_countries_without_a_figure_instead_of_zero() -> None:
    at = run("map", metric="supply")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    no_data = message("map.legend.no_data", "en")
    grey = next(trace for trace in spec["data"] if trace.get("name") == no_data)
    assert "FRA" in array(grey["locations"]) and "IND" not in array(grey["locations"])
    coloured = [
        trace for trace in spec["data"] if trace.get("name") != no_data and trace["type"] == "choropleth"
    ]
    # A country without a figure is never drawn as a value (zero) on the scale.
    assert coloured and all("FRA" not in array(trace.get("locations", [])) for trace in coloured)


def test_the_calculator_gives_4_80_an_hour_for_4_cents_every_30_seconds() -> None:
    at = run("wages", price="0.04", seconds="30", unpaid="0", currency="USD", wage_country="USA")
    metric = next(m for m in at.metric if m.label == "Effective pay an hour")
    assert metric.value == "$4.80"


def test_the_calculator_sets_a_price_against_the_minimum_wage_of_the_price_s_year() -> None:
    wages = pd.read_csv(TIDY / "minimum_wages.csv")
    phl = (
        wages[
            (wages["iso3"] == "PHL") & wages["usd_per_hour_nominal_model"].notna() & (wages["year"] <= 2017)
        ]
        .sort_values("year")
        .iloc[-1]
    )
    assert phl["year"] == 2017
    at = run(
        "wages", price="0.04", seconds="30", unpaid="0", currency="USD", wage_country="PHL", price_year="2017"
    )
    metric = next(m for m in at.metric if m.label.startswith("Share of the minimum wage"))
    share = 4.80 / phl["usd_per_hour_nominal_model"] * 100
    assert metric.value == f"{share:,.1f}".rstrip("0").rstrip(".") + "%"


def test_the_platforms_page_shows_both_upwork_claims_as_separate_points() -> None:
    at = run("platforms")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    upwork = next(trace for trace in spec["data"] if trace["name"] == "Upwork")
    # One row per claim (never averaged): the 10 M and both 12 M claims are dots of their own.
    rows = list(upwork["y"])
    assert len(rows) == len(set(rows))
    values = array(upwork["x"])
    assert 10_000_000 in values and values.count(12_000_000) >= 2
    # Each dot is labelled on the chart with its platform: a room reads no legend.
    labels = [a["text"] for a in spec["layout"]["annotations"]]
    assert sum(label.startswith("Upwork, ") for label in labels) == len(rows)
    assert any(label.startswith("Zhubajie") for label in labels)


def test_story_mode_steps_forward_and_back_and_keeps_the_step_in_the_url() -> None:
    at = run("story", step="3")
    assert at.title[0].value == catalogue("en")["story.north_south.title"]
    at.button(key="next").click().run()
    assert at.title[0].value == catalogue("en")["story.platforms.title"]
    assert at.query_params["step"] == "4"
    at.button(key="prev").click().run()
    at.button(key="prev").click().run()
    assert at.title[0].value == catalogue("en")["story.clickers.title"]


def test_every_story_step_states_its_takeaway_with_a_source() -> None:
    from dashboard.story import STEPS

    assert len(STEPS) == 11
    for step in range(1, len(STEPS) + 1):
        at = run("story", step=str(step))
        assert any(m.value.startswith("## ") for m in at.markdown)
        assert any(c.value.startswith("Source:") for c in at.caption)


def test_the_sources_search_finds_a_study_by_name_and_by_quote() -> None:
    at = run("sources", q="Pew")
    table = at.dataframe[0].value
    assert any("Pew" in c for c in table["Citation"]) and len(table) < 20
    at = run("sources", q="fermes à clic")
    assert "Casilli, L’Obs/Rue89 (2017)" in set(at.dataframe[0].value["Citation"])


def test_the_data_package_zip_holds_every_table_and_the_licences() -> None:
    import io
    import zipfile

    from dashboard import data

    names = zipfile.ZipFile(io.BytesIO(data.package_zip())).namelist()
    assert "digital-labour-atlas/datapackage.json" in names
    assert "digital-labour-atlas/LICENCES.txt" in names
    assert {f"digital-labour-atlas/tidy/{p.name}" for p in TIDY.iterdir()} <= set(names)


def test_the_calculator_says_the_exchange_rate_it_applies_for_the_price_s_year() -> None:
    rates = pd.read_csv(TIDY / "exchange_rates.csv")
    emu_2015 = float(rates.loc[(rates["iso3"] == "EMU") & (rates["year"] == 2015), "lcu_per_usd"].iloc[0])
    at = run("wages", price="0.1", currency="EUR", price_year="2015", wage_country="FRA")
    method = next(c.value for c in at.caption if c.value.startswith("Paid time alone"))
    assert "World Bank WDI average of 2015" in method
    assert f"{1 / emu_2015:.4f}" in method.replace(",", "")
