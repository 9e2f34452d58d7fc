"""`python -m pack --lesson lesson.json|URL`: a teacher's lesson (dashboard/lesson.py) as a pack of its own.

Each slide is drawn again from its view: the page's own script runs headless (Streamlit's AppTest)
with the view's parameters, in English and in French, and what it draws is taken as it is
(dashboard/components.CAPTURE): the chart's JSON, its title, its source line and the rows of its
table. So a slide shows exactly the values of the view it was taken from, with no second copy of
any page's logic. The pages are the classroom pack's (pack/html.py, the slide style, plotly.js
bundles, images drawn by kaleido), with her words set apart from the atlas's, a sources page of
only these slides' sources, and a SCORM 1.2 manifest (pack/scorm.py) for Moodle or Canvas.

Everything works from `file://` with no network, as the classroom pack does.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pandas as pd

from dashboard import i18n
from dashboard import lesson as model
from dashboard.exports import csv_bytes
from dashboard.i18n import t
from dashboard.i18n.typography import for_language
from pack import assets, html, images, scorm, slides, sources_page
from pack.build import write_zip
from pack.chart_pages import figure_block, figure_data, scripts_for, with_app_theme
from pack.html import esc

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
# No top folder: an LMS looks for imsmanifest.xml at the zip's root (Moodle refuses the package
# otherwise). Unzipped by hand, the files land in a folder named after the zip.
TOP = ""

# One tab: two tabs on two cores, beside the slides being captured, drew no faster (measured).
IMAGE_TABS = 1


@dataclass
class Captured:
    """One slide's chart as its page drew it, in one language."""

    title: str
    figure: dict[str, Any] | None  # plotly.js JSON, as the app sent it; None: no such chart any more
    alt: str
    source: str
    source_ids: list[str]
    rows: pd.DataFrame | None


@dataclass
class Built:
    site: Path
    archive: Path | None
    pages: list[str] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)  # slide numbers whose chart the view no longer draws
    no_images: str = ""  # why the PNG and SVG files were not drawn ("" when they were)
    seconds: dict[str, float] = field(default_factory=dict)
    zip_bytes: int = 0


def read_lesson(argument: str) -> model.Lesson:
    """A lesson from a JSON file ({"v": "1.…"} or the lesson's link) or from a link with `v=`."""
    text = argument
    if not argument.startswith(f"{model.VERSION}.") and "v=" not in argument:
        path = Path(argument)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise SystemExit(
                f"{argument[:80]}: not a lesson's link, and no file to read ({error.strerror})"
            ) from None
    value = text.strip()
    if value.startswith("{"):
        value = str(json.loads(value).get("v", ""))
    elif "v=" in value:
        value = (parse_qs(urlparse(value).query).get("v") or [""])[-1]
    decoded = model.decode(value)
    for problem in decoded.problems:
        logging.getLogger(__name__).warning(i18n.message(problem, "en"))
    if not decoded.lesson.slides:
        raise SystemExit(f"{argument[:80]}: no lesson with slides in it (expected a link with v=…)")
    return decoded.lesson


def _no_component_scan() -> None:
    """AppTest looks through every installed distribution for custom components on each run
    (0.36 s of a 0.69 s capture, profiled); the atlas has none: the scan is skipped."""
    from streamlit.components.v2.component_manager import BidiComponentManager

    BidiComponentManager.discover_and_register_components = lambda self, **_: None  # type: ignore[method-assign]


def capture(slide: model.Slide, lang: str) -> Captured:
    """Run `slide`'s page headless in `lang` with its view's parameters; take its chart."""
    from streamlit.testing.v1 import AppTest

    _no_component_scan()

    from dashboard import components

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    grouped: dict[str, list[str]] = {}
    for key, value in slide.params:
        grouped.setdefault(key, []).append(value)
    for key, values in grouped.items():
        at.query_params[key] = values if len(values) > 1 else values[0]
    if slide.page != "overview":
        at.switch_page(f"app_pages/{slide.page}.py")
    components.CAPTURE = []
    try:
        at.run()
        drawn = components.CAPTURE
    finally:
        components.CAPTURE = None
    if at.exception:
        raise RuntimeError(f"{slide.address()}: the page failed: {[e.value for e in at.exception]}")
    chart = next((e for e in drawn if e["kind"] == "chart" and e["name"] == slide.chart), None)
    caption = next((e for e in drawn if e["kind"] == "source" and e["chart"] == slide.chart), None)
    # the chart's table: the one drawn after its caption (its CSV's name may differ: story-step-N)
    table = next((e for e in drawn if e["kind"] == "rows" and e["chart"] == slide.chart), None)
    if chart is None or caption is None:
        return Captured(slide.label, None, "", "", [], None)
    figure = with_app_theme(json.loads(str(chart["spec"])))
    return Captured(
        title=str(caption["title"]),
        figure=slides.one_line_labels(slides.for_the_room(figure)),
        alt=str(chart["alt"]),
        source=str(caption["line"]),
        source_ids=[str(s) for s in caption["ids"]],  # type: ignore[attr-defined]
        rows=table["rows"] if table is not None else None,
    )


