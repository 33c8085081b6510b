"""The standing benchmark: what each page costs against what it draws, and what imports and reports take.

Run: ``python benchmarks/standing.py [--scale sample|city|national] [--engines sqlite,postgres]
[--sqlite-store FILE] [--postgres-url URL] [--import-rows 100000] [--budget 3600] [--quick]``.

For each engine it builds a private store (SQLite in a temporary folder, copied from ``--sqlite-store``
when given, else seeded with ``python -m db seed [--scale]``; PostgreSQL as a cluster on 127.0.0.1 that
it starts, seeds and stops itself, fsync off; needs the server binaries; or a store already seeded at
that scale, given with ``--postgres-url``, which is read and never written) and prints ONE table. Per page
(overview, locality profile, ward explorer, indicator map):

* **cold**: a visit with every Streamlit cache and ``db.disclosure``'s in-process memo cleared, and
  **warm**: a second visit, both as ``AppTest`` runs them (seconds);
* **render-only twin**: the same Streamlit elements drawn from the objects the page built (captured
  once from its warm visit), so cold / twin and warm / twin say how much of a visit is not drawing;
  the **script CPU** of the fastest warm visit and of the fastest twin (CPU seconds of the thread that
  runs the script), the steadier pair when other work shares the cores;
  and the **bare page**: an empty script, the floor of any visit;
* **SQL raw**: the statements the cold visit sent (captured with ``before_cursor_execute``) re-run on a
  raw DBAPI cursor, and the **naive** pattern (the whole observations table read into pandas), with
  the ratios raw / cold and naive / raw; a table of more than ``NAIVE_ROW_LIMIT`` rows is not read
  whole (the line says how many rows it would have read);
* SQL statements per visit and the process's peak RSS after each page; on PostgreSQL the
  ``EXPLAIN ANALYZE`` plan of each page's slowest statement is printed after the table.

Then the rows per second of ``python -m db import`` on a generated observations file
(``import_benchmark.generate_observations_csv``), one PDF snapshot and the Board pack of six
(``snapshot_benchmark.seconds`` over ``reports.render``). Goals, where the project has one, stand
beside the figure with the ratio to it (cold page 1 s, 1.5 s on the national store; import 1M rows in
10 s on SQLite, 5 s on PostgreSQL; snapshot 2 s; pack 10 s). ``--budget`` bounds the run: steps not
started by then are listed as skipped. ``--quick`` (the smallest run, for the test) times each thing once, imports 2,000
rows and leaves out the reports. Figures to compare between runs on one machine, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from streamlit.delta_generator import DeltaGenerator  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

import import_benchmark  # noqa: E402
from db import disclosure, schema  # noqa: E402
from db.engine import make_engine  # noqa: E402
from tests.support.postgres import PostgresCluster, find_postgres_bin  # noqa: E402

PAGES = {  # page -> (script, query parameters); None is the entry point itself
    "overview": (None, {}),
    "locality profile": ("pages/1_Locality_profile.py", {"area": "PN-NWORT"}),
    "ward explorer": ("pages/2_Ward_explorer.py", {"ward": "E05011385"}),
    "indicator map": ("pages/3_Indicator_map.py", {"geo": "lsoa"}),
}
# The national store holds values only for its synthetic indicators, so the maps open on one of them
# (the pages' own default, anti-social behaviour, would show an empty state there).
NATIONAL_INDICATOR = "SYN_01"
COLD_PAGE_GOAL_SECONDS = 1.0
NATIONAL_COLD_PAGE_GOAL_SECONDS = 1.5  # forty times the rows: the national store's own goal
# Above this the naive read is not run: 40 million rows would take minutes and more memory than the
# machine can spare, and the pages' reads are the point of the table.
NAIVE_ROW_LIMIT = 5_000_000
SNAPSHOT_AREA = "PN-NWORT"
ENGINE_NAMES = {"sqlite": "sqlite", "postgres": "postgresql", "postgresql": "postgresql"}
# Streamlit elements a page draws; the twin redraws them in order (layout containers are flattened).
DRAWN = ("markdown", "caption", "info", "warning", "error", "success", "subheader", "title", "header",
         "divider", "html", "dataframe", "table", "metric", "plotly_chart", "pydeck_chart", "progress",
         "selectbox", "multiselect", "select_slider", "radio", "toggle", "checkbox", "button", "text_input",
         "text_area", "date_input", "download_button", "data_editor")
TWIN_SCRIPT = "import sys\nsys.modules['tn_standing_benchmark'].redraw()\n"
BARE_SCRIPT = "import streamlit as st\n"


class StatementLog:
    """Every SQL statement any engine in this process sends: a count, and (while ``capturing``) the
    statements with their parameters, as the DBAPI cursor received them."""

    def __init__(self) -> None:
        self.count = 0
        self.captured: list[tuple[str, object, bool]] | None = None
        event.listen(Engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, parameters, _context, executemany) -> None:
        self.count += 1
        if self.captured is not None:
            self.captured.append((statement, parameters, executemany))


class DrawnElements:
    """Records the outermost Streamlit element calls of a run (name, args, kwargs), to redraw them."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple, dict]] = []
        self._depth = threading.local()
        self._saved: list[tuple[object, str, object]] = []

    def _wrap(self, name: str, function):
        def recorded(*args, **kwargs):
            depth = getattr(self._depth, "n", 0)
            if depth == 0:
                shown = args[1:] if args and isinstance(args[0], DeltaGenerator) else args
                self.calls.append((name, shown, kwargs))
            self._depth.n = depth + 1
            try:
                return function(*args, **kwargs)
            finally:
                self._depth.n = depth
        return recorded

    def __enter__(self) -> DrawnElements:
        for name in DRAWN:
            for owner in (DeltaGenerator, st):
                if hasattr(owner, name):
                    original = getattr(owner, name)
                    self._saved.append((owner, name, original))
                    setattr(owner, name, self._wrap(name, original))
        return self

    def __exit__(self, *_exc) -> None:
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)
        self._saved.clear()


