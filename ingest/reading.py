"""From an upload's bytes to the text cells validation checks: layout, sheet, source conversion, dates.

``read_upload`` reads the file (``ingest.templates.read_table``), recognises its layout (a template,
or a source such as a police.uk street-level file, through ``ingest.sources``) and converts a
source's rows to observation rows. ``Reading`` says what was read, for the preview: the layout, the
sheet and rows, and what was left out. The cell helpers read dates and periods as sources write
them (``ingest.periods``), flag a column written month first, and accept the words officers use for
an action's status.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from db import schema
from db.mappings import mapping_lookup
from ingest import sources
from ingest.sources.statxplore import area_key
from ingest.periods import PeriodError, parse_day, parse_period, slashed_order
from ingest.templates import KINDS, RawTable, read_table, read_table_file
from metrics.periods import format_date

DATE_ORDERS = ("day-first", "month-first")
FREQUENCY_WORDS = {"monthly": "monthly", "quarterly": "quarterly (UK financial quarters)",
                   "annual": "annual (financial years)", "calendar_year": "counted by calendar year",
                   "pooled_3_years": "pooled over three years"}


@dataclass(frozen=True)
class ReadOptions:
    """Choices the officer makes about reading a file: the workbook ``sheet`` (None: found from the
    header), and ``dates`` 'month-first' to read slashed dates such as 10/24/2026 month first."""

    sheet: str | None = None
    dates: str = "day-first"

    @property
    def month_first(self) -> bool:
        return self.dates == "month-first"


@dataclass(frozen=True)
class Reading:
    """What was read: ``layout`` (e.g. 'observations template', 'police.uk street-level file'), the
    workbook ``sheet`` and visible ``sheets``, ``header_row``, ``rows`` (data rows read), ``notes``
    (sentences on what was left out or assumed) and the source reader's ``report``."""

    layout: str
    rows: int
    header_row: int = 1
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    report: sources.SourceReport | None = None

    def summary(self) -> str:
        """One sentence, e.g. "Read as the observations template from sheet 'Data': header in row 4, 2 rows."."""
        if not self.layout:
            shown = f"sheet '{self.sheet}'" if self.sheet else "no sheet"
            return f"Read {shown}; the workbook's visible sheets are {', '.join(self.sheets)}."
        if self.report is not None:
            article = "an" if self.report.title[:1].lower() in "aeiou" else "a"
            text = f"Recognised {article} {self.report.summary()}."
        else:
            text = f"Read as the {self.layout}"
            text += f" from sheet '{self.sheet}'" if self.sheet else ""
            text += f": header in row {self.header_row}, {self.rows:,} row{'s' if self.rows != 1 else ''}."
        return text

    def with_notes(self, *notes: str) -> Reading:
        return Reading(self.layout, self.rows, self.header_row, self.sheet, self.sheets, (*self.notes, *notes),
                       self.report)


@dataclass(frozen=True)
class ReadUpload:
    """``table`` holds template columns (a source's rows already converted); ``kind`` is 'observations'
    for a source; ``problems`` are (row, column, value, reason) tuples that stop the file."""

    table: RawTable
    kind: str | None
    reading: Reading
    problems: tuple[tuple[int | None, str, str, str], ...] = field(default=())


def read_upload(connection: Connection, content: bytes | Path, file_name: str, *, kind: str | None,
                options: ReadOptions, progress: Callable[[float], None] | None = None) -> ReadUpload:
    """Read the file and convert a recognised source; raises ``UnreadableFile`` as ``read_table`` does.
    ``content``: the upload's bytes (the browser: at most ``MAX_UPLOAD_BYTES``), or the path of a file of
    any size (the command line: ``read_table_file``, which reports ``progress(fraction read)``)."""
    if isinstance(content, Path):
        table = read_table_file(content, sheet=options.sheet, header_score=sources.header_score, progress=progress)
    else:
        table = read_table(content, file_name, sheet=options.sheet, header_score=sources.header_score)
    reader = sources.recognise(table.columns) if kind in (None, "observations") else None
    if reader is None:
        layout = f"{kind or 'upload'} template"
        reading = Reading(layout, len(table.frame), table.header_row, table.sheet, table.sheets, table.notes)
        return ReadUpload(table, kind, reading)
    result = reader.read(table.frame, replace(source_context(connection), titles=table.titles))
    wanted = [c for c in result.rows.columns if c in KINDS["observations"].columns]
    rows = result.rows[wanted]
    converted = RawTable(columns=wanted, frame=rows, sheet=table.sheet, sheets=table.sheets,
                         header_row=table.header_row, notes=table.notes)
    reading = Reading(reader.TITLE, result.report.rows_read, table.header_row, table.sheet, table.sheets,
                      table.notes, result.report)
    problems = tuple((p.row, p.column, p.value, p.reason) for p in result.problems)
    if rows.empty and not problems:
        problems = ((None, "", "", f"Nothing to import: {result.report.summary()}. Check that this is the file for "
                     "the district, and the source mappings on the Data page."),)
    return ReadUpload(converted, "observations", reading, problems)


