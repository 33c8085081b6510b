"""Fixtures for the real-world import cases: the case folders, a private copy of the seeded store, and
``python -m db`` run in process."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from db import schema
from db.cli import main
from db.engine import make_engine

CASES = Path(__file__).resolve().parents[3] / "fixtures" / "cases" / "ingest"


@pytest.fixture()
def engine(sqlite_url):
    """An engine on a private copy of the seeded store (real Leeds LSOAs), safe to change."""
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


def run_cli(capsys, url: str, *args: str) -> tuple[int, str, str]:
    code = main(["--url", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def stored_values(engine, indicator: str, period_start) -> dict[str, float]:
    """{area code: value} of one indicator and period in the store."""
    obs = schema.observations
    with engine.connect() as connection:
        rows = connection.execute(select(obs.c.area_code, obs.c.value).where(
            obs.c.indicator_code == indicator, obs.c.period_start == period_start)).all()
    return dict(rows)
