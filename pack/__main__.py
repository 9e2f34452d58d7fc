"""`python -m pack [--out dist] [--date YYYY-MM-DD] [--no-images] [--no-zip]`: build the classroom pack."""

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
    args = parser.parse_args(argv)
    # Bare mode: Streamlit's caches work without a server and say so at every call.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import streamlit.logger

    streamlit.logger.set_log_level("error")
    from pack import build

    date = build.build_date(args.date)
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
