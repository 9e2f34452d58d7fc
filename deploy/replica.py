"""One replica of the atlas behind a proxy: `streamlit run deploy/replica.py` (scripts/serve.py,
the Dockerfile). The same app as `make run`, plus what a browser needs when its replica dies.

Streamlit's front end, when its websocket reconnects after a script run, does not ask for a new
run: it expects the server to resume its old session (the session id it sends in the websocket's
subprotocols). A replica that never saw that session makes a new, empty one, and the page then
shows the dead replica's elements on a session that has run nothing: the first control a visitor
changes is overridden by the URL's values (the page seeds its controls from the URL on a first
run), and download buttons point at files the new replica does not hold.

So, when a browser connects with a session id this process does not know, the replica asks it
for its state the one way Streamlit's protocol allows from the server: an `auto_rerun` message,
which makes the front end send a rerun request carrying its URL query string, its page and its
widget values. That first request is passed to Streamlit as a plain full rerun (its fragment id
removed), the front end is told to stop asking, and the page is drawn again, in place, from the
URL it shows. Everything else passes through untouched.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime import Runtime

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
# `streamlit run deploy/replica.py` puts deploy/ on the path, not the repository root.
if str(APP.parent.parent) not in sys.path:
    sys.path.insert(0, str(APP.parent.parent))

# Every page's HTML gets the page address hint (deploy/page_address.py), as under `make run`.
from deploy.page_address import ASGIApp, Message, PageAddress, Receive, Scope, Send  # noqa: E402

# The name of the fragment the front end is asked to rerun: no such fragment exists, the request
# is turned into a full rerun before Streamlit sees it.
RESUME = "atlas-resume-after-failover"
ASK_EVERY_S = 0.2


def session_id_sent(scope: Scope) -> str:
    """The session id a reconnecting front end sends: the third websocket subprotocol entry
    ("streamlit", then its XSRF token, then the id)."""
    for name, value in scope.get("headers", []):
        if name == b"sec-websocket-protocol":
            entries = [entry.strip() for entry in value.decode("latin-1").split(",")]
            return entries[2] if len(entries) >= 3 else ""
    return ""


def known_here(session_id: str) -> bool:
    """Whether this process holds the session: connected, or kept for a reconnect (Streamlit has no
    public lookup of kept sessions; without its session manager, only connected ones count, and a
    reconnect to a kept session gets one extra rerun of the same view)."""
    runtime = Runtime.instance()
    manager = getattr(runtime, "_session_mgr", None)
    if manager is not None and hasattr(manager, "get_session_info"):
        return manager.get_session_info(session_id) is not None
    return runtime.is_active_session(session_id)


def ask_for_state() -> bytes:
    message = ForwardMsg()
    message.auto_rerun.interval = ASK_EVERY_S
    message.auto_rerun.fragment_id = RESUME
    return message.SerializeToString()


def stop_asking() -> bytes:
    message = ForwardMsg()
    message.stop_auto_rerun.fragment_ids.append(RESUME)
    return message.SerializeToString()


class ResumeOnThisReplica:
    """ASGI middleware: a browser whose session lived on another replica gets its view rerun here."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket" or not str(scope.get("path", "")).endswith("/_stcore/stream"):
            await self.app(scope, receive, send)
            return
        session_id = session_id_sent(scope)
        if not session_id or known_here(session_id):
            await self.app(scope, receive, send)
            return
        resumed = False

        async def send_then_ask(message: Message) -> None:
            await send(message)
            if message["type"] == "websocket.accept":
                await send({"type": "websocket.send", "bytes": ask_for_state()})

        async def receive_state() -> Message:
            nonlocal resumed
            while True:
                message = await receive()
                data = message.get("bytes") if message["type"] == "websocket.receive" else None
                if not data:
                    return message
                back = BackMsg()
                back.ParseFromString(data)
                if back.WhichOneof("type") != "rerun_script" or back.rerun_script.fragment_id != RESUME:
                    return message
                if resumed:  # a second ask fired before the stop arrived: drop it
                    continue
                resumed = True
                await send({"type": "websocket.send", "bytes": stop_asking()})
                back.rerun_script.fragment_id = ""
                back.rerun_script.is_auto_rerun = False
                return {**message, "bytes": back.SerializeToString()}

        await self.app(scope, receive_state, send_then_ask)


app = st.App(str(APP), middleware=[Middleware(PageAddress), Middleware(ResumeOnThisReplica)])
