"""One contract per tidy table: pandera validates it, and the same specs write datapackage.json.

Each field is (type, description, unit). Types are Frictionless names: `string`, `number`,
`integer`, `date`. A field whose description starts with "required" may not be empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import pandas as pd
import pandera.pandas as pa

from etl import region_flows
from etl.errors import EtlError
from etl.money import CPI_BASE_YEAR

ISO3 = r"^[A-Z]{3}$"


@dataclass(frozen=True)
class Field:
    type: str
    description: str
    unit: str = ""
    required: bool = False
    pattern: str = ""
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    fields: dict[str, Field]
    primary_key: tuple[str, ...]
    sources_from: str = "source_id"
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())
    # Sources whose values are joined into every row without being its source_id (a lookup file).
    also_from: tuple[str, ...] = ()
    # Counts that the description states, computed from the built table (never typed).
    counted: Callable[[pd.DataFrame], str] | None = None


SOURCE_ID = Field(
    "string", "The source_id of the record in the sources table this row comes from.", required=True
)


def _f(type_: str, description: str, unit: str = "", **kw: object) -> Field:
    return Field(type_, description, unit, **kw)  # type: ignore[arg-type]


USD_CONSTANT = f"USD_{CPI_BASE_YEAR}"

TABLES: list[Table] = [
    Table(
        "sources",
        "Sources",
        "One row per publication or raw file: the bibliography of the atlas.",
        {
            "source_id": _f("string", "Slug identifying the publication or file.", required=True),
            "producer": _f("string", "Who published it.", required=True),
            "author": _f("string", "Author(s), when known."),
            "title": _f("string", "Title.", required=True),
            "date_published": _f(
                "string", "Publication date, YYYY[-MM[-DD]]; empty when the page is undated."
            ),
            "year": _f("integer", "Year of publication; empty when undated."),
            "url": _f("string", "Address where it can be read; empty when we hold no verified address."),
            "licence": _f("string", "Licence or terms of reuse.", required=True),
            "citation": _f(
                "string",
                "Short citation shown under charts, e.g. 'Le Monde (2017)'; different sources never share one (APA letters: 2022a, 2022b).",
                required=True,
            ),
            "citation_full": _f("string", "Full reference."),
            "language": _f(
                "string", "Language of the publication (ISO 639-1).", enum=("fr", "en", "ko"), required=True
            ),
            "kind": _f(
                "string",
                "seed, report, paper, press, dataset, blog or seminar.",
                required=True,
                enum=("seed", "report", "paper", "press", "dataset", "blog", "seminar"),
            ),
            "secondary_of": _f("string", "source_id of the study this piece wholly relays."),
            "relayed_in": _f("string", "source_id of the publication where we read this one."),
            "path": _f("string", "For raw files: path under datasets/."),
            "sha256": _f("string", "For raw files: SHA-256 checked at every build."),
            "retrieved": _f("date", "For raw files: the day the file was downloaded (YYYY-MM-DD)."),
            "origin": _f("string", "For raw files: exactly where the file came from."),
            "verification": _f("string", "How the quoted page was checked, for leads (maintainers' record)."),
            "access_note": _f("string", "Where and how we read it (maintainers' record, with file names)."),
            "reading_en": _f("string", "How we read it, for readers, in English."),
            "reading_fr": _f("string", "How we read it, for readers, in French."),
            "caveat": _f("string", "What a reader must know before using it (English)."),
            "caveat_fr": _f("string", "What a reader must know before using it (French)."),
            "producer_note": _f("string", "How the producer's file reached us (packaging, repository)."),
        },
        ("source_id",),
        sources_from="",
    ),
    Table(
        "figures",
        "Cited figures",
        "One row per figure a publication states, with its exact sentence and the values normalised by code.",
        {
            "figure_id": _f("string", "Slug identifying the figure.", required=True),
            "source_id": SOURCE_ID,
            "secondary_of": _f("string", "source_id of the study the sentence relays."),
            "topic": _f("string", "Theme of the figure.", required=True),
            "metric": _f("string", "Machine name shared by comparable figures.", required=True),
            "label_en": _f("string", "Short English label.", required=True),
            "label_fr": _f("string", "Short French label.", required=True),
            "quote": _f("string", "The exact sentence, in the original language.", required=True),
            "locator": _f("string", "Where the sentence is in the publication."),
            "value": _f(
                "number",
                'The number as stated (before scale and cents are applied); empty for a range or when the text gives no number ("a few cents").',
                "as in `unit` × `scale`",
            ),
            "value_low": _f(
                "number",
                "Low end of a stated range; for qualifier several, the low end of OUR reading of the words.",
                "as in `unit` × `scale`",
            ),
            "value_high": _f(
                "number",
                "High end of a stated range; for qualifier several, the high end of OUR reading of the words.",
                "as in `unit` × `scale`",
            ),
            "scale": _f("string", "one, thousand, million or billion, as stated.", required=True),
            "qualifier": _f(
                "string",
                "exact, about, more_than, less_than, at_least, at_most, nearly, range, up_to or several: "
                "kept from the text. several: an unnumbered plural (« plusieurs centaines de millions »); "
                "value is empty, words_en/words_fr give the words and value_low–value_high is OUR reading "
                "of them (two to nine of the unit they name), said in caveat and conversion.",
                required=True,
                enum=(
                    "exact",
                    "about",
                    "more_than",
                    "less_than",
                    "at_least",
                    "at_most",
                    "nearly",
                    "range",
                    "up_to",
                    "several",
                ),
            ),
            "unit": _f("string", "Unit as typed from the text, e.g. USD_cent_per_click.", required=True),
            "currency": _f("string", "ISO 4217 currency of a money figure."),
            "per": _f("string", "What a price or pay is per: click, task, hour…"),
            "period": _f(
                "string",
                "Year, span or date the figure describes, as the text fixes it; empty when it does not.",
            ),
            "year": _f(
                "integer",
                "First year of `period`, or else the publication's year: the year used for conversions.",
            ),
            "year_basis": _f(
                "string", "period, or publication when the text fixes no period.", required=True
            ),
            "country_iso3": _f("string", "Country the figure is about, when one."),
            "platform": _f("string", "platform_id the figure is about, when one."),
            "seconds_per_unit": _f("number", "Stated duration of one unit of work.", "seconds"),
            "note": _f("string", "How the figure was read (for editors: long, English)."),
            "figure_kind": _f(
                "string",
                "What kind of number the text gives, our classification: measured (counted or observed, "
                "whoever counted), estimate (an estimate, a range of estimates, an order of magnitude), "
                "forecast (about a later date), example (an illustration), calculation (the "
                "publication's own arithmetic from its other figures) or assumption (a premise of such "
                "arithmetic).",
                required=True,
                enum=("measured", "estimate", "forecast", "example", "calculation", "assumption"),
            ),
            "population_en": _f(
                "string",
                "Who or what the number counts (whose workers, on which platform, when), in English, "
                "written by us from the quote and note only; 'not stated' when the text does not say. "
                "Never empty for counts of people (workers, people, users, employers, accounts) or "
                "percents.",
            ),
            "population_fr": _f(
                "string", "The same population in French, written by us; 'non précisé' when not stated."
            ),
            "quote_language": _f(
                "string",
                "Language of the quote (ISO 639-1): the source's, unless the row says otherwise (an English "
                "box in a French press copy).",
                required=True,
                enum=("fr", "en", "ko"),
            ),
            "quote_en": _f(
                "string",
                "OUR English translation of a quote that is not in English (not the publication's): "
                "exact, with its numbers and qualifiers as they are. Empty when the quote is in English.",
            ),
            "caveat_en": _f(
                "string",
                "What a reader must know to read the figure, written by us and shown with it: a "
                "misquotation or misreading in the source, a reading of ours, a figure the original "
                "does not support. Short (≤ 320 characters); the long story is in note.",
            ),
            "caveat_fr": _f("string", "The same caveat in French, written by us."),
            "words_en": _f(
                "string",
                "The amount in words when the text gives words and no number, or an unnumbered plural "
                "(« plusieurs centaines de millions »: 'several hundred million workers'); our English.",
            ),
            "words_fr": _f("string", "The same words in French, as the text gives them where it is French."),
            "unit_normalised": _f(
                "string", "Unit after scale and cents are applied (USD_per_click, workers…).", required=True
            ),
            "value_normalised": _f("number", "value × scale, cents ÷ 100.", "unit_normalised"),
            "low_normalised": _f("number", "value_low × scale, cents ÷ 100.", "unit_normalised"),
            "high_normalised": _f("number", "value_high × scale, cents ÷ 100.", "unit_normalised"),
            "value_usd_nominal": _f("number", "Money figures in US dollars of `year`.", "USD"),
            "low_usd_nominal": _f("number", "Low end in US dollars of `year`.", "USD"),
            "high_usd_nominal": _f("number", "High end in US dollars of `year`.", "USD"),
            "value_usd_constant": _f(
                "number", f"In constant {CPI_BASE_YEAR} US dollars (CPI-U).", USD_CONSTANT
            ),
            "low_usd_constant": _f(
                "number", f"Low end in constant {CPI_BASE_YEAR} US dollars.", USD_CONSTANT
            ),
            "high_usd_constant": _f(
                "number", f"High end in constant {CPI_BASE_YEAR} US dollars.", USD_CONSTANT
            ),
            "usd_per_hour": _f(
                "number", "Nominal US dollars per hour, where the text gives a duration.", "USD_per_hour"
            ),
            "usd_per_hour_low": _f("number", "Low end per hour.", "USD_per_hour"),
            "usd_per_hour_high": _f("number", "High end per hour.", "USD_per_hour"),
            "conversion": _f(
                "string",
                "Every conversion applied, with its rate and source. Steps marked 'ours:' are values we "
                "compute (a currency conversion, constant dollars, an hourly rate from a stated "
                "duration, our reading of words); the others restate the text's notation (cents, scale).",
            ),
        },
        ("figure_id",),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "countries",
        "Countries",
        "ISO 3166 countries and territories with names, regions, income groups and our North/South split.",
        {
            "iso3": _f("string", "ISO 3166-1 alpha-3.", required=True, pattern=ISO3),
            "iso2": _f("string", "ISO 3166-1 alpha-2."),
            "m49": _f("string", "UN M49 numeric code."),
            "name_en": _f("string", "English short name (Unicode CLDR via Babel).", required=True),
            "name_fr": _f("string", "French short name (Unicode CLDR via Babel).", required=True),
            "un_region": _f("string", "UN M49 region."),
            "un_subregion": _f("string", "UN M49 sub-region."),
            "currency": _f("string", "ISO 4217 currency."),
            "wb_region": _f("string", "World Bank region (FY2025)."),
            "income_group_fy2025": _f("string", "World Bank income group, FY2025 (2023 GNI)."),
            "income_group_fy2018": _f(
                "string", "World Bank income group, FY2018 (2016 GNI): the one in force in 2017."
            ),
            "income_group_fy2015": _f(
                "string", "World Bank income group, FY2015 (2013 GNI): the one in force from July 2014."
            ),
            "income_group_fy2016": _f(
                "string", "World Bank income group, FY2016 (2014 GNI): the one in force from July 2015."
            ),
            "un_development_2020": _f("string", "UN M49 'Developed / Developing' as of 2020."),
            "north_south_wb": _f("string", "Ours: North = World Bank high income (FY2025), else South."),
            "north_south_un": _f("string", "Ours: North = UN developed (2020), else South."),
            "north_south_wb_fy2015": _f(
                "string",
                "Ours: North = World Bank high income (FY2015, the groups of 2014's flows), else South.",
            ),
            "north_south_wb_fy2016": _f(
                "string",
                "Ours: North = World Bank high income (FY2016, the groups of 2015's flows), else South.",
            ),
            "lon": _f("number", "Longitude of a point inside the country (Natural Earth).", "degrees"),
            "lat": _f("number", "Latitude of a point inside the country (Natural Earth).", "degrees"),
            "source_id": SOURCE_ID,
        },
        ("iso3",),
    ),
    Table(
        "country_mentions",
        "Countries named in the seeds",
        "Countries the seed texts name as sellers or buyers of micro-tasks, click-farm locations and the like.",
        {
            "mention_id": _f("string", "Slug.", required=True),
            "source_id": SOURCE_ID,
            "secondary_of": _f("string", "Study the sentence relays."),
            "country_iso3": _f("string", "Country named.", required=True, pattern=ISO3),
            "role": _f("string", "What the text says the country does.", required=True),
            "quote": _f("string", "Exact sentence.", required=True),
            "locator": _f("string", "Where in the publication."),
            "note": _f("string", "Reading note."),
        },
        ("mention_id",),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "platforms",
        "Platforms",
        "Every platform the sources name, with owner, country and Casilli's type where a source states them.",
        {
            "platform_id": _f("string", "Slug.", required=True),
            "name": _f("string", "Name.", required=True),
            "aliases": _f("string", "Other names, separated by |."),
            "owner": _f("string", "Owner, where a source states it."),
            "hq_country_iso3": _f("string", "Country, where a source states it."),
            "casilli_type": _f(
                "string", "on_demand, micro_work, internet_of_things or social, where a source classifies it."
            ),
            "launched": _f("string", "Launch year, where a source states it."),
            "source_id": SOURCE_ID,
            "quote": _f("string", "Sentence supporting the row.", required=True),
            "locator": _f("string", "Where in the publication."),
            "note": _f("string", "Reading note."),
        },
        ("platform_id",),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "platform_types",
        "Casilli's four types of platforms",
        "The four types of digital labour platforms in Casilli's Le Monde interview.",
        {
            "type_id": _f("string", "Slug.", required=True),
            "rank": _f("integer", "Order in the text.", required=True),
            "label_en": _f("string", "English label.", required=True),
            "label_fr": _f("string", "French label.", required=True),
            "examples": _f("string", "Examples the text gives."),
            "source_id": SOURCE_ID,
            "quote": _f("string", "Exact sentence.", required=True),
            "locator": _f("string", "Where in the publication."),
        },
        ("type_id",),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "oli_demand",
        "Online Labour Index: vacancies by employer country",
        "Open vacancies on the OLI-tracked platforms by employer country and occupation, one day.",
        {
            "snapshot_date": _f("date", "Day of the snapshot.", required=True),
            "iso3": _f("string", "Employer country.", required=True, pattern=ISO3),
            "oli_country_name": _f("string", "Country name as spelled in the OLI file.", required=True),
            "occupation": _f("string", "OLI occupation id.", required=True),
            "vacancies": _f("integer", "Open vacancies.", "vacancies", required=True),
            "share_of_all_vacancies_percent": _f(
                "number", "Share of all vacancies of the day, computed by the ETL.", "percent", required=True
            ),
            "share_within_occupation_percent": _f(
                "number",
                "Share of the occupation's vacancies, computed by the ETL.",
                "percent",
                required=True,
            ),
            "source_id": SOURCE_ID,
        },
        ("iso3", "occupation"),
    ),
    Table(
        "oli_worker_sample",
        "OLI 2020 worker sample",
        "Worker profiles in the OLI 2020 gender sample by country, occupation and gender. Over-represents the United States: not a measure of country shares.",
        {
            "iso3": _f("string", "Worker country.", required=True, pattern=ISO3),
            "occupation": _f("string", "OLI occupation id ('all' for all occupations).", required=True),
            "gender": _f("string", "female, male or unknown.", required=True),
            "profiles": _f("integer", "Worker profiles in the sample.", "profiles", required=True),
            "source_id": SOURCE_ID,
        },
        ("iso3", "occupation", "gender"),
    ),
    Table(
        "supply_shares",
        "Shares of online workers by country",
        "Each cited share of the world's online workers held by a country, one row per figure: several sources and years per country are kept apart.",
        {
            "figure_id": _f("string", "The figure in the figures table.", required=True),
            "metric": _f(
                "string",
                "share_of_online_workers (all OLI platforms) or share_of_active_workers (one platform).",
                required=True,
            ),
            "iso3": _f("string", "Country.", required=True, pattern=ISO3),
            "period": _f("string", "Period of the figure."),
            "year": _f("integer", "First year of the period.", required=True),
            "platform": _f("string", "The platform, when the share is of one platform's workers."),
            "share_percent": _f("number", "Share of online workers.", "percent", required=True),
            "qualifier": _f("string", "As stated.", required=True),
            "source_id": SOURCE_ID,
            "secondary_of": _f("string", "Study relayed."),
        },
        ("figure_id",),
        foreign_keys=(("figure_id", "figures", "figure_id"),),
    ),
    Table(
        "exchange_rates",
        "Exchange rates",
        "World Bank official exchange rates, LCU per US dollar, annual average, 2000 onward.",
        {
            "iso3": _f("string", "Economy (ISO3 or WDI aggregate such as EMU).", required=True),
            "year": _f("integer", "Year.", required=True),
            "lcu_per_usd": _f("number", "Local currency units per US dollar.", "LCU_per_USD", required=True),
            "source_id": SOURCE_ID,
        },
        ("iso3", "year"),
    ),
    Table(
        "ecb_eur_usd",
        "ECB euro–dollar cross-check",
        "Annual mean of the ECB daily USD reference rate, and its reciprocal, to check the WDI euro rate.",
        {
            "year": _f("integer", "Year.", required=True),
            "usd_per_eur_mean_daily": _f(
                "number", "Mean of the daily reference rates.", "USD_per_EUR", required=True
            ),
            "days": _f("integer", "Days with a rate.", required=True),
            "eur_per_usd_reciprocal_of_mean": _f(
                "number", "1 ÷ the mean: the World Bank method.", "EUR_per_USD", required=True
            ),
            "source_id": SOURCE_ID,
        },
        ("year",),
    ),
    Table(
        "ppp_factors",
        "PPP conversion factors",
        "World Bank PPP conversion factors, LCU per international dollar, 2000 onward.",
        {
            "iso3": _f("string", "Economy.", required=True),
            "year": _f("integer", "Year.", required=True),
            "indicator": _f(
                "string", "private_consumption (PA.NUS.PRVT.PP) or gdp (PA.NUS.PPP).", required=True
            ),
            "lcu_per_intl_dollar": _f(
                "number", "LCU per international dollar.", "LCU_per_intl_dollar", required=True
            ),
            "source_id": SOURCE_ID,
        },
        ("iso3", "year", "indicator"),
    ),
    Table(
        "gdp_per_capita",
        "GDP per capita",
        "World Bank GDP per capita, current US dollars, 2000 onward.",
        {
            "iso3": _f("string", "Economy.", required=True),
            "year": _f("integer", "Year.", required=True),
            "usd": _f("number", "GDP per capita.", "USD", required=True),
            "source_id": SOURCE_ID,
        },
        ("iso3", "year"),
    ),
    Table(
        "cpi_us",
        "US consumer prices",
        "CPI-U annual average of the twelve monthly indices (1982-84 = 100); years with a missing month are left out.",
        {
            "year": _f("integer", "Year.", required=True),
            "cpi_u_index": _f("number", "Annual average index.", "index_1982_84_100", required=True),
            "source_id": SOURCE_ID,
        },
        ("year",),
    ),
    Table(
        "minimum_wages",
        "Statutory minimum wages",
        "ILOSTAT monthly minimum wages in local currency, converted by the ETL to nominal and constant dollars and PPP; the hourly columns are our model.",
        {
            "iso3": _f("string", "Country.", required=True, pattern=ISO3),
            "year": _f("integer", "Year.", required=True),
            "currency": _f("string", "Local currency.", required=True),
            "lcu_per_month": _f("number", "Gross monthly minimum wage.", "LCU_per_month", required=True),
            "lcu_per_usd": _f("number", "WDI rate used.", "LCU_per_USD"),
            "usd_per_month_nominal": _f("number", "In US dollars of the year.", "USD_per_month"),
            "usd_per_month_constant": _f(
                "number", f"In constant {CPI_BASE_YEAR} US dollars.", f"{USD_CONSTANT}_per_month"
            ),
            "ppp_lcu_per_intl_dollar": _f(
                "number", "Private-consumption PPP factor used.", "LCU_per_intl_dollar"
            ),
            "ppp_year_used": _f("integer", "Year of the PPP factor (latest ≤ year)."),
            "intl_dollars_per_month_ppp": _f(
                "number", "In international dollars (PPP).", "intl_dollar_per_month"
            ),
            "hours_per_month_model": _f("number", "Ours: 40 h × 52 ÷ 12.", "hours", required=True),
            "usd_per_hour_nominal_model": _f(
                "number", "Ours: monthly ÷ hours_per_month_model.", "USD_per_hour"
            ),
            "intl_dollars_per_hour_ppp_model": _f(
                "number", "Ours: PPP monthly ÷ hours_per_month_model.", "intl_dollar_per_hour"
            ),
            "method": _f("string", "Conversions applied.", required=True),
            "series_segment": _f(
                "integer",
                "Ours: 0 for the country's first ILOSTAT series, one more at each documented series break (datasets/cited/minimum_wage_breaks.csv): years of different segments are not the same wage.",
                required=True,
            ),
            "series_break_note_en": _f(
                "string", "In the first year of a new series: what changes (English)."
            ),
            "series_break_note_fr": _f("string", "In the first year of a new series: what changes (French)."),
            "source_id": SOURCE_ID,
        },
        ("iso3", "year"),
    ),
    Table(
        "minimum_wages_cited",
        "Minimum wages quoted in the press",
        "Statutory minimum wages quoted by news pages, kept to check the ILOSTAT series.",
        {
            "wage_id": _f("string", "Slug.", required=True),
            "source_id": SOURCE_ID,
            "country_iso3": _f("string", "Country.", required=True, pattern=ISO3),
            "scope": _f("string", "National, regional or sectoral scope.", required=True),
            "amount": _f("number", "Amount.", "LCU", required=True),
            "currency": _f("string", "Currency.", required=True),
            "per": _f("string", "hour, day or month.", required=True),
            "effective": _f("string", "Date in force.", required=True),
            "quote": _f("string", "Exact sentence.", required=True),
            "locator": _f("string", "Where."),
            "note": _f("string", "Reading note."),
        },
        ("wage_id",),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "oecd_real_minimum_wages",
        "OECD real minimum wages",
        "OECD real minimum wages, 2015 constant US dollars at PPPs or exchange rates, annual and hourly.",
        {
            "iso3": _f("string", "Country.", required=True, pattern=ISO3),
            "year": _f("integer", "Year.", required=True),
            "pay_period": _f("string", "annual or hourly.", required=True),
            "basis": _f("string", "ppp or exchange_rate.", required=True),
            "usd_2015_constant": _f("number", "Real minimum wage.", "USD_2015", required=True),
            "source_id": SOURCE_ID,
        },
        ("iso3", "year", "pay_period", "basis"),
    ),
]

ISO3_OR_EMPTY = r"^([A-Z]{3})?$"
YES_NO = ("yes", "no")
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
EXCLUDED_NAMES = (
    "Rows whose country name is listed in datasets/crosswalks/country_names_excluded.csv "
    "(with the reason) are left out; they still count in every total and share."
)
MTURK_SAMPLE = (
    "Self-selected respondents of the MTurk demographics survey (one survey task every 15 minutes): "
    "it describes survey takers on MTurk, not all micro-workers."
)

MEASURED: list[Table] = [
    Table(
        "flow_pairs",
        "Who buys from whom: projects by employer and worker country, 2014 and 2015",
        "Projects on one online labour platform (not named by the authors) from employer country to worker "
        "country, from Braesemann et al.'s (2022) network files, their admin-1 regions added up to countries "
        "by the ETL (the country columns as named, although an employer's admin-1 region sometimes lies in "
        "another country: region_flows keeps the regions and flags such points). Counts are projects, not money or workers; the two years' samples differ in size, so "
        "compare shares across years. Flows inside a country (domestic) are real. " + EXCLUDED_NAMES,
        {
            "year": _f("integer", "Year of the network file.", required=True),
            "employer_iso3": _f(
                "string", "Employer's country (mapped from its name).", required=True, pattern=ISO3
            ),
            "worker_iso3": _f(
                "string", "Worker's country (mapped from its name).", required=True, pattern=ISO3
            ),
            "projects": _f(
                "integer",
                "Ours: the sum of the file's `count` over the pair's admin-1 rows.",
                "projects",
                required=True,
            ),
            "share_of_year_percent": _f(
                "number",
                "Ours: projects ÷ all projects in that year's file × 100; the denominator counts every row, "
                "including rows left out for an excluded name.",
                "percent",
                required=True,
            ),
            "domestic": _f(
                "string",
                "Ours: yes when employer and worker are in the same country.",
                required=True,
                enum=YES_NO,
            ),
            "source_id": SOURCE_ID,
        },
        ("year", "employer_iso3", "worker_iso3"),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "region_flows",
        "Who buys from whom, region by region: projects by employer and worker admin-1 region, 2014 and 2015",
        "The rows of Braesemann et al.'s (2022) network files: projects on one online labour platform (not "
        "named) from an employer's admin-1 region to a worker's, with the file's points. Rows without a "
        f'region (the file\'s NA) are kept under "{region_flows.NOT_STATED}", with no coordinates. '
        "For every year and country pair, the regions' projects add up to flow_pairs' projects (the same "
        "crosswalk, the same rows left out). A region's point changes from row to row: it is evidently the "
        "mean of the geocoded places of the pair's projects (the authors do not say), not the region's "
        "centre. Both points of every row are tested against Natural Earth's 1:50m land of the country "
        "the row names (geocode_flag): a point is in its country when it lies on its land or within "
        f"{region_flows.NEAR_DEGREES:g}° of it, or at sea with that country the nearest land within "
        f'{region_flows.SEA_DEGREES:g}°; a point on another country\'s land ("afghanistan" in California, '
        'Pristina under "albania", the Isle of Man under "united kingdom") is flagged. The test '
        "uses the file's point even where the table leaves it empty (no region stated). Counts are "
        "projects, not money or workers; compare shares across years. " + EXCLUDED_NAMES,
        {
            "year": _f("integer", "Year of the network file.", required=True),
            "employer_iso3": _f(
                "string",
                "Employer's country (mapped from its name, as in flow_pairs).",
                required=True,
                pattern=ISO3,
            ),
            "employer_region": _f(
                "string",
                f'Employer\'s admin-1 region as the file spells it (employer_admin1); "{region_flows.NOT_STATED}" '
                "where the file has NA.",
                required=True,
            ),
            "employer_region_stated": _f(
                "string", "no where the file gives no employer region (NA).", required=True, enum=YES_NO
            ),
            "employer_lat": _f(
                "number",
                "The file's employer point, latitude (mean of the pair's projects' places, apparently); "
                "empty where no region is stated.",
                "degrees_north",
            ),
            "employer_lng": _f(
                "number",
                "The file's employer point, longitude; empty where no region is stated.",
                "degrees_east",
            ),
            "worker_iso3": _f(
                "string",
                "Worker's country (mapped from its name, as in flow_pairs).",
                required=True,
                pattern=ISO3,
            ),
            "worker_region": _f(
                "string",
                f'Worker\'s admin-1 region as the file spells it (worker_admin1); "{region_flows.NOT_STATED}" '
                "where the file has NA.",
                required=True,
            ),
            "worker_region_stated": _f(
                "string", "no where the file gives no worker region (NA).", required=True, enum=YES_NO
            ),
            "worker_lat": _f(
                "number",
                "The file's worker point, latitude; empty where no region is stated.",
                "degrees_north",
            ),
            "worker_lng": _f(
                "number",
                "The file's worker point, longitude; empty where no region is stated.",
                "degrees_east",
            ),
            "projects": _f(
                "integer",
                "The file's count (two rows added where a country is spelt two ways in one file, e.g. "
                '"hong kong" and "hong kong sar"; their point is then the projects-weighted mean).',
                "projects",
                required=True,
            ),
            "share_of_year_percent": _f(
                "number",
                "Ours: projects ÷ all projects in that year's file × 100 (every row in the denominator, as in "
                "flow_pairs).",
                "percent",
                required=True,
            ),
            "geocode_flag": _f(
                "string",
                "Ours: empty when both points lie in their named country (see the table's description); "
                "else employer_point_outside_country, worker_point_outside_country or "
                "both_points_outside_country; employer_ or worker_country_not_on_map where the country has "
                "no shape at 1:50m (Gibraltar, Réunion…) and the point could not be tested.",
                enum=region_flows.FLAGS,
            ),
            "source_id": SOURCE_ID,
        },
        ("year", "employer_iso3", "employer_region", "worker_iso3", "worker_region"),
        foreign_keys=(("source_id", "sources", "source_id"),),
        also_from=("naturalearth-50m-admin0",),
        counted=region_flows.description,
    ),
    Table(
        "worker_regions_years",
        "Where inside countries the workers are: projects won and hourly pay by GDL region, 2013–2020",
        "Projects won by the workers of each subnational region of the Global Data Lab (GDL, roughly admin-1) "
        "on one online labour platform (not named), with their median and mean hourly wage, from Braesemann "
        "et al. (2022): 107 countries of the Global South (no OECD regions: the authors keep those in a "
        "file not published). Same platform and samples as worker_supply_years: compare shares within a "
        "year, not counts across years; 2019 and 2020 have fewer regions. Medians are kept as the file "
        "gives them, however few the projects: the dashboard draws a median from 30 projects up, as it "
        "does for worker_supply_years. The file repeats North Gaza's rows (PSEr105) word for word in "
        "2013–2018: each is kept once. network_admin1 joins a GDL region to region_flows' worker_region "
        "through datasets/crosswalks/gdl_network_regions.csv, checked by hand.",
        {
            "gdl_code": _f(
                "string", "GDL region code (gdlCode).", required=True, pattern=r"^[A-Z]{3}r\d{3}$"
            ),
            "region": _f("string", "Region, as the GDL spells it (Region).", required=True),
            "iso3": _f(
                "string",
                "Country: the file's ISO_Code, or the first three letters of gdlCode where it is NA.",
                required=True,
                pattern=ISO3,
            ),
            "year": _f("integer", "Year (the file's date 01/01/YYYY).", required=True),
            "projects": _f(
                "integer", "Projects won by the region's workers (project_count).", "projects", required=True
            ),
            "median_usd_per_hour": _f(
                "number", "Median hourly wage (median_wage); empty where the source says NA.", "USD_per_hour"
            ),
            "mean_usd_per_hour": _f(
                "number", "Mean hourly wage (mean_wage); empty where the source says NA.", "USD_per_hour"
            ),
            "share_of_country_percent": _f(
                "number",
                "Ours: projects ÷ the projects of all the country's GDL regions that year × 100; empty when "
                "the country has none that year.",
                "percent",
            ),
            "network_admin1": _f(
                "string",
                "The network files' worker admin-1 name of the same region (region_flows.worker_region), "
                'from the checked crosswalk; two spellings the files both use are joined by "; "; empty '
                "where no network region is the same territory (a GDL region grouping several, or none).",
            ),
            "source_id": SOURCE_ID,
        },
        ("gdl_code", "year"),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "worker_supply_years",
        "Where the workers are: projects won and hourly pay by worker country, 2013–2020",
        "Projects won by workers of each country on one online labour platform (not named), and their median "
        "and mean hourly wage, from Braesemann et al. (2022). Samples differ by year (2013: 378,913 projects; "
        "2014: 72,250): compare shares, not levels. Bonaire, which the file gives no ISO code, is mapped by "
        "name to BES (Bonaire, Sint Eustatius and Saba). Palestine has two spellings under one code (PSE): "
        "their projects are added, and its wages are kept only in years when one spelling alone has projects "
        '(two medians cannot be merged). The rows named "congo" are left out: the file codes them COG like '
        'its "Congo Brazzaville" rows and has no row for the DR Congo, so they may be either country. '
        + EXCLUDED_NAMES,
        {
            "iso3": _f(
                "string",
                "Worker country (the file's ISO code, or its name where the code is NA).",
                required=True,
                pattern=ISO3,
            ),
            "year": _f("integer", "Year (the file's date 01/01/YYYY).", required=True),
            "projects": _f(
                "integer", "Projects won by the country's workers (project_count).", "projects", required=True
            ),
            "share_of_year_percent": _f(
                "number",
                "Ours: projects ÷ the year's projects over all rows of the file × 100.",
                "percent",
                required=True,
            ),
            "median_usd_per_hour": _f(
                "number", "Median hourly wage (median_wage); empty where the source says NA.", "USD_per_hour"
            ),
            "mean_usd_per_hour": _f(
                "number", "Mean hourly wage (mean_wage); empty where the source says NA.", "USD_per_hour"
            ),
            "source_id": SOURCE_ID,
        },
        ("iso3", "year"),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "occupation_pay",
        "Pay and competition by occupation, 2013–2020",
        "Projects, hourly wages and applicants per project by SOC 4-digit occupation and year on one online "
        "labour platform (not named), from Braesemann et al. (2022), with the SOC major group that the "
        "authors' pooled file gives each occupation. The pooled file has 46 of the 47 occupations: Engineers, "
        "All Other (17-2199) has no group here. An occupation with no project in a year has no row.",
        {
            "soc4": _f("string", "SOC 2010 code, NN-NNNN.", required=True, pattern=r"^\d{2}-\d{4}$"),
            "occupation": _f("string", "Occupation, as in the source (detailedOccupations).", required=True),
            "soc_major_group": _f(
                "string", "SOC major group (SOC1_title of the pooled file); empty when it has none."
            ),
            "soc_major_short": _f("string", "Short name of the group (short_soc1_name); empty when none."),
            "year": _f("integer", "Year (the file's date 01/01/YYYY).", required=True),
            "projects": _f("integer", "Projects (project_count).", "projects", required=True),
            "median_usd_per_hour": _f("number", "Median hourly wage.", "USD_per_hour"),
            "mean_usd_per_hour": _f("number", "Mean hourly wage.", "USD_per_hour"),
            "median_applicants": _f("number", "Median applicants per project.", "applicants"),
            "mean_applicants": _f(
                "number",
                "Mean applicants per project; empty where the source has Inf (R's infinity: five occupations in 2013).",
                "applicants",
            ),
            "source_id": SOURCE_ID,
        },
        ("soc4", "year"),
        foreign_keys=(("source_id", "sources", "source_id"),),
        also_from=("braesemann-2022-occupation-aggregated",),
    ),
    Table(
        "odesk_jobs",
        "oDesk 2012: what each country's workers did",
        "Projects by worker country and job category on oDesk (today Upwork), cumulative to about May 2012 "
        "(the period is not stated), from oDesk's country dashboard. Worker side only. " + EXCLUDED_NAMES,
        {
            "iso3": _f("string", "Worker country (mapped from its name).", required=True, pattern=ISO3),
            "category_id": _f("integer", "oDesk's job category number (Related JobCategory).", required=True),
            "category": _f("string", "Level-1 category (Level1), as in the source.", required=True),
            "subcategory": _f("string", "Level-2 category (Level2), as in the source.", required=True),
            "projects": _f("integer", "Projects.", "projects", required=True),
            "share_of_country_percent": _f(
                "number",
                "The source's own share of the country's projects (percent), converted to percent by us "
                "(× 100). For most countries the shares add up to a little under 100: the source divided by "
                "a country total that includes projects not listed in the file.",
                "percent",
                required=True,
            ),
            "source_id": SOURCE_ID,
        },
        ("iso3", "category_id"),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "odesk_activity",
        "oDesk 2012: when each country's workers work (UTC)",
        "Contractors active by worker country, UTC weekday and hour, among the contractors who used oDesk's "
        "time tracker (a sample, not the platform's population), from oDesk's country dashboard (2012). The "
        "file lists only cells where someone was active (no row has 0 active): the ETL fills the rest of each "
        "country's 7 × 24 grid with 0 active and in_source = no. " + EXCLUDED_NAMES,
        {
            "iso3": _f("string", "Worker country (mapped from its name).", required=True, pattern=ISO3),
            "utc_weekday": _f(
                "integer", "Weekday as in the source, 0 = Sunday … 6 = Saturday.", required=True
            ),
            "weekday": _f(
                "string",
                "English name of the day: the dashboard's own code maps 0 to Sunday (gg2d3 combine.coffee, "
                "(d + 6) mod 7 into a Monday-first week).",
                required=True,
                enum=("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"),
            ),
            "utc_hour": _f("integer", "Hour of the day, UTC, 0–23.", required=True),
            "active_contractors": _f(
                "number",
                "Contractors active in that hour, as in the source (not whole numbers: apparently an average "
                "over the weeks observed; the source does not say); 0 where the cell is not in the source.",
                "contractors",
                required=True,
            ),
            "sampled_contractors": _f(
                "integer",
                "The source's total_contractors: the country's sample of time-tracker users, not its population.",
                "contractors",
                required=True,
            ),
            "share_active_percent": _f(
                "number",
                "Ours: active ÷ sampled × 100 (equal to the source's percent_activity × 100, checked).",
                "percent",
                required=True,
            ),
            "in_source": _f(
                "string",
                "yes for a cell the source lists; no for a cell filled with 0 by the ETL.",
                required=True,
                enum=YES_NO,
            ),
            "source_id": SOURCE_ID,
        },
        ("iso3", "utc_weekday", "utc_hour"),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "oli_monthly",
        "Online Labour Index by month, 2016-05 to 2024-08",
        "Monthly means of the Online Labour Index's daily index (May 2016 = 100), total and "
        "seven occupations. A third party's derivation (Jifar) from the OII's file, not the OII's own series. "
        "No employer-country split. The seven occupations add up to the total (checked on every month).",
        {
            "month": _f("string", "Month, YYYY-MM.", required=True, pattern=MONTH),
            "occupation": _f(
                "string",
                "total, or one of the seven occupation ids.",
                required=True,
                enum=(
                    "total",
                    "clerical_data_entry",
                    "creative_multimedia",
                    "microwork",
                    "professional_services",
                    "sales_marketing",
                    "software_technology",
                    "writing_translation",
                ),
            ),
            "index_may2016_100": _f(
                "number",
                "Monthly mean of the daily index, as in the file (total of May 2016 = 100).",
                "index_may2016_100",
                required=True,
            ),
            "source_id": SOURCE_ID,
        },
        ("month", "occupation"),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "oli_worker_shares_monthly",
        "Online Labour Index worker supplement: shares of the sampled workers by country and occupation, by month",
        "From the OII's own worker supplement on figshare (worker_countrydata_YYYY-MM-DD.txt, from 2017-06), "
        "brought by make update; empty until then. The codebook allows relative shares only: each day's "
        "share of that day's weighted sample, averaged over the month's days (ours). Not comparable in "
        "level with Braesemann et al.'s yearly shares, which count projects won, not workers.",
        {
            "month": _f("string", "Month, YYYY-MM.", required=True, pattern=MONTH),
            "iso3": _f("string", "Worker country (ISO 3166-1 alpha-3).", required=True, pattern=ISO3),
            "occupation": _f("string", "OLI occupation id.", required=True),
            "share_percent": _f(
                "number",
                "Share of the month's sampled workers in this country and occupation (ours).",
                "percent",
                required=True,
            ),
            "share_in_country_percent": _f(
                "number",
                "Share of this occupation among the country's sampled workers (ours).",
                "percent",
                required=True,
            ),
            "source_id": SOURCE_ID,
        },
        ("month", "iso3", "occupation"),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "oli_employer_shares_monthly",
        "Online Labour Index: shares of the new vacancies by employer country, by month",
        "From the OII's own employer file on figshare (bcountrydata_YYYY-MM-DD.txt), brought by make update; "
        "empty until then. Each day's share of that day's vacancies, averaged over the month's days (ours).",
        {
            "month": _f("string", "Month, YYYY-MM.", required=True, pattern=MONTH),
            "iso3": _f("string", "Employer country (ISO 3166-1 alpha-3).", required=True, pattern=ISO3),
            "share_percent": _f("number", "Share of the month's vacancies (ours).", "percent", required=True),
            "source_id": SOURCE_ID,
        },
        ("month", "iso3"),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "oli_index_monthly",
        "Online Labour Index by month, from the OII's own daily file",
        "Monthly means of the OII's daily index file on figshare (OLIdata_YYYY-MM-DD.txt), total and by "
        "occupation, brought by make update; empty until then. Where the file says which vacancies are "
        "new, only those are counted. Replaces the third party's monthly means (oli_monthly) on the "
        "Projections page, which keeps them as a cross-check.",
        {
            "month": _f("string", "Month, YYYY-MM.", required=True, pattern=MONTH),
            "occupation": _f("string", "total, or an OLI occupation id.", required=True),
            "index_mean": _f(
                "number", "Mean of the file's daily values over the month's days.", "index", required=True
            ),
            "index_may2016_100": _f(
                "number",
                "The same, over the total of May 2016, × 100 (ours; empty without May 2016).",
                "index_may2016_100",
            ),
            "source_id": SOURCE_ID,
        },
        ("month", "occupation"),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "mturk_monthly",
        "Who answers MTurk's demographics survey, by month",
        MTURK_SAMPLE
        + " Responses, distinct workers and shares by month, 2015-03 to 2026-09; a month without "
        "a survey has no row (the survey paused in 2019-12). The source's married and college shares are left "
        "out: after 2020 they look implausible (married > 0.9).",
        {
            "month": _f("string", "Month, YYYY-MM.", required=True, pattern=MONTH),
            "responses": _f("integer", "Survey responses (n).", "responses", required=True),
            "workers": _f(
                "integer", "Distinct workers who responded in the month (w).", "workers", required=True
            ),
            "share_us_percent": _f(
                "number",
                "Responses from the United States: the source's fraction × 100.",
                "percent",
                required=True,
            ),
            "share_india_percent": _f(
                "number", "Responses from India: the source's fraction × 100.", "percent", required=True
            ),
            "share_other_percent": _f(
                "number",
                "Responses from other countries: the source's fraction × 100.",
                "percent",
                required=True,
            ),
            "share_female_percent": _f(
                "number", "Female respondents: the source's fraction × 100.", "percent"
            ),
            "source_id": SOURCE_ID,
        },
        ("month",),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
    Table(
        "mturk_countries",
        "Who answers MTurk's demographics survey, by country and year",
        MTURK_SAMPLE + " Responses by country and year, 2015–2026 (2026 to September). The source's unknown "
        "country (ZZ) is kept as a row with no iso3 (country_known = no), so each year's shares add up to "
        "100; codes are mapped through the countries table and datasets/crosswalks/iso2_codes.csv (BU, "
        "ISO's withdrawn code for Burma, to MMR), and "
        "Kosovo (XK, not in the countries table) is left out (iso2_codes_excluded.csv) but counted in the "
        "year's total.",
        {
            "year": _f("integer", "Year.", required=True),
            "iso3": _f(
                "string", "Country; empty for the survey's unknown country (ZZ).", pattern=ISO3_OR_EMPTY
            ),
            "country_known": _f(
                "string", "no for the survey's unknown country (ZZ).", required=True, enum=YES_NO
            ),
            "responses": _f("integer", "Survey responses (n).", "responses", required=True),
            "workers_in_year": _f(
                "integer",
                "Distinct workers within the year (w); not additive across years.",
                "workers",
                required=True,
            ),
            "share_of_year_percent": _f(
                "number",
                "Ours: responses ÷ the year's responses over all rows × 100.",
                "percent",
                required=True,
            ),
            "rank_in_year": _f(
                "integer",
                "Ours: rank by responses among known countries in the year, 1 = most; ties share the lower "
                "number ('min' method); empty for the unknown country.",
            ),
            "source_id": SOURCE_ID,
        },
        ("year", "iso3"),
        foreign_keys=(("source_id", "sources", "source_id"),),
        also_from=("datahub-country-codes-2026",),
    ),
    Table(
        "mturk_bands",
        "MTurk survey: weekly income and hours on MTurk, self-reported",
        MTURK_SAMPLE + " Self-reported weekly income from MTurk and weekly hours on MTurk, in the survey's "
        "bands, by year. The questions were asked from mid-2017: responses with an empty band (all of 2015 "
        "and 2016, part of 2017) are left out, so shares are of the responses that give a band.",
        {
            "question": _f(
                "string",
                "weekly_income or weekly_hours.",
                required=True,
                enum=("weekly_income", "weekly_hours"),
            ),
            "year": _f("integer", "Year.", required=True),
            "band": _f("string", "Band, as in the source.", required=True),
            "band_order": _f(
                "integer", "Ours: 1 = the lowest band, parsed from the band text.", required=True
            ),
            "responses": _f("integer", "Responses in the band (n).", "responses", required=True),
            "share_of_year_percent": _f(
                "number",
                "Ours: responses ÷ the question's responses with a band in the year × 100.",
                "percent",
                required=True,
            ),
            "source_id": SOURCE_ID,
        },
        ("question", "year", "band"),
        foreign_keys=(("source_id", "sources", "source_id"),),
    ),
]
TABLES.extend(MEASURED)

BY_NAME = {table.name: table for table in TABLES}
_DTYPES = {"string": str, "number": float, "integer": "Int64", "date": str}


def _is_text(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series.dtype)


def pandera_schema(table: Table) -> pa.DataFrameSchema:
    """The pandera contract of a table (built once per process by `_contract`).

    Text columns are made str by `validate` before pandera sees them, so pandera checks their type
    with one test of the column's dtype: its own str dtype check compares element by element and
    formats a report even when every element passes, which made it most of the build's time.
    """
    columns = {}
    for name, spec in table.fields.items():
        checks = []
        text = spec.type in ("string", "date")
        if text:
            checks.append(pa.Check(_is_text, error="not a text column"))
        if spec.pattern:
            checks.append(pa.Check.str_matches(spec.pattern))
        if spec.enum:
            checks.append(pa.Check.isin(list(spec.enum)))
        if spec.required and spec.type == "string":
            checks.append(pa.Check(lambda s: s.str.len() > 0, element_wise=False, error="empty"))
        columns[name] = pa.Column(
            None if text else _DTYPES[spec.type], checks=checks, nullable=not spec.required, coerce=not text
        )
    return pa.DataFrameSchema(columns, strict=True, ordered=True, unique=list(table.primary_key))


@cache
def _contract(name: str) -> pa.DataFrameSchema:
    return pandera_schema(BY_NAME[name])


def validate(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Coerce and check a table against its contract; raise pandera's error listing the failures."""
    table = BY_NAME[name]
    frame = frame.reindex(columns=list(table.fields))
    for column, spec in table.fields.items():
        if spec.type in ("string", "date"):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
    try:
        return _contract(name).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        cases = error.failure_cases[["column", "check", "failure_case", "index"]].head(8)
        lines = "; ".join(
            f"{r.column}: {r.check} fails on {r.failure_case!r} (row {r.index})" for r in cases.itertuples()
        )
        raise EtlError(f"datasets/tidy/{name}.csv (as built)", f"breaks its contract: {lines}") from None
