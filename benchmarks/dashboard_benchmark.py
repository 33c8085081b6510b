"""Time what the pages compute before caching, on the seeded sample store.

Run: ``python benchmarks/dashboard_benchmark.py [--url URL]``. Prints seconds per question;
results are cached by the app afterwards, so these are first-visit costs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db.store import open_store  # noqa: E402
from views import explore, plans, programme, scorecards, trends  # noqa: E402


def timed(label: str, work, repeats: int = 3) -> None:
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    print(f"{label:<52} median {statistics.median(seconds):6.3f} s   max {max(seconds):6.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="database URL (default: the configured store)")
    args = parser.parse_args()
    engine = open_store(args.url)
    as_of = date(2026, 9, 1)
    area = scorecards.locality_context(engine, "PN-NWORT")
    ward = scorecards.locality_context(engine, "E05011385")
    crime = scorecards.indicator_lookup(engine)["CRIME_ALL"]
    timed("Board overview: every target judged", lambda: programme.programme_status(engine, as_of))
    timed("Locality profile: scorecard (22 indicators)", lambda: scorecards.locality_scorecard(engine, area, as_of))
    timed("Locality profile: trend with ward and city", lambda: trends.trend_view(engine, area, "CRIME_ALL"))
    timed("Ward explorer: ward against Leeds", lambda: scorecards.locality_scorecard(engine, ward, as_of))
    timed("Ward explorer: league table of 33 wards", lambda: explore.area_values(engine, crime, "ward", as_of))
    timed("Indicator map: 482 LSOAs", lambda: explore.area_values(engine, crime, "lsoa", as_of))
    timed("Action tracker: every action judged", lambda: plans.actions_with_status(engine, None, date.today()))


if __name__ == "__main__":
    main()
