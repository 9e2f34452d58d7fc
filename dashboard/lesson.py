"""A teacher's lesson: the views she collected, in her order, with her own words; as one URL.

A lesson is a title slide, slides and a closing question. Each slide is one chart of one page in
one view: the page, the chart's name (the file name its CSV and PNG take: `price-ladder`,
`pay-by-occupation-2019`) and the view's URL parameters, which are language-neutral codes
(`metric=supply`, `country=PHL`). Her words (a title in place of the chart's, a sentence or a
question under it) are hers: shown as text, never markup, and apart from the atlas's own sourced
caption. The chart's own title is kept as it was shown when she took it (`label`), for the list;
the pack draws each slide again and takes its title, in each language, from the page itself.

In the URL the lesson is one parameter, `v`: "1." then the lesson's JSON, compressed (zlib) and
base64url-encoded, so that a 20-slide lesson with notes stays a link that mail and chat programs
keep whole. Nothing is stored on the server: the link is the lesson.

Decoding never raises: a link that is not a lesson, too long, or that holds an unknown page,
too many slides or oversized text gives what can be kept and the problems found, which the page
shows as notices (issue 22: "each falls back with a notice").
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
import unicodedata
import zlib
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode

VERSION = "1"
# The pages whose charts a slide can hold (Sources has no chart; the Lesson page is this one).
PAGES = ("overview", "story", "map", "flows", "platforms", "workers", "projections", "wages")
MAX_SLIDES = 20  # a lesson of an hour; the pack's 20-slide build is measured in make bench
MAX_LINK = 12_000  # characters of `v`: browsers and mail keep far longer links; this bounds the work
MAX_JSON = 64_000  # bytes once decompressed: a compressed bomb stops here
MAX_TITLE = 120
MAX_NOTE = 600
MAX_LABEL = 200
MAX_PARAMS = 12
_CHART = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_PARAM_KEY = re.compile(r"[a-z][a-z0-9_]{0,29}")
MAX_VALUE = 100


@dataclass(frozen=True)
class Slide:
    page: str
    chart: str
    params: tuple[tuple[str, str], ...] = ()
    label: str = ""  # the chart's title as the atlas showed it when she took it
    title: str = ""  # hers, in place of the chart's ("" = the chart's own)
    note: str = ""  # her sentence or question under it

    def query(self, lang: str | None = None) -> str:
        """The view's URL parameters (and the language, when given)."""
        pairs = list(self.params) + ([("lang", lang)] if lang else [])
        return urlencode(pairs)

    def address(self, lang: str | None = None) -> str:
        """The view's path and parameters, from the app's root (`wages?basis=real&lang=fr`)."""
        path = "" if self.page == "overview" else self.page
        query = self.query(lang)
        return f"{path}?{query}" if query else path


@dataclass(frozen=True)
class Lesson:
    title: str = ""
    subtitle: str = ""
    closing: str = ""  # the closing question
    slides: tuple[Slide, ...] = field(default_factory=tuple)

    def with_slides(self, slides: list[Slide] | tuple[Slide, ...]) -> Lesson:
        return replace(self, slides=tuple(slides))


def clean_text(text: object, most: int) -> str:
    """Her text as text: control characters (other than line breaks) dropped, Unicode composed,
    trimmed to `most` characters."""
    value = unicodedata.normalize("NFC", str(text))
    value = "".join(c for c in value if c in "\n\t" or unicodedata.category(c)[0] != "C")
    return value.strip()[:most]


def _clean_params(pairs: object) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The view's parameters kept (sorted, without `lang`), and whether any was dropped."""
    if not isinstance(pairs, str):
        return (), pairs not in (None, "")
    kept: list[tuple[str, str]] = []
    dropped = False
    for key, value in parse_qsl(pairs, keep_blank_values=False)[: MAX_PARAMS * 2]:
        if key in ("lang", "embed", "v"):
            continue
        if _PARAM_KEY.fullmatch(key) and len(value) <= MAX_VALUE and "\n" not in value:
            kept.append((key, value))
        else:
            dropped = True
    if len(kept) > MAX_PARAMS:
        kept, dropped = kept[:MAX_PARAMS], True
    return tuple(sorted(kept)), dropped


