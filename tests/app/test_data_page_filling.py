"""The Data page's preview says what an import fills in: LSOAs with no incidents filled with 0."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests" / "fixtures" / "cases" / "ingest" / "missing-means-zero" / "asb_2026-10_by_lsoa.csv"


def test_the_upload_preview_lists_the_lsoas_filled_with_0(app_env, monkeypatch):
    monkeypatch.setenv("TN_LOCAL_ROLE", "editor")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/6_Data.py")
    at.run()
    at.file_uploader(key="upload_file_0").set_value((CASE.name, CASE.read_bytes(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["New rows"] == "488"  # read on the 2021 LSOAs: the period is after Census day
    notes = [i.value for i in at.info]
    assert any(n.startswith("Filled with 0: 477 LSOAs with no incidents, e.g. E01011264") for n in notes)
