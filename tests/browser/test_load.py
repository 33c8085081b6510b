"""Several people at once: concurrent browser sessions walking the main pages all finish, without errors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from benchmarks.load_test import WALK, run_sessions
from tests.browser.conftest import CHROMIUM
from tests.conftest import require

pytestmark = pytest.mark.browser


def test_four_sessions_at_once_complete_every_page_without_an_error(app_url):
    require(CHROMIUM.exists(), "the system Chromium (/usr/bin/chromium) is not installed")
    # Its own thread: the async browser driver must not share a thread with the sync one of other tests.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(run_sessions, app_url, sessions=4, walks=1, deadline_s=420).result()
    assert result.errors == []
    assert len(result.times) == result.pages_expected == 4 * len(WALK)


def test_twelve_protocol_sessions_at_once_complete_every_page_and_a_missing_page_counts_as_an_error(app_url):
    # The benchmark's default client: Streamlit's websocket protocol, each page a new session.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(run_sessions, app_url, sessions=12, walks=1, deadline_s=420, client="websocket").result()
        missing = pool.submit(run_sessions, app_url, sessions=1, paths=("No_such_page",), deadline_s=60,
                              client="websocket").result()
    assert result.errors == []
    assert len(result.times) == result.pages_expected == 12 * len(WALK)
    assert missing.times == [] and missing.errors == ["/No_such_page: RuntimeError: page not found"]


def test_the_load_test_stays_on_this_machine_and_bounded():
    with pytest.raises(ValueError, match="127.0.0.1"):
        run_sessions("http://example.org:8501", sessions=1)
    with pytest.raises(ValueError, match="between 1 and"):
        run_sessions("http://127.0.0.1:8501", sessions=500)
    with pytest.raises(ValueError, match="'browser' or 'websocket'"):
        run_sessions("http://127.0.0.1:8501", sessions=1, client="telnet")
    with pytest.raises(ValueError, match="websocket client"):
        run_sessions("http://127.0.0.1:8501", sessions=1, client="browser", think_s=5)
