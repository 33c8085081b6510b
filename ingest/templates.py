"""Upload file formats: the columns of each kind, their templates, and reading a file into text cells.

Five kinds can be uploaded: observations, targets, actions, events and indicators (``KINDS``). Each template is
the header plus two example rows that import cleanly into the sample database.

``read_table`` turns the bytes of a CSV or .xlsx file into a table of text cells whose index is
the row number a spreadsheet shows. It finds the header below title rows (as Nomis writes them),
reads a two-row (merged) heading as one, leaves footnotes below the data out, and in a workbook
reads the sheet with a recognised header (or the one asked for). It refuses, with one sentence
saying how to fix it, a file that is too large, empty, binary, in an unknown text encoding, an
old-style or password-protected workbook, or neither CSV nor .xlsx. Checking the cells is
``ingest.validation``'s job.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import warnings
import zipfile
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
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

    def __init__(self, reason: str, row: int | None = None, *, sheet: str | None = None,
                 sheets: tuple[str, ...] = ()) -> None:
        self.row = row
        self.sheet, self.sheets = sheet, sheets  # the worksheet tried and the visible ones, to choose another
        super().__init__(reason)


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # code, text, number, date, period (read by the indicator's frequency), choice, codes
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
            Field("period_start", "period",
                  help="the period as the source writes it (2026-10, Oct-26, Q3 2026/27, 2026/27...) or its first day"),
            Field("period_end", "date", required=False, optional_column=True,
                  help="may be left empty: it follows from the start and the indicator's frequency"),
            Field("value", "number", required=False,
                  help="a number; or the source's suppression marker (<5, *, [c], [x], .., -), or empty with a "
                       "value note, when the source withheld it; empty for 0/0 (no eligible population)"),
            Field("numerator", "number", required=False, optional_column=True),
            Field("denominator", "number", required=False, optional_column=True,
                  help="may be left empty for a count: the population held for the area is used"),
            Field("status", "choice", required=False, optional_column=True, choices=schema.OBSERVATION_STATUSES,
                  help="final (the default when empty) or provisional"),
            Field("value_note", "text", required=False, optional_column=True, max_length=1_000,
                  help="the source's note on the value, e.g. 'Value suppressed for disclosure control'"),
            Field("lower_limit", "number", required=False, optional_column=True,
                  help="published estimates: the lower 95% confidence limit as published"),
            Field("upper_limit", "number", required=False, optional_column=True,
                  help="published estimates: the upper 95% confidence limit as published"),
            Field("unweighted_base", "number", required=False, optional_column=True,
                  help="weighted survey percentages: the respondents behind the value"),
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
        KindSpec("indicators", (
            Field("code", "code", max_length=40, help="capital letters, digits and underscores, e.g. CLAIMANT_COUNT"),
            Field("name", "text", max_length=200),
            Field("theme", "label", choices=schema.THEMES),
            Field("definition", "text", help="plain English: what is counted, over what, and what is left out"),
            Field("source", "text", max_length=1_000),
            Field("unit", "choice", choices=schema.UNITS),
            Field("polarity", "choice", choices=schema.POLARITIES),
            Field("frequency", "choice", choices=schema.FREQUENCIES,
                  help="annual is the financial year; calendar_year runs January to December"),
            Field("aggregation", "choice", choices=schema.AGGREGATIONS,
                  help="sum for counts, ratio for percentages and rates"),
            Field("collection_geography", "choice", choices=schema.AREA_TYPES,
                  help="lsoa (added up to every locality), ward (wards only), or priority_neighbourhood"),
            Field("disclosure_control", "flag", required=False, optional_column=True,
                  help="true to hide small numbers from viewers (default false)"),
            Field("staleness_days", "number", help="days after a period ends before its value is too old to rate"),
            Field("missing_means_zero", "flag", required=False, optional_column=True,
                  help="true for counts from incident lists: an LSOA absent from a file had none (default false)"),
            Field("estimate_type", "choice", required=False, optional_column=True, choices=schema.ESTIMATE_TYPES,
                  help="counted (the default), or a published estimate held with its limits"),
        ), key=("code",),
            description="the indicator catalogue: one row per indicator, new or changed"),
    )
}


KIND_NAMES = tuple(KINDS)


# --- reading ----------------------------------------------------------------------------------------------

HEADER_SEARCH_ROWS = 30  # title rows above a header: Nomis writes about six, officers' returns two or three
MIN_TEMPLATE_HEADINGS = 3


@dataclass(frozen=True)
class RawTable:
    """Text cells of an upload. ``columns``: every heading, normalised, in file order (blank ones too);
    ``frame``: one column per distinct named heading, index = spreadsheet row (blank rows left out);
    ``ragged``: (row, number of values) for rows with more values than headings; ``sheet``: the worksheet
    read and ``sheets`` the visible ones (workbooks only); ``header_row``: the row the header was found in
    (two rows for a two-row header: the lower one); ``notes``: sentences about what reading left out
    (title rows, footnotes); ``formulas``: (row, heading) of cells holding a formula with no saved result;
    ``titles``: the non-blank rows above the header, as stripped text cells."""

    columns: list[str]
    frame: pd.DataFrame
    ragged: tuple[tuple[int, int], ...] = ()
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    header_row: int = 1
    notes: tuple[str, ...] = ()
    formulas: tuple[tuple[int, str], ...] = ()
    titles: tuple[tuple[str, ...], ...] = ()


HeaderScore = Callable[[list[str]], int]


def normalise_heading(heading: object) -> str:
    """'  Indicator Code ' -> 'indicator_code'.

    Example:
        >>> normalise_heading(" Period-start ")
        'period_start'
    """
    text = "" if heading is None else str(heading)
    return "_".join(text.replace("\ufeff", "").strip().lower().replace("-", " ").split())


def template_header_score(columns: list[str]) -> int:
    """How many headings of the best-matching template the row holds; 0 when fewer than three.

    Example:
        >>> template_header_score(["indicator_code", "area_code", "period_start", "value"])
        4
        >>> template_header_score(["Claimant count by sex and age"])
        0
    """
    present = set(columns)
    best = max(len(present & set(spec.columns)) for spec in KINDS.values())
    return best if best >= MIN_TEMPLATE_HEADINGS else 0


def oversize_reason(size: int) -> str:
    return (f"The file is {size / 1_048_576:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 1_048_576} MB. "
            "Split it into smaller files and upload each.")


def read_table(content: bytes, file_name: str, *, sheet: str | None = None,
               header_score: HeaderScore = template_header_score, limited: bool = True) -> RawTable:
    """The text cells of a CSV or workbook upload; raises ``UnreadableFile`` saying how to fix the file.

    The header is the first of the top rows that ``header_score`` recognises (> 0), else the first row
    with text; rows above it are titles, and a block of one-cell rows below the data is footnotes.
    Workbooks: ``sheet`` names the worksheet to read; by default the first visible sheet whose header
    is recognised, else the first visible sheet. Percent-formatted cells are read as shown (0.523 as
    52.3), date cells as YYYY-MM-DD. A CSV whose header is its first row is read by pandas (quick);
    others by the csv module. ``limited`` False (the command line) lifts the byte, row and cell limits.
    """
    with _limits(limited):
        return _read_table(content, file_name, sheet=sheet, header_score=header_score, limited=limited)


_UNLIMITED: ContextVar[bool] = ContextVar("unlimited_read", default=False)  # the command line reading a file


@contextmanager
def _limits(limited: bool):
    token = _UNLIMITED.set(not limited)  # per thread: a page's upload never sees the command line's setting
    try:
        yield
    finally:
        _UNLIMITED.reset(token)


def _read_table(content: bytes, file_name: str, *, sheet: str | None, header_score: HeaderScore,
                limited: bool) -> RawTable:
    if limited and len(content) > MAX_UPLOAD_BYTES:
        raise UnreadableFile(oversize_reason(len(content)))
    if not content.strip():
        raise UnreadableFile("The file is empty. Start from a template: keep its header row and add your rows.")
    suffix = Path(file_name).suffix.lower()
    if content.startswith(ZIP_MAGIC):
        workbook = _xlsx_rows(content, sheet, header_score)
        try:
            return _table(workbook.rows, header_score, sheet=workbook.sheet, sheets=workbook.sheets,
                          formula_cells=workbook.formula_cells)
        except UnreadableFile as exc:
            raise UnreadableFile(f"Sheet '{workbook.sheet}': {exc}", exc.row, sheet=workbook.sheet,
                                 sheets=workbook.sheets) from None
    if content.startswith(OLE_MAGIC):
        raise UnreadableFile("This is an old-style Excel file (.xls) or a password-protected workbook. In Excel, "
                             "save it as an Excel Workbook (.xlsx) without a password, or as CSV UTF-8.")
    if suffix in XLSX_SUFFIXES:
        raise UnreadableFile("This file is named .xlsx but is not an Excel workbook. Open it in Excel and save "
                             "it again as an Excel Workbook (.xlsx) or as CSV UTF-8.")
    if suffix in CSV_SUFFIXES:
        text = _decode(content)
        delimiter = _delimiter(text)
        quick = _plain_csv_table(lambda: io.StringIO(text, newline=""), delimiter, header_score, limited=limited)
        return quick if quick is not None else _table(_csv_rows(text), header_score)
    raise UnreadableFile(f"'{suffix}' files cannot be imported. Upload a CSV file (.csv, .txt or .tsv) or an "
                         "Excel workbook (.xlsx or .xlsm); the templates show the layout.")


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


def read_table_file(path: Path, *, sheet: str | None = None, header_score: HeaderScore = template_header_score,
                    progress: Callable[[float], None] | None = None) -> RawTable:
    """``read_table`` for a file on disk of any size (the command line): no byte, row or cell limit.

    A CSV with its header in the first row is streamed through pandas in chunks of ``CHUNK_ROWS``
    (``progress(fraction of the file read)`` after each); any other layout (title rows, footnotes, a
    ragged row) and workbooks are read whole, as ``read_table`` reads them. Raises ``UnreadableFile``.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
        size = path.stat().st_size
    except FileNotFoundError:
        raise DataFileError(f"There is no file {path}.") from None
    except PermissionError:
        raise DataFileError(f"{path} cannot be read (permission denied).") from None
    suffix = path.suffix.lower()
    if not head.strip():
        raise UnreadableFile("The file is empty. Start from a template: keep its header row and add your rows.")
    if suffix in CSV_SUFFIXES and not head.startswith((ZIP_MAGIC, OLE_MAGIC)):
        encoding = _encoding(head)
        text = head.decode(encoding, errors="ignore")
        delimiter = _delimiter(text)
        for tried in (encoding, "cp1252") if encoding == "utf-8-sig" else (encoding,):
            try:
                quick = _plain_csv_table(lambda tried=tried: path.open(encoding=tried, newline=""), delimiter,
                                         header_score, limited=False, progress=progress, size=size)
            except UnicodeDecodeError:
                continue
            if quick is not None:
                return quick
            break
    content = path.read_bytes()
    return read_table(content, path.name, sheet=sheet, header_score=header_score, limited=False)


