"""Small pieces every page uses: source captions, notices for bad URL values, table and CSV views."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import data
from dashboard.i18n import t

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


def source_caption(frame: pd.DataFrame | None = None, source_ids: Sequence[str] = (), note: str = "") -> None:
    """The sources behind what is shown, under the chart, from the rows themselves."""
    ids = list(source_ids)
    relayed: list[str] = []
    if frame is not None and len(frame):
        ids += [str(s) for s in frame["source_id"].dropna().unique() if s]
        if "secondary_of" in frame:
            relayed = [str(s) for s in frame["secondary_of"].dropna().unique() if s]
    caption = citation_text(ids, relayed)
    if note:
        caption += f". {note}"
    st.caption(plain(caption))


def table_and_csv(frame: pd.DataFrame, name: str, key: str) -> None:
    """A table alternative to the chart and a CSV of exactly these rows, with their citations."""
    out = frame.copy()
    if "source_id" in out and "citation" not in out:
        out["citation"] = out["source_id"].map(data.citations())
    with st.expander(t("common.table_view")):
        st.dataframe(out, hide_index=True, width="stretch")
    st.download_button(
        t("common.download_csv"),
        data=out.to_csv(index=False).encode("utf-8"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{key}",
        on_click="ignore",
    )


# Streamlit's chart theme draws axis labels in a light grey (3.7:1 on white, under WCAG AA's 4.5:1);
# text is set in the theme's own text colour instead.
TEXT = {"light": "#1A1A1A", "dark": "#F1F1F1"}


def chart(figure: go.Figure, name: str, alt: str, key: str | None = None) -> None:
    """A plotly chart with its alt text and readable labels; the camera saves a 2× PNG named after it."""
    try:
        scheme = st.context.theme.type or "light"
    except Exception:  # AppTest has no browser theme
        scheme = "light"
    colour = TEXT.get(scheme, TEXT["light"])
    shown = go.Figure(figure)  # figures may be cached and shared between sessions: style a copy
    shown.update_layout(font_color=colour, legend_font_color=colour)
    shown.update_xaxes(tickfont_color=colour, title_font_color=colour)
    shown.update_yaxes(tickfont_color=colour, title_font_color=colour)
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2}}
    st.plotly_chart(shown, width="stretch", config=config, alt=alt, key=key)
