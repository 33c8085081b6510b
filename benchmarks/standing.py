"""The standing benchmark: what each page costs, and how fast the command line imports, on one store.

Run: ``python benchmarks/standing.py [--scale sample|city] [--engine sqlite|postgresql]``.

Builds a private store (SQLite in a temporary folder, or a PostgreSQL cluster on 127.0.0.1 started
here and stopped at the end; needs the server binaries), seeds it (``python -m db seed [--scale]``),
then prints ONE table: per page, the first visit with every cache cleared (cold) and a second visit
(warm) as ``AppTest`` runs it, the SQL statements each sent (counted with SQLAlchemy's
``before_cursor_execute`` event) and the process's peak RSS so far; then the rows per second of
``python -m db import`` for a generated observations file of ``--import-rows`` rows (1,000,000 by
default, sent as files under the 20 MB upload limit). Each figure stands beside its floor (what a
page should not exceed; what the import should at least reach) and its ratio to that floor.
These are figures to compare between runs on one machine, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
from sqlalchemy import event, select  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from db import schema  # noqa: E402
from db.cli import main as db_cli  # noqa: E402
from db.engine import make_engine  # noqa: E402
from tests.support.postgres import PostgresCluster, find_postgres_bin  # noqa: E402

PAGES = {  # page -> (script, query parameters); None is the entry point itself
    "overview": (None, {}),
    "locality profile": ("pages/1_Locality_profile.py", {"area": "PN-NWORT"}),
    "ward explorer": ("pages/2_Ward_explorer.py", {"ward": "E05011385"}),
    "indicator map": ("pages/3_Indicator_map.py", {"geo": "lsoa"}),
}
PAGE_FLOOR_SECONDS = {"cold": 5.0, "warm": 1.0}  # what a visit should not exceed
SQL_FLOOR = 200  # statements per cold visit
IMPORT_FLOOR_ROWS_PER_SECOND = 5_000
ROWS_PER_FILE = 400_000  # about 13 MB of CSV: under the 20 MB upload limit
MONTHLY_LSOA_INDICATORS = ("ASB_ALL", "ASB_YOUTH", "CRIME_ALL", "FLYTIP")  # monthly counts by LSOA


class StatementCounter:
    """Counts every SQL statement any engine in this process sends."""

    def __init__(self) -> None:
        self.count = 0
        event.listen(Engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def visit(script: str | None, params: dict) -> float:
    """Seconds one visit takes, opened through the entry point as a visitor would."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if script is not None:
        at.switch_page(script)
    for key, value in params.items():
        at.query_params[key] = value
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    if at.exception:
        raise SystemExit(f"{script or 'app.py'} failed: {at.exception[0].value}")
    return seconds


def page_rows(counter: StatementCounter) -> list[dict]:
    rows = []
    for name, (script, params) in PAGES.items():
        st.cache_data.clear()
        st.cache_resource.clear()
        before = counter.count
        cold = visit(script, params)
        cold_sql, before = counter.count - before, counter.count
        warm = visit(script, params)
        warm_sql = counter.count - before
        rows.append({"measure": f"{name}: cold", "figure": cold, "unit": "s", "floor": PAGE_FLOOR_SECONDS["cold"],
                     "sql": cold_sql, "peak RSS MB": peak_rss_mb()})
        rows.append({"measure": f"{name}: warm", "figure": warm, "unit": "s", "floor": PAGE_FLOOR_SECONDS["warm"],
                     "sql": warm_sql, "peak RSS MB": peak_rss_mb()})
    return rows


