"""Tables for people: the rows behind a chart with human headers, names and words instead of codes.

One format, for the table views and the CSV downloads alike:
- headers in the reader's language, from the `column.<name>` messages (i18n/*/columns.json); a
  column without a header is an error that tests/test_exports.py finds on every page;
- codes in words where they are codes (`more_than` → "more than", `USD_per_task`, `micro_work`,
  true/false → yes/no), node indices replaced by the nodes' names, `<br>` by a space;
- empty cells where a value is missing (never "None", "nan" or "<NA>");
- the short citation of each row next to its source_id (and of the study next to secondary_of).
CSV files: UTF-8 with a byte-order mark (so that Excel reads accents), comma-separated with a
decimal point in English, semicolon-separated with a decimal comma in French (what a spreadsheet
in each language expects), no thousands separators, at most 10 significant digits. The data package
(Sources page) keeps the machine names and formats: it is the reference for reuse.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd
from babel.numbers import format_decimal

from dashboard import citations, i18n
from dashboard.i18n import catalogue, t

# Columns whose values are codes with a message of their own: column → message prefix.
CODES = {
    "qualifier": "qualifier",
    "unit": "unit",
    "unit_normalised": "unit",
    "per": "per",
    "kind": "kind",
    "occupation": "occupation",
    "region": "region",
    "casilli_type": "ptype",
    "type": "ptype",
    "role": "map.role",
}
# Columns that hold positions in a list (a Sankey's node numbers): meaningless without the list.
INDEX_COLUMNS = ("source", "target")
# Chart artefacts, never a column of a table.
NEVER = ("hover", "width", "colour", "color")
MISSING = {"None", "nan", "NaN", "<NA>", "NaT"}


class IndexColumnError(ValueError):
    """A table would show node numbers instead of names."""


def header(column: str) -> str:
    return t(f"column.{column}")


def _code(prefix: str, value: object) -> object:
    if not isinstance(value, str) or not value:
        return value
    key = f"{prefix}.{value}"
    return t(key) if key in catalogue(i18n.lang()) else value


def human(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    drop: Sequence[str] = (),
    names: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """`frame` (its `columns`, less `drop`) as a person reads it, with machine column names still:
    words for codes, names for indices, citations beside source ids, no missing-value markers."""
    language = i18n.lang()
    out = (frame[list(columns)] if columns is not None else frame).copy()
    out = out.drop(columns=[c for c in (*drop, *NEVER) if c in out.columns])
    for column in INDEX_COLUMNS:
        if column in out and pd.api.types.is_integer_dtype(out[column]):
            if not names or column not in names:
                raise IndexColumnError(f"column {column!r} holds node numbers: pass the nodes' names")
            labels = [str(n).strip() for n in names[column]]
            out[column] = out[column].map(lambda i, labels=labels: labels[int(i)])
    if "label" in out:  # the page's own label, in the reader's language already
        out = out.drop(columns=["label_en", "label_fr"], errors="ignore")
    else:
        if "label_en" in out and language == "fr" and "label_fr" in frame:
            out["label_en"] = frame.loc[out.index, "label_fr"]
        out = out.rename(columns={"label_en": "label"}).drop(columns=["label_fr"], errors="ignore")
    # A code beside its words ("qualifier" and "qualifier_label"): the words are kept.
    out = out.drop(columns=[c for c in out.columns if f"{c}_label" in out.columns])
    for column, prefix in CODES.items():
        if column in out and (out[column].dtype == object or pd.api.types.is_string_dtype(out[column])):
            out[column] = out[column].map(lambda v, prefix=prefix: _code(prefix, v))
    for column in out.columns:
        if pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map({True: t("common.yes"), False: t("common.no")})
    for ids, cited in (("source_id", "citation"), ("secondary_of", "study_citation")):
        if ids in out:
            out = out.drop(columns=[cited], errors="ignore")
            out.insert(out.columns.get_loc(ids) + 1, cited, citations.shorts(out[ids], language).values)
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
            text = out[column].astype("string").fillna("").str.replace("<br>", " ", regex=False)
            out[column] = text.mask(text.isin(MISSING), "").astype(object)
    return out.reset_index(drop=True)


def _number(value: object) -> str:
    """A number in the reader's locale, with thousands separators, as many decimals as it has
    (to 6 significant digits); empty when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    number = float(value)  # type: ignore[arg-type]
    if number.is_integer() and abs(number) < 1e15:
        return format_decimal(int(number), format="#,##0", locale=i18n.locale())
    shown = f"{number:.6g}"
    if "e" in shown:
        return shown
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    return format_decimal(float(shown), format="#,##0." + "#" * decimals, locale=i18n.locale())


def headers(table: pd.DataFrame) -> dict[str, str]:
    """Each column's header; two columns with one header are an error (a reader could not tell them
    apart)."""
    named = {column: header(column) for column in table.columns}
    twice = sorted({h for h in named.values() if list(named.values()).count(h) > 1})
    if twice:
        raise ValueError(f"columns {sorted(table.columns)} share the headers {twice}")
    return named


def for_screen(table: pd.DataFrame) -> pd.DataFrame:
    """A human table with its headers, numbers written as the reader's locale writes them."""
    shown = table.copy()
    for column in shown.columns:
        if pd.api.types.is_numeric_dtype(shown[column]) and not pd.api.types.is_bool_dtype(shown[column]):
            shown[column] = shown[column].map(_number).astype(object)
    return shown.rename(columns=headers(shown))


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A human table as CSV: headers in the reader's language, the language's separators, UTF-8
    with a byte-order mark."""
    french = i18n.lang() == "fr"
    text = table.rename(columns=headers(table)).to_csv(
        index=False,
        sep=";" if french else ",",
        decimal="," if french else ".",
        float_format="%.10g",
        na_rep="",
    )
    return text.encode("utf-8-sig")
