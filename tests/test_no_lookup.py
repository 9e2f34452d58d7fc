"""Nothing leaves the machine: no launch command of the atlas makes the server ask the network
for anything, at start or when a page loads.

Each command line is run as its launcher builds it (`make run` as `make -n` prints it, with and
without `BIND=0.0.0.0`; a `make serve` replica as scripts/serve.py builds it; the container's
command from deploy/Dockerfile), with a Python audit hook (a sitecustomize.py on PYTHONPATH) that
writes down every address the server resolves or connects to. Streamlit, headless and listening on
every interface with no address to print, asks checkip.amazonaws.com for this machine's address
(streamlit/web/bootstrap.py, `_print_url`); the hook sees the name resolved or the connection
made even when this machine has no network, and whether or not the request would have succeeded.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.support import ROOT, free_port, wait_for_app

sys.path.insert(0, str(ROOT / "scripts"))
import serve  # noqa: E402

# Runs in the server's interpreter before anything else: every name looked up and every address
# connected to that is not this machine is appended to ATLAS_NETWORK_LOG, one JSON line each.
SITECUSTOMIZE = """
import json, os, sys

_LOG = os.environ["ATLAS_NETWORK_LOG"]
_LOCAL = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::", "", None}


def _local(host):
    return host in _LOCAL or (isinstance(host, str) and (host.startswith("127.") or host.startswith("/")))


def _hook(event, args):
    if event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else address
    elif event == "socket.getaddrinfo":
        host = args[0]
        host = host.decode() if isinstance(host, bytes) else host
    elif event == "socket.gethostbyname":
        host = args[0]
    else:
        return
    if not _local(host):
        with open(_LOG, "a", encoding="utf-8") as out:
            out.write(json.dumps({"event": event, "host": str(host)}) + "\\n")


sys.addaudithook(_hook)
"""


def make_run(port: int, bind: str | None) -> list[str]:
    """`make run`'s command line, as make would run it (its install step taken as done)."""
    env = {k: v for k, v in os.environ.items() if k not in ("BIND", "MAKEFLAGS", "MFLAGS")}
    if bind:
        env["BIND"] = bind
    printed = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed-runtime", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in printed.splitlines() if "streamlit run" in line)
    return shlex.split(line)


def container(port: int) -> list[str]:
    """The image's CMD (deploy/Dockerfile), its `streamlit` this environment's, on a free port."""
    text = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    command: list[str] = json.loads(re.findall(r"^CMD (\[.*\])$", text, re.M)[-1])
    assert command[0] == "streamlit"
    command = [sys.executable, "-m", *command]
    command[command.index("--server.port") + 1] = str(port)
    return command


def replica(port: int) -> list[str]:
    return serve.replica_command(port)


LAUNCHES = {
    "make run": lambda port: make_run(port, None),
    "BIND=0.0.0.0 make run": lambda port: make_run(port, "0.0.0.0"),
    "make serve replica": replica,
    "container": container,
}


@contextlib.contextmanager
def launched(command: list[str], tmp: Path, port: int) -> Iterator[Path]:
    """The command running with the audit hook; yields the log of what it asked the network for."""
    (tmp / "hook").mkdir()
    (tmp / "hook" / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp / "network.log"
    log.touch()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp / "hook"), os.environ.get("PYTHONPATH")])),
        "ATLAS_NETWORK_LOG": str(log),
        "HOME": str(tmp),  # no ~/.streamlit of the person running the tests
    }
    if command[0].endswith("streamlit"):
        command = [sys.executable, "-m", "streamlit", *command[1:]]  # the venv's, on PYTHONPATH
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                pytest.fail(f"{command} did not start:\n{output}")
            time.sleep(0.2)
        yield log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_hook_sees_a_lookup() -> None:
    """The hook itself: a process that asks for checkip.amazonaws.com is caught, network or not."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
        log = tmp / "network.log"
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from streamlit import net_util; net_util._make_blocking_http_get("
                "'http://checkip.amazonaws.com', timeout=1)",
            ],
            env={**os.environ, "PYTHONPATH": str(tmp), "ATLAS_NETWORK_LOG": str(log)},
            check=True,
            timeout=60,
        )
        assert "checkip.amazonaws.com" in log.read_text(encoding="utf-8")


@pytest.mark.parametrize("launch", list(LAUNCHES))
def test_no_launch_command_asks_the_network_for_anything(
    launch: str, tmp_path: Path, browser: Browser
) -> None:
    port = free_port()
    command = LAUNCHES[launch](port)
    with launched(command, tmp_path, port) as log:
        page = browser.new_page(locale="fr-FR")
        try:
            page.goto(f"http://127.0.0.1:{port}/sources?lang=fr")
            wait_for_app(page)
        finally:
            page.close()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as reply:
            assert reply.status == 200
        asked = log.read_text(encoding="utf-8").splitlines()
    assert asked == [], f"{launch} ({shlex.join(command)}) asked the network: {asked}"
