"""A teacher's lesson (issue 22): its link, its page, and the pack built from it.

The link must give back exactly the lesson that was written, and any other link must fall back
with a notice, never an error; the page must add, move, rename and remove slides as a reader does;
the pack's slides must show the values of the views they were taken from.
"""

from __future__ import annotations

import base64
import json
import os
import random
import re
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from dashboard import lesson
from dashboard.lesson import MAX_NOTE, MAX_SLIDES, MAX_TITLE, Lesson, Slide, decode, encode
from tests.support import ROOT, run_page
from tests.test_scorm import is_valid
from tests.test_scorm import schema as schema  # noqa: PLC0414 - the fixture, shared

APP = str(ROOT / "dashboard" / "app.py")
FUZZ = int(os.environ.get("LESSON_FUZZ", "300"))  # random links decoded (raise it for a long run)

HOSTILE = '<script>alert("x")</script> **bold** [link](javascript:alert(1)) # not a heading'
SLIDES = (
    Slide("wages", "price-ladder", (), "Price ladder", "", "Which is the cheapest task?"),
    Slide("workers", "mturk-countries-2026", (("survey_year", "2026"),), "Where", "Mon titre", HOSTILE),
    Slide(
        "map",
        "worker-shares-2013-2020",
        (("country", "NPL"), ("metric", "workers")),
        "Shares",
        "",
        "Ligne 1\nLigne 2",
    ),
    # a chart whose table has another name (story-step-4): its CSV is still the slide's
    Slide("story", "story-4", (("step", "4"),), "Story", "", ""),
)
LESSON = Lesson("Économie des plateformes", "L2 — séance 3", "Et vous, qui a cliqué ?", SLIDES)


def packed(data: object) -> str:
    raw = json.dumps(data).encode()
    return "1." + base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")


# --- the link -------------------------------------------------------------------------------------


def test_a_lesson_comes_back_from_its_link_exactly() -> None:
    link = encode(LESSON)
    assert re.fullmatch(r"1\.[A-Za-z0-9_-]+", link), "one URL-safe token, no padding"
    back = decode(link)
    assert back.problems == ()
    assert back.lesson == LESSON


def test_a_lesson_link_carries_no_words_of_the_atlas_language() -> None:
    """The views are codes: page, chart name, parameters. Only her words and the label are text."""
    raw = json.loads(zlib.decompress(base64.urlsafe_b64decode(encode(LESSON)[2:] + "==")))
    assert raw["s"][2][:3] == ["map", "worker-shares-2013-2020", "country=NPL&metric=workers"]


def test_twenty_slides_with_long_notes_stay_a_link_mail_keeps() -> None:
    many = Lesson("T" * MAX_TITLE, "", "Q" * MAX_NOTE, tuple(SLIDES[i % 3] for i in range(MAX_SLIDES)))
    link = encode(many)
    assert len(link) < lesson.MAX_LINK
    assert decode(link).lesson == many


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ("garbage", "lesson.bad.not_lesson"),
        ("2.abc", "lesson.bad.not_lesson"),
        ("1.", "lesson.bad.not_lesson"),
        ("1.!!!!", "lesson.bad.not_lesson"),
        ("1." + base64.urlsafe_b64encode(b"not zlib").decode(), "lesson.bad.not_lesson"),
        (packed([1, 2, 3]), "lesson.bad.not_lesson"),
        ("1." + "A" * (lesson.MAX_LINK + 1), "lesson.bad.too_long"),
        # a compressed bomb: 10 MB of spaces in a few kilobytes
        (
            "1." + base64.urlsafe_b64encode(zlib.compress(b" " * 10_000_000, 9)).decode().rstrip("="),
            "lesson.bad.too_long",
        ),
        (packed({"s": [["nowhere", "x", "", "", "", ""]]}), "lesson.bad.unknown_view"),
        (packed({"s": [["wages", "../etc/passwd", "", "", "", ""]]}), "lesson.bad.unknown_view"),
        (packed({"s": [["wages", "price-ladder", "", ""]]}), "lesson.bad.slide"),
        (packed({"s": "not a list"}), "lesson.bad.slide"),
        (packed({"s": [["wages", "price-ladder", "a=1&BAD KEY=2", "", "", ""]]}), "lesson.bad.params"),
        (packed({"s": [["wages", "price-ladder", "", "", "", 42]]}), "lesson.bad.slide"),
        (packed({"t": "x" * 5000, "s": []}), "lesson.bad.text_cut"),
        (packed({"s": [["wages", "price-ladder", "", "", "", ""]] * 25}), "lesson.bad.too_many"),
        # JSON nested 60,000 deep: 112 characters of link, and a RecursionError if not caught
        (
            "1." + base64.urlsafe_b64encode(zlib.compress(b"[" * 60_000, 9)).decode().rstrip("="),
            "lesson.bad.not_lesson",
        ),
    ],
)
def test_a_bad_lesson_link_falls_back_with_its_notice(link: str, problem: str) -> None:
    back = decode(link)
    assert problem in back.problems
    assert len(back.lesson.slides) <= MAX_SLIDES
    assert len(back.lesson.title) <= MAX_TITLE


