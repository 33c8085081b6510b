"""Check an uploaded file completely before anything is written.

Every problem is reported at once, as rows of (row, column, value, reason), with row numbers as a
spreadsheet shows them (the header is row 1) and reasons that say how to put it right. Checks run
in three layers; a layer that cannot run (no header, missing columns) stops the ones after it:

1. the file: size, CSV or Excel, text encoding, header, columns missing, unknown or repeated;
2. the cells: numbers, dates and choices parsed, required cells filled, lengths; then a pandera
   schema for ranges and rules between columns (numerator not above denominator, due after start);
3. the store: codes it holds, periods that fit the indicator's frequency, areas at the indicator's
   geography, values consistent with numerator and denominator, keys repeated within the file.

Missing, zero and suppressed are told apart here. A value cell holding a publisher's suppression
marker (``SUPPRESSION_MARKERS``, or ``<5``), or left empty with a ``value_note``, gives a row with
``suppressed`` True and no value; numerator 0 and denominator 0 with no value is a row with no eligible
population; any other empty value is a problem. Published estimates (``indicators.estimate_type``) are
held as published: their numerator and denominator need not divide to the value, but the value must
lie within its published limits, and they may be given for any area (they are never added up).

CSV may be UTF-8 (with or without a byte-order mark), Windows-1252 (as Excel saves "CSV") or
UTF-16 with a byte-order mark, separated by commas, semicolons or tabs. Excel means .xlsx or .xlsm;
the sheet with a recognised header is read (``ingest.reading``), and files in a source's own layout
(police.uk, OHID Fingertips) are converted to observation rows first (``ingest.sources``). Dates and
periods are read as sources write them (``ingest.periods``): slashed dates day first unless the
officer confirms month first; a column that can only be month first is refused as a whole. Columns
no layout knows are ignored with a note, not refused.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from sqlalchemy import Connection, func, select

from db import schema
from db.bulk import map_values
from db.errors import DataFileError
from db.geography import current_ward_codes, resolve_area_codes
from ingest.periods import PeriodError, period_end
from ingest.reading import (
    ReadOptions,
    Reading,
    action_status,
    canonical_theme,
    day_first_note,
    factorize_pairs,
    parse_dates,
    parse_periods,
    read_upload,
)
from ingest.templates import KINDS, Field, KindSpec, RawTable, UnreadableFile
from metrics.aggregate import multiplier_for_unit
from metrics.periods import format_date

RATIO_TOLERANCE = 0.05  # a value rounded to one decimal place still matches its numerator and denominator


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload. ``row`` is the spreadsheet row (1 = header), None for the file."""

    row: int | None
    column: str
    value: str
    reason: str


class ImportRejected(DataFileError):
    """The file has problems, so nothing was written; ``problems`` lists every one."""

    def __init__(self, file_name: str, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"{file_name} has {len(problems)} {noun}; nothing was imported. "
                         "Correct the file and upload it again.")


@dataclass(frozen=True)
class Reference:
    """What the store holds that an upload is checked against."""

    indicators: pd.DataFrame  # index code; columns unit, frequency, aggregation, collection_geography, theme,
    #                           missing_means_zero, estimate_type
    area_types: dict[str, str]
    plan_ids: dict[str, int]
    values_held: dict[str, int] = field(default_factory=dict)  # observations per indicator (indicator uploads)

    @property
    def themes(self) -> list[str]:
        return sorted(set(self.indicators["theme"]))


def load_reference(connection: Connection) -> Reference:
    ind = schema.indicators
    rows = connection.execute(select(ind.c.code, ind.c.unit, ind.c.frequency, ind.c.aggregation,
                                     ind.c.collection_geography, ind.c.theme, ind.c.missing_means_zero,
                                     ind.c.estimate_type)).all()
    indicators = pd.DataFrame(rows, columns=["code", "unit", "frequency", "aggregation", "collection_geography",
                                             "theme", "missing_means_zero", "estimate_type"]).set_index("code")
    areas = dict(connection.execute(select(schema.areas.c.code, schema.areas.c.type)).all())
    plans = schema.action_plans
    plan_ids: dict[str, int] = {}
    for area_code, plan_id in connection.execute(select(plans.c.area_code, plans.c.id).order_by(plans.c.id)):
        plan_ids.setdefault(area_code, plan_id)  # the first plan of an area is the one uploads refer to
    return Reference(indicators=indicators, area_types=areas, plan_ids=plan_ids)


def _values_held(connection: Connection) -> dict[str, int]:
    obs = schema.observations
    return dict(connection.execute(select(obs.c.indicator_code, func.count()).group_by(obs.c.indicator_code)).all())


