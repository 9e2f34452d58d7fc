"""Reference tables read from raw files: countries, rates, price levels, GDP, minimum wages."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pandas as pd
from babel import Locale

from etl.errors import EtlError
from etl.money import CURRENCY_ANCHOR, Rates

# Names used by OLI files that no reference table spells the same way (checked by hand against
# the ISO list; each maps to the code of the same territory).
NAME_ALIASES = {
    "bolivia": "BOL",
    "bosnia & herzegovina": "BIH",
    "congo, the democratic republic of the": "COD",
    "cote d'ivoire": "CIV",
    "czech republic": "CZE",
    "hong kong": "HKG",
    "iran": "IRN",
    "kosovo": "XKX",
    "laos": "LAO",
    "macedonia": "MKD",
    "moldova": "MDA",
    "palestine": "PSE",
    "russia": "RUS",
    "south korea": "KOR",
    "korea, republic of": "KOR",
    "syria": "SYR",
    "taiwan": "TWN",
    "tanzania": "TZA",
    "turkey": "TUR",
    "united states": "USA",
    "venezuela": "VEN",
    "vietnam": "VNM",
    "macau": "MAC",
    "swaziland": "SWZ",
    "st. lucia": "LCA",
    "saint kitts and nevis": "KNA",
    "brunei": "BRN",
    "cape verde": "CPV",
    "the bahamas": "BHS",
    "bahamas": "BHS",
    "gambia": "GMB",
    "the gambia": "GMB",
    "micronesia": "FSM",
    "congo": "COG",
    "republic of the congo": "COG",
    "democratic republic of the congo": "COD",
    "curacao": "CUW",
    "reunion": "REU",
    "u.s. virgin islands": "VIR",
    "virgin islands, u.s.": "VIR",
    "british virgin islands": "VGB",
    "east timor": "TLS",
    "ivory coast": "CIV",
    "myanmar (burma)": "MMR",
    "burma": "MMR",
    "sint maarten": "SXM",
    "st. vincent and the grenadines": "VCT",
    "united kingdom": "GBR",
    "netherlands antilles": "ANT",
    "kazakstan": "KAZ",
    "palestinian territories": "PSE",
    "korea": "KOR",
}
# The columns of the DataHub country-code list that the ETL reads.
CODE_COLUMNS = (
    "ISO3166-1-Alpha-3",
    "ISO3166-1-Alpha-2",
    "M49",
    "official_name_en",
    "official_name_fr",
    "Region Name",
    "Sub-region Name",
    "ISO4217-currency_alphabetic_code",
    "UNTERM English Short",
    "CLDR display name",
)
# Short display names where CLDR's standard form is long for a map label ("Hong Kong SAR China").
SHORT_NAMES = {
    "HKG": ("Hong Kong", "Hong Kong"),
    "MAC": ("Macao", "Macao"),
    "PSE": ("Palestine", "Palestine"),
}


def _read_table(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """A raw CSV as text cells; a file pandas cannot parse, or one without `columns`, is an EtlError."""
    try:
        frame = pd.read_csv(path, keep_default_na=False, dtype=str)
    except UnicodeDecodeError as error:
        raise EtlError(path, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise EtlError(path, f"broken CSV: {str(error).strip()}") from None
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise EtlError(path, f"missing column(s): {', '.join(missing)}", 1)
    return frame


def _positive(path: Path | str, line: int, what: str, cell: str) -> float:
    """A rate, a price level or an index: a number above zero (every one is divided by)."""
    try:
        value = float(cell)
    except ValueError:
        raise EtlError(path, f"{what} {cell!r} is not a number", line) from None
    if not value > 0 or value == float("inf"):
        raise EtlError(path, f"{what} {cell!r} is not a number above 0", line)
    return value


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("&", "and").split())


def read_wdi(path: Path, source_id: str) -> pd.DataFrame:
    """A WDI bulk CSV (with or without its 4-line preamble) as long rows: iso3, year, value."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise EtlError(path, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    lines = text.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if line.startswith(('"Country Name"', "Country Name"))), None
    )
    if start is None:
        raise EtlError(path, "no 'Country Name' header row: not a WDI bulk file")
    try:
        rows = list(csv.reader(lines[start:], strict=True))
    except csv.Error as error:
        raise EtlError(path, f"broken CSV: {error}") from None
    header = rows[0]
    if "Country Code" not in header:
        raise EtlError(path, "no 'Country Code' column", start + 1)
    years = [(i, int(h)) for i, h in enumerate(header) if h.strip().isdigit()]
    out = []
    for offset, row in enumerate(rows[1:], start=start + 2):
        if not row or not any(row):
            continue
        if len(row) < min(len(header) - 1, header.index("Country Code") + 1):
            raise EtlError(path, f"row has {len(row)} fields, header has {len(header)}", offset)
        code = row[header.index("Country Code")]
        for i, year in years:
            cell = row[i].strip() if i < len(row) else ""
            if not cell:
                continue
            out.append((code, year, _positive(path, offset, f"{code} {year}", cell)))
    frame = pd.DataFrame(out, columns=["iso3", "year", "value"])
    frame["source_id"] = source_id
    return frame


