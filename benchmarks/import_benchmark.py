"""Time a 1M-row observations import through the command line's path, beside the goal.

Run: ``python benchmarks/import_benchmark.py [--rows 1000000] [--postgres/--no-postgres]``. A
deterministic observations CSV (``generate_observations_csv``: four monthly LSOA indicators over
every 2021 LSOA of the sample geography, counts and a percentage with numerator and denominator) is
written to a temporary folder, and imported as ``python -m db import`` does (``db.cli.main``) into
a freshly seeded SQLite store and, when ``initdb`` is available, a private PostgreSQL cluster on
127.0.0.1 (``tests.support.postgres``). Each store is imported twice: the first time every row is
new, the second time nothing changed.

Beside them, the floor: the engine's own bulk write of the same rows into ``observations`` as the
store keeps it (its unique key, indexes and, on PostgreSQL, foreign keys checked row by row), in one
transaction rolled back after, with no reading, checking, comparing, revisions, area totals or
small-number decisions (``write_floor``). An import cannot be quicker than that on the same engine.

It prints, per engine: rows, seconds, the import process's CPU seconds (user + system: what the time
would be on cores it had to itself), rows per second, the process's peak RSS and the goal (10 s on
SQLite, 5 s on PostgreSQL, for 1M rows on two cores) with the time as a ratio of it. On PostgreSQL the
CPU seconds are the client's only; the server's work is in the wall-clock time.

Not a test: it prints figures and checks nothing; wall-clock times depend on what else the machine runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sqlalchemy import delete, insert, select  # noqa: E402

from db import bulk, schema  # noqa: E402
from db.store import open_store  # noqa: E402
from tests.support.postgres import PostgresCluster, find_postgres_bin  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

GOAL_SECONDS = {"sqlite": 10.0, "postgresql": 5.0}  # for GOAL_ROWS rows
GOAL_ROWS = 1_000_000
SEED = 20_261_201
MONTHLY_INDICATORS = ("CLAIMANT", "CRIME_ALL", "ASB_ALL", "ASB_YOUTH", "FLYTIP")  # monthly, LSOA-level, in the sample
FIRST_MONTH = pd.Timestamp("2021-04-01")  # the first month on 2021 LSOAs: the sample holds 66 months from here


def lsoa_codes(engine) -> list[str]:
    """The store's 2021-basis LSOA codes, sorted."""
    areas = schema.areas
    with engine.connect() as connection:
        return sorted(connection.execute(select(areas.c.code).where(
            areas.c.type == "lsoa", areas.c.basis.in_(["2021", "both"]))).scalars())


