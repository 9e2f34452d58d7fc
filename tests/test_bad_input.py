"""Bad input: each malformed source fails with its file, its line and the problem, and loses nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from etl.__main__ import main
from tests.conftest import snapshot

FIGURE_FILE = "cited/figures/01net-2017-simeon.csv"
OLI = "raw/oli/oli_bcountry_snapshot_2017-04-11.csv"
OLI_2020 = "raw/oli/oli2020_worker_gender_sample.csv"
ILOSTAT = "raw/economics/ilostat_EAR_INEE_NOC_NB_extract_24countries_2008-2025.csv"
OECD = "raw/economics/realwage.csv"
CPI = "raw/economics/cpiai.csv"
ECB = "raw/economics/eurofxref-hist.zip"
WDI_FX = "raw/economics/API_PA.NUS.FCRF_DS2_en_csv_v2_22859.csv"
CODES = "raw/reference/country-codes.csv"
BOUNDARIES = "raw/boundaries/countries-50m.json"
SEEDS = "sources/seeds.yaml"
RAW = "sources/raw.yaml"


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Change one cell of a CSV file (line 1 is the header)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def reseal(folder: Path, relative: str) -> None:
    """Update a raw file's checksum in raw.yaml, so the test reaches the file's own validation."""
    registry = folder / "sources" / "raw.yaml"
    text = registry.read_text(encoding="utf-8")
    block_start = text.index(f"path: {relative}")
    old = text[block_start:].split("sha256: ", 1)[1][:64]
    new = hashlib.sha256((folder / relative).read_bytes()).hexdigest()
    registry.write_text(text.replace(old, new), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _record(lines: list[str], source_id: str) -> tuple[int, int]:
    start = lines.index(f"- source_id: {source_id}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- ")), len(lines))
    return start, end


def set_field(path: Path, source_id: str, name: str, value: str, *, again: bool = False) -> None:
    """Set one field of one source record, or add it (`again`: add it at the record's end even
    when the record has it)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start, end = _record(lines, source_id)
    found = [i for i in range(start + 1, end) if lines[i].startswith(f"  {name}:")]
    if found and not again:
        lines[found[0]] = f"  {name}: {value}"
    else:
        last = max(i for i in range(start, end) if lines[i].strip())
        lines.insert(last + 1, f"  {name}: {value}")
    path.write_text("\n".join(lines), encoding="utf-8")


def drop_fields(path: Path, source_id: str, *names: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    start, end = _record(lines, source_id)
    kept = [
        line for i, line in enumerate(lines) if not (start < i < end and line.split(":")[0].strip() in names)
    ]
    path.write_text("\n".join(kept), encoding="utf-8")


def at(relative: str, text: str) -> Callable[[Path], str]:
    """'<file name>, line <n>' for the line of the damaged file that holds `text`, found after the damage."""

    def where(folder: Path) -> str:
        lines = (folder / relative).read_text(encoding="utf-8").splitlines()
        return f"{Path(relative).name}, line {next(i for i, line in enumerate(lines, 1) if text in line)}"

    return where


def set_wdi(folder: Path, relative: str, country: str, year: str, value: str) -> None:
    """Change one value of a World Bank WDI bulk file (4 preamble lines, then a wide table)."""
    path = folder / relative
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    header_at = next(i for i, line in enumerate(lines) if line.startswith('"Country Name"'))
    header = next(csv.reader([lines[header_at]]))
    row_at = next(i for i, line in enumerate(lines) if line.startswith(f'"{country}"'))
    row = next(csv.reader([lines[row_at]]))
    row[header.index(year)] = value
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="").writerow(row)
    lines[row_at] = out.getvalue()
    path.write_text("\ufeff" + "\n".join(lines), encoding="utf-8")
    reseal(folder, relative)


def replace_in_zip(folder: Path, relative: str, old: str, new: str) -> None:
    path = folder / relative
    with zipfile.ZipFile(path) as archive:
        name = archive.namelist()[0]
        text = archive.read(name).decode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, text.replace(old, new, 1))
    reseal(folder, relative)


def point_record(folder: Path, source_id: str, path_text: str, target: Path) -> None:
    """Give a raw record another path, with the true checksum of the file it leads to."""
    set_field(folder / RAW, source_id, "path", path_text)
    set_field(folder / RAW, source_id, "sha256", hashlib.sha256(target.read_bytes()).hexdigest())


