"""One contract per tidy table: pandera validates it, and the same specs write datapackage.json.

Each field is (type, description, unit). Types are Frictionless names: `string`, `number`,
`integer`, `date`. A field whose description starts with "required" may not be empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

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
                "string", "Short citation shown under charts, e.g. 'Le Monde (2017)'.", required=True
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
            "origin": _f("string", "For raw files: exactly where the file came from."),
            "verification": _f("string", "How the quoted page was checked, for leads."),
            "access_note": _f("string", "Where and how we read it."),
            "caveat": _f("string", "What a reader must know before using it."),
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
            "un_development_2020": _f("string", "UN M49 'Developed / Developing' as of 2020."),
            "north_south_wb": _f("string", "Ours: North = World Bank high income (FY2025), else South."),
            "north_south_un": _f("string", "Ours: North = UN developed (2020), else South."),
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

BY_NAME = {table.name: table for table in TABLES}
_DTYPES = {"string": str, "number": float, "integer": "Int64", "date": str}


def pandera_schema(table: Table) -> pa.DataFrameSchema:
    columns = {}
    for name, spec in table.fields.items():
        checks = []
        if spec.pattern:
            checks.append(pa.Check.str_matches(spec.pattern))
        if spec.enum:
            checks.append(pa.Check.isin(list(spec.enum)))
        if spec.required and spec.type == "string":
            checks.append(pa.Check(lambda s: s.str.len() > 0, element_wise=False, error="empty"))
        columns[name] = pa.Column(_DTYPES[spec.type], checks=checks, nullable=not spec.required, coerce=True)
    return pa.DataFrameSchema(columns, strict=True, ordered=True, unique=list(table.primary_key))


def validate(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Coerce and check a table against its contract; raise pandera's error listing the failures."""
    table = BY_NAME[name]
    frame = frame.reindex(columns=list(table.fields))
    for column, spec in table.fields.items():
        if spec.type in ("string", "date"):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
    try:
        return pandera_schema(table).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        cases = error.failure_cases[["column", "check", "failure_case", "index"]].head(8)
        lines = "; ".join(
            f"{r.column}: {r.check} fails on {r.failure_case!r} (row {r.index})" for r in cases.itertuples()
        )
        raise EtlError(f"datasets/tidy/{name}.csv (as built)", f"breaks its contract: {lines}") from None
