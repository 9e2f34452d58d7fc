"""The bibliography: one record per publication or raw file, read from datasets/sources/*.yaml."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pandas as pd
import yaml

from etl.cited import date_problem
from etl.errors import EtlError
from etl.paths import DATASETS, SOURCES_DIR

KINDS = {"seed", "report", "paper", "press", "dataset", "blog", "seminar"}
LANGUAGES = {"fr", "en", "ko"}
REQUIRED = ("source_id", "producer", "title", "licence", "citation", "language", "kind")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
RETRIEVED = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # the day a raw file was downloaded


def _day_problem(text: str) -> str | None:
    """None for a real day written YYYY-MM-DD (2026-02-30 is not one)."""
    import datetime as dt

    if not RETRIEVED.match(text):
        return "is not a day (YYYY-MM-DD)"
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return "is not a day of the calendar"
    return None


# Shown under every chart: a short "Producer (year)", not the full reference (citation_full).
CITATION_MAX = 80

COLUMNS = [
    "source_id",
    "producer",
    "author",
    "title",
    "date_published",
    "year",
    "url",
    "licence",
    "citation",
    "citation_full",
    "language",
    "kind",
    "secondary_of",
    "relayed_in",
    "path",
    "sha256",
    "retrieved",
    "origin",
    "verification",
    "access_note",
    "reading_en",
    "reading_fr",
    "caveat",
    "caveat_fr",
    "producer_note",
]
# Every field a record may have. `year` is not one: the ETL takes it from date_published.
# `note` is for the people who edit the registry and is not published.
FIELDS = frozenset(COLUMNS) - {"year"} | {"note"}
# What readers see of how a source was read: `reading_en` and `reading_fr`, written for them (no
# path, no file name, no working note), in both languages or neither. `access_note` and
# `verification` are the maintainers' own record of where and how it was read (published in the
# data package for reuse, never shown on a page); `producer_note` keeps a producer's packaging
# provenance ("packaged by DataHub datasets/cpi-us") out of the producer readers see.
READER_PAIRS = (("reading_en", "reading_fr"), ("caveat", "caveat_fr"))
# A short citation ends with its year, "Le Monde (2017)", "ILO (2021, press release)".
_CITED_YEAR = re.compile(r"\((\d{4})(?=[,)])")
_LEADING_ARTICLE = re.compile(r"^(?:(?:the|an?|les?|la)\s+|l[’']\s*)", re.I)


@dataclass(frozen=True)
class Source:
    source_id: str
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def citation(self) -> str:
        return self.fields["citation"]


class RawFiles(dict[str, Path]):
    """source_id → raw file; asking for a source that names no file is an error that says so."""

    def __init__(self, registry: Path) -> None:
        super().__init__()
        self.registry = registry

    def __missing__(self, source_id: str) -> Path:
        raise EtlError(
            self.registry, f"the ETL reads the raw file of source {source_id!r}: no record gives its path"
        )


def _scalar(node: yaml.Node) -> str | None:
    """A field's text exactly as typed (no YAML dates or numbers), '' for an empty field."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    return "" if node.tag == "tag:yaml.org,2002:null" else str(node.value)


