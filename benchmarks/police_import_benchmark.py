"""Time a police.uk street-level month for a whole force area (about 25,000 reports) through the import.

Run: ``python benchmarks/police_import_benchmark.py [--reports 25000] [--repeat 3]``. A temporary SQLite
store is seeded from ``sample_data/`` (about 30 seconds) and the month is imported into a fresh copy of it
each time. It prints, in seconds (median of the repeats), beside the goal of 5 s:

- ``read CSV``: pandas reading the file alone (the floor: no import can be quicker);
- ``preview``: reading, recognising, counting per LSOA and month, checking and comparing with the store;
- ``import``: the same plus zero filling, denominators and the write in one transaction;
- the ratio of the import to the floor, and reports per second.

Not a test: it prints figures and checks nothing; wall-clock times depend on what else the machine runs.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402
from sqlalchemy import select  # noqa: E402

from db import schema  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.store import open_store  # noqa: E402
from ingest.importer import commit_import, preview_import  # noqa: E402
from tests.support.police import police_month  # noqa: E402

GOAL_SECONDS = 5.0


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=25_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        seeded = Path(folder) / "seeded.sqlite"
        engine = open_store(f"sqlite:///{seeded}", auto_seed=True)
        areas = schema.areas
        with engine.connect() as connection:
            lsoas = list(connection.execute(select(areas.c.code).where(
                areas.c.type == "lsoa", areas.c.basis.in_(["2021", "both"]))).scalars())
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        content = police_month(lsoas, args.reports)
        floor, previews, imports = [], [], []
        for run in range(args.repeat):
            copy = Path(folder) / f"run{run}.sqlite"
            shutil.copyfile(seeded, copy)
            engine = make_engine(f"sqlite:///{copy}")
            floor.append(timed(lambda: pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)))
            previews.append(timed(lambda: preview_import(engine, content, "street.csv")))
            imports.append(timed(lambda: commit_import(engine, content, "street.csv", imported_by="benchmark")))
            engine.dispose()
        read, preview, full = (statistics.median(times) for times in (floor, previews, imports))
        print(f"{'reports':>8}{'read CSV':>10}{'preview':>10}{'import':>10}{'goal':>8}{'x floor':>9}{'reports/s':>11}")
        print(f"{args.reports:>8,}{read:>10.2f}{preview:>10.2f}{full:>10.2f}{GOAL_SECONDS:>8.1f}"
              f"{full / read:>9.1f}{args.reports / full:>11,.0f}")


if __name__ == "__main__":
    main()
