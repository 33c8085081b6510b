"""A DWP Stat-Xplore export of a ward-level monthly count loads through the importer: areas matched by name,
the series linked by a source mapping set on the command line, totals and other districts left out."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert

from db import schema
from ingest.importer import commit_import, preview_import
from tests.integration.ingest.sources.conftest import run_cli, stored_values
from tests.unit.ingest.test_statxplore import ADEL, ARMLEY, EXPORT, SERIES

CODE = "UC_SEARCHING"


def test_statxplore_export_stores_each_ward_by_name(engine, sqlite_url, capsys):
    with engine.begin() as connection:
        connection.execute(insert(schema.indicators).values(
            code=CODE, name="People on Universal Credit searching for work", theme="Employment and skills",
            definition="People on Universal Credit in the searching-for-work regime in the month, by ward.",
            source="DWP Stat-Xplore", unit="count", polarity="lower_is_better", frequency="monthly",
            aggregation="sum", collection_geography="ward", disclosure_control=False, staleness_days=120,
            missing_means_zero=False, estimate_type="counted"))
    content = EXPORT.replace(b'"..",".."', b'"10","11"')  # suppressed cells are another story than this one
    first = preview_import(engine, content, "uc-wards.csv")
    assert f'python -m db mapping set statxplore "{SERIES}" CODE' in first.problems[0].reason
    assert run_cli(capsys, sqlite_url, "mapping", "set", "statxplore", SERIES, CODE)[0] == 0
    preview = preview_import(engine, content, "uc-wards.csv")
    assert preview.ok, preview.problems
    assert preview.reading.summary() == ("Recognised a DWP Stat-Xplore table: 4 rows, 4 left out (1 of totals, 3 for "
                                         "areas outside Leeds (such as Bradford Moor)).")
    commit_import(engine, content, "uc-wards.csv", imported_by="analyst@test")
    assert stored_values(engine, CODE, date(2023, 8, 1)) == {ARMLEY: 1801, ADEL: 10}
    assert stored_values(engine, CODE, date(2023, 10, 1)) == {ARMLEY: 1850, ADEL: 12}
