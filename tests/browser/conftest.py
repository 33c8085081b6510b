"""A real ``streamlit run`` on a private seeded store, and the system Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


STORES: dict[str, Path] = {}  # URL of a running app -> the SQLite file it serves, for tests that read it back


def _serve(seeded_sqlite, tmp_path_factory, role: str):
    """``streamlit run`` on a private copy of the seeded store, everyone given ``role``; yields its URL
    (``STORES[url]`` is the store's file)."""
    store = tmp_path_factory.mktemp("browser") / "store.sqlite"
    shutil.copyfile(seeded_sqlite, store)
    port = _free_port()
    env = {**os.environ, "TN_DATABASE_URL": f"sqlite:///{store}", "TN_LOCAL_ROLE": role}
    log = open(tmp_path_factory.mktemp("logs") / "streamlit.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    STORES[url] = store
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("streamlit run did not become healthy within 90 s")
    yield url
    server.terminate()
    server.wait(timeout=30)
    log.close()


@pytest.fixture(scope="session")
def app_url(seeded_sqlite, tmp_path_factory):
    yield from _serve(seeded_sqlite, tmp_path_factory, "viewer")


@pytest.fixture(scope="session")
def editor_app_url(seeded_sqlite, tmp_path_factory):
    """The app as it is for editors (``TN_LOCAL_ROLE=editor``): the Data page's tabs and controls."""
    yield from _serve(seeded_sqlite, tmp_path_factory, "editor")


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM.exists(), "the system Chromium (/usr/bin/chromium) is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--enable-unsafe-swiftshader", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )
        yield chromium
        chromium.close()


LAPTOP = {"width": 1366, "height": 768}  # the common council laptop


@pytest.fixture()
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture()
def laptop(browser, app_url):
    """A viewer's tab at 1366x768."""
    context = browser.new_context(viewport=LAPTOP, locale="en-GB")
    tab = context.new_page()
    yield tab
    context.close()


def open_page(page, url: str, *, timeout_ms: int = 90_000) -> None:
    """Go to ``url`` and wait until the script has finished running."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(READY, timeout=timeout_ms)
    page.wait_for_timeout(500)
    page.wait_for_selector(READY, timeout=timeout_ms)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # Streamlit scrolls inside its own container, so a tall viewport is what captures the whole page.
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 3200})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path