@dataclass(frozen=True)
class CheckedFile:
    """An upload after checking: ``rows`` are typed (index = spreadsheet row) when there are no problems."""

    file_name: str
    sha256: str
    kind: str | None
    rows: pd.DataFrame
    problems: tuple[Problem, ...] = field(default=())
    reference: Reference | None = None
    columns: tuple[str, ...] = ()  # the kind's columns the file has: a left-out optional column changes nothing
    reading: Reading | None = None  # layout, sheet, rows read, notes; ``reading.report.incident_list`` marks a
    # file listing incidents, where an LSOA with no row had none

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def from_incident_list(self) -> bool:
        """True for a file listing incidents (police.uk): an LSOA with no row had none, so it may be filled with 0."""
        return bool(self.reading and self.reading.report and self.reading.report.incident_list)


def sha256_of(content: bytes | Path) -> str:
    """Hex SHA-256 of bytes, or of a file read a megabyte at a time."""
    if not isinstance(content, Path):
        return hashlib.sha256(content).hexdigest()
    digest = hashlib.sha256()
    with content.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def check_upload(connection: Connection, content: bytes | Path, file_name: str, *, kind: str | None = None,
                 options: ReadOptions | None = None, progress: Callable[[float], None] | None = None) -> CheckedFile:
    """Check ``content`` (the bytes of ``file_name``, or the path of a file of any size from the command
    line) completely; never writes. ``options``: the sheet to read and the order of slashed dates, as the
    officer chose them (default: found, and day first). ``progress(fraction of the file read)``."""
    options = options or ReadOptions()
    if kind is not None and kind not in KINDS:
        raise DataFileError(f"Unknown kind '{kind}': choose one of {', '.join(KINDS)}.")
    digest = sha256_of(content)
    try:
        upload = read_upload(connection, content, file_name, kind=kind, options=options, progress=progress)
    except UnreadableFile as exc:
        reading = Reading("", 0, sheet=exc.sheet, sheets=exc.sheets) if exc.sheets else None
        return CheckedFile(file_name, digest, kind, pd.DataFrame(), (Problem(exc.row, "", "", str(exc)),),
                           reading=reading)
    table, reading = upload.table, upload.reading
    kind, problems, columns_missing = _check_header(table, upload.kind)
    problems += [Problem(*p) for p in upload.problems]
    problems += [Problem(row, "", "", f"This row has {n} values but the header has {len(table.columns)} columns. "
                         "Check for a comma inside a cell that is not in quotation marks, or a stray value.")
                 for row, n in table.ragged]
    problems += [Problem(row, column, "", "This cell holds a formula with no saved result (the workbook was made by "
                         "a program and never opened in Excel). Open and save it in Excel, then upload it again.")
                 for row, column in table.formulas]
    if kind is None or columns_missing or upload.problems:  # a source that cannot be converted stops here
        return CheckedFile(file_name, digest, kind, pd.DataFrame(), _sorted(problems, None), reading=reading)
    spec = KINDS[kind]
    reading = _described(reading, table, spec, options)
    reference = load_reference(connection)
    typed, cell_problems = _parse_cells(table.frame, spec, reference, options)
    problems += cell_problems
    if kind == "indicators":
        reference = replace(reference, values_held=_values_held(connection))
    elif kind == "observations":
        problems += _resolve_areas(connection, typed, table.frame)
    elif "area_code" in typed.columns:  # an event, target or action filed under a retired ward code
        typed["area_code"] = current_ward_codes(connection, typed["area_code"])
    problems += _schema_problems(typed, table.frame, spec, reference)
    problems = _sorted(problems, spec)
    present = tuple(c for c in spec.columns if c in table.frame.columns)
    return CheckedFile(file_name, digest, kind, typed if not problems else pd.DataFrame(), problems, reference,
                       present, reading)


def problems_frame(problems: tuple[Problem, ...] | list[Problem]) -> pd.DataFrame:
    """Columns: row, column, value, reason (row is empty for a problem with the whole file)."""
    frame = pd.DataFrame([p.__dict__ for p in problems], columns=["row", "column", "value", "reason"])
    frame["row"] = frame["row"].astype("Int64")
    return frame


def _sorted(problems: list[Problem], spec: KindSpec | None) -> tuple[Problem, ...]:
    order = {name: i for i, name in enumerate(spec.columns)} if spec else {}
    unique = list(dict.fromkeys(problems))
    return tuple(sorted(unique, key=lambda p: (p.row or 0, order.get(p.column, len(order)), p.column)))


# --- layer 1: the header ---------------------------------------------------------------------------------


def detect_kind(columns: list[str]) -> str | None:
    """The kind whose required columns are all in the header, else the one sharing most columns.

    Example:
        >>> detect_kind(["area_code", "event_date", "title"])
        'events'
    """
    present = set(columns)
    complete = [k for k, spec in KINDS.items() if set(spec.required_columns) <= present]
    if len(complete) == 1:
        return complete[0]
    overlap = {k: len(present & set(spec.columns)) for k, spec in KINDS.items()}
    best = max(overlap.values())
    leaders = [k for k, n in overlap.items() if n == best]
    if best < 3 or len(leaders) > 1:
        return None
    return leaders[0]


