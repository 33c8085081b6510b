"""A visitor's browser cannot clear the caches every user shares."""

from __future__ import annotations

import streamlit as st
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.state import SessionState

from ui.guards import refuse_client_cache_clearing

CALLS = []


@st.cache_data
def _shared_figure(n: int) -> int:
    CALLS.append(n)
    return n * 2


def _session() -> AppSession:
    session = AppSession.__new__(AppSession)  # only what handle_backmsg needs for this message
    session.id = "visitor"
    session._session_state = SessionState()
    session._session_state["mine"] = 1
    return session


def test_a_clear_cache_message_from_a_browser_leaves_shared_caches_alone(monkeypatch):
    monkeypatch.setattr(AppSession, "_handle_clear_cache_request", AppSession._handle_clear_cache_request)
    refuse_client_cache_clearing()
    st.cache_data.clear()
    assert _shared_figure(21) == 42 and CALLS == [21]
    session = _session()
    message = BackMsg()
    message.clear_cache = True
    session.handle_backmsg(message)
    assert _shared_figure(21) == 42 and CALLS == [21]  # still cached: not computed again
    assert "mine" not in session._session_state  # the requester's own state is reset, as before
    st.cache_data.clear()
