"""Every byte of a first visit, per page: each response Chromium received (path with its hash
stripped, content type, encoding, encoded bytes with headers) and the websocket's messages, grouped
as Streamlit's main bundle, its lazy chunks, plotly.js, deck.gl/maplibre, fonts, our geometry,
index.html and API answers, websocket.

Websocket bytes: Chromium reports each frame's payload after permessage-deflate has been undone, so
when the handshake negotiated it the bytes on the wire are recomputed here with the server's own
settings (uvicorn's websockets-sansio: window 2**12, memLevel 5, level 6, context kept between
messages, Z_SYNC_FLUSH with its 4 trailing bytes dropped) plus each frame's header. The ForwardMsg
protobufs are decoded to say how much of them is plotly figure JSON, and how much of that is
`layout.template`.

    python -m benchmarks.bytes [--pages flows map] [--lan] [--json out.json]

starts `python scripts/serve.py --replicas 2` (the proxy) and prints the tables. benchmarks/serving.py
uses `first_visit` for its own section.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import zlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import streamlit
from playwright.sync_api import sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.support import CHARTS, CHROMIUM, CHROMIUM_ARGS, PAGES, wait_for_app, wait_for_charts

LAN_NAME = "atlas-lecture-hall.test"  # as in benchmarks/serving.py
INDEX_HTML = Path(streamlit.__file__).parent / "static" / "index.html"
GROUPS = (
    "Streamlit main bundle",
    "Streamlit lazy chunks",
    "plotly.js",
    "deck.gl/maplibre",
    "fonts",
    "our geometry",
    "index.html and API",
    "websocket",
)
HASH = re.compile(r"\.[A-Za-z0-9_-]{8}(?=\.(?:js|css|woff2|png|svg|gif)$)")


def entry_files() -> set[str]:
    """Streamlit's main bundle: the script, module preloads and stylesheet index.html names."""
    text = INDEX_HTML.read_text()
    found = re.findall(r'(?:src|href)="\./(static/(?:js|css)/[^"]+)"', text)
    return {f"/{path}" for path in found}


def group_of(path: str, mime: str, entries: set[str]) -> str:
    name = path.rsplit("/", 1)[-1]
    if path.endswith(".woff2") or mime.startswith("font/"):
        return "fonts"
    if path.startswith("/app/static/"):
        return "our geometry"
    if name.startswith("PlotlyChart."):
        return "plotly.js"
    if name.startswith("DeckGlJsonChart.") or "maplibre" in name or "deck" in name.lower():
        return "deck.gl/maplibre"
    if path in entries:
        return "Streamlit main bundle"
    if path.startswith("/static/"):
        return "Streamlit lazy chunks"
    return "index.html and API"


@dataclass
class Response:
    path: str
    type: str
    encoding: str
    bytes: int
    group: str


@dataclass
class Socket:
    frames: int = 0
    payload: int = 0  # as Chromium reports it (decompressed)
    wire: int = 0  # payload as sent (deflated if negotiated) plus frame headers
    extensions: str = ""
    plotly_spec: int = 0  # figure JSON in the messages
    template: int = 0  # of which layout.template
    wire_without_template: int = 0  # the same messages, recomputed with the templates left out
    deck_json: int = 0


@dataclass
class Visit:
    page: str
    responses: list[Response] = field(default_factory=list)
    socket: Socket = field(default_factory=Socket)
    error: str = ""

    def total(self) -> int:
        return sum(r.bytes for r in self.responses) + self.socket.wire

    def by_group(self) -> dict[str, int]:
        sums: dict[str, int] = defaultdict(int)
        for r in self.responses:
            sums[r.group] += r.bytes
        sums["websocket"] += self.socket.wire
        return {g: sums.get(g, 0) for g in GROUPS}


def _frame_header(size: int) -> int:
    return 2 + (0 if size < 126 else 2 if size < 65536 else 8)


class _Deflate:
    """permessage-deflate as the replica's websockets library sends it (see the module doc)."""

    def __init__(self, bits: int) -> None:
        self.z = zlib.compressobj(6, zlib.DEFLATED, -bits, 5)

    def size(self, data: bytes) -> int:
        out = self.z.compress(data) + self.z.flush(zlib.Z_SYNC_FLUSH)
        return len(out) - 4 if out.endswith(b"\x00\x00\xff\xff") else len(out)


