"""``python -m db prepare``: the run command's first step, which makes the store ready before the app
starts (so the first visit does not wait for the seeding), says each step and its time, and does
nothing more on a store that is ready."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from db import schema
from db.engine import make_engine
from tests.integration.db.test_cli import run_cli

SEEDING = "loading the Leeds geography and the sample data"


def _areas(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(schema.areas)).scalar_one()
    engine.dispose()
    return count


def test_a_new_store_is_created_and_seeded_with_each_step_timed(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    result = run_cli("prepare", url=url)
    assert result.returncode == 0, result.stderr
    steps = result.stdout.splitlines()
    assert all(re.match(r"\[ *\d+\.\d s\] ", line) for line in steps[:-1]), steps
    assert any("Creating or migrating the schema" in line for line in steps)
    assert any(SEEDING in line for line in steps)
    assert re.fullmatch(r"Ready in \d+\.\d s\.", steps[-1])
    assert _areas(url) == 1 + 10 + 33 + 482 + 15 + 6


def test_a_ready_store_is_left_as_it_is(sqlite_url):
    result = run_cli("prepare", url=sqlite_url)
    assert result.returncode == 0, result.stderr
    assert SEEDING not in result.stdout and "schema" not in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Ready in ")


def test_with_auto_seed_off_an_empty_store_stays_empty_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("TN_AUTO_SEED", "0")
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    result = run_cli("prepare", url=url)
    assert result.returncode == 0, result.stderr
    assert "TN_AUTO_SEED is off, so it is left empty" in result.stdout
    assert _areas(url) == 0


def test_only_a_new_sqlite_file_to_be_seeded_counts_as_a_first_run(tmp_path, sqlite_url, monkeypatch):
    from db.store import is_first_run

    new = f"sqlite:///{tmp_path / 'new.sqlite'}"
    assert is_first_run(new)
    assert not is_first_run(sqlite_url)  # already there
    assert not is_first_run("postgresql+psycopg://tn@127.0.0.1/tn")  # checked when opened
    assert not is_first_run(f"sqlite:///file:{tmp_path / 'new.sqlite'}?mode=ro&uri=true")
    monkeypatch.setenv("TN_AUTO_SEED", "0")
    assert not is_first_run(new)  # created empty in a moment: nothing to wait for
