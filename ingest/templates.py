"""Upload file formats: the columns of each kind, their templates, and reading a file into text cells.

Four kinds can be uploaded: observations, targets, actions and events (``KINDS``). Each template is
the header plus two example rows that import cleanly into the sample database.

``read_table`` turns the bytes of a CSV or .xlsx file into a table of text cells whose index is
the row number a spreadsheet shows (the header is row 1). It refuses, with one sentence saying how
to fix it, a file that is too large, empty, binary, in an unknown text encoding, an old-style or
password-protected workbook, or neither CSV nor .xlsx. Checking the cells is ``db.validation``'s job.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from db import schema
from db.errors import DataFileError
from db.exports import csv_bytes, excel_bytes

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 500_000
MAX_COLUMNS = 60
MAX_UNPACKED_XLSX_BYTES = 200 * 1024 * 1024
MAX_TEXT_LENGTH = 5_000
MAX_CELLS = 2_000_000  # rows x columns: bounds the memory and time of reading one upload, wide or long
CSV_SUFFIXES = ("", ".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any password-protected workbook


class UnreadableFile(DataFileError):
    """The file cannot be read as a table at all; ``row`` is where, when known."""

    def __init__(self, reason: str, row: int | None = None) -> None:
        self.row = row
        super().__init__(reason)


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # code, text, number, date, choice, codes
    required: bool = True
    optional_column: bool = False
    max_length: int = MAX_TEXT_LENGTH
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class KindSpec:
    kind: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    description: str

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def required_columns(self) -> list[str]:
        return [f.name for f in self.fields if not f.optional_column]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec("observations", (
            Field("indicator_code", "code", max_length=40),
            Field("area_code", "code", max_length=20),
            Field("period_start", "date"),
            Field("period_end", "date", required=False, optional_column=True,
                  help="may be left empty: it follows from the start and the indicator's frequency"),
            Field("value", "number"),
            Field("numerator", "number", required=False, optional_column=True),
            Field("denominator", "number", required=False, optional_column=True),
            Field("status", "choice", required=False, optional_column=True, choices=schema.OBSERVATION_STATUSES,
                  help="final (the default when empty) or provisional"),
        ), key=("indicator_code", "area_code", "period_start"),
            description="indicator values: one row per indicator, area and period"),
        KindSpec("targets", (
            Field("area_code", "code", max_length=20),
            Field("indicator_code", "code", max_length=40),
            Field("baseline_period_start", "date"),
            Field("baseline_period_end", "date", required=False, optional_column=True),
            Field("baseline_value", "number"),
            Field("target_value", "number"),
            Field("target_date", "date"),
            Field("tolerance", "number"),
            Field("tolerance_type", "choice", choices=schema.TOLERANCE_TYPES),
            Field("description", "text", required=False, optional_column=True),
        ), key=("area_code", "indicator_code"),
            description="targets of a locality's action plan: one row per locality and indicator"),
        KindSpec("actions", (
            Field("area_code", "code", max_length=20),
            Field("action_ref", "text", max_length=30),
            Field("title", "text", max_length=1_000),
            Field("lead", "text", max_length=200),
            Field("theme", "text", max_length=60),
            Field("start_date", "date"),
            Field("due_date", "date"),
            Field("percent_complete", "number"),
            Field("status", "choice", choices=schema.ACTION_STATUSES),
            Field("linked_indicators", "codes", required=False, optional_column=True,
                  help="indicator codes separated by semicolons"),
            Field("commentary", "text", required=False, optional_column=True),
        ), key=("area_code", "action_ref"),
            description="actions of a locality's action plan: one row per locality and action reference"),
        KindSpec("events", (
            Field("area_code", "code", max_length=20),
            Field("event_date", "date"),
            Field("title", "text", max_length=300),
            Field("description", "text", required=False, optional_column=True),
        ), key=("area_code", "event_date", "title"),
            description="interventions and events marked on trend charts: one row per area, date and title"),
    )
}


KIND_NAMES = tuple(KINDS)


# --- reading ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawTable:
    """Text cells of an upload. ``columns``: every heading, normalised, in file order (blank ones too);
    ``frame``: one column per distinct named heading, index = spreadsheet row (blank rows left out);
    ``ragged``: (row, number of values) for rows with more values than headings."""

    columns: list[str]
    frame: pd.DataFrame
    ragged: tuple[tuple[int, int], ...] = ()


def normalise_heading(heading: object) -> str:
    """'  Indicator Code ' -> 'indicator_code'.

    Example:
        >>> normalise_heading(" Period-start ")
        'period_start'
    """
    text = "" if heading is None else str(heading)
    return "_".join(text.replace("\ufeff", "").strip().lower().replace("-", " ").split())


def oversize_reason(size: int) -> str:
    return (f"The file is {size / 1_048_576:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 1_048_576} MB. "
            "Split it into smaller files and upload each.")


def read_table(content: bytes, file_name: str) -> RawTable:
    """The text cells of a CSV or .xlsx upload; raises ``UnreadableFile`` saying how to fix the file."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise UnreadableFile(oversize_reason(len(content)))
    if not content.strip():
        raise UnreadableFile("The file is empty. Start from a template: keep its header row and add your rows.")
    suffix = Path(file_name).suffix.lower()
    if content.startswith(ZIP_MAGIC):
        rows = _xlsx_rows(content)
    elif content.startswith(OLE_MAGIC):
        raise UnreadableFile("This is an old-style Excel file (.xls) or a password-protected workbook. In Excel, "
                             "save it as an Excel Workbook (.xlsx) without a password, or as CSV UTF-8.")
    elif suffix in XLSX_SUFFIXES:
        raise UnreadableFile("This file is named .xlsx but is not an Excel workbook. Open it in Excel and save "
                             "it again as an Excel Workbook (.xlsx) or as CSV UTF-8.")
    elif suffix in CSV_SUFFIXES:
        rows = _csv_rows(_decode(content))
    else:
        raise UnreadableFile(f"'{suffix}' files cannot be imported. Upload a CSV file (.csv) or an Excel "
                             "workbook (.xlsx); the templates show the layout.")
    return _table(rows)