def test_what_a_bad_link_keeps() -> None:
    back = decode(
        packed(
            {
                "t": "Titre\u0000\u200b",  # a NUL and a zero-width space: control and format characters
                "s": [
                    ["nowhere", "x", "", "", "", ""],
                    ["wages", "price-ladder", "basis=ppp&lang=fr&v=1.x&embed=true", "L", "", "n" * 900],
                ]
                * 11,
            }
        )
    )
    assert back.lesson.title == "Titre"
    assert len(back.lesson.slides) == 10  # 22 rows cut to 20, of which the 10 unknown views left out
    kept = back.lesson.slides[0]
    assert kept.params == (("basis", "ppp"),), "lang, embed and the lesson itself are not a view's"
    assert len(kept.note) == MAX_NOTE
    assert set(back.problems) == {"lesson.bad.too_many", "lesson.bad.unknown_view", "lesson.bad.text_cut"}


def test_random_links_never_raise() -> None:
    draw = random.Random(22)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=%<>\"' \u00e9\u0000"
    good = encode(LESSON)
    for _ in range(FUZZ):
        kind = draw.randrange(5)
        if kind == 0:
            link = "".join(draw.choice(alphabet) for _ in range(draw.randrange(200)))
        elif kind == 1:  # the good link with characters changed or cut
            chars = list(good[: draw.randrange(len(good) + 1)])
            for _ in range(draw.randrange(4)):
                if chars:
                    chars[draw.randrange(len(chars))] = draw.choice(alphabet)
            link = "".join(chars)
        elif kind == 3:  # nested deep
            link = "1." + base64.urlsafe_b64encode(zlib.compress(b"[" * draw.randrange(900, 90_000))).decode()
        else:  # valid JSON of a wrong shape
            link = packed(
                draw.choice(
                    [
                        {"s": [[draw.random()] * 6]},
                        {"s": [[None] * 6]},
                        {"t": [1]},
                        {"s": [["map"] * 6] * 3},
                        None,
                    ]
                )
            )
        back = decode(link)
        assert len(back.lesson.slides) <= MAX_SLIDES
        assert all(len(s.note) <= MAX_NOTE and len(s.title) <= MAX_TITLE for s in back.lesson.slides)


def test_moving_and_removing_slides() -> None:
    a, b, c = SLIDES[:3]
    assert lesson.moved((a, b, c), 0, 1) == (b, a, c)
    assert lesson.moved((a, b, c), 2, -1) == (a, c, b)
    assert lesson.moved((a, b, c), 0, -1) == (a, b, c), "the first cannot go up"
    assert lesson.removed((a, b, c), 1) == (a, c)
    full = Lesson(slides=(a,) * MAX_SLIDES)
    assert lesson.added(full, b) == (full, False)


# --- the page ----------------------------------------------------------------------------------


def run(page: str, lang: str = "en", **params: str) -> AppTest:
    return run_page(page, lang, **params)  # type: ignore[no-any-return]


def add_buttons(at: AppTest) -> dict[str, object]:
    return {
        b.key.removeprefix("lesson-add-"): b for b in at.button if (b.key or "").startswith("lesson-add-")
    }


def test_every_cited_chart_offers_add_to_my_lesson() -> None:
    at = run("wages", basis="ppp")
    buttons = add_buttons(at)
    assert list(buttons) == [
        "price-ladder",
        "online-pay-vs-minimum-ppp",
        "pay-by-occupation-2019",
        "hourly-vs-minimum",
    ]
    assert all(b.label == "Add to my lesson" for b in buttons.values())  # type: ignore[attr-defined]
    french = run("wages", "fr")
    assert {b.label for b in add_buttons(french).values()} == {"Ajouter à ma leçon"}  # type: ignore[attr-defined]