def _nav(lang: str, root: str) -> list[tuple[str, str]]:
    return [
        (f"{root}{lang}/lesson/index.html", t("pack.lesson_home")),
        (f"{root}{lang}/sources.html", t("pack.sources")),
    ]


def _slide_page(
    lang: str, number: int, total: int, slide: model.Slide, shown: Captured, view_url: str, pictures: bool
) -> str:
    csv = shown.rows is not None
    other = "fr" if lang == "en" else "en"
    title = slide.title or shown.title
    previous = html.link(
        "index.html" if number == 1 else f"{number - 1}.html", t("story.previous"), rel="prev"
    )
    following = html.link(f"{number + 1}.html" if number < total else "end.html", t("story.next"), rel="next")
    note = (
        f'<aside class="teacher" aria-label="{esc(t("lesson.yours"))}"><p class="who">{esc(t("lesson.yours"))}</p>'
        + "".join(f"<p>{esc(line)}</p>" for line in slide.note.splitlines() if line.strip())
        + "</aside>"
        if slide.note
        else ""
    )
    # A chart of many rows (the price ladder, a long ranking) keeps the height its page gives it, on
    # a page that scrolls: squeezed into a short screen its labels would lie on one another.
    tall = shown.figure is not None and float(shown.figure.get("layout", {}).get("height") or 0) > TALL
    chart = (
        figure_block(f"slide-{number}", shown.alt, fill=not tall, caption=False)
        if shown.figure is not None
        else f'<p class="takeaway">{esc(t("pack.lesson_missing"))}</p>'
    )
    files = (
        '<span class="data">'
        + (html.link(f"../data/slide-{number}.csv", t("pack.slide_csv")) if csv else "")
        + (
            (" · " if csv else "") + f"{html.link(f'../images/slide-{number}.png', t('pack.png_short'))} · "
            f"{html.link(f'../images/slide-{number}.svg', t('pack.svg_short'))}"
            if pictures
            else ""
        )
        + (f" · {html.link(view_url, t('pack.lesson_open_view'))}" if view_url else "")
        + "</span>"
        if shown.figure is not None
        else ""
    )
    body = (
        f'<p class="kicker">{esc(t("lesson.slide", number=number, total=total))} · '
        f"{esc(t(f'nav.{slide.page}'))}</p>"
        f"<h1>{esc(title)}</h1>"
        + (
            f'<p class="atlas-title">{esc(t("lesson.atlas_title", title=shown.title))}</p>'
            if slide.title
            else ""
        )
        + note
        + chart
        + (f'<p class="source">{esc(shown.source)}</p>' if shown.source else "")
        + f'<nav class="steps" aria-label="{esc(t("lesson.title"))}">{previous}'
        f'<span class="count">{number} / {total}</span>{following}{files}</nav>'
    )
    return html.page(
        lang=lang,
        title=for_language(f"{t('lesson.slide', number=number, total=total)}: {title}", lang),
        body=body,
        root="../../",
        other_language=f"../../{other}/lesson/{number}.html",
        scripts=scripts_for(shown.figure, lang) if shown.figure is not None else (),
        kind="chart-page lesson-tall" if tall else "slide",
        data_json=figure_data(shown.figure) if shown.figure is not None else "",
        style=slides.SLIDE_CSS + LESSON_CSS,
        nav_links=_nav(lang, "../../"),
    )


TALL = 520  # px: a figure taller than this gets a scrolling page rather than a fixed slide

