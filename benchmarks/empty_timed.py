"""The floor of `python -m benchmarks --only reruns`: the empty app (benchmarks/empty_app.py) run as
it is, timed the way dashboard/app.py times a page, wall and CPU (time.thread_time: the server's
script thread only), into the file named by ATLAS_FLOOR_TIMINGS. The server is started without
ATLAS_TIMINGS, so the empty app's own line (wall time only) is not written as well.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

SCRIPT = Path(__file__).with_name("empty_app.py")
CODE = compile(SCRIPT.read_text(encoding="utf-8"), str(SCRIPT), "exec")

started = time.perf_counter()
cpu_started = time.thread_time()
exec(CODE, {"__name__": "__main__", "__file__": str(SCRIPT)})  # noqa: S102 - our own file
if os.environ.get("ATLAS_FLOOR_TIMINGS"):
    with open(os.environ["ATLAS_FLOOR_TIMINGS"], "a", encoding="utf-8") as log:
        log.write(
            json.dumps(
                {
                    "page": "empty",
                    "seconds": time.perf_counter() - started,
                    "cpu_seconds": time.thread_time() - cpu_started,
                }
            )
            + "\n"
        )
