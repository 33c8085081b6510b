"""Write officers' data to the store: preview an upload and commit it in one transaction; save action progress.

Every write of officers' data (an upload, a rollback, action progress, a custom locality, a role)
runs in ``write_transaction``, which holds the store's write lock: ``BEGIN IMMEDIATE`` on SQLite, a
transaction-scoped advisory lock on PostgreSQL. Two imports at the same time therefore run one
after the other, and each works out what is new or changed inside its own transaction.

A committed upload is recorded as an ``import_batches`` row (file name, sha256, who, when, counts).
Nothing is overwritten silently: an observation's previous value goes to ``observation_revisions``
(a row with value NULL marks one the batch created) and a target's, action's or event's previous
state to ``record_revisions``, so that ``ingest.history.rollback_batch`` can restore exactly what was there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Integer, delete, func, insert, literal, select, update
from sqlalchemy.exc import OperationalError

from db import bulk, schema
from db.engine import describe_connection_error
from db.errors import DatabaseUnavailable, NotFound, StoreError
from db.disclosure import store_decisions
from db.totals import refresh_totals, stamp_of
from db.geography import describe_bases, lsoa_counts
from db.transactions import now_utc, refresh_planner_statistics, write_transaction
from ingest.filling import fill_absent_as_zero, fill_denominators
from ingest.reading import ReadOptions, Reading, factorize_pairs
from ingest.validation import KINDS, CheckedFile, ImportRejected, Reference, check_upload
from ingest.periods import period_end
from metrics.periods import format_date

OBSERVATION_KEY = ["indicator_code", "area_code", "period_start"]
OBSERVATION_FIELDS = ["value", "numerator", "denominator", "status", "suppressed", "value_note", "lower_limit",
                      "upper_limit", "unweighted_base"]
NUMBER_FIELDS = ["value", "numerator", "denominator", "lower_limit", "upper_limit", "unweighted_base"]
SAME_NUMBER = 1e-9
RowsProgress = Callable[[int, int], None]  # (rows written, rows to write)
Progress = Callable[[float, str], None]  # (fraction done, 0 to 1; what is being done, e.g. "Writing")
TABLES_WRITTEN = {  # what a committed import of each kind writes, for the planner's statistics
    "observations": ("observations", "observation_revisions", "import_batches"),
    "targets": ("targets", "record_revisions", "import_batches"),
    "actions": ("actions", "action_indicators", "record_revisions", "import_batches"),
    "events": ("events", "record_revisions", "import_batches"),
    "indicators": ("indicators", "record_revisions", "import_batches"),
}


# --- preview ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportPreview:
    """What committing a file would do. ``changed`` holds the current and the file's values side by side."""

    file_name: str
    sha256: str
    kind: str | None
    problems: tuple
    rows_total: int
    new: pd.DataFrame
    changed: pd.DataFrame
    unchanged: int
    previous_batch: dict | None
    reading: Reading | None = None  # the layout, sheet and rows read, and what was left out
    notes: tuple[str, ...] = ()  # what the import filled in: zeros for absent LSOAs, denominators
    basis_note: str = ""  # which census's LSOAs the file's LSOA rows were read on, e.g. "... 2021 LSOAs (488)."

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def has_changes(self) -> bool:
        return self.ok and (len(self.new) + len(self.changed)) > 0

    def summary(self) -> str:
        if not self.ok:
            count = len(self.problems)
            return (f"{self.file_name} has {count} problem{'' if count == 1 else 's'}; nothing can be imported "
                    "until they are fixed.")
        note = f" {self.basis_note}" if self.basis_note else ""
        if not self.has_changes:
            return _nothing_changed(self.file_name, self.rows_total, self.previous_batch) + note
        return (f"{self.file_name} holds {self.rows_total:,} {self.kind} rows: {len(self.new):,} new, "
                f"{len(self.changed):,} changed, {self.unchanged:,} unchanged.{note}")


@dataclass(frozen=True)
class ImportResult:
    batch_id: int | None
    kind: str
    rows_total: int
    rows_new: int
    rows_changed: int
    rows_unchanged: int
    message: str
    notes: tuple[str, ...] = ()


