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


def count() -> int:
    return len(story.STEPS)


def write(site: Path, lang: str, numbers: tuple[int, ...] = ()) -> list[Written]:
    """The slides of `lang` (all, or those `numbers`) and their CSVs; returns the pages written."""
    written = []
    total = count()
    for number in numbers or tuple(range(1, total + 1)):
        step = story.step_at(number)
        title = t(f"story.{step.key}.title")
        source = source_line(step.rows, source_ids=step.source_ids)
        csv = f"{lang}/data/story-{number}.csv"
        (site / csv).parent.mkdir(parents=True, exist_ok=True)
        (site / csv).write_bytes(csv_bytes(export_rows(step.rows, drop=["hover"])))
        figure = None
        if step.figure is not None:
            # The app's Story page draws story.projected(step.figure), derived once per figure.
            figure = as_drawn(per_object(step.figure, "projected", partial(story.projected, step.figure)))
        page = f"{lang}/story/{number}.html"
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text(_page(lang, number, total, step, title, source, figure), encoding="utf-8")
        if figure is not None:
            # A slide's figure has the projected type already: drawn at 1920 × 1080 as it is.
            written.append(Written(page, title, figure, source, f"{lang}/images/story-{number}", scale=1.0))
    return written


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
        f'<p class="source">{esc(source)}</p>'
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
    )
