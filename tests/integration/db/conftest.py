"""Fixtures for the data-management tests: a small store (a few LSOAs' full history) that imports,
exports and rollbacks can change freely, copied afresh for every test."""

import shutil
from pathlib import Path

import pytest

from db.engine import make_engine
from tests.fixtures.uploads import seed_small_store


@pytest.fixture(scope="session")
def small_sqlite_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    return Path(seed_small_store(f"sqlite:///{folder / 'small.sqlite'}", folder).removeprefix("sqlite:///"))


@pytest.fixture()
def engine(small_sqlite_file, tmp_path):
    """An engine on a private copy of the small store."""
    copy = tmp_path / "store.sqlite"
    shutil.copyfile(small_sqlite_file, copy)
    engine = make_engine(f"sqlite:///{copy}")
    yield engine
    engine.dispose()
