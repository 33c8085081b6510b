"""Every bad file in the corpus is refused with the row, column and reason a user can act on,
and the store is byte-for-byte unchanged afterwards (preview and commit alike)."""

from __future__ import annotations

import pytest

from db.engine import make_engine, migrate
from ingest.importer import commit_import, preview_import
from db.seed import seed
from ingest.templates import MAX_UPLOAD_BYTES
from ingest.validation import ImportRejected
from tests.fixtures.uploads import CORPUS, small_sample_dir, store_digest

# file -> (row, column, words the reason must contain); row None = the whole file, 1 = the header
BAD_FILES = {
    "empty.csv": (None, "", "The file is empty"),
    "blank_lines.csv": (None, "", "The file is empty"),
    "header_only.csv": (2, "", "header row but no data rows"),
    "unknown_header.csv": (None, "", "Could not tell what this file holds"),
    "missing_column.csv": (1, "value", "Missing column 'value'"),
    "unknown_indicator.csv": (2, "indicator_code", "Unknown indicator code"),
    "unknown_area.csv": (2, "area_code", "E01999999 is not a Leeds LSOA on the 2011 or 2021 basis"),
    "period_not_quarter_start.csv": (2, "period_start", "HATE is quarterly (UK financial quarters): '2026-05-01' is "
                                     "read as 1 May 2026, which is neither the first nor the last day of a financial "
                                     "quarter. Write a UK financial quarter: Q1 2019/20"),
    "period_end_mismatch.csv": (2, "period_end", "starting 1 Oct 2026 ends on 31 Oct 2026"),
    "not_a_date.csv": (2, "period_start", "'Octember 2026' is not a period that can be read. Write a month: 2019-04, "
                       "Apr-19 or April 2019"),
    "impossible_date.csv": (2, "period_start", "'2026-02-30' is not a period that can be read"),
    "non_numeric.csv": (2, "value", "Not a number"),
    "negative_count.csv": (2, "value", "Must not be negative"),
    "numerator_above_denominator.csv": (2, "numerator", "larger than the denominator"),
    "ratio_inconsistent.csv": (2, "value", "Does not match numerator ÷ denominator × 100 = 3.852"),
    "ratio_missing_denominator.csv": (2, "denominator", "CLAIMANT is a ratio"),
    "count_value_not_numerator.csv": (2, "value", "the numerator here is 5"),
    "duplicate_key.csv": (3, "indicator_code + area_code + period_start", "Repeats row 2"),
    "wrong_geography.csv": (2, "area_code", "collected for each locality, but this area is an LSOA"),
    "bad_status.csv": (2, "status", "Use one of: provisional, final"),
    "ragged_row.csv": (3, "", "9 values but the header has 8 columns"),
    "undecodable_bytes.csv": (2, "", "neither UTF-8 nor Windows-1252"),
    "binary_nul.csv": (None, "", "binary data"),
    "text_named.xlsx": (None, "", "named .xlsx but is not an Excel workbook"),
    "zip_not_workbook.xlsx": (None, "", "not an Excel workbook that can be read"),
    "truncated.xlsx": (None, "", "damaged"),
    "old_style.xls": (None, "", "old-style Excel file (.xls) or a password-protected workbook"),
    "password_protected.xlsx": (None, "", "password-protected"),
    "picture.png": (None, "", "'.png' files cannot be imported"),
    "bad_observations.xlsx": (2, "period_start", "'next month' is not a period that can be read"),
    "targets_bad.csv": (2, "area_code", "has no action plan"),
    "actions_bad.csv": (2, "percent_complete", "between 0 and 100"),
    "events_missing_title.csv": (2, "title", "This cell is empty. Every row needs a title"),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One small seeded store for the whole corpus: every check below proves it never changes."""
    folder = tmp_path_factory.mktemp("corpus")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    seed(engine, sample_dir=small_sample_dir(folder))
    return url, engine


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_explained_and_changes_nothing(store, name):
    url, engine = store
    before = store_digest(url)
    content = (CORPUS / name).read_bytes()
    preview = preview_import(engine, content, name)
    row, column, words = BAD_FILES[name]
    assert not preview.ok
    assert any(p.row == row and p.column == column and words in p.reason for p in preview.problems), preview.problems
    with pytest.raises(ImportRejected) as rejected:
        commit_import(engine, content, name, imported_by="corpus test")
    assert rejected.value.problems == preview.problems
    assert "nothing was imported" in str(rejected.value)
    engine.dispose()
    assert store_digest(url) == before


def test_every_problem_is_reported_at_once_in_row_order(store):
    url, engine = store
    preview = preview_import(engine, (CORPUS / "many_problems.csv").read_bytes(), "many_problems.csv")
    found = [(p.row, p.column, p.value) for p in preview.problems]
    assert found == [
        (3, "indicator_code", "NOPE"),
        (4, "area_code", "E01999999"),
        (5, "period_start", "2026-08-01"),
        (6, "numerator", "700"),
        (7, "value", "4x"),
        (8, "indicator_code + area_code + period_start", "ASB_ALL / E01011264 / 2026-10-01"),
    ]
    assert "HATE is quarterly" in preview.problems[2].reason
    assert preview.summary().startswith("many_problems.csv has 6 problems")


def test_actions_and_targets_report_each_rule_by_column(store):
    _, engine = store
    actions = preview_import(engine, (CORPUS / "actions_bad.csv").read_bytes(), "actions_bad.csv")
    by_cell = {(p.row, p.column): p.reason for p in actions.problems}
    assert "due date is before the start date" in by_cell[(2, "due_date")]
    assert "Unknown indicator code(s): NOPE" in by_cell[(2, "linked_indicators")]
    assert "Unknown theme" in by_cell[(3, "theme")] and "Safety" in by_cell[(3, "theme")]
    assert "not_started, in_progress, complete, on_hold" in by_cell[(3, "status")]
    targets = preview_import(engine, (CORPUS / "targets_bad.csv").read_bytes(), "targets_bad.csv")
    by_cell = {(p.row, p.column): p.reason for p in targets.problems}
    assert "after the start of the baseline period" in by_cell[(3, "target_date")]
    assert "Must not be negative" in by_cell[(3, "tolerance")]
    assert "absolute, relative" in by_cell[(3, "tolerance_type")]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(store):
    url, engine = store
    before = store_digest(url)
    header = b"indicator_code,area_code,period_start,value\n"
    content = header + b"ASB_ALL,E01011264,2026-10-01,4\n" * ((MAX_UPLOAD_BYTES - len(header)) // 31 + 1)
    assert len(content) > MAX_UPLOAD_BYTES
    preview = preview_import(engine, content, "huge.csv")
    assert [(p.row, p.reason) for p in preview.problems] == [
        (None, "The file is 20.0 MB; the limit is 20 MB. Split it into smaller files and upload each.")]
    engine.dispose()
    assert store_digest(url) == before


def test_a_kind_that_does_not_match_the_header_says_what_the_file_looks_like(store):
    _, engine = store
    preview = preview_import(engine, (CORPUS / "good_utf8_bom.csv").read_bytes(), "x.csv", kind="events")
    missing = [p for p in preview.problems if p.reason.startswith("Missing column")]
    assert {p.column for p in missing} == {"event_date", "title"}
    assert all("this looks like a observations file" not in p.reason for p in missing)
    assert all("(this looks like an observations file)" in p.reason for p in missing)
