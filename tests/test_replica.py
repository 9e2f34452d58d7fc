"""deploy/replica.py leans on one private part of Streamlit: its session manager, the only way to
ask whether a reconnecting browser's session is kept on this replica. These tests pin it, so that
an upgrade of Streamlit that renames it fails here rather than quietly (README, "Before upgrading
Streamlit")."""

from __future__ import annotations

import inspect
from types import SimpleNamespace

import pytest
from streamlit.runtime import Runtime
from streamlit.runtime.session_manager import SessionManager

from deploy import replica


def test_streamlit_still_keeps_its_session_manager_where_the_replica_reads_it() -> None:
    assert "self._session_mgr" in inspect.getsource(Runtime.__init__)
    assert callable(getattr(SessionManager, "get_session_info", None))
    assert list(inspect.signature(SessionManager.get_session_info).parameters) == ["self", "session_id"]


def test_a_session_kept_here_is_known_and_another_is_not(monkeypatch: pytest.MonkeyPatch) -> None:
    kept = {"kept-here": object()}
    manager = SimpleNamespace(get_session_info=kept.get)
    runtime = SimpleNamespace(_session_mgr=manager, is_active_session=lambda _id: False)
    monkeypatch.setattr(Runtime, "instance", classmethod(lambda cls: runtime))
    assert replica.known_here("kept-here")
    assert not replica.known_here("from-the-dead-replica")


def test_the_session_id_is_the_third_subprotocol_entry() -> None:
    scope = {"headers": [(b"sec-websocket-protocol", b"streamlit, xsrf-token, 6f1c-session")]}
    assert replica.session_id_sent(scope) == "6f1c-session"
    assert replica.session_id_sent({"headers": [(b"sec-websocket-protocol", b"streamlit")]}) == ""
