"""How many people can use one dashboard process at once: concurrent sessions, beside a bare page.

Run: ``python benchmarks/load_test.py [--sessions 20] [--walks 2] [--think 5] [--client websocket|browser]
[--url URL]``. It seeds a temporary SQLite store (or uses ``--url``), starts ``streamlit run app.py``
on a free loopback port, and opens that many sessions at once; each walks the programme overview, a
locality profile and the ward explorer ``--walks`` times, reading each page for about ``--think``
seconds (0: every page at once, the worst burst).

The default client speaks Streamlit's own websocket protocol (``/_stcore/stream``): each visitor opens
one session and moves from page to page in it, as the sidebar's links do (a ``rerun_script`` request
naming the page, then every message until ``script_finished``), so twenty visitors cost the machine
little beside the server. ``--client browser`` opens them in the system Chromium instead, which also
draws every page and, on a 2-core machine, makes the browsers the bottleneck.

It does the same against a one-line Streamlit page (the floor: what Streamlit itself costs), then
prints, side by side: pages completed, errors, median and 95th-percentile page time, the server's peak
memory (RSS), p95 under load divided by the time of one session alone, and the server's CPU time per
page under load (user and system, from ``/proc``), which other work on a shared machine moves far less
than it moves page times. Everything stays on 127.0.0.1, is bounded by ``--deadline`` seconds per run,
and stops the servers it started.

One Streamlit process runs every script in one Python interpreter, so with no reading time twenty
visitors queue behind each other whatever a page costs: the bare page's row shows that queue.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
WALK = ("", "Locality_profile?area=PN-NWORT", "Ward_explorer?ward=E05011385")
BARE_PAGE = 'import streamlit as st\nst.write("Ready")\n'
MAX_SESSIONS = 50


@dataclass
class LoadResult:
    """Page times (seconds) of pages that finished, and one line per page that did not."""

    sessions: int
    pages_expected: int
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    cpu_s: float = 0.0  # the server process's CPU seconds (user and system) while the pages ran

    def cpu_ms_per_page(self) -> float:
        """Server CPU milliseconds per finished page: steadier than page times on a shared machine."""
        return 1000 * self.cpu_s / len(self.times) if self.times else float("nan")

    def percentile(self, share: float) -> float:
        if not self.times:
            return float("nan")
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(script: Path, *, env: dict[str, str], cwd: Path, log: Path, wait_s: float = 120) -> tuple:
    """``streamlit run script`` on a free loopback port; returns (process, base URL). Raises
    ``RuntimeError`` if it is not healthy within ``wait_s`` seconds."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=cwd, env={**os.environ, **env}, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.5)
    stop_server(process)
    raise RuntimeError(f"streamlit run {script.name} did not become healthy within {wait_s:.0f} s (log: {log})")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds a process has used so far (Linux ``/proc``), 0 when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux ``/proc``), 0 when unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


async def _open(page, url: str, timeout_ms: int) -> None:
    await page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    await page.wait_for_selector(READY, timeout=timeout_ms)
    await page.wait_for_timeout(300)  # a rerun may start just after the first render
    await page.wait_for_selector(READY, timeout=timeout_ms)


