"""The Data page: viewers see what it is for and nothing to press; editors upload (problems listed,
or a preview then one commit), update action progress, build a locality and roll back an import."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from db import schema
from db.engine import make_engine
from ingest.importer import commit_import
from ingest.templates import template_bytes
from tests.fixtures.uploads import CORPUS, store_digest
from views.plans import STATUS_LABELS

ROOT = Path(__file__).resolve().parents[2]


def data_page(monkeypatch, role: str) -> AppTest:
    monkeypatch.setenv("TN_LOCAL_ROLE", role)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/6_Data.py")
    return at.run()


def _count(url: str, table, *where) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
    engine.dispose()
    return count


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_a_viewer_sees_why_and_no_controls(app_env, monkeypatch):
    at = data_page(monkeypatch, "viewer")
    assert not at.exception
    assert any("The Data page is for editors" in i.value for i in at.info)
    assert not at.tabs and not at.get("file_uploader") and not at.data_editor
    assert not at.main.button and not at.get("download_button") and not at.text_input
    assert "Local mode: everyone is a viewer" in " ".join(c.value for c in at.sidebar.caption)


def test_an_editor_previews_then_commits_an_upload_once(app_env, monkeypatch):
    at = data_page(monkeypatch, "editor")
    assert [t.label for t in at.tabs][:2] == ["Upload", "Templates"] and "Users and roles" not in at.tabs
    before = _count(app_env, schema.observations)
    at.file_uploader(key="upload_file_0").set_value(("observations.csv", template_bytes("observations"), "text/csv"))
    at.run()
    assert not at.exception
    assert _metrics(at) == {"New rows": "2", "Changed rows": "0", "Unchanged rows": "0"}
    assert _count(app_env, schema.observations) == before  # a preview writes nothing
    at.button(key="commit_import").click().run()
    assert not at.exception
    assert any(s.value.startswith("Imported observations.csv as batch 2: 2 new") for s in at.success)
    assert _count(app_env, schema.observations) == before + 2
    assert _count(app_env, schema.import_batches, schema.import_batches.c.imported_by == "Local editor") == 1
    assert not any(s.value.startswith("Nothing to change") for s in at.success)  # the uploader was emptied
    assert not [b for b in at.button if b.key == "commit_import"]
    at.file_uploader(key="upload_file_1").set_value(("observations.csv", template_bytes("observations"), "text/csv"))
    at.run()
    assert any(s.value.startswith("Nothing to change: all 2 rows") for s in at.success)
    assert not [b for b in at.button if b.key == "commit_import"]


def test_a_changed_value_is_shown_beside_the_stored_one(app_env, monkeypatch):
    at = data_page(monkeypatch, "editor")
    content = (b"indicator_code,area_code,period_start,value,numerator,denominator\n"
               b"ASB_ALL,E01011264,2016-01-01,9,9,1222\n")
    at.file_uploader(key="upload_file_0").set_value(("revised.csv", content, "text/csv")).run()
    assert _metrics(at)["Changed rows"] == "1"
    changed = next(d.value for d in at.dataframe if "value in file" in d.value.columns)
    assert (changed["value now"].item(), changed["value in file"].item()) == (4, 9)


def test_a_bad_upload_lists_every_problem_and_changes_nothing(app_env, monkeypatch):
    digest = store_digest(app_env)
    at = data_page(monkeypatch, "editor")
    at.file_uploader(key="upload_file_0").set_value(("many_problems.csv", (CORPUS / "many_problems.csv").read_bytes(),
                                                   "text/csv")).run()
    assert not at.exception
    assert any("many_problems.csv has 6 problems" in e.value for e in at.error)
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert problems["Row"].tolist() == [3, 4, 5, 6, 7, 8]
    assert problems.iloc[0]["Column"] == "indicator_code" and problems.iloc[0]["Value"] == "NOPE"
    assert problems.iloc[0]["Problem"].startswith("Unknown indicator code")
    assert not [b for b in at.button if b.key == "commit_import"]
    assert store_digest(app_env) == digest


def _action(url: str, ref: str) -> tuple[float, str, str | None]:
    engine = make_engine(url)
    with engine.connect() as connection:
        row = connection.execute(select(schema.actions.c.percent_complete, schema.actions.c.status,
                                        schema.actions.c.commentary).where(schema.actions.c.ref == ref)).one()
    engine.dispose()
    return tuple(row)


def test_an_editor_confirms_a_before_and_after_summary_and_stays_on_the_tab(app_env, monkeypatch):
    at = data_page(monkeypatch, "editor")
    at.session_state["tab"] = "Action progress"
    code = at.selectbox(key="actions_locality").value
    shown = at.data_editor(key=f"action_editor_{code}").value
    assert list(shown.columns)[:6] == ["Reference", "Action", "Lead", "Due date", "Progress (%)", "Status"]
    assert "In progress" in set(shown["Status"]) and "in_progress" not in set(shown["Status"])
    first = shown.iloc[0]
    ref, before = first["Reference"], _action(app_env, first["Reference"])
    at.session_state[f"action_editor_{code}"] = {
        "edited_rows": {0: {"Progress (%)": 85, "Status": "Complete", "Commentary": "Checked on site"}},
        "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="save_actions").click().run()
    assert not at.exception
    summary = next(w.value for w in at.warning if "Check before saving" in w.value)
    assert "1 action changes:" in summary
    assert (f"{ref}: progress {before[0]:g}% to 85%, status {STATUS_LABELS[before[1]]} to Complete, "
            f'commentary "{before[2]}" to "Checked on site"') in summary.replace("\\", "")
    assert _action(app_env, ref) == before  # nothing is written before the editor confirms
    at.button(key="confirm_actions").click().run()
    assert not at.exception
    assert _action(app_env, ref) == (85.0, "complete", "Checked on site")
    assert any(s.value.startswith(f"Saved 3 changes to 1 action: {ref}: progress") for s in at.success)
    assert at.session_state["tab"] == "Action progress"
    updates = schema.action_updates
    assert _count(app_env, updates, updates.c.changed_by == "Local editor") == 3
    recent = next(d.value for d in at.dataframe if "Who" in d.value.columns)
    assert set(recent["What"]) == {"Progress", "Status", "Commentary"} and set(recent["Reference"]) == {ref}
    assert "Complete" in set(recent["After"]) and "85%" in set(recent["After"])


def test_going_back_from_the_summary_writes_nothing(app_env, monkeypatch):
    at = data_page(monkeypatch, "editor")
    code = at.selectbox(key="actions_locality").value
    ref = at.data_editor(key=f"action_editor_{code}").value.iloc[0]["Reference"]
    before = _action(app_env, ref)
    at.session_state[f"action_editor_{code}"] = {"edited_rows": {0: {"Progress (%)": 3}}, "added_rows": [],
                                                 "deleted_rows": []}
    at.run()
    at.button(key="save_actions").click().run()
    at.button(key="cancel_actions").click().run()
    assert not at.exception
    assert not [w for w in at.warning if "Check before saving" in w.value]
    assert not [b for b in at.button if b.key == "confirm_actions"]
    assert _action(app_env, ref) == before


def test_an_editor_builds_a_locality_from_pasted_codes(app_env, monkeypatch):
    at = data_page(monkeypatch, "editor")
    at.selectbox(key="locality_ward").set_value("E05011385")
    at.text_area(key="locality_codes").set_value("E01011281, E01011283")
    at.text_input(key="locality_name").set_value("Armley Heights")
    at.run()
    assert any("2 LSOA(s) chosen: E01011281, E01011283." in c.value for c in at.caption)
    at.button(key="create_locality").click().run()
    assert not at.exception
    assert any("Created Armley Heights (CL-ARMLEY-HEIGHTS) from 2 LSOAs" in s.value for s in at.success)
    assert "Armley Heights" in at.selectbox(key="actions_locality").options


def test_an_unknown_lsoa_code_is_explained(app_env, monkeypatch):
    at = data_page(monkeypatch, "editor")
    at.text_area(key="locality_codes").set_value("E01999999")
    at.text_input(key="locality_name").set_value("Nowhere")
    at.button(key="create_locality").click().run()
    assert any("Not LSOA codes of this district: E01999999" in e.value for e in at.error)


def test_an_editor_rolls_back_an_import_from_the_log(app_env, monkeypatch):
    result = commit_import(make_engine(app_env), template_bytes("events"), "events.csv", imported_by="jo")
    at = data_page(monkeypatch, "editor")
    assert at.selectbox(key="log_batch").value == result.batch_id
    assert at.button(key="rollback_batch").disabled
    at.checkbox(key="confirm_rollback").check().run()
    at.button(key="rollback_batch").click().run()
    assert not at.exception
    assert any(f"Rolled back batch {result.batch_id} (events.csv)" in s.value for s in at.success)
    assert _count(app_env, schema.events, schema.events.c.batch_id == result.batch_id) == 0


def test_the_import_log_reads_each_batch_in_six_columns(app_env, monkeypatch):
    result = commit_import(make_engine(app_env), template_bytes("events"), "events.csv", imported_by="jo")
    at = data_page(monkeypatch, "editor")
    log = next(d.value for d in at.dataframe if list(d.value.columns)[:2] == ["Batch", "File"])
    assert list(log.columns) == ["Batch", "File", "Imported", "Rows", "Outcome", "Note"]
    row = log[log["Batch"] == result.batch_id].iloc[0]
    assert row["File"] == "events.csv (events)"
    assert row["Imported"].endswith(" by jo")
    assert row["Rows"] == f"{result.rows_total:,}: {result.rows_new:,} new, 0 changed, 0 unchanged"


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_only_admins_manage_roles(app_env, monkeypatch, role):
    at = data_page(monkeypatch, role)
    assert ("Users and roles" in [t.label for t in at.tabs]) == (role == "admin")


def test_an_upload_over_the_cell_limit_is_refused_with_the_limit(app_env, monkeypatch):
    from ingest import templates

    monkeypatch.setattr(templates, "MAX_CELLS", 6)
    at = data_page(monkeypatch, "editor")
    at.file_uploader(key="upload_file_0").set_value(("observations.csv", template_bytes("observations"), "text/csv"))
    at.run()
    assert not at.exception
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert problems.iloc[0]["Problem"].startswith("The file has more than 6 cells (rows times columns)")
    assert "the limit is 6" in problems.iloc[0]["Problem"]


def test_an_upload_is_read_and_checked_on_a_worker_thread(app_env, monkeypatch):
    import threading

    from ingest import importer

    threads, check = [], importer.preview_import

    def recording(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return check(*args, **kwargs)

    monkeypatch.setattr(importer, "preview_import", recording)
    at = data_page(monkeypatch, "editor")
    at.file_uploader(key="upload_file_0").set_value(("observations.csv", template_bytes("observations"), "text/csv"))
    at.run()
    assert _metrics(at)["New rows"] == "2"
    assert len(threads) == 1 and threads[0].startswith("upload-check")
