"""Workbooks and CSV files as officers make them: the data sheet and header row are found, footnotes are not
data, percent cells and Excel dates are read as shown, and what cannot be read is said plainly."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from db import schema

from ingest.importer import commit_import, preview_import
from ingest.reading import ReadOptions
from tests.integration.ingest.sources.conftest import CASES, run_cli, stored_values

LAYOUTS = CASES / "workbook-layouts"
OCTOBER = date(2026, 10, 1)

# file -> (sheet read, header row, first data row, what the preview must also say)
CASE_FILES = {
    "A_cover_sheet_first.xlsx": ("Data", 1, 2, None),
    "B_title_rows_above_header.xlsx": ("Data", 4, 5, "2 title rows above it were left out"),
    "C_two_row_merged_header.xlsx": ("Data", 2, 3, "The header is in rows 1 and 2 (a two-row heading)"),
    "D_nomis_style_title_and_footer.csv": (None, 6, 7, "1 note below the data (from row 10: 'Claimant counts at "
                                                       "LSOA level are rounded to the nearest 5.') was not read"),
    "E_footer_note_only.csv": (None, 1, 2, "1 note below the data (from row 5: 'Source: DWP claimant count"),
    "F_hidden_lookup_sheet_first.xlsx": ("Return", 1, 2, None),
}


@pytest.mark.parametrize("name", sorted(CASE_FILES))
def test_workbook_layouts_case_is_read_from_the_right_sheet_and_rows(engine, name):
    sheet, header_row, first_row, words = CASE_FILES[name]
    preview = preview_import(engine, (LAYOUTS / name).read_bytes(), name)
    assert preview.ok, preview.problems
    reading = preview.reading
    assert (reading.sheet, reading.header_row) == (sheet, header_row)
    if sheet:
        assert f"from sheet '{sheet}'" in reading.summary()
    assert words is None or any(words in note for note in reading.notes), reading.notes
    new = preview.new.set_index("area_code")
    assert new.at["E01011363", "row"] == first_row
    assert (new.at["E01011363", "value"], new.at["E01011363", "denominator"]) == (6.2, 1048)
    assert set(new["period_start"]) == {OCTOBER}


def test_workbook_layouts_two_row_header_imports_from_the_command_line(engine, sqlite_url, capsys):
    code, out, _ = run_cli(capsys, sqlite_url, "import", str(LAYOUTS / "C_two_row_merged_header.xlsx"), "--dry-run")
    assert code == 0
    assert "Read as the observations template from sheet 'Data': header in row 2, 2 rows." in out
    code, out, _ = run_cli(capsys, sqlite_url, "import", str(LAYOUTS / "C_two_row_merged_header.xlsx"))
    assert code == 0, out
    assert stored_values(engine, "CLAIMANT", OCTOBER)["E01011294"] == 5.1


def test_workbook_layouts_the_editor_chooses_another_sheet(engine, sqlite_url, capsys):
    path = LAYOUTS / "A_cover_sheet_first.xlsx"
    preview = preview_import(engine, path.read_bytes(), path.name, options=ReadOptions(sheet="Cover"))
    assert preview.reading.sheet == "Cover" and preview.reading.sheets == ("Cover", "Data")
    assert [p.reason for p in preview.problems] == [
        "Sheet 'Cover': No table with a header the dashboard knows was found (the top rows look like titles or "
        "notes). Choose the sheet that holds the data, or start from a template."]
    code, out, err = run_cli(capsys, sqlite_url, "import", str(path), "--sheet", "Summary")
    assert code == 2
    assert "The workbook has no sheet named 'Summary'. Its sheets are: 'Cover', 'Data'." in out


def _workbook(rows: list[list], formats: dict[tuple[int, int], str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    for row in rows:
        sheet.append(row)
    for (row, column), number_format in (formats or {}).items():
        sheet.cell(row=row, column=column).number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = ["indicator_code", "area_code", "period_start", "value", "numerator", "denominator", "area_name"]


def test_workbook_layouts_percent_cells_and_excel_dates_are_read_as_shown(engine):
    content = _workbook([HEADER, ["CLAIMANT", "E01011363", datetime(2026, 10, 1), 0.062, 65, 1048, "Leeds 071E"]],
                        {(2, 3): "mmm-yy", (2, 4): "0.0%"})
    preview = preview_import(engine, content, "claimant.xlsx")
    assert preview.ok, preview.problems
    assert preview.new.loc[0, "value"] == 6.2 and preview.new.loc[0, "period_start"] == OCTOBER
    assert "Column area_name is not used for observations and was ignored." in preview.reading.notes


def test_workbook_layouts_a_formula_with_no_saved_result_says_open_and_save_in_excel(engine):
    content = _workbook([HEADER[:6], ["CLAIMANT", "E01011363", "2026-10-01", "=E2/F2*100", 65, 1048]])
    preview = preview_import(engine, content, "claimant.xlsx")
    assert [(p.row, p.column) for p in preview.problems if "formula" in p.reason] == [(2, "value")]
    assert "Open and save it in Excel, then upload it again." in preview.problems[0].reason


def test_workbook_layouts_an_xlsm_and_a_semicolon_csv_with_titles_are_read(engine):
    content = _workbook([HEADER[:6], ["CLAIMANT", "E01011363", "2026-10-01", 6.2, 65, 1048]])
    assert preview_import(engine, content, "claimant.xlsm").ok
    text = ("Claimant count; October 2026\n\nindicator_code;area_code;period_start;value;numerator;denominator\n"
            "CLAIMANT;E01011363;Oct-26;6.2;65;1048\n")
    preview = preview_import(engine, text.encode(), "claimant.csv")
    assert preview.ok, preview.problems
    assert preview.reading.header_row == 3 and preview.new.loc[0, "period_start"] == OCTOBER


def test_workbook_layouts_action_status_words_and_theme_case_are_accepted(engine):
    header = "area_code,action_ref,title,lead,theme,start_date,due_date,percent_complete,status\n"
    rows = ["PN-NWORT,NW-41,Walkabouts,Communities Team,safety,2026-10-01,2027-03-31,100,Completed",
            "PN-NWORT,NW-42,Clean-ups,Communities Team,SAFETY,2026-10-01,2027-03-31,40,On track",
            "PN-NWORT,NW-43,Youth club,Youth Service,Children and Families,2026-10-01,2027-03-31,50,50%",
            "PN-NWORT,NW-44,Job fair,Employment Leeds,employment and skills,2026-11-01,2027-03-31,0,Not started",
            "PN-NWORT,NW-45,Hub rota,Communities Team,Inclusion,2026-10-01,2027-03-31,20,In progress"]
    content = (header + "\n".join(rows) + "\n").encode()
    commit_import(engine, content, "actions.csv", imported_by="test")
    preview = preview_import(engine, content, "actions.csv")
    assert preview.unchanged == 5
    with engine.connect() as connection:
        stored = {ref: (theme, status) for ref, theme, status in connection.execute(
            select(schema.actions.c.ref, schema.actions.c.theme, schema.actions.c.status)
            .where(schema.actions.c.ref.like("NW-4%")))}
    assert stored == {"NW-41": ("Safety", "complete"), "NW-42": ("Safety", "in_progress"),
                      "NW-43": ("Children and families", "in_progress"),
                      "NW-44": ("Employment and skills", "not_started"), "NW-45": ("Inclusion", "in_progress")}