def _nothing_changed(file_name: str, rows: int, previous: dict | None) -> str:
    before = ""
    if previous:
        before = (f" It was imported before as batch {previous['id']} by {previous['imported_by']} on "
                  f"{format_date(previous['imported_at'])}.")
    return (f"Nothing to change: all {rows:,} rows of {file_name} are already in the database exactly as in the "
            f"file.{before}")


def preview_import(engine: Engine, content: bytes | Path, file_name: str, *, kind: str | None = None,
                   options: ReadOptions | None = None, progress: Progress | None = None) -> ImportPreview:
    """Check the file and compare it with the store, without writing anything. ``content``: the bytes of
    an upload, or the path of a file of any size (the command line). ``options``: the sheet and date
    order the officer chose (``ingest.reading.ReadOptions``); ``progress(fraction, stage)`` as it goes."""
    report = _Stages(progress)
    try:
        with engine.connect() as connection:
            checked = check_upload(connection, content, file_name, kind=kind, options=options,
                                   progress=report.reading)
            report("Comparing with the database", 0.5)
            if not checked.ok:
                empty = pd.DataFrame()
                return ImportPreview(file_name, checked.sha256, checked.kind, checked.problems, 0, empty, empty, 0,
                                     None, checked.reading)
            diff = _diff(connection, checked)
            previous = _previous_batch(connection, checked.sha256)
            note = (describe_bases(checked.rows["basis"], lsoa_counts(connection))
                    if "basis" in checked.rows.columns else "")
    except OperationalError as exc:
        raise DatabaseUnavailable(describe_connection_error(exc)) from None
    return ImportPreview(file_name, checked.sha256, checked.kind, (), diff.total, diff.new_view(),
                         diff.changed_view(), diff.unchanged, previous, checked.reading,
                         notes=getattr(diff, "notes", ()), basis_note=note)


def commit_import(engine: Engine, content: bytes | Path, file_name: str, *, imported_by: str,
                  kind: str | None = None, options: ReadOptions | None = None,
                  progress: Progress | None = None) -> ImportResult:
    """Check the file, then write it as one batch in one transaction. Raises ``ImportRejected`` for a bad file.

    ``content``: the bytes of an upload, or the path of a file of any size (the command line streams it).
    What is new or changed is worked out again under the write lock, so a preview made earlier
    (or a concurrent import) can never make this write the wrong thing. Observations are compared with
    the store a whole column at a time and written in bulk (``db.bulk``): a file that changes
    nothing writes nothing. ``progress(fraction, stage)`` is called as the import goes.
    """
    if not imported_by.strip():
        raise StoreError("An import must say who made it.")
    report = _Stages(progress)
    with engine.connect() as connection:
        checked = check_upload(connection, content, file_name, kind=kind, options=options, progress=report.reading)
    if not checked.ok:
        raise ImportRejected(file_name, checked.problems)
    report("Comparing with the database", 0.5)
    with write_transaction(engine) as connection:
        held = stamp_of(connection)
        diff = _diff(connection, checked)
        if not diff.new_count and not diff.changed_count:
            message = _nothing_changed(file_name, diff.total, _previous_batch(connection, checked.sha256))
            report("Done", 1.0)
            return ImportResult(None, checked.kind, diff.total, 0, 0, diff.unchanged, message)
        batch_id = insert_batch(connection, kind=checked.kind, file_name=file_name, sha256=checked.sha256,
                                 who=imported_by, total=diff.total, new=diff.new_count,
                                 changed=diff.changed_count, unchanged=diff.unchanged)
        report("Writing", 0.6)
        if isinstance(diff, ObservationDiff):
            diff.progress = report.writing
        diff.write(connection, batch_id, imported_by)
        report("Summing the areas' totals", 0.97)
        # A catalogue import may change how an indicator adds up: every indicator's totals are summed again.
        refresh_totals(connection, held=held,
                       indicator_codes=None if checked.kind == "indicators" else _indicators_written(diff),
                       periods=_periods_written(diff))
    report("Updating the database's statistics", 0.97)
    refresh_planner_statistics(engine, TABLES_WRITTEN[checked.kind])
    report("Deciding which small numbers to hide", 0.98)
    store_decisions(engine, batch_id=batch_id, indicator_codes=_indicators_written(diff))
    report("Done", 1.0)
    return ImportResult(batch_id, checked.kind, diff.total, diff.new_count, diff.changed_count, diff.unchanged,
                        f"Imported {file_name} as batch {batch_id}: {diff.new_count:,} new, {diff.changed_count:,} "
                        f"changed and {diff.unchanged:,} unchanged rows.", getattr(diff, "notes", ()))


