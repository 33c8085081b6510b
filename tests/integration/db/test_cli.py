"""``python -m db``: what an analyst sees, and the exit codes scripts rely on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_cli(*args: str, url: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TN_DATABASE_URL"}
    if url:
        env["TN_DATABASE_URL"] = url
    return subprocess.run([sys.executable, "-m", "db", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def _init_seed_status(url: str) -> None:
    init = run_cli("init", url=url)
    assert init.returncode == 0, init.stderr
    assert "Schema is up to date" in init.stdout
    seeded = run_cli("seed", url=url)
    assert seeded.returncode == 0, seeded.stderr
    assert "482" not in seeded.stderr and "areas" in seeded.stdout
    status = run_cli("status", url=url)
    assert status.returncode == 0, status.stderr
    lines = {line.split()[0]: line.split()[-1] for line in status.stdout.splitlines() if line.strip()}
    assert lines["areas"] == str(1 + 10 + 33 + 482 + 15 + 6)  # 482 LSOA codes of 2011 and the 15 new in 2021
    assert "ASB_YOUTH" in status.stdout
    again = run_cli("seed", url=url)
    assert again.returncode == 0 and "nothing changed" in again.stdout


def test_init_seed_status_on_a_fresh_sqlite_file(tmp_path):
    _init_seed_status(f"sqlite:///{tmp_path / 'cli.sqlite'}")


@pytest.mark.postgres
def test_init_seed_status_on_postgres(postgres_url):
    _init_seed_status(postgres_url)
    assert "***" in run_cli("status", url=postgres_url.replace("tn_test@", "tn_test:pw@")).stdout


def test_status_hides_the_password_and_reports_an_unreachable_server_in_one_line():
    result = run_cli("status", url="postgresql+psycopg://tn:secret@127.0.0.1:1/tn")
    assert result.returncode == 1
    assert "could not be reached" in result.stderr
    assert "Traceback" not in result.stderr and "secret" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_usage_exits_2_with_usage():
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr and "Traceback" not in result.stderr


def test_bad_url_exits_2():
    result = run_cli("status", url="definitely not a url")
    assert result.returncode == 2
    assert result.stderr.startswith("error: The database URL is not valid")


def test_seed_over_other_data_is_refused_with_exit_2(sqlite_url):
    from sqlalchemy import insert

    from db import schema
    from db.engine import make_engine

    engine = make_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(insert(schema.import_batches).values(
            kind="observations", file_name="x.csv", sha256="1" * 64, imported_by="me", outcome="committed"))
    engine.dispose()
    result = run_cli("seed", url=sqlite_url)
    assert result.returncode == 2
    assert "already holds data" in result.stderr


def test_help_lists_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("init", "seed", "status"):
        assert command in result.stdout
