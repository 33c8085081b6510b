"""Periods written as sources write them are read by the indicator's frequency, or refused with the forms
that are accepted; dates written month first are never stored swapped without the officer saying so."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from db import schema
from ingest.importer import commit_import, preview_import
from ingest.reading import ReadOptions
from tests.integration.ingest.sources.conftest import CASES, run_cli, stored_values

PERIODS = CASES / "period-labels"
DATES = CASES / "ambiguous-dates"
APRIL_2019 = date(2019, 4, 1)


def test_period_labels_mixed_formats_read_as_april_2019_except_the_us_order_row(engine):
    content = (PERIODS / "mixed_period_formats.csv").read_bytes()
    preview = preview_import(engine, content, "mixed_period_formats.csv")
    assert [(p.row, p.column, p.value) for p in preview.problems] == [(9, "period_start", "04/01/2019")]
    reason = preview.problems[0].reason
    assert reason.startswith("ASB_ALL is monthly: '04/01/2019' is read as 4 Jan 2019")
    assert "If it means 1 Apr 2019 (month first), write 2019-04-01." in reason
    fixed = content.replace(b"04/01/2019", b"2019-04-01")
    result = commit_import(engine, fixed, "mixed_period_formats.csv", imported_by="test")
    assert result.rows_new + result.rows_changed == 10  # the sample store already holds April 2019
    asb = stored_values(engine, "ASB_ALL", APRIL_2019)
    assert [asb[c] for c in ("E01011363", "E01011294", "E01011366", "E01011368", "E01011661", "E01011659",
                             "E01011371", "E01011364")] == [6, 8, 5, 7, 4, 3, 2, 5]
    homes = stored_values(engine, "EMPTY_HOMES", APRIL_2019)  # Q1 2019/20 and its quarter-end date
    assert (homes["E01011363"], homes["E01011294"]) == (11, 9)


def test_period_labels_calendar_years_are_refused_for_financial_year_indicators(engine, sqlite_url, capsys):
    path = PERIODS / "annual_calendar_year_and_fy_labels.csv"
    code, out, _ = run_cli(capsys, sqlite_url, "import", str(path))
    assert code == 2
    assert out.splitlines() == [
        "row 2, period_start '2025-01-01': NEET is annual (financial years): '2025-01-01' is read as 1 Jan 2025, "
        "which is neither the first nor the last day of a financial year. Write a financial year: 2019/20 or "
        "2019-20, or its first or last day (2019-04-01 or 2020-03-31).",
        "row 3, period_start '2025': NEET is annual (financial years): '2025' is a calendar year, not a financial "
        "year. Write a financial year: 2019/20 or 2019-20, or its first or last day (2019-04-01 or 2020-03-31).",
    ]
    fixed = path.read_bytes().replace(b"NEET,E01011363,2025-01-01", b"NEET,E01011363,2024/25").replace(
        b"NEET,E01011294,2025,", b"NEET,E01011294,2024-25,")
    result = commit_import(engine, fixed, path.name, imported_by="test")
    assert result.rows_new + result.rows_changed == 4
    fy = date(2024, 4, 1)
    assert stored_values(engine, "NEET", fy)["E01011294"] == 9.1
    assert stored_values(engine, "CLA", fy)["E01011363"] == 118.3  # 31/03/2025 is the last day of 2024/25
    assert stored_values(engine, "SELF_HARM", fy)["E01011363"] == 484.8


def test_ambiguous_dates_a_month_first_column_is_flagged_whole(engine):
    content = (DATES / "events_from_forms_export_us_dates.csv").read_bytes()
    preview = preview_import(engine, content, "events.csv")
    assert [(p.row, p.column) for p in preview.problems] == [(2, "event_date"), (3, "event_date"),
                                                            (4, "event_date")]
    reason = preview.problems[0].reason
    assert reason.startswith("The dates in event_date look month-first (US order): row 3 can only be read that "
                             "way, so every date in the column (rows 2, 3, 4) may have day and month swapped")
    assert "re-save the dates as YYYY-MM-DD" in reason and "--dates month-first" in reason


def test_ambiguous_dates_confirmed_month_first_on_the_command_line_are_stored_as_meant(engine, sqlite_url, capsys):
    path = DATES / "events_from_forms_export_us_dates.csv"
    code, out, _ = run_cli(capsys, sqlite_url, "import", str(path), "--dates", "month-first", "--dry-run")
    assert code == 0 and "Dates in event_date were read month first: 10/12/2026 is 12 Oct 2026." in out
    code, out, _ = run_cli(capsys, sqlite_url, "import", str(path), "--dates", "month-first")
    assert code == 0, out
    preview = preview_import(engine, path.read_bytes(), path.name, options=ReadOptions(dates="month-first"))
    assert preview.unchanged == 3 and not preview.has_changes
    with engine.connect() as connection:
        dates = dict(connection.execute(select(schema.events.c.title, schema.events.c.event_date).where(
            schema.events.c.title.in_(["Residents' safety walkabout", "Community clean-up day",
                                       "Youth football sessions start"]))).all())
    assert dates == {"Residents' safety walkabout": date(2026, 10, 12), "Community clean-up day": date(2026, 10, 24),
                     "Youth football sessions start": date(2026, 11, 3)}


def test_ambiguous_dates_after_fixing_one_row_the_preview_says_which_order_was_used(engine):
    content = (DATES / "events_after_fixing_only_the_flagged_row.csv").read_bytes()
    preview = preview_import(engine, content, "events.csv")
    assert preview.ok
    assert ("Dates in event_date were read day first: 10/12/2026 is 10 Dec 2026. If the file writes them month "
            "first, choose 'month first' for dates and check again.") in preview.reading.notes
    assert list(preview.new["event_date"].astype(str)) == ["2026-12-10", "2026-10-24", "2026-03-11"]
