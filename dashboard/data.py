"""Cached loaders: the tidy tables as the ETL wrote them, read once per server process.

`st.cache_resource`, not `cache_data`: every session shares the same read-only frames instead of
unpickling a private copy on each call (pandas' copy-on-write keeps derived frames from touching
them). Nothing may assign into a frame returned here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
# ATLAS_DATASETS: another datasets folder built by `python -m etl --datasets` (a copy that
# `make update` filled, in the tests); by default this repository's.
DATASETS = Path(os.environ.get("ATLAS_DATASETS") or ROOT / "datasets")
# The classroom pack's zip, where `make pack` writes it (a build output, not in git).
PACK_ZIP = ROOT / "dist" / "atlas-pack.zip"
_TYPES = {"string": "string", "integer": "Int64", "number": "float64", "date": "string"}


@st.cache_resource(show_spinner=False)
def package() -> dict[str, object]:
    data: dict[str, object] = json.loads((DATASETS / "datapackage.json").read_text(encoding="utf-8"))
    return data


def _resource(name: str) -> dict[str, object]:
    for resource in package()["resources"]:  # type: ignore[attr-defined]
        if resource["name"] == name:
            return dict(resource)
    raise KeyError(name)


@st.cache_resource(show_spinner=False)
def table(name: str) -> pd.DataFrame:
    """A tidy table with the column types its datapackage schema declares; empty text is ''."""
    resource = _resource(name)
    fields = resource["schema"]["fields"]  # type: ignore[index]
    dtypes = {f["name"]: _TYPES[f["type"]] for f in fields}
    frame = pd.read_csv(
        DATASETS / str(resource["path"]),
        dtype=dtypes,
        keep_default_na=False,
        na_values={f["name"]: [""] for f in fields if f["type"] in ("number", "integer")},
    )
    for column, dtype in dtypes.items():
        if dtype == "string":
            frame[column] = frame[column].fillna("")
    return frame


@st.cache_resource(show_spinner=False)
def world_geojson() -> dict[str, object]:
    data: dict[str, object] = json.loads((DATASETS / "tidy" / "world.geojson").read_text(encoding="utf-8"))
    return data


@st.cache_resource(show_spinner=False)
def citations() -> dict[str, str]:
    sources = table("sources")
    return dict(zip(sources["source_id"], sources["citation"], strict=True))


@st.cache_resource(show_spinner=False)
def country_names() -> dict[str, tuple[str, str]]:
    countries = table("countries")
    return {row.iso3: (row.name_en, row.name_fr) for row in countries.itertuples()}


@st.cache_resource(show_spinner=False)
def figures() -> pd.DataFrame:
    """Figures with their citation, and that of the study they relay, joined once."""
    frame = table("figures").copy()
    cite = citations()
    frame["citation"] = frame["source_id"].map(cite)
    frame["study_citation"] = frame["secondary_of"].map(lambda s: cite.get(s, "") if s else "")
    return frame


LICENCE_NOTE = """Digital Labour Atlas — data package

datapackage.json describes every table (fields, units, sources). Each row names its source_id;
tidy/sources.csv gives each source's citation, address and licence. Attribute as each licence
asks: Online Labour Index (CC BY 4.0), World Bank WDI and income groups (CC BY 4.0), ILOSTAT
(CC BY 4.0), OECD (CC BY 4.0), Natural Earth (public domain), DataHub country codes and US CPI
(ODC-PDDL), ECB ("Source: ECB"). Press quotations are short quotations for commentary.
The compiled tables are released under CC BY 4.0: cite "Digital Labour Atlas" and the sources.
"""


@st.cache_resource(show_spinner=False)
def package_zip() -> bytes:
    """The whole data package, with its licences, as one zip (built once per server)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("digital-labour-atlas/LICENCES.txt", LICENCE_NOTE)
        archive.write(DATASETS / "datapackage.json", "digital-labour-atlas/datapackage.json")
        for path in sorted((DATASETS / "tidy").iterdir()):
            archive.write(path, f"digital-labour-atlas/tidy/{path.name}")
    return buffer.getvalue()
