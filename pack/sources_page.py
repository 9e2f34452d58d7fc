"""The pack's Sources page: every source with its citation, licence, address and the figures it
supports or relays, from the same listing as the app's Sources page (dashboard/sources.listed)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from dashboard import citations, data, i18n
from dashboard import sources as subject
from dashboard.figures import stated
from dashboard.i18n import t
from dashboard.i18n.typography import for_language
from pack import html
from pack.html import esc

PAGE = "sources.html"


def _address(url: str) -> str:
    """A web address as a link when it is one (http or https), else as text: nothing from the data
    can become a script link."""
    if url.startswith(("https://", "http://")):
        return f'<a href="{esc(url)}" rel="noreferrer">{esc(url)}</a>'
    return esc(url)


def write(
    site: Path,
    lang: str,
    only: Collection[str] | None = None,
    nav_links: Sequence[tuple[str, str]] | None = None,
    data_package: bool = True,
) -> str:
    """The Sources page of `lang`; returns its path relative to the pack's top folder. `only`: the
    sources listed (a lesson's), else every one; `nav_links`, as html.page's; `data_package`:
    whether the pack has the data package to link to."""
    listed = subject.listed("all", "")
    if only is not None:
        listed = listed[listed["source_id"].astype(str).isin(set(only))]
    every_figure = data.figures()
    items = []
    for source in listed.itertuples():
        sid = str(source.source_id)
        rows = every_figure[(every_figure["source_id"] == sid) | (every_figure["secondary_of"] == sid)]
        # The fields the app's Sources page shows, in the page's language; the maintainers' notes
        # (access_note, verification, producer_note) stay in the registry.
        facts = [
            (t("sources.col.title"), esc(source.title)),
            (t("sources.col.producer"), esc(source.producer)),
            (t("sources.col.date"), esc(citations.date_text(str(source.date_published), lang))),
            (t("sources.col.kind"), esc(source.kind_label)),
            (t("sources.col.licence"), esc(for_language(citations.licence(str(source.licence), lang), lang))),
        ]
        if source.url:
            facts.append((t("sources.col.url"), _address(str(source.url))))
        read = subject.reading(source, lang)
        if read:
            facts.append((t("sources.access_note"), esc(for_language(read, lang))))
        facts.append(
            (
                t("sources.col.figures"),
                esc(
                    f"{i18n.number(source.figures)} · {t('sources.col.relayed')}: {i18n.number(source.relayed_figures)}"
                ),
            )
        )
        figures_html = (
            "<ul>"
            + "".join(
                f"<li><strong>{esc(f.label_fr if lang == 'fr' else f.label_en)}</strong>: {esc(stated(f))}"
                f"<blockquote>« {esc(f.quote)} »</blockquote>"
                f'<span class="source">{esc(citations.short(str(f.source_id), lang))}</span></li>'
                for f in rows.itertuples()
            )
            + "</ul>"
            if len(rows)
            else html.paragraphs([t("sources.no_figures")], "note")
        )
        warning = subject.caveat(source, lang)
        items.append(
            f'<section id="{esc(sid)}"><h2>{esc(citations.short(sid, lang))}</h2>'
            + f"<p>{esc(citations.reference(sid, lang))}</p>"
            + "<dl>"
            + "".join(f"<dt>{esc(name)}</dt><dd>{value}</dd>" for name, value in facts)
            + "</dl>"
            + (f'<p class="caveat">{esc(for_language(warning, lang))}</p>' if warning else "")
            + f"<h3>{esc(t('pack.source_figures'))}</h3>{figures_html}</section>"
        )
    body = (
        f"<h1>{esc(t('sources.title'))}</h1>"
        + html.paragraphs(
            [
                t(
                    "pack.sources_intro",
                    sources=i18n.number(len(listed)),
                    figures=i18n.number(
                        len(every_figure)
                        if only is None
                        else int(
                            (
                                every_figure["source_id"].isin(set(only))
                                | every_figure["secondary_of"].isin(set(only))
                            ).sum()
                        )
                    ),
                )
            ]
        )
        + (
            f"<p>{html.link('../data-package/datapackage.json', t('pack.data_package'))}</p>"
            if data_package
            else ""
        )
        + '<ul class="contents">'
        + "".join(
            f"<li>{html.link('#' + str(s.source_id), citations.short(str(s.source_id), lang))}</li>"
            for s in listed.itertuples()
        )
        + "</ul>"
        + "".join(items)
    )
    other = "fr" if lang == "en" else "en"
    page = f"{lang}/{PAGE}"
    (site / page).parent.mkdir(parents=True, exist_ok=True)
    (site / page).write_text(
        html.page(
            lang=lang,
            title=t("sources.title"),
            body=body,
            root="../",
            other_language=f"../{other}/{PAGE}",
            kind="sources-page",
            nav_links=nav_links,
        ),
        encoding="utf-8",
    )
    return page
