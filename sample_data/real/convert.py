"""Turn the two published tables in this folder into the dashboard's observations template.

Run from anywhere: ``python sample_data/real/convert.py``. Reads the tidy extracts
(``leeds_ward_claimant_count_monthly.csv``, ``leeds_lsoa11_fuel_poverty_2020.csv``; provenance in
SOURCES.md) and writes ``claimant_count_wards_2023.csv`` and ``fuel_poverty_lsoa11_2020.csv`` with the
template columns. Only the layout changes: codes, periods and figures are copied as published.
The Leeds total row of the claimant count is kept as the city's own observation: the indicator is held
per ward, and the wards sum to the Leeds row only within ONS rounding to 5, so the city's figure is
the published one, not a sum.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ["indicator_code", "area_code", "period_start", "value", "numerator", "denominator", "status"]


def _rows(name: str) -> list[dict]:
    with open(HERE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(name: str, rows: list[list]) -> None:
    with open(HERE / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(sorted(rows))


def main() -> None:
    claimants = [["CLAIMANT_COUNT", r["area_code"], f"{r['period']}-01", r["value"], r["value"], "", "final"]
                 for r in _rows("leeds_ward_claimant_count_monthly.csv")
                 if r["indicator"] == "claimant_count" and r["area_type"] in ("ward", "lad")]
    _write("claimant_count_wards_2023.csv", claimants)
    fuel = [["FUEL_POVERTY", r["area_code"], f"{r['period']}-01-01", r["value"], r["numerator"], r["denominator"],
             "final"] for r in _rows("leeds_lsoa11_fuel_poverty_2020.csv") if r["area_type"] == "lsoa11"]
    _write("fuel_poverty_lsoa11_2020.csv", fuel)


if __name__ == "__main__":
    main()