def _window_bits(extensions: str) -> int:
    found = re.search(r"server_max_window_bits=(\d+)", extensions)
    return int(found.group(1)) if found else 15


def _without_template(spec: str) -> tuple[str, int]:
    """The figure JSON with its `"template":{...}` member cut out as it is written (every other
    byte unchanged), and the bytes cut."""
    key = spec.find('"template":')
    if key < 0:
        return spec, 0
    value_at = key + len('"template":')
    while spec[value_at] == " ":
        value_at += 1
    _, end = json.JSONDecoder().raw_decode(spec, value_at)
    start = key
    if spec[end : end + 1] == ",":
        end += 1
    elif spec[start - 1 : start] == ",":
        start -= 1
    stripped = spec[:start] + spec[end:]
    return stripped, len(spec.encode()) - len(stripped.encode())


def account_socket(frames: list[bytes], extensions: str) -> Socket:
    sock = Socket(frames=len(frames), extensions=extensions)
    deflate = "permessage-deflate" in extensions
    with_t = _Deflate(_window_bits(extensions)) if deflate else None
    without_t = _Deflate(_window_bits(extensions)) if deflate else None
    for data in frames:
        sock.payload += len(data)
        stripped_data = data
        try:
            msg = ForwardMsg.FromString(data)
        except Exception:  # noqa: BLE001 - a text frame or an unknown message: counted, not decoded
            msg = None
        if msg is not None and msg.HasField("delta") and msg.delta.HasField("new_element"):
            element = msg.delta.new_element
            kind = element.WhichOneof("type")
            if kind == "plotly_chart":
                spec = element.plotly_chart.spec
                sock.plotly_spec += len(spec.encode())
                stripped, template = _without_template(spec) if spec else (spec, 0)
                sock.template += template
                if template:
                    element.plotly_chart.spec = stripped
                    stripped_data = msg.SerializeToString()
            elif kind == "deck_gl_json_chart":
                sock.deck_json += len(element.deck_gl_json_chart.json.encode())
        if with_t is not None and without_t is not None:
            size = with_t.size(data)
            bare = without_t.size(stripped_data)
        else:
            size, bare = len(data), len(stripped_data)
        sock.wire += size + _frame_header(size)
        sock.wire_without_template += bare + _frame_header(bare)
    return sock


def record(context: object, url: str, name: str) -> Visit:
    """One visit of page `name` at `url` in a new tab of `context`, every response and frame recorded
    (a first visit in a new context, a repeat visit in one whose cache is warm)."""
    page = context.new_page()  # type: ignore[attr-defined]
    cdp = context.new_cdp_session(page)  # type: ignore[attr-defined]
    cdp.send("Network.enable")
    meta: dict[str, tuple[str, str, str]] = {}
    visit = Visit(name)
    frames: list[bytes] = []
    extensions = {"value": ""}
    entries = entry_files()

    def response(event: dict) -> None:  # type: ignore[type-arg]
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        path = urlparse(event["response"]["url"]).path
        meta[event["requestId"]] = (
            path,
            event["response"].get("mimeType", ""),
            headers.get("content-encoding", ""),
        )

    def finished(event: dict) -> None:  # type: ignore[type-arg]
        path, mime, encoding = meta.get(event["requestId"], ("?", "", ""))
        visit.responses.append(
            Response(
                HASH.sub("", path),
                mime,
                encoding,
                int(event["encodedDataLength"]),
                group_of(path, mime, entries),
            )
        )

    def handshake(event: dict) -> None:  # type: ignore[type-arg]
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        extensions["value"] = headers.get("sec-websocket-extensions", "")

    def frame(event: dict) -> None:  # type: ignore[type-arg]
        payload = str(event["response"]["payloadData"])
        frames.append(base64.b64decode(payload) if event["response"]["opcode"] == 2 else payload.encode())

    cdp.on("Network.responseReceived", response)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.webSocketHandshakeResponseReceived", handshake)
    cdp.on("Network.webSocketFrameReceived", frame)
    page.goto(url)
    try:
        wait_for_app(page)
        wait_for_charts(page, *CHARTS[name])
        page.wait_for_load_state("networkidle")
    except Exception as problem:  # noqa: BLE001 - counted as far as it got, and said
        visit.error = str(problem).splitlines()[0]
    visit.socket = account_socket(frames, extensions["value"])
    page.close()
    return visit