def _records(path: Path) -> list[tuple[int, dict[str, tuple[int, str]]]]:
    """(record line, {field: (line, text)}) for each record of one YAML file.

    Read from YAML's node tree, not its Python values: safe_load turns `2017-02-30` into a
    ValueError with no file or line, and `2017-04-16` into a date object.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise EtlError(path, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    try:
        # libyaml's parser when PyYAML has it (its wheels do): the pure-Python one took about
        # 2.5 s of CPU for our five registry files, half the build.
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise EtlError(path, f"not valid YAML: {error}", mark.line + 1 if mark else None) from None
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise EtlError(path, "must be a list of source records", root.start_mark.line + 1)
    records = []
    for index, item in enumerate(root.value, start=1):
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            raise EtlError(path, f"record {index} is not a mapping of field: value", line)
        fields: dict[str, tuple[int, str]] = {}
        for key_node, value_node in item.value:
            name, value = _scalar(key_node), _scalar(value_node)
            at = key_node.start_mark.line + 1
            if not name:
                raise EtlError(path, f"record {index} has a field without a name", at)
            if value is None:
                raise EtlError(path, f"field {name!r} is a list or a mapping; it must be one value", at)
            if name in fields:
                raise EtlError(path, f"field {name!r} is given twice in one record", at)
            fields[name] = (at, value)
        records.append((line, fields))
    return records


def _url_problem(url: str) -> str | None:
    if any(c.isspace() for c in url):
        return "contains a space"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as error:
        return f"is not a URL ({error})"
    if parts.scheme not in ("http", "https"):
        return "is not an http(s) address"
    if not host:
        return "has no host"
    return None


def _path_problem(relative: str) -> str | None:
    if "\\" in relative:
        return "uses a backslash (write / between folders)"
    parts = PurePosixPath(relative).parts
    if relative.startswith("/") or (parts and ":" in parts[0]):
        return "is absolute (write it relative to datasets/, e.g. raw/oli/…)"
    if ".." in parts:
        return "contains '..'"
    if len(parts) < 2 or parts[0] != "raw":
        return "is not under raw/"
    return None


def _check(path: Path, line: int, fields: dict[str, tuple[int, str]]) -> dict[str, str]:
    """One record, field by field; returns {field: text}, stripped."""
    sid = fields.get("source_id", (line, ""))[1].strip()
    who = f"source {sid!r}" if sid else "a record"
    unknown = sorted(set(fields) - FIELDS)
    if unknown:
        raise EtlError(
            path,
            f"{who}: unknown field {unknown[0]!r} (known: {', '.join(sorted(FIELDS))})",
            fields[unknown[0]][0],
        )
    for name, (at, value) in fields.items():
        if value and not value.strip():
            raise EtlError(path, f"{who}: {name} is only whitespace", at)
    values = {name: value.strip() for name, (_, value) in fields.items()}
    for name in REQUIRED:
        if not values.get(name):
            raise EtlError(path, f"{who} lacks {name!r}", fields.get(name, (line, ""))[0])

    def fail(name: str, problem: str) -> None:
        raise EtlError(path, f"{who}: {name} {values[name]!r} {problem}", fields[name][0])

    if not SLUG.match(sid):
        fail("source_id", "is not a lowercase slug")
    if values["kind"] not in KINDS:
        fail("kind", f"is unknown ({', '.join(sorted(KINDS))})")
    if values["language"] not in LANGUAGES:
        fail("language", f"is unknown ({', '.join(sorted(LANGUAGES))})")
    if len(values["citation"]) > CITATION_MAX:
        fail("citation", f"is {len(values['citation'])} characters: a short form of at most {CITATION_MAX}")
    checks = {
        "date_published": date_problem,
        "url": _url_problem,
        "path": _path_problem,
        "sha256": lambda text: None if SHA256.match(text) else "is not 64 lowercase hexadecimal digits",
        "retrieved": _day_problem,
    }
    for name, check in checks.items():
        problem = check(values[name]) if values.get(name) else None
        if problem:
            fail(name, problem)
    if values.get("path") and not values.get("retrieved"):
        # the Sources page says when each raw file was downloaded (issue 23)
        raise EtlError(path, f"{who} has a path but no retrieved date (YYYY-MM-DD)", fields["path"][0])
    if bool(values.get("path")) != bool(values.get("sha256")):
        given, absent = ("path", "sha256") if values.get("path") else ("sha256", "path")
        raise EtlError(path, f"{who} has a {given} but no {absent}", fields[given][0])
    for link in ("secondary_of", "relayed_in"):
        if values.get(link) == sid:
            fail(link, "is the record itself")
    for english, french in READER_PAIRS:
        # A French text needs its English one; an English caveat without its French one (records
        # older than caveat_fr) is flagged by tests/test_reader_text.py, not refused here.
        if (
            values.get(french)
            and not values.get(english)
            or (english == "reading_en" and values.get(english) and not values.get(french))
        ):
            given, absent = (english, french) if values.get(english) else (french, english)
            raise EtlError(
                path, f"{who} has a {given} but no {absent} (readers see both languages)", fields[given][0]
            )
    return values


def collation_key(text: str) -> str:
    """A sort key that orders the same way in English and French: accents and case aside
    ("Économie" between "Eco" and "Ed"), and no locale of the machine involved."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _title_key(title: str) -> str:
    """APA orders same-author, same-year works by title, leaving out a leading article."""
    return collation_key(_LEADING_ARTICLE.sub("", title.strip("«»“”\"' [")))