_twin_calls: list[tuple[str, tuple, dict]] = []


def redraw() -> None:
    """The render-only twin's script body: draw the captured elements again, nothing else."""
    for name, args, kwargs in _twin_calls:
        getattr(st, name)(*args, **kwargs)


sys.modules["tn_standing_benchmark"] = sys.modules[__name__]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def forget_everything() -> None:
    """Clear every Streamlit cache and the small-numbers decisions remembered in this process."""
    st.cache_data.clear()
    st.cache_resource.clear()
    for memo in (disclosure._decisions, disclosure._memberships, disclosure._catalogues):
        memo.clear()


class ScriptCpu:
    """CPU seconds the script runner's thread spent in the last ``AppTest`` run (``time.thread_time``):
    what the page's own Python costs the server, without the waits for a core that make wall clocks on a
    shared machine vary by as much as the ratios they are read for."""

    def __init__(self) -> None:
        from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

        self.last = 0.0
        run_script = ScriptRunner._run_script

        def measured(runner, rerun_data):
            start = time.thread_time()
            try:
                return run_script(runner, rerun_data)
            finally:
                self.last = time.thread_time() - start

        ScriptRunner._run_script = measured


script_cpu = ScriptCpu()


def timed_run(at: AppTest, label: str) -> float:
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    if at.exception:
        raise SystemExit(f"{label} failed: {at.exception[0].value}")
    return seconds


def timed_with_cpu(run) -> tuple[float, float]:
    """(seconds, script CPU seconds) of one run."""
    return run(), script_cpu.last