def _check_header(table: RawTable, kind: str | None) -> tuple[str | None, list[Problem], bool]:
    """The kind (given or told from the header), the header's problems, and whether columns are missing."""
    columns = table.columns
    problems = [Problem(1, name or f"column {i + 1}", name, "This column appears more than once. Keep one of them.")
                for i, name in enumerate(columns) if name and columns.index(name) != i]
    problems += [Problem(1, f"column {i + 1}", "", "This column has no heading. Give it a heading from the "
                         "template, or delete the column.") for i, name in enumerate(columns) if not name]
    detected = detect_kind([c for c in columns if c])
    if kind is None:
        kind = detected
    if kind is None:
        problems.append(Problem(None, "", ", ".join(columns)[:80], "Could not tell what this file holds from "
                                "its header. Start from a template (observations, targets, actions, events or "
                                "indicators) and keep its header row as it is."))
        return None, problems, False
    spec = KINDS[kind]
    hint = f" (this looks like {_article(detected)} {detected} file)" if detected and detected != kind else ""
    missing = [name for name in spec.required_columns if name not in columns]
    problems += [Problem(1, name, "", f"Missing column '{name}'{hint}. Add it to the header row, spelt as in the "
                         f"{kind} template.") for name in missing]
    return kind, problems, bool(missing)


# --- layer 2: the cells ----------------------------------------------------------------------------------


def _parse_cells(raw: pd.DataFrame, spec: KindSpec, ref: Reference,
                 options: ReadOptions) -> tuple[pd.DataFrame, list[Problem]]:
    typed = pd.DataFrame(index=raw.index)
    problems: list[Problem] = []
    cells, withheld = (_without_markers(raw) if spec.kind == "observations" else (raw, None))
    for spec_field in spec.fields:
        name = spec_field.name
        if name not in cells.columns and spec_field.type in _EMPTY:  # a left-out optional column: nothing to parse
            typed[name] = pd.Series(_EMPTY[spec_field.type], index=raw.index, dtype=_EMPTY_TYPES[spec_field.type])
            continue
        text = _text_cells(cells, name)
        blank = text == ""
        if spec_field.required:
            problems += _problems(raw, name, blank, _missing_reason(spec_field))
        if spec_field.type in ("date", "period"):
            typed[name], found = _parse_days(text, spec_field, typed, ref, options)
            problems += [Problem(int(row), name, _shown(raw, row, name), reason) for row, reason in found]
            continue
        if spec.kind == "actions" and name == "status":
            text = text.map(lambda v: action_status(v) or v)
        typed[name], bad, reason = _PARSERS[spec_field.type](text, spec_field)
        problems += _problems(raw, name, bad & ~blank, reason)
    if withheld is not None:
        note = typed["value_note"]
        typed["suppressed"] = withheld.notna() | (typed["value"].isna() & note.notna())
        typed["value_note"] = note.where(note.notna(), withheld)
    if spec.kind == "actions":
        typed["theme"] = typed["theme"].map(lambda t: canonical_theme(t, ref.themes))
    return typed, problems


def _text_cells(cells: pd.DataFrame, name: str) -> pd.Series:
    """One column's cells as stripped text ("" where empty or absent), over the whole column at once."""
    if name not in cells.columns:
        return pd.Series("", index=cells.index, dtype=object)
    column = cells[name]
    text = column if isinstance(column.dtype, pd.StringDtype) else column.astype(object).where(column.notna(), "")
    text = text.astype("str").fillna("")  # Arrow-backed text: string methods run over the whole column in C
    return text.str.replace("\x00", "", regex=False).str.strip()


def _parse_days(text: pd.Series, spec_field: Field, typed: pd.DataFrame, ref: Reference, options: ReadOptions):
    """Dates, or periods read by the frequency of each row's indicator (parsed before them)."""
    if spec_field.type == "period":
        return parse_periods(text, _indicator_attr(typed, ref, "frequency"), typed["indicator_code"],
                             column=spec_field.name, month_first=options.month_first)
    return parse_dates(text, column=spec_field.name, month_first=options.month_first)


def _described(reading: Reading, table: RawTable, spec: KindSpec, options: ReadOptions) -> Reading:
    """The reading with the template named, and notes on columns ignored and on the order dates were read in."""
    if reading.report is None:
        reading = replace(reading, layout=f"{spec.kind} template")
    ignored = [c for c in dict.fromkeys(table.columns) if c and c not in spec.columns]
    if ignored:
        many = len(ignored) > 1
        reading = reading.with_notes(f"Column{'s' if many else ''} {', '.join(ignored)} {'are' if many else 'is'} "
                                     f"not used for {spec.kind} and {'were' if many else 'was'} ignored.")
    for spec_field in spec.fields:
        if spec_field.type in ("date", "period") and spec_field.name in table.frame.columns:
            text = _text_cells(table.frame, spec_field.name)
            note = day_first_note(text, column=spec_field.name, month_first=options.month_first)
            reading = reading.with_notes(note) if note else reading
    return reading