def source_context(connection: Connection) -> sources.SourceContext:
    """The store's area codes (with codes that changed, in ``code_changes``), the city's name, the source
    mappings and indicator names, for readers."""
    areas, changes = schema.areas, schema.code_changes
    # codes that moved (2021 LSOAs, successor wards) are the district's too: validation resolves them
    moved = connection.execute(select(changes.c.old_code, changes.c.new_code)).all()
    codes = frozenset(connection.execute(select(areas.c.code)).scalars()) | {c for pair in moved for c in pair}
    district = connection.execute(select(areas.c.name).where(areas.c.type == "city")).scalar() or "the district"
    indicators = connection.execute(select(schema.indicators.c.code, schema.indicators.c.name,
                                           schema.indicators.c.collection_geography)).all()
    names = {name.strip().lower(): code for code, name, _ in indicators}
    listed = connection.execute(select(areas.c.code, areas.c.type, areas.c.name)).all()
    types = {code: area_type for code, area_type, _ in listed}
    by_name: dict[str, str] = {}
    for code, _, name in sorted(listed, key=lambda area: area[1] != "ward"):  # a ward's name before a namesake's
        by_name.setdefault(area_key(name), code)
    return sources.SourceContext(area_codes=codes, district=district, mappings=mapping_lookup(connection),
                                 indicator_names=names, area_types=types, area_names=by_name,
                                 indicator_geographies={code: geography for code, _, geography in indicators})


# --- cells: dates, periods, statuses and themes --------------------------------------------------------------

CellProblems = list[tuple[int, str]]  # (row, reason)


def month_first_reason(column: str, evidence: list, rows: list) -> str:
    shown = ", ".join(str(r) for r in rows[:12]) + (" …" if len(rows) > 12 else "")
    return (f"The dates in {column} look month-first (US order): row {evidence[0]} can only be read that way, so "
            f"every date in the column (rows {shown}) may have day and month swapped, and none is read. Confirm the "
            "order: re-save the dates as YYYY-MM-DD, or choose 'month first' for dates on the Data page (command "
            "line: --dates month-first).")


def day_first_note(text: pd.Series, *, column: str, month_first: bool) -> str | None:
    """A note for the preview when a column holds dates that read either way (10/12/2026), saying which
    order was used, so that no date is stored swapped without the officer seeing it."""
    either = [cell for cell in pd.unique(text) if isinstance(cell, str) and slashed_order(cell) == "either"]
    if not either:
        return None
    example = either[0]
    try:
        shown = format_date(parse_day(example, month_first=month_first))
    except PeriodError:
        return None
    order, other = ("month first", "day first") if month_first else ("day first", "month first")
    return (f"Dates in {column} were read {order}: {example} is {shown}. If the file writes them {other}, "
            f"choose '{other}' for dates and check again.")


