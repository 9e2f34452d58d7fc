"""Tell Streamlit's front end where the server is, so that a page's first visit does not probe a
wrong address first (ASGI middleware: deploy/atlas.py for `make run`, deploy/replica.py behind the
proxy).

Streamlit's front end does not know whether the last part of the address it was opened at
(`/map` of `http://host/map`) is a page or the path the app is served under. So, before it opens
its websocket, it asks `/map/_stcore/health`, gets a 404, waits 100 ms (its first retry delay) and
only then asks `/_stcore/health`. Every page but the Overview paid that on a first visit: 0.1 s
before anything else could start (measured in BENCHMARKS.md, cold start; the empty app, at `/`,
never pays it).

The front end reads an optional `window.__streamlit.BACKEND_BASE_URL` (how hosts that embed
Streamlit tell it where the server is). The server decides which responses get the script: only a
page's own address, the path less Streamlit's `server.baseUrlPath` being exactly one of the
atlas's pages (PAGES); any other address (the root, an unknown page, a file) is left to
Streamlit's own probing. The script then takes the last part off the address the browser shows,
which keeps a prefix that a proxy strips before the server sees the path (`/atlas/map` →
`/atlas/`). It names no page, so that a new page changes nothing in it. It is allowed by its hash
in the proxy's CSP (deploy/Caddyfile, deploy/kubernetes/ingress.yaml; tests/test_serving.py
recomputes it).

An atlas served under a path named like a page (`/map/` as its root) is so never told a wrong
address. The HTML (8 kB) is asked for uncompressed and whole (no range);
a response that comes compressed anyway, or is not a 200, is passed on untouched. The same
validator (ETag) always comes with the same rewritten page, so a browser's revalidation still works.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from streamlit import config

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Every page's address is its file's name (dashboard/app.py: url_path=name); tests/test_page_address.py
# checks this list against app.py's.
APP_PAGES = Path(__file__).resolve().parent.parent / "dashboard" / "app_pages"
PAGES = tuple(sorted(p.stem for p in APP_PAGES.glob("*.py") if not p.stem.startswith("_")))

# No "<" in it: the HTML parser would end the script at "</". Kept on one line; its sha256 is in the CSP.
SCRIPT = (
    "(()=>{const p=location.pathname.replace(/\\/+$/,'');"
    "window.__streamlit={...window.__streamlit,BACKEND_BASE_URL:location.origin+p.slice(0,p.lastIndexOf('/')+1)}})()"
)
TAG = f"<script>{SCRIPT}</script>".encode()
# Request headers that would make the page come back compressed or in part.
DROPPED = (b"accept-encoding", b"range", b"if-range")


def page_named(path: str, base_url_path: str) -> str:
    """The page an address asks for ("" when it is not exactly one of PAGES), given Streamlit's
    `server.baseUrlPath`: `/map` → map; `/atlas/map` under base `atlas` → map; `/map` under base
    `map` → "" (that is the app's root, the Overview)."""
    parts = [part for part in path.split("/") if part]
    base = [part for part in base_url_path.split("/") if part]
    if parts[: len(base)] != base:
        return ""
    rest = parts[len(base) :]
    return rest[0] if len(rest) == 1 and rest[0] in PAGES else ""


def _is_page_request(scope: Scope) -> bool:
    return (
        scope["type"] == "http"
        and scope.get("method") in ("GET", "HEAD")
        and bool(page_named(str(scope.get("path", "")), str(config.get_option("server.baseUrlPath") or "")))
    )


def with_hint(html: bytes) -> bytes:
    """The page's HTML with the script right after `<head>` (unchanged if it has none)."""
    at = html.find(b"<head>")
    if at < 0:
        return html
    at += len(b"<head>")
    return html[:at] + TAG + html[at:]


def _with_length(start: Message, length: int) -> list[tuple[bytes, bytes]]:
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    return [*headers, (b"content-length", str(length).encode())]


class PageAddress:
    """ASGI middleware: the script above in every page's HTML."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_page_request(scope):
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope.get("headers", []) if k.lower() not in DROPPED]
        # The body must come as messages this middleware can rewrite, not as a file path to send.
        scope["extensions"] = {
            k: v for k, v in (scope.get("extensions") or {}).items() if k != "http.response.pathsend"
        }
        head = scope.get("method") == "HEAD"
        start: Message | None = None
        body: list[bytes] = []

        async def send_with_hint(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                sent = {k.lower(): v for k, v in message.get("headers", [])}
                html = sent.get(b"content-type", b"").startswith(b"text/html")
                if html and b"content-encoding" not in sent and message.get("status") == 200:
                    if head:  # no body: the length a GET's would have, if a length was sent
                        if b"content-length" in sent:
                            length = int(sent[b"content-length"]) + len(TAG)
                            message = {**message, "headers": _with_length(message, length)}
                        await send(message)
                        return
                    start = message  # held until the whole body is here
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = with_hint(b"".join(body))
            await send({**start, "headers": _with_length(start, len(page))})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, send_with_hint)