# A value the source withheld, as publishers write it, and what the marker says (kept as the value note).
SUPPRESSION_MARKERS = {
    "*": "suppressed at source", "c": "confidential", "[c]": "confidential", "x": "not available",
    "[x]": "not available", "..": "not available", "-": "suppressed or not applicable", "z": "not applicable",
    "[z]": "not applicable", "n/a": "not applicable", "[low]": "rounds to zero, withheld",
}
_FEWER_THAN = r"^<\s*\d+$"


def suppression_note(cell: str) -> str | None:
    """The note for a value cell the source withheld ('<5', '*', '[c]'...), None for anything else.

    Example:
        >>> suppression_note("<5"), suppression_note("[c]"), suppression_note("12")
        ('<5: fewer than 5, suppressed at source', '[c]: confidential', None)
    """
    text = cell.strip().lower()
    if re.match(_FEWER_THAN, text):
        return f"{cell.strip()}: fewer than {text.lstrip('<').strip()}, suppressed at source"
    meaning = SUPPRESSION_MARKERS.get(text)
    return None if meaning is None else f"{cell.strip()}: {meaning}"


def _without_markers(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series | None]:
    """The cells with suppression markers taken out of value (and, on those rows, numerator and
    denominator), and each row's marker note (None where the value is not withheld)."""
    if "value" not in raw.columns:
        return raw, None
    value = _text_cells(raw, "value")
    marked = _is_marker(value)
    notes = pd.Series(None, index=raw.index, dtype=object)
    notes[marked] = [suppression_note(cell) for cell in value[marked]]
    if not marked.any():
        return raw, notes
    cells = raw.copy()
    for column in ("value", "numerator", "denominator"):
        if column in cells.columns:
            text = _text_cells(cells, column)
            blanked = marked if column == "value" else marked & ((text == "") | _is_marker(text))
            cells[column] = cells[column].where(~blanked, "")
    return cells, notes


def _is_marker(text: pd.Series) -> pd.Series:
    """Whole-column ``suppression_note(cell) is not None`` for stripped text cells."""
    def marked(distinct: pd.Series) -> pd.Series:
        lower = distinct.str.lower()
        return (lower.isin(list(SUPPRESSION_MARKERS)) | lower.str.match(_FEWER_THAN)).astype(bool)
    return _on_distinct(text, marked).astype(bool)