# Her words stand apart from the atlas's sourced sentence: a bordered box labelled as the teacher's.
LESSON_CSS = (
    "aside.teacher{border-left:0.4rem solid #0A5C99;background:#F2F4F7;padding:0.3rem 1rem;"
    "margin:0 0 0.5rem;font-size:1.6rem;line-height:1.3}"
    "aside.teacher p{margin:0.2rem 0}aside.teacher .who{font-size:1.1rem;font-weight:600;color:#3A3A3A}"
    ".atlas-title{font-size:1.2rem;color:#3A3A3A;margin:0 0 0.3rem}"
    "body.lesson-end h1{font-size:3.2rem}body.lesson-end .question{font-size:2.4rem;line-height:1.3}"
)


def _opening(lang: str, lesson: model.Lesson, titles: list[str], date: str) -> str:
    other = "fr" if lang == "en" else "en"
    title = lesson.title or t("lesson.title")
    body = (
        f"<h1>{esc(title)}</h1>"
        + (f'<p class="sentence">{esc(lesson.subtitle)}</p>' if lesson.subtitle else "")
        + f"<p>{html.link('1.html', t('pack.lesson_start'))}</p>"
        + "<ol>"
        + "".join(f"<li>{html.link(f'{n}.html', name)}</li>" for n, name in enumerate(titles, 1))
        + "</ol>"
        + html.paragraphs([t("pack.lesson_built", date=date)], "note")
    )
    return html.page(
        lang=lang,
        title=title,
        body=body,
        root="../../",
        other_language=f"../../{other}/lesson/index.html",
        scripts=[scorm.API_SCRIPT_NAME],
        kind="index-page",
        nav_links=_nav(lang, "../../"),
    )


def _closing(lang: str, lesson: model.Lesson, total: int) -> str:
    other = "fr" if lang == "en" else "en"
    question = lesson.closing
    body = (
        f"<h1>{esc(lesson.title or t('lesson.title'))}</h1>"
        + (
            f'<aside class="teacher"><p class="who">{esc(t("lesson.yours"))}</p>'
            + "".join(
                f'<p class="question">{esc(line)}</p>' for line in question.splitlines() if line.strip()
            )
            + "</aside>"
            if question
            else ""
        )
        + f'<nav class="steps">{html.link(f"{total}.html", t("story.previous"), rel="prev")}'
        f"{html.link('../sources.html', t('pack.sources_link'))}</nav>"
    )
    return html.page(
        lang=lang,
        title=lesson.title or t("lesson.title"),
        body=body,
        root="../../",
        other_language=f"../../{other}/lesson/end.html",
        kind="slide lesson-end",
        style=slides.SLIDE_CSS + LESSON_CSS,
        nav_links=_nav(lang, "../../"),
    )


def build(
    lesson: model.Lesson,
    out: Path,
    date: str,
    app_url: str = "",
    with_images: bool = True,
    with_zip: bool = True,
) -> Built:
    """Write `out`/lesson/ (and `out`/atlas-lesson.zip) for `lesson`; `app_url`: the atlas's
    address, for each slide's "open this view" link (none when empty)."""
    started = time.perf_counter()
    site = out / "lesson"
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    built = Built(site, None)
    # Without kaleido or Chromium (a bare `make run` machine) the zip is built without images and
    # says so (README.txt, and the build's summary), rather than not at all.
    built.no_images = "" if not with_images else images.ready()
    pictures = with_images and not built.no_images
    assets.write(site)  # first: Chromium starts, and draws each slide while the next is captured
    stream = images.Stream(site / assets.WORLD, IMAGE_TABS) if pictures else None
    try:
        _pages(lesson, site, built, stream, app_url, date, pictures)
        built.seconds["pages"] = time.perf_counter() - started
        # Only each language's launch page (lesson/index.html) loads the LMS script: a SCORM 1.2
        # SCO that called LMSFinish and LMSInitialize on every page change is refused by Moodle. The
        # lesson counts as completed once opened. The schemas go at the top, where
        # xsi:schemaLocation names them.
        (site / scorm.API_SCRIPT_NAME).write_bytes((ROOT / "pack" / "static" / "scorm.js").read_bytes())
        for schema in scorm.SCHEMA_FILES:
            shutil.copyfile(ROOT / "pack" / "vendor" / "scorm12" / schema, site / schema)
        _readme(site, date, built.no_images)
        if stream is not None:
            began = time.perf_counter()
            stream.close()
            built.seconds["images"] = time.perf_counter() - began  # waited for after the pages
    except BaseException:
        if stream is not None:  # Chromium stopped and its folder removed, whatever failed
            stream.close(cancel=True)
        raise
    _manifest(site, lesson)
    if with_zip:
        built.archive = out / "atlas-lesson.zip"
        write_zip(site, built.archive, top=TOP)
        built.zip_bytes = built.archive.stat().st_size
    built.seconds["total"] = time.perf_counter() - started
    return built