def _indicators_written(diff) -> list[str]:
    """The indicators whose observations a committed diff wrote (none for other kinds of file)."""
    if not isinstance(diff, ObservationDiff):
        return []
    rows = diff.rows
    return sorted(set(rows.loc[rows["state"].isin(["new", "changed"]), "indicator_code"]))


def _periods_written(diff) -> dict[str, list[date]]:
    """The period starts a committed diff wrote observations for, by indicator (none for other kinds)."""
    if not isinstance(diff, ObservationDiff):
        return {}
    written = diff.rows.loc[diff.rows["state"].isin(["new", "changed"]), ["indicator_code", "period_start"]]
    starts = pd.to_datetime(written["period_start"]).dt.date
    return {code: sorted(set(days)) for code, days in starts.groupby(written["indicator_code"])}


class _Stages:
    """Turns each stage's own progress into one fraction for ``Progress``: reading the file to 0.4,
    checking to 0.5, comparing to 0.6, writing to 0.97, then the planner's statistics."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress

    def __call__(self, stage: str, fraction: float) -> None:
        if self.progress is not None:
            self.progress(min(1.0, max(0.0, fraction)), stage)

    def reading(self, fraction: float) -> None:
        self("Reading the file" if fraction < 1 else "Checking every row", 0.4 * fraction)

    def writing(self, rows: int, total: int) -> None:
        self("Writing", 0.6 + 0.37 * rows / max(total, 1))


def insert_batch(connection: Connection, *, kind: str, file_name: str, sha256: str, who: str, total: int,
                  new: int, changed: int, unchanged: int, note: str | None = None) -> int:
    return connection.execute(insert(schema.import_batches).values(
        kind=kind, file_name=file_name[:255], sha256=sha256, imported_by=who[:200], imported_at=now_utc(),
        rows_total=total, rows_new=new, rows_changed=changed, rows_unchanged=unchanged, outcome="committed",
        note=note,
    )).inserted_primary_key[0]


def _previous_batch(connection: Connection, sha256: str) -> dict | None:
    batches = schema.import_batches
    row = connection.execute(
        select(batches.c.id, batches.c.imported_by, batches.c.imported_at)
        .where(batches.c.sha256 == sha256, batches.c.outcome == "committed")
        .order_by(batches.c.id.desc())
    ).mappings().first()
    return dict(row) if row else None


def _diff(connection: Connection, checked: CheckedFile):
    absent = [name for name in KINDS[checked.kind].columns if name not in checked.columns]
    if checked.kind == "observations":
        return ObservationDiff.build(connection, checked.rows, checked.reference, absent)
    return RecordDiff.build(connection, checked.kind, checked.rows, checked.reference, absent)


# --- observations -----------------------------------------------------------------------------------------


def _plain(value):
    """Python scalars for drivers: NaN/NaT -> None, numpy numbers -> float."""
    if value is None or (not isinstance(value, str | tuple) and pd.isna(value)):
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.floating | np.integer):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    a, b = a.astype("float64"), b.astype("float64")
    return (a.isna() & b.isna()) | ((a - b).abs() <= SAME_NUMBER * np.maximum(1.0, b.abs()))


def _with_period_ends(rows: pd.DataFrame, ref: Reference, start: str, end: str, *,
                      as_days: bool = True) -> pd.DataFrame:
    """``rows`` with ``end`` worked out from ``start`` and the indicator's frequency, once per distinct pair.
    ``as_days``: both as ``datetime.date`` objects; else both stay ``datetime64`` (quicker for many rows)."""
    frequency = bulk.map_values(rows["indicator_code"], ref.indicators["frequency"].to_dict())
    keys, pairs = factorize_pairs(rows[start], frequency)
    ends = pd.to_datetime([period_end(first.date(), frequency=freq) for first, freq in pairs]).to_numpy()
    rows = rows.assign(**{end: pd.Series(ends[keys] if len(keys) else ends[:0], index=rows.index,
                                         dtype="datetime64[ns]")})  # not a copy of every column
    if as_days:
        rows = rows.assign(**{start: rows[start].dt.date, end: rows[end].dt.date})
    return rows


def _left_out(merged: pd.DataFrame, ref: Reference, absent: list[str]) -> pd.DataFrame:
    """What a left-out column means: the stored denominator or status; a count's value as its numerator;
    a weighted survey's denominator as its unweighted base."""
    for name in {"denominator", "status"} & set(absent):
        keep = merged["id"].notna() & merged[f"{name}_now"].notna()
        merged[name] = merged[f"{name}_now"].where(keep, merged[name])
    if "numerator" in absent:
        counts = bulk.map_values(merged["indicator_code"], ref.indicators["aggregation"].to_dict()) == "sum"
        merged["numerator"] = merged["value"].where(counts, merged["numerator"])
    estimate = bulk.map_values(merged["indicator_code"], ref.indicators["estimate_type"].to_dict())
    survey = estimate == "weighted_survey_percent"
    merged["unweighted_base"] = merged["unweighted_base"].where(~survey | merged["unweighted_base"].notna(),
                                                                merged["denominator"])
    return merged