def slide_from(page: str, chart: str, params: dict[str, list[str]], label: str) -> Slide | None:
    """A slide of the view on screen, or None when it is not one a lesson can hold."""
    if page not in PAGES or not _CHART.fullmatch(chart or ""):
        return None
    pairs = urlencode([(k, v) for k, values in sorted(params.items()) for v in values])
    kept, _ = _clean_params(pairs)
    return Slide(page, chart, kept, clean_text(label, MAX_LABEL))


def encode(lesson: Lesson) -> str:
    """The lesson as the value of the `v` URL parameter."""
    data: dict[str, object] = {
        "s": [
            [s.page, s.chart, urlencode(s.params), s.label, s.title, s.note]
            for s in lesson.slides[:MAX_SLIDES]
        ]
    }
    for key, value in (("t", lesson.title), ("u", lesson.subtitle), ("q", lesson.closing)):
        if value:
            data[key] = value
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packed = base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")
    return f"{VERSION}.{packed}"


@dataclass(frozen=True)
class Decoded:
    lesson: Lesson
    problems: tuple[str, ...] = ()  # message keys (lesson.bad.*), each shown as a notice


def decode(value: str | None) -> Decoded:
    """The lesson in `value` (a `v` URL parameter), and what could not be kept."""
    if not value:
        return Decoded(Lesson())
    if len(value) > MAX_LINK:
        return Decoded(Lesson(), ("lesson.bad.too_long",))
    version, _, packed = value.partition(".")
    if version != VERSION or not packed:
        return Decoded(Lesson(), ("lesson.bad.not_lesson",))
    try:
        compressed = base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(compressed, MAX_JSON)
        if inflater.unconsumed_tail:
            return Decoded(Lesson(), ("lesson.bad.too_long",))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError, RecursionError, MemoryError):
        # RecursionError: JSON nested thousands deep (60,000 "[" compress to 112 characters)
        return Decoded(Lesson(), ("lesson.bad.not_lesson",))
    if not isinstance(data, dict):
        return Decoded(Lesson(), ("lesson.bad.not_lesson",))
    problems: list[str] = []

    def text(raw: object, most: int) -> str:
        if raw is None:
            return ""
        if not isinstance(raw, str):
            problems.append("lesson.bad.slide")
            return ""
        kept = clean_text(raw, most)
        if len(raw.strip()) > most:
            problems.append("lesson.bad.text_cut")
        return kept

    rows = data.get("s") or []
    if not isinstance(rows, list):
        rows, problems = [], [*problems, "lesson.bad.slide"]
    if len(rows) > MAX_SLIDES:
        rows = rows[:MAX_SLIDES]
        problems.append("lesson.bad.too_many")
    slides = []
    for row in rows:
        if not isinstance(row, list) or len(row) != 6:
            problems.append("lesson.bad.slide")
            continue
        page, chart, params, label, title, note = row
        if page not in PAGES or not isinstance(chart, str) or not _CHART.fullmatch(chart):
            problems.append("lesson.bad.unknown_view")
            continue
        kept, dropped = _clean_params(params)
        if dropped:
            problems.append("lesson.bad.params")
        slides.append(
            Slide(page, chart, kept, text(label, MAX_LABEL), text(title, MAX_TITLE), text(note, MAX_NOTE))
        )
    lesson = Lesson(
        text(data.get("t"), MAX_TITLE),
        text(data.get("u"), MAX_TITLE),
        text(data.get("q"), MAX_NOTE),
        tuple(slides),
    )
    return Decoded(lesson, tuple(dict.fromkeys(problems)))


def moved(slides: tuple[Slide, ...], index: int, step: int) -> tuple[Slide, ...]:
    """`slides` with the one at `index` moved `step` places (-1: up, 1: down), within bounds."""
    target = index + step
    if not (0 <= index < len(slides) and 0 <= target < len(slides)):
        return slides
    order = list(slides)
    order[index], order[target] = order[target], order[index]
    return tuple(order)


