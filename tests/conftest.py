"""Shared fixtures: a seeded SQLite store, a private PostgreSQL cluster, Streamlit cache hygiene.

Locally, tests that need PostgreSQL or Chromium are skipped when those are not installed;
under ``CI=true`` the same absence fails the run, so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from db.engine import make_engine, migrate
from db.seed import seed
from tests.support.postgres import PostgresCluster, find_postgres_bin

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI, when something a test needs is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory) -> Path:
    """A SQLite file migrated and seeded from sample_data/ once per run; copy it before writing."""
    path = tmp_path_factory.mktemp("store") / "seeded.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    seed(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture()
def sqlite_url(seeded_sqlite, tmp_path) -> str:
    """URL of a private copy of the seeded store, safe to change."""
    copy = tmp_path / "store.sqlite"
    shutil.copyfile(seeded_sqlite, copy)
    return f"sqlite:///{copy}"


@pytest.fixture(scope="session")
def seeded_engine(seeded_sqlite):
    """Read-only use of the shared seeded store."""
    engine = make_engine(f"sqlite:///{seeded_sqlite}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_cluster():
    bin_dir = find_postgres_bin()
    require(bin_dir is not None, "PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    cluster = PostgresCluster(bin_dir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture()
def postgres_url(postgres_cluster, request) -> str:
    """URL of a new, empty database in the private cluster, dropped afterwards."""
    url = postgres_cluster.create_database()
    yield url
    postgres_cluster.drop_database(url)


@pytest.fixture()
def app_env(sqlite_url, monkeypatch):
    """Point the app at a private seeded store and start with empty Streamlit caches."""
    import streamlit as st

    monkeypatch.setenv("TN_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("TN_LOCAL_ROLE", "viewer")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield sqlite_url
    st.cache_data.clear()
    st.cache_resource.clear()
