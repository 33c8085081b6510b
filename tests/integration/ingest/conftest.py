"""Fixtures for the import tests: a small store (all the Leeds geography, a few LSOAs' history) copied
afresh for every test."""

import shutil
from pathlib import Path

import pytest

from db.engine import make_engine
from tests.fixtures.uploads import seed_small_store


@pytest.fixture(scope="session")
def small_store_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ingest_small")
    return Path(seed_small_store(f"sqlite:///{folder / 'small.sqlite'}", folder).removeprefix("sqlite:///"))


@pytest.fixture()
def store_url(small_store_file, tmp_path) -> str:
    copy = tmp_path / "store.sqlite"
    shutil.copyfile(small_store_file, copy)
    return f"sqlite:///{copy}"


@pytest.fixture()
def engine(store_url):
    engine = make_engine(store_url)
    yield engine
    engine.dispose()