def visit(script: str | None, params: dict, timeout: float) -> float:
    """Seconds one visit takes, opened through the entry point as a visitor would."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if script is not None:
        at.switch_page(script)
    for key, value in params.items():
        at.query_params[key] = value
    return timed_run(at, script or "app.py")


def best_of(script: str, repeat: int, timeout: float, *, with_cpu: bool = False):
    """The fastest of ``repeat`` runs of a script given as text, after one run to warm it up; with
    ``with_cpu``, (seconds, script CPU seconds) of that run."""
    timed_run(AppTest.from_string(script, default_timeout=timeout), "warm-up")
    runs = [timed_with_cpu(lambda: timed_run(AppTest.from_string(script, default_timeout=timeout), "script"))
            for _ in range(repeat)]
    return min(runs) if with_cpu else min(runs)[0]


@dataclass
class RawSql:
    seconds: float
    statements: int
    failed: int
    slowest: tuple[float, str, object] | None = None
    plan: str = ""


def run_raw(url: str, statements: list[tuple[str, object, bool]], explain: bool) -> RawSql:
    """Re-run captured statements on one raw DBAPI connection, fetching every row; rolled back after."""
    engine = make_engine(url)
    connection = engine.raw_connection()
    total, failed, slowest = 0.0, 0, None
    try:
        for statement, parameters, many in statements:
            cursor = connection.cursor()
            start = time.perf_counter()
            try:
                if many:
                    cursor.executemany(statement, parameters)
                else:
                    cursor.execute(statement, parameters)
                if cursor.description is not None:
                    cursor.fetchall()
            except Exception:  # a statement that cannot be repeated (a write) is counted, not timed
                failed += 1
                connection.rollback()
                continue
            finally:
                cursor.close()
            seconds = time.perf_counter() - start
            total += seconds
            if not many and (slowest is None or seconds > slowest[0]):
                slowest = (seconds, statement, parameters)
        result = RawSql(total, len(statements), failed, slowest)
        if explain and slowest is not None:
            cursor = connection.cursor()
            verb = "EXPLAIN (ANALYZE, BUFFERS) " if slowest[1].lstrip().upper().startswith(("SELECT", "WITH")) \
                else "EXPLAIN "
            cursor.execute(verb + slowest[1], slowest[2])
            result.plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.close()
        connection.rollback()
    finally:
        connection.close()
        engine.dispose()
    return result


NAIVE_SCRIPT = """
import sys, time
import pandas as pd
from sqlalchemy import text
from db.engine import make_engine
engine = make_engine(sys.argv[1])
start = time.perf_counter()
with engine.connect() as connection:
    frame = pd.read_sql_query(text("SELECT * FROM observations"), connection)
print(time.perf_counter() - start, len(frame))
"""


def observation_rows(url: str) -> int:
    """Rows in the store's observations table."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(schema.observations)).scalar_one()
    finally:
        engine.dispose()


def naive_seconds(url: str) -> tuple[float, int]:
    """Seconds to read the whole observations table into pandas, and its rows: the pattern to avoid.
    Run in a child process, so that the whole table never counts in this process's peak memory."""
    done = subprocess.run([sys.executable, "-c", NAIVE_SCRIPT, url], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    seconds, rows = done.stdout.split()[-2:]
    return float(seconds), int(rows)


@dataclass
class Table:
    engine: str
    rows: list[dict] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)

    def add(self, measure: str, figure: float | None, unit: str = "s", *, against: str = "",
            ratio: float | None = None, goal: float | None = None, sql: int | None = None) -> None:
        x_goal = None
        if goal is not None and figure:
            x_goal = goal / figure if unit == "rows/s" else figure / goal
        self.rows.append({"engine": self.engine, "measure": measure, "figure": figure, "unit": unit,
                          "against": against, "ratio": ratio, "goal": goal, "x goal": x_goal, "sql": sql,
                          "peak RSS MB": peak_rss_mb()})

    def skip(self, measure: str, why: str) -> None:
        self.rows.append({"engine": self.engine, "measure": measure, "figure": None, "unit": "",
                          "against": f"skipped ({why})", "ratio": None, "goal": None, "x goal": None,
                          "sql": None, "peak RSS MB": None})


def pages_for(scale: str) -> dict[str, tuple[str | None, dict]]:
    """``PAGES``, with the maps on ``NATIONAL_INDICATOR`` at national scale."""
    if scale != "national":
        return PAGES
    maps = ("ward explorer", "indicator map")
    return {name: (script, params | {"indicator": NATIONAL_INDICATOR} if name in maps else params)
            for name, (script, params) in PAGES.items()}


