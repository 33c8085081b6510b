"""Slow work for one session (reading and checking an upload) on a small shared pool of worker threads.

A large upload is read and checked off the session's own script thread, at most ``WORKERS`` files
at a time for the whole server, so several editors uploading at once queue for the workers instead
of all parsing at the same time while everyone else's pages wait. The session shows a progress bar
meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import streamlit as st

WORKERS = 2
CHECKED_BYTES_PER_SECOND = 1_000_000  # roughly what reading and checking an upload manages on one core
POLL_SECONDS = 0.25
Result = TypeVar("Result")


@st.cache_resource
def _workers() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="upload-check")


def with_progress(label: str, work: Callable[..., Result], *, size_bytes: int, reports: bool = False) -> Result:
    """``work()`` on a worker thread, with a progress bar labelled ``label`` until it returns.

    The bar moves with the time elapsed against what a file of ``size_bytes`` usually takes (it
    never shows done before the work is). With ``reports``, ``work`` is called as ``work(report)`` and
    the bar follows what it reports, ``report(fraction 0 to 1, stage text)`` (the importer's
    ``progress``), instead. ``work`` must not call Streamlit. Returns what ``work`` returns and raises
    what it raises.
    """
    latest: list[tuple[float, str]] = []  # the worker appends; this thread reads the last (a list is thread-safe)
    future = _workers().submit((lambda: work(lambda done, stage: latest.append((done, stage)))) if reports else work)
    expected = max(1.0, size_bytes / CHECKED_BYTES_PER_SECOND)
    started = time.monotonic()
    bar = st.progress(0.0, text=label)
    while True:
        try:
            result = future.result(timeout=POLL_SECONDS)
            break
        except TimeoutError:
            elapsed = time.monotonic() - started
            done, stage = latest[-1] if latest else (elapsed / expected, "")
            shown = f"{label}: {stage}" if stage else label
            bar.progress(min(0.95, done), text=f"{shown} ({elapsed:.0f} s)")
        except BaseException:
            bar.empty()
            raise
    bar.empty()
    return result
