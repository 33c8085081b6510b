"""A police.uk street-level month made up for tests and benchmarks: the layout as downloaded, random reports."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd


def police_month(lsoas: list[str], rows: int, seed: int = 7) -> bytes:
    """A police.uk street-level month of ``rows`` reports spread over ``lsoas``, some with no location."""
    rng = np.random.default_rng(seed)
    types = np.array(["Anti-social behaviour", "Violence and sexual offences", "Burglary", "Shoplifting",
                      "Vehicle crime", "Criminal damage and arson"])
    codes = rng.choice(np.array(lsoas, dtype=object), rows)
    codes[rng.random(rows) < 0.02] = ""
    frame = pd.DataFrame({
        "Crime ID": [f"{i:064x}" for i in range(rows)], "Month": "2026-10", "Reported by": "West Yorkshire Police",
        "Falls within": "West Yorkshire Police", "Longitude": "-1.55", "Latitude": "53.80",
        "Location": "On or near Parking Area", "LSOA code": codes, "LSOA name": "Leeds", "Crime type":
        rng.choice(types, rows), "Last outcome category": "Under investigation", "Context": ""})
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode()