def removed(slides: tuple[Slide, ...], index: int) -> tuple[Slide, ...]:
    return tuple(s for i, s in enumerate(slides) if i != index)


def added(lesson: Lesson, slide: Slide) -> tuple[Lesson, bool]:
    """`lesson` with `slide` at its end, and whether it was added (not when the lesson is full;
    the same view twice is allowed: she may show it twice, with two questions)."""
    if len(lesson.slides) >= MAX_SLIDES:
        return lesson, False
    return lesson.with_slides((*lesson.slides, slide)), True


# --- The lesson of this session (Streamlit) -------------------------------------------------------
# The lesson being put together lives in the session (so that "Add to my lesson" on any page adds
# to it) and in the Lesson page's URL (`v`), which is the only copy that outlives the session.

STATE = "_lesson"  # session-state key of the Lesson
GENERATION = "_lesson_generation"  # bumped when slides move: the editing fields are drawn afresh
LAST_LINK = "_lesson_link"  # the `v` this session last read or wrote


def current() -> Lesson:
    import streamlit as st

    found = st.session_state.get(STATE)
    return found if isinstance(found, Lesson) else Lesson()


def store(new: Lesson, restructured: bool = False) -> None:
    import streamlit as st

    st.session_state[STATE] = new
    if restructured:
        st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def generation() -> int:
    import streamlit as st

    return int(st.session_state.get(GENERATION, 0))


def add(slide: Slide) -> None:
    """The "Add to my lesson" button's callback: the slide at the lesson's end, and a toast."""
    import streamlit as st

    from dashboard.i18n import t

    grown, ok = added(current(), slide)
    if ok:
        store(grown, restructured=True)
        st.toast(t("lesson.added", count=len(grown.slides)))
    else:
        st.toast(t("lesson.full", most=MAX_SLIDES))


PACK_SECONDS = 300  # the lesson pack's build is given this long before the page says it failed


class BuildFailed(Exception):
    """The lesson pack could not be built; the message says why, for the reader."""


