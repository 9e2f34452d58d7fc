"""`python -m pack`: the whole pack, in both languages, then its zip.

load the tables (dashboard/data.py) → for each language: slides, chart pages, the sources page and
the index → the shared files → the data package → images (kaleido) → dist/atlas-pack.zip.

Deterministic: the same inputs give the same bytes, except the build date, which is a parameter
(default: SOURCE_DATE_EPOCH, else the last commit's date) and appears only on the index pages and
in README.txt. Zip entries are sorted and carry one fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import data, i18n, story
from dashboard.i18n import t
from pack import assets, chart_pages, html, images, slides, sources_page
from pack.html import esc

ROOT = Path(__file__).resolve().parent.parent
TOP = "atlas-pack"  # the folder the zip unpacks into
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: every entry gets it


def build_date(explicit: str | None = None) -> str:
    """The date the pack says it was built (YYYY-MM-DD): `explicit`, else SOURCE_DATE_EPOCH, else
    the date of the last commit."""
    if explicit:
        return dt.date.fromisoformat(explicit).isoformat()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    try:
        found = subprocess.run(
            ["git", "log", "-1", "--format=%cs"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        found = ""
    if not found:
        raise SystemExit(
            "No build date: give one (python -m pack --date 2026-12-02) or set SOURCE_DATE_EPOCH; "
            "outside a git checkout there is no last commit to take it from."
        )
    return found


@dataclass
class Summary:
    site: Path
    archive: Path | None
    pages: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    files: int = 0
    zip_bytes: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def build(out: Path, date: str, with_images: bool = True, with_zip: bool = True, tabs: int = 2) -> Summary:
    """Write `out`/pack/ (and `out`/atlas-pack.zip): everything, from nothing (the folder is
    emptied first)."""
    started = time.perf_counter()
    site = out / "pack"
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    summary = Summary(site, None)
    requests: list[images.Request] = []
    for lang in i18n.LANGS:
        with i18n.speaking(lang):
            shown = slides.write(site, lang)
            charts, listed = chart_pages.write(site, lang)
            summary.pages += [w.path for w in shown] + [w.path for w in charts]
            summary.pages.append(sources_page.write(site, lang))
            summary.pages.append(_index(site, lang, date, listed))
            for written in (*shown, *charts):
                requests.append(
                    images.Request(
                        site / written.image, written.figure, written.title, written.source, written.scale
                    )
                )
    summary.pages.append(_landing(site, date))
    summary.seconds["pages"] = time.perf_counter() - started
    assets.write(site)
    _data_package(site)
    _readme(site, date)
    if with_images:
        began = time.perf_counter()
        images.write(requests, site / assets.WORLD, tabs)
        summary.images = sorted(
            str(r.base.relative_to(site)) + suffix for r in requests for suffix in (".png", ".svg")
        )
        summary.seconds["images"] = time.perf_counter() - began
    summary.files = sum(1 for p in site.rglob("*") if p.is_file())
    if with_zip:
        summary.archive = out / "atlas-pack.zip"
        write_zip(site, summary.archive)
        summary.zip_bytes = summary.archive.stat().st_size
    summary.seconds["total"] = time.perf_counter() - started
    return summary


def write_zip(site: Path, archive: Path, top: str = TOP) -> None:
    """`site` as a zip whose bytes depend on the files only: sorted names, one timestamp, one mode;
    every entry under the folder `top` ("" : at the zip's root, as a SCORM package must be)."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            relative = path.relative_to(site).as_posix()
            entry = zipfile.ZipInfo(f"{top}/{relative}" if top else relative, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            bundle.writestr(entry, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    partial.replace(archive)


def _data_package(site: Path) -> None:
    """The data package as the app's Sources page offers it (data.package_zip), as files."""
    target = site / "data-package"
    (target / "tidy").mkdir(parents=True)
    (target / "LICENCES.txt").write_text(data.LICENCE_NOTE, encoding="utf-8")
    shutil.copyfile(data.DATASETS / "datapackage.json", target / "datapackage.json")
    for path in sorted((data.DATASETS / "tidy").iterdir()):
        if path.is_file():
            shutil.copyfile(path, target / "tidy" / path.name)


def _readme(site: Path, date: str) -> None:
    parts = []
    for lang in i18n.LANGS:
        with i18n.speaking(lang):
            parts.append(t("pack.readme", date=date))
    (site / "README.txt").write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def _index(site: Path, lang: str, date: str, listed: list[tuple[str, str, str]]) -> str:
    """The language's table of contents: the story, every chart by page of the app, the sources."""
    steps = "".join(
        f"<li>{html.link(f'story/{n}.html', t(f'story.{story.step_at(n).key}.title'))}</li>"
        for n in range(1, slides.count() + 1)
    )
    subjects: dict[str, list[tuple[str, str]]] = {}
    for subject, title, href in listed:
        subjects.setdefault(subject, []).append((title, href))
    charts = "".join(
        f"<h3>{esc(t(f'nav.{subject}'))}</h3><ul>"
        + "".join(f"<li>{html.link(href, title)}</li>" for title, href in entries)
        + "</ul>"
        for subject, entries in subjects.items()
    )
    body = (
        f"<h1>{esc(t('overview.title'))}</h1>"
        f'<p class="sentence">{esc(t("pack.subtitle"))}</p>'
        + html.paragraphs([t("pack.intro"), t("pack.built", date=date)])
        + f"<h2>{esc(t('story.title'))}</h2>"
        + html.paragraphs([t("pack.story_intro", n=slides.count())])
        + f"<p>{html.link('story/1.html', t('pack.start_story'))}</p>"
        + f"<ol>{steps}</ol>"
        + f'<h2 id="charts">{esc(t("pack.charts"))}</h2>'
        + html.paragraphs([t("pack.charts_intro")])
        + charts
        + f"<h2>{esc(t('pack.sources'))}</h2>"
        + f"<p>{html.link('sources.html', t('pack.sources_link'))}</p>"
        + html.paragraphs([t("pack.data_intro")])
        + f"<p>{html.link('../data-package/datapackage.json', t('pack.data_package'))} · "
        + f"{html.link('../data-package/LICENCES.txt', t('pack.licences'))}</p>"
    )
    other = "fr" if lang == "en" else "en"
    page = f"{lang}/index.html"
    (site / page).write_text(
        html.page(
            lang=lang,
            title=t("pack.subtitle"),
            body=body,
            root="../",
            other_language=f"../{other}/index.html",
            kind="index-page",
        ),
        encoding="utf-8",
    )
    return page


def _landing(site: Path, date: str) -> str:
    """The top index.html: the two languages, each named in its own."""
    entries = []
    for lang in i18n.LANGS:
        with i18n.speaking(lang):
            entries.append(
                f'<div lang="{lang}"><h1>{esc(t("overview.title"))}</h1>'
                f'<p class="sentence">{esc(t("pack.subtitle"))}</p>'
                f"<p>{html.link(f'{lang}/index.html', t('pack.open_in'))}</p>"
                f'<p class="note">{esc(t("pack.built", date=date))}</p></div>'
            )
    with i18n.speaking(i18n.DEFAULT):
        page = html.page(
            lang=i18n.DEFAULT,
            title=t("pack.subtitle"),
            body=f'<div class="languages">{"".join(entries)}</div>',
            root="",
            other_language="fr/index.html",
            kind="landing",
        )
    (site / "index.html").write_text(page, encoding="utf-8")
    return "index.html"