def countries(current: Path, un2020: Path, income: Path, history: Path) -> pd.DataFrame:
    """One row per ISO 3166 country or territory, with names, regions and both North/South splits.

    North/South is ours, documented: `north_south_wb` puts World Bank high-income economies
    (FY2025, and FY2018 for the 2017 view) in the North, `north_south_wb_fy2015`/`_fy2016` do the
    same with the groups in force in 2014 and 2015 (the Flows' "groups of the year"); `north_south_un` follows the UN M49
    'Developed / Developing' column of 2020 (which counts Russia and Ukraine as developed).
    """
    codes = _read_table(current, CODE_COLUMNS)
    old = _read_table(un2020, ("ISO3166-1-Alpha-3", "Developed / Developing Countries"))
    wb = _read_table(income, ("iso3", "income_group", "wb_region", "economy"))
    hist = _read_table(history, ("iso3", "fiscal_year", "income_group"))
    en, fr = Locale("en").territories, Locale("fr").territories
    developed = dict(zip(old["ISO3166-1-Alpha-3"], old["Developed / Developing Countries"], strict=True))
    wb_group = dict(zip(wb["iso3"], wb["income_group"], strict=True))
    wb_region = dict(zip(wb["iso3"], wb["wb_region"], strict=True))
    letters = {
        "L": "Low income",
        "LM": "Lower middle income",
        "UM": "Upper middle income",
        "H": "High income",
    }

    def groups(fiscal_year: str) -> dict[str, str]:
        rows_of_year = hist[hist["fiscal_year"] == fiscal_year]
        return {row.iso3: letters.get(row.income_group, "") for row in rows_of_year.itertuples()}

    # The classification in force in a calendar year's second half, published that July: FY2015
    # for 2014's flows, FY2016 for 2015's, FY2018 for the OLI's 2017 view ("groups of the year").
    group_2014, group_2015, group_2017 = groups("FY15"), groups("FY16"), groups("FY18")

    def side(group: str) -> str:
        return "" if not group else ("North" if group == "High income" else "South")

    rows = []
    for row in codes.itertuples(index=False):
        iso3, iso2 = (
            row[codes.columns.get_loc("ISO3166-1-Alpha-3")],
            row[codes.columns.get_loc("ISO3166-1-Alpha-2")],
        )
        if not iso3:
            continue
        name_en = (
            SHORT_NAMES.get(iso3, (en.get(iso2), ""))[0] or row[codes.columns.get_loc("official_name_en")]
        )
        name_fr = (
            SHORT_NAMES.get(iso3, ("", fr.get(iso2)))[1] or row[codes.columns.get_loc("official_name_fr")]
        )
        un = developed.get(iso3, "")
        group = wb_group.get(iso3, "")
        rows.append(
            {
                "iso3": iso3,
                "iso2": iso2,
                "m49": row[codes.columns.get_loc("M49")].zfill(3),
                "name_en": name_en,
                "name_fr": name_fr,
                "un_region": row[codes.columns.get_loc("Region Name")],
                "un_subregion": row[codes.columns.get_loc("Sub-region Name")],
                "currency": row[codes.columns.get_loc("ISO4217-currency_alphabetic_code")].split(",")[0],
                "wb_region": wb_region.get(iso3, ""),
                "income_group_fy2025": group,
                "income_group_fy2018": group_2017.get(iso3, ""),
                "income_group_fy2015": group_2014.get(iso3, ""),
                "income_group_fy2016": group_2015.get(iso3, ""),
                "un_development_2020": un,
                "north_south_wb": side(group),
                "north_south_un": "" if not un else ("North" if un == "Developed" else "South"),
                "north_south_wb_fy2015": side(group_2014.get(iso3, "")),
                "north_south_wb_fy2016": side(group_2015.get(iso3, "")),
                "source_id": "datahub-country-codes-2026",
            }
        )
    frame = pd.DataFrame(rows).sort_values("iso3").reset_index(drop=True)
    return frame


def name_index(countries_table: pd.DataFrame, extra_names: dict[str, str]) -> dict[str, str]:
    index: dict[str, str] = {}
    for row in countries_table.itertuples():
        index[normalise_name(row.name_en)] = row.iso3
    for name, iso3 in extra_names.items():
        index.setdefault(normalise_name(name), iso3)
    for name, iso3 in NAME_ALIASES.items():
        index[normalise_name(name)] = iso3
    return index


