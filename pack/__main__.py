"""`python -m pack [--out dist] [--date YYYY-MM-DD] [--no-images] [--no-zip]`: build the classroom pack.

`python -m pack --lesson lesson.json|LINK [--app-url URL]`: build a teacher's lesson instead (the
Lesson page's link, or a JSON file {"v": "1.…"}), into `--out`/lesson/ and `--out`/atlas-lesson.zip."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from dashboard.data import PACK_ZIP


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pack", description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=PACK_ZIP.parent, help="folder for pack/ and atlas-pack.zip"
    )
    parser.add_argument(
        "--date",
        help="the build date the pack states (default: SOURCE_DATE_EPOCH, else the last commit's date)",
    )
    parser.add_argument(
        "--no-images", action="store_true", help="skip the PNG and SVG files (no Chromium needed)"
    )
    parser.add_argument("--no-zip", action="store_true", help="write dist/pack/ only")
    parser.add_argument("--tabs", type=int, default=2, help="Chromium tabs drawing the images at once")
    parser.add_argument("--lesson", help='a lesson\'s link (…/lesson?v=…) or a JSON file holding {"v": …}')
    parser.add_argument(
        "--app-url", default="", help="the atlas's address, for each slide's link to its view"
    )
    args = parser.parse_args(argv)
    # Bare mode: Streamlit's caches work without a server and say so at every call.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import streamlit.logger

    streamlit.logger.set_log_level("error")
    from pack import build

    date = build.build_date(args.date)
    if args.lesson:
        from pack import lesson

        made = lesson.build(
            lesson.read_lesson(args.lesson),
            args.out,
            date,
            app_url=args.app_url,
            with_images=not args.no_images,
            with_zip=not args.no_zip,
        )
        print(
            f"lesson: {len(made.pages)} pages in {made.site} (pages {made.seconds['pages']:.1f} s"
            + (f", images {made.seconds['images']:.1f} s" if "images" in made.seconds else "")
            + f", total {made.seconds['total']:.1f} s)"
            + (f"; slides whose chart is gone: {made.missing}" if made.missing else "")
            + (f"; no images: {made.no_images}" if made.no_images else "")
        )
        if made.archive is not None:
            print(f"zip: {made.archive} ({made.zip_bytes / 1e6:.1f} MB)")
        return 0
    summary = build.build(
        args.out, date, with_images=not args.no_images, with_zip=not args.no_zip, tabs=args.tabs
    )
    print(
        f"pack: {len(summary.pages)} pages, {len(summary.images)} images, {summary.files} files in {summary.site}"
        f" (built {date}; pages {summary.seconds['pages']:.1f} s"
        + (f", images {summary.seconds['images']:.1f} s" if "images" in summary.seconds else "")
        + f", total {summary.seconds['total']:.1f} s)"
    )
    if summary.archive is not None:
        print(f"zip: {summary.archive} ({summary.zip_bytes / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
