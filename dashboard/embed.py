"""Embed this view: a chart's exact view in another site's page (an iframe), its link, and PNGs with
its title and source line drawn in (issue 22, for journalists and course sites).

`?embed=true&chart=<name>` shows one chart of the page, its title, its source line and a link to
the whole view, with no sidebar: the page still runs as usual (so every value is the view's), and
a style rule hides what is not that chart's (EMBED_STYLE). A name the view does not draw leaves the
whole page shown, with a notice. Who may frame the atlas is the proxy's to say
(`ATLAS_FRAME_ANCESTORS`, deploy/Caddyfile)."""

from __future__ import annotations

import json
import threading
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlencode

import streamlit as st

from dashboard import i18n, url_state
from dashboard.i18n import t
from dashboard.text import plain

KEY = "atlas-embed"  # the container that holds the embedded chart (its class: st-key-atlas-embed)
# Everything of the page that neither is nor holds the embedded chart's container is hidden, at
# every level on the way down to it (columns, tabs, expanders).
EMBED_STYLE = (
    "<style>"
    f'[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"]:has(.st-key-{KEY}) > '
    f":not(.st-key-{KEY}):not(:has(.st-key-{KEY})){{display:none !important}}"
    f'[data-testid="stTabs"]:has(.st-key-{KEY}) [role="tablist"]{{display:none !important}}'
    # columns beside the chart's (the Story's words column) go too
    f'[data-testid="stHorizontalBlock"]:has(.st-key-{KEY}) > :not(:has(.st-key-{KEY})){{display:none !important}}'
    '[data-testid="stMainBlockContainer"]{padding-top:1rem;padding-bottom:1rem}'
    "</style>"
)
SIZES = {"slide": (1920, 1080), "social": (1200, 630)}

_RUN = threading.local()  # this session's run: the chart asked for and its box


def embedded() -> bool:
    """Whether the address says `embed=true`. Streamlit keeps `embed` out of st.query_params (its
    front end reads it itself, to hide its own header); the run's query string still has it."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx()
        query = ctx.query_string if ctx is not None else ""
    except Exception:  # an internal that moved: the page is shown whole, never broken
        return False
    return any(v.lower() == "true" for v in parse_qs(query).get("embed", []))


def requested() -> str:
    """The chart name of `?embed=true&chart=…`, "" when the page is not embedded by chart."""
    if not embedded():
        return ""
    return st.query_params.get("chart", "")[:100]  # any text: only a chart's name will match


def start() -> None:
    """Called once per run before the page: which chart (if any) this embedded view shows. The
    chart's name stays in the address (url_state), and a notice slot waits at the top."""
    _RUN.wanted = requested()
    _RUN.box = None
    _RUN.title = None
    _RUN.notice = None
    if _RUN.wanted:
        url_state.keep_value("chart", _RUN.wanted)
        _RUN.notice = st.empty()


def box_for(name: str) -> Any:
    """The container to draw chart `name` in when it is the embedded one (else None): its title
    slot first, filled once the caption below the chart knows the title."""
    if not getattr(_RUN, "wanted", "") or name != _RUN.wanted or _RUN.box is not None:
        return None
    _RUN.box = st.container(key=KEY)
    _RUN.title = _RUN.box.empty()
    return _RUN.box


def caption(name: str, title: str, line: str, address: str) -> bool:
    """Under the embedded chart: its title (above it), source line and a link to the whole view.
    True when `name` is the embedded chart (the page's own caption is then not drawn)."""
    box = getattr(_RUN, "box", None)
    if box is None or name != getattr(_RUN, "wanted", "") or getattr(_RUN, "captioned", None) is box:
        return False
    _RUN.captioned = box
    if title:
        _RUN.title.subheader(title)
    box.caption(plain(line))
    whole = address.replace("embed=true", "").replace("&&", "&")
    box.markdown(f"[{t('embed.open_whole')}]({whole})")
    return True


def finish() -> None:
    """After the page: hide the rest when the chart was drawn; else say that it is not in this view."""
    wanted = getattr(_RUN, "wanted", "")
    if not wanted:
        return
    if getattr(_RUN, "box", None) is not None:
        st.html(EMBED_STYLE)
    elif _RUN.notice is not None:
        _RUN.notice.warning(t("embed.no_chart", name=plain(wanted)))


def _address(name: str | None) -> str:
    try:
        base = (st.context.url or "").split("?")[0]
    except Exception:  # AppTest has no browser URL
        base = ""
    params = url_state.link_params(view_only=True) | {"lang": [i18n.lang()]}
    if name:
        params |= {"embed": ["true"], "chart": [name]}
    return f"{base}?{urlencode(params, doseq=True)}"


def _field(label: str, value: str, test_id: str, rows: int = 1) -> str:
    tag = (
        f'<textarea data-testid="{test_id}" readonly rows="{rows}" '
        if rows > 1
        else f'<input data-testid="{test_id}" readonly value="{escape(value, quote=True)}" '
    )
    style = (
        'style="width:100%;font:0.85rem/1.5 ui-monospace,monospace;padding:0.35rem;margin-top:0.25rem;'
        'border:1px solid rgba(128,128,128,0.6);border-radius:0.3rem;background:transparent;color:inherit"'
    )
    body = f"{tag}{style}>{escape(value)}</textarea>" if rows > 1 else f"{tag}{style}>"
    return f'<label style="display:block;font-size:0.9rem;margin-bottom:0.5rem">{escape(label)}{body}</label>'


def offer(name: str, title: str, line: str, spec: str) -> None:
    """ "Embed or download this chart": its iframe code and link, and two PNGs drawn on demand."""
    view = st.expander(t("embed.title"), key=f"embed-{name}", on_change="rerun")
    with view:
        if not view.open:
            return
        src = _address(name)
        figure = json.loads(spec)
        height = int(figure.get("layout", {}).get("height") or 450) + 170
        label = f"{title} — {t('overview.title')}" if title else t("overview.title")
        code = (
            f'<iframe src="{escape(src, quote=True)}" title="{escape(label, quote=True)}" '
            f'width="100%" height="{height}" style="border:0" loading="lazy"></iframe>'
        )
        st.html(
            _field(t("embed.iframe", height=height), code, "atlas-embed-code", rows=3)
            + _field(t("embed.link"), _address(None), "atlas-embed-link")
        )
        st.caption(t("embed.png_note"))
        left, right = st.columns(2)
        for column, size in ((left, "slide"), (right, "social")):
            width, height_px = SIZES[size]
            column.download_button(
                t(f"embed.png_{size}", width=width, height=height_px),
                data=_png_maker(figure, title, line, width, height_px),
                file_name=f"{name}-{width}x{height_px}.png",
                mime="image/png",
                key=f"embed-png-{size}-{name}",
                on_click="ignore",
            )


def _png_maker(figure: dict[str, Any], title: str, line: str, width: int, height: int) -> Any:
    """The PNG, drawn when the reader clicks (Streamlit calls this on a thread of its own)."""

    def make() -> bytes:
        from pack import images
        from pack.chart_pages import with_app_theme

        return images.png(with_app_theme(json.loads(json.dumps(figure))), title, line, width, height)

    return make
