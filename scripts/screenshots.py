"""Screenshots of every page at 1920×1080 and 1280×720, in English and French, into screenshots/.

`make screenshots` (or `python scripts/screenshots.py [page …] [--lang fr] [--size 1280x720]`).
Also prints every request that left localhost: there should be none. `--query` adds to each page's
address (`--query "embed=true&chart=price-ladder"`, `--query v=1.…` for a lesson) and `--tag` to the
file names. `--file dist/lesson en/lesson/1.html …`: pages of a built pack or lesson opened from
file://, every other request refused (and listed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.support import (  # noqa: E402
    CHARTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGES,
    ROOT,
    is_local,
    streamlit_server,
    wait_for_app,
    wait_for_charts,
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="*", default=list(PAGES))
    parser.add_argument("--lang", action="append", default=None)
    parser.add_argument("--size", action="append", default=None)
    parser.add_argument("--query", default="", help="extra query string, e.g. metric=supply")
    parser.add_argument("--full", action="store_true", help="whole page, not just the first screen")
    parser.add_argument("--tag", default="", help="added to the file names")
    parser.add_argument(
        "--file", type=Path, help="a built pack's folder: the pages are its files, from file://"
    )
    args = parser.parse_args()
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    external: list[str] = []
    if args.file is not None:
        return _files(args, out)
    with streamlit_server() as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in args.size or ["1920x1080", "1280x720"]:
            width, height = (int(v) for v in size.split("x"))
            for lang in args.lang or ["en"]:
                context = browser.new_context(viewport={"width": width, "height": height}, locale=lang)
                page = context.new_page()
                page.on("request", lambda r: None if is_local(r.url) else external.append(r.url))
                for name in args.pages:
                    query = f"?lang={lang}" + (f"&{args.query}" if args.query else "")
                    page.goto(f"{base}/{'' if name == 'overview' else name}{query}")
                    wait_for_app(page)
                    wait_for_charts(page, *CHARTS.get(name, (0, 0)))
                    page.wait_for_timeout(2500)  # a screenshot only: let maps fetch and paint their borders
                    path = out / f"{name}-{lang}-{size}{'-' + args.tag if args.tag else ''}.png"
                    if args.full:  # Streamlit scrolls inside its main pane: grow the window to fit it
                        tall = page.evaluate(
                            '() => Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], '
                            '[data-testid="stMainBlockContainer"]\')].map(e => e.scrollHeight))'
                        )
                        page.set_viewport_size({"width": width, "height": max(height, int(tall) + 80)})
                        page.wait_for_timeout(1500)
                    page.screenshot(path=str(path))
                    page.set_viewport_size({"width": width, "height": height})
                    print(path.relative_to(ROOT))
                context.close()
        browser.close()
    print(f"requests that left localhost: {len(external)}")
    for url in sorted(set(external)):
        print("  ", url)
    return 1 if external else 0


def _files(args: argparse.Namespace, out: Path) -> int:
    """Pages of a static folder from file://, with every other request refused."""
    refused: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in args.size or ["1920x1080", "1280x720"]:
            width, height = (int(v) for v in size.split("x"))
            context = browser.new_context(viewport={"width": width, "height": height})
            context.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith("file://")
                    else (refused.append(route.request.url), route.abort())
                ),
            )
            page = context.new_page()
            for name in args.pages:
                page.goto((args.file.resolve() / name).as_uri())
                page.wait_for_timeout(2500)
                path = (
                    out
                    / f"{name.replace('/', '-').removesuffix('.html')}-{size}{'-' + args.tag if args.tag else ''}.png"
                )
                page.screenshot(path=str(path), full_page=args.full)
                print(path.relative_to(ROOT))
            context.close()
        browser.close()
    print(f"requests refused (outside file://): {len(refused)}")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