def _same_as_stored(merged: pd.DataFrame) -> pd.Series:
    same = merged["status"] == merged["status_now"]
    for name in NUMBER_FIELDS:
        same &= _same(merged[name], merged[f"{name}_now"])
    same &= merged["suppressed"] == merged["suppressed_now"].fillna(False).astype(bool)
    return same & (merged["value_note"].fillna("") == merged["value_note_now"].fillna(""))


@dataclass
class ObservationDiff:
    rows: pd.DataFrame  # the file's rows with id and the stored values (suffix _now), and state
    notes: tuple[str, ...] = ()
    progress: RowsProgress | None = None  # told (rows written, rows to write) as ``write`` goes

    @classmethod
    def build(cls, connection: Connection, typed: pd.DataFrame, ref: Reference,
              absent: list[str]) -> ObservationDiff:
        """``absent``: columns the file leaves out. A left-out denominator or status keeps the stored one
        (a new row gets none, and 'final'); a left-out numerator of a count is the value itself. Absent
        LSOAs of incident-list counts are filled with 0, and counts with no denominator get the population
        held for their area (``ingest.filling``); ``notes`` say so."""
        typed, zero_note = fill_absent_as_zero(connection, typed, ref)
        rows = _with_period_ends(typed, ref, "period_start", "period_end", as_days=False)
        rows["row"] = pd.array(rows.index, dtype="Int64")
        rows.loc[rows["filled"], "row"] = pd.NA
        stored = _stored_observations(connection, rows)
        merged = _left_out(rows.merge(stored, on=OBSERVATION_KEY, how="left", suffixes=("", "_now")), ref, absent)
        merged, denominator_note = fill_denominators(connection, merged, ref)
        merged["status"] = merged["status"].fillna("final")
        merged["suppressed"] = merged["suppressed"].fillna(False).astype(bool)
        held = merged["suppressed_now"]
        merged["suppressed_now"] = pd.Series(np.where(held.isna(), None, held.fillna(0).astype(bool)),
                                             index=merged.index, dtype=object)
        same = _same_as_stored(merged)
        merged["state"] = np.where(merged["id"].isna(), "new", np.where(same, "unchanged", "changed"))
        return cls(merged, tuple(note for note in (zero_note, denominator_note) if note))

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def new_count(self) -> int:
        return int((self.rows["state"] == "new").sum())

    @property
    def changed_count(self) -> int:
        return int((self.rows["state"] == "changed").sum())

    @property
    def unchanged(self) -> int:
        return int((self.rows["state"] == "unchanged").sum())

    def _shown_fields(self, rows: pd.DataFrame) -> list[str]:
        """The four basic fields, and any of the others that some row holds (before or after)."""
        extra = [n for n in OBSERVATION_FIELDS[4:] if _holds_any(rows[n]) or _holds_any(rows[f"{n}_now"])]
        return [*OBSERVATION_FIELDS[:4], *extra]

    def new_view(self) -> pd.DataFrame:
        new = self.rows[self.rows["state"] == "new"]
        columns = ["row", *OBSERVATION_KEY, "period_end", *self._shown_fields(new)]
        return _with_days(new[columns]).reset_index(drop=True)

    def changed_view(self) -> pd.DataFrame:
        changed = self.rows[self.rows["state"] == "changed"]
        view = _with_days(changed[["row", *OBSERVATION_KEY]])
        for name in self._shown_fields(changed):
            view[f"{name} now"] = changed[f"{name}_now"]
            view[f"{name} in file"] = changed[name]
        return view.reset_index(drop=True)

    def write(self, connection: Connection, batch_id: int, who: str) -> None:
        """Record what the batch replaces, then update the changed rows and append the new ones, in bulk
        (``db.bulk``); ``self.progress(rows written, rows to write)`` after each step.

        The revision rows that mark observations the batch created are copied inside the database from
        the new rows themselves (``record_created``), so they never pass through Python or the driver."""
        rows = self.rows.sort_values([*OBSERVATION_KEY])  # key order: the indexes' pages fill in sequence
        new = rows[rows["state"] == "new"]
        changed = rows[rows["state"] == "changed"].sort_values("id")  # row order: each table page visited once
        key = [*OBSERVATION_KEY, "period_end"]
        now = now_utc()
        basis = ["basis"] if "basis" in rows.columns else []  # the LSOA census basis the file reported on
        total = 2 * len(new) + 2 * len(changed)
        tick = _ticker(self.progress, total)
        previous = changed[key].assign(**{name: changed[f"{name}_now"] for name in OBSERVATION_FIELDS},
                                       batch_id=changed["batch_id"], replaced_by_batch_id=batch_id, replaced_at=now)
        with bulk.roomy_cache(connection):
            bulk.insert_frame(connection, schema.observation_revisions, previous, progress=tick(0))
            written = len(changed)
            bulk.insert_frame(connection, schema.observations,
                              new[[*key, *OBSERVATION_FIELDS, *basis]].assign(batch_id=batch_id),
                              progress=tick(written))
            written += len(new)
            record_created(connection, batch_id, now)  # before the update below gives changed rows this batch
            written += len(new)
            if self.progress is not None:
                self.progress(written, total)
            if len(changed):
                bulk.update_frame(connection, schema.observations, changed[[*OBSERVATION_FIELDS, *basis]].assign(
                    batch_id=batch_id, id=changed["id"].astype("int64")), progress=tick(written))


