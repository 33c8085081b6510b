"""A ward-level monthly series from Nomis loads end to end: the indicator defined, its series linked by a source
mapping, the file imported through the importer and through ``python -m db import``, and the stored ward
values equal to the published ones (real Claimant Count, Leeds wards, July to October 2023)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert

from db import schema
from db.mappings import set_mapping
from ingest.importer import commit_import, preview_import
from ingest.validation import ImportRejected
from tests.integration.ingest.sources.conftest import run_cli, stored_values

UPLOADS = Path(__file__).resolve().parents[3] / "fixtures" / "uploads"
BULK, TABLE = UPLOADS / "nomis_claimant_count_wards.csv", UPLOADS / "nomis_claimant_count_table.csv"
CODE, COUNT, RATE = "CLAIMANT_COUNT_WARD", "Claimant count", "Claimants as a proportion of residents aged 16-64"
MONTHS = {"2023-07": date(2023, 7, 1), "2023-08": date(2023, 8, 1), "2023-09": date(2023, 9, 1),
          "2023-10": date(2023, 10, 1)}


def published() -> dict[date, dict[str, float]]:
    """{month: {ward code: claimant count}} as the bulk file gives them."""
    values: dict[date, dict[str, float]] = {start: {} for start in MONTHS.values()}
    with BULK.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["MEASURE_NAME"] == COUNT and row["GEOGRAPHY_TYPE"] == "2022 wards":
                values[MONTHS[row["DATE_CODE"]]][row["GEOGRAPHY_CODE"]] = float(row["OBS_VALUE"])
    return values


@pytest.fixture()
def claimant_indicator(engine):
    """The ward-level monthly claimant count, as an analyst would add it to the catalogue."""
    with engine.begin() as connection:
        connection.execute(insert(schema.indicators).values(
            code=CODE, name="Claimant count (wards)", theme="Employment and skills",
            definition="People claiming unemployment-related benefits in the month, by ward of residence.",
            source="ONS/DWP Claimant Count via Nomis (NM_162_1)", unit="count", polarity="lower_is_better",
            frequency="monthly", aggregation="sum", collection_geography="ward", disclosure_control=False,
            staleness_days=120, missing_means_zero=False, estimate_type="counted"))
    return CODE


def test_bulk_csv_stops_until_each_series_is_linked_then_stores_the_published_ward_values(engine, claimant_indicator):
    content = BULK.read_bytes()
    with pytest.raises(ImportRejected) as rejected:
        commit_import(engine, content, BULK.name, imported_by="analyst@test")
    assert f'python -m db mapping set nomis "{COUNT}" CODE' in str(rejected.value.problems)
    set_mapping(engine, source="nomis", source_value=COUNT, indicator_code=CODE, updated_by="analyst@test")
    set_mapping(engine, source="nomis", source_value=RATE, indicator_code=None, updated_by="analyst@test")
    preview = preview_import(engine, content, BULK.name)
    assert preview.ok, preview.problems
    assert preview.reading.summary() == (
        f"Recognised a Nomis bulk CSV: 272 rows, 140 left out (136 of series not counted ({RATE}), 4 at another "
        "level than the indicator (such as Leeds)).")
    result = commit_import(engine, content, BULK.name, imported_by="analyst@test")
    assert result.rows_new == 132
    for start, wards in published().items():
        assert len(wards) == 33
        assert stored_values(engine, CODE, start) == wards


def test_table_download_through_the_command_line_stores_the_published_ward_values(engine, sqlite_url, capsys,
                                                                                   claimant_indicator):
    code, out, err = run_cli(capsys, sqlite_url, "import", str(TABLE))
    assert code == 2
    assert "nothing was imported" in err
    assert f'python -m db mapping set nomis "{COUNT}" CODE' in out
    assert run_cli(capsys, sqlite_url, "mapping", "set", "nomis", COUNT, CODE)[0] == 0
    code, out, err = run_cli(capsys, sqlite_url, "import", str(TABLE))
    assert code == 0, err
    assert "132 new" in out
    for start, wards in published().items():
        assert stored_values(engine, CODE, start) == wards