def _pages(
    lesson: model.Lesson,
    site: Path,
    built: Built,
    stream: images.Stream | None,
    app_url: str,
    date: str,
    pictures: bool,
) -> None:
    """Each language's slides, opening, closing and sources pages; each chart handed to `stream`
    to be drawn as soon as it is captured."""
    total = len(lesson.slides)
    for lang in i18n.LANGS:
        with i18n.speaking(lang):
            shown = [capture(slide, lang) for slide in lesson.slides]
            ids: set[str] = set()
            for number, (slide, one) in enumerate(zip(lesson.slides, shown, strict=True), 1):
                ids.update(one.source_ids)
                view_url = f"{app_url.rstrip('/')}/{slide.address(lang)}" if app_url else ""
                page = f"{lang}/lesson/{number}.html"
                (site / page).parent.mkdir(parents=True, exist_ok=True)
                (site / page).write_text(
                    _slide_page(lang, number, total, slide, one, view_url, pictures), encoding="utf-8"
                )
                built.pages.append(page)
                if one.figure is None:
                    if number not in built.missing:
                        built.missing.append(number)
                    continue
                if one.rows is not None:
                    csv = site / f"{lang}/data/slide-{number}.csv"
                    csv.parent.mkdir(parents=True, exist_ok=True)
                    csv.write_bytes(csv_bytes(one.rows))
                if stream is not None:
                    stream.put(
                        images.Request(
                            site / f"{lang}/images/slide-{number}",
                            one.figure,
                            slide.title or one.title,
                            one.source,
                            scale=1.0,
                            palette=False,
                        )
                    )
            titles = [slide.title or one.title for slide, one in zip(lesson.slides, shown, strict=True)]
            (site / f"{lang}/lesson/index.html").write_text(
                _opening(lang, lesson, titles, date), encoding="utf-8"
            )
            (site / f"{lang}/lesson/end.html").write_text(_closing(lang, lesson, total), encoding="utf-8")
            built.pages += [f"{lang}/lesson/index.html", f"{lang}/lesson/end.html"]
            built.pages.append(
                sources_page.write(site, lang, only=ids, nav_links=_nav(lang, "../"), data_package=False)
            )
    _landing(site, lesson)


def _manifest(site: Path, lesson: model.Lesson) -> None:
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    items = []
    for lang in i18n.LANGS:
        with i18n.speaking(lang):
            items.append(
                (
                    lang,
                    f"{lesson.title or t('lesson.title')} ({t(f'pack.language.{lang}')})",
                    f"{lang}/lesson/index.html",
                )
            )
    (site / "imsmanifest.xml").write_text(
        scorm.manifest(
            "atlas-lesson", lesson.title or "Digital Labour Atlas lesson", items, [*files, "imsmanifest.xml"]
        ),
        encoding="utf-8",
    )


def _landing(site: Path, lesson: model.Lesson) -> None:
    entries = []
    for lang in i18n.LANGS:
        with i18n.speaking(lang):
            entries.append(
                f'<div lang="{lang}"><h1>{esc(lesson.title or t("lesson.title"))}</h1>'
                + (f'<p class="sentence">{esc(lesson.subtitle)}</p>' if lesson.subtitle else "")
                + f"<p>{html.link(f'{lang}/lesson/index.html', t('pack.open_in'))}</p></div>"
            )
    with i18n.speaking(i18n.DEFAULT):
        page = html.page(
            lang=i18n.DEFAULT,
            title=lesson.title or t("lesson.title"),
            body=f'<div class="languages">{"".join(entries)}</div>',
            root="",
            other_language="fr/lesson/index.html",
            kind="landing",
            nav_links=[],
        )
    (site / "index.html").write_text(page, encoding="utf-8")


def _readme(site: Path, date: str, no_images: str = "") -> None:
    parts = []
    for lang in i18n.LANGS:
        with i18n.speaking(lang):
            parts.append(t("pack.lesson_readme", date=date))
            if no_images:
                parts.append(t("pack.lesson_no_images", reason=no_images))
    (site / "README.txt").write_text("\n\n".join(parts) + "\n", encoding="utf-8")