def record_created(connection: Connection, batch_id: int, replaced_at: datetime) -> int:
    """Write a revision row marking each observation that holds ``batch_id`` as created by that batch
    (status NULL: the observation did not exist before; a value may itself be NULL), in one
    ``INSERT ... SELECT``. Call it after inserting the batch's new observations and before giving any
    changed observation the batch's id. Returns the number of rows written."""
    obs, revisions = schema.observations, schema.observation_revisions
    key = [*OBSERVATION_KEY, "period_end"]
    created = select(*[obs.c[k] for k in key], literal(batch_id, Integer),
                     literal(replaced_at, revisions.c.replaced_at.type)).where(obs.c.batch_id == batch_id)
    return connection.execute(insert(revisions).from_select(
        [*key, "replaced_by_batch_id", "replaced_at"], created.order_by(obs.c.id))).rowcount


def _ticker(progress: RowsProgress | None, total: int):
    """``tick(offset)`` -> a rows-written callback for ``ingest.bulk`` that reports ``offset + rows`` of ``total``."""
    def tick(offset: int):
        return None if progress is None else (lambda rows: progress(offset + rows, total))
    return tick


def _holds_any(column: pd.Series) -> bool:
    """True when some cell holds something other than empty, 0 or False (a field worth showing)."""
    held = column.dropna()
    return bool((held != False).any())  # noqa: E712 - 0 and False both count as nothing held


def _with_days(frame: pd.DataFrame) -> pd.DataFrame:
    """Period columns as ``datetime.date`` objects, as the preview shows them."""
    frame = frame.copy()
    for name in ("period_start", "period_end"):
        if name in frame.columns and pd.api.types.is_datetime64_any_dtype(frame[name]):
            frame[name] = frame[name].dt.date
    return frame


_AREA_FILTER_LIMIT = 900  # more distinct areas than this: fetch the indicators' periods and let the merge choose


