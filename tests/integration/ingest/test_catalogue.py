"""The indicator catalogue managed in the product: the ``indicators`` kind is checked, kept in the revision
history and rolled back like every other import, so a new dataset loads end to end without editing code."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import select

from db import schema
from db.engine import make_engine
from ingest.history import RollbackRefused, batch_changes, rollback_batch
from ingest.importer import commit_import, preview_import
from ingest.templates import template_bytes
from ingest.validation import ImportRejected
from tests.fixtures.uploads import store_digest
from views.explore import area_values
from views.scorecards import indicator_lookup

OFFICER = "analyst@leeds.gov.uk"
OCTOBER_2023 = date(2023, 10, 1)
# Ward counts for October 2023 of the indicators template's example, rounded to 5 as Nomis publishes them.
WARD_FILE = b"""indicator_code,area_code,period_start,value
YOUTH_CLAIMANTS,E05011385,2023-10-01,1610
YOUTH_CLAIMANTS,E05011384,2023-10-01,290
YOUTH_CLAIMANTS,E05011400,2023-10-01,1425
"""


def _template() -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(template_bytes("indicators")), dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def _indicator(engine, code: str) -> dict | None:
    with engine.connect() as connection:
        row = connection.execute(select(schema.indicators).where(schema.indicators.c.code == code)).mappings().first()
    return None if row is None else dict(row)


def test_a_new_ward_level_indicator_loads_end_to_end_and_the_ward_explorer_shows_its_value(engine):
    defined = commit_import(engine, template_bytes("indicators"), "indicators.csv", imported_by=OFFICER)
    assert (defined.kind, defined.rows_new) == ("indicators", 2)
    assert _indicator(engine, "YOUTH_CLAIMANTS")["collection_geography"] == "ward"
    loaded = commit_import(engine, WARD_FILE, "claimant-count-2023-10.csv", imported_by=OFFICER)
    assert loaded.rows_new == 3
    indicator = indicator_lookup(engine)["YOUTH_CLAIMANTS"]
    wards = area_values(engine, indicator, "ward", date(2023, 10, 1)).set_index("code")
    assert wards.loc["E05011385", "shown"] == "1,610"
    assert wards.loc["E05011385", "period"] == "Oct 2023"
    assert list(wards.index[:3]) == ["E05011384", "E05011400", "E05011385"]  # fewest claimants ranked first


def test_an_lsoa_row_for_a_ward_level_indicator_is_refused(engine):
    commit_import(engine, template_bytes("indicators"), "indicators.csv", imported_by=OFFICER)
    content = b"indicator_code,area_code,period_start,value\nYOUTH_CLAIMANTS,E01011264,2023-10-01,15\n"
    preview = preview_import(engine, content, "lsoa.csv")
    assert [p.reason for p in preview.problems] == [
        "YOUTH_CLAIMANTS is collected for each ward, but this area is an LSOA. Give the figure for each ward; "
        "larger areas are added up from them."]


def test_themes_are_matched_without_regard_to_case_and_stored_as_spelt(engine):
    frame = _template()
    frame.loc[0, "theme"] = "EMPLOYMENT and  skills"
    commit_import(engine, _csv(frame), "indicators.csv", imported_by=OFFICER)
    assert _indicator(engine, "YOUTH_CLAIMANTS")["theme"] == "Employment and skills"


def test_optional_flags_default_to_false_and_counted(engine):
    frame = _template().drop(columns=["disclosure_control", "missing_means_zero", "estimate_type"])
    commit_import(engine, _csv(frame), "indicators.csv", imported_by=OFFICER)
    stored = _indicator(engine, "LIFE_SATISFIED")
    assert (stored["disclosure_control"], stored["missing_means_zero"], stored["estimate_type"]) == (
        False, False, "counted")


@pytest.mark.parametrize("column, value, reason", [
    ("theme", "Wellbeing", "Not one of the allowed values. Use one of: Safety; Community engagement and influence"),
    ("unit", "people", "Not one of the allowed values. Use one of: count, percent"),
    ("frequency", "weekly", "Not one of the allowed values. Use one of: monthly, quarterly, annual, calendar_year"),
    ("collection_geography", "msoa", "Not one of the allowed values. Use one of: city, community_committee, ward"),
    ("aggregation", "ratio", "A count is added up by summing: set aggregation to sum."),
    ("missing_means_zero", "true", "Only a count collected for each LSOA (an incident list) can treat a missing"),
    ("disclosure_control", "maybe", "Write true or false"),
    ("staleness_days", "0", "The staleness limit must be more than 0 days."),
    ("code", "claimant count", "Use capital letters, digits and underscores only"),
])
def test_a_bad_catalogue_row_is_refused_and_nothing_is_written(store_url, column, value, reason):
    frame = _template()
    frame.loc[0, column] = value
    before = store_digest(store_url)
    engine = make_engine(store_url)
    with pytest.raises(ImportRejected) as refused:
        commit_import(engine, _csv(frame), "indicators.csv", imported_by=OFFICER)
    engine.dispose()
    assert store_digest(store_url) == before
    assert any(p.row == 2 and p.column == column and p.reason.startswith(reason) for p in refused.value.problems)


def test_changing_how_an_indicator_with_values_is_counted_is_refused(engine):
    frame = _template()
    frame.loc[0, ["code", "frequency"]] = ["ASB_ALL", "quarterly"]
    preview = preview_import(engine, _csv(frame), "indicators.csv")
    reasons = {p.column: p.reason for p in preview.problems}
    assert reasons["frequency"].startswith("ASB_ALL already holds")
    assert "add a new indicator with a new code" in reasons["frequency"]


def test_a_changed_definition_is_kept_in_the_history_and_rolled_back(engine):
    before = _indicator(engine, "ASB_ALL")
    catalogue = indicator_lookup(engine)["ASB_ALL"]
    frame = pd.DataFrame([{k: catalogue[k] for k in _template().columns}])
    frame.loc[0, "definition"] = "Anti-social behaviour incidents reported in the month (revised wording)."
    result = commit_import(engine, _csv(frame), "asb-definition.csv", imported_by=OFFICER)
    assert result.rows_changed == 1
    assert _indicator(engine, "ASB_ALL")["definition"].endswith("(revised wording).")
    changes = batch_changes(engine, result.batch_id)
    assert changes["record"].tolist() == ["indicator · ASB_ALL"]
    assert before["definition"] in changes.loc[0, "before"]
    rollback_batch(engine, result.batch_id, rolled_back_by=OFFICER)
    assert _indicator(engine, "ASB_ALL") == before


def test_rolling_back_a_new_indicator_that_now_holds_values_is_refused(engine):
    defined = commit_import(engine, template_bytes("indicators"), "indicators.csv", imported_by=OFFICER)
    loaded = commit_import(engine, WARD_FILE, "claimant.csv", imported_by=OFFICER)
    with pytest.raises(RollbackRefused, match="indicator YOUTH_CLAIMANTS now holds values"):
        rollback_batch(engine, defined.batch_id, rolled_back_by=OFFICER)
    rollback_batch(engine, loaded.batch_id, rolled_back_by=OFFICER)
    rollback_batch(engine, defined.batch_id, rolled_back_by=OFFICER)
    assert _indicator(engine, "YOUTH_CLAIMANTS") is None


@pytest.mark.postgres
def test_the_catalogue_and_a_suppressed_value_are_written_and_rolled_back_on_postgresql(postgres_url, tmp_path):
    from tests.fixtures.uploads import seed_small_store

    seed_small_store(postgres_url, tmp_path)
    engine = make_engine(postgres_url)
    try:
        defined = commit_import(engine, template_bytes("indicators"), "indicators.csv", imported_by=OFFICER)
        assert _indicator(engine, "LIFE_SATISFIED")["estimate_type"] == "weighted_survey_percent"
        content = b"indicator_code,area_code,period_start,value,value_note\nMMR,E01011294,2025-04-01,,Suppressed\n" \
                  b"MMR,E01011442,2026-04-01,,\n"
        with pytest.raises(ImportRejected):
            commit_import(engine, content, "bad.csv", imported_by=OFFICER)
        result = commit_import(engine, content.replace(b"2026-04-01,,", b"2026-04-01,[c],"), "mmr.csv",
                               imported_by=OFFICER)
        obs = schema.observations
        with engine.connect() as connection:
            rows = connection.execute(select(obs.c.area_code, obs.c.value, obs.c.suppressed, obs.c.value_note)
                                      .where(obs.c.batch_id == result.batch_id).order_by(obs.c.area_code)).all()
        assert [tuple(r) for r in rows] == [("E01011294", None, True, "Suppressed"),
                                            ("E01011442", None, True, "[c]: confidential")]
        rollback_batch(engine, result.batch_id, rolled_back_by=OFFICER)
        rollback_batch(engine, defined.batch_id, rolled_back_by=OFFICER)
        assert _indicator(engine, "LIFE_SATISFIED") is None
    finally:
        engine.dispose()


def test_the_command_line_writes_the_indicators_template_and_imports_it(store_url, tmp_path, capsys):
    from db.cli import main

    template = tmp_path / "indicators.xlsx"
    assert main(["--url", store_url, "template", "indicators", "--out", str(template)]) == 0
    capsys.readouterr()
    assert main(["--url", store_url, "import", str(template), "--kind", "indicators", "--as", OFFICER]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Imported indicators.xlsx as batch 2: 2 new, 0 changed and 0 unchanged rows.")
    engine = make_engine(store_url)
    assert _indicator(engine, "YOUTH_CLAIMANTS")["source"] == "ONS and DWP Claimant Count by age (Nomis NM_162_1)"
    engine.dispose()
