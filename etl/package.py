"""Writing the tidy tables and datapackage.json, all or nothing."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from etl.paths import DATAPACKAGE, DATASETS, GEOMETRY_NAME, TIDY
from etl.schemas import BY_NAME, TABLES


def to_csv(frame: pd.DataFrame) -> str:
    """Deterministic CSV: fixed column order, LF endings, floats to 10 significant digits.

    The bytes are those of `frame.to_csv(index=False, lineterminator="\n", float_format="%.10g")`
    (the same csv module writes them); the cells are formatted here, column by column, because
    pandas formats each float through several calls and that was a tenth of the build's time.
    """
    cells: list[list[str]] = []
    for name in frame.columns:
        column = frame[name]
        if column.dtype == np.float64:
            cells.append(["" if v != v else f"{v:.10g}" for v in column.to_numpy().tolist()])
        else:
            values = column.astype(object).where(column.notna(), None).tolist()
            cells.append(["" if v is None else str(v) for v in values])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([str(name) for name in frame.columns])
    writer.writerows(zip(*cells, strict=True))
    return out.getvalue()


# Open Definition / SPDX identifiers for the licence texts of the registry; the text itself goes
# in the licence's title. The first match wins, so a text naming the data's licence first (as
# "CC BY 4.0 (data); packaging MIT …") is named by it.
LICENCE_NAMES = (
    ("not stated", "notspecified"),
    ("not known", "notspecified"),
    ("cc by 4.0", "CC-BY-4.0"),
    ("cc-by-4.0", "CC-BY-4.0"),
    ("cc0", "CC0-1.0"),
    ("apache-2.0", "Apache-2.0"),
    ("pddl", "ODC-PDDL-1.0"),
    ("public domain", "other-pd"),
    ("free reuse with the source acknowledged", "other-at"),
    ("unicode license", "Unicode-3.0"),
    ("©", "other-closed"),
)


def licence_name(text: str) -> str:
    lowered = text.lower()
    found = [(lowered.find(needle), name) for needle, name in LICENCE_NAMES if needle in lowered]
    return min(found)[1] if found else "other"


def _with_publications(used: list[str], secondary: dict[str, str], path: dict[str, str]) -> list[str]:
    """A raw file's sources, followed by the publication each raw file is the data of."""
    studies = [secondary[s] for s in used if path[s] and secondary[s]]
    return used + [s for s in dict.fromkeys(studies) if s not in used]


def descriptor(tables: dict[str, pd.DataFrame], sources: pd.DataFrame) -> dict[str, object]:
    citation = dict(zip(sources["source_id"], sources["citation"], strict=True))
    url = dict(zip(sources["source_id"], sources["url"], strict=True))
    licence = dict(zip(sources["source_id"], sources["licence"], strict=True))
    secondary = dict(zip(sources["source_id"], sources["secondary_of"], strict=True))
    path = dict(zip(sources["source_id"], sources["path"], strict=True))
    resources: list[dict[str, object]] = []
    for table in TABLES:
        frame = tables[table.name]
        used = sorted(set(frame["source_id"]) | set(table.also_from)) if "source_id" in frame else []
        # The licences are those of the rows' own sources, not of the articles added after them;
        # the bibliography itself (sources_from = "") is ours, under the package's licence.
        licences = list(dict.fromkeys(licence[s] for s in used)) if table.sources_from else []
        listed = _with_publications(used, secondary, path)
        schema: dict[str, object] = {
            "fields": [
                {
                    "name": name,
                    "type": spec.type,
                    "description": spec.description,
                    **({"unit": spec.unit} if spec.unit else {}),
                    **({"constraints": {"required": True}} if spec.required else {}),
                }
                for name, spec in table.fields.items()
            ],
            "primaryKey": list(table.primary_key),
            "missingValues": [""],
        }
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": local, "reference": {"resource": resource, "fields": remote}}
                for local, resource, remote in table.foreign_keys
            ]
        resources.append(
            {
                "name": table.name,
                "title": table.title,
                "description": table.description + (f" {table.counted(frame)}" if table.counted else ""),
                "path": f"tidy/{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
                "sources": _source_list(listed, citation, url),
                **(
                    {"licenses": [{"name": licence_name(text), "title": text} for text in licences]}
                    if licences
                    else {}
                ),
            }
        )
    resources.append(
        {
            "name": "world",
            "title": "World country boundaries",
            "description": "Natural Earth 1:50m countries, simplified by the ETL; feature id = ISO3.",
            "path": f"tidy/{GEOMETRY_NAME}",
            "format": "geojson",
            "mediatype": "application/geo+json",
            "encoding": "utf-8",
            "sources": [{"title": citation["naturalearth-50m-admin0"]}],
            "licenses": [
                {
                    "name": licence_name(licence["naturalearth-50m-admin0"]),
                    "title": licence["naturalearth-50m-admin0"],
                }
            ],
        }
    )
    return {
        "name": "digital-labour-atlas",
        "title": "Digital Labour Atlas",
        "description": "Figures on the global flows of digital labour, each traced to its source and sentence, with the reference data needed to compare them.",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Compiled tables: CC BY 4.0; each source keeps its own licence (see the sources table)",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "resources": resources,
    }


def _source_list(used: list[str], citation: dict[str, str], url: dict[str, str]) -> list[dict[str, str]]:
    """One entry per distinct citation (several raw files of one publication share it)."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for s in used:
        out.setdefault((citation[s], url[s]), {"title": citation[s], **({"path": url[s]} if url[s] else {})})
    return list(out.values())


def publish(tables: dict[str, pd.DataFrame], geometry: str, datasets: Path = DATASETS) -> None:
    """Write everything into a temporary folder, then swap it in: a failure leaves the old files."""
    tidy = datasets / TIDY.name
    package = datasets / DATAPACKAGE.name
    staging = Path(tempfile.mkdtemp(prefix=".tidy-new-", dir=datasets))
    try:
        for name, frame in tables.items():
            assert name in BY_NAME, name
            (staging / f"{name}.csv").write_text(to_csv(frame), encoding="utf-8", newline="")
        (staging / GEOMETRY_NAME).write_text(geometry, encoding="utf-8")
        text = json.dumps(descriptor(tables, tables["sources"]), indent=2, ensure_ascii=False) + "\n"
        (staging / DATAPACKAGE.name).write_text(text, encoding="utf-8")
        old = datasets / ".tidy-old"
        if old.exists():
            shutil.rmtree(old)
        new_package = datasets / ".tidy-datapackage.json"
        (staging / DATAPACKAGE.name).rename(new_package)
        if tidy.exists():
            tidy.rename(old)
        try:
            staging.rename(tidy)
            os.replace(new_package, package)
        except OSError:
            if old.exists() and not tidy.exists():
                old.rename(tidy)
            new_package.unlink(missing_ok=True)
            raise
        if old.exists():
            shutil.rmtree(old)
        _publish_static(geometry, datasets)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _publish_static(geometry: str, datasets: Path) -> None:
    """The same GeoJSON as a real file in dashboard/static/, which Streamlit serves to the maps.

    A symbolic link does not do: Streamlit refuses static files that resolve outside the folder.
    Written to a temporary name and renamed, so a reader never sees half a file.
    """
    static = datasets.parent / "dashboard" / "static"
    if not static.is_dir():  # a datasets folder outside the repository (tests): nothing to serve
        return
    target = static / GEOMETRY_NAME
    if target.is_file() and target.read_text(encoding="utf-8") == geometry:
        return
    temporary = static / f".{GEOMETRY_NAME}.new"
    temporary.write_text(geometry, encoding="utf-8")
    os.replace(temporary, target)