def extra_country_names(current: Path, income: Path) -> dict[str, str]:
    """Other English spellings of each country, from the code list and the World Bank list."""
    codes = _read_table(current, CODE_COLUMNS)
    wb = _read_table(income, ("iso3", "economy"))
    names: dict[str, str] = {}
    for column in ("official_name_en", "UNTERM English Short", "CLDR display name"):
        for iso3, name in zip(codes["ISO3166-1-Alpha-3"], codes[column], strict=True):
            if iso3 and name:
                names.setdefault(name.split(" (")[0], iso3)
                names.setdefault(name, iso3)
    for iso3, name in zip(wb["iso3"], wb["economy"], strict=True):
        names.setdefault(name, iso3)
    return names


def cpi_annual(path: Path) -> pd.DataFrame:
    frame = _read_table(path, ("Date", "Index"))
    for line, (date, index) in enumerate(zip(frame["Date"], frame["Index"], strict=True), start=2):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            raise EtlError(path, f"Date {date!r} is not YYYY-MM-DD", line)
        _positive(path, line, "Index", index)
    frame["year"] = frame["Date"].str[:4].astype(int)
    frame["Index"] = frame["Index"].astype(float)
    counts = frame.groupby("year")["Index"].count()
    annual = frame.groupby("year")["Index"].mean().round(4).reset_index(name="cpi_u_index")
    annual["months"] = annual["year"].map(counts)
    annual["source_id"] = "bls-cpi-u"
    # A year needs its twelve months to make an average (2025 lacks October: BLS published none).
    return annual[annual["months"] == 12].drop(columns="months").reset_index(drop=True)


def ecb_eur_per_usd(path: Path) -> pd.DataFrame:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if not names:
                raise EtlError(path, "the zip archive is empty")
            text = archive.read(names[0]).decode("utf-8")
    except (zipfile.BadZipFile, zlib.error) as error:
        raise EtlError(path, f"not a readable zip archive ({error})") from None
    except UnicodeDecodeError as error:
        raise EtlError(path, f"{names[0]} is not UTF-8 text ({error.reason} at byte {error.start})") from None
    inner = f"{path} ({names[0]})"
    reader = csv.DictReader(io.StringIO(text))
    if not {"Date", "USD"} <= set(reader.fieldnames or ()):
        raise EtlError(inner, "missing column(s) Date or USD", 1)
    values: dict[int, list[float]] = {}
    try:
        for row in reader:
            line = reader.line_num
            date, cell = (row["Date"] or "").strip(), (row["USD"] or "").strip()
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
                raise EtlError(inner, f"Date {date!r} is not YYYY-MM-DD", line)
            if cell in ("", "N/A"):
                continue
            values.setdefault(int(date[:4]), []).append(_positive(inner, line, "USD", cell))
    except csv.Error as error:
        raise EtlError(inner, f"broken CSV: {error}", reader.line_num) from None
    if not values:
        raise EtlError(inner, "no USD rate in the file")
    rows = [
        {"year": year, "usd_per_eur_mean_daily": round(sum(v) / len(v), 6), "days": len(v)}
        for year, v in sorted(values.items())
    ]
    frame = pd.DataFrame(rows)
    frame["eur_per_usd_reciprocal_of_mean"] = (1 / frame["usd_per_eur_mean_daily"]).round(6)
    frame["source_id"] = "ecb-euro-reference-rates"
    return frame


def rates(fx: pd.DataFrame, ppp: pd.DataFrame, cpi: pd.DataFrame, countries_table: pd.DataFrame) -> Rates:
    currency_economy: dict[str, str] = {}
    by_currency: dict[str, list[str]] = {}
    for row in countries_table.itertuples():
        if row.currency:
            by_currency.setdefault(row.currency, []).append(row.iso3)
    for currency, economies in by_currency.items():
        if currency in CURRENCY_ANCHOR:
            currency_economy[currency] = CURRENCY_ANCHOR[currency]
        elif len(economies) == 1:
            currency_economy[currency] = economies[0]
    for currency, economy in CURRENCY_ANCHOR.items():
        currency_economy.setdefault(currency, economy)
    return Rates(
        lcu_per_usd={(r.iso3, int(r.year)): float(r.value) for r in fx.itertuples()},
        ppp_lcu_per_intl={(r.iso3, int(r.year)): float(r.value) for r in ppp.itertuples()},
        cpi={int(r.year): float(r.cpi_u_index) for r in cpi.itertuples()},
        currency_economy=currency_economy,
    )
