"""The standing benchmark runs end to end at its smallest size and prints its one table.

Checks the table's shape (its columns and one row per measure), never the times it prints.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PAGES = ("overview", "locality profile", "ward explorer", "indicator map")
COLUMNS = ("engine", "measure", "figure", "unit", "against", "ratio", "goal", "x goal", "sql", "peak RSS MB")


def test_the_quickest_run_prints_every_page_measure_and_the_import():
    done = subprocess.run([sys.executable, "benchmarks/standing.py", "--scale", "sample", "--engines", "sqlite",
                           "--quick", "--budget", "600"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.split()[:2] == ["engine", "measure"])
    positions = [header.index(column) for column in COLUMNS]
    assert positions == sorted(positions), header
    rows = [line.split(maxsplit=1)[1] for line in lines if line.split()[:1] == ["sqlite"]]
    for page in PAGES:
        for measure in ("cold", "warm", "script CPU, warm", "render-only twin", "its SQL raw", "bare page",
                        "naive read"):
            assert sum(f"{page}: {measure}" in row for row in rows) == 1, (page, measure, rows)
    cold = next(row for row in rows if "overview: cold" in row)
    assert "render-only twin" in cold and cold.split()[-2].isdigit()  # statements counted, RSS beside
    assert any(row.lstrip().startswith("import 2,000 rows") and "rows/s" in row for row in rows)
    assert any("snapshot PDF and Board pack" in row and "skipped (--quick)" in row for row in rows)
    assert "naive: all" in done.stdout and "observations into pandas" in done.stdout
