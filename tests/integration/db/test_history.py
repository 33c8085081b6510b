"""The import log, what a batch changed, the revisions of one value, and action progress with who and when."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db import schema
from db.errors import NotFound
from ingest.history import action_update_history, batch_changes, import_log, observation_history, rollback_batch
from ingest.importer import EditRejected, commit_import, save_action_progress
from ingest.templates import template_bytes
from tests.fixtures.uploads import table_rows


def _action_id(engine, ref: str) -> int:
    with engine.connect() as connection:
        return connection.execute(select(schema.actions.c.id).where(schema.actions.c.ref == ref)).scalar_one()


def test_import_log_lists_newest_first_with_counts_and_outcome(engine):
    first = commit_import(engine, template_bytes("events"), "events.csv", imported_by="jo@leeds.gov.uk")
    rollback_batch(engine, first.batch_id, rolled_back_by="sam@leeds.gov.uk")
    log = import_log(engine)
    assert log["kind"].tolist()[:3] == ["rollback", "events", "seed"]
    events = log[log["batch_id"] == first.batch_id].iloc[0]
    assert (events["file_name"], events["imported_by"], events["rows_new"], events["outcome"]) == (
        "events.csv", "jo@leeds.gov.uk", 2, "rolled_back")
    assert "Rolled back by sam@leeds.gov.uk" in events["note"]


def test_batch_changes_say_what_was_added_and_what_was_replaced(engine):
    content = ("indicator_code,area_code,period_start,value,numerator,denominator\n"
               "EMPTY_HOMES,E01011264,2016-01-01,9,9,1222\nEMPTY_HOMES,E01011264,2026-10-01,2,2,1222\n").encode()
    batch = commit_import(engine, content, "obs.csv", imported_by="t")
    changes = batch_changes(engine, batch.batch_id)
    assert changes["change"].tolist() == ["replaced", "added"]
    assert changes["record"].tolist()[0] == "EMPTY_HOMES · E01011264 · 2016-01-01"
    assert changes["before"].tolist()[0] == "value 6, numerator 6, denominator 1222 (final)"
    actions = commit_import(engine, template_bytes("actions"), "actions.csv", imported_by="t")
    assert batch_changes(engine, actions.batch_id)["record"].tolist() == ["action · PN-NWORT · NW-20",
                                                                         "action · PN-BOGG · BH-20"]


def test_the_history_of_a_value_that_never_existed_is_a_clear_not_found(engine):
    with pytest.raises(NotFound, match="no value of HATE for PN-NWORT"):
        observation_history(engine, "hate", "pn-nwort", date(2020, 1, 1))


def test_action_progress_is_saved_field_by_field_with_who_and_when(engine):
    action_id = _action_id(engine, "NW-02")
    saved = save_action_progress(engine, {action_id: {"percent_complete": 100, "status": "Complete",
                                                      "commentary": "Project closed; 31 supported"}},
                                 changed_by="jo@leeds.gov.uk")
    history = action_update_history(engine, area_codes=["PN-NWORT"])
    assert saved == 1 and history["field"].tolist() == ["commentary"]
    assert history.iloc[0]["changed_by"] == "jo@leeds.gov.uk" and history.iloc[0]["ref"] == "NW-02"
    assert history.iloc[0]["new_value"] == "Project closed; 31 supported"
    again = save_action_progress(engine, {action_id: {"percent_complete": 60, "status": "on hold"}},
                                 changed_by="sam@leeds.gov.uk")
    history = action_update_history(engine, action_id=action_id)
    assert again == 2
    assert set(zip(history["field"], history["old_value"], history["new_value"])) >= {
        ("percent_complete", "100", "60"), ("status", "complete", "on_hold")}
    with engine.connect() as connection:
        row = connection.execute(select(schema.actions).where(schema.actions.c.id == action_id)).mappings().one()
    assert (row["percent_complete"], row["status"], row["updated_by"]) == (60, "on_hold", "sam@leeds.gov.uk")


def test_invalid_progress_edits_save_nothing_and_say_why(engine):
    before = table_rows(str(engine.url), ["actions", "action_updates"])
    action_id = _action_id(engine, "NW-02")
    with pytest.raises(EditRejected) as rejected:
        save_action_progress(engine, {action_id: {"percent_complete": 140, "status": "finished", "title": "x"}},
                             changed_by="t")
    message = str(rejected.value)
    assert message.startswith("Nothing was saved.")
    assert "between 0 and 100" in message and "status must be one of" in message
    assert "title cannot be changed" in message
    assert table_rows(str(engine.url), ["actions", "action_updates"]) == before
    with pytest.raises(NotFound, match="no action with id 99999"):
        save_action_progress(engine, {99999: {"percent_complete": 5}}, changed_by="t")
