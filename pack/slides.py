"""The story as slides: one page per step of dashboard/story.STEPS, for a projector.

Each slide is the app's Story page for that step: the same step (story.step_at), its chart in the
app's projected size of type (story.projected, styled as the app's light theme), its sentence, its
source line and the CSV of its rows; previous/next links, and the arrow keys (pack.js).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from dashboard import story
from dashboard.components import csv_bytes, export_rows, per_object, source_line
from dashboard.i18n import t
from pack import html
from pack.chart_pages import Written, as_drawn, figure_block, figure_data, scripts_for
from pack.html import esc

# The smallest type of a slide at 1920 × 1080, read from the back of a room (issue 20, item 11):
# the app's projected charts still drew row labels, notes and some ticks at 14-17 px.
MIN_FONT_PX = 18
# The slide's own small print (the links above and under it) at that size too; pack.css sets the
# rest of a slide (title 2.9rem, sentence 1.95rem, source 1.25rem).
# On a short screen (a 1280 × 720 projector) the title and the sentence are set a little smaller
# (23 px and more; the step's kicker 18 px, the smallest type a slide may use), so that the chart
# under them keeps the height its labels need.
SLIDE_CSS = (
    f"body.slide nav.top, body.slide nav.steps .data {{ font-size: {MIN_FONT_PX / 16:g}rem; }}"
    " @media (max-height: 800px) { body.slide h1 { font-size: 2.1rem; }"
    " body.slide .takeaway { font-size: 1.45rem; } body.slide .kicker { font-size: 1.125rem; } }"
)


def count() -> int:
    return len(story.STEPS)


def write(site: Path, lang: str, numbers: tuple[int, ...] = ()) -> list[Written]:
    """The slides of `lang` (all, or those `numbers`) and their CSVs; returns the pages written."""
    written = []
    total = count()
    for number in numbers or tuple(range(1, total + 1)):
        step = story.step_at(number)
        title = t(f"story.{step.key}.title")
        source = source_line(step.rows, source_ids=step.source_ids, newest_date=step.newest)
        csv = f"{lang}/data/story-{number}.csv"
        (site / csv).parent.mkdir(parents=True, exist_ok=True)
        (site / csv).write_bytes(csv_bytes(export_rows(step.rows, drop=["hover"])))
        figure = None
        if step.figure is not None:
            # The app's Story page draws story.projected(step.figure), derived once per figure.
            figure = one_line_labels(
                for_the_room(
                    as_drawn(per_object(step.figure, "projected", partial(story.projected, step.figure)))
                )
            )
        page = f"{lang}/story/{number}.html"
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text(_page(lang, number, total, step, title, source, figure), encoding="utf-8")
        if figure is not None:
            # A slide's figure has the projected type already: drawn at 1920 × 1080 as it is.
            written.append(Written(page, title, figure, source, f"{lang}/images/story-{number}", scale=1.0))
    return written


def for_the_room(figure: dict[str, Any], smallest: int = MIN_FONT_PX) -> dict[str, Any]:
    """`figure` (plotly.js JSON, changed in place and returned) with every font size it sets below
    `smallest` raised to it: layout, axes, legend, colour bars, annotations, traces' texts, and the
    template's defaults. Sizes it leaves unset follow the layout's font, which is raised too."""

    def raise_sizes(node: object, font: bool = False) -> None:
        if isinstance(node, dict):
            size = node.get("size")
            if font and isinstance(size, int | float) and size < smallest:
                node["size"] = smallest
            elif font and isinstance(size, list):  # one size per point
                node["size"] = [max(v, smallest) if isinstance(v, int | float) else v for v in size]
            for key, value in node.items():
                raise_sizes(value, font=key.endswith("font"))
        elif isinstance(node, list):
            for item in node:
                raise_sizes(item)

    raise_sizes(figure)
    layout = figure.setdefault("layout", {})
    font = layout.setdefault("font", {})
    font["size"] = max(float(font.get("size") or 12), smallest)
    return figure


def one_line_labels(figure: dict[str, Any]) -> dict[str, Any]:
    """`figure` (changed in place and returned) with each row's label above its bar or dot on one
    line: wrapped for the app's narrow column, a two-line label took more height than a row has on
    a slide, which is as wide as the screen and short, and lay on the row above."""
    for note in figure.get("layout", {}).get("annotations", []):
        if note.get("xref") == "x domain" and note.get("yref") == "y" and isinstance(note.get("text"), str):
            note["text"] = note["text"].replace("<br>", " ")
    return figure


def _page(
    lang: str,
    number: int,
    total: int,
    step: story.Step,
    title: str,
    source: str,
    figure: dict[str, Any] | None,
) -> str:
    other = "fr" if lang == "en" else "en"
    previous = (
        html.link(f"{number - 1}.html", t("story.previous"), rel="prev")
        if number > 1
        else f'<span class="disabled">{esc(t("story.previous"))}</span>'
    )
    following = (
        html.link(f"{number + 1}.html", t("story.next"), rel="next")
        if number < total
        else f'<span class="disabled">{esc(t("story.next"))}</span>'
    )
    chart = (
        figure_block(f"story-{number}", t(f"story.{step.key}.alt"), fill=True, caption=False)
        if figure is not None
        else ""
    )
    body = (
        f'<p class="kicker">{esc(t("story.kicker", n=number, total=total))}</p>'
        f"<h1>{esc(title)}</h1>"
        f'<p class="takeaway">{esc(step.takeaway)}</p>'
        f"{chart}"
        + (f'<p class="now">{esc(step.now)}</p>' if step.now else "")
        + f'<p class="source">{esc(source)}</p>'
        f'<nav class="steps" aria-label="{esc(t("story.title"))}">{previous}'
        f'<span class="count">{number} / {total}</span>{following}'
        f'<span class="data">{html.link(f"../data/story-{number}.csv", t("pack.slide_csv"))} · '
        f"{html.link(f'../images/story-{number}.png', t('pack.png_short'))} · "
        f"{html.link(f'../images/story-{number}.svg', t('pack.svg_short'))}</span></nav>"
    )
    return html.page(
        lang=lang,
        title=f"{t('story.kicker', n=number, total=total)}: {title}",
        body=body,
        root="../../",
        other_language=f"../../{other}/story/{number}.html",
        scripts=scripts_for(figure, lang) if figure is not None else (),
        kind="slide",
        data_json=figure_data(figure) if figure is not None else "",
        style=SLIDE_CSS,
    )
