"""Pages under store faults: the SQLite file deleted or replaced under the running app, a read-only
store, a PostgreSQL server that is down. Every page says what is wrong and what to do, with no
traceback or server path, and the app recovers by itself when the file is back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from db.engine import DISK_FULL_MESSAGE, FILE_MESSAGE, READ_ONLY_MESSAGE, SERVER_MESSAGE
from views.safe_text import md

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["app.py", *sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))]


def open_page(script: str = "app.py", at: AppTest | None = None) -> AppTest:
    if at is None:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    if script != "app.py":
        at.switch_page(script)
    return at.run()


def everything_shown(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "success",
                                                "exception", "code", "text") for e in getattr(at, kind))


def assert_no_leak(at: AppTest, *paths: str) -> None:
    assert not at.exception, at.exception
    shown = everything_shown(at)
    assert "Traceback" not in shown and "sqlalchemy" not in shown.lower()
    for path in paths:
        assert path not in shown


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def test_a_deleted_database_is_explained_and_the_app_recovers_when_it_is_back(app_env, tmp_path):
    path = sqlite_path(app_env)
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(path, backup)
    at = open_page()
    assert any(m.label.startswith("✓") for m in at.metric)  # the overview's RAG tiles, from the store
    _remove(path)
    at = open_page(at=at)
    assert_no_leak(at, str(path), str(path.parent))
    assert [e.value for e in at.error] == [md(FILE_MESSAGE)]
    assert not at.metric and not at.dataframe  # nothing served from the cache of a deleted file
    assert not path.exists()  # and no empty database made in its place
    shutil.copyfile(backup, path)
    at = open_page(at=at)
    assert not at.exception and not at.error
    assert at.metric and at.dataframe


@pytest.mark.parametrize("script", PAGES)
def test_every_page_explains_a_deleted_database_without_a_traceback_or_path(app_env, script):
    path = sqlite_path(app_env)
    at = open_page(script)
    _remove(path)
    at = open_page(script, at)
    assert_no_leak(at, str(path), str(path.parent))
    assert any(md(FILE_MESSAGE) in e.value for e in at.error)


@pytest.mark.parametrize("script", PAGES)
def test_every_page_explains_a_server_that_is_down(app_env, monkeypatch, script):
    monkeypatch.setenv("TN_DATABASE_URL", "postgresql+psycopg://tn:secret@127.0.0.1:1/tn")
    at = open_page(script)
    assert_no_leak(at, "secret", "127.0.0.1")
    assert any(md(SERVER_MESSAGE) in e.value for e in at.error)


def test_a_read_only_store_serves_viewers_and_tells_editors_editing_is_unavailable(app_env, monkeypatch):
    path = sqlite_path(app_env)
    monkeypatch.setenv("TN_DATABASE_URL", f"sqlite:///file:{path}?mode=ro&uri=true")
    at = open_page()
    assert not at.exception and not at.error
    assert at.metric and at.dataframe
    monkeypatch.setenv("TN_LOCAL_ROLE", "admin")
    at = open_page("pages/6_Data.py")
    assert not at.exception
    assert any(w.value.startswith("Editing is unavailable: the database is read-only") for w in at.warning)
    assert [t.label for t in at.tabs] == ["Import log", "Export"]  # to look at, not to change
    assert any("Batch" in d.value.columns for d in at.dataframe)
    assert not at.get("file_uploader") and not at.data_editor and not at.text_area
    assert not {"commit_import", "save_actions", "create_locality", "rollback_batch", "save_role",
                "save_police_mapping"} & {b.key for b in at.main.button}
    assert {b.key for b in at.main.button} == {"prepare_export"}


@pytest.mark.parametrize(("driver_says", "advice"), [
    ("database or disk is full", DISK_FULL_MESSAGE),
    ("attempt to write a readonly database", READ_ONLY_MESSAGE),
])
def test_a_full_disk_and_a_read_only_database_get_their_own_advice(app_env, monkeypatch, driver_says, advice):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    def failing(_engine):
        raise OperationalError("SELECT ...", {}, sqlite3.OperationalError(driver_says))

    monkeypatch.setattr("db.queries.data_version", failing)
    at = open_page()
    assert_no_leak(at, sqlite_path(app_env).name)
    assert [e.value for e in at.error] == [md(advice)]
    assert "server is running" not in advice