def _zip(link: str, date: str, app_url: str) -> tuple[bytes, tuple[int, ...]]:
    """The lesson pack of `link` (a `v` value), built by `python -m pack --lesson` in a process of
    its own: it runs each slide's page headless, which must not share this server's pages' runs.
    On a timeout the whole process group goes (kaleido's Chromium with it). Also returns the
    numbers of the slides whose view no longer draws their chart (a "No data" slide in the zip)."""
    import os
    import signal
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "pack", f"--lesson={link}", f"--out={tmp}", f"--date={date}"]
        if app_url:
            command.append(f"--app-url={app_url}")
        process = subprocess.Popen(
            command,
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            out, err = process.communicate(timeout=PACK_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise BuildFailed(f"it took more than {PACK_SECONDS} s") from None
        archive = Path(tmp) / "atlas-lesson.zip"
        if process.returncode != 0 or not archive.exists():
            last = (err or out).strip().splitlines()
            raise BuildFailed(last[-1][:300] if last else f"exit status {process.returncode}")
        gone = re.search(r"slides whose chart is gone: \[([\d, ]*)\]", out)
        missing = tuple(int(n) for n in gone.group(1).split(",") if n.strip()) if gone else ()
        return archive.read_bytes(), missing


def _app_root() -> str:
    """The atlas's address (scheme, host, base path) as the browser sees it, "" when unknown or not
    http(s): it becomes each slide's link back to its view."""
    import streamlit as st

    try:
        url = st.context.url or ""
    except Exception:  # AppTest has no browser URL
        return ""
    root = url.split("?")[0].rsplit("/", 1)[0]
    return root if re.fullmatch(r"https?://[^\s\"'<>]+", root) else ""


# One build at a time per server (each is a Python process, forty headless page runs and two
# Chromiums on a two-core machine); the built zips of the day are kept for whoever asks again.
_BUILDING = threading.BoundedSemaphore(1)
_BUILT_LOCK = threading.Lock()
# (link, date, app address) → (zip, slides whose chart is gone), newest last
_built_zip: dict[tuple[str, str, str], tuple[bytes, tuple[int, ...]]] = {}
KEEP_BUILT = 8


def pack_controls(lesson: Lesson) -> None:
    """ "Build the lesson pack", then "Download this lesson (zip)": the same lesson is built once
    per server and day (a room of teachers downloading one lesson waits once)."""
    import datetime as dt

    import streamlit as st

    from dashboard import i18n
    from dashboard.i18n import t

    key = (encode(lesson), dt.date.today().isoformat(), _app_root())
    with _BUILT_LOCK:
        built = _built_zip.get(key)
    if built is None and st.button(t("lesson.build"), key="lesson-build", type="primary"):
        if not _BUILDING.acquire(blocking=False):
            st.info(t("lesson.busy"))
            return
        try:
            with _BUILT_LOCK:
                built = _built_zip.get(key)  # built by another reader meanwhile
            if built is None:
                with st.spinner(t("lesson.building")):
                    built = _zip(*key)
                with _BUILT_LOCK:
                    _built_zip[key] = built
                    while len(_built_zip) > KEEP_BUILT:
                        _built_zip.pop(next(iter(_built_zip)), None)
        except BuildFailed as error:
            st.error(t("lesson.build_failed", reason=str(error)))
            return
        except Exception as error:  # noqa: BLE001 - any failure is told, never a traceback
            st.error(t("lesson.build_failed", reason=type(error).__name__))
            return
        finally:
            _BUILDING.release()
    if built is not None:
        archive, missing = built
        if missing:
            st.warning(t("lesson.missing_slides", numbers=", ".join(str(n) for n in missing)))
        st.download_button(
            t("lesson.download", size=f"{i18n.number(len(archive) / 1e6, 1)} MB"),
            data=archive,
            file_name="atlas-lesson.zip",
            mime="application/zip",
            key="lesson-download",
            on_click="ignore",
            type="primary",
        )


def read_link() -> None:
    """Every run, before the page: a link with a lesson (?v=…) gives the session its lesson, unless
    it is the link this session wrote itself. Problems found in it are shown as notices."""
    import streamlit as st

    from dashboard import url_state
    from dashboard.i18n import t

    link = url_state.url_value("v")
    if link is None or link == st.session_state.get(LAST_LINK):
        return
    decoded = decode(link)
    for problem in decoded.problems:
        st.warning(t(problem, most=MAX_SLIDES))
    store(decoded.lesson, restructured=True)
    st.session_state[LAST_LINK] = link


def write_link() -> None:
    """Every run, after the page: the lesson, while there is one, in the URL of every page (`v`),
    so that a reload, a new tab or a bookmark keeps it: nothing else keeps it (no server storage)."""
    import streamlit as st

    from dashboard import url_state

    lesson = current()
    written = encode(lesson) if lesson != Lesson() else ""
    st.session_state[LAST_LINK] = written
    if written:
        url_state.keep_value("v", written)


def view_link(slide: Slide, lesson: Lesson, lang: str) -> str:
    """The address of `slide`'s view in this atlas, carrying the lesson (so that a page opened from
    it keeps collecting into the same lesson)."""
    address = slide.address(lang)
    joiner = "&" if "?" in address else "?"
    return f"{_app_root()}/{address}{joiner}{urlencode({'v': encode(lesson)})}"


def link_field(lesson: Lesson) -> None:
    """The lesson's whole link in a read-only field (click, select all, copy), as the sidebar's."""
    from html import escape

    import streamlit as st

    from dashboard import i18n
    from dashboard.i18n import t

    try:
        base = (st.context.url or "").split("?")[0]
    except Exception:  # AppTest has no browser URL
        base = ""
    address = f"{base}?{urlencode({'v': encode(lesson), 'lang': i18n.lang()})}"
    st.html(
        f'<label style="font-size:0.95rem">{escape(t("lesson.share"))}'
        f'<input data-testid="atlas-lesson-link" readonly value="{escape(address, quote=True)}" '
        'style="width:100%;font:0.9rem/1.5 ui-monospace,monospace;padding:0.4rem;margin-top:0.25rem;'
        'border:1px solid rgba(128,128,128,0.6);border-radius:0.3rem;background:transparent;color:inherit"></label>'
    )