def factorize_pairs(first: pd.Series, second: pd.Series) -> tuple[np.ndarray, list[tuple]]:
    """Codes for each row's (first, second) pair and the distinct pairs, in order of appearance; missing
    values are a value like any other. Quicker than factorising a MultiIndex, which builds every tuple.

    Example:
        >>> factorize_pairs(pd.Series(["a", "a", "b"]), pd.Series(["x", "x", "x"]))
        (array([0, 0, 1]), [('a', 'x'), ('b', 'x')])
    """
    first_codes, first_uniques = pd.factorize(first, use_na_sentinel=False)
    second_codes, second_uniques = pd.factorize(second, use_na_sentinel=False)
    combined = first_codes.astype("int64") * (len(second_uniques) + 1) + second_codes
    keys, distinct = pd.factorize(combined)
    width = len(second_uniques) + 1
    pairs = [(first_uniques[int(code) // width], second_uniques[int(code) % width]) for code in distinct]
    return keys, pairs


def _refused_rows(text: pd.Series, codes, uniques, *, column: str, month_first: bool) -> tuple[pd.Series, str]:
    """Rows refused because the column reads month first as a whole (``month_first_rows`` over the
    distinct texts), and the reason; an all-False mask when the column is not refused."""
    refused = pd.Series(False, index=text.index)
    if month_first:
        return refused, ""
    orders = pd.array([slashed_order(u) if isinstance(u, str) else None for u in uniques], dtype=object)
    if not len(orders) or not any(order == "month_first" for order in orders):
        return refused, ""
    per_row = pd.Series(orders[codes], index=text.index) if len(codes) else pd.Series([], dtype=object)
    evidence = list(text.index[(per_row == "month_first").to_numpy()])
    slashed = per_row.notna().to_numpy()
    refused[:] = slashed
    return refused, month_first_reason(column, evidence, list(text.index[slashed]))


def _parsed(text: pd.Series, keys, uniques: list, parse, *, column: str, month_first: bool,
            explain: Callable[[object, str], str] | None = None) -> tuple[pd.Series, CellProblems]:
    """Each distinct key parsed once (``parse(unique) -> date``, raising ``PeriodError``) and spread back over
    the rows: (Timestamps with NaT for blank or bad cells, (row, reason) problems in row order).
    ``explain(row, reason)``: the reason a row gets for a cell that cannot be parsed (default: as raised)."""
    text_codes, text_uniques = pd.factorize(text)
    refused, refusal = _refused_rows(text, text_codes, text_uniques, column=column, month_first=month_first)
    days = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[ns]")
    failures: dict[int, str] = {}
    for number, unique in enumerate(uniques):
        try:
            days[number] = np.datetime64(parse(unique), "ns")
        except PeriodError as exc:
            failures[number] = str(exc)
    keys = np.asarray(keys)
    blank = (text == "").to_numpy()
    values = days[keys] if len(keys) else np.array([], dtype="datetime64[ns]")
    values = np.where(blank | refused.to_numpy(), np.datetime64("NaT"), values)
    failed = np.isin(keys, list(failures)) & ~blank & ~refused.to_numpy()
    problems = [(row, refusal) for row in text.index[refused.to_numpy() & ~blank]]
    problems += [(row, explain(row, failures[key]) if explain else failures[key])
                 for row, key in zip(text.index[failed], keys[failed], strict=True)]
    problems.sort(key=lambda problem: problem[0])
    return pd.Series(values, index=text.index, dtype="datetime64[ns]"), problems


def parse_dates(text: pd.Series, *, column: str, month_first: bool) -> tuple[pd.Series, CellProblems]:
    """Days (Timestamps, NaT where blank or bad) and (row, reason) problems for one column of text.

    A column with any slashed date that can only be month first (10/24/2026) is refused as a whole
    unless ``month_first``: every slashed date in it gets a problem naming the column and the rows.
    Each distinct text is parsed once, so a million rows of a few hundred dates cost a few hundred parses."""
    keys, uniques = pd.factorize(text)
    return _parsed(text, keys, list(uniques), lambda cell: parse_day(cell, month_first=month_first), column=column,
                   month_first=month_first)


def parse_periods(text: pd.Series, frequency: pd.Series, indicator: pd.Series, *, column: str,
                  month_first: bool) -> tuple[pd.Series, CellProblems]:
    """Period starts read by each row's frequency (NaN frequency: an unknown indicator, read as a day);
    a problem names the row's ``indicator`` code and its frequency.

    Same month-first rule as ``parse_dates``. Each distinct (text, frequency) is parsed once, so a
    police.uk month of 25,000 rows, or a million rows of a few hundred months, cost a handful of parses."""
    frequency = frequency.astype(object).where(frequency.notna(), "")  # "": an unknown indicator
    keys, uniques = factorize_pairs(text, frequency)

    def parse(pair: tuple[str, str]) -> date:
        cell, freq = pair
        if not freq:
            return parse_day(cell, month_first=month_first)
        return parse_period(cell, frequency=freq, month_first=month_first)

    def explain(row, reason: str) -> str:
        freq = frequency[row]
        return f"{indicator[row]} is {FREQUENCY_WORDS[freq]}: {reason}" if freq else reason

    return _parsed(text, keys, uniques, parse, column=column, month_first=month_first, explain=explain)


STATUS_WORDS = {
    "complete": ("complete", "completed", "done", "finished", "closed", "achieved", "delivered"),
    "in_progress": ("in progress", "on track", "ongoing", "started", "underway", "under way", "in hand", "behind",
                    "delayed", "at risk", "off track", "active"),
    "not_started": ("not started", "not yet started", "planned", "to do", "not begun", "pending"),
    "on_hold": ("on hold", "paused", "suspended", "deferred"),
}
_STATUS_OF = {word: status for status, words in STATUS_WORDS.items() for word in words}
_PERCENT = re.compile(r"^(\d{1,3}(?:\.\d+)?)\s*%$")


def action_status(text: str) -> str | None:
    """The stored status an officer's word means, or None when it is not one.

    Example:
        >>> [action_status(t) for t in ("Completed", "On track", "In progress", "Not started", "50%", "0%", "soon")]
        ['complete', 'in_progress', 'in_progress', 'not_started', 'in_progress', 'not_started', None]
    """
    words = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    if words in _STATUS_OF:
        return _STATUS_OF[words]
    if match := _PERCENT.match(words):
        percent = float(match[1])
        if 0 <= percent <= 100:
            return "not_started" if percent == 0 else "complete" if percent == 100 else "in_progress"
    return None


def canonical_theme(text: str | None, themes: list[str]) -> str | None:
    """The catalogue's spelling of a theme written in any case, or the text as given when it is none.

    Example:
        >>> canonical_theme("  health AND wellbeing", ["Health and wellbeing", "Safety"])
        'Health and wellbeing'
    """
    if text is None:
        return None
    by_lower = {" ".join(t.lower().split()): t for t in themes}
    return by_lower.get(" ".join(text.lower().split()), text)