def page_rows(table: Table, log: StatementLog, url: str, repeat: int, deadline: float, scale: str) -> None:
    global _twin_calls
    raw_seconds = {}
    for name, (script, params) in pages_for(scale).items():
        left = deadline - time.monotonic()
        if left <= 0:
            table.skip(f"{name}", "time budget")
            continue
        forget_everything()
        before, log.captured = log.count, []
        cold = visit(script, params, left)
        statements, log.captured = log.captured, None
        cold_sql, before = log.count - before, log.count
        with DrawnElements() as drawn:
            warm = visit(script, params, left)
        warm_sql = log.count - before
        warm_cpu = script_cpu.last
        warm, warm_cpu = min([(warm, warm_cpu)] + [timed_with_cpu(lambda: visit(script, params, left))
                                                    for _ in range(repeat - 1)])
        _twin_calls = drawn.calls
        twin, twin_cpu = best_of(TWIN_SCRIPT, repeat, left, with_cpu=True)
        bare = best_of(BARE_SCRIPT, repeat, left)  # beside the twin, so both see the same load
        raw = run_raw(url, statements, explain=table.engine == "postgresql")
        table.add(f"{name}: cold", cold, against="render-only twin", ratio=cold / twin,
                  goal=NATIONAL_COLD_PAGE_GOAL_SECONDS if scale == "national" else COLD_PAGE_GOAL_SECONDS,
                  sql=cold_sql)
        table.add(f"{name}: warm", warm, against="render-only twin", ratio=warm / twin, sql=warm_sql)
        table.add(f"{name}: script CPU, warm", warm_cpu, against="twin's script CPU", ratio=warm_cpu / twin_cpu)
        table.add(f"{name}: render-only twin ({len(drawn.calls)} elements)", twin, against="bare page",
                  ratio=twin / bare)
        table.add(f"{name}: bare page (an empty script)", bare)
        failed = f", {raw.failed} not repeatable" if raw.failed else ""
        table.add(f"{name}: its SQL raw ({raw.statements} statements{failed})", raw.seconds,
                  against="cold page", ratio=raw.seconds / cold)
        raw_seconds[name] = raw.seconds
        print(f"{table.engine}: {name} measured", file=sys.stderr, flush=True)  # a sign of life on long runs
        if raw.plan:
            table.plans.append(f"{table.engine}, {name}: slowest statement ({raw.slowest[0]:.3f} s raw)\n"
                               f"{raw.slowest[1].strip()}\n{raw.plan}")
    held = observation_rows(url)
    if held > NAIVE_ROW_LIMIT:
        table.skip(f"naive: not run: would read {held:,} observations into pandas",
                   f"over {NAIVE_ROW_LIMIT:,} rows")
        return
    naive, naive_rows = naive_seconds(url)
    table.add(f"naive: all {naive_rows:,} observations into pandas", naive)
    for name, seconds in raw_seconds.items():
        table.add(f"{name}: naive read", naive, against="its SQL raw", ratio=naive / seconds if seconds else None)


def import_row(table: Table, url: str, rows: int, folder: Path) -> None:
    engine = make_engine(url)
    try:
        lsoas = import_benchmark.lsoa_codes(engine)
    finally:
        engine.dispose()
    csv = folder / "observations.csv"
    if not csv.exists():
        import_benchmark.generate_observations_csv(csv, rows=rows, lsoas=lsoas)
    seconds, _cpu, said = import_benchmark.import_via_cli(url, csv)
    goal = import_benchmark.GOAL_SECONDS[table.engine] * rows / import_benchmark.GOAL_ROWS
    table.add(f"import {rows:,} rows (CLI, child process)", rows / seconds, "rows/s",
              goal=rows / goal)
    print(f"{table.engine}: the import said: {said}", file=sys.stderr, flush=True)  # a failed import shows here


def report_rows(table: Table, url: str) -> None:
    # Imported here: WeasyPrint and the chart browser are only needed when reports are timed.
    import snapshot_benchmark
    from reports.figures import ChartExporter
    from reports.render import make_pack, make_snapshot

    engine = make_engine(url)
    exporter = ChartExporter().start()
    try:
        make_snapshot(engine, SNAPSHOT_AREA, fmt="pdf", exporter=exporter)  # warm-up: imports, fonts
        wall, _cpu = snapshot_benchmark.seconds(
            lambda: make_snapshot(engine, SNAPSHOT_AREA, fmt="pdf", exporter=exporter), 1)
        table.add(f"snapshot PDF, {SNAPSHOT_AREA}", wall, goal=snapshot_benchmark.SNAPSHOT_GOAL_SECONDS)
        wall, _cpu = snapshot_benchmark.seconds(lambda: make_pack(engine, None, fmt="pdf", exporter=exporter), 1)
        table.add("Board pack PDF, six localities", wall, goal=snapshot_benchmark.PACK_GOAL_SECONDS)
    finally:
        exporter.close()
        engine.dispose()