def _distinguish(records: dict[str, Source]) -> None:
    """One rule for short citations, APA's (7th ed., 8.19): different records never share one.
    Records whose typed citation is the same ("Braesemann et al. (2022)": the article and each file
    of its replication data; "Lee et al. (2013)": the article and the copy we read it in) get a
    letter after the year, "(2022a)", "(2022b)", in the order of their titles (then source_id, for
    a copy with its original's title), as APA letters same-author, same-year works; each is its own
    entry in the references, title and address told apart there. Letters are the same in English
    and French. An undated citation ("Transpay") has no year to letter: two such must be typed apart."""
    groups: dict[str, list[Source]] = {}
    for source in records.values():
        groups.setdefault(source.fields["citation"], []).append(source)
    for citation, group in groups.items():
        if len(group) < 2:
            continue
        found = _CITED_YEAR.search(citation)
        if not found:
            first = group[0].fields
            raise EtlError(
                first["_file"],
                f"{len(group)} sources share the undated citation {citation!r} "
                f"({', '.join(s.source_id for s in group)}): type them apart",
                int(first["_line"]),
            )
        ordered = sorted(group, key=lambda s: (_title_key(s.fields["title"]), s.source_id))
        for letter, source in zip("abcdefghijklmnopqrstuvwxyz", ordered, strict=False):
            source.fields["citation"] = citation[: found.end(1)] + letter + citation[found.end(1) :]


def load(directory: Path = SOURCES_DIR) -> dict[str, Source]:
    """Every record of every YAML file, checked field by field."""
    records: dict[str, Source] = {}
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise EtlError(directory, "no source registry (*.yaml) found")
    lines: dict[str, dict[str, int]] = {}
    for path in files:
        for line, fields in _records(path):
            values = _check(path, line, fields)
            sid = values["source_id"]
            if sid in records:
                raise EtlError(
                    path, f"duplicate source_id {sid!r} (first in {records[sid].fields['_file']})", line
                )
            values["year"] = values.get("date_published", "")[:4]  # undated pages: empty
            values["_file"] = str(path)
            values["_line"] = str(line)
            records[sid] = Source(sid, values)
            lines[sid] = {name: at for name, (at, _) in fields.items()}
    for source in records.values():
        for link in ("secondary_of", "relayed_in"):
            target = source.fields.get(link, "")
            if target and target not in records:
                raise EtlError(
                    source.fields["_file"],
                    f"source {source.source_id!r}: {link} names unknown source_id {target!r}",
                    lines[source.source_id][link],
                )
    _distinguish(records)
    return records


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_raw(records: dict[str, Source], datasets: Path = DATASETS) -> RawFiles:
    """Each raw file's checksum against its record; returns source_id → path."""
    paths = RawFiles(datasets / "sources")
    for source in records.values():
        relative = source.fields.get("path", "")
        if not relative:
            continue
        path = datasets / relative
        expected = source.fields.get("sha256", "")
        if not path.is_file():
            raise EtlError(path, f"raw file of source {source.source_id!r} is missing")
        if not expected:
            raise EtlError(source.fields["_file"], f"source {source.source_id!r} has a path but no sha256")
        actual = sha256(path)
        if actual != expected:
            raise EtlError(
                path, f"checksum mismatch: expected {expected}, found {actual} (source {source.source_id!r})"
            )
        paths[source.source_id] = path
    return paths


def table(records: dict[str, Source]) -> pd.DataFrame:
    rows = [{name: source.fields.get(name, "") for name in COLUMNS} for source in records.values()]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["year"] = pd.to_numeric(frame["year"].replace("", None)).astype("Int64")
    return frame.sort_values("source_id").reset_index(drop=True)