def _on_distinct(text: pd.Series, transform: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``transform`` (text -> a Series on the same index) run once per distinct cell of ``text`` and spread
    back over its rows. A million cells hold a few thousand distinct texts, and pandas runs a regular
    expression over Arrow text cell by cell in Python."""
    codes, uniques = pd.factorize(text)
    done = transform(pd.Series(uniques, dtype=text.dtype)).to_numpy(dtype=object)
    return pd.Series(done[codes] if len(codes) else done[:0], index=text.index, dtype=object)


def _missing_reason(spec_field: Field) -> str:
    noun = spec_field.name.replace("_", " ")
    return f"This cell is empty. Every row needs {_article(noun)} {noun}."


def _objects(values: pd.Series, keep: pd.Series) -> pd.Series:
    """``values`` as Python objects where ``keep``, None elsewhere."""
    return pd.Series(np.where(keep.to_numpy(dtype=bool), values.to_numpy(dtype=object), None), index=values.index,
                     dtype=object)


def _parse_text(text: pd.Series, spec_field: Field):
    too_long = text.str.len() > spec_field.max_length
    values = _objects(text, text != "")
    return values, too_long, f"Too long: shorten it to {spec_field.max_length:,} characters or fewer."


def _parse_code(text: pd.Series, spec_field: Field):
    values, too_long, reason = _parse_text(text.str.upper(), spec_field)
    return values, too_long, reason


_EMPTY = {"number": np.nan, "text": None, "code": None, "choice": None, "label": None, "flag": None,
          "date": pd.NaT, "period": pd.NaT}  # what a left-out column's cells are, typed
_EMPTY_TYPES = {"number": "float64", "date": "datetime64[ns]", "period": "datetime64[ns]"} | dict.fromkeys(
    ("text", "code", "choice", "label", "flag"), object)


def _numbers(text: pd.Series) -> pd.Series:
    """Floats (NaN where empty or not a number): Arrow's cast over the whole column, else pandas, which
    tells good cells from bad one by one."""
    cells = text.where(text != "", None)
    if isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow":
        try:
            return pd.Series(pc.cast(pyarrow.array(cells.array), pyarrow.float64()), index=text.index,
                             dtype="float64")
        except (pyarrow.ArrowInvalid, pyarrow.ArrowNotImplementedError, TypeError):
            pass
    return pd.to_numeric(cells.astype(object), errors="coerce").astype("float64")


def _parse_number(text: pd.Series, spec_field: Field):
    grouped = text.str.contains(",", regex=False)  # 1,234: the few cells with a comma take the slower pattern
    cleaned = text
    if grouped.any():
        cleaned = text.astype(object).where(~grouped, text[grouped].astype(object).str.replace(
            r"(?<=\d),(?=\d{3}(?:\D|$))", "", regex=True))
    numbers = _numbers(cleaned)
    bad = numbers.isna() | ~np.isfinite(numbers.fillna(0))
    return numbers.where(~bad, np.nan), bad, ("Not a number. Use digits with a full stop for decimals, e.g. 12 or "
                                              "46.5, without units, % signs or spaces.")


def _parse_choice(text: pd.Series, spec_field: Field):
    normal = _on_distinct(text, lambda distinct: distinct.str.lower().str.replace(r"[\s-]+", "_", regex=True))
    bad = ~normal.isin(spec_field.choices)
    values = _objects(normal, ~bad & (normal != ""))
    allowed = ", ".join(spec_field.choices)
    return values, bad, f"Not one of the allowed values. Use one of: {allowed}."


def _parse_label(text: pd.Series, spec_field: Field):
    """One of a few labels with spaces and capitals ('Employment and skills'), matched without regard to case
    or repeated spaces, and stored as the label is spelt."""
    spelt = {" ".join(choice.lower().split()): choice for choice in spec_field.choices}
    values = text.map(lambda v: spelt.get(" ".join(v.lower().split()))).astype(object)
    bad = values.isna()
    return values, bad, f"Not one of the allowed values. Use one of: {'; '.join(spec_field.choices)}."


_FLAGS = {"true": True, "yes": True, "y": True, "1": True, "false": False, "no": False, "n": False, "0": False}


def _parse_flag(text: pd.Series, spec_field: Field):
    values = text.str.lower().astype(object).map(_FLAGS)
    bad = values.isna()
    return _objects(values, ~bad), bad, "Write true or false (yes or no also work)."


def _parse_codes(text: pd.Series, spec_field: Field):
    lists = text.map(lambda v: tuple(dict.fromkeys(c.strip().upper() for c in v.replace(",", ";").split(";")
                                                   if c.strip())))
    return lists, pd.Series(False, index=text.index), ""


_PARSERS = {"text": _parse_text, "code": _parse_code, "number": _parse_number, "choice": _parse_choice,
            "codes": _parse_codes, "label": _parse_label, "flag": _parse_flag}


def _problems(raw: pd.DataFrame, column: str, mask: pd.Series, reason: str) -> list[Problem]:
    rows = mask[mask.fillna(False).astype(bool)].index
    return [Problem(int(row), column, _shown(raw, row, column), reason) for row in rows]


def _shown(raw: pd.DataFrame, row: int, column: str) -> str:
    if column not in raw.columns:
        return ""
    value = raw.at[row, column]
    text = "" if pd.isna(value) else str(value)
    return text if len(text) <= 80 else text[:79] + "…"


# --- layer 2b: pandera rules, and layer 3: the store -------------------------------------------------------


NEGATIVE = "Must not be negative: counts, rates and percentages are 0 or more."
UNKNOWN_INDICATOR = ("Unknown indicator code. Use a code from the indicator catalogue, e.g. ASB_ALL "
                     "(the templates show the format).")
UNKNOWN_AREA = ("Unknown area code. Use an LSOA or ward GSS code (E01…, E05…) or a locality code such as "
                "PN-NWORT.")


def _not_negative(column: str) -> pa.Column:
    return pa.Column(checks=pa.Check.ge(0, error=NEGATIVE), nullable=True, required=False)


def _known(column_values, error: str) -> pa.Column:
    return pa.Column(checks=pa.Check.isin(sorted(column_values), error=error), nullable=True, required=False)


def _row_rule(rule, error: str) -> pa.Check:
    return pa.Check(lambda frame: ~rule(frame).fillna(False).astype(bool), error=error)


def _pandera_schema(spec: KindSpec, ref: Reference) -> pa.DataFrameSchema:
    kind = spec.kind
    columns: dict[str, pa.Column] = {}
    checks: list[pa.Check] = []
    if kind in ("observations", "targets"):
        columns["indicator_code"] = _known(ref.indicators.index, UNKNOWN_INDICATOR)
    if kind == "events":  # observations' codes are resolved against the store's geography first
        columns["area_code"] = _known(ref.area_types, UNKNOWN_AREA)
    if kind == "observations":
        columns |= {"value": _not_negative("value"), "numerator": _not_negative("numerator"),
                    "denominator": _not_negative("denominator")}
        checks.append(_row_rule(lambda f: f["numerator"] > f["denominator"],
                                "The numerator is larger than the denominator. The numerator counts part of the "
                                "denominator, so it cannot be larger: check both figures."))
    if kind == "targets":
        columns |= {c: _not_negative(c) for c in ("baseline_value", "target_value", "tolerance")}
        checks.append(_row_rule(lambda f: f["target_date"] <= f["baseline_period_start"],
                                "The target date must come after the start of the baseline period."))
    if kind == "indicators":
        columns["staleness_days"] = pa.Column(checks=[
            pa.Check.gt(0, error="The staleness limit must be more than 0 days."),
            pa.Check(lambda days: days == days.round(), element_wise=False,
                     error="The staleness limit is a whole number of days, e.g. 120.")], nullable=True, required=False)
        columns["code"] = pa.Column(checks=pa.Check.str_matches(
            r"^[A-Z][A-Z0-9_]*$", error="Use capital letters, digits and underscores only, starting with a letter, "
                                        "e.g. CLAIMANT_COUNT."), nullable=True, required=False)
    if kind == "actions":
        columns["percent_complete"] = pa.Column(checks=pa.Check.in_range(
            0, 100, error="Percent complete must be between 0 and 100."), nullable=True, required=False)
        columns["theme"] = _known(ref.themes, f"Unknown theme. Use one of: {'; '.join(ref.themes)}.")
        checks.append(_row_rule(lambda f: f["due_date"] < f["start_date"],
                                "The due date is before the start date. Check both dates."))
    return pa.DataFrameSchema(columns, checks=checks, strict=False)


_ROW_RULE_COLUMN = {"observations": "numerator", "targets": "target_date", "actions": "due_date"}


def _schema_problems(typed: pd.DataFrame, raw: pd.DataFrame, spec: KindSpec, ref: Reference) -> list[Problem]:
    problems: list[Problem] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            _pandera_schema(spec, ref).validate(typed, lazy=True)
        except pa.errors.SchemaErrors as errors:
            for case in errors.failure_cases.itertuples():
                if pd.isna(case.index):
                    continue
                column = case.column if case.schema_context == "Column" else _ROW_RULE_COLUMN[spec.kind]
                problems.append(Problem(int(case.index), column, _shown(raw, int(case.index), column), case.check))
    problems += _duplicate_problems(typed, raw, spec)
    problems += _STORE_CHECKS[spec.kind](typed, raw, ref)
    return problems


def _duplicate_problems(typed: pd.DataFrame, raw: pd.DataFrame, spec: KindSpec) -> list[Problem]:
    key = list(spec.key)
    complete = typed.dropna(subset=key)
    repeated = complete[complete.duplicated(subset=key, keep=False)]
    problems = []
    names = " + ".join(key)
    for _, group in repeated.groupby(key, sort=False):
        first, *others = list(group.index)
        problems += [Problem(int(row), names, " / ".join(_shown(raw, row, k) for k in key),
                             f"Repeats row {first} (the same {', '.join(k.replace('_', ' ') for k in key)}). "
                             "Keep one of the two rows.") for row in others]
    return problems


def _indicator_attr(typed: pd.DataFrame, ref: Reference, attribute: str, column: str = "indicator_code") -> pd.Series:
    return map_values(typed[column], ref.indicators[attribute].to_dict())


def _period_problems(typed, raw, ref, start_col: str, end_col: str) -> list[Problem]:
    rows = pd.DataFrame({"start": typed[start_col], "end": typed[end_col], "code": typed["indicator_code"],
                         "frequency": _indicator_attr(typed, ref, "frequency")}).dropna(subset=["start", "frequency"])
    keys, pairs = factorize_pairs(rows["start"], rows["frequency"])
    bounds: list[tuple[date, date] | str] = []
    for start, freq in pairs:
        try:
            bounds.append((start.date(), period_end(start.date(), frequency=freq)))
        except PeriodError as exc:
            bounds.append(str(exc))
    ends = pd.Series([b[1] if isinstance(b, tuple) else pd.NaT for b in bounds], dtype="datetime64[ns]")
    failed = np.array([isinstance(b, str) for b in bounds], dtype=bool)
    row_failed = failed[keys] if len(keys) else np.zeros(0, dtype=bool)
    expected = ends.to_numpy()[keys] if len(keys) else ends.to_numpy()[:0]
    wrong_end = rows["end"].notna().to_numpy() & ~row_failed & (rows["end"].to_numpy() != expected)
    flagged = row_failed | wrong_end
    problems = []
    for row, key, end, code, freq in zip(rows.index[flagged], keys[flagged], rows["end"][flagged],
                                         rows["code"][flagged], rows["frequency"][flagged], strict=True):
        result = bounds[key]
        if isinstance(result, str):
            problems.append(Problem(int(row), start_col, _shown(raw, row, start_col),
                                    f"{result}. {code} is {freq}: give the first day of its period."))
        elif not pd.isna(end) and end.date() != result[1]:
            problems.append(Problem(int(row), end_col, _shown(raw, row, end_col),
                                    f"A {freq} period starting {format_date(result[0])} ends on "
                                    f"{format_date(result[1])}. Write {result[1].isoformat()} or leave the cell "
                                    "empty."))
    return problems


_GEOGRAPHY_WORDS = {"lsoa": "LSOA", "priority_neighbourhood": "locality", "ward": "ward",
                    "community_committee": "community committee area", "city": "city"}


def _resolve_areas(connection: Connection, typed: pd.DataFrame, raw: pd.DataFrame) -> list[Problem]:
    """Each area code as the store holds it (a retired ward code becomes its successor) and, in a new
    ``basis`` column, the LSOA census basis each row is reported on ('2011', '2021'; None above LSOA)."""
    resolved = resolve_area_codes(connection, typed[["area_code", "indicator_code", "period_start"]])
    typed["area_code"] = resolved["area_code"].where(resolved["area_code"].notna(), typed["area_code"])
    typed["basis"] = resolved["basis"]
    return [Problem(int(row), "area_code", _shown(raw, row, "area_code"), message)
            for row, message in resolved["message"].dropna().items()]


def _observation_checks(typed: pd.DataFrame, raw: pd.DataFrame, ref: Reference) -> list[Problem]:
    problems = _period_problems(typed, raw, ref, "period_start", "period_end")
    geography = _indicator_attr(typed, ref, "collection_geography")
    area_type = map_values(typed["area_code"], ref.area_types)
    published = _indicator_attr(typed, ref, "estimate_type").fillna("counted") != "counted"  # own rows
    # The city's own published row of an indicator collected for wards (or other localities) is its
    # own observation, not a sum; only LSOA-level indicators are always added up to the city.
    own_city_row = (area_type == "city") & (geography != "lsoa")
    wrong_level = geography.notna() & area_type.notna() & (geography != area_type) & ~own_city_row & ~published
    for row in typed.index[wrong_level]:
        want, got = _GEOGRAPHY_WORDS.get(geography[row], geography[row]), _GEOGRAPHY_WORDS.get(area_type[row])
        problems.append(Problem(int(row), "area_code", _shown(raw, row, "area_code"),
                                f"{typed.at[row, 'indicator_code']} is collected for each {want}, but this area is "
                                f"{_article(got)} {got}. Give the figure for each {want}; larger areas are added "
                                "up from them."))
    return problems + _consistency_problems(typed, raw, ref)


def _article(noun: str | None) -> str:
    """'an LSOA', 'an indicator code', 'a ward' (LSOA is said el-so-a)."""
    return "an" if noun and (noun[0] in "aeiou" or noun.startswith("LSOA")) else "a"


EMPTY_VALUE = ("This cell is empty. Every row needs a value: the figure, or the source's marker (such as <5, * or "
               "[c]) if the source withheld it, or a value note saying why it is blank.")
ZERO_DENOMINATOR = ("The denominator is 0 but the row has a numerator above 0 or a value. A row with no eligible "
                    "population is written numerator 0, denominator 0, value empty; otherwise check the figures.")


def _absence_problems(typed: pd.DataFrame, raw: pd.DataFrame) -> list[Problem]:
    """A blank value is allowed only when withheld at source or for 0/0 (no eligible population)."""
    num, den, value = typed["numerator"], typed["denominator"], typed["value"]
    no_population = (num == 0) & (den == 0)
    blank = _text_cells(raw, "value") == ""  # not a number is reported already
    problems = [Problem(int(row), "value", "", EMPTY_VALUE)
                for row in typed.index[blank & value.isna() & ~typed["suppressed"] & ~no_population]]
    wrong_zero = (den == 0) & ~(no_population & value.isna()) & ~typed["suppressed"]
    problems += [Problem(int(row), "denominator", _shown(raw, row, "denominator"), ZERO_DENOMINATOR)
                 for row in typed.index[wrong_zero]]
    return problems


def _limit_problems(typed: pd.DataFrame, raw: pd.DataFrame) -> list[Problem]:
    lower, upper, value = typed["lower_limit"], typed["upper_limit"], typed["value"]
    problems = [Problem(int(row), "upper_limit", _shown(raw, row, "upper_limit"),
                        "The upper limit is below the lower limit. Check both limits.")
                for row in typed.index[(upper < lower).fillna(False)]]
    outside = ((value < lower) | (value > upper)).fillna(False) & ~(upper < lower).fillna(False)
    problems += [Problem(int(row), "value", _shown(raw, row, "value"),
                         f"The value is outside its published limits ({lower[row]:g} to {upper[row]:g}). Check the "
                         "value and both limits.") for row in typed.index[outside]]
    return problems


def _consistency_problems(typed: pd.DataFrame, raw: pd.DataFrame, ref: Reference) -> list[Problem]:
    """Numerator, denominator and value agree for counted indicators; published estimates (age-standardised
    rates, ratios, weighted survey percentages) are held as published, within their limits."""
    aggregation = _indicator_attr(typed, ref, "aggregation")
    unit = _indicator_attr(typed, ref, "unit")
    published = _indicator_attr(typed, ref, "estimate_type").fillna("counted") != "counted"
    aggregation = aggregation.where(~published, "published")
    num, den, value = typed["numerator"], typed["denominator"], typed["value"]
    problems = _absence_problems(typed, raw) + _limit_problems(typed, raw)
    ratio = aggregation == "ratio"
    for column, series in (("numerator", num), ("denominator", den)):
        for row in typed.index[ratio & series.isna() & value.notna()]:
            problems.append(Problem(int(row), column, "", f"{typed.at[row, 'indicator_code']} is a ratio: give its "
                                    "numerator and denominator as well as the value, so that areas can be added up."))
    multiplier = map_values(unit, {u: multiplier_for_unit(u) for u in unit.dropna().unique()}).astype("float64")
    expected = num / den * multiplier
    off = ratio & (value - expected).abs().gt(RATIO_TOLERANCE + 1e-9) & (num <= den)
    for row in typed.index[off.fillna(False).astype(bool)]:
        problems.append(Problem(int(row), "value", _shown(raw, row, "value"),
                                f"Does not match numerator ÷ denominator × {multiplier[row]:,.0f} = "
                                f"{expected[row]:.4g} "
                                "(rounding to one decimal place is allowed). Check all three figures."))
    count_off = (aggregation == "sum") & num.notna() & (value - num).abs().gt(RATIO_TOLERANCE + 1e-9)
    for row in typed.index[count_off.fillna(False).astype(bool)]:
        problems.append(Problem(int(row), "value", _shown(raw, row, "value"),
                                f"For a count the value and the numerator are the same number (the numerator here is "
                                f"{num[row]:g}). Correct one of them, or leave the numerator empty."))
    return problems


def _plan_problems(typed: pd.DataFrame, raw: pd.DataFrame, ref: Reference) -> list[Problem]:
    problems = []
    for row, code in typed["area_code"].dropna().items():
        if code not in ref.area_types:
            problems.append(Problem(int(row), "area_code", _shown(raw, row, "area_code"), UNKNOWN_AREA))
        elif code not in ref.plan_ids:
            problems.append(Problem(int(row), "area_code", _shown(raw, row, "area_code"),
                                    f"{code} has no action plan, so it cannot have targets or actions. Use a "
                                    "locality with a plan (custom localities get one when they are created)."))
    return problems


def _target_checks(typed: pd.DataFrame, raw: pd.DataFrame, ref: Reference) -> list[Problem]:
    return _plan_problems(typed, raw, ref) + _period_problems(typed, raw, ref, "baseline_period_start",
                                                              "baseline_period_end")


def _action_checks(typed: pd.DataFrame, raw: pd.DataFrame, ref: Reference) -> list[Problem]:
    problems = _plan_problems(typed, raw, ref)
    known = set(ref.indicators.index)
    for row, codes in typed["linked_indicators"].items():
        unknown = [c for c in codes if c not in known]
        if unknown:
            problems.append(Problem(int(row), "linked_indicators", _shown(raw, row, "linked_indicators"),
                                    f"Unknown indicator code(s): {', '.join(unknown)}. Separate codes with "
                                    "semicolons, e.g. ASB_ALL; FLYTIP."))
    return problems


_RATE_UNITS = ("rate_per_1000", "rate_per_10000", "rate_per_100000")
_SETTLED = ("unit", "frequency", "aggregation", "collection_geography", "estimate_type")  # fixed once values exist


def _indicator_rule_problems(typed: pd.DataFrame, raw: pd.DataFrame) -> list[Problem]:
    unit, aggregation, estimate = typed["unit"], typed["aggregation"], typed["estimate_type"].fillna("counted")
    rules = [
        ("aggregation", (unit == "count") & (aggregation == "ratio") & (estimate == "counted"),
         "A count is added up by summing: set aggregation to sum."),
        ("aggregation", unit.isin(["percent", *_RATE_UNITS]) & (aggregation == "sum"),
         "A percentage or rate is added up from numerators and denominators: set aggregation to ratio."),
        ("missing_means_zero", typed["missing_means_zero"].fillna(False).astype(bool)
         & ((unit != "count") | (typed["collection_geography"] != "lsoa") | (estimate != "counted")),
         "Only a count collected for each LSOA (an incident list) can treat a missing LSOA as 0: set it to false."),
        ("estimate_type", (estimate == "weighted_survey_percent") & (unit != "percent"),
         "A weighted survey estimate is a percentage: set unit to percent."),
        ("estimate_type", (estimate == "age_standardised_rate") & ~unit.isin(_RATE_UNITS),
         "An age-standardised rate needs a rate unit, e.g. rate_per_100000."),
    ]
    return [Problem(int(row), column, _shown(raw, row, column), reason)
            for column, mask, reason in rules for row in typed.index[mask.fillna(False).astype(bool)]]


def _indicator_checks(typed: pd.DataFrame, raw: pd.DataFrame, ref: Reference) -> list[Problem]:
    """Choices that fit together, and no change that would make values already held wrong."""
    problems = _indicator_rule_problems(typed, raw)
    for row, code in typed["code"].dropna().items():
        held = ref.values_held.get(code, 0)
        if not held or code not in ref.indicators.index:
            continue
        for column in _SETTLED:
            new, now = typed.at[row, column], ref.indicators.at[code, column]
            if column == "estimate_type" and new is None:
                continue
            if new is not None and new != now:
                noun = column.replace("_", " ")
                problems.append(Problem(int(row), column, _shown(raw, row, column),
                                        f"{code} already holds {held:,} values with {noun} {now}; changing it would "
                                        "make them wrong. Keep it, or add a new indicator with a new code."))
    return problems


_STORE_CHECKS = {
    "observations": _observation_checks,
    "targets": _target_checks,
    "actions": _action_checks,
    "events": lambda typed, raw, ref: [],
    "indicators": _indicator_checks,
}
