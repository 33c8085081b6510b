"""The Data page reads files as sources and officers write them: it names the layout recognised, lets the
editor choose the sheet and the date order, and lets the editor change which indicator a crime type counts into."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from db import schema
from db.engine import make_engine
from tests.app.test_data_page import _metrics, data_page

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases" / "ingest"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(at, path: Path, mime: str = "text/csv"):
    at.file_uploader(key="upload_file_0").set_value((path.name, path.read_bytes(), mime))
    return at.run()


def test_police_uk_street_upload_names_the_layout_and_what_was_left_out(app_env, monkeypatch):
    at = _upload(data_page(monkeypatch, "editor"), CASES / "police-uk-street" / "2026-10-west-yorkshire-street.csv")
    assert not at.exception
    assert any("Recognised a police.uk street-level file: 10 reports, 1 left out (1 with no location)." in i.value
               for i in at.info)
    # the 8 LSOA counts, and every other 2021 LSOA filled with 0 for ASB_ALL and CRIME_ALL (incident lists)
    assert _metrics(at)["New rows"] == str(2 * 488)
    assert any(i.value.startswith("Filled with 0") for i in at.info)


def test_workbook_layouts_the_editor_chooses_the_sheet(app_env, monkeypatch):
    at = _upload(data_page(monkeypatch, "editor"), CASES / "workbook-layouts" / "A_cover_sheet_first.xlsx", XLSX)
    sheet = next(s for s in at.selectbox if s.label == "Sheet to read")
    assert sheet.value == "Data" and sheet.options == ["Cover", "Data"]
    assert any("from sheet 'Data': header in row 1, 2 rows" in i.value for i in at.info)
    sheet.set_value("Cover").run()
    assert not at.exception
    assert any("problem" in e.value for e in at.error)
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert "No table with a header the dashboard knows was found" in problems["Problem"].iloc[0]


def test_ambiguous_dates_the_editor_confirms_month_first(app_env, monkeypatch):
    at = _upload(data_page(monkeypatch, "editor"), CASES / "ambiguous-dates" / "events_from_forms_export_us_dates.csv")
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert list(problems["Row"]) == [2, 3, 4] and problems["Problem"].str.contains("look month-first").all()
    at.selectbox(key="upload_dates").set_value("month-first").run()
    assert not at.exception
    assert _metrics(at)["New rows"] == "3"
    assert any("Dates in event_date were read month first: 10/12/2026 is 12 Oct 2026." in i.value for i in at.info)


def test_an_editor_stops_counting_a_crime_type(app_env, monkeypatch):
    at = data_page(monkeypatch, "editor")
    editor = at.data_editor(key="police_mapping_editor")
    row = editor.value.index[editor.value["crime_type"] == "Shoplifting"][0]
    assert editor.value.at[row, "indicator"] == "CRIME_ALL"
    at.session_state["police_mapping_editor"] = {"edited_rows": {int(row): {"indicator": "(not counted)"}},
                                                 "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="save_police_mapping").click().run()
    assert not at.exception
    assert any("Saved: Shoplifting is not counted." in s.value for s in at.success)
    engine = make_engine(app_env)
    with engine.connect() as connection:
        stored = connection.execute(select(schema.source_mappings.c.source_value, schema.source_mappings.c.indicator_code,
                                           schema.source_mappings.c.updated_by)).all()
    engine.dispose()
    assert stored == [("Shoplifting", None, "Local editor")]


def test_an_editor_links_a_nomis_series_then_the_nomis_download_is_recognised(app_env, monkeypatch):
    at = data_page(monkeypatch, "editor")
    at.selectbox(key="mapping_source").set_value("nomis").run()
    assert at.text_input(key="fingertips_id").label == "Nomis series"
    at.text_input(key="fingertips_id").set_value("Claimant count").run()
    at.selectbox(key="fingertips_code").set_value("(not counted)").run()
    at.button(key="save_fingertips_mapping").click().run()
    assert not at.exception
    assert any("Saved: Claimant count is not counted." in s.value for s in at.success)
    engine = make_engine(app_env)
    with engine.connect() as connection:
        stored = connection.execute(select(schema.source_mappings.c.source, schema.source_mappings.c.source_value,
                                           schema.source_mappings.c.indicator_code)).all()
    engine.dispose()
    assert stored == [("nomis", "Claimant count", None)]
    uploads = Path(__file__).resolve().parents[1] / "fixtures" / "uploads"
    at = _upload(data_page(monkeypatch, "editor"), uploads / "nomis_claimant_count_table.csv")
    assert not at.exception
    assert any("Recognised a Nomis table: 33 rows" in i.value for i in at.info)
