"""Denominators from the store: counts without one use the population held for the area (case folder
count-denominators), so rates per 1,000 residents and comparisons work for the new month."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import insert, select

from db import schema
from db.populations import populations_for
from ingest.importer import commit_import, preview_import
from metrics.enums import Comparison
from tests.integration.ingest.support import (case_bytes, clear_lsoa_populations, held_lsoa_populations,
                                              hold_lsoa_populations)
from views.scorecards import compare, indicator_lookup, series_for

OCTOBER = date(2026, 10, 1)
CITY = "E08000035"
FILE = "asb_2026-10_first_40_lsoas.csv"


def _file_counts() -> pd.Series:
    frame = pd.read_csv(pd.io.common.BytesIO(case_bytes("count-denominators", FILE)))
    return frame.set_index("area_code")["value"]


def test_count_denominators_preview_says_the_stored_population_is_used(engine):
    # October 2026 is after Census day, so the file's codes are read on the 2021 LSOAs (488)
    preview = preview_import(engine, case_bytes("count-denominators", FILE), FILE)
    assert preview.ok and len(preview.new) == 488  # the 40 rows, and 448 LSOAs with no incidents filled with 0
    assert preview.basis_note == "LSOA rows were read on the 2021 LSOAs (488)."
    assert any(note.startswith("Filled with 0: 448 LSOAs") for note in preview.notes)
    note = next(n for n in preview.notes if n.startswith("Denominators"))
    assert note.startswith("Denominators: 488 count rows had none, so the population held for each area was used")
    assert "mid-2022 (" in note and "summed over the 2021 LSOAs" in note


def test_count_denominators_give_rates_per_1000_and_comparisons_for_the_new_month(engine):
    populations = held_lsoa_populations(engine)  # 2021 basis, mid-2022: the period is after Census day
    assert len(populations) == 488
    commit_import(engine, case_bytes("count-denominators", FILE), FILE, imported_by="officer@leeds.gov.uk")
    indicator = indicator_lookup(engine)["ASB_ALL"]
    counts = _file_counts()
    lsoas = series_for(engine, indicator, list(counts.index), area_type="lsoa",
                       period_start=OCTOBER).set_index("area_code")
    for code in ("E01011264", "E01011300"):
        assert lsoas.loc[code, "denominator"] == populations[code]
        assert lsoas.loc[code, "rate"] == pytest.approx(counts[code] / populations[code] * 1000)
    city = series_for(engine, indicator, [CITY], period_start=OCTOBER).iloc[0]
    assert city["value"] == counts.sum() and bool(city["complete"])
    assert city["rate"] == pytest.approx(counts.sum() / sum(populations.values()) * 1000)
    judged = [compare(indicator, row, city, same_area=False) for _, row in lsoas.iterrows()]
    assert Comparison.NOT_COMPARED not in judged


def test_count_denominators_use_the_nearest_estimate_not_after_the_period(engine):
    hold_lsoa_populations(engine, year=2019)
    hold_lsoa_populations(engine, year=2024, source="ONS mid-2024", scale=2.0)
    with engine.connect() as connection:
        found = populations_for(connection, pd.DataFrame({
            "area_code": ["E01011264"] * 3, "basis": ["2011"] * 3,
            "period_end": [date(2024, 6, 29), date(2026, 10, 31), date(2016, 1, 31)]}))
        base = connection.execute(select(schema.areas.c.population).where(
            schema.areas.c.code == "E01011264")).scalar_one()
    assert found["population_year"].tolist() == [2019, 2024, 2019]
    assert found["population"].tolist() == [base, base * 2, base]


def test_count_denominators_prefer_the_rows_basis(engine):
    clear_lsoa_populations(engine)
    with engine.begin() as connection:
        connection.execute(insert(schema.area_populations), [
            {"area_code": "E01011264", "basis": "2011", "year": 2019, "population": 1500, "source": "mid-2019"},
            {"area_code": "E01011264", "basis": "2021", "year": 2022, "population": 1620, "source": "mid-2022"}])
        found = populations_for(connection, pd.DataFrame({
            "area_code": ["E01011264", "E01011264"], "basis": ["2011", "2021"],
            "period_end": [date(2026, 10, 31)] * 2}))
    assert found["population"].tolist() == [1500, 1620]


def test_count_denominators_without_populations_say_no_rate_can_be_given(engine):
    clear_lsoa_populations(engine)
    preview = preview_import(engine, case_bytes("count-denominators", FILE), FILE)
    note = next(n for n in preview.notes if "no population is held" in n)
    assert note.startswith("488 count rows for LSOAs had no denominator")  # on the 2021 LSOAs


def test_a_denominator_given_in_the_file_is_kept(engine):
    hold_lsoa_populations(engine)
    content = b"indicator_code,area_code,period_start,value,denominator\nFLYTIP,E01011264,2026-10-01,2,1000\n"
    preview = preview_import(engine, content, "flytip.csv")
    given = preview.new[preview.new["area_code"] == "E01011264"].iloc[0]
    assert given["denominator"] == 1000
