"""Missing, zero and suppressed are three different things: the case folders missing-means-zero,
suppressed-values and zero-denominator, each ending with the figure or the message a user sees."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import select

from db import schema
from db.engine import make_engine
from ingest.history import batch_changes, rollback_batch
from ingest.importer import commit_import, preview_import
from ingest.validation import EMPTY_VALUE, ZERO_DENOMINATOR, ImportRejected
from tests.fixtures.uploads import store_digest
from tests.integration.ingest.support import case_bytes
from views.scorecards import PUBLIC, assess, disclose, indicator_lookup, series_for

CITY, ARMLEY, HEADINGLEY = "E08000035", "E05011385", "E05011397"
OFFICER = "officer@leeds.gov.uk"


def _stored(engine, indicator: str, start: date) -> pd.DataFrame:
    obs = schema.observations
    with engine.connect() as connection:
        rows = connection.execute(select(obs).where(obs.c.indicator_code == indicator, obs.c.period_start == start))
        frame = pd.DataFrame(rows.mappings().all())
    return frame.set_index("area_code")


def _series(engine, indicator: str, codes: list[str], start: date) -> pd.DataFrame:
    return series_for(engine, indicator_lookup(engine)[indicator], codes, period_start=start).set_index("area_code")


# --- missing means zero ------------------------------------------------------------------------------------

OCTOBER = date(2026, 10, 1)


def test_missing_means_zero_both_files_give_the_same_figures_and_leeds_is_complete(tmp_path, small_store_file):
    figures = {}
    for name in ("asb_2026-10_by_lsoa.csv", "asb_2026-10_by_lsoa_with_zeros.csv"):
        url = f"sqlite:///{tmp_path / name}.sqlite"
        (tmp_path / f"{name}.sqlite").write_bytes(small_store_file.read_bytes())
        engine = make_engine(url)
        commit_import(engine, case_bytes("missing-means-zero", name), name, imported_by=OFFICER)
        places = [CITY, ARMLEY, "E05011400", "PN-NWORT", "PN-BOGG", "CC-INNER-WEST"]
        figures[name] = _series(engine, "ASB_ALL", places, OCTOBER)[["value", "complete", "completeness"]]
        engine.dispose()
    sparse, explicit = figures.values()
    pd.testing.assert_frame_equal(sparse, explicit)
    assert sparse.loc[CITY, "value"] == 61  # the file's counts add up to 61; every other LSOA had none
    assert sparse["complete"].all()
    assert set(sparse["completeness"]) == {""}


def test_missing_means_zero_preview_lists_the_lsoas_filled_with_0(engine):
    preview = preview_import(engine, case_bytes("missing-means-zero", "asb_2026-10_by_lsoa.csv"), "asb.csv")
    # October 2026 is after Census day: the file's unchanged codes are read on the 2021 LSOAs (488)
    assert preview.ok and len(preview.new) == 488
    note = next(n for n in preview.notes if n.startswith("Filled with 0"))
    assert "477 LSOAs with no incidents, e.g. E01011264, E01011265, E01011266" in note
    assert "(ASB_ALL, Oct 2026)" in note
    filled = preview.new[preview.new["row"].isna()]
    assert len(filled) == 477 and set(filled["value"]) == {0.0}


def test_missing_means_zero_never_replaces_a_value_already_stored(engine):
    september = date(2026, 9, 1)
    before = _stored(engine, "ASB_ALL", september)
    content = b"indicator_code,area_code,period_start,value\nASB_ALL,E01011363,2026-09-01,9\n"
    result = commit_import(engine, content, "one-lsoa.csv", imported_by=OFFICER)
    after = _stored(engine, "ASB_ALL", september)
    for kept in before.index:  # the small store holds September 2026 for a few LSOAs: they keep their values
        assert after.loc[kept, "value"] == before.loc[kept, "value"]
    assert after.loc["E01011363", "value"] == 9
    assert any("keep the values already stored" in note for note in result.notes)


def test_missing_means_zero_is_not_applied_to_other_indicators(engine):
    content = b"indicator_code,area_code,period_start,value,numerator,denominator\n" \
              b"CLAIMANT,E01011363,2026-10-01,5.0,5,100\n"
    preview = preview_import(engine, content, "claimant.csv")
    assert len(preview.new) == 1 and preview.notes == ()


# --- suppressed at source ----------------------------------------------------------------------------------

QUARTER = date(2026, 7, 1)
HATE_MARKED = ["E01011294", "E01011366", "E01011368", "E01011661", "E01011659", "E01011371", "E01011364",
               "E01011372", "E01011344"]


def test_suppressed_values_hate_markers_are_stored_as_suppressed_never_a_number(engine):
    commit_import(engine, case_bytes("suppressed-values", "hate_q2_2026_with_suppression.csv"), "hate.csv",
                  imported_by=OFFICER)
    stored = _stored(engine, "HATE", QUARTER)
    marked = stored.loc[HATE_MARKED]
    assert marked["suppressed"].astype(bool).all()
    assert marked["value"].isna().all() and marked["numerator"].isna().all()
    assert marked.loc["E01011294", "value_note"] == "<5: fewer than 5, suppressed at source"
    assert marked.loc["E01011368", "value_note"] == "[c]: confidential"
    assert stored.loc["E01011363", "value"] == 7 and not stored.loc["E01011363", "suppressed"]


def test_suppressed_values_make_a_locality_say_so_not_show_a_smaller_number(engine):
    commit_import(engine, case_bytes("suppressed-values", "hate_q2_2026_with_suppression.csv"), "hate.csv",
                  imported_by=OFFICER)
    series = _series(engine, "HATE", [CITY, ARMLEY, "PN-NWORT"], QUARTER)
    assert series.loc[CITY, "completeness"] == "9 LSOAs suppressed at source"
    assert series.loc[ARMLEY, "completeness"].endswith("suppressed at source")
    assert "missing" not in series.loc[CITY, "completeness"]
    assert series["value"].isna().all()  # a total without them would be silently smaller


def test_suppressed_values_the_rag_reason_says_suppressed_at_source(engine):
    commit_import(engine, case_bytes("suppressed-values", "hate_q2_2026_with_suppression.csv"), "hate.csv",
                  imported_by=OFFICER)
    indicator = indicator_lookup(engine)["HATE"]
    series = disclose(series_for(engine, indicator, ["PN-NWORT"]), indicator, PUBLIC, engine=engine)
    judged = assess(indicator, series, None, date(2026, 9, 30), PUBLIC)
    assert judged["rag"].reason.startswith("Not shown: ")
    assert "suppressed at source" in judged["rag"].reason


def test_suppressed_values_fingertips_value_note_is_kept_as_published(engine):
    commit_import(engine, case_bytes("suppressed-values", "mmr_fingertips_value_note.csv"), "mmr.csv",
                  imported_by=OFFICER)
    stored = _stored(engine, "MMR", date(2025, 4, 1))
    assert bool(stored.loc["E01011294", "suppressed"]) and pd.isna(stored.loc["E01011294", "value"])
    assert stored.loc["E01011294", "value_note"] == "Value suppressed for disclosure control due to small count"
    assert stored.loc["E01011363", "value"] == 84.6 and not stored.loc["E01011363", "suppressed"]


def test_suppressed_values_replacing_a_number_is_kept_in_history_and_rolled_back(engine):
    september = date(2026, 9, 1)
    original = _stored(engine, "ASB_ALL", september).loc["E01011264"]
    content = b"indicator_code,area_code,period_start,value\nASB_ALL,E01011264,2026-09-01,[c]\n"
    result = commit_import(engine, content, "withheld.csv", imported_by=OFFICER)
    assert bool(_stored(engine, "ASB_ALL", september).loc["E01011264", "suppressed"])
    changes = batch_changes(engine, result.batch_id).set_index("record")
    assert changes.loc["ASB_ALL · E01011264 · 2026-09-01", "before"] == (
        f"value {original['value']:g}, numerator {original['numerator']:g}, denominator "
        f"{original['denominator']:g} ({original['status']})")
    rollback_batch(engine, result.batch_id, rolled_back_by=OFFICER)
    restored = _stored(engine, "ASB_ALL", september).loc["E01011264"]
    assert restored["value"] == original["value"] and not bool(restored["suppressed"])
    assert pd.isna(restored["value_note"])


def test_suppressed_values_rollback_removes_the_suppressed_rows_a_batch_created(engine):
    before = _stored(engine, "MMR", date(2025, 4, 1))
    result = commit_import(engine, case_bytes("suppressed-values", "mmr_fingertips_value_note.csv"), "mmr.csv",
                           imported_by=OFFICER)
    assert "added" in set(batch_changes(engine, result.batch_id)["change"])
    rollback_batch(engine, result.batch_id, rolled_back_by=OFFICER)
    assert set(_stored(engine, "MMR", date(2025, 4, 1)).index) == set(before.index)


# --- zero denominators -------------------------------------------------------------------------------------


def test_zero_denominator_is_no_eligible_population_and_keeps_the_ward_complete(engine):
    commit_import(engine, case_bytes("zero-denominator", "mmr_2026-27_headingley_hyde_park.csv"), "mmr.csv",
                  imported_by=OFFICER)
    row = _stored(engine, "MMR", date(2026, 4, 1)).loc["E01011442"]
    assert pd.isna(row["value"]) and (row["numerator"], row["denominator"]) == (0, 0)
    assert not bool(row["suppressed"])
    ward = _series(engine, "MMR", [HEADINGLEY], date(2026, 4, 1)).loc[HEADINGLEY]
    assert bool(ward["complete"])
    assert ward["value"] == pytest.approx(84 / 98 * 100)  # the 0/0 LSOA adds nothing
    assert ward["completeness"] == "1 LSOA with no eligible population"
    indicator = indicator_lookup(engine)["MMR"]
    series = disclose(series_for(engine, indicator, [HEADINGLEY]), indicator, PUBLIC, engine=engine)
    judged = assess(indicator, series, None, date(2027, 3, 31), PUBLIC)
    assert judged["shown"] == "85.7%"
    assert judged["rag"].reason.endswith("(1 LSOA with no eligible population)")


# --- refused files change nothing --------------------------------------------------------------------------


@pytest.mark.parametrize("row, column, reason", [
    ("ASB_ALL,E01011363,2026-10-01,,,", "value", EMPTY_VALUE),
    ("MMR,E01011363,2026-04-01,,3,0", "denominator", ZERO_DENOMINATOR),
    ("MMR,E01011363,2026-04-01,50,0,0", "denominator", ZERO_DENOMINATOR),
    ("HATE,E01011363,2026-07-01,under five,,", "value", "Not a number"),
])
def test_a_refused_absence_changes_nothing_and_says_how_to_fix_it(store_url, row, column, reason):
    engine = make_engine(store_url)
    content = ("indicator_code,area_code,period_start,value,numerator,denominator\n"
               "HATE,E01011294,2026-07-01,<5,,\n" + row + "\n").encode()
    before = store_digest(store_url)
    with pytest.raises(ImportRejected) as refused:
        commit_import(engine, content, "bad.csv", imported_by=OFFICER)
    engine.dispose()
    assert store_digest(store_url) == before
    problem = next(p for p in refused.value.problems if p.column == column)
    assert problem.row == 3 and problem.reason.startswith(reason)


def test_suppressed_values_are_exported_with_their_note_not_as_a_number(engine):
    from ingest.history import observations_export

    commit_import(engine, case_bytes("suppressed-values", "mmr_fingertips_value_note.csv"), "mmr.csv",
                  imported_by=OFFICER)
    exported = observations_export(engine, indicator_code="MMR", area_code="E01011294")
    row = exported[exported["period_start"] == date(2025, 4, 1)].iloc[0]
    assert pd.isna(row["value"]) and bool(row["suppressed"])
    assert row["value_note"] == "Value suppressed for disclosure control due to small count"


def test_suppressed_values_the_printed_snapshot_says_so(engine):
    from reports.render import render_snapshot
    from reports.snapshot import gather_snapshot

    commit_import(engine, case_bytes("suppressed-values", "hate_q2_2026_with_suppression.csv"), "hate.csv",
                  imported_by=OFFICER)
    snapshot = gather_snapshot(engine, "PN-NWORT", as_of=date(2026, 9, 1), on=date(2026, 10, 5))
    assert any(note.startswith("Hate incidents: ") and note.endswith("suppressed at source")
               for note in snapshot.completeness_notes)
    html = render_snapshot(snapshot, fmt="html", exporter=None).decode("utf-8")
    assert "Left out of the latest values: " in html
    assert re.search(r"Hate incidents: \d LSOAs? suppressed at source", html)