def first_visit(browser: object, base: str, name: str) -> Visit:
    """One first visit of `name` (new context, empty cache)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")  # type: ignore[attr-defined]
    visit = record(context, f"{base}/{'' if name == 'overview' else name}", name)
    context.close()
    return visit


def first_visits(base: str, pages: list[str], as_lan: bool = False) -> dict[str, Visit]:
    args = list(CHROMIUM_ARGS)
    if as_lan:
        args.append(f"--host-resolver-rules=MAP {LAN_NAME} 127.0.0.1")
        base = base.replace("127.0.0.1", LAN_NAME)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=args)
        visits = {name: first_visit(browser, base, name) for name in pages}
        browser.close()
    return visits


def _kb(n: int) -> str:
    return f"{n / 1000:.0f}"


def group_table(brotli: dict[str, Visit], gzip: dict[str, Visit]) -> list[str]:
    """Per page and group, kB on the wire: brotli (localhost) / gzip (LAN name)."""
    lines = [
        "| page | " + " | ".join(GROUPS) + " | total |",
        "|---|" + "---|" * (len(GROUPS) + 1),
    ]
    for name in brotli:
        b, g = brotli[name].by_group(), gzip[name].by_group() if name in gzip else {}
        cells = [f"{_kb(b[k])} / {_kb(g.get(k, 0))}" for k in GROUPS]
        total = (
            f"**{brotli[name].total() / 1e6:.2f} / {gzip[name].total() / 1e6:.2f} MB**"
            if name in gzip
            else ""
        )
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {total} |")
    return lines


def socket_table(visits: dict[str, Visit]) -> list[str]:
    lines = [
        "| page | frames | payload (kB) | on the wire (kB) | plotly figure JSON (kB) | of which layout.template "
        "(kB) | on the wire without templates (kB) | deck.gl JSON (kB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, v in visits.items():
        s = v.socket
        lines.append(
            f"| {name} | {s.frames} | {_kb(s.payload)} | {_kb(s.wire)} | {_kb(s.plotly_spec)} | {_kb(s.template)} "
            f"| {_kb(s.wire_without_template)} | {_kb(s.deck_json)} |"
        )
    return lines


def response_list(brotli: Visit, gzip: Visit | None) -> list[str]:
    """Every response of one page's first visit, bytes as brotli (localhost) and gzip (LAN name)."""
    lan: dict[tuple[str, str], list[Response]] = defaultdict(list)
    for r in gzip.responses if gzip else []:
        lan[(r.group, r.path)].append(r)
    lines = [
        "| group | path (hash stripped) | type | encoding (br; gz) | bytes (br) | bytes (gz) |",
        "|---|---|---|---|---|---|",
    ]
    for r in sorted(brotli.responses, key=lambda r: (GROUPS.index(r.group), -r.bytes)):
        twin = lan[(r.group, r.path)].pop(0) if lan[(r.group, r.path)] else None
        lines.append(
            f"| {r.group} | `{r.path}` | {r.type} | {r.encoding or '-'}; {twin.encoding or '-' if twin else '?'} "
            f"| {r.bytes} | {twin.bytes if twin else '?'} |"
        )
    s = brotli.socket
    g = gzip.socket if gzip else s
    lines.append(
        f"| websocket | `/_stcore/stream` ({s.frames} messages) | protobuf | "
        f"{'deflate' if 'deflate' in s.extensions else '-'}; {'deflate' if 'deflate' in g.extensions else '-'} "
        f"| {s.wire} | {g.wire} |"
    )
    return lines


def main() -> None:
    from benchmarks.serving import cluster

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bytes")
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--details", action="store_true", help="every response of every page")
    args = parser.parse_args()
    with cluster(2) as running:
        brotli = first_visits(running.base, args.pages)
        gzip = first_visits(running.base, args.pages, as_lan=True)
    print("\n".join(group_table(brotli, gzip)))
    print()
    print("\n".join(socket_table(brotli)))
    if args.details:
        for name in args.pages:
            print(f"\n#### {name}\n")
            print("\n".join(response_list(brotli[name], gzip[name])))
    if args.json:
        args.json.write_text(
            json.dumps(
                {k: {n: asdict(v) for n, v in d.items()} for k, d in (("br", brotli), ("gzip", gzip))},
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
