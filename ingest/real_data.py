"""Load the real published indicator files of ``sample_data/real/`` through the import path.

The sample store's other indicator values are illustrative (made up by ``sample_data/generate.py``);
these are published figures (ONS/DWP Claimant Count by ward, DESNZ fuel poverty by 2011 LSOA), so
they go through exactly the checks and the batch log an officer's upload does, as the user
``REAL_DATA_USER``. Loading them twice changes nothing (the import finds every row unchanged).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from db.config import SAMPLE_DATA_DIR
from db.errors import DataFileError
from db.seed import REAL_DATA_USER
from ingest.importer import ImportResult, commit_import

REAL_DATA_FILES = ("claimant_count_wards_2023.csv", "fuel_poverty_lsoa11_2020.csv")


def load_real_data(engine: Engine, *, sample_dir: Path = SAMPLE_DATA_DIR) -> list[ImportResult]:
    """Import each file of ``REAL_DATA_FILES`` from ``sample_dir/real``; one batch per file that changes
    anything. Raises ``ingest.validation.ImportRejected`` (listing every problem) for a file the
    checks refuse, and ``db.errors.DataFileError`` for a missing file."""
    results = []
    for name in REAL_DATA_FILES:
        path = sample_dir / "real" / name
        if not path.is_file():
            raise DataFileError(f"Real data file {name} is missing from sample_data/real/.")
        results.append(commit_import(engine, path.read_bytes(), name, imported_by=REAL_DATA_USER,
                                     kind="observations"))
    return results