def import_files(url: str, rows: int, folder: Path) -> list[Path]:
    """Observation files of ``rows`` rows in all, for LSOAs whose code is the same on both census bases."""
    engine = make_engine(url)
    with engine.connect() as connection:
        codes = [c for (c,) in connection.execute(select(schema.areas.c.code).where(
            schema.areas.c.type == "lsoa", schema.areas.c.basis == "both").order_by(schema.areas.c.code))]
    engine.dispose()
    months = -(-rows // (len(codes) * len(MONTHLY_LSOA_INDICATORS)))
    starts = pd.period_range(end=pd.Period(date(2026, 12, 1), freq="M"), periods=months, freq="M")
    frame = pd.MultiIndex.from_product([MONTHLY_LSOA_INDICATORS, codes, starts.start_time.date],
                                       names=["indicator_code", "area_code", "period_start"]).to_frame(index=False)
    frame = frame.head(rows)
    frame["value"] = (pd.util.hash_pandas_object(frame, index=False) % 40).to_numpy()
    paths = []
    for number, first in enumerate(range(0, len(frame), ROWS_PER_FILE), start=1):
        path = folder / f"observations_{number:02d}.csv"
        buffer = io.StringIO()
        frame.iloc[first:first + ROWS_PER_FILE].to_csv(buffer, index=False)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        paths.append(path)
    return paths


def import_row(url: str, rows: int, folder: Path) -> dict:
    paths = import_files(url, rows, folder)
    start = time.perf_counter()
    for path in paths:
        if db_cli(["--url", url, "import", str(path), "--as", "benchmark"]) != 0:
            raise SystemExit(f"The import of {path.name} failed; see above.")
    seconds = time.perf_counter() - start
    return {"measure": f"import {rows:,} rows ({len(paths)} files, CLI)", "figure": rows / seconds,
            "unit": "rows/s", "floor": IMPORT_FLOOR_ROWS_PER_SECOND, "sql": None, "peak RSS MB": peak_rss_mb()}


def table(rows: list[dict]) -> str:
    frame = pd.DataFrame(rows)
    higher_is_better = frame["unit"] == "rows/s"
    frame["x floor"] = frame["figure"] / frame["floor"]
    frame["within floor"] = (frame["figure"] >= frame["floor"]).where(higher_is_better,
                                                                      frame["figure"] <= frame["floor"])
    frame["within floor"] = frame["within floor"].map({True: "yes", False: "NO"})
    frame["figure"] = frame["figure"].map(lambda v: f"{v:,.2f}" if v < 1000 else f"{v:,.0f}")
    frame["floor"] = frame["floor"].map(lambda v: f"{v:,g}")
    frame["x floor"] = frame["x floor"].map(lambda v: f"{v:.2f}")
    frame["sql"] = frame["sql"].map(lambda v: "" if pd.isna(v) else f"{int(v)}")
    frame["peak RSS MB"] = frame["peak RSS MB"].map(lambda v: f"{v:,.0f}")
    return frame.to_string(index=False)


def run(url: str, scale: str, import_rows: int, folder: Path) -> None:
    seeding = ["--url", url, "seed", "--replace"] + ([] if scale == "sample" else ["--scale", scale])
    started = time.perf_counter()
    if db_cli(seeding) != 0:
        raise SystemExit("Seeding failed; see above.")
    print(f"seeded in {time.perf_counter() - started:,.0f} s")
    os.environ["TN_DATABASE_URL"] = url
    os.environ["TN_AUTO_SEED"] = "0"
    counter = StatementCounter()
    rows = page_rows(counter)
    rows.append(import_row(url, import_rows, folder))
    print(table(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("sample", "city"), default="sample",
                        help="the store: the sample data, or the city-scale generated store (about 2M rows)")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--import-rows", type=int, default=1_000_000, help="rows in the generated import")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tn-bench-") as folder:
        print(f"standing benchmark: {args.scale} store on {args.engine}")
        if args.engine == "sqlite":
            run(f"sqlite:///{Path(folder) / 'bench.sqlite'}", args.scale, args.import_rows, Path(folder))
            return
        bin_dir = find_postgres_bin()
        if bin_dir is None:
            raise SystemExit("PostgreSQL server binaries (initdb, pg_ctl) are not installed.")
        cluster = PostgresCluster(bin_dir)
        cluster.start()
        try:
            run(cluster.create_database(), args.scale, args.import_rows, Path(folder))
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