def test_a_teacher_collects_orders_and_annotates_a_lesson() -> None:
    at = run("wages", basis="ppp")
    add_buttons(at)["online-pay-vs-minimum-ppp"].click().run()  # type: ignore[attr-defined]
    assert "slide 1" in at.toast[0].value
    at.switch_page("app_pages/workers.py").run()
    first = next(iter(add_buttons(at)))
    add_buttons(at)[first].click().run()  # type: ignore[attr-defined]
    # every page's URL keeps the lesson from now on: a reload or a new tab keeps it
    link = at.query_params["v"]
    taken = decode(link if isinstance(link, str) else link[-1]).lesson
    assert [(s.page, s.chart) for s in taken.slides] == [
        ("wages", "online-pay-vs-minimum-ppp"),
        ("workers", first),
    ]
    assert ("basis", "ppp") in taken.slides[0].params

    at.switch_page("app_pages/lesson.py").run()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert any("Slide 1 of 2" in m and "Wages" in m for m in shown)
    assert any("Slide 2 of 2" in m and "Workers" in m for m in shown)
    # her title and note; then slide 2 moved up
    title = next(w for w in at.text_input if w.key.startswith("lesson-slide-title-") and w.key.endswith("-0"))
    title.input("Le salaire réel").run()
    note = next(w for w in at.text_area if w.key.startswith("lesson-slide-note-") and w.key.endswith("-0"))
    note.input(HOSTILE).run()
    up = next(b for b in at.button if b.key.startswith("lesson-up-") and b.key.endswith("-1"))
    up.click().run()
    now = lesson.decode(
        at.query_params["v"] if isinstance(at.query_params["v"], str) else at.query_params["v"][-1]
    )
    assert [s.page for s in now.lesson.slides] == ["workers", "wages"]
    assert now.lesson.slides[1].title == "Le salaire réel" and now.lesson.slides[1].note == HOSTILE
    # the fields are drawn again from the lesson after a move: slide 2's fields hold wages' words
    second_note = next(
        w for w in at.text_area if w.key.startswith("lesson-slide-note-") and w.key.endswith("-1")
    )
    assert second_note.value == HOSTILE
    out = next(b for b in at.button if b.key.startswith("lesson-remove-") and b.key.endswith("-0"))
    out.click().run()
    assert [s.page for s in lesson.decode(str(at.query_params["v"])).lesson.slides] == ["wages"]


def test_a_colleague_opens_the_same_lesson_from_its_link_in_french() -> None:
    at = run("lesson", "fr", v=encode(LESSON))
    assert not at.warning
    shown = " ".join(m.value for m in at.markdown)
    assert "Diapositive 1 sur 4" in shown and "De la page Salaires" in shown
    titles = [w.value for w in at.text_input if w.key.startswith("lesson-slide-title-")]
    assert titles == ["", "Mon titre", "", ""]
    notes = [w.value for w in at.text_area if w.key.startswith("lesson-slide-note-")]
    assert notes[1] == HOSTILE, "her words are shown as she wrote them, as text in a field"


@pytest.mark.parametrize("link", ["garbage", packed({"s": [["nowhere", "x", "", "", "", ""]]})])
def test_a_bad_lesson_link_gives_a_notice_on_the_page(link: str) -> None:
    at = run("lesson", v=link)
    assert at.warning and not at.exception
    assert any("Your lesson has no slide yet" in i.value for i in at.info)


# --- the pack -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    from pack import lesson as pack_lesson

    out = tmp_path_factory.mktemp("lesson")
    made = pack_lesson.build(LESSON, out, "2026-12-04", app_url="http://atlas.example", with_images=False)
    return out, made