HEAD_BYTES = 1 << 16  # enough of a file to tell its encoding, separator and header
CHUNK_ROWS = 200_000  # rows pandas reads at a time from a large CSV


def _encoding(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise UnreadableFile("The file contains binary data, so it is not a CSV text file. Upload a CSV file "
                             "(in Excel: Save As, 'CSV UTF-8 (Comma delimited)') or an Excel workbook (.xlsx).")
    return "utf-8-sig"


def _plain_csv_table(open_text: Callable[[], io.TextIOBase], delimiter: str, header_score: HeaderScore, *,
                     limited: bool, progress: Callable[[float], None] | None = None,
                     size: int | None = None) -> RawTable | None:
    """A CSV whose header is its first row, read by pandas' C parser a chunk at a time into Arrow text;
    None when the file needs the careful reader (``_table``): a header lower down or over two rows,
    a ragged row, notes below the data, no data rows, or more than the limits (``limited``)."""
    with open_text() as handle:
        top = list(itertools.islice(csv.reader(handle, delimiter=delimiter), HEADER_SEARCH_ROWS))
    if not top or _find_header(top, header_score) != 0 or len(top) < 2:
        return None
    header = top[0]
    if len(header) > MAX_COLUMNS or any("\n" in cell or "\r" in cell for cell in header):
        return None  # the careful reader says what is wrong; pandas skips the header as one line
    if header_score([normalise_heading(c) for c in _two_row_heading(header, top[1])]) > header_score(
            [normalise_heading(c) for c in header]) and not _blank(top[1]):
        return None
    width = len(header)
    try:
        with open_text() as handle, warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)  # extra values in the first rows: ragged
            reader = pd.read_csv(handle, header=None, skiprows=1, names=range(width), index_col=False, dtype="str",
                                 na_filter=False, skip_blank_lines=False, sep=delimiter, engine="c",
                                 chunksize=CHUNK_ROWS)
            chunks = []
            for chunk in reader:
                chunks.append(chunk)
                if limited and sum(map(len, chunks)) > MAX_ROWS:
                    return None
                if progress is not None and size:
                    progress(min(1.0, handle.buffer.tell() / size if hasattr(handle, "buffer") else 1.0))
    except (pd.errors.ParserError, pd.errors.ParserWarning, pd.errors.EmptyDataError, csv.Error):
        return None
    if not chunks:
        return None
    frame = pd.concat(chunks) if len(chunks) > 1 else chunks[0]
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    if limited and (len(frame) + 1) * width > MAX_CELLS:
        return None
    return _plain_table(header, frame, header_score)


