"""The pack's markup: one page frame and a few pieces, every value from data escaped.

Nothing from a table, a message catalogue or a figure enters a page unescaped: text goes through
`esc` (html.escape, quotes included), figures and other data through `script_json`, which keeps a
JSON document inside a <script> element whatever its strings hold ("</script>", "<!--").
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dashboard.i18n import t


def esc(value: object) -> str:
    """`value` as text in HTML content or a quoted attribute."""
    return html.escape(str(value), quote=True)


def script_json(value: object) -> str:
    """`value` as JSON that can sit inside <script type="application/json">: the characters that
    could close the element or open a comment are written as JSON escapes, which parse back to
    the same string."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@dataclass(frozen=True)
class Link:
    href: str  # relative to the page, built by the pack (never from data)
    text: str


def link(href: str, text: str, rel: str = "", label: str = "") -> str:
    attrs = f' rel="{esc(rel)}"' if rel else ""
    attrs += f' aria-label="{esc(label)}"' if label else ""
    return f'<a href="{esc(href)}"{attrs}>{esc(text)}</a>'


def paragraphs(texts: Iterable[str], css: str = "") -> str:
    cls = f' class="{esc(css)}"' if css else ""
    return "".join(f"<p{cls}>{esc(text)}</p>" for text in texts if text)


def table(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> str:
    """An HTML table of `rows` (cells escaped; empty for missing values)."""
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(_cell(row.get(c)))}</td>" for c in columns) + "</tr>" for row in rows
    )
    return f'<div class="table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def page(
    *,
    lang: str,
    title: str,
    body: str,
    root: str,
    other_language: str,
    scripts: Sequence[str] = (),
    kind: str = "page",
    data_json: str = "",
    style: str = "",
    nav_links: Sequence[tuple[str, str]] | None = None,
) -> str:
    """A whole page. `root`: the relative way up to the pack's top folder ("../../");
    `other_language`: this page in the other language, relative to this page; `scripts`: asset
    files (relative to `root`) loaded in order; `data_json`: the chart's figure (script_json);
    `style`: rules of the pack's own (never data) after the style sheet; `nav_links`: (href, text)
    of the top bar in place of the classroom pack's (a lesson pack has no story nor chart pages)."""
    other = "fr" if lang == "en" else "en"
    figure = f'<script type="application/json" id="atlas-figure">{data_json}</script>' if data_json else ""
    tags = "".join(f'<script src="{esc(root + s)}"></script>' for s in (*scripts, "assets/pack.js"))
    if nav_links is None:
        nav_links = [
            (f"{root}{lang}/index.html", t("pack.home")),
            (f"{root}{lang}/story/1.html", t("pack.story")),
            (f"{root}{lang}/index.html#charts", t("pack.charts")),
            (f"{root}{lang}/sources.html", t("pack.sources")),
        ]
    nav = (
        f'<nav class="top" aria-label="{esc(t("pack.nav"))}">'
        + "".join(link(href, text) for href, text in nav_links)
        + f'<a href="{esc(other_language)}" hreflang="{other}" lang="{other}">{esc(t("pack.other_language"))}</a>'
        + "</nav>"
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} — {esc(t('overview.title'))}</title>"
        f'<link rel="stylesheet" href="{esc(root)}assets/pack.css">'
        + (f"<style>{style}</style>" if style else "")
        + f'</head><body class="{esc(kind)}">{nav}<main>{body}</main>{figure}{tags}</body></html>\n'
    )