def figure_of(page: Path) -> dict[str, object]:
    found = re.search(
        r'<script type="application/json" id="atlas-figure">(.*?)</script>', page.read_text(), re.S
    )
    assert found, page
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def app_figure(slide: Slide, lang: str) -> dict[str, object]:
    """The chart `slide` names, as the app sends it for the slide's view."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    for key, value in slide.params:
        at.query_params[key] = value
    at.switch_page(f"app_pages/{slide.page}.py")
    at.run()
    for element in at.get("plotly_chart"):
        proto = element.proto  # type: ignore[attr-defined]
        if json.loads(proto.config)["toImageButtonOptions"]["filename"] == slide.chart:
            return json.loads(proto.spec)  # type: ignore[no-any-return]
    raise AssertionError(f"{slide.chart} not drawn on {slide.page}")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_slide_shows_the_values_of_its_view(built: tuple[Path, object], lang: str) -> None:
    out, made = built
    assert made.missing == []  # type: ignore[attr-defined]
    for number, slide in enumerate(SLIDES, 1):
        on_slide = figure_of(out / "lesson" / lang / "lesson" / f"{number}.html")
        in_app = app_figure(slide, lang)
        assert [t.get("x") for t in on_slide["data"]] == [t.get("x") for t in in_app["data"]]  # type: ignore[index]
        assert [t.get("y") for t in on_slide["data"]] == [t.get("y") for t in in_app["data"]]  # type: ignore[index]


def test_her_words_are_text_and_apart_from_the_atlas_s(built: tuple[Path, object]) -> None:
    out, _ = built
    page = (out / "lesson" / "en" / "lesson" / "2.html").read_text()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    teacher = re.search(r'<aside class="teacher".*?</aside>', page, re.S)
    assert teacher is not None, "her note is set apart, in its own box"
    assert "Teacher&#x27;s note" in teacher.group(0), "and labelled as the teacher's"
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in teacher.group(0), "her words, as text"
    assert "<h1>Mon titre</h1>" in page, "her title in place of the chart's"
    assert "The atlas&#x27;s title" in page or "The atlas's title" in page
    two_lines = (out / "lesson" / "fr" / "lesson" / "3.html").read_text()
    assert "<p>Ligne 1</p><p>Ligne 2</p>" in two_lines


def test_the_sources_page_lists_only_the_slides_sources(built: tuple[Path, object]) -> None:
    out, _ = built
    for lang in ("en", "fr"):
        listed = set(
            re.findall(r'<section id="([^"]+)">', (out / "lesson" / lang / "sources.html").read_text())
        )
        captions = " ".join(
            re.search(r'<p class="source">(.*?)</p>', page.read_text()).group(1)  # type: ignore[union-attr]
            for page in (out / "lesson" / lang / "lesson").glob("[0-9]*.html")
        )
        page = (out / "lesson" / lang / "sources.html").read_text()
        shorts = re.findall(r'<section id="[^"]+"><h2>(.*?)</h2>', page)
        assert len(shorts) == len(listed) and 0 < len(listed) < 30, "a lesson's sources, not the atlas's 116"
        for short in shorts:
            assert short in captions, f"{short} is listed but no slide's source line names it"


def test_the_zip_is_a_scorm_package_that_opens_offline(built: tuple[Path, object], schema: object) -> None:
    out, made = built
    archive = out / "atlas-lesson.zip"
    assert archive.stat().st_size < 10_000_000
    with zipfile.ZipFile(archive) as bundle:
        names = bundle.namelist()
        manifest = bundle.read("imsmanifest.xml").decode()  # at the zip's root, where an LMS looks
    assert is_valid(schema, manifest)  # type: ignore[arg-type]
    for lang in ("en", "fr"):
        for page in ("index.html", "1.html", "2.html", "3.html", "4.html", "end.html"):
            assert f"{lang}/lesson/{page}" in names
        for number in range(1, len(SLIDES) + 1):  # every slide's CSV, and its page links it
            assert f"{lang}/data/slide-{number}.csv" in names
            assert f"../data/slide-{number}.csv" in bundle_text(archive, f"{lang}/lesson/{number}.html")
    assert "Économie des plateformes" in manifest
    launch = (out / "lesson" / "en" / "lesson" / "index.html").read_text()
    assert "assets/scorm.js" in launch, "the launch page talks to the LMS"
    assert "assets/scorm.js" not in (out / "lesson" / "en" / "lesson" / "1.html").read_text(), "slides do not"
    for page in (out / "lesson").rglob("*.html"):
        # nothing loaded from outside (a source's address is a link a reader may follow, not a load)
        assert not re.search(r'(src="|<link[^>]*href=")(https?:)?//', page.read_text()), page


def test_a_flow_map_slide_is_the_plotly_drawing_of_the_same_view() -> None:
    """The Flows map is deck.gl in the app: its slide is flows.figure() of the same view (the
    California employers' flows, regions, 2015), as the classroom pack draws its flow maps."""
    from dashboard import flows, i18n
    from pack import lesson as pack_lesson

    slide = Slide("flows", "flows-map-regions-2015", (("focus", "USA:California"), ("level", "regions")))
    with i18n.speaking("en"):
        shown = pack_lesson.capture(slide, "en")
        expected = json.loads(
            pio_json(flows.figure(2015, flows.DEFAULT_TOP, "wb", "USA:California", "regions"))
        )
    assert shown.figure is not None and shown.source.startswith("Source:")
    drawn = [(t.get("type"), t.get("lon"), t.get("lat")) for t in shown.figure["data"]]
    assert drawn == [(t.get("type"), t.get("lon"), t.get("lat")) for t in expected["data"]]
    assert any("California" in str(t.get("hovertext") or t.get("text") or "") for t in shown.figure["data"])


def pio_json(figure: object) -> str:
    import plotly.io as pio

    return pio.to_json(figure, validate=False)  # type: ignore[arg-type]


def bundle_text(archive: Path, name: str) -> str:
    with zipfile.ZipFile(archive) as bundle:
        return bundle.read(name).decode()


def test_building_a_lesson_on_the_page_offers_its_zip_and_names_the_slides_without_data() -> None:
    """A slide whose view no longer draws its chart (a hand-made or old link) becomes "no data"
    in the pack, and the page says which, once built (the real build: python -m pack --lesson)."""
    link = encode(Lesson("T", "", "", (SLIDES[0], Slide("wages", "no-such-chart", (), "Gone"))))
    at = run("lesson", v=link)
    next(b for b in at.button if b.key == "lesson-build").click().run(timeout=300)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("these slides say “no data”: 2." in w.value for w in at.warning)
    download = [b for b in at.get("download_button") if b.proto.id.endswith("lesson-download")]  # type: ignore[attr-defined]
    assert download and download[0].proto.label.startswith("Download this lesson (zip, ")  # type: ignore[attr-defined]


def test_maps_draw_into_images_when_the_pack_is_built_in_a_relative_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m pack --lesson … --out dist` gave kaleido a relative path to the borders, which its
    own page could not load: every map slide failed to draw (found building a real lesson)."""
    import plotly.io as pio

    from dashboard import flows, i18n
    from pack import assets, images

    with i18n.speaking("en"):
        figure = json.loads(pio.to_json(flows.figure(2015, flows.DEFAULT_TOP, "wb"), validate=False))
    monkeypatch.chdir(tmp_path)
    assets.write(Path("site"))
    images.write(
        [images.Request(Path("site/map"), figure, "A map", "Source: a test", formats=("png",))],
        Path("site") / assets.WORLD,
        1,
    )
    assert Image.open(tmp_path / "site" / "map.png").size == (1920, 1080)


@pytest.mark.browser
def test_a_failed_image_stops_the_drawing_and_a_cancel_leaves_nothing_behind(tmp_path: Path) -> None:
    """The image stream (pack.images.Stream) reports the first failure at the next `put`, not after
    every slide, and a cancelled stream stops at once, its Chromium closed and its folder removed."""
    import time

    from pack import assets, images

    world = tmp_path / "world.js"
    world.write_text(assets.world_script(), encoding="utf-8")
    good = {"data": [{"type": "bar", "x": ["a"], "y": [2]}], "layout": {}}
    stream = images.Stream(world, 1)
    # Each stream's own folder (the system's temp folder is shared with the other test worker,
    # whose streams come and go meanwhile).
    folders = [Path(stream._scratch.name)]  # noqa: SLF001 - the folder it must remove
    stream.put(images.Request(tmp_path / "bad", {"data": 5, "layout": {}}, "A", "B", formats=("png",)))
    deadline = time.monotonic() + 60
    while stream._failure is None and time.monotonic() < deadline:  # noqa: SLF001 - waiting for it
        time.sleep(0.05)
    with pytest.raises(images.ImageFailed, match="non-array figure data"):
        stream.put(images.Request(tmp_path / "good", good, "A", "B", formats=("png",)))
    with pytest.raises(images.ImageFailed, match="non-array figure data"):
        stream.close()
    cancelled = images.Stream(world, 1)
    folders.append(Path(cancelled._scratch.name))  # noqa: SLF001
    assert all(folder.is_dir() for folder in folders[1:])
    for number in range(30):
        cancelled.put(images.Request(tmp_path / f"more-{number}", good, "A", "B"))
    started = time.perf_counter()
    cancelled.close(cancel=True)
    assert time.perf_counter() - started < 10, "thirty images were not all drawn before stopping"
    assert not (tmp_path / "more-29.png").exists()
    assert [folder for folder in folders if folder.exists()] == []
    assert all(folder.name.startswith("atlas-images-") for folder in folders)
