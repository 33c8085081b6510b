"""A file read in several chunks and written in several batches is stored whole, or not at all."""

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from db import bulk, schema
from db.cli import main
from ingest import templates
from ingest.importer import commit_import
from tests.fixtures.uploads import store_digest

ROWS = 181  # with chunks of 50 rows: four chunks; with batches of 40: five writes, the last of 21 rows


@pytest.fixture()
def small_chunks(monkeypatch):
    monkeypatch.setattr(templates, "CHUNK_ROWS", 50)
    monkeypatch.setattr(bulk, "BATCH_ROWS", 40)


def _lsoas(engine) -> list[str]:
    areas = schema.areas
    with engine.connect() as connection:
        return sorted(connection.execute(select(areas.c.code).where(
            areas.c.type == "lsoa", areas.c.basis.in_(["2021", "both"]))).scalars())


def _claimant_file(path: Path, lsoas: list[str], *, last_value: str | None = None) -> Path:
    """CLAIMANT (a monthly percentage) for ``ROWS`` LSOA-months from January 2030, which nothing holds."""
    months = pd.date_range("2030-01-01", periods=ROWS, freq="MS").strftime("%Y-%m-%d")
    numerators = [10 + i % 40 for i in range(ROWS)]
    frame = pd.DataFrame({"indicator_code": "CLAIMANT", "area_code": [lsoas[i % len(lsoas)] for i in range(ROWS)],
                          "period_start": months, "numerator": numerators, "denominator": 1000,
                          "value": [f"{n / 10:g}" for n in numerators]})
    if last_value is not None:
        frame.loc[ROWS - 1, "value"] = last_value
    frame.to_csv(path, index=False)
    return path


def _stored(engine) -> pd.DataFrame:
    obs = schema.observations
    with engine.connect() as connection:
        rows = connection.execute(select(obs.c.area_code, obs.c.period_start, obs.c.value, obs.c.batch_id)
                                  .where(obs.c.indicator_code == "CLAIMANT", obs.c.period_start >= "2030-01-01")
                                  .order_by(obs.c.period_start)).all()
    return pd.DataFrame(rows, columns=["area_code", "period_start", "value", "batch_id"])


def test_a_file_of_several_chunks_stores_every_row(engine, store_url, tmp_path, small_chunks, capsys):
    path = _claimant_file(tmp_path / "claimant.csv", _lsoas(engine))

    assert main(["--url", store_url, "import", str(path), "--as", "tester"]) == 0

    assert f"{ROWS:,} new" in capsys.readouterr().out
    stored = _stored(engine)
    assert len(stored) == ROWS and stored["batch_id"].nunique() == 1
    assert stored["value"].iloc[-1] == pytest.approx((10 + (ROWS - 1) % 40) / 10)
    with engine.connect() as connection:
        created = connection.execute(select(func.count()).select_from(schema.observation_revisions).where(
            schema.observation_revisions.c.replaced_by_batch_id == int(stored["batch_id"].iloc[0]))).scalar()
    assert created == ROWS  # one 'created' revision per row, so the batch can be rolled back


def test_the_same_file_again_changes_nothing(engine, store_url, tmp_path, small_chunks, capsys):
    path = _claimant_file(tmp_path / "claimant.csv", _lsoas(engine))
    main(["--url", store_url, "import", str(path), "--as", "tester"])
    capsys.readouterr()

    assert main(["--url", store_url, "import", str(path), "--as", "tester"]) == 0

    assert f"Nothing to change: all {ROWS:,} rows of claimant.csv are already in the database" in capsys.readouterr().out


def test_a_bad_cell_in_the_last_chunk_writes_nothing_and_names_its_row(store_url, engine, tmp_path, small_chunks,
                                                                      capsys):
    path = _claimant_file(tmp_path / "claimant.csv", _lsoas(engine), last_value="about 4")
    before = store_digest(store_url)

    assert main(["--url", store_url, "import", str(path), "--as", "tester"]) == 2

    assert f"row {ROWS + 1}, value 'about 4': Not a number." in capsys.readouterr().out
    assert store_digest(store_url) == before


def test_a_failure_writing_the_last_batch_rolls_back_the_batches_before_it(store_url, engine, tmp_path, small_chunks,
                                                                          monkeypatch, capsys):
    path = _claimant_file(tmp_path / "claimant.csv", _lsoas(engine))
    before = store_digest(store_url)
    tuples, batches = bulk._tuples, []

    def failing_last(table, frame, dialect):
        if table.name == "observations":
            batches.append(len(frame))
            if sum(batches) == ROWS:  # the last of five batches of new rows, after four were written
                raise OSError("disk full")
        return tuples(table, frame, dialect)

    monkeypatch.setattr(bulk, "_tuples", failing_last)

    assert main(["--url", store_url, "import", str(path), "--as", "tester"]) == 1

    assert "Nothing was written" in capsys.readouterr().err
    assert batches == [40, 40, 40, 40, 21]
    assert store_digest(store_url) == before


def test_progress_is_reported_in_order_up_to_done(engine, tmp_path, small_chunks):
    path = _claimant_file(tmp_path / "claimant.csv", _lsoas(engine))
    seen: list[tuple[float, str]] = []

    commit_import(engine, path, path.name, imported_by="tester", progress=lambda done, stage: seen.append((done, stage)))

    fractions = [done for done, _ in seen]
    assert fractions == sorted(fractions)
    assert "Writing" in {stage for _, stage in seen}
    assert seen[-1] == (1.0, "Done")


def test_the_byte_limit_is_the_browsers_alone(engine, store_url, tmp_path, monkeypatch, capsys):
    path = _claimant_file(tmp_path / "claimant.csv", _lsoas(engine))
    monkeypatch.setattr(templates, "MAX_UPLOAD_BYTES", path.stat().st_size - 1)

    with pytest.raises(templates.UnreadableFile, match="the limit is"):
        templates.read_table(path.read_bytes(), path.name)  # what the Data page reads
    assert main(["--url", store_url, "import", str(path), "--as", "tester"]) == 0

    assert f"{ROWS:,} new" in capsys.readouterr().out
