"""A minimal Streamlit client speaking the browser's websocket protocol (protobuf BackMsg/ForwardMsg).

It opens a session on one page, waits for the script to finish, changes one widget and waits again,
timing both: what a browser waits for, minus drawing. Used for load, where 100 real browsers would
measure Chromium on two cores rather than the server.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class Session:
    first_seconds: float = 0.0
    change_seconds: float = 0.0
    widgets: dict[str, tuple[str, object]] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    bytes_received: int = 0


def _collect(msg: ForwardMsg, session: Session) -> None:
    if not msg.HasField("delta") or not msg.delta.HasField("new_element"):
        return
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        session.exceptions.append(element.exception.message)
        return
    proto = getattr(element, kind, None) if kind else None
    widget_id = getattr(proto, "id", "")
    if widget_id:
        key = widget_id.rsplit("-", 1)[-1]
        session.widgets[key] = (kind, proto)


async def _run_until_finished(ws: websockets.ClientConnection, session: Session, timeout: float) -> None:
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=timeout)
        data = raw if isinstance(raw, bytes) else raw.encode()
        session.bytes_received += len(data)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        _collect(msg, session)
        if msg.HasField("script_finished"):
            return


def _rerun(query: str, page: str, widget: tuple[str, str | float] | None = None) -> bytes:
    back = BackMsg()
    back.rerun_script.query_string = query
    back.rerun_script.page_name = page
    if widget is not None:
        state = back.rerun_script.widget_states.widgets.add()
        state.id = widget[0]
        if isinstance(widget[1], str):
            state.string_value = widget[1]  # a radio: its formatted option label (RadioSerde)
        else:
            state.double_array_value.data.append(widget[1])  # a slider: [value] (SliderSerde)
    return back.SerializeToString()


async def visit(
    base: str,
    page: str,
    query: str,
    radio_key: str | None,
    option: int,
    timeout: float = 60,
    hold: asyncio.Event | None = None,
    report: Callable[[Session], None] | None = None,
    headers: dict[str, str] | None = None,
) -> Session:
    """Open `page`, then set the radio `radio_key` to option `option`, or the slider `radio_key` to the
    value `option` (None: a plain rerun); time both runs.

    With `hold`: `report(session)` once timed, then keep the session open until `hold` is set.
    `headers` go with the websocket handshake (a proxy's sticky cookie)."""
    session = Session()
    uri = base.replace("http://", "ws://") + "/_stcore/stream"
    started = time.perf_counter()  # the connection is part of opening the page
    async with websockets.connect(
        uri,
        subprotocols=["streamlit"],  # type: ignore[list-item]
        origin=base,  # type: ignore[arg-type]
        max_size=None,
        additional_headers=headers,
    ) as ws:
        await ws.send(_rerun(query, page))
        await _run_until_finished(ws, session, timeout)
        session.first_seconds = time.perf_counter() - started
        if radio_key is None:
            started = time.perf_counter()
            await ws.send(_rerun(query, page))
            await _run_until_finished(ws, session, timeout)
            session.change_seconds = time.perf_counter() - started
        elif (widget := session.widgets.get(radio_key)) is None:
            session.exceptions.append(f"no widget {radio_key!r} on {page}")
        else:
            started = time.perf_counter()
            kind, proto = widget
            # A radio moves to its option number `option`; a slider to the value `option`.
            value = proto.options[option] if kind == "radio" else float(option)  # type: ignore[attr-defined]
            await ws.send(_rerun(query, page, (proto.id, value)))  # type: ignore[attr-defined]
            await _run_until_finished(ws, session, timeout)
            session.change_seconds = time.perf_counter() - started
        if report is not None:
            report(session)
        if hold is not None:
            await hold.wait()
    return session
