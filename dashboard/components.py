"""Small pieces every page uses: source captions and "Cite this chart", table and CSV views, charts."""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar, cast
from urllib.parse import urlencode

import orjson
import pandas as pd
import plotly.graph_objects as go
import plotly.io
import pyarrow as pa
import streamlit as st

from dashboard import citations, embed, exports, i18n, lesson, newest, url_state
from dashboard.caching import per_language
from dashboard.charts import PLOTLY, TOPOJSON_URL, locked
from dashboard.i18n import t
from dashboard.i18n.typography import for_language
from dashboard.text import plain

T = TypeVar("T")

# What the page drew, for the lesson pack (pack/lesson.py): when a list, each chart, caption and
# table of a run is appended to it. None in the app (the pack runs each view on its own, headless).
CAPTURE: list[dict[str, object]] | None = None
# The chart the page drew last in this session's run (each session runs in its own thread): the
# "Add to my lesson" button under it takes its name.
_RUN = threading.local()


def new_run() -> None:
    """Called once per run, before the page: nothing drawn yet (a script thread serves many runs,
    and an interrupted run must not hand its last chart to the next run's first caption)."""
    _RUN.chart = _RUN.spec = _RUN.captioned = ""
    _RUN.offered = set()


def drawn(name: str, spec: str = "") -> None:
    """Chart `name` was drawn (`spec`: its figure's JSON): the caption below it offers it to the
    lesson, to embed and as PNGs."""
    _RUN.chart = name
    _RUN.spec = spec


def _take_drawn() -> tuple[str, str]:
    name, spec = getattr(_RUN, "chart", ""), getattr(_RUN, "spec", "")
    _RUN.chart = _RUN.spec = ""
    return str(name), str(spec)


def citation_text(source_ids: Iterable[str], relayed: Iterable[str] = ()) -> str:
    main = sorted({citations.short(s) for s in source_ids if s})
    studies = sorted({citations.short(s) for s in relayed if s})
    text = t("common.source_prefix") + " " + "; ".join(main) if main else t("common.no_data")
    if studies:
        text += f" — {t('common.relaying')} " + "; ".join(studies)
    return text


def view_address() -> str:
    """The address of the view on screen, with every control's value and the language."""
    try:
        base = (st.context.url or "").split("?")[0]
    except Exception:  # AppTest has no browser URL
        base = ""
    params = url_state.link_params(view_only=True) | {"lang": [i18n.lang()]}
    return f"{base}?{urlencode(params, doseq=True)}"


def source_line(
    frame: pd.DataFrame | None = None, source_ids: Sequence[str] = (), note: str = "", newest_date: str = ""
) -> str:
    """The sources behind what is shown (plain text, the reader's typography), from the rows
    themselves, then `note`, then the date of the newest data point (dashboard/newest.py;
    `newest_date`: the page's own, ISO, for a chart drawn without its table): the caption under a
    chart in the app, in the classroom pack, on a lesson's slides and in the embed images."""
    ids, relayed = _sources_of(frame, source_ids)
    if frame is not None and len(frame):
        said = per_object(
            frame,
            ("newest", i18n.lang(), tuple(ids), newest_date),
            lambda: newest.sentence(frame, ids, newest_date),
        )
    else:
        said = _newest_of_sources(tuple(ids), newest_date)
    return _source_line(tuple(ids), tuple(relayed), note, said)


@per_language
def _newest_of_sources(ids: tuple[str, ...], given: str) -> str:
    return newest.sentence(None, list(ids), given)


@per_language
def _source_line(ids: tuple[str, ...], relayed: tuple[str, ...], note: str, said: str = "") -> str:
    caption = citation_text(ids, relayed)
    for sentence in (note, said):
        if sentence:
            caption += (" " if caption.endswith(".") else ". ") + sentence
    return for_language(caption, i18n.lang())


