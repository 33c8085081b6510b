"""Time the printed reports against their goals: one locality's PDF snapshot and the Board pack.

    python benchmarks/snapshot_benchmark.py [--area PN-NWORT] [--repeat 3] [--no-before]

Uses the configured store (``TN_DATABASE_URL``, else the embedded SQLite, seeded on first use).
Goals on a 2-core machine: one snapshot under 2 s, the pack of every locality under 10 s.

For each report it prints, beside the goal:

* **before**: the way reports used to be made: a browser started for the report and its charts
  drawn one at a time (``ChartExporter(tabs=1)``); for the pack, one PDF per locality;
* **after**: as the Snapshot page and ``python -m reports`` make them now: one browser kept warm
  for the process, a snapshot's charts drawn in parallel while its data are read, and the pack
  laid out as one WeasyPrint document;
* **floor**: what no chart speed-up can beat: reading the data and laying out the same page(s)
  with the charts left out.

Each is wall-clock seconds with, in brackets, the CPU seconds of this process, then each as a
ratio to the goal (under 1 meets it; the CPU ratio is what an idle machine would approach). And one snapshot's
time by stage (read, figures, charts, PDF layout), to show where time goes. Not a test: it prints
figures and checks nothing; wall-clock times depend on what else the machine runs (the load
average is printed with them).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.store import open_store  # noqa: E402
from reports.figures import ChartExporter  # noqa: E402
from reports.pack import gather_snapshots, gather_summary  # noqa: E402
from reports.render import (  # noqa: E402
    make_pack,
    make_snapshot,
    missing_charts,
    pack_html,
    pdf_from_html,
    snapshot_figures,
    snapshot_html,
    submit_charts,
)
from reports.snapshot import gather_snapshot, locality_codes  # noqa: E402

SNAPSHOT_GOAL_SECONDS = 2.0
PACK_GOAL_SECONDS = 10.0


def seconds(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median (wall-clock, this process's CPU) seconds of ``repeat`` runs of ``work``. On a busy
    machine the wall-clock time mostly measures the wait for a core; the CPU time does not (it
    leaves out the browser's own drawing, which runs in its processes)."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _pair(timing: tuple[float, float] | None) -> str:
    return "      -        " if timing is None else f"{timing[0]:6.2f} s ({timing[1]:4.2f})"


def report_line(label: str, goal: float, after: tuple[float, float], before: tuple[float, float] | None,
                floor: tuple[float, float]) -> None:
    verdict = "meets the goal" if after[0] < goal else "misses the goal"
    ratios = f"after/goal {after[0] / goal:.2f} (CPU {after[1] / goal:.2f})"
    if before is not None:
        ratios += f", before/goal {before[0] / goal:.2f}"
    print(f"{label:<32} goal {goal:4.1f} s | before {_pair(before)} | after {_pair(after)} | "
          f"floor {_pair(floor)} | {ratios} | {verdict}")


def cold_one_tab(work: Callable[[ChartExporter], object]) -> Callable[[], object]:
    """``work`` with a browser started for it and drawing one chart at a time: the old way."""
    def run():
        with ChartExporter(tabs=1) as exporter:
            return work(exporter)
    return run


def stages(engine, code: str, exporter: ChartExporter) -> None:
    started = time.perf_counter()
    snapshot = gather_snapshot(engine, code)
    read = time.perf_counter()
    figures = [figure for figure, _ in snapshot_figures(snapshot)]
    built = time.perf_counter()
    exporter.svgs(figures)
    drawn = time.perf_counter()
    pdf_from_html(snapshot_html(snapshot, submit_charts(snapshot, exporter).as_images()))
    laid_out = time.perf_counter()
    print(f"  one snapshot by stage (in sequence): read {read - started:.2f} s, figures {built - read:.2f} s, "
          f"charts {drawn - built:.2f} s, PDF layout {laid_out - drawn:.2f} s "
          "(the report overlaps charts with reading and layout)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", default="PN-NWORT")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-before", action="store_true", help="skip the slow 'before' runs")
    args = parser.parse_args()
    engine = open_store()
    codes = list(locality_codes(engine))
    started = time.perf_counter()
    exporter = ChartExporter().start()
    print(f"Chromium start (cold, once a process): {time.perf_counter() - started:.2f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    try:
        make_snapshot(engine, args.area, fmt="pdf", exporter=exporter)  # warm-up: imports, fonts, caches

        def snapshot_floor():
            snapshot = gather_snapshot(engine, args.area)
            return pdf_from_html(snapshot_html(snapshot, missing_charts(snapshot)))

        def pack_floor():
            summary = gather_summary(engine)
            items = [(s, missing_charts(s)) for s in gather_snapshots(engine, summary)]
            return pdf_from_html(pack_html(summary, items))

        after = seconds(lambda: make_snapshot(engine, args.area, fmt="pdf", exporter=exporter), args.repeat)
        before = None if args.no_before else seconds(
            cold_one_tab(lambda ex: make_snapshot(engine, args.area, fmt="pdf", exporter=ex)), args.repeat)
        report_line(f"Snapshot PDF, {args.area}", SNAPSHOT_GOAL_SECONDS, after, before,
                    seconds(snapshot_floor, args.repeat))
        stages(engine, args.area, exporter)

        pack_repeat = max(1, args.repeat - 2)
        after = seconds(lambda: make_pack(engine, None, fmt="pdf", exporter=exporter), pack_repeat)
        before = None if args.no_before else seconds(cold_one_tab(
            lambda ex: [make_snapshot(engine, code, fmt="pdf", exporter=ex) for code in codes]), pack_repeat)
        report_line(f"Board pack PDF, {len(codes)} localities", PACK_GOAL_SECONDS, after, before,
                    seconds(pack_floor, pack_repeat))
    finally:
        exporter.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