def null_geometry(folder: Path, name: str) -> None:
    path = folder / BOUNDARIES
    topology = json.loads(path.read_text(encoding="utf-8"))
    for feature in topology["objects"]["countries"]["geometries"]:
        if feature["properties"]["name"] == name:
            feature["type"] = None
            feature.pop("arcs")
    path.write_text(json.dumps(topology), encoding="utf-8")
    reseal(folder, BOUNDARIES)


def rewrite(folder: Path, relative: str, change: Callable[[str], str]) -> None:
    path = folder / relative
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    if relative.startswith("raw/"):
        reseal(folder, relative)


Mutation = Callable[[Path], object]
Expected = str | Callable[[Path], str]
CASES: list[tuple[str, Mutation, tuple[Expected, ...]]] = [
    (
        "missing quote",
        lambda d: set_cell(d / FIGURE_FILE, 3, "quote", ""),
        ("01net-2017-simeon.csv, line 3", "no quote"),
    ),
    (
        "unknown unit",
        lambda d: set_cell(d / FIGURE_FILE, 4, "unit", "furlongs"),
        ("line 4", "unknown unit 'furlongs'"),
    ),
    (
        "unknown currency",
        lambda d: set_cell(d / FIGURE_FILE, 5, "unit", "XYZ_per_task"),
        ("line 5", "unknown currency 'XYZ'"),
    ),
    (
        "unknown source_id",
        lambda d: set_cell(d / FIGURE_FILE, 6, "secondary_of", "nobody-2099"),
        ("line 6", "unknown source_id 'nobody-2099'"),
    ),
    (
        "non-numeric value",
        lambda d: set_cell(d / FIGURE_FILE, 7, "value", "12 millions"),
        ("line 7", "value '12 millions' is not a number"),
    ),
    (
        "decimal comma",
        lambda d: set_cell(d / FIGURE_FILE, 7, "value", "0,75"),
        ("line 7", "use a dot for decimals"),
    ),
    (
        "unknown country code",
        lambda d: set_cell(d / FIGURE_FILE, 8, "country_iso3", "XXX"),
        ("line 8", "unknown country code 'XXX'"),
    ),
    (
        "unknown platform",
        lambda d: set_cell(d / FIGURE_FILE, 8, "platform", "myspace"),
        ("line 8", "unknown platform 'myspace'"),
    ),
    (
        "unknown qualifier",
        lambda d: set_cell(d / FIGURE_FILE, 9, "qualifier", "roughly"),
        ("line 9", "unknown qualifier 'roughly'"),
    ),
    (
        "unknown topic",
        lambda d: set_cell(d / FIGURE_FILE, 9, "topic", "gossip"),
        ("line 9", "unknown topic 'gossip'"),
    ),
    (
        "bad period",
        lambda d: set_cell(d / FIGURE_FILE, 10, "period", "spring 2017"),
        ("line 10", "period 'spring 2017'"),
    ),
    (
        "range upside down",
        lambda d: (
            set_cell(d / FIGURE_FILE, 2, "qualifier", "range"),
            set_cell(d / FIGURE_FILE, 2, "value", ""),
            set_cell(d / FIGURE_FILE, 2, "value_low", "9"),
            set_cell(d / FIGURE_FILE, 2, "value_high", "3"),
        ),
        ("line 2", "value_low 9.0 is above value_high 3.0"),
    ),
    (
        "duplicate figure_id",
        lambda d: set_cell(d / FIGURE_FILE, 3, "figure_id", "01net-2017-simeon-micro-workers-worldwide"),
        ("line 3", "duplicate figure_id"),
    ),
    (
        "too many fields",
        lambda d: append(d / FIGURE_FILE, "a,b\n"),
        ("01net-2017-simeon.csv, line", "2 fields where the header has"),
    ),
    (
        "broken CSV quoting",
        lambda d: append(d / FIGURE_FILE, 'x,"unterminated\n'),
        ("01net-2017-simeon.csv", "broken CSV"),
    ),
    (
        "empty figure file",
        lambda d: (d / FIGURE_FILE).write_text("", encoding="utf-8"),
        ("01net-2017-simeon.csv", "the file is empty"),
    ),
    (
        "missing column",
        lambda d: (d / FIGURE_FILE).write_text("figure_id,topic\n", encoding="utf-8"),
        ("line 1", "missing column(s)"),
    ),
    (
        "file for an unknown source",
        lambda d: (d / "cited/figures/nobody-2099.csv").write_text("x\n", encoding="utf-8"),
        ("nobody-2099.csv", "is not a source_id"),
    ),
    (
        "checksum mismatch",
        lambda d: append(d / OLI, "2017-04-11,France,other Europe,Writing and translation,1\n"),
        ("oli_bcountry_snapshot_2017-04-11.csv", "checksum mismatch"),
    ),
    (
        "truncated raw file",
        lambda d: (d / OLI).write_bytes((d / OLI).read_bytes()[:5000]),
        ("oli_bcountry_snapshot_2017-04-11.csv", "checksum mismatch"),
    ),
    (
        "missing raw file",
        lambda d: (d / OLI).unlink(),
        ("oli_bcountry_snapshot_2017-04-11.csv", "is missing"),
    ),
    (
        "unknown country in a raw file",
        lambda d: (set_cell(d / OLI, 5, "country", "Atlantis"), reseal(d, OLI)),
        ("oli_bcountry_snapshot_2017-04-11.csv, line 5", "unknown country name 'Atlantis'"),
    ),
    (
        "non-numeric count in a raw file",
        lambda d: (set_cell(d / OLI, 6, "count", "many"), reseal(d, OLI)),
        ("oli_bcountry_snapshot_2017-04-11.csv, line 6", "count 'many' is not a number"),
    ),
    (
        "broken YAML",
        lambda d: append(d / "sources/seeds.yaml", "- source_id: [unclosed\n"),
        ("seeds.yaml", "not valid YAML"),
    ),
    (
        "duplicate source_id",
        lambda d: append(
            d / "sources/reference.yaml", (d / "sources/reference.yaml").read_text().split("\n", 1)[1]
        ),
        ("reference.yaml", "duplicate source_id 'unicode-cldr'"),
    ),
    (
        "source without a licence",
        lambda d: (d / "sources/reference.yaml").write_text(
            (d / "sources/reference.yaml").read_text().replace("  licence: Unicode License v3\n", "")
        ),
        ("reference.yaml", "lacks 'licence'"),
    ),
    (
        "mention of an unknown country",
        lambda d: set_cell(d / "cited/country_mentions.csv", 2, "country_iso3", "ZZZ"),
        ("country_mentions.csv, line 2", "unknown country code 'ZZZ'"),
    ),
    (
        "minimum wage in an unknown currency",
        lambda d: set_cell(d / "cited/minimum_wages_leads.csv", 2, "currency", "ABC"),
        ("minimum_wages_leads.csv, line 2", "unknown currency 'ABC'"),
    ),
    (
        "platform quote missing",
        lambda d: set_cell(d / "cited/platforms.csv", 2, "quote", ""),
        ("platforms.csv, line 2", "missing quote"),
    ),
    (
        "not UTF-8",
        lambda d: (d / FIGURE_FILE).write_bytes("figure_id\nd\xe9j\xe0\n".encode("latin-1")),
        ("01net-2017-simeon.csv", "not UTF-8"),
    ),
    # Source records: every field checked, with file and line.
    (
        "impossible date in a source record",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "date_published", "2017-02-30"),
        (at(SEEDS, "2017-02-30"), "date_published '2017-02-30' is not a calendar date (2017-02 has 28 days)"),
    ),
    (
        "month 13 in a source record",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "date_published", "2017-13-01"),
        (at(SEEDS, "2017-13-01"), "date_published '2017-13-01' has no month 13"),
    ),
    (
        "month 13 without a day in a source record",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "date_published", "2017-13"),
        (at(SEEDS, "2017-13"), "has no month 13"),
    ),
    (
        "implausible year in a source record",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "date_published", "1017-03-11"),
        (at(SEEDS, "1017-03-11"), "date_published '1017-03-11' has an implausible year"),
    ),
    (
        "url without a host",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "url", "https:///www.lemonde.fr/x"),
        (at(SEEDS, "https:///www"), "url 'https:///www.lemonde.fr/x' has no host"),
    ),
    (
        "url that is not http",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "url", "www.lemonde.fr/x"),
        (at(SEEDS, "url: www.lemonde.fr"), "is not an http(s) address"),
    ),
    (
        "bad sha256",
        lambda d: set_field(d / RAW, "oli-2017-employer-snapshot-rdata", "sha256", "C7AB077B"),
        (at(RAW, "C7AB077B"), "sha256 'C7AB077B' is not 64 lowercase hexadecimal digits"),
    ),
    (
        "raw file without the day it was downloaded",
        lambda d: drop_fields(d / RAW, "bls-cpi-u", "retrieved"),
        (
            at(RAW, "path: raw/economics/cpiai.csv"),
            "source 'bls-cpi-u' has a path but no retrieved date (YYYY-MM-DD)",
        ),
    ),
    (
        "download day that is not a day",
        lambda d: set_field(d / RAW, "bls-cpi-u", "retrieved", "22/11/2026"),
        (at(RAW, "retrieved: 22/11/2026"), "retrieved '22/11/2026' is not a day (YYYY-MM-DD)"),
    ),
    (
        "download day that is not in the calendar",
        lambda d: set_field(d / RAW, "bls-cpi-u", "retrieved", "2026-02-30"),
        (at(RAW, "retrieved: 2026-02-30"), "retrieved '2026-02-30' is not a day of the calendar"),
    ),
    (
        "sha256 without a path",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "sha256", "0" * 64),
        (at(SEEDS, "0" * 64), "source 'lemonde-2017-orain' has a sha256 but no path"),
    ),
    (
        "path with ..",
        lambda d: point_record(
            d, "oli-2017-employer-snapshot-rdata", "raw/../cited/platforms.csv", d / "cited/platforms.csv"
        ),
        (at(RAW, "raw/../cited"), "path 'raw/../cited/platforms.csv' contains '..'"),
    ),
    (
        "path outside raw/",
        lambda d: point_record(
            d, "oli-2017-employer-snapshot-rdata", "cited/platforms.csv", d / "cited/platforms.csv"
        ),
        (at(RAW, "path: cited/platforms.csv"), "is not under raw/"),
    ),
    (
        "absolute path",
        lambda d: point_record(
            d,
            "oli-2017-employer-snapshot-rdata",
            str(d / "cited/platforms.csv"),
            d / "cited/platforms.csv",
        ),
        (lambda d: at(RAW, str(d / "cited"))(d), "is absolute"),
    ),
    (
        "unknown field in a source record",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "secondry_of", "casilli-blog"),
        (at(SEEDS, "secondry_of"), "unknown field 'secondry_of' (known: access_note, author"),
    ),
    (
        "field given twice in a source record",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "licence", "CC0", again=True),
        (at(SEEDS, "licence: CC0"), "field 'licence' is given twice"),
    ),
    (
        "list where a field needs one value",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "author", "[Orain, Casilli]"),
        (at(SEEDS, "[Orain, Casilli]"), "field 'author' is a list or a mapping"),
    ),
    (
        "field that is only whitespace",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "author", '"   "'),
        (at(SEEDS, 'author: "   "'), "source 'lemonde-2017-orain': author is only whitespace"),
    ),
    (
        "source relayed in itself",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "relayed_in", "lemonde-2017-orain"),
        (at(SEEDS, "relayed_in: lemonde-2017-orain"), "relayed_in 'lemonde-2017-orain' is the record itself"),
    ),
    (
        "source secondary of itself",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "secondary_of", "lemonde-2017-orain"),
        (at(SEEDS, "secondary_of: lemonde-2017-orain"), "is the record itself"),
    ),
    (
        "citation too long",
        lambda d: set_field(d / SEEDS, "lemonde-2017-orain", "citation", "Le Monde " * 10),
        (at(SEEDS, "citation: Le Monde Le Monde"), "is 89 characters: a short form of at most 80"),
    ),
    (
        "registry not UTF-8",
        lambda d: (d / SEEDS).write_bytes(
            (d / SEEDS).read_text(encoding="utf-8").encode("latin-1", "replace")
        ),
        ("seeds.yaml", "not UTF-8"),
    ),
    (
        "raw file the ETL reads without a path",
        lambda d: drop_fields(d / RAW, "bls-cpi-u", "path", "sha256"),
        ("sources", "the ETL reads the raw file of source 'bls-cpi-u': no record gives its path"),
    ),
    # Figures: each number against what its unit admits (etl/units.py).
    (
        "negative count in a figure",
        lambda d: set_cell(d / FIGURE_FILE, 2, "value", "-100"),
        ("01net-2017-simeon.csv, line 2", "value '-100' workers cannot be below 0"),
    ),
    (
        "share above 100",
        lambda d: set_cell(d / FIGURE_FILE, 7, "value", "120"),
        ("line 7", "value '120' percent is a share and must be between 0 and 100"),
    ),
    (
        "negative price",
        lambda d: set_cell(d / FIGURE_FILE, 18, "value", "-0.75"),
        ("line 18", "value '-0.75' USD_per_hour cannot be below 0"),
    ),
    (
        "more hours than a week has",
        lambda d: set_cell(d / FIGURE_FILE, 11, "value", "200"),
        ("line 11", "value '200' hours_per_week cannot be above 168"),
    ),
    (
        "duration of zero seconds",
        lambda d: set_cell(d / FIGURE_FILE, 27, "seconds_per_unit", "0"),
        ("line 27", "seconds_per_unit '0' is not a duration above 0"),
    ),
    (
        "number with an underscore",
        lambda d: set_cell(d / FIGURE_FILE, 8, "value", "500_000"),
        ("line 8", "value '500_000' is not a number"),
    ),
    (
        "impossible date in a period",
        lambda d: set_cell(d / FIGURE_FILE, 10, "period", "2017-02-30"),
        ("line 10", "'2017-02-30' is not a calendar date"),
    ),
    (
        "month 13 in a period",
        lambda d: set_cell(d / FIGURE_FILE, 10, "period", "2016-13"),
        ("line 10", "'2016-13' has no month 13"),
    ),
    (
        "period that ends before it starts",
        lambda d: set_cell(d / FIGURE_FILE, 10, "period", "2018-2010"),
        ("line 10", "period '2018-2010' ends before it starts"),
    ),
    (
        "implausible year in a period",
        lambda d: set_cell(d / FIGURE_FILE, 10, "period", "1017"),
        ("line 10", "'1017' has an implausible year"),
    ),
    # The other typed-in tables.
    (
        "negative minimum wage typed in",
        lambda d: set_cell(d / "cited/minimum_wages_leads.csv", 2, "amount", "-537"),
        ("minimum_wages_leads.csv, line 2", "amount '-537' is not a minimum wage (must be above 0)"),
    ),
    (
        "impossible effective date of a minimum wage",
        lambda d: set_cell(d / "cited/minimum_wages_leads.csv", 2, "effective", "2018-11-31"),
        ("minimum_wages_leads.csv, line 2", "effective '2018-11-31' is not a calendar date"),
    ),
    (
        "rank that is not a whole number",
        lambda d: set_cell(d / "cited/platform_types.csv", 2, "rank", "1.5"),
        ("platform_types.csv, line 2", "rank '1.5' is not a whole number"),
    ),
    (
        "rank 0",
        lambda d: set_cell(d / "cited/platform_types.csv", 2, "rank", "0"),
        ("platform_types.csv, line 2", "rank '0' is below 1"),
    ),
    (
        "implausible launch year",
        lambda d: set_cell(d / "cited/platforms.csv", 2, "launched", "20005"),
        ("platforms.csv, line 2", "launched '20005' is not a plausible year"),
    ),
    (
        "missing typed-in table",
        lambda d: (d / "cited/platforms.csv").unlink(),
        ("platforms.csv", "the file is missing"),
    ),
    # Raw files, resealed so that the file's own checks are reached.
    (
        "negative vacancy count in the OLI file",
        lambda d: (set_cell(d / OLI, 6, "count", "-3"), reseal(d, OLI)),
        ("oli_bcountry_snapshot_2017-04-11.csv, line 6", "count '-3' is not a whole number ≥ 0"),
    ),
    (
        "impossible snapshot date in the OLI file",
        lambda d: (set_cell(d / OLI, 3, "timestamp", "2017-04-31"), reseal(d, OLI)),
        ("oli_bcountry_snapshot_2017-04-11.csv, line 3", "timestamp '2017-04-31' is not a calendar date"),
    ),
    (
        "OLI file with a header and no rows",
        lambda d: rewrite(d, OLI, lambda text: text.split("\n", 1)[0] + "\n"),
        ("oli_bcountry_snapshot_2017-04-11.csv", "no data rows under the header"),
    ),
    (
        "OLI worker sample without its gender column",
        lambda d: rewrite(d, OLI_2020, lambda text: text.replace(",gender,", ",sex,", 1)),
        ("oli2020_worker_gender_sample.csv, line 1", "missing column(s): gender"),
    ),
    (
        "negative minimum wage in the ILOSTAT file",
        lambda d: (set_cell(d / ILOSTAT, 2, "ear_inee_noc_nb", "-2356.38"), reseal(d, ILOSTAT)),
        ("ilostat_EAR_INEE_NOC_NB_extract_24countries_2008-2025.csv, line 2", "is not a minimum wage"),
    ),
    (
        "year that is not a year in the ILOSTAT file",
        lambda d: (set_cell(d / ILOSTAT, 2, "time", "2008.5"), reseal(d, ILOSTAT)),
        ("ilostat_EAR_INEE_NOC_NB_extract_24countries_2008-2025.csv, line 2", "time '2008.5' is not a year"),
    ),
    (
        "ILOSTAT file with a header and no rows",
        lambda d: rewrite(d, ILOSTAT, lambda text: text.split("\n", 1)[0] + "\n"),
        ("ilostat_EAR_INEE_NOC_NB_extract_24countries_2008-2025.csv", "no data rows"),
    ),
    (
        "negative minimum wage in the OECD file",
        lambda d: (set_cell(d / OECD, 2, "value", "-17132.443"), reseal(d, OECD)),
        ("realwage.csv, line 2", "value '-17132.443' is not a minimum wage"),
    ),
    (
        "date that is not a date in the OECD file",
        lambda d: (set_cell(d / OECD, 2, "Time", "Q1 2006"), reseal(d, OECD)),
        ("realwage.csv, line 2", "Time 'Q1 2006' is not YYYY[-MM[-DD]]"),
    ),
    (
        "unknown series in the OECD file",
        lambda d: (set_cell(d / OECD, 2, "Series", "In current prices"), reseal(d, OECD)),
        ("realwage.csv, line 2", "unknown Series 'In current prices'"),
    ),
    # Reference files read by etl/reference.py: a named error instead of a traceback.
    (
        "zero exchange rate",
        lambda d: set_wdi(d, WDI_FX, "Australia", "2008", "0"),
        (at(WDI_FX, '"Australia"'), "AUS 2008 '0' is not a number above 0"),
    ),
    (
        "CPI date that is not a date",
        lambda d: (set_cell(d / CPI, 2, "Date", "1913-xx-01"), reseal(d, CPI)),
        ("cpiai.csv, line 2", "Date '1913-xx-01' is not YYYY-MM-DD"),
    ),
    (
        "CPI index that is not a number",
        lambda d: (set_cell(d / CPI, 3, "Index", "n/a"), reseal(d, CPI)),
        ("cpiai.csv, line 3", "Index 'n/a' is not a number"),
    ),
    (
        "ECB archive that is not a zip",
        lambda d: ((d / ECB).write_bytes(b"Date,USD\n2026-10-30,1.1172\n"), reseal(d, ECB)),
        ("eurofxref-hist.zip", "not a readable zip archive"),
    ),
    (
        "ECB rate that is not a number",
        lambda d: replace_in_zip(d, ECB, "2026-10-30,1.1172,", "2026-10-30,1.11x72,"),
        ("eurofxref-hist.zip (eurofxref-hist.csv), line 2", "USD '1.11x72' is not a number"),
    ),
    (
        "country codes without their M49 column",
        lambda d: rewrite(d, CODES, lambda text: text.replace(",M49,", ",M-49,", 1)),
        ("country-codes.csv, line 1", "missing column(s): M49"),
    ),
    (
        "World Bank file not UTF-8",
        lambda d: (
            (d / WDI_FX).write_bytes((d / WDI_FX).read_text(encoding="utf-8-sig").encode("utf-16")),
            reseal(d, WDI_FX),
        ),
        ("API_PA.NUS.FCRF_DS2_en_csv_v2_22859.csv", "not UTF-8"),
    ),
    (
        "country without a shape in Natural Earth",
        lambda d: null_geometry(d, "Zimbabwe"),
        ("countries-50m.json", "features without a shape: Zimbabwe"),
    ),
]


@pytest.mark.parametrize(("name", "mutate", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named_and_loses_nothing(
    datasets: Path,
    name: str,
    mutate: Mutation,
    expected: tuple[Expected, ...],
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = snapshot(datasets)
    mutate(datasets)
    assert main(["--datasets", str(datasets)]) == 1
    message = capsys.readouterr().err
    for wanted in expected:
        fragment = wanted(datasets) if callable(wanted) else wanted
        assert fragment in message, f"{name}: {fragment!r} not in {message!r}"
    assert "previous datasets are unchanged" in message
    assert snapshot(datasets) == before
    assert not list(datasets.glob(".tidy-*"))


def test_there_are_at_least_twenty_bad_input_cases() -> None:
    assert len(CASES) >= 20
