"""`make serve`'s launcher (scripts/serve.py) with the empty app (benchmarks/empty_app.py) as its
replicas: the same Caddy, deploy/Caddyfile, cookie secret and ports, only the app differs. The floor
of the click storm (benchmarks/storm.py); arguments are scripts/serve.py's.

    python -m benchmarks.serve_empty --replicas 2 --port 8500 --bind 127.0.0.1
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.support import ROOT

EMPTY_APP = ROOT / "benchmarks" / "empty_app.py"


def launcher() -> ModuleType:
    spec = importlib.util.spec_from_file_location("atlas_serve", ROOT / "scripts" / "serve.py")
    assert spec is not None and spec.loader is not None
    serve = importlib.util.module_from_spec(spec)
    # Known by its name, so that the precompression's worker processes can find its functions.
    sys.modules["atlas_serve"] = serve
    spec.loader.exec_module(serve)
    if not hasattr(serve, "replica_command"):
        raise SystemExit("scripts/serve.py has no replica_command(port) to point at the empty app")
    atlas_command = serve.replica_command

    def empty_command(port: int) -> list[str]:
        return [str(EMPTY_APP) if part.endswith("replica.py") else part for part in atlas_command(port)]

    serve.replica_command = empty_command
    return serve


if __name__ == "__main__":
    sys.exit(launcher().main())
