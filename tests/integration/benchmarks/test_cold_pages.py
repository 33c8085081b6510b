"""The cold-page benchmark opens each page in a fresh process and prints one table row per page.

Checks the table's shape and that the store it was given is left as it was, never the times it prints.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_cold_visit_of_two_pages_prints_their_rows_and_leaves_the_store_alone(seeded_sqlite):
    before = hashlib.sha256(seeded_sqlite.read_bytes()).hexdigest()
    done = subprocess.run([sys.executable, "benchmarks/cold_pages.py", "--store", str(seeded_sqlite),
                           "--pages", "overview,locality profile", "--repeat", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line.strip("|").split("|") for line in done.stdout.splitlines() if line.startswith("| ")]
    assert [cell.strip() for cell in rows[0]][:3] == ["page", "cold s (fastest of 1)", "its CPU s"]
    pages = {cells[0].strip(): [cell.strip() for cell in cells[1:]] for cells in rows[2:]}
    assert list(pages) == ["overview", "locality profile"]
    for seconds, cpu, decision, statements, rss in pages.values():
        assert float(seconds) > 0 and float(cpu) > 0 and float(decision) >= 0
        assert 0 < int(statements) <= 60 and float(rss) > 0
    assert hashlib.sha256(seeded_sqlite.read_bytes()).hexdigest() == before
