"""The bibliography: one record per publication or raw file, read from datasets/sources/*.yaml."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from etl.errors import EtlError
from etl.paths import DATASETS, SOURCES_DIR

KINDS = {"seed", "report", "paper", "press", "dataset", "blog", "seminar"}
LANGUAGES = {"fr", "en", "ko"}
REQUIRED = ("source_id", "producer", "title", "licence", "citation", "language", "kind")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

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
    "origin",
    "verification",
    "access_note",
    "caveat",
]


@dataclass(frozen=True)
class Source:
    source_id: str
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def citation(self) -> str:
        return self.fields["citation"]


def _line_of(text: str, source_id: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.search(rf"source_id:\s*['\"]?{re.escape(source_id)}['\"]?\s*$", line):
            return number
    return None


def load(directory: Path = SOURCES_DIR) -> dict[str, Source]:
    """Every record of every YAML file, checked field by field."""
    records: dict[str, Source] = {}
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise EtlError(directory, "no source registry (*.yaml) found")
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            entries = yaml.safe_load(text) or []
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise EtlError(path, f"not valid YAML: {error}", mark.line + 1 if mark else None) from None
        if not isinstance(entries, list):
            raise EtlError(path, "must be a list of source records")
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise EtlError(path, f"record {index + 1} is not a mapping")
            sid = str(entry.get("source_id", "")).strip()
            line = _line_of(text, sid) if sid else None
            for name in REQUIRED:
                if not str(entry.get(name, "") or "").strip():
                    raise EtlError(path, f"source {sid or index + 1!r} lacks {name!r}", line)
            if not SLUG.match(sid):
                raise EtlError(path, f"source_id {sid!r} is not a lowercase slug", line)
            if sid in records:
                raise EtlError(path, f"duplicate source_id {sid!r}", line)
            values = {key: "" if value is None else str(value).strip() for key, value in entry.items()}
            if values["kind"] not in KINDS:
                raise EtlError(path, f"source {sid!r}: unknown kind {values['kind']!r}", line)
            if values["language"] not in LANGUAGES:
                raise EtlError(path, f"source {sid!r}: unknown language {values['language']!r}", line)
            if values.get("date_published", "") and not DATE.match(values["date_published"]):
                raise EtlError(
                    path,
                    f"source {sid!r}: date_published {values['date_published']!r} is not YYYY[-MM[-DD]]",
                    line,
                )
            values["year"] = values.get("date_published", "")[:4]  # undated pages: empty
            values["_file"] = str(path)
            values["_line"] = str(line or "")
            records[sid] = Source(sid, values)
    for source in records.values():
        for link in ("secondary_of", "relayed_in"):
            target = source.fields.get(link, "")
            if target and target not in records:
                raise EtlError(
                    source.fields["_file"],
                    f"source {source.source_id!r}: {link} names unknown source_id {target!r}",
                    int(source.fields["_line"]) if source.fields["_line"] else None,
                )
    return records


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_raw(records: dict[str, Source], datasets: Path = DATASETS) -> dict[str, Path]:
    """Each raw file's checksum against its record; returns source_id → path."""
    paths: dict[str, Path] = {}
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
