"""Exports: small numbers hidden unless asked for, formulas neutralised in CSV and Excel alike."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from db.errors import NotFound
from db.exports import csv_bytes, excel_bytes
from ingest.history import EXPORT_COLUMNS, observations_export
from ingest.importer import commit_import
from db.localities import create_locality


def test_lsoa_rows_of_controlled_indicators_are_withheld_by_default(engine):
    exact = observations_export(engine, indicator_code="HATE", disclosure_controlled=False)
    shown = observations_export(engine, indicator_code="HATE")
    assert list(shown.columns) == EXPORT_COLUMNS and len(shown) == len(exact)
    assert exact["value"].between(1, 4).any()
    assert set(shown["value"]) == {"withheld below ward level"}
    assert set(shown["numerator"]) == {"withheld below ward level"}
    uncontrolled = observations_export(engine, indicator_code="ASB_ALL")
    assert "<5" not in set(uncontrolled["value"].astype(str)) and uncontrolled["value"].between(1, 4).any()


def test_rows_follow_the_one_disclosure_decision_and_lose_their_numerators():
    from datetime import date

    import pandas as pd

    from ingest.history import suppress_export

    start = date(2026, 7, 1)
    rows = pd.DataFrame({
        "indicator_code": ["HATE", "HATE", "HATE", "CLA", "ASB_ALL"], "period_start": [start] * 5,
        "area_code": ["W1", "W2", "W3", "W1", "W1"], "area_type": ["ward"] * 5,
        "unit": ["count", "count", "count", "rate_per_10000", "count"],
        "disclosure_control": [True, True, True, True, False], "value": [3.0, 12.0, 40.0, 80.0, 2.0],
        "numerator": [3.0, 12.0, 40.0, 4.0, 2.0], "denominator": [900.0, 900.0, 900.0, 500.0, 900.0],
    })
    releases = pd.DataFrame({"indicator_code": ["HATE", "HATE", "HATE", "CLA"], "area_code": ["W1", "W2", "W3", "W1"],
                             "period_start": [start] * 4, "release": ["small", "secondary", "shown", "small"]})
    shown = suppress_export(rows, releases=releases)
    assert list(shown["value"]) == ["<5", "[c]", 40.0, "[c]", 2.0]
    assert list(shown["numerator"]) == ["<5", "[c]", 40.0, "[c]", 2.0]
    assert list(shown["denominator"]) == [900.0, 900.0, 900.0, 500.0, 900.0]


def test_an_area_export_holds_its_own_rows_and_its_lsoas(engine):
    frame = observations_export(engine, area_code="PN-NWORT")
    assert set(frame["area_code"]) <= {"PN-NWORT", "E01011363", "E01011294"}
    assert "PN-NWORT" in set(frame["area_code"])
    with pytest.raises(NotFound, match="no area with the code 'NOPE'"):
        observations_export(engine, area_code="NOPE")
    with pytest.raises(NotFound, match="no indicator"):
        observations_export(engine, indicator_code="NOPE")


def test_formulas_in_text_cells_are_neutralised_in_csv_and_excel(engine):
    created = create_locality(engine, name='=HYPERLINK("http://evil.example","Click")', ward_code="E05011549",
                              lsoa_codes=["E01011264"], created_by="t")
    commit_import(engine, f"indicator_code,area_code,period_start,value\nENGAGED,{created.code},2026-07-01,12\n"
                  .encode(), "e.csv", imported_by="t")
    frame = observations_export(engine, indicator_code="ENGAGED", area_code=created.code)
    assert frame["area_name"].tolist() == ['=HYPERLINK("http://evil.example","Click")']
    from_csv = pd.read_csv(io.BytesIO(csv_bytes(frame)), encoding="utf-8-sig")
    assert from_csv["area_name"].tolist() == ['\'=HYPERLINK("http://evil.example","Click")']
    sheet = openpyxl.load_workbook(io.BytesIO(excel_bytes({"observations": frame}))).active
    names = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ['\'=HYPERLINK("http://evil.example","Click")']
    assert sheet.cell(row=2, column=8).value == 12
