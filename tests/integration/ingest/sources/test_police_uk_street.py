"""police.uk street-level files, as downloaded: recognised by their header, counted per LSOA and month into the
mapped indicators; rows with no location or outside Leeds are reported as left out, never as errors."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import select

from db import schema
from db.engine import make_engine
from db.mappings import set_mapping
from ingest.importer import commit_import, preview_import
from tests.fixtures.uploads import seed_small_store
from tests.support.police import police_month
from tests.integration.ingest.sources.conftest import CASES, run_cli, stored_values

CASE = CASES / "police-uk-street" / "2026-10-west-yorkshire-street.csv"
OCTOBER = date(2026, 10, 1)


def _counts(preview) -> dict[tuple[str, str], float]:
    """The LSOAs with reports; the rest of the district is filled with 0 (an incident list)."""
    return {(r.indicator_code, r.area_code): r.value for r in preview.new.itertuples() if r.value}


def test_police_uk_street_case_is_recognised_and_counted_per_lsoa(engine):
    preview = preview_import(engine, CASE.read_bytes(), CASE.name)
    assert preview.ok, preview.problems
    assert preview.reading.summary() == ("Recognised a police.uk street-level file: 10 reports, 1 left out "
                                         "(1 with no location).")
    assert preview.reading.report.incident_list  # absent LSOAs had none: the importer may fill zeros
    assert _counts(preview) == {
        ("ASB_ALL", "E01011363"): 2, ("ASB_ALL", "E01011294"): 1, ("ASB_ALL", "E01011366"): 1,
        ("ASB_ALL", "E01011661"): 1, ("CRIME_ALL", "E01011363"): 1, ("CRIME_ALL", "E01011294"): 1,
        ("CRIME_ALL", "E01011366"): 1, ("CRIME_ALL", "E01011368"): 1}
    assert set(preview.new["period_start"]) == {OCTOBER}
    filled = preview.new[preview.new["value"] == 0]
    assert len(filled) == 2 * 488 - 8  # every other 2021 LSOA had no report of either kind
    assert any(note.startswith("Filled with 0") for note in preview.notes)


def test_police_uk_street_case_imports_from_the_command_line(engine, sqlite_url, capsys):
    code, out, _ = run_cli(capsys, sqlite_url, "import", str(CASE), "--dry-run")
    assert code == 0
    assert out.splitlines()[0] == "Recognised a police.uk street-level file: 10 reports, 1 left out (1 with no location)."
    code, out, _ = run_cli(capsys, sqlite_url, "import", str(CASE), "--as", "analyst")
    assert code == 0, out
    asb = stored_values(engine, "ASB_ALL", OCTOBER)
    assert (asb.get("E01011363"), asb.get("E01011294"), asb.get("E01011661")) == (2, 1, 1)
    assert stored_values(engine, "CRIME_ALL", OCTOBER).get("E01011368") == 1


def test_police_uk_street_rows_outside_leeds_are_left_out_and_counted(engine):
    text = CASE.read_text()
    outside = text.splitlines()[1].replace("E01011363,Leeds 071E", "E01000001,City of London 001A")
    content = (text + outside + "\n").encode()
    preview = preview_import(engine, content, "with-bradford.csv")
    assert preview.ok
    assert preview.reading.summary() == ("Recognised a police.uk street-level file: 11 reports, 2 left out "
                                         "(1 with no location, 1 outside Leeds).")
    assert _counts(preview)[("ASB_ALL", "E01011363")] == 2


def test_police_uk_street_mapping_set_by_an_editor_changes_what_is_counted(engine, sqlite_url, capsys):
    set_mapping(engine, source="police_uk_street", source_value="Shoplifting", indicator_code=None, updated_by="t")
    code, out, _ = run_cli(capsys, sqlite_url, "mapping", "set", "police_uk_street", "Burglary", "ASB_YOUTH")
    assert code == 0 and "now counts into ASB_YOUTH" in out
    preview = preview_import(engine, CASE.read_bytes(), CASE.name)
    assert "1 of types not counted (Shoplifting)" in preview.reading.summary()
    counts = _counts(preview)
    assert ("CRIME_ALL", "E01011368") not in counts
    assert counts[("ASB_YOUTH", "E01011366")] == 1 and ("CRIME_ALL", "E01011366") not in counts
    code, out, _ = run_cli(capsys, sqlite_url, "mapping", "list")
    assert "Shoplifting" in out and "ASB_YOUTH" in out


def test_police_uk_street_a_25000_report_month_is_counted_exactly(engine):
    """A whole force area's month; how long it takes is measured by benchmarks/police_import_benchmark.py."""
    areas = schema.areas
    with engine.connect() as connection:
        lsoas = list(connection.execute(select(areas.c.code).where(
            areas.c.type == "lsoa", areas.c.basis.in_(["2021", "both"]))).scalars())
    content = police_month(lsoas, 25_000)
    result = commit_import(engine, content, "2026-10-west-yorkshire-street.csv", imported_by="officer")
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    located = frame[frame["LSOA code"] != ""]
    expected_asb = int((located["Crime type"] == "Anti-social behaviour").sum())
    assert sum(stored_values(engine, "ASB_ALL", OCTOBER).values()) == expected_asb
    assert sum(stored_values(engine, "CRIME_ALL", OCTOBER).values()) == len(located) - expected_asb
    # a row per LSOA for each of the two incident counts: reported, or filled with 0
    assert result.rows_total == 2 * len(lsoas) == 2 * 488


@pytest.mark.postgres
def test_police_uk_street_mapping_and_import_on_postgres(postgres_url, tmp_path):
    url = seed_small_store(postgres_url, tmp_path)
    engine = make_engine(url)
    set_mapping(engine, source="police_uk_street", source_value="Burglary", indicator_code="ASB_YOUTH", updated_by="pg")
    content = police_month(["E01011264", "E01011265"], 500, seed=3)
    result = commit_import(engine, content, "2026-10-street.csv", imported_by="pg")
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    located = frame[frame["LSOA code"] != ""]
    burglaries = int((located["Crime type"] == "Burglary").sum())
    assert sum(stored_values(engine, "ASB_YOUTH", OCTOBER).values()) == burglaries
    indicator = located["Crime type"].map({"Anti-social behaviour": "ASB_ALL", "Burglary": "ASB_YOUTH"}).fillna(
        "CRIME_ALL")
    assert located.groupby(["LSOA code", indicator]).ngroups == 6
    # the three indicators count incidents, so every other 2021 LSOA is filled with 0 for each of them
    assert result.rows_total == 3 * 488
    engine.dispose()
