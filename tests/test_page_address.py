"""deploy/page_address.py: each page's HTML tells Streamlit's front end where the server is, so that
a first visit to /map does not ask /map/_stcore/health (a 404, then a 100 ms wait) before the
right address. The browser side (one health request per visit) is checked in tests/test_browser.py."""

from __future__ import annotations

import ast
import asyncio
from typing import Any

import pytest
from playwright.sync_api import Browser

from deploy.page_address import PAGES, SCRIPT, TAG, PageAddress, page_named
from tests.support import ROOT

HTML = b"<!DOCTYPE html>\n<html lang='en'>\n  <head>\n    <meta charset='UTF-8' />\n  </head><body></body></html>"


def test_the_pages_it_knows_are_the_atlas_s_pages() -> None:
    tree = ast.parse((ROOT / "dashboard" / "app.py").read_text())
    assigned = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PAGES" for t in node.targets)
    )
    names = {element.elts[0].value for element in assigned.elts}  # type: ignore[attr-defined]
    assert set(PAGES) == names
    assert "map" in PAGES and "overview" in PAGES


def _serve(
    path: str,
    body: bytes,
    content_type: bytes,
    *,
    method: str = "GET",
    status: int = 200,
    encoded: bool = False,
    length: int | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One request through the middleware to an inner app that answers `body` in two chunks;
    returns the scope the inner app saw and the messages sent on."""
    seen: dict[str, Any] = {}
    sent: list[dict[str, Any]] = []

    async def inner(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.update(scope)
        size = len(body) if length is None else length
        headers = [(b"content-type", content_type), (b"content-length", str(size).encode())]
        if encoded:
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        half = len(body) // 2
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:]})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request"}

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [
            (b"accept-encoding", b"gzip, br"),
            (b"range", b"bytes=0-99"),
            (b"if-range", b'"etag"'),
            (b"host", b"127.0.0.1"),
        ],
        "extensions": {"http.response.pathsend": {}},
    }
    asyncio.run(PageAddress(inner)(scope, receive, send))  # type: ignore[arg-type]
    return seen, sent


def _body(sent: list[dict[str, Any]]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@pytest.mark.parametrize(
    ("path", "base", "page"),
    [
        ("/map", "", "map"),
        ("/wages/", "", "wages"),
        ("/overview", "", "overview"),
        ("/atlas/map", "atlas", "map"),  # Streamlit's server.baseUrlPath
        ("/", "", ""),  # the root is the Overview: one address to try already
        ("/map", "map", ""),  # an atlas served at /map/: this is its root, not the Map
        ("/map/map", "map", "map"),
        ("/atlas/map", "", ""),  # not a page of this server's
        ("/nosuchpage", "", ""),
        ("/static/js/index.js", "", ""),
        ("/_stcore/health", "", ""),
        ("/app/static/world.geojson", "", ""),
    ],
)
def test_only_a_page_s_own_address_is_a_page(path: str, base: str, page: str) -> None:
    assert page_named(path, base) == page


@pytest.mark.parametrize("path", ["/map", "/wages/"])
def test_a_page_s_html_gets_the_script_right_after_head_with_its_length(path: str) -> None:
    seen, sent = _serve(path, HTML, b"text/html; charset=utf-8")
    page = _body(sent)
    assert page == HTML.replace(b"<head>", b"<head>" + TAG, 1)
    assert page.count(b"<script>") == 1
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert dict(start["headers"])[b"content-length"] == str(len(page)).encode()
    assert [k for k, _ in start["headers"]].count(b"content-length") == 1
    # Asked uncompressed, whole, and as body messages (not a file path), so that the script can be put in.
    assert {b"accept-encoding", b"range", b"if-range"}.isdisjoint(dict(seen["headers"]))
    assert "http.response.pathsend" not in seen["extensions"]


def test_under_a_base_path_named_like_a_page_its_root_is_not_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit import config

    monkeypatch.setattr(config, "get_option", lambda key: "map" if key == "server.baseUrlPath" else None)
    _seen, sent = _serve("/map", HTML, b"text/html")  # the Overview of an atlas served at /map/
    assert _body(sent) == HTML
    _seen, sent = _serve("/map/wages", HTML, b"text/html")
    assert _body(sent) == HTML.replace(b"<head>", b"<head>" + TAG, 1)


def test_a_head_request_gets_the_length_a_get_would() -> None:
    _seen, sent = _serve("/map", b"", b"text/html", method="HEAD", length=len(HTML))
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert dict(start["headers"])[b"content-length"] == str(len(HTML) + len(TAG)).encode()
    assert _body(sent) == b""


@pytest.mark.parametrize(
    ("path", "content_type", "kwargs"),
    [
        ("/static/js/index.DormvYxC.js", b"text/javascript", {}),  # a file: never a page
        ("/app/static/world.geojson", b"application/geo+json", {}),
        ("/_stcore/health", b"text/plain", {}),
        ("/", b"text/html", {}),  # the Overview at the root: nothing to tell
        ("/nosuchpage", b"text/html", {}),
        ("/map", b"text/html", {"encoded": True}),  # came compressed anyway: passed on as it is
        ("/map", b"text/html", {"status": 304}),
    ],
)
def test_everything_else_passes_through_untouched(
    path: str, content_type: bytes, kwargs: dict[str, Any]
) -> None:
    seen, sent = _serve(path, HTML, content_type, **kwargs)
    assert _body(sent) == HTML
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert dict(start["headers"])[b"content-length"] == str(len(HTML)).encode()
    if path != "/map":  # not a page: asked as the browser asked
        assert dict(seen["headers"])[b"accept-encoding"] == b"gzip, br"
        assert dict(seen["headers"])[b"range"] == b"bytes=0-99"
        assert "http.response.pathsend" in seen["extensions"]


def test_a_websocket_passes_through_as_it_came() -> None:
    seen: list[dict[str, Any]] = []

    async def inner(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope)
        await send({"type": "websocket.accept"})

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    scope = {"type": "websocket", "path": "/_stcore/stream", "headers": [(b"accept-encoding", b"gzip")]}
    asyncio.run(PageAddress(inner)(scope, receive, send))  # type: ignore[arg-type]
    assert seen == [scope] and sent == [{"type": "websocket.accept"}]


@pytest.mark.parametrize(
    ("pathname", "expected"),
    [
        ("/map", "http://h:8501/"),
        ("/wages/", "http://h:8501/"),
        ("/atlas/map", "http://h:8501/atlas/"),  # a prefix a proxy strips: only the browser sees it
        ("/a/b/lesson", "http://h:8501/a/b/"),
    ],
)
def test_the_script_takes_the_page_s_name_off_the_address(
    browser: Browser, pathname: str, expected: str
) -> None:
    page = browser.new_page()
    try:
        found = page.evaluate(
            """([script, pathname]) => {
                const win = {__streamlit: {KEPT: 1}};
                new Function("location", "window", script)({pathname, origin: "http://h:8501"}, win);
                return [win.__streamlit.BACKEND_BASE_URL ?? null, win.__streamlit.KEPT];
            }""",
            [SCRIPT, pathname],
        )
    finally:
        page.close()
    assert found == [expected, 1]  # and a host's own settings are kept
    assert "map" not in SCRIPT  # it names no page: a new page changes nothing in its hash
