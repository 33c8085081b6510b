"""History and undo: what changed, who changed it and when; rolling a batch back; exports.

Read-only questions are one function each, returning a DataFrame with the columns its docstring
lists. ``rollback_batch`` is the one write: it restores exactly what was there before a batch,
under the same write lock as imports, and is itself recorded as a batch of kind 'rollback'.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, and_, bindparam, delete, insert, or_, select, update

from db import schema
from db.disclosure import published_figures, store_decisions
from db.totals import refresh_totals, stamp_of
from db.errors import NotFound, StoreError
from db.transactions import refresh_planner_statistics
from ingest.importer import (
    OBSERVATION_FIELDS,
    OBSERVATION_KEY,
    RECORD_FIELDS,
    TABLES_WRITTEN,
    full_image,
    insert_batch,
    now_utc,
    record_image,
    record_key_column,
    stored_records,
    write_record,
    write_transaction,
)
from ingest.validation import KINDS, sha256_of
from metrics.periods import format_date
from metrics.disclosure import Release, hidden_text


class RollbackRefused(StoreError):
    """A batch cannot be rolled back (already rolled back, a rollback itself, or changed since)."""

IMPORT_LOG_COLUMNS = ["batch_id", "kind", "file_name", "imported_by", "imported_at", "rows_total", "rows_new",
                      "rows_changed", "rows_unchanged", "outcome", "note", "sha256"]


def _frame(engine: Engine, statement) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(statement)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def import_log(engine: Engine, *, limit: int = 200) -> pd.DataFrame:
    """The newest batches first. Columns: ``IMPORT_LOG_COLUMNS`` (outcome: committed or rolled_back)."""
    b = schema.import_batches
    statement = select(b.c.id.label("batch_id"), *[b.c[c] for c in IMPORT_LOG_COLUMNS[1:]])
    return _frame(engine, statement.order_by(b.c.id.desc()).limit(limit))


def batch_changes(engine: Engine, batch_id: int) -> pd.DataFrame:
    """What one batch changed. Columns: record, change ('added' or 'replaced'), before (the previous value,
    or the previous record as text). Observations first, in key order."""
    rev, rec = schema.observation_revisions, schema.record_revisions
    observations = _frame(engine, select(rev).where(rev.c.replaced_by_batch_id == batch_id).order_by(
        rev.c.indicator_code, rev.c.area_code, rev.c.period_start))
    records = _frame(engine, select(rec).where(rec.c.batch_id == batch_id).order_by(rec.c.id))
    rows = [{"record": f"{r.indicator_code} · {r.area_code} · {r.period_start.isoformat()}",
             "change": "added" if _created(r) else "replaced",
             "before": "" if _created(r) else _observation_text(r)} for r in observations.itertuples()]
    rows += [{"record": f"{r.kind[:-1]} · " + " · ".join(str(v) for v in json.loads(r.record_key).values()),
              "change": "added" if r.before_json is None else ("removed" if r.after_json is None else "replaced"),
              "before": "" if r.before_json is None else _record_text(json.loads(r.before_json))}
             for r in records.itertuples()]
    return pd.DataFrame(rows, columns=["record", "change", "before"])


def _created(revision) -> bool:
    """A revision row with no status marks an observation its batch created (a value may itself be empty)."""
    return revision.status is None or pd.isna(revision.status)


def _observation_text(row) -> str:
    if bool(getattr(row, "suppressed", False)):
        parts = ["suppressed at source" + (f" ({row.value_note})" if isinstance(row.value_note, str) else "")]
    elif pd.isna(row.value):
        parts = ["no value"]
    else:
        parts = [f"value {row.value:g}"]
    if not pd.isna(row.numerator):
        parts.append(f"numerator {row.numerator:g}")
    if not pd.isna(row.denominator):
        parts.append(f"denominator {row.denominator:g}")
    return ", ".join(parts) + f" ({row.status})"


def _record_text(image: dict) -> str:
    hidden = {"id", "batch_id", "updated_at", "updated_by"}
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in image.items() if k not in hidden and v not in ("", None))


def observation_history(engine: Engine, indicator_code: str, area_code: str, period_start: date) -> pd.DataFrame:
    """Every value one observation has had, oldest first.

    Columns: value, numerator, denominator, status, written_by_batch, written_by, written_at,
    replaced_by_batch, replaced_at, current (bool), suppressed, value_note. A row with no status means the
    observation did not exist until the next row's batch wrote it (or after a rollback removed it); a
    suppressed row has no value because the source withheld it. Raises ``NotFound``
    when the store has never held the observation.
    """
    obs, rev, batches = schema.observations, schema.observation_revisions, schema.import_batches
    key = {"indicator_code": indicator_code.strip().upper(), "area_code": area_code.strip().upper(),
           "period_start": period_start}
    revisions = _frame(engine, select(rev).where(*[rev.c[k] == v for k, v in key.items()]).order_by(rev.c.id))
    current = _frame(engine, select(obs).where(*[obs.c[k] == v for k, v in key.items()]))
    if revisions.empty and current.empty:
        raise NotFound(f"There is no value of {key['indicator_code']} for {key['area_code']} for the period "
                       f"starting {period_start.isoformat()}, and there never has been.")
    versions = [{"value": r.value, "numerator": r.numerator, "denominator": r.denominator, "status": r.status,
                 "written_by_batch": r.batch_id, "replaced_by_batch": r.replaced_by_batch_id,
                 "replaced_at": r.replaced_at, "current": False, "suppressed": r.suppressed,
                 "value_note": r.value_note} for r in revisions.itertuples()]
    versions += [{"value": r.value, "numerator": r.numerator, "denominator": r.denominator, "status": r.status,
                  "written_by_batch": r.batch_id, "replaced_by_batch": None, "replaced_at": None, "current": True,
                  "suppressed": r.suppressed, "value_note": r.value_note} for r in current.itertuples()]
    frame = pd.DataFrame(versions)
    who = _frame(engine, select(batches.c.id, batches.c.imported_by, batches.c.imported_at))
    names = dict(zip(who["id"], who["imported_by"], strict=True))
    stamps = dict(zip(who["id"], who["imported_at"], strict=True))
    frame.insert(5, "written_by", frame["written_by_batch"].map(names))
    frame.insert(6, "written_at", frame["written_by_batch"].map(stamps))
    return frame


def action_update_history(engine: Engine, *, area_codes: list[str] | None = None,
                          action_id: int | None = None, limit: int = 500) -> pd.DataFrame:
    """Changes made to actions on the Data page, newest first.

    Columns: changed_at, changed_by, area_code, ref, title, field, old_value, new_value.
    """
    upd, actions, plans = schema.action_updates, schema.actions, schema.action_plans
    statement = (
        select(upd.c.changed_at, upd.c.changed_by, plans.c.area_code, actions.c.ref, actions.c.title, upd.c.field,
               upd.c.old_value, upd.c.new_value)
        .join(actions, actions.c.id == upd.c.action_id)
        .join(plans, plans.c.id == actions.c.plan_id)
    )
    if area_codes is not None:
        statement = statement.where(plans.c.area_code.in_(list(area_codes)))
    if action_id is not None:
        statement = statement.where(upd.c.action_id == action_id)
    return _frame(engine, statement.order_by(upd.c.id.desc()).limit(limit))


EXPORT_COLUMNS = ["indicator_code", "indicator_name", "area_code", "area_name", "area_type", "period_start",
                  "period_end", "value", "numerator", "denominator", "status", "suppressed", "value_note",
                  "lower_limit", "upper_limit", "unweighted_base"]
_LIMITS = ["lower_limit", "upper_limit", "unweighted_base"]


def observations_export(engine: Engine, *, indicator_code: str | None = None, area_code: str | None = None,
                        disclosure_controlled: bool = True) -> pd.DataFrame:
    """Observations with names, for a CSV or Excel export. Columns: ``EXPORT_COLUMNS`` (``suppressed`` True
    marks a value withheld at source, whose value is empty and whose note says why).

    ``area_code`` selects the area's own observations and those of its LSOAs. With
    ``disclosure_controlled`` (the default, and always for viewers) figures of indicators under
    disclosure control follow the one decision the pages follow (``db.disclosure.published_figures``):
    see ``suppress_export``.
    """
    obs, ind, areas = schema.observations, schema.indicators, schema.areas
    statement = (
        select(obs.c.indicator_code, ind.c.name.label("indicator_name"), obs.c.area_code,
               areas.c.name.label("area_name"), areas.c.type.label("area_type"), obs.c.period_start,
               obs.c.period_end, obs.c.value, obs.c.numerator, obs.c.denominator, obs.c.status, obs.c.suppressed,
               obs.c.value_note, *[obs.c[name] for name in _LIMITS], ind.c.unit, ind.c.disclosure_control)
        .join(ind, ind.c.code == obs.c.indicator_code)
        .join(areas, areas.c.code == obs.c.area_code)
    )
    if indicator_code is not None:
        _require(engine, ind, indicator_code, "indicator")
        statement = statement.where(obs.c.indicator_code == indicator_code)
    if area_code is not None:
        _require(engine, areas, area_code, "area")
        members = select(schema.area_lsoas.c.lsoa_code).where(  # its LSOAs of the basis each row was reported on
            schema.area_lsoas.c.area_code == area_code, schema.area_lsoas.c.basis == obs.c.basis)
        statement = statement.where(or_(obs.c.area_code == area_code, obs.c.area_code.in_(members)))
    frame = _frame(engine, statement.order_by(obs.c.indicator_code, obs.c.area_code, obs.c.period_start))
    if disclosure_controlled:
        controlled = frame.loc[frame["disclosure_control"].astype(bool), "indicator_code"].unique()
        releases = [published_figures(engine, code).assign(indicator_code=code) for code in controlled]
        frame = suppress_export(frame, releases=pd.concat(releases) if releases else None)
    return frame[EXPORT_COLUMNS]


def _require(engine: Engine, table, code: str, noun: str) -> None:
    with engine.connect() as connection:
        found = connection.execute(select(table.c.code).where(table.c.code == code)).first()
    if found is None:
        raise NotFound(f"There is no {noun} with the code '{code}'.")


LSOA_WITHHELD = "withheld below ward level"


def suppress_export(frame: pd.DataFrame, *, releases: pd.DataFrame | None) -> pd.DataFrame:
    """Hide, in rows of indicators under disclosure control, what viewers may not see.

    ``frame`` needs indicator_code, area_code, period_start, value, numerator, denominator, unit and
    disclosure_control; ``releases`` is the decision (columns indicator_code, area_code, period_start,
    release, as ``db.disclosure.published_figures``), None when no row is controlled. As on the
    pages: a small count shows "<5"; a rate on a small count, or a figure hidden so that a small one
    cannot be worked out by subtraction, shows "[c]" (its numerator too); LSOA rows show
    "withheld below ward level" in value, numerator and denominator. A controlled row the decision
    does not cover is hidden as "[c]". Returns a copy.
    """
    frame = frame.copy()
    controlled = frame["disclosure_control"].astype(bool)
    decided = {} if releases is None else dict(zip(
        zip(releases["indicator_code"], releases["area_code"], releases["period_start"]), releases["release"],
        strict=True))
    keys = zip(frame["indicator_code"], frame["area_code"], frame["period_start"], strict=True)
    release = pd.Series([Release(decided.get(key, Release.SECONDARY)) if flag else Release.SHOWN
                         for key, flag in zip(keys, controlled, strict=True)], index=frame.index, dtype=object)
    hidden = release.map(lambda r: r.hidden)
    withheld = release.eq(Release.WITHHELD)
    marker = pd.Series([hidden_text(release=r, unit=u) if r.hidden else None
                        for r, u in zip(release, frame["unit"], strict=True)], index=frame.index, dtype=object)
    limits = [c for c in _LIMITS if c in frame.columns]  # a rate's limits would give a small count back
    for column in ("value", "numerator", *limits):
        frame[column] = frame[column].astype(object).where(~hidden, marker)
    for column in ("value", "numerator", "denominator", *limits):
        frame[column] = frame[column].astype(object).where(~withheld, LSOA_WITHHELD)
    return frame


# --- rollback ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RollbackResult:
    batch_id: int
    rollback_batch_id: int
    restored: int
    removed: int
    message: str


def rollback_batch(engine: Engine, batch_id: int, *, rolled_back_by: str) -> RollbackResult:
    """Restore exactly what was there before ``batch_id``; recorded as a batch of kind 'rollback'.

    Refused (``RollbackRefused``) when the batch was already rolled back, is itself a rollback or
    the seed, or when any row it wrote has been changed since (by a later batch or on the Data page):
    roll back the later change first.
    """
    with write_transaction(engine) as connection:
        held = stamp_of(connection)
        batch = _batch(connection, batch_id)
        _refuse_unless_undoable(batch)
        if batch["kind"] == "observations":
            plan = _observation_rollback_plan(connection, batch_id)
        else:
            plan = _record_rollback_plan(connection, batch_id)
        rollback_id = insert_batch(connection, kind="rollback", file_name=f"rollback of batch {batch_id}",
                                    sha256=sha256_of(f"rollback of batch {batch_id}".encode()), who=rolled_back_by,
                                    total=plan.restored + plan.removed, new=0, changed=plan.restored + plan.removed,
                                    unchanged=0, note=f"Undid batch {batch_id} ({batch['file_name']})")
        plan.apply(connection, rollback_id)
        connection.execute(update(schema.import_batches).where(schema.import_batches.c.id == batch_id).values(
            outcome="rolled_back",
            note=f"Rolled back by {rolled_back_by[:120]} on {format_date(now_utc().date())} (batch {rollback_id})"))
        # Undoing a catalogue import may change how an indicator adds up: every indicator is summed again.
        refresh_totals(connection, held=held,
                       indicator_codes=None if batch["kind"] == "indicators" else plan.indicators)
    refresh_planner_statistics(engine, TABLES_WRITTEN[batch["kind"]])  # a rollback can remove a million rows
    store_decisions(engine, batch_id=rollback_id, indicator_codes=plan.indicators)
    return RollbackResult(batch_id, rollback_id, plan.restored, plan.removed,
                          f"Rolled back batch {batch_id} ({batch['file_name']}): {_rows(plan.restored)} restored to "
                          f"their previous values and {_rows(plan.removed)} it had added removed.")


def _rows(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def _batch(connection: Connection, batch_id: int) -> dict:
    row = connection.execute(select(schema.import_batches).where(schema.import_batches.c.id == batch_id)
                             ).mappings().first()
    if row is None:
        raise NotFound(f"There is no import batch {batch_id}. The import log lists the batches.")
    return dict(row)


def _refuse_unless_undoable(batch: dict) -> None:
    if batch["outcome"] == "rolled_back":
        raise RollbackRefused(f"Batch {batch['id']} has already been rolled back ({batch['note']}).")
    if batch["kind"] == "rollback":
        raise RollbackRefused(f"Batch {batch['id']} is itself a rollback and cannot be undone. Import the file "
                              "again to put its rows back.")
    if batch["kind"] not in KINDS:
        raise RollbackRefused(f"Batch {batch['id']} is the {batch['kind']} data, which cannot be rolled back. "
                              "Use 'python -m db seed --replace' to reload the sample data.")


def _refuse_conflicts(batch_id: int, conflicts: list[str]) -> None:
    if conflicts:
        examples = "; ".join(conflicts[:3]) + (f"; and {len(conflicts) - 3} more" if len(conflicts) > 3 else "")
        raise RollbackRefused(f"Batch {batch_id} cannot be rolled back: {_rows(len(conflicts))} it wrote "
                              f"{'has' if len(conflicts) == 1 else 'have'} changed since ({examples}). Roll back the "
                              "later change first, or import a corrected file instead.")


@dataclass
class _RollbackPlan:
    restored: int
    removed: int
    steps: list
    indicators: tuple[str, ...] = ()  # whose observations it restores or removes

    def apply(self, connection: Connection, rollback_id: int) -> None:
        for step in self.steps:
            step(connection, rollback_id)


def _observation_rollback_plan(connection: Connection, batch_id: int) -> _RollbackPlan:
    obs, revisions = schema.observations, schema.observation_revisions
    key = [*OBSERVATION_KEY, "period_end"]
    result = connection.execute(
        select(revisions, obs.c.id.label("current_id"), obs.c.batch_id.label("current_batch"),
               *[obs.c[f].label(f"current_{f}") for f in OBSERVATION_FIELDS])
        .select_from(revisions.outerjoin(obs, and_(*[obs.c[k] == revisions.c[k] for k in key])))
        .where(revisions.c.replaced_by_batch_id == batch_id))
    rows = [dict(r) for r in result.mappings()]
    conflicts = [f"{r['indicator_code']} for {r['area_code']} from {format_date(r['period_start'])} was "
                 + (f"changed by batch {r['current_batch']}" if r["current_id"] else "removed")
                 for r in rows if r["current_batch"] != batch_id or r["current_id"] is None]
    _refuse_conflicts(batch_id, conflicts)
    removed = [r for r in rows if r["status"] is None]  # the batch created these
    restored = [r for r in rows if r["status"] is not None]

    def step(conn: Connection, rollback_id: int) -> None:
        now = now_utc()
        if rows:
            conn.execute(insert(revisions), [{
                **{k: r[k] for k in key}, **{f: r[f"current_{f}"] for f in OBSERVATION_FIELDS},
                "batch_id": batch_id, "replaced_by_batch_id": rollback_id, "replaced_at": now} for r in rows])
        if removed:
            conn.execute(delete(obs).where(obs.c.id.in_([r["current_id"] for r in removed])))
        if restored:
            conn.execute(update(obs).where(obs.c.id == bindparam("_id")),
                [{"_id": r["current_id"], **{f: r[f] for f in OBSERVATION_FIELDS}, "batch_id": r["batch_id"]}
                 for r in restored])

    return _RollbackPlan(len(restored), len(removed), [step], tuple(sorted({r["indicator_code"] for r in rows})))


def _in_use(connection: Connection, codes: list[str]) -> list[str]:
    """Indicator codes that observations, targets, linked actions or source mappings refer to."""
    if not codes:
        return []
    used: set[str] = set()
    for column in (schema.observations.c.indicator_code, schema.targets.c.indicator_code,
                   schema.action_indicators.c.indicator_code, schema.source_mappings.c.indicator_code):
        used |= set(connection.execute(select(column).where(column.in_(codes)).distinct()).scalars())
    return sorted(used)


def _record_rollback_plan(connection: Connection, batch_id: int) -> _RollbackPlan:
    revisions = connection.execute(
        select(schema.record_revisions).where(schema.record_revisions.c.batch_id == batch_id)
        .order_by(schema.record_revisions.c.id)).mappings().all()
    if not revisions:
        return _RollbackPlan(0, 0, [])
    kind = revisions[0]["kind"]
    afters = [json.loads(r["after_json"]) for r in revisions]
    current = {r["id"]: r for r in stored_records(connection, kind, ids=[a["id"] for a in afters])}
    conflicts = []
    for revision, after in zip(revisions, afters, strict=True):
        now = current.get(after["id"])
        if now is None or record_image(kind, now) != {k: after[k] for k in RECORD_FIELDS[kind]}:
            label = " ".join(str(v) for v in json.loads(revision["record_key"]).values())
            conflicts.append(f"{kind[:-1]} {label} was " + ("removed" if now is None else "changed"))
    if kind == "indicators":
        created = [after["id"] for revision, after in zip(revisions, afters, strict=True)
                   if revision["before_json"] is None]
        conflicts += [f"indicator {code} now holds values, targets or actions" for code in _in_use(connection, created)]
    _refuse_conflicts(batch_id, conflicts)

    def step(conn: Connection, rollback_id: int) -> None:
        key = record_key_column(kind)
        for revision, after in zip(revisions, afters, strict=True):
            before = None if revision["before_json"] is None else json.loads(revision["before_json"])
            now = current[after["id"]]
            if before is None:
                conn.execute(delete(key.table).where(key == after["id"]))
            else:
                extra = {}
                if kind == "actions":
                    stamp = before.get("updated_at")
                    extra = {"updated_at": datetime.fromisoformat(stamp) if stamp else None,
                             "updated_by": before.get("updated_by")}
                write_record(conn, kind, before, record_id=after["id"], plan_id=None, batch_id=before["batch_id"],
                             who="", extra=extra)
            conn.execute(insert(schema.record_revisions).values(
                batch_id=rollback_id, kind=kind, record_key=revision["record_key"],
                before_json=json.dumps(full_image(kind, now)),
                after_json=None if before is None else revision["before_json"], changed_at=now_utc()))

    removed = sum(1 for r in revisions if r["before_json"] is None)
    return _RollbackPlan(len(revisions) - removed, removed, [step])