def _sources_of(frame: pd.DataFrame | None, source_ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """The source ids of `source_ids` and of `frame`'s rows, and the studies its rows relay
    (read once per shared frame)."""
    if frame is None or not len(frame):
        return list(source_ids), []

    def read() -> tuple[list[str], list[str]]:
        ids = [str(s) for s in frame["source_id"].dropna().unique() if s]
        relayed: list[str] = []
        if "secondary_of" in frame:
            relayed = [str(s) for s in frame["secondary_of"].dropna().unique() if s]
        return ids, relayed

    ids, relayed = per_object(frame, "source_ids", read)
    return [*source_ids, *ids], relayed


@per_language
def _chart_citation(title: str, address: str, ids: tuple[str, ...], day: dt.date) -> tuple[str, ...]:
    """The "Cite this chart" paragraphs (citeproc renders each reference: a millisecond or two)."""
    return tuple(citations.chart_citation(title, address, ids).split("\n\n"))


def source_caption(
    frame: pd.DataFrame | None = None,
    source_ids: Sequence[str] = (),
    note: str = "",
    cite: str = "",
    newest_date: str = "",
) -> None:
    """The sources behind what is shown, under the chart, from the rows themselves, and the date of
    its newest data point; with `cite` (the chart's title), a "Cite this chart" expander with the
    chart's reference and its sources'."""
    line = source_line(frame, source_ids, note, newest_date)
    st.caption(plain(line))
    chart_name, chart_json = _take_drawn()
    _RUN.captioned = chart_name  # the table that follows is this chart's (the lesson pack's CSV)
    if CAPTURE is not None:
        ids, relayed = _sources_of(frame, source_ids)
        CAPTURE.append(
            {"kind": "source", "line": line, "title": cite, "chart": chart_name, "ids": [*ids, *relayed]}
        )
    if cite:
        ids, relayed = _sources_of(frame, source_ids)
        with st.expander(t("cite.title")):
            for paragraph in _chart_citation(cite, view_address(), (*ids, *relayed), dt.date.today()):
                st.markdown(plain(paragraph))
        offered: set[str] = getattr(_RUN, "offered", set())
        if chart_name and chart_name not in offered:  # a name drawn twice is offered once
            offered.add(chart_name)
            _RUN.offered = offered
            if embed.caption(chart_name, cite, line, view_address()):
                return
            lesson_button(chart_name, cite)
            if chart_json:
                embed.offer(chart_name, cite, line, chart_json)


def lesson_button(chart_name: str, title: str) -> None:
    """ "Add to my lesson": this chart in this view, at the end of the reader's lesson (the Lesson
    page; dashboard/lesson.py)."""
    page = str(st.session_state.get(url_state.SCOPE, ""))
    slide = lesson.slide_from(page, chart_name, url_state.link_params(view_only=True), title)
    if slide is None:
        return
    st.button(
        t("lesson.add"),
        key=f"lesson-add-{chart_name}",
        on_click=lesson.add,
        args=(slide,),
        help=t("lesson.add_help"),
    )


def export_rows(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    drop: Sequence[str] = (),
    names: dict[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """The rows a chart's table view and CSV give, for people (dashboard/exports.py): `columns`
    of `frame` less `drop`, human headers, codes in words, citations beside source ids."""
    return exports.human(frame, columns, drop, names)


def csv_bytes(rows: pd.DataFrame) -> bytes:
    """The CSV file of export_rows(), in the reader's conventions (exports.csv_bytes)."""
    return exports.csv_bytes(rows)


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

    # The dict is bound here: at interpreter exit the module's globals are already None when the
    # last objects die ("'NoneType' object has no attribute 'pop'").
    def forget(
        _gone: object,
        key: tuple[int, Hashable] = key,
        derived: dict[tuple[int, Hashable], tuple[weakref.ref[object], object]] = _DERIVED,
    ) -> None:
        derived.pop(key, None)

    _DERIVED[key] = (weakref.ref(obj, forget), made)
    return made


_DERIVED: dict[tuple[int, Hashable], tuple[weakref.ref[object], object]] = {}


def table_and_csv(
    frame: pd.DataFrame,
    name: str,
    key: str,
    columns: Sequence[str] | None = None,
    drop: Sequence[str] = (),
    names: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """A table alternative to the chart and a CSV of exactly these rows (`columns` of them, less
    `drop`), with their citations, human headers and words for codes (dashboard/exports.py).
    `names`: the names of the nodes that index columns (a Sankey's source/target) number.
    `frame` must not change afterwards: its table and CSV are remembered, per language."""

    def build() -> tuple[pa.Table, bytes]:
        table = exports.human(frame, columns, drop, names)
        # st.dataframe converts a pandas frame to Arrow on every rerun (2-3 ms a table): the
        # table, the same for every visitor, is converted once.
        shown = pa.Table.from_pandas(exports.for_screen(table), preserve_index=False)
        return shown, exports.csv_bytes(table)

    named = tuple((k, tuple(v)) for k, v in (names or {}).items())
    tag = ("csv", i18n.lang(), tuple(columns or ()), tuple(drop), named)
    shown, csv = per_object(frame, tag, build)
    if CAPTURE is not None:
        CAPTURE.append(
            {
                "kind": "rows",
                "name": name,
                "chart": getattr(_RUN, "captioned", ""),
                "rows": exports.human(frame, columns, drop, names),
            }
        )
    # A lazy expander: the table is sent only once a reader opens it (a rerun). Streamlit's data
    # grid is ~0.29 MB of JavaScript (brotli) that a first visit would otherwise load for tables
    # nobody opened (issue 21's first-visit budget; BENCHMARKS.md, bytes of a first visit).
    view = st.expander(t("common.table_view"), key=f"table-{key}", on_change="rerun")
    with view:
        if view.open:
            st.dataframe(shown, hide_index=True, width="stretch")
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


def spec(figure: go.Figure, scheme: str | None) -> tuple[str, int | None]:
    """The JSON that st.plotly_chart would send for `figure` in the `scheme` theme (None: as it
    is, already styled), and the figure's own height: serialised once per figure and scheme, not on every rerun.

    st.plotly_chart turns a figure into a dict (to_dict copies it and base64-encodes its arrays)
    and then into JSON on every call: 5-15 ms a chart, most of a rerun on the pages with four
    charts. The figures are shared and never change once built, so their JSON does not either."""

    def build() -> tuple[str, int | None]:
        shown = styled(figure, scheme) if scheme else figure
        with PLOTLY:
            as_dict = shown.to_dict()
            text = plotly.io.to_json(as_dict, validate=False)
        height = as_dict.get("layout", {}).get("height")
        return text, int(height) if height else None

    return per_object(figure, ("spec", scheme), build)


@functools.lru_cache(maxsize=32)
def _parsed(text: str) -> dict[str, object]:
    parsed: dict[str, object] = json.loads(text)
    return parsed


def with_trace(text: str, trace: dict[str, object]) -> str:
    """A figure's JSON (spec()) with one more trace drawn on top: for a line that changes with a
    control over a figure that does not (the Projections scenario)."""
    figure = _parsed(text)
    return orjson.dumps({**figure, "data": [*figure["data"], trace]}).decode()  # type: ignore[misc]


def _plotly_element(
    text: str, height: int | None, config: dict[str, object], alt: str, key: str | None
) -> None:
    """What st.plotly_chart(figure, width="stretch", config=config, alt=alt, key=key) sends, from
    the figure's JSON made beforehand (spec()). It uses Streamlit's own element builders, which are
    internal: tests/test_components.py checks that the element is the one st.plotly_chart makes,
    field for field, so a Streamlit upgrade that changes them fails there first."""
    from streamlit.elements.lib.form_utils import current_form_id
    from streamlit.elements.lib.layout_utils import LayoutConfig
    from streamlit.elements.lib.utils import compute_and_register_element_id, normalize_alt
    from streamlit.proto.PlotlyChart_pb2 import PlotlyChart as PlotlyChartProto

    dg = st._main  # as st.plotly_chart: the container a `with` block opened, else the main one
    proto = PlotlyChartProto()
    proto.theme = "streamlit"
    proto.form_id = current_form_id(dg)
    proto.spec = text
    proto.config = json.dumps(config)
    normalized = normalize_alt(alt)
    if normalized is not None:
        proto.alt = normalized
    proto.id = compute_and_register_element_id(
        "plotly_chart",
        user_key=key,
        key_as_main_identity=False,
        dg=dg,
        plotly_spec=proto.spec,
        plotly_config=proto.config,
        selection_mode=("points", "box", "lasso"),
        is_selection_activated=False,
        theme="streamlit",
        width="stretch",
        height="content",
        alt=normalized,
    )
    dg._enqueue("plotly_chart", proto, layout_config=LayoutConfig(width="stretch", height=height or 450))


def chart_spec(text: str, height: int | None, name: str, alt: str, key: str | None = None) -> None:
    """chart() for a figure given as its JSON (spec(), with_trace())."""
    _draw(text, height, name, alt, key)
    _drew(name, text, alt)


def _draw(text: str, height: int | None, name: str, alt: str, key: str | None) -> None:
    """The chart, in the embedded view's container when it is the one `?chart=` asks for."""
    box = embed.box_for(name)
    if box is None:
        _plotly_element(text, height, _config(name), alt, key)
    else:
        with box:
            _plotly_element(text, height, _config(name), alt, key)


def stand_in(figure: go.Figure, name: str, alt: str) -> None:
    """A chart the page draws with another library (the Flows map, deck.gl), offered under it as
    its plotly drawing of the same view: to the lesson (and its pack) and as PNGs. Not drawn."""
    text, _ = spec(figure, scheme())
    _drew(name, text, alt)


def _drew(name: str, text: str, alt: str) -> None:
    drawn(name, text)
    if CAPTURE is not None:
        CAPTURE.append({"kind": "chart", "name": name, "spec": text, "alt": alt})


def _config(name: str) -> dict[str, object]:
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
        "topojsonURL": TOPOJSON_URL,  # world maps: our own empty base topology, never plotly's CDN
    }


def chart(figure: go.Figure, name: str, alt: str, key: str | None = None, restyle: bool = True) -> None:
    """A plotly chart with its alt text and readable labels; the camera saves a 2× PNG named after it.

    `figure` must not be changed after it is drawn: its styled copy and its JSON are remembered.
    restyle=False: `figure` is already styled(…, scheme())."""
    text, height = spec(figure, scheme() if restyle else None)
    _draw(text, height, name, alt, key)
    _drew(name, text, alt)