async def _session(browser, base: str, paths: tuple[str, ...], walks: int, result: LoadResult,
                   timeout_ms: int) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = await context.new_page()
    try:
        for _ in range(walks):
            for path in paths:
                start = time.perf_counter()
                try:
                    await _open(page, f"{base}/{path}", timeout_ms)
                    if await page.locator('[data-testid="stException"]').count():
                        result.errors.append(f"/{path}: the page shows an exception")
                        continue
                    result.times.append(time.perf_counter() - start)
                except Exception as exc:  # a timeout or a closed page is a failed page, counted
                    result.errors.append(f"/{path}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        await context.close()


async def _ws_rerun(socket_, path: str) -> None:
    """Ask the session on ``socket_`` to run ``path`` (``"Page_name?query"``), as a click on a sidebar
    link does, and read every message until its script has finished. Raises ``RuntimeError`` when the
    page shows an exception or is not found."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    name, _, query = path.partition("?")
    request = BackMsg()
    request.rerun_script.page_name = name
    request.rerun_script.query_string = query
    await socket_.send(request.SerializeToString())
    while True:
        message = ForwardMsg()
        message.ParseFromString(await socket_.recv())
        kind = message.WhichOneof("type")
        if kind == "page_not_found":
            raise RuntimeError("page not found")
        if (kind == "delta" and message.delta.WhichOneof("type") == "new_element"
                and message.delta.new_element.WhichOneof("type") == "exception"):
            exception = message.delta.new_element.exception
            raise RuntimeError(f"the page shows an exception: {exception.type}: {exception.message[:200]}")
        if kind == "script_finished":
            return


async def _think(think_s: float, rng: random.Random) -> None:
    """A visitor reading the page: ``think_s`` on average (half to one and a half times it)."""
    if think_s > 0:
        await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))


async def _ws_session(base: str, paths: tuple[str, ...], walks: int, result: LoadResult, timeout_ms: int,
                      think_s: float = 0.0, rng: random.Random | None = None) -> None:
    """One visitor: a new session (a page load) that then moves from page to page within it, reading
    each page for about ``think_s`` seconds (and arriving within the first ``think_s``)."""
    rng = rng or random.Random(0)
    await _think(think_s, rng)
    from websockets.asyncio.client import connect
    from websockets.exceptions import WebSocketException

    timeout_s = timeout_ms / 1000
    try:
        async with connect(base.replace("http://", "ws://", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                           max_size=None, open_timeout=timeout_s) as socket_:
            for _ in range(walks):
                for path in paths:
                    start = time.perf_counter()
                    try:
                        async with asyncio.timeout(timeout_s):
                            await _ws_rerun(socket_, path)
                        result.times.append(time.perf_counter() - start)
                        await _think(think_s, rng)
                    except RuntimeError as exc:  # an exception box or a missing page: the visitor stops here
                        result.errors.append(f"/{path}: {type(exc).__name__}: {exc}")
                        return
    except (OSError, TimeoutError, WebSocketException) as exc:  # refused, closed or too slow: the rest are lost
        result.errors.append(f"session: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")


async def _watch_rss(pid: int, result: LoadResult, stop: asyncio.Event) -> None:
    while not stop.is_set():
        result.peak_rss_mb = max(result.peak_rss_mb, rss_mb(pid))
        await asyncio.sleep(0.25)


async def _gather(tasks: list[asyncio.Task], result: LoadResult, deadline_s: float) -> None:
    done, pending = await asyncio.wait(tasks, timeout=deadline_s)
    for task in pending:
        task.cancel()
    if pending:
        result.errors.append(f"{len(pending)} sessions still running after {deadline_s:.0f} s, stopped")


async def _run_websocket(base: str, *, sessions: int, walks: int, paths: tuple[str, ...], pid: int | None,
                         deadline_s: float, page_timeout_ms: int, think_s: float = 0.0) -> LoadResult:
    result = LoadResult(sessions=sessions, pages_expected=sessions * walks * len(paths))
    stop = asyncio.Event()
    watcher = asyncio.create_task(_watch_rss(pid, result, stop)) if pid else None
    await _gather([asyncio.create_task(_ws_session(base, paths, walks, result, page_timeout_ms, think_s,
                                                   random.Random(number)))
                   for number in range(sessions)], result, deadline_s)
    stop.set()
    if watcher:
        await watcher
    return result


async def _run(base: str, *, sessions: int, walks: int, paths: tuple[str, ...], pid: int | None,
               deadline_s: float, page_timeout_ms: int) -> LoadResult:
    from playwright.async_api import async_playwright

    result = LoadResult(sessions=sessions, pages_expected=sessions * walks * len(paths))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--enable-unsafe-swiftshader", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"])
        stop = asyncio.Event()
        watcher = asyncio.create_task(_watch_rss(pid, result, stop)) if pid else None
        await _gather([asyncio.create_task(_session(browser, base, paths, walks, result, page_timeout_ms))
                       for _ in range(sessions)], result, deadline_s)
        stop.set()
        if watcher:
            await watcher
        await browser.close()
    return result


def run_sessions(base: str, *, sessions: int, walks: int = 1, paths: tuple[str, ...] = WALK,
                 pid: int | None = None, deadline_s: float = 600, page_timeout_ms: int = 120_000,
                 client: str = "browser", think_s: float = 0.0) -> LoadResult:
    """Open ``sessions`` sessions at once against ``base``; each opens ``paths`` in turn, ``walks``
    times. A page counts as done when its script has stopped running and no exception is shown.
    ``client``: ``"browser"`` (the system Chromium) or ``"websocket"`` (Streamlit's protocol, no
    drawing). ``think_s``: the websocket visitors' mean reading time per page in seconds (0: every
    page at once, the worst burst). ``pid``: the server process, whose peak RSS is sampled and whose CPU
    seconds are counted (``LoadResult.cpu_s``). Raises
    ``ValueError`` for more than ``MAX_SESSIONS`` sessions, an unknown client, reading time with the
    browser client, or a URL off the loopback interface."""
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ValueError(f"Choose between 1 and {MAX_SESSIONS} sessions (got {sessions}).")
    if not base.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise ValueError("The load test only runs against a server on this machine (127.0.0.1).")
    options = dict(sessions=sessions, walks=walks, paths=paths, pid=pid, deadline_s=deadline_s,
                   page_timeout_ms=page_timeout_ms)
    if client not in ("websocket", "browser"):
        raise ValueError(f"Choose the client 'browser' or 'websocket' (got {client!r}).")
    if think_s and client == "browser":
        raise ValueError("Reading time between pages is for the websocket client.")
    cpu_before = cpu_seconds(pid) if pid else 0.0
    if client == "websocket":
        result = asyncio.run(_run_websocket(base, think_s=think_s, **options))
    else:
        result = asyncio.run(_run(base, **options))
    result.cpu_s = cpu_seconds(pid) - cpu_before if pid else 0.0
    return result


def measure(script: Path, *, env: dict[str, str], cwd: Path, paths: tuple[str, ...], sessions: int,
            walks: int, deadline_s: float, logs: Path, client: str,
            think_s: float = 0.0) -> tuple[LoadResult, LoadResult]:
    """One session alone (after a warm-up walk that fills the caches), then ``sessions`` at once,
    reading each page for about ``think_s`` seconds."""
    process, base = start_server(script, env=env, cwd=cwd, log=logs / f"{script.stem}.log")
    options = dict(paths=paths, deadline_s=deadline_s, client=client)
    loaded_options = dict(options, think_s=think_s)
    try:
        run_sessions(base, sessions=1, walks=1, **options)  # warm caches
        alone = run_sessions(base, sessions=1, walks=walks, pid=process.pid, **options)
        loaded = run_sessions(base, sessions=sessions, walks=walks, pid=process.pid, **loaded_options)
    finally:
        stop_server(process)
    return alone, loaded


def report(rows: dict[str, tuple[LoadResult, LoadResult]]) -> None:
    print(f"{'server':<12}{'sessions':>9}{'pages':>9}{'errors':>8}{'p50 s':>8}{'p95 s':>8}{'alone s':>9}"
          f"{'p95/alone':>10}{'peak RSS MB':>13}{'CPU ms/page':>13}")
    for name, (alone, loaded) in rows.items():
        single = statistics.median(alone.times) if alone.times else float("nan")
        print(f"{name:<12}{loaded.sessions:>9}{len(loaded.times):>5}/{loaded.pages_expected:<3}"
              f"{len(loaded.errors):>8}{loaded.percentile(0.5):>8.2f}{loaded.percentile(0.95):>8.2f}"
              f"{single:>9.2f}{loaded.percentile(0.95) / single:>10.1f}{loaded.peak_rss_mb:>13.0f}"
              f"{loaded.cpu_ms_per_page():>13.0f}")
    for name, (_, loaded) in rows.items():
        for error in loaded.errors[:10]:
            print(f"  {name}: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20, help=f"concurrent sessions (1 to {MAX_SESSIONS})")
    parser.add_argument("--walks", type=int, default=1, help="times each session walks the three pages")
    parser.add_argument("--deadline", type=float, default=600, help="seconds before a run is stopped")
    parser.add_argument("--url", help="database URL (default: a temporary store seeded with the sample data)")
    parser.add_argument("--client", choices=["websocket", "browser"], default="websocket",
                        help="how sessions are opened: Streamlit's websocket protocol, or the system Chromium")
    parser.add_argument("--think", type=float, default=0.0,
                        help="websocket visitors' mean seconds reading each page (0: every page at once)")
    args = parser.parse_args()
    if args.client == "browser" and not Path(CHROMIUM).exists():
        sys.exit("The load test needs the system Chromium (apt-get install chromium).")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        url = args.url
        if not url:
            from db.store import open_store

            url = f"sqlite:///{folder / 'load.sqlite'}"
            open_store(url, auto_seed=True).dispose()
        bare = folder / "bare_page.py"
        bare.write_text(BARE_PAGE)
        env = {"TN_DATABASE_URL": url, "TN_LOCAL_ROLE": "viewer"}
        options = dict(sessions=args.sessions, walks=args.walks, deadline_s=args.deadline, logs=folder,
                       client=args.client, think_s=args.think)
        rows = {"bare page": measure(bare, env=env, cwd=folder, paths=("",) * len(WALK), **options),
                "dashboard": measure(ROOT / "app.py", env=env, cwd=ROOT, paths=WALK, **options)}
        print(f"{args.sessions} sessions ({args.client}), {args.walks} walk(s) of {len(WALK)} pages each, "
              f"{args.think:g} s mean reading time per page")
        report(rows)


if __name__ == "__main__":
    main()
