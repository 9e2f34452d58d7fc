"""Every chart of the pack as a PNG of 1920 × 1080 pixels and an SVG, for slide decks, written by
kaleido (plotly's own exporter) driving Debian's Chromium, offline.

The chart's title is set above the plot and its source line under it, in bands of their own: a
plotly annotation is placed in plot coordinates, and the legends and axis titles under a plot push
the margin by amounts known only once plotly has laid the chart out, so a source line drawn by
plotly would land on them in some charts. Kaleido draws the chart into the space between the two
bands; Pillow (PNG) and an enclosing <svg> (SVG) add the bands.

Deterministic: plotly.js names its SVG clip paths after a random id per plot, which is replaced by
a fixed one; path coordinates are rounded to a tenth of a pixel (they come with 13 decimals, which
doubled a map's file). The pack's PNGs are quantised to 256 colours (a map: 90 KB instead of 390 KB); a lesson's keep every colour (its zip has room, and its build is timed).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import html
import io
import os
import re
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from pack import assets

WIDTH, HEIGHT = 1920, 1080
# A lesson's PNG keeps every colour up to this size; a larger one (a world map, ~390 KB) is
# quantised like the pack's, so that a lesson of maps stays within its 10 MB for 10 slides.
FULL_COLOUR_MAX = 250_000
CHROMIUM = "/usr/bin/chromium"
FONTS = {
    "regular": (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ),
    "bold": (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
}
SVG_FONT = "'Liberation Sans', Arial, Helvetica, 'DejaVu Sans', sans-serif"
TEXT = "#1A1A1A"
MUTED = "#3A3A3A"


@dataclass(frozen=True)
class Request:
    """One chart to export: `base` is the output path without extension."""

    base: Path
    figure: dict[str, Any]  # plotly.js JSON, as the page draws it
    title: str
    source: str
    scale: float = 1.5  # chart pages: drawn at 1280 × 720 and scaled, so their type reads on a slide
    width: int = WIDTH  # the image's size (the app's "Embed" offers 1200 × 630 too, a social preview)
    height: int = HEIGHT
    formats: tuple[str, ...] = ("png", "svg")
    # 256 colours (the pack: 40 KB a chart instead of 105, within its 20 MB); False: every colour
    # as drawn, for a lesson's slides (quantising took 0.1 s of CPU an image, 40 images a lesson)
    palette: bool = True


def _font(kind: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONTS[kind]:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _lines(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int, most: int) -> list[str]:
    """`text` broken into lines of at most `width` pixels (at most `most` lines; the last one ends
    with an ellipsis if the text does not fit)."""
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if font.getlength(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > most:
        lines = lines[:most]
        while lines[-1] and font.getlength(lines[-1] + " …") > width:
            lines[-1] = lines[-1].rsplit(" ", 1)[0]
        lines[-1] += " …"
    return lines


@dataclass(frozen=True)
class Bands:
    title: list[str]
    source: list[str]
    width: int
    height: int
    title_size: int
    source_size: int
    top: int  # pixels above the chart
    bottom: int  # pixels under it
    margin: int


def _bands(request: Request) -> Bands:
    # type for the image's width: 36 and 24 px at 1920; a 1200-pixel social preview, shown small
    # in a feed, keeps 28 and 19 px so that its title and source line still read
    margin = 28 if request.width >= WIDTH else 22
    title_size, source_size = (36, 24) if request.width >= WIDTH else (28, 19)
    width = request.width - 2 * margin
    title = _lines(request.title, _font("bold", title_size), width, 2)
    source = _lines(request.source, _font("regular", source_size), width, 4)
    top = margin + len(title) * round(title_size * 1.25) + 8
    bottom = len(source) * round(source_size * 1.3) + margin
    return Bands(title, source, request.width, request.height, title_size, source_size, top, bottom, margin)


def _png(chart: bytes, bands: Bands, palette: bool = True) -> bytes:
    canvas = Image.new("RGB", (bands.width, bands.height), "white")
    drawn = Image.open(io.BytesIO(chart)).convert("RGBA")
    canvas.paste(drawn, (bands.margin, bands.top), drawn)
    draw = ImageDraw.Draw(canvas)
    y = bands.margin
    bold = _font("bold", bands.title_size)
    for line in bands.title:
        draw.text((bands.margin, y), line, font=bold, fill=TEXT)
        y += round(bands.title_size * 1.25)
    regular = _font("regular", bands.source_size)
    y = bands.height - bands.bottom + 4
    for line in bands.source:
        draw.text((bands.margin, y), line, font=regular, fill=MUTED)
        y += round(bands.source_size * 1.3)
    out = io.BytesIO()
    if palette:
        canvas.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            out, "PNG", optimize=True
        )
    else:  # zlib's default level: `optimize` (level 9) took 90 ms more an image, for 5 % less
        canvas.save(out, "PNG")
        if out.tell() > FULL_COLOUR_MAX:  # a world map in every colour: 256 of them after all
            return _png(chart, bands, palette=True)
    return out.getvalue()


_UID = re.compile(r'<defs id="defs-([0-9a-f]+)"')
_COLOUR_BAR = re.compile(r"(?:gatlas-|class=\")(cb[0-9a-f]{6})\b")
_NUMBER = re.compile(r"-?\d+\.\d{2,}")
_PATH = re.compile(r' d="([^"]*)"')


_LEGEND_FILL = re.compile(r"legendfill-[0-9a-f]{6}")
_TRACE = re.compile(r'class="trace [a-z]+ (trace[0-9a-f]{6})"')
_TAG = re.compile(r'<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")+)\s*(/?)>')
_ATTRIBUTE = re.compile(r'([\w:.-]+)="([^"]*)"')


def _sorted_attributes(tag: re.Match[str]) -> str:
    attributes = " ".join(f'{k}="{v}"' for k, v in sorted(_ATTRIBUTE.findall(tag.group(2))))
    return f"<{tag.group(1)} {attributes}{tag.group(3)}>"


def normalise_svg(svg: str) -> str:
    """plotly.js's random ids replaced by fixed ones (the plot's, and each colour bar's gradient's,
    numbered in order); path coordinates to 0.1 px."""
    found = _UID.search(svg)
    if found:
        uid = found.group(1)
        svg = re.sub(rf'(id="|#)([A-Za-z-]*){uid}', r"\g<1>\g<2>atlas", svg)
    # A colour bar's id ("cb" and six random hex digits) is in its gradient's id, its group's class
    # and its ticks' class ("ycb…tick").
    for number, token in enumerate(dict.fromkeys(_COLOUR_BAR.findall(svg))):
        svg = svg.replace(token, f"cb{number}")
    # A legend entry of a map's trace has a gradient of its own ("legendfill-" and six random hex
    # digits), referenced by its fill: numbered in order too.
    for number, token in enumerate(dict.fromkeys(_LEGEND_FILL.findall(svg))):
        svg = svg.replace(token, f"legendfill-{number}")
    # A trace that the figure gives no uid gets a random class of its own ("trace" and six hex
    # digits): numbered in order too.
    for number, token in enumerate(dict.fromkeys(_TRACE.findall(svg))):
        svg = svg.replace(token, f"trace-{number}")
    # Each element's attributes in name order: plotly sets a legend's style before or after its
    # size depending on whether the page has drawn a plot before (the same chart, the same picture).
    svg = _TAG.sub(_sorted_attributes, svg)
    return _PATH.sub(lambda m: ' d="' + _NUMBER.sub(lambda n: _tenth(n.group(0)), m.group(1)) + '"', svg)


def _tenth(number: str) -> str:
    text = f"{float(number):.1f}"
    return "0" if text in ("0.0", "-0.0") else text


def _svg(chart: str, bands: Bands, scale: float) -> str:
    """The chart's SVG (drawn at 1/scale of the pixels) inside a 1920 × 1080 one with the bands
    (text escaped for XML)."""
    inner = re.sub(r"^<\?xml[^>]*>\s*", "", normalise_svg(chart))
    inner = inner.replace("<svg ", f'<svg x="{bands.margin / scale:.2f}" y="{bands.top / scale:.2f}" ', 1)
    lines = []
    y = bands.margin + bands.title_size
    for line in bands.title:
        lines.append(
            f'<text x="{bands.margin}" y="{y}" font-family="{SVG_FONT}" font-size="{bands.title_size}" '
            f'font-weight="bold" fill="{TEXT}">{html.escape(line)}</text>'
        )
        y += round(bands.title_size * 1.25)
    y = bands.height - bands.bottom + 4 + bands.source_size
    for line in bands.source:
        lines.append(
            f'<text x="{bands.margin}" y="{y}" font-family="{SVG_FONT}" font-size="{bands.source_size}" '
            f'fill="{MUTED}">{html.escape(line)}</text>'
        )
        y += round(bands.source_size * 1.3)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{bands.width}" height="{bands.height}" viewBox="0 0 {bands.width} {bands.height}">'
        f'<rect width="{bands.width}" height="{bands.height}" fill="#FFFFFF"/>'
        + "".join(lines)
        + f'<g transform="scale({scale:g})">{inner}</g></svg>\n'
    )


def scale_for(request: Request, room: int) -> float:
    """How much the chart is enlarged: `request.scale`, or less when the figure needs more height
    than `room` pixels would leave it at that scale (a price ladder of eleven two-line labels needs
    its 904 px; squeezed, the labels fell on each other)."""
    needed = float(request.figure.get("layout", {}).get("height") or 450)
    return min(request.scale, room / needed)


def _for_image(figure: dict[str, Any]) -> dict[str, Any]:
    """The figure as kaleido draws it: its size comes from the image, not from the page."""
    layout = {k: v for k, v in figure.get("layout", {}).items() if k not in ("height", "width")}
    return {**figure, "layout": layout}


RELOAD_EVERY = 25  # images a tab draws between two reloads of its page


def _drawer(tabs: int, generator: Any) -> Any:
    """A kaleido that reloads a tab's page every `RELOAD_EVERY` images instead of after each one.

    kaleido reloads the page after every image (kaleido.Kaleido._return_kaleido_tab, 1.5.0), so each
    image parses plotly.js (4.8 MB) and our borders again: 5.2 s of the 13.5 s that a 20-slide
    lesson's PNG and SVG took in one language (/tmp diagnosis, 2026-12-05). Its own script purges
    the plot after each image (kaleido_scopes.js: Plotly.purge), and the PNGs come out byte for byte
    the same without the reloads; the reload every 25 images bounds what a long pack could leak.
    The override is of a private method: kaleido is pinned in constraints.txt, and
    tests/test_pack.py draws a dozen images through one tab with it."""
    import kaleido
    from kaleido.kaleido import Kaleido

    class _Kaleido(Kaleido):
        drawn: dict[int, int]

        async def _return_kaleido_tab(self, tab: Any) -> None:
            count = self.drawn.get(id(tab), 0) + 1
            self.drawn[id(tab)] = count
            if count % RELOAD_EVERY == 0:
                await tab.reload()
            await self.tabs_ready.put(tab)

    drawer = _Kaleido(n=tabs, page_generator=generator, timeout=120)
    drawer.drawn = {}
    assert kaleido.Kaleido is Kaleido
    return drawer


def _jobs(request: Request, scratch: str, index: int) -> tuple[list[dict[str, Any]], Bands, float]:
    bands = _bands(request)
    room = request.height - bands.top - bands.bottom
    scale = scale_for(request, room)
    width = round((request.width - 2 * bands.margin) / scale)
    height = round(room / scale)
    figure = _for_image(request.figure)
    jobs = [
        {
            "fig": figure,
            "path": f"{scratch}/{index}.{fmt}",
            "opts": {"format": fmt, "width": width, "height": height, "scale": scale if fmt == "png" else 1},
        }
        for fmt in request.formats
    ]
    return jobs, bands, scale


def _finish(request: Request, scratch: str, index: int, bands: Bands, scale: float) -> None:
    """The chart kaleido drew, with its title and source line added, at `request.base`."""
    request.base.parent.mkdir(parents=True, exist_ok=True)
    if "png" in request.formats:
        chart_png = Path(f"{scratch}/{index}.png").read_bytes()
        request.base.with_suffix(".png").write_bytes(_png(chart_png, bands, request.palette))
    if "svg" in request.formats:
        chart_svg = Path(f"{scratch}/{index}.svg").read_text(encoding="utf-8")
        request.base.with_suffix(".svg").write_text(_svg(chart_svg, bands, scale), encoding="utf-8")


class ImageFailed(RuntimeError):
    """An image could not be drawn (its cause: kaleido's or Pillow's error)."""


def _failed(error: BaseException) -> ImageFailed:
    # A new error each time, the first one as its cause: raising one exception object again and
    # again, from two threads, grew its traceback on every put (and pytest's report of it broke
    # CPython 3.11's recursion counter: "AST constructor recursion depth mismatch").
    failed = ImageFailed(f"an image could not be drawn: {error}")
    failed.__cause__ = error
    return failed


class Stream:
    """Images drawn while the caller goes on: one Chromium, started at once, draws each request as
    it is `put` (a lesson's slides are drawn while the next ones are still being taken from their
    pages); `close` waits for the last and raises the first failure, and the first failure stops
    the drawing (`put` raises it from then on).

    kaleido runs its own event loop, in a thread of its own: the caller may be running one already
    (Playwright's sync API does, in the tests), and asyncio.run refuses a second in one thread. The
    thread is a daemon: a caller that dies without `close` does not keep the process alive."""

    def __init__(self, world: Path, tabs: int = 2) -> None:
        browser = os.environ.get("BROWSER_PATH", CHROMIUM)
        if not Path(browser).exists():
            raise RuntimeError(
                f"Chromium is needed to draw the images: {browser} is missing "
                "(apt-get install chromium, or set BROWSER_PATH); `python -m pack --no-images` skips them."
            )
        os.environ.setdefault("BROWSER_PATH", CHROMIUM)
        # kaleido's page loads `world` from its own temporary folder: a relative path (`--out dist`)
        # would point nowhere there, and every map would fail to draw
        self._world = world.resolve()
        self._tabs = tabs
        self._scratch = tempfile.TemporaryDirectory(prefix="atlas-images-")
        self._failure: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[Request | None] | None = None
        self._drawing: list[asyncio.Task[None]] = []
        self._stopping = False
        self._cancelled_by_caller = False
        self._ready = threading.Event()
        self._done: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(target=self._run, name="atlas-images", daemon=True)
        self._thread.start()
        self._ready.wait()

    def _run(self) -> None:
        try:
            # asyncio.Runner, as asyncio.run: leftover tasks cancelled, generators and the default
            # executor shut down before the loop closes
            with asyncio.Runner() as runner:
                runner.run(self._main())
            self._done.set_result(None)
        except BaseException as error:  # noqa: BLE001 - handed to close(), which raises it
            self._done.set_exception(error)
        finally:
            self._ready.set()  # a failure before _main started must not leave __init__ waiting

    async def _main(self) -> None:
        import kaleido

        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self._ready.set()
        generator = kaleido.PageGenerator(
            plotly=str(assets.PLOTLY_JS), mathjax=False, others=[str(self._world)]
        )
        finishing = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        queue = self._queue

        async def draw(drawer: Any, request: Request, index: int) -> None:
            try:
                jobs, bands, scale = _jobs(request, self._scratch.name, index)
                await drawer.write_fig_from_object(jobs, cancel_on_error=True)
                # Pillow's work (the bands, the colours) off the loop: the next chart is sent meanwhile
                await self._loop.run_in_executor(  # type: ignore[union-attr]
                    finishing, _finish, request, self._scratch.name, index, bands, scale
                )
            except asyncio.CancelledError:
                raise
            except BaseException as error:
                if self._failure is None:
                    self._failure = error
                    self._stop()  # the first failure stops the drawing
                raise

        # Never cancelled from outside: a stop is a flag and the end of the queue, so that kaleido
        # always leaves its `async with` (Chromium closed, its profile removed), even while opening.
        try:
            async with _drawer(self._tabs, generator) as drawer:
                while (request := await queue.get()) is not None:
                    if not self._stopping:
                        self._drawing.append(asyncio.create_task(draw(drawer, request, len(self._drawing))))
                if self._stopping:
                    self._stop()
                await asyncio.gather(*self._drawing, return_exceptions=True)
        finally:
            finishing.shutdown(wait=True)
        if self._failure is not None:
            raise _failed(self._failure)
        if self._stopping and not self._cancelled_by_caller:
            raise RuntimeError("the images' drawing stopped")

    def _stop(self) -> None:
        """In the loop: no more images; those being drawn are cancelled; the queue ends."""
        self._stopping = True
        for task in self._drawing:
            task.cancel()
        self._queue.put_nowait(None)  # type: ignore[union-attr]

    def _call(self, callback: Any, *args: object) -> None:
        """`callback(*args)` in the drawing loop; the loop has ended only when drawing stopped."""
        try:
            self._loop.call_soon_threadsafe(callback, *args)  # type: ignore[union-attr]
        except (RuntimeError, AttributeError):  # closed, or never started: say why
            self._raise_failure()
            raise RuntimeError("the images' drawing has stopped") from None

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise _failed(self._failure)
        if self._done.done():
            self._done.result()

    def put(self, request: Request) -> None:
        self._raise_failure()  # a failed image stops the lesson at once, not after every slide
        self._call(self._queue.put_nowait, request)  # type: ignore[union-attr]

    def close(self, cancel: bool = False) -> None:
        """Wait for the images put so far; `cancel`: stop drawing them (the caller has failed, and
        raises its own error: this one raises nothing). Either way Chromium is closed on return."""
        try:
            if not self._done.done():
                try:
                    if cancel:
                        self._cancelled_by_caller = True
                        self._call(self._stop)
                    else:
                        self._call(self._queue.put_nowait, None)  # type: ignore[union-attr]
                except BaseException:
                    if not cancel:
                        raise
            try:
                self._done.result()
            except BaseException:
                if cancel:
                    return
                self._raise_failure()
                raise
        finally:
            self._thread.join(timeout=60)
            self._scratch.cleanup()

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, failed: type[BaseException] | None, *exc: object) -> None:
        self.close(cancel=failed is not None)


def ready() -> str:
    """Why the images cannot be drawn here ("" when they can): kaleido and Chromium are needed."""
    browser = os.environ.get("BROWSER_PATH", CHROMIUM)
    if not Path(browser).exists():
        return f"no Chromium at {browser}"
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return "kaleido is not installed"
    return ""


def write(requests: Sequence[Request], world: Path, tabs: int = 2) -> None:
    """Write `base`.png and `base`.svg of every request. `world`: the pack's assets/world.js, so
    that maps draw with no request (the same file the pages load)."""
    with Stream(world, tabs) as stream:
        for request in requests:
            stream.put(request)


_ONE_AT_A_TIME = threading.BoundedSemaphore(1)  # the app's PNGs: one Chromium at a time per server


def png(figure: dict[str, Any], title: str, source: str, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """One PNG of `figure` at `width` × `height` with its title and source line drawn in (the app's
    "Embed or download" buttons): the pack's own drawing, with a world of borders for the maps."""
    with _ONE_AT_A_TIME, tempfile.TemporaryDirectory(prefix="atlas-png-") as scratch:
        world = Path(scratch) / "world.js"
        world.write_text(assets.world_script(), encoding="utf-8")
        base = Path(scratch) / "chart"
        write(
            [Request(base, figure, title, source, scale=1.0, width=width, height=height, formats=("png",))],
            world,
            1,
        )
        return base.with_suffix(".png").read_bytes()