def _decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile("The file says it is UTF-16 text but is not. Save it as CSV UTF-8.") from None
    if b"\x00" in content:
        raise UnreadableFile("The file contains binary data, so it is not a CSV text file. Upload a CSV file "
                             "(in Excel: Save As, 'CSV UTF-8 (Comma delimited)') or an Excel workbook (.xlsx).")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            row = content[: exc.start].count(b"\n") + 1
            raise UnreadableFile(f"The file is neither UTF-8 nor Windows-1252 text (the first character that "
                                 f"cannot be read is in row {row}). In Excel use Save As, 'CSV UTF-8 (Comma "
                                 "delimited)'.", row) from None


def _csv_rows(text: str) -> list[list[str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if any(d in first_line for d in ",;\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    cells_read = 0
    try:
        for cells in reader:
            rows.append(cells)
            _check_size(len(rows), len(cells))
            cells_read = _check_cells(cells_read + len(cells), len(rows))
    except csv.Error as exc:
        raise UnreadableFile(f"Row {reader.line_num} could not be read as CSV ({exc}). Check for a stray quotation "
                             "mark, or save the file again from Excel as CSV UTF-8.", reader.line_num) from None
    return rows


def _check_size(rows: int, columns: int) -> None:
    if rows > MAX_ROWS + 1:
        raise UnreadableFile(f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files.")
    if columns > MAX_COLUMNS:
        raise UnreadableFile(f"Row {rows} has {columns} values; a template has at most 11 columns. Check that "
                             "this is the right file and that each cell is in its own column.", rows)


def _check_cells(cells: int, rows: int) -> int:
    """``cells`` (read so far, up to row ``rows``) if within ``MAX_CELLS``; else ``UnreadableFile``."""
    if cells > MAX_CELLS:
        raise UnreadableFile(f"The file has more than {MAX_CELLS:,} cells (rows times columns) by row {rows:,}; "
                             f"the limit is {MAX_CELLS:,}. Split it into smaller files, or remove columns the "
                             "template does not have.", rows)
    return cells


def _xlsx_rows(content: bytes) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile("The workbook is damaged and cannot be opened. Open it in Excel and save it again as "
                             ".xlsx or as CSV UTF-8.") from None
    if unpacked > MAX_UNPACKED_XLSX_BYTES:
        raise UnreadableFile("The workbook unpacks to more than 200 MB. Upload a smaller file, or save it as CSV.")
    from openpyxl import load_workbook  # imported here: only Excel uploads need it

    rows: list[list[str]] = []
    cells_read = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                for values in workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
                    cells = [_cell_text(v) for v in values]
                    while cells and not cells[-1]:
                        cells.pop()
                    rows.append(cells)
                    _check_size(len(rows), len(cells))
                    cells_read = _check_cells(cells_read + len(cells), len(rows))
            finally:
                workbook.close()
    except UnreadableFile:
        raise
    except Exception:  # openpyxl raises many types for a malformed workbook; all mean the same to a user
        raise UnreadableFile("This is not an Excel workbook that can be read (it may be another kind of zip file, "
                             "damaged or from another program). Save it from Excel as .xlsx or as CSV UTF-8.") from None
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(rows: list[list[str]]) -> RawTable:
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise UnreadableFile("The first row is empty. The first row must be the header, as in the template.", 1)
    columns = [normalise_heading(c) for c in rows[0]]
    while columns and not columns[-1] and all(len(r) < len(columns) or not r[len(columns) - 1].strip()
                                              for r in rows[1:]):
        columns.pop()  # trailing blank columns that Excel sometimes adds
    width = len(columns)
    records, index, ragged = [], [], []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            ragged.append((number, len(cells)))
        records.append((cells + [""] * width)[:width])
        index.append(number)
    if not records:
        raise UnreadableFile("The file has a header row but no data rows. Add your rows below the header.", 2)
    frame = pd.DataFrame(records, index=pd.Index(index, name="row"), columns=range(width), dtype=object)
    named = {i: name for i, name in enumerate(columns) if name and columns.index(name) == i}
    frame = frame[list(named)].rename(columns=named)
    return RawTable(columns=columns, frame=frame, ragged=tuple(ragged))


# --- templates --------------------------------------------------------------------------------------------

TEMPLATE_ROWS: dict[str, list[dict[str, object]]] = {
    "observations": [
        {"indicator_code": "CLAIMANT", "area_code": "E01011264", "period_start": "2026-10-01",
         "period_end": "2026-10-31", "value": 3.85, "numerator": 25, "denominator": 649, "status": "provisional"},
        {"indicator_code": "ENGAGED", "area_code": "PN-NWORT", "period_start": "2026-10-01",
         "period_end": "2026-12-31", "value": 52, "numerator": 52, "denominator": "", "status": "provisional"},
    ],
    "targets": [
        {"area_code": "PN-NWORT", "indicator_code": "HATE", "baseline_period_start": "2019-04-01",
         "baseline_period_end": "2019-06-30", "baseline_value": 9, "target_value": 6, "target_date": "2027-03-31",
         "tolerance": 15, "tolerance_type": "relative",
         "description": "Reduce hate incidents from 9 in Apr–Jun 2019 to 6 a quarter by 31 March 2027."},
        {"area_code": "PN-BOGG", "indicator_code": "FLYTIP", "baseline_period_start": "2019-04-01",
         "baseline_period_end": "2019-04-30", "baseline_value": 30, "target_value": 22, "target_date": "2027-03-31",
         "tolerance": 2, "tolerance_type": "absolute",
         "description": "Reduce fly-tipping reports from 30 in April 2019 to 22 a month by 31 March 2027."},
    ],
    "actions": [
        {"area_code": "PN-NWORT", "action_ref": "NW-20", "title": "Community safety walkabouts with residents",
         "lead": "Communities Team", "theme": "Safety", "start_date": "2026-10-01", "due_date": "2027-03-31",
         "percent_complete": 10, "status": "in_progress", "linked_indicators": "ASB_ALL;CRIME_ALL",
         "commentary": "First walkabout held in October."},
        {"area_code": "PN-BOGG", "action_ref": "BH-20", "title": "Digital drop-in at the community hub",
         "lead": "Leeds Libraries", "theme": "Inclusion", "start_date": "2026-11-01", "due_date": "2027-06-30",
         "percent_complete": 0, "status": "not_started", "linked_indicators": "DIGITAL", "commentary": ""},
    ],
    "events": [
        {"area_code": "PN-NWORT", "event_date": "2026-10-17", "title": "Community clean-up day",
         "description": "Residents and the Cleaner Neighbourhoods Team cleared the ginnels."},
        {"area_code": "E08000035", "event_date": "2026-11-02", "title": "New city-wide fly-tipping reporting app",
         "description": "Reports can now be made online with a photograph."},
    ],
}


def template_frame(kind: str) -> pd.DataFrame:
    """Header and two example rows for ``kind`` (columns in template order)."""
    if kind not in KINDS:
        raise DataFileError(f"There is no template for '{kind}'. Choose one of: {', '.join(KINDS)}.")
    return pd.DataFrame(TEMPLATE_ROWS[kind], columns=KINDS[kind].columns, dtype=object)


def template_bytes(kind: str, *, excel: bool = False) -> bytes:
    """The template as UTF-8 CSV (with a byte-order mark, for Excel) or as an .xlsx workbook."""
    frame = template_frame(kind)
    if excel:
        return excel_bytes({kind: frame})
    return csv_bytes(frame.map(str))  # text, so that 52 is not written as 52.0
