"""Time the printed reports: one locality's PDF snapshot and the Board pack of every locality.

    python benchmarks/snapshot_benchmark.py [--area PN-NWORT] [--repeat 3]

Uses the configured store (``TN_DATABASE_URL``, else the embedded SQLite, seeded on first use).
Chromium is started once and kept warm, as the Snapshot page and a pack run do; the start-up
is timed separately. Aims on a 2-core machine: one snapshot under 2 s, the pack under 10 s.
Not a test: it prints timings and checks nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.store import open_store  # noqa: E402
from reports.figures import ChartExporter  # noqa: E402
from reports.render import make_pack, make_snapshot  # noqa: E402
from reports.snapshot import locality_codes  # noqa: E402


def timed(label: str, work, repeat: int) -> None:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
    print(f"{label:<40} median {statistics.median(seconds):6.2f} s   best {min(seconds):6.2f} s   "
          f"({repeat} runs, {len(result) / 1024:,.0f} KiB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", default="PN-NWORT")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = open_store()
    codes = list(locality_codes(engine))
    started = time.perf_counter()
    exporter = ChartExporter().start()
    print(f"{'Chromium start (cold)':<40} {time.perf_counter() - started:6.2f} s")
    try:
        make_snapshot(engine, args.area, fmt="pdf", exporter=exporter)  # warm-up: imports, fonts, caches
        timed(f"Snapshot PDF, {args.area}", lambda: make_snapshot(engine, args.area, fmt="pdf", exporter=exporter),
              args.repeat)
        timed(f"Board pack PDF, {len(codes)} localities",
              lambda: make_pack(engine, None, fmt="pdf", exporter=exporter), max(1, args.repeat - 1))
        timed(f"Snapshot HTML without a browser, {args.area}",
              lambda: make_snapshot(engine, args.area, fmt="html", exporter=None), args.repeat)
    finally:
        exporter.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