def _plain_table(header: list[str], frame: pd.DataFrame, header_score: HeaderScore) -> RawTable | None:
    """``RawTable`` of a one-row header and the body rows as pandas read them (None: see ``_plain_csv_table``)."""
    filled = pd.DataFrame({c: frame[c].str.strip() != "" for c in frame.columns})
    frame = frame[filled.any(axis=1).to_numpy()]
    if frame.empty:
        return None
    tail = frame.tail(HEADER_SEARCH_ROWS).to_numpy(dtype=object).tolist()
    if _footnotes(tail, 0) < len(tail) or _filled(tail[-1]) <= 1:
        return None
    columns = [normalise_heading(c) for c in header]
    while columns and not columns[-1] and not filled[len(columns) - 1].any():
        columns.pop()  # trailing blank columns that Excel sometimes adds
    if not header_score(columns):
        return None
    named = {i: name for i, name in enumerate(columns) if name and columns.index(name) == i}
    frame = frame[list(named)].rename(columns=named)
    return RawTable(columns=columns, frame=frame)


def _delimiter(text: str) -> str:
    """The separator used most on any one of the top lines (title lines above a header have few)."""
    lines = text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS]
    counts = {d: max(line.count(d) for line in lines) for d in ",;\t"}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
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
    if rows > MAX_ROWS + 1 and not _UNLIMITED.get():
        raise UnreadableFile(f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files.")
    if columns > MAX_COLUMNS:
        raise UnreadableFile(f"Row {rows} has {columns} values; a file can have at most {MAX_COLUMNS} columns. "
                             "Check that this is the right file and that each cell is in its own column.", rows)


def _check_cells(cells: int, rows: int) -> int:
    """``cells`` (read so far, up to row ``rows``) if within ``MAX_CELLS``; else ``UnreadableFile``."""
    if cells > MAX_CELLS and not _UNLIMITED.get():
        raise UnreadableFile(f"The file has more than {MAX_CELLS:,} cells (rows times columns) by row {rows:,}; "
                             f"the limit is {MAX_CELLS:,}. Split it into smaller files, or remove columns the "
                             "template does not have.", rows)
    return cells


@dataclass(frozen=True)
class _Workbook:
    rows: list[list[str]]
    sheet: str
    sheets: tuple[str, ...]
    formula_cells: tuple[tuple[int, int], ...]  # (spreadsheet row, column index)


def _xlsx_rows(content: bytes, sheet: str | None, header_score: HeaderScore) -> _Workbook:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            has_formulas = any(b"<f" in archive.read(info) for info in archive.infolist()
                               if info.filename.startswith("xl/worksheets/") and unpacked <= MAX_UNPACKED_XLSX_BYTES)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        raise UnreadableFile("The workbook is damaged and cannot be opened. Open it in Excel and save it again as "
                             ".xlsx or as CSV UTF-8.") from None
    if unpacked > MAX_UNPACKED_XLSX_BYTES and not _UNLIMITED.get():
        raise UnreadableFile("The workbook unpacks to more than 200 MB. Upload a smaller file, or save it as CSV.")
    from openpyxl import load_workbook  # imported here: only Excel uploads need it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                worksheet = _choose_sheet(workbook, sheet, header_score)
                rows = _sheet_rows(worksheet)
                visible = tuple(ws.title for ws in workbook.worksheets if ws.sheet_state == "visible")
                _check_cells(sum(len(cells) for cells in rows), len(rows))
            finally:
                workbook.close()
            formulas = _unsaved_formulas(content, worksheet.title, rows) if has_formulas else ()
    except UnreadableFile:
        raise
    except Exception:  # openpyxl raises many types for a malformed workbook; all mean the same to a user
        raise UnreadableFile("This is not an Excel workbook that can be read (it may be another kind of zip file, "
                             "damaged or from another program). Save it from Excel as .xlsx or as CSV UTF-8.") from None
    return _Workbook(rows, worksheet.title, visible, formulas)


def _choose_sheet(workbook, sheet: str | None, header_score: HeaderScore):
    """The named sheet; else the first visible sheet with a recognised header; else the first visible one."""
    if sheet:
        for worksheet in workbook.worksheets:
            if worksheet.title.strip().lower() == sheet.strip().lower():
                return worksheet
        names = ", ".join(f"'{ws.title}'" for ws in workbook.worksheets)
        visible = tuple(ws.title for ws in workbook.worksheets if ws.sheet_state == "visible")
        raise UnreadableFile(f"The workbook has no sheet named '{sheet}'. Its sheets are: {names}.", sheets=visible)
    visible = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"] or list(workbook.worksheets)
    for worksheet in visible:
        top = _sheet_rows(worksheet, limit=HEADER_SEARCH_ROWS)
        if any(header_score([normalise_heading(c) for c in cells]) for cells in top):
            return worksheet
    return visible[0]


def _sheet_rows(worksheet, limit: int | None = None) -> list[list[str]]:
    rows: list[list[str]] = []
    for cells in worksheet.iter_rows(max_col=MAX_COLUMNS + 1, max_row=limit):
        texts = [_cell_text(getattr(c, "value", None), getattr(c, "number_format", None)) for c in cells]
        while texts and not texts[-1]:
            texts.pop()
        rows.append(texts)
        _check_size(len(rows), len(texts))
    return rows


def _unsaved_formulas(content: bytes, title: str, rows: list[list[str]]) -> tuple[tuple[int, int], ...]:
    """Cells that hold a formula but no saved result (a workbook written by a program, never opened in Excel)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        found = []
        for number, cells in enumerate(workbook[title].iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), start=1):
            for column, value in enumerate(cells):
                saved = rows[number - 1][column] if number <= len(rows) and column < len(rows[number - 1]) else ""
                if isinstance(value, str) and value.startswith("=") and not saved:
                    found.append((number, column))
        return tuple(found)
    finally:
        workbook.close()


def _cell_text(value: object, number_format: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float) and number_format and "%" in number_format:
        value = round(value * 100, 10)  # a percent cell holds 0.523 and shows 52.3%: the officer means 52.3
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _filled(cells: list[str]) -> int:
    return sum(1 for cell in cells if cell.strip())


def _find_header(rows: list[list[str]], header_score: HeaderScore) -> int:
    """Index of the header row: the first recognised one among the top rows, else the first with text."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if header_score([normalise_heading(c) for c in cells]):
            return index
    return next((i for i, cells in enumerate(rows) if not _blank(cells)), 0)


def _two_row_heading(top: list[str], below: list[str]) -> list[str]:
    """'Period' over 'start' and (merged, so blank) over 'end' -> 'Period start', 'Period end'."""
    width = max(len(top), len(below))
    top, below = top + [""] * (width - len(top)), below + [""] * (width - len(below))
    headings, carried = [], ""
    for upper, lower in zip(top, below, strict=True):
        carried = upper.strip() or (carried if lower.strip() else "")
        headings.append(f"{carried} {lower.strip()}".strip() if lower.strip() else upper)
    return headings


def _footnotes(rows: list[list[str]], start: int) -> int:
    """Index where footnotes begin: the rows after the last blank line that each hold at most one cell of
    text, or trailing one-cell rows of prose. ``len(rows)`` when there are none."""
    end = len(rows)
    while end > start and _blank(rows[end - 1]):
        end -= 1
    cut = end
    while cut > start and (_blank(rows[cut - 1]) or _filled(rows[cut - 1]) <= 1):
        cut -= 1
    block = rows[cut:end]
    if any(_blank(cells) for cells in block):
        return cut + next(i for i, cells in enumerate(block) if _blank(cells))
    prose = [c for c in block if " " in next(cell for cell in c if cell.strip()).strip()]
    return cut if block and len(prose) == len(block) else len(rows)


def _table(rows: list[list[str]], header_score: HeaderScore = template_header_score, *, sheet: str | None = None,
           sheets: tuple[str, ...] = (), formula_cells: tuple[tuple[int, int], ...] = ()) -> RawTable:
    if not rows or all(_blank(cells) for cells in rows):
        where = f"The sheet '{sheet}'" if sheet else "The file"
        raise UnreadableFile(f"{where} is empty. Start from a template: keep its header row and add your rows.", 1)
    at = _find_header(rows, header_score)
    header = rows[at]
    notes = []
    title_rows = tuple(tuple(cell.strip() for cell in cells) for cells in rows[:at] if not _blank(cells))
    titles = len(title_rows)
    if at + 1 < len(rows) and not _blank(rows[at + 1]):
        combined = _two_row_heading(header, rows[at + 1])
        if header_score([normalise_heading(c) for c in combined]) > header_score([normalise_heading(c) for c in header]):
            header, at = combined, at + 1
            notes.append(f"The header is in rows {at} and {at + 1} (a two-row heading); they were read together.")
    if titles > 0:
        notes.insert(0, f"The header starts in row {at + 1 - len(notes)}; {titles} title row{'s' if titles > 1 else ''} above it "
                        f"{'were' if titles > 1 else 'was'} left out.")
    columns = [normalise_heading(c) for c in header]
    body_start = at + 1
    body_end = _footnotes(rows, body_start)
    left = [(number, cells) for number, cells in enumerate(rows[body_end:], start=body_end + 1) if not _blank(cells)]
    if left:
        first = next(cell for cell in left[0][1] if cell.strip()).strip()
        notes.append(f"{len(left)} note{'s' if len(left) > 1 else ''} below the data (from row {left[0][0]}: "
                     f"'{first[:60]}{'…' if len(first) > 60 else ''}') {'were' if len(left) > 1 else 'was'} not read "
                     "as data.")
    while columns and not columns[-1] and all(len(r) < len(columns) or not r[len(columns) - 1].strip()
                                              for r in rows[body_start:body_end]):
        columns.pop()  # trailing blank columns that Excel sometimes adds
    width = len(columns)
    records, index, ragged = [], [], []
    for number, cells in enumerate(rows[body_start:body_end], start=body_start + 1):
        if _blank(cells):
            continue
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            ragged.append((number, len(cells)))
        records.append((cells + [""] * width)[:width])
        index.append(number)
    if not records and not header_score(columns):
        raise UnreadableFile("No table with a header the dashboard knows was found (the top rows look like titles "
                             "or notes). Choose the sheet that holds the data, or start from a template.", 1)
    if not records:
        raise UnreadableFile("The file has a header row but no data rows. Add your rows below the header.",
                             body_start + 1)
    frame = pd.DataFrame(records, index=pd.Index(index, name="row"), columns=range(width), dtype=object)
    named = {i: name for i, name in enumerate(columns) if name and columns.index(name) == i}
    frame = frame[list(named)].rename(columns=named)
    formulas = tuple((row, named.get(column, f"column {column + 1}")) for row, column in formula_cells
                     if row > body_start)
    return RawTable(columns=columns, frame=frame, ragged=tuple(ragged), sheet=sheet, sheets=sheets,
                    header_row=at + 1, notes=tuple(notes), formulas=formulas, titles=title_rows)


# --- templates --------------------------------------------------------------------------------------------

TEMPLATE_ROWS: dict[str, list[dict[str, object]]] = {
    "observations": [
        {"indicator_code": "CLAIMANT", "area_code": "E01011264", "period_start": "2026-10-01",
         "period_end": "2026-10-31", "value": 3.85, "numerator": 25, "denominator": 649, "status": "provisional",
         "value_note": "", "lower_limit": "", "upper_limit": "", "unweighted_base": ""},
        {"indicator_code": "ENGAGED", "area_code": "PN-NWORT", "period_start": "2026-10-01",
         "period_end": "2026-12-31", "value": 52, "numerator": 52, "denominator": "", "status": "provisional",
         "value_note": "", "lower_limit": "", "upper_limit": "", "unweighted_base": ""},
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
    "indicators": [
        {"code": "YOUTH_CLAIMANTS", "name": "Claimant count aged 18 to 24", "theme": "Employment and skills",
         "definition": "Residents aged 18 to 24 claiming unemployment-related benefits (Jobseeker's Allowance, or "
                       "Universal Credit while searching for work) in the month, by ward of residence. Counts are "
                       "rounded to 5.",
         "source": "ONS and DWP Claimant Count by age (Nomis NM_162_1)", "unit": "count", "polarity": "lower_is_better",
         "frequency": "monthly", "aggregation": "sum", "collection_geography": "ward", "disclosure_control": "false",
         "staleness_days": 120, "missing_means_zero": "false", "estimate_type": "counted"},
        {"code": "LIFE_SATISFIED", "name": "Satisfied with life", "theme": "Health and wellbeing",
         "definition": "Percentage of survey respondents aged 16 and over who rate their life satisfaction 7 or "
                       "more out of 10, weighted to the population of the ward.",
         "source": "Leeds City Council residents' survey", "unit": "percent", "polarity": "higher_is_better",
         "frequency": "annual", "aggregation": "ratio", "collection_geography": "ward", "disclosure_control": "false",
         "staleness_days": 550, "missing_means_zero": "false", "estimate_type": "weighted_survey_percent"},
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
