"""Server-side guards for requests any visitor's browser can send.

Streamlit's browser client can ask the server to clear every cache (the "Clear cache" item of the
developer menu sends a ``clear_cache`` message over the websocket). The server then empties
``st.cache_data`` and ``st.cache_resource`` for every user at once: the database engine is
rebuilt and every cached query is run again. Hiding the menu (``client.toolbarMode = "minimal"``)
does not stop a crafted message, and Streamlit 1.67 has no setting that refuses it, so
``refuse_client_cache_clearing()`` replaces the handler: the request is logged and refused, and
only the requester's own session state is reset, as before. Caches are still cleared by the app
itself after an import, and expire after ``ui.data.CACHE_TTL_SECONDS``.
"""

from __future__ import annotations

import logging

from streamlit.runtime.app_session import AppSession

log = logging.getLogger(__name__)


def _refuse_clear_cache(session: AppSession) -> None:
    log.warning("Refused a browser's request to clear every cache (session %s)", session.id)
    session._session_state.clear()  # noqa: SLF001 - what the original handler did for the requester alone


def refuse_client_cache_clearing() -> None:
    """Install the guard (idempotent): a browser's clear-cache request no longer empties shared caches."""
    if AppSession._handle_clear_cache_request is not _refuse_clear_cache:  # noqa: SLF001 - no public hook
        AppSession._handle_clear_cache_request = _refuse_clear_cache  # noqa: SLF001
