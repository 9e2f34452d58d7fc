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
from typing import Any

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
    sent: object = None  # the value the change sent (a label, a number, a list of labels)
    change_times: list[float] = field(default_factory=list)
    sent_all: list[object] = field(default_factory=list)


def _collect(msg: ForwardMsg, session: Session) -> None:
    if not msg.HasField("delta") or not msg.delta.HasField("new_element"):
        return
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        shown = element.exception
        session.exceptions.append(f"{shown.type}: {shown.message}" if shown.type else shown.message)
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


def _rerun(query: str, page: str, widget: tuple[str, str | float | list[str]] | None = None) -> bytes:
    back = BackMsg()
    back.rerun_script.query_string = query
    back.rerun_script.page_name = page
    if widget is not None:
        state = back.rerun_script.widget_states.widgets.add()
        state.id = widget[0]
        if isinstance(widget[1], str):
            state.string_value = widget[1]  # a radio, a selectbox: its formatted option label
        elif isinstance(widget[1], list):
            state.string_array_value.data.extend(widget[1])  # a select_slider, a multiselect: labels
        else:
            state.double_array_value.data.append(widget[1])  # a slider: [value] (SliderSerde)
    return back.SerializeToString()


def changed_value(kind: str, proto: object, nth: int) -> str | float | list[str]:
    """The `nth` change of a widget, counted from the value `proto` shows (nth 0: the next value
    after it), rotating through every value so that two changes in a row never send the same one:
    a radio or selectbox to its next option, a select_slider to its next step, a slider to the next
    value on its grid (wrapping round), a multiselect with option `nth` (in turn) toggled."""
    p: Any = proto
    options = list(p.options)
    if kind in ("radio", "selectbox"):
        current = (
            p.raw_value if p.set_value else (options[p.default] if p.HasField("default") else options[-1])
        )
        return options[(options.index(current) + 1 + nth) % len(options)]
    if kind == "slider" and options:  # a select_slider
        current = p.raw_value[0] if p.set_value and p.raw_value else options[p.default[0]]
        return [options[(options.index(current) + 1 + nth) % len(options)]]
    if kind == "slider":
        current = p.value[0] if p.set_value and p.value else p.default[0]
        grid = [p.min + k * p.step for k in range(round((p.max - p.min) / p.step) + 1)]
        at = min(range(len(grid)), key=lambda k: abs(grid[k] - current))
        return float(grid[(at + 1 + nth) % len(grid)])
    if kind == "multiselect":
        chosen = list(p.raw_values) if p.set_value else [options[i] for i in p.default]
        toggled = options[nth % len(options)]
        return [o for o in chosen if o != toggled] if toggled in chosen else [*chosen, toggled]
    raise ValueError(f"no change defined for a {kind}")


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
    nth: int | None = None,
    changes: int = 1,
) -> Session:
    """Open `page`, then set the radio `radio_key` to option `option`, or the slider `radio_key` to the
    value `option` (None: a plain rerun); time both runs. With `nth`, the widget `radio_key` (of any
        kind changed_value knows) gets its nth change instead, and `option` is not used. `changes`: how
    many changes follow each other in the same session (nth, nth + 1, …; plain reruns without a
    widget), each timed in `change_times` (`change_seconds` is the last).

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
            for _ in range(changes):
                started = time.perf_counter()
                await ws.send(_rerun(query, page))
                await _run_until_finished(ws, session, timeout)
                session.change_seconds = time.perf_counter() - started
                session.change_times.append(session.change_seconds)
        elif (widget := session.widgets.get(radio_key)) is None:
            session.exceptions.append(f"no widget {radio_key!r} on {page}")
        else:
            kind, proto = widget  # the values are counted from what the page first showed
            for k in range(changes if nth is not None else 1):
                # A radio moves to its option number `option`; a slider to the value `option`.
                value: str | float | list[str]
                if nth is not None:
                    value = changed_value(kind, proto, nth + k)
                else:
                    value = proto.options[option] if kind == "radio" else float(option)  # type: ignore[attr-defined]
                widget_id = session.widgets[radio_key][1].id  # type: ignore[attr-defined]  # as drawn last
                session.sent = value
                session.sent_all.append(value)
                started = time.perf_counter()
                await ws.send(_rerun(query, page, (widget_id, value)))
                await _run_until_finished(ws, session, timeout)
                session.change_seconds = time.perf_counter() - started
                session.change_times.append(session.change_seconds)
        if report is not None:
            report(session)
        if hold is not None:
            await hold.wait()
    return session
