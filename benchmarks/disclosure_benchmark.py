"""Time the disclosure decision of every indicator under disclosure control, beside its floor.

Run: ``python benchmarks/disclosure_benchmark.py [--url URL]``. Without ``--url`` a temporary SQLite
store is seeded from ``sample_data/`` (about 20 seconds). For each indicator it prints, in seconds:

- ``SQL read``: the bare read of the indicator's LSOA counts (the floor: nothing can be quicker);
- ``one by one``: deciding each period on its own with ``decide_disclosure`` (a matrix per period);
- ``all periods``: the first decision, all periods at once (what the first visitor after an import
  waits for);
- ``remembered``: the same decision asked again with no import in between.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from db import disclosure, schema  # noqa: E402
from db.store import open_store  # noqa: E402
from metrics.disclosure import decide_disclosure  # noqa: E402


def seconds(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def one_by_one(engine, code: str) -> None:
    """Every period decided on its own, as the decision was first built."""
    counts = disclosure._counts(engine, code)
    membership, lsoas = disclosure._membership(engine)
    for _, period in counts.groupby(["period_start", "period_end"], sort=True):
        keys = period["basis"] + "|" + period["area_code"]
        decide_disclosure(membership=membership, counts=dict(zip(keys, period["count"], strict=True)),
                          withheld=lsoas)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="database URL (default: a temporary store seeded with the sample data)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = open_store(args.url or f"sqlite:///{Path(folder) / 'bench.sqlite'}", auto_seed=True)
        indicators = schema.indicators
        with engine.connect() as connection:
            codes = connection.execute(select(indicators.c.code).where(indicators.c.disclosure_control)
                                       .order_by(indicators.c.code)).scalars().all()
        print(f"{'indicator':<12}{'periods':>8}{'SQL read':>10}{'one by one':>12}{'all periods':>13}"
              f"{'remembered':>12}{'x floor':>9}")
        for code in codes:
            read = seconds(lambda: disclosure._counts(engine, code))
            periods = disclosure._counts(engine, code)[["period_start", "period_end"]].drop_duplicates()
            single = seconds(lambda: one_by_one(engine, code))
            disclosure._decisions.clear()
            first = seconds(lambda: disclosure.published_figures(engine, code))
            again = seconds(lambda: disclosure.published_figures(engine, code))
            print(f"{code:<12}{len(periods):>8}{read:>10.3f}{single:>12.3f}{first:>13.3f}{again:>12.3f}"
                  f"{first / read:>9.1f}")
        engine.dispose()


if __name__ == "__main__":
    main()