def _stored_observations(connection: Connection, rows: pd.DataFrame) -> pd.DataFrame:
    """The stored observations of the rows' indicators over their periods (and areas, when few), with
    period_start as ``datetime64`` so that they merge with the file's rows. Read in bulk (``bulk.select_frame``)."""
    columns = ["id", *OBSERVATION_KEY, *OBSERVATION_FIELDS, "batch_id"]
    indicators, areas = sorted(rows["indicator_code"].dropna().unique()), sorted(rows["area_code"].dropna().unique())
    first, last = rows["period_start"].min(), rows["period_start"].max()
    days = [pd.Timestamp(first).date(), pd.Timestamp(last).date()]
    if connection.dialect.name == "sqlite":
        days = [d.isoformat() for d in days]
    where = [f"indicator_code IN ({', '.join('?' * len(indicators))})", "period_start BETWEEN ? AND ?"]
    params = [*indicators, *days]
    if len(areas) <= _AREA_FILTER_LIMIT:
        where.append(f"area_code IN ({', '.join('?' * len(areas))})")
        params += areas
    stored = bulk.select_frame(connection, schema.observations, columns, " AND ".join(where), params)
    stored["period_start"] = pd.to_datetime(stored["period_start"], format="ISO8601").astype("datetime64[ns]")
    for name in NUMBER_FIELDS:
        stored[name] = pd.to_numeric(stored[name]).astype("float64")
    return stored


# --- targets, actions, events, indicators -----------------------------------------------------------------

RECORD_FIELDS = {
    "targets": ["baseline_period_start", "baseline_period_end", "baseline_value", "target_value", "target_date",
                "tolerance", "tolerance_type", "description"],
    "actions": ["title", "lead", "theme", "start_date", "due_date", "percent_complete", "status", "commentary",
                "linked_indicators"],
    "events": ["description"],
    "indicators": ["name", "theme", "definition", "source", "unit", "polarity", "frequency", "aggregation",
                   "collection_geography", "disclosure_control", "staleness_days", "missing_means_zero",
                   "estimate_type"],
}
RECORD_TABLES = {"targets": schema.targets, "actions": schema.actions, "events": schema.events,
                 "indicators": schema.indicators}
INDICATOR_DEFAULTS = {"disclosure_control": False, "missing_means_zero": False, "estimate_type": "counted"}


def record_key_column(kind: str):
    """The column that identifies a stored record: the indicator code, else the row id."""
    table = RECORD_TABLES[kind]
    return table.c.code if kind == "indicators" else table.c.id


