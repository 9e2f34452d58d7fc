"""`python -m etl`: build every tidy table from datasets/raw, datasets/cited and datasets/sources."""

from __future__ import annotations

import argparse
import sys
import time

from pandera.errors import SchemaError, SchemaErrors

from etl import build, package
from etl.errors import EtlError
from etl.paths import DATASETS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    parser.add_argument("--check", action="store_true", help="build and validate, write nothing")
    parser.add_argument(
        "--datasets", default=str(DATASETS), help="the datasets folder (default: this repository's)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    from pathlib import Path

    folder = Path(args.datasets)
    try:
        result = build.run(folder)
    except EtlError as error:
        print(f"etl: error: {error}", file=sys.stderr)
        print("etl: nothing was written; the previous datasets are unchanged.", file=sys.stderr)
        return 1
    except (SchemaError, SchemaErrors) as error:
        print(f"etl: error: a tidy table breaks its contract:\n{error}", file=sys.stderr)
        print("etl: nothing was written; the previous datasets are unchanged.", file=sys.stderr)
        return 1
    if not args.check:
        package.publish(result.tables, result.geometry, folder)
    rows = sum(len(frame) for frame in result.tables.values())
    elapsed = time.perf_counter() - started
    verb = "checked" if args.check else "wrote"
    print(
        f"etl: {verb} {len(result.tables)} tables, {rows} rows, "
        f"{len(result.tables['sources'])} sources, {len(result.tables['figures'])} figures in {elapsed:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