def fill(table: Table, url: str, args: argparse.Namespace, log: StatementLog, folder: Path,
         deadline: float, *, may_write: bool = True) -> None:
    """Every measure for one engine's store at ``url``, in the order the table prints them; the import
    only when the store ``may_write``."""
    os.environ["TN_DATABASE_URL"] = url
    os.environ["TN_AUTO_SEED"] = "0"
    repeat = 1 if args.quick else 2
    page_rows(table, log, url, repeat, deadline, args.scale)
    if args.quick:
        table.skip("snapshot PDF and Board pack", "--quick")
    elif time.monotonic() > deadline:
        table.skip("snapshot PDF and Board pack", "time budget")
    else:
        report_rows(table, url)
    if not may_write:
        table.skip("import", "a store given with --postgres-url is not written to")
    elif time.monotonic() > deadline:
        table.skip("import", "time budget")
    else:
        import_row(table, url, 2_000 if args.quick else args.import_rows, folder)


def seed(url: str, scale: str) -> float:
    """Seconds ``python -m db seed`` takes, run in a child process: the generator's own peak memory (about
    0.8 GB at national scale) must not count in the pages' peak memory."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "db", "--url", url, "seed", "--replace"]
    if subprocess.run(command + ([] if scale == "sample" else ["--scale", scale]), cwd=ROOT).returncode != 0:
        raise SystemExit("Seeding failed; see above.")
    return time.perf_counter() - started


def on_sqlite(args, log, folder: Path, deadline: float) -> Table:
    store = folder / "bench.sqlite"
    url = f"sqlite:///{store}"
    if args.sqlite_store:
        shutil.copyfile(args.sqlite_store, store)  # the import must not change the store given
        print(f"sqlite: {args.scale} store copied from {Path(args.sqlite_store).name}", flush=True)
    else:
        print(f"sqlite: seeded the {args.scale} store in {seed(url, args.scale):,.0f} s", flush=True)
    table = Table("sqlite")
    fill(table, url, args, log, folder, deadline)
    return table


def on_postgres(args, log, folder: Path, deadline: float) -> Table:
    table = Table("postgresql")
    if args.postgres_url:
        # A store already seeded at --scale (the national one takes many minutes to generate): read, never
        # written, so the import is left out and the store stays as given for the next run.
        print(f"postgresql: the {args.scale} store given with --postgres-url, not seeded", flush=True)
        fill(table, args.postgres_url, args, log, folder, deadline, may_write=False)
        return table
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        table.skip("every measure", "PostgreSQL server binaries not installed")
        return table
    cluster = PostgresCluster(bin_dir)
    cluster.start()
    try:
        url = cluster.create_database()
        print(f"postgresql: seeded the {args.scale} store in {seed(url, args.scale):,.0f} s", flush=True)
        fill(table, url, args, log, folder, deadline)
    finally:
        cluster.stop()
    return table


def formatted(rows: list[dict]) -> str:
    frame = pd.DataFrame(rows)

    def number(value, pattern: str) -> str:
        if value is None or pd.isna(value):
            return ""
        return f"{value:,.0f}" if abs(value) >= 1000 else format(value, pattern)

    for column, pattern in (("figure", ".3f"), ("ratio", ".2f"), ("goal", "g"), ("x goal", ".2f"),
                            ("sql", ".0f"), ("peak RSS MB", ".0f")):
        frame[column] = frame[column].map(lambda v, p=pattern: number(v, p))
    return frame.to_string(index=False, justify="left")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("sample", "city", "national"), default="sample",
                        help="the store: the sample data, the city (about 2M rows) or national (about 40M) store")
    parser.add_argument("--engines", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--sqlite-store", help="a store already seeded at --scale, copied instead of seeding SQLite")
    parser.add_argument("--postgres-url", help="a PostgreSQL store already seeded at --scale, read instead of "
                        "starting a cluster and seeding one (never written to: the import is left out)")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows in the generated import")
    parser.add_argument("--budget", type=float, default=3600, help="seconds after which no new step starts")
    parser.add_argument("--quick", action="store_true", help="the smallest run: one timing each, no reports")
    args = parser.parse_args(argv)
    engines = [ENGINE_NAMES.get(name.strip()) for name in args.engines.split(",")]
    if None in engines:
        parser.error("--engines takes sqlite and/or postgres")
    deadline = time.monotonic() + args.budget
    log = StatementLog()
    tables = []
    print(f"standing benchmark: {args.scale} store on {', '.join(engines)}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    for engine in engines:
        with tempfile.TemporaryDirectory(prefix="tn-bench-") as folder:
            run_on = on_sqlite if engine == "sqlite" else on_postgres
            tables.append(run_on(args, log, Path(folder), deadline))
    print(formatted([row for table in tables for row in table.rows]))
    for table in tables:
        for plan in table.plans:
            print("\n" + plan)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