def _json_value(value):
    value = _plain(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ";".join(sorted(value))
    return value


def record_image(kind: str, row: dict) -> dict:
    """The fields of a target, action or event that an upload sets, as JSON-ready values."""
    return {name: _json_value(row.get(name)) for name in RECORD_FIELDS[kind]}


@dataclass
class RecordDiff:
    kind: str
    items: list[dict]  # key, row (file), stored (dict or None), state

    @classmethod
    def build(cls, connection: Connection, kind: str, typed: pd.DataFrame, ref: Reference,
              absent: list[str]) -> RecordDiff:
        """``absent``: optional columns the file leaves out, which keep their stored values."""
        rows = typed.copy()
        if kind == "targets":
            rows = _with_period_ends(rows, ref, "baseline_period_start", "baseline_period_end")
        spec = KINDS[kind]
        stored = {tuple(_json_value(s[k]) for k in spec.key): s for s in stored_records(connection, kind, rows)}
        items = []
        for row_number, values in zip(rows.index, rows.to_dict("records"), strict=True):
            key = tuple(_json_value(values[k]) for k in spec.key)
            before = stored.get(key)
            if before is not None:
                values |= {name: before[name] for name in absent
                           if name in RECORD_FIELDS[kind] and name != "baseline_period_end"}  # that one is derived
            if kind == "indicators":
                values |= {name: default for name, default in INDICATOR_DEFAULTS.items()
                           if _plain(values.get(name)) is None}
            state = "new" if before is None else (
                "unchanged" if record_image(kind, before) == record_image(kind, values) else "changed")
            items.append({"row": int(row_number), "key": dict(zip(spec.key, key, strict=True)), "file": values,
                          "stored": before, "state": state})
        return cls(kind, items)

    def _count(self, state: str) -> int:
        return sum(1 for item in self.items if item["state"] == state)

    total = property(lambda self: len(self.items))
    new_count = property(lambda self: self._count("new"))
    changed_count = property(lambda self: self._count("changed"))
    unchanged = property(lambda self: self._count("unchanged"))

    def new_view(self) -> pd.DataFrame:
        return pd.DataFrame([{"row": i["row"], **i["key"], **record_image(self.kind, i["file"])}
                             for i in self.items if i["state"] == "new"])

    def changed_view(self) -> pd.DataFrame:
        rows = []
        for item in (i for i in self.items if i["state"] == "changed"):
            now, file = record_image(self.kind, item["stored"]), record_image(self.kind, item["file"])
            row = {"row": item["row"], **item["key"]}
            for name in RECORD_FIELDS[self.kind]:
                if now[name] != file[name]:
                    row[f"{name} now"], row[f"{name} in file"] = now[name], file[name]
            rows.append(row)
        return pd.DataFrame(rows)

    def write(self, connection: Connection, batch_id: int, who: str) -> None:
        ref_plans = None
        for item in self.items:
            if item["state"] == "unchanged":
                continue
            if ref_plans is None:
                ref_plans = dict(connection.execute(select(schema.action_plans.c.area_code,
                                                           schema.action_plans.c.id)).all())
            before = item["stored"]
            record_id = write_record(connection, self.kind, item["file"], record_id=before and before["id"],
                                     plan_id=ref_plans.get(item["key"].get("area_code")), batch_id=batch_id, who=who)
            after = {**record_image(self.kind, item["file"]), "id": record_id, "batch_id": batch_id}
            connection.execute(insert(schema.record_revisions).values(
                batch_id=batch_id, kind=self.kind, record_key=json.dumps(item["key"]),
                before_json=None if before is None else json.dumps(full_image(self.kind, before)),
                after_json=json.dumps(after), changed_at=now_utc()))


def full_image(kind: str, stored: dict) -> dict:
    image = {**record_image(kind, stored), "id": stored["id"], "batch_id": stored.get("batch_id")}
    if kind == "actions":
        image |= {"updated_at": _json_value(stored.get("updated_at")), "updated_by": stored.get("updated_by")}
    return image


def stored_records(connection: Connection, kind: str, rows: pd.DataFrame | None = None,
                   ids: list[int] | None = None) -> list[dict]:
    """Targets, actions, events or indicators as dicts with the upload's field names, for the rows' areas
    (indicators: codes) or ``ids``."""
    plans = schema.action_plans
    if kind == "targets":
        t = schema.targets
        statement = select(t, plans.c.area_code).join(plans, plans.c.id == t.c.plan_id)
        area_column = plans.c.area_code
    elif kind == "actions":
        a, links = schema.actions, schema.action_indicators
        linked = select(links.c.action_id, func.aggregate_strings(links.c.indicator_code, ";").label("links")
                        ).group_by(links.c.action_id).subquery()
        statement = (select(a, a.c.ref.label("action_ref"), plans.c.area_code, linked.c.links)
                     .join(plans, plans.c.id == a.c.plan_id).outerjoin(linked, linked.c.action_id == a.c.id))
        area_column = plans.c.area_code
    elif kind == "indicators":
        statement, area_column = select(schema.indicators), schema.indicators.c.code
    else:
        e = schema.events
        statement, area_column = select(e), e.c.area_code
    key = record_key_column(kind)
    if ids is not None:
        statement = statement.where(key.in_(ids))
    else:
        statement = statement.where(area_column.in_(sorted(set(rows["code" if kind == "indicators" else "area_code"]))))
    records = [dict(r) for r in connection.execute(statement.order_by(key.desc())).mappings()]
    for record in records:
        if kind == "actions":
            record["linked_indicators"] = tuple(sorted(filter(None, (record.pop("links") or "").split(";"))))
        if kind == "indicators":
            record["id"] = record["code"]
    return records


def write_record(connection: Connection, kind: str, values: dict, *, record_id: int | None, plan_id: int | None,
                 batch_id: int, who: str, extra: dict | None = None) -> int:
    """Insert (``record_id`` None) or update one target, action or event; returns its id."""
    table = RECORD_TABLES[kind]
    image = {name: _plain(values.get(name)) for name in RECORD_FIELDS[kind] if name != "linked_indicators"}
    for name in ("baseline_period_start", "baseline_period_end", "target_date", "start_date", "due_date",
                 "event_date"):
        if isinstance(image.get(name), str):
            image[name] = date.fromisoformat(image[name])
    if kind == "actions":
        image |= {"updated_at": now_utc(), "updated_by": who[:200]}
    image |= extra or {}
    if kind == "indicators":  # the catalogue has no batch column: its history is in record_revisions
        image["staleness_days"] = int(image["staleness_days"])
    else:
        image["batch_id"] = batch_id
    if record_id is None:
        keys = {"targets": {"plan_id": plan_id, "indicator_code": values.get("indicator_code")},
                "actions": {"plan_id": plan_id, "ref": values.get("action_ref")},
                "events": {"area_code": values.get("area_code"), "event_date": _plain(values.get("event_date")),
                           "title": values.get("title")},
                "indicators": {"code": values.get("code")}}[kind]
        record_id = connection.execute(insert(table).values(**keys, **image)).inserted_primary_key[0]
    else:
        connection.execute(update(table).where(record_key_column(kind) == record_id).values(**image))
    if kind == "actions" and "linked_indicators" in values:
        links = values["linked_indicators"]
        codes = links.split(";") if isinstance(links, str) else list(links or ())
        connection.execute(delete(schema.action_indicators).where(schema.action_indicators.c.action_id == record_id))
        if any(codes):
            connection.execute(insert(schema.action_indicators),
                               [{"action_id": record_id, "indicator_code": c} for c in codes if c])
    return record_id


# --- action progress -------------------------------------------------------------------------------------

EDITABLE_ACTION_FIELDS = ("percent_complete", "status", "commentary")


class EditRejected(StoreError):
    """Edits to actions that cannot be saved; the message lists every reason."""


def save_action_progress(engine: Engine, changes: dict[int, dict[str, object]], *, changed_by: str) -> int:
    """Save edits ``{action_id: {field: new value}}`` to percent complete, status and commentary.

    Each field that really changes is recorded in ``action_updates`` with who and when, and the
    action's ``updated_at``/``updated_by`` are set. Returns the number of fields changed. Nothing is
    saved if any edit is invalid (``EditRejected`` lists them all).
    """
    cleaned = {int(action_id): {name: _clean_edit(name, value) for name, value in fields.items()}
               for action_id, fields in changes.items()}
    reasons = [f"action {action_id}: {value.reason}" for action_id, fields in cleaned.items()
               for value in fields.values() if isinstance(value, _Invalid)]
    if reasons:
        raise EditRejected("Nothing was saved. " + "; ".join(reasons) + ".")
    actions = schema.actions
    changed = 0
    with write_transaction(engine) as connection:
        current = {r["id"]: r for r in connection.execute(
            select(actions.c.id, *[actions.c[f] for f in EDITABLE_ACTION_FIELDS])
            .where(actions.c.id.in_(list(cleaned)))).mappings()}
        missing = sorted(set(cleaned) - set(current))
        if missing:
            raise NotFound(f"There is no action with id {', '.join(map(str, missing))}; reload the page.")
        now = now_utc()
        for action_id, fields in cleaned.items():
            diffs = {f: v for f, v in fields.items() if not _same_value(current[action_id][f], v)}
            if not diffs:
                continue
            connection.execute(insert(schema.action_updates), [
                {"action_id": action_id, "field": f, "old_value": _as_text(current[action_id][f]),
                 "new_value": _as_text(v), "changed_by": changed_by[:200], "changed_at": now}
                for f, v in diffs.items()])
            connection.execute(update(actions).where(actions.c.id == action_id).values(
                **diffs, updated_at=now, updated_by=changed_by[:200]))
            changed += len(diffs)
    return changed


@dataclass(frozen=True)
class _Invalid:
    reason: str


def _clean_edit(name: str, value: object):
    if name not in EDITABLE_ACTION_FIELDS:
        return _Invalid(f"{name} cannot be changed here")
    if name == "percent_complete":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return _Invalid("percent complete must be a number")
        return number if 0 <= number <= 100 else _Invalid("percent complete must be between 0 and 100")
    if name == "status":
        status = str(value or "").strip().lower().replace(" ", "_")
        return status if status in schema.ACTION_STATUSES else _Invalid(
            f"status must be one of {', '.join(schema.ACTION_STATUSES)}")
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    return text[:5_000] or None


def _same_value(old: object, new: object) -> bool:
    if isinstance(old, float | int) and isinstance(new, float | int):
        return abs(float(old) - float(new)) < SAME_NUMBER
    return (old or None) == (new or None)


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    return f"{value:g}" if isinstance(value, float) else str(value)