def generate_observations_csv(path: Path, *, rows: int, lsoas: list[str], seed: int = SEED) -> Path:
    """Write ``rows`` observation rows to ``path`` (UTF-8 CSV, the observations template's columns).

    Every LSOA of ``lsoas`` for each of ``MONTHLY_INDICATORS`` for consecutive months from
    ``FIRST_MONTH``, cut at ``rows``; the same file for the same arguments. Counts have value =
    numerator; CLAIMANT (a percentage) has value = numerator / denominator x 100 to two decimals.
    """
    per_month = len(lsoas) * len(MONTHLY_INDICATORS)
    months = -(-rows // per_month)
    rng = np.random.default_rng(seed)
    starts = pd.date_range(FIRST_MONTH, periods=months, freq="MS").strftime("%Y-%m-%d")
    frame = pd.DataFrame({
        "period_start": np.repeat(starts, per_month),
        "indicator_code": np.tile(np.repeat(MONTHLY_INDICATORS, len(lsoas)), months),
        "area_code": np.tile(lsoas, months * len(MONTHLY_INDICATORS)),
    }).iloc[:rows]
    denominator = rng.integers(800, 2_000, len(frame))
    numerator = rng.integers(0, 60, len(frame))
    percent = frame["indicator_code"].eq("CLAIMANT").to_numpy()
    frame["value"] = np.where(percent, np.round(numerator / denominator * 100, 2), numerator)
    frame["numerator"] = numerator
    frame["denominator"] = denominator
    frame["status"] = "final"
    frame[["indicator_code", "area_code", "period_start", "value", "numerator", "denominator", "status"]].to_csv(
        path, index=False)
    return path


def write_floor(url: str, csv: Path) -> tuple[float, float]:
    """(seconds, this process's CPU seconds) to write the rows of ``csv`` into the seeded store's
    ``observations`` with ``db.bulk.insert_frame`` (executemany on SQLite, COPY on PostgreSQL), after
    deleting the stored rows they would collide with; rolled back, so the store is left as it was."""
    rows = pd.read_csv(csv)
    starts = pd.to_datetime(rows["period_start"])
    rows = rows.assign(period_start=starts, period_end=starts + pd.offsets.MonthEnd(0), suppressed=False,
                       basis="2021")
    obs, batches = schema.observations, schema.import_batches
    engine = open_store(url, auto_seed=False)
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            connection.execute(delete(obs).where(obs.c.indicator_code.in_(MONTHLY_INDICATORS),
                                                 obs.c.period_start >= FIRST_MONTH.date()))
            batch = connection.execute(insert(batches).values(
                kind="observations", file_name=csv.name, sha256="floor", imported_by="benchmark",
                imported_at=pd.Timestamp.now(tz="UTC").to_pydatetime(), rows_total=len(rows), rows_new=len(rows),
                rows_changed=0, rows_unchanged=0, outcome="committed")).inserted_primary_key[0]
            start, cpu = time.perf_counter(), time.process_time()
            with bulk.roomy_cache(connection):
                bulk.insert_frame(connection, obs, rows.assign(batch_id=batch))
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            transaction.rollback()
    finally:
        engine.dispose()
    return seconds, cpu


def import_via_cli(url: str, path: Path) -> tuple[float, float, str]:
    """Run ``python -m db import`` on ``path`` in a child process; (seconds, its CPU seconds, its first line
    of output)."""
    before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "db", "--url", url, "import", str(path), "--as", "benchmark"],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, "TN_AUTO_SEED": "0"})
    seconds = time.perf_counter() - start
    lines = (done.stdout + done.stderr).strip().splitlines()
    return seconds, _children_cpu() - before, (lines[0] if lines else "")[:90]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    """The largest resident set of any child process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run(engine_name: str, url: str, csv: Path, rows: int) -> list[tuple]:
    """Seed ``url`` with the sample data, import ``csv`` twice; one result row per import."""
    open_store(url, auto_seed=True).dispose()
    seconds, cpu = write_floor(url, csv)
    goal = GOAL_SECONDS[engine_name] * rows / GOAL_ROWS
    results = [(engine_name, "floor: bulk write", rows, seconds, cpu, rows / seconds, None, goal,
                "the rows alone, into the indexed table")]
    for label in ("first import", "unchanged re-import"):
        seconds, cpu, said = import_via_cli(url, csv)
        goal = GOAL_SECONDS[engine_name] * rows / GOAL_ROWS
        results.append((engine_name, label, rows, seconds, cpu, rows / seconds, peak_rss_mb(), goal, said))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=GOAL_ROWS)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only, even when initdb is available")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store.sqlite"
        engine = open_store(f"sqlite:///{store}", auto_seed=True)
        csv = generate_observations_csv(Path(folder) / "observations.csv", rows=args.rows, lsoas=lsoa_codes(engine))
        engine.dispose()
        print(f"{args.rows:,} rows, {csv.stat().st_size / 1_048_576:.0f} MB; the goal is for {GOAL_ROWS:,} rows, "
              "scaled to the rows given.")
        results += run("sqlite", f"sqlite:///{store}", csv, args.rows)
        bin_dir = None if args.no_postgres else find_postgres_bin()
        if bin_dir is not None:
            cluster = PostgresCluster(bin_dir)
            cluster.start()
            try:
                results += run("postgresql", cluster.create_database(), csv, args.rows)
            finally:
                cluster.stop()
    print(f"{'engine':<11}{'import':<21}{'rows':>10}{'seconds':>9}{'CPU s':>7}{'rows/s':>10}{'peak MB':>9}"
          f"{'goal s':>8}{'x goal':>8}{'CPU x':>7}  result")
    for engine_name, label, rows, seconds, cpu, rate, rss, goal, said in results:
        shown_rss = "" if rss is None else f"{rss:,.0f}"  # the floor runs in this process, not a child
        print(f"{engine_name:<11}{label:<21}{rows:>10,}{seconds:>9.1f}{cpu:>7.1f}{rate:>10,.0f}{shown_rss:>9}"
              f"{goal:>8.1f}{seconds / goal:>8.1f}{cpu / goal:>7.1f}  {said}")


if __name__ == "__main__":
    main()
