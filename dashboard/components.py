"""Small pieces every page uses: source captions, notices for bad URL values, table and CSV views."""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar, cast

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import data
from dashboard.charts import PLOTLY, TOPOJSON_URL, locked
from dashboard.i18n import t

T = TypeVar("T")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]#|<>~$])")
_LINE_START = re.compile(r"(?m)^(\s*)([-+>]|\d+\.)")


def plain(text: str) -> str:
    """Text shown as is: Markdown's active characters escaped (and list or quote markers at the
    start of a line), so data and URL text can never become markup, links or HTML."""
    escaped = _MARKDOWN.sub(r"\\\1", str(text))
    return _LINE_START.sub(
        lambda m: m.group(1) + (m.group(2)[:-1] + "\\." if m.group(2).endswith(".") else "\\" + m.group(2)),
        escaped,
    )


def citation_text(source_ids: Iterable[str], relayed: Iterable[str] = ()) -> str:
    cite = data.citations()
    main = sorted({cite.get(s, s) for s in source_ids if s})
    studies = sorted({cite.get(s, s) for s in relayed if s})
    text = t("common.source_prefix") + " " + "; ".join(main) if main else t("common.no_data")
    if studies:
        text += f" — {t('common.relaying')} " + "; ".join(studies)
    return text


def source_line(frame: pd.DataFrame | None = None, source_ids: Sequence[str] = (), note: str = "") -> str:
    """The sources behind what is shown (plain text), from the rows themselves, then `note`."""
    ids = list(source_ids)
    relayed: list[str] = []
    if frame is not None and len(frame):
        ids += [str(s) for s in frame["source_id"].dropna().unique() if s]
        if "secondary_of" in frame:
            relayed = [str(s) for s in frame["secondary_of"].dropna().unique() if s]
    caption = citation_text(ids, relayed)
    if note:
        caption += f". {note}"
    return caption


def source_caption(frame: pd.DataFrame | None = None, source_ids: Sequence[str] = (), note: str = "") -> None:
    """The sources behind what is shown, under the chart, from the rows themselves."""
    st.caption(plain(source_line(frame, source_ids, note)))


def per_object(obj: object, tag: Hashable, build: Callable[[], T]) -> T:
    """`build()`, made once per live object `obj` (and `tag`), then remembered until `obj` is gone.

    Figures and frames come from cached builders and are shared, read-only, between sessions; what
    is derived from them for display (a styled copy, a CSV) is derived once instead of on every
    rerun. An object built afresh on each run gets its derivative built afresh too."""
    key = (id(obj), tag)
    hit = _DERIVED.get(key)
    if hit is not None and hit[0]() is obj:
        return cast(T, hit[1])
    made = build()

    def forget(_gone: object, key: tuple[int, Hashable] = key) -> None:
        _DERIVED.pop(key, None)

    _DERIVED[key] = (weakref.ref(obj, forget), made)
    return made


_DERIVED: dict[tuple[int, Hashable], tuple[weakref.ref[object], object]] = {}


def export_rows(
    frame: pd.DataFrame, columns: Sequence[str] | None = None, drop: Sequence[str] = ()
) -> pd.DataFrame:
    """The rows a chart's table view and CSV show: `columns` of `frame` (all by default) less
    `drop`, with each row's citation beside its source_id."""
    out = frame[list(columns)] if columns is not None else frame
    out = out.drop(columns=list(drop), errors="ignore")
    if "source_id" in out and "citation" not in out:
        out = out.assign(citation=out["source_id"].map(data.citations()))
    return out


def csv_bytes(rows: pd.DataFrame) -> bytes:
    """The CSV file of export_rows(): UTF-8, no index."""
    return rows.to_csv(index=False).encode("utf-8")


def table_and_csv(
    frame: pd.DataFrame,
    name: str,
    key: str,
    columns: Sequence[str] | None = None,
    drop: Sequence[str] = (),
) -> None:
    """A table alternative to the chart and a CSV of exactly these rows (`columns` of them, less
    `drop`), with their citations. `frame` must not change afterwards: its CSV is remembered."""

    def build() -> tuple[pd.DataFrame, bytes]:
        out = export_rows(frame, columns, drop)
        return out, csv_bytes(out)

    out, csv = per_object(frame, ("csv", tuple(columns or ()), tuple(drop)), build)
    with st.expander(t("common.table_view")):
        st.dataframe(out, hide_index=True, width="stretch")
    st.download_button(
        t("common.download_csv"),
        data=csv,
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{key}",
        on_click="ignore",
    )


# Streamlit's chart theme draws axis labels in a light grey (3.7:1 on white, under WCAG AA's 4.5:1);
# text is set in the theme's own text colour instead.
TEXT = {"light": "#1A1A1A", "dark": "#F1F1F1"}


def styled(figure: go.Figure, scheme: str) -> go.Figure:
    """`figure` with its text in the `scheme` theme's text colour: a copy, made once per figure
    (copying and re-validating a figure on every rerun cost 30-90 ms a chart, see BENCHMARKS.md)."""

    @locked
    def build() -> go.Figure:
        colour = TEXT.get(scheme, TEXT["light"])
        shown = go.Figure(figure)  # never restyle the shared original
        shown.update_layout(font_color=colour, legend_font_color=colour)
        shown.update_xaxes(tickfont_color=colour, title_font_color=colour)
        shown.update_yaxes(tickfont_color=colour, title_font_color=colour)
        return shown

    return per_object(figure, ("styled", scheme), build)


def scheme() -> str:
    """The viewer's theme, light or dark."""
    try:
        return st.context.theme.type or "light"
    except Exception:  # AppTest has no browser theme
        return "light"


def chart(figure: go.Figure, name: str, alt: str, key: str | None = None, restyle: bool = True) -> None:
    """A plotly chart with its alt text and readable labels; the camera saves a 2× PNG named after it.

    `figure` must not be changed after it is drawn: its styled copy is remembered. restyle=False:
    `figure` is already styled(…, scheme())."""
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
        "topojsonURL": TOPOJSON_URL,  # world maps: our own empty base topology, never plotly's CDN
    }
    shown = styled(figure, scheme()) if restyle else figure
    with PLOTLY:  # st.plotly_chart reads the shared figure (to_dict, to_json)
        st.plotly_chart(shown, width="stretch", config=config, alt=alt, key=key)
