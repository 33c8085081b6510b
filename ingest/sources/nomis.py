"""Nomis downloads (nomisweb.co.uk): the bulk/API CSV and the web "table" download.

**Bulk/API CSV** (the API's ``.data.csv``, or "Download data" as CSV): one row per observation, with
columns such as DATE, DATE_NAME, DATE_CODE, DATE_TYPE, GEOGRAPHY, GEOGRAPHY_NAME, GEOGRAPHY_CODE,
GEOGRAPHY_TYPE, then each of the dataset's dimensions as X, X_NAME, X_CODE... (GENDER_NAME, AGE_NAME,
MEASURE_NAME, CELL_NAME...), MEASURES_NAME, OBS_VALUE, OBS_STATUS, OBS_STATUS_NAME, OBS_CONF,
RECORD_OFFSET, RECORD_COUNT.

**Table download** (the query tool's CSV or Excel table): title lines ("Claimant count by sex and
age", "ONS Crown Copyright Reserved ..."), lines naming the table's fixed choices ("Date : October
2023", "sex : Total", "measure : Claimant count"), a header with the area heading ("ward:2022"), a
``mnemonic`` column of GSS codes, and one column per month (or one value column when the date is in
the titles), a row per area ("ward:Armley" or "Armley"), and footnotes below.

**Series.** A Nomis series is named by its dimension labels that are not totals, in file order:
``MEASURE_NAME`` "Claimant count" with ``GENDER_NAME`` "Total" and ``AGE_NAME`` "All categories: Age
16+" is the series "Claimant count"; with ``GENDER_NAME`` "Male" it is "Male / Claimant count". In a
table the choice lines play the same part (else the first title line names it). The indicator comes
from ``source_mappings`` (source ``nomis``, source value = the series); an unlinked series stops the
file with the command that links it, and a series mapped to no indicator is left out.

**Values.** ``OBS_STATUS`` Q (suppressed) or ``OBS_CONF`` true, and table cells written ``*``, ``!``,
``#``, ``~``, ``-`` or ``..``, are suppressed at source: the value becomes the marker ``[c]`` with a
value note. ``OBS_STATUS`` P marks a provisional value. A row with no value published (status M or X,
or an empty cell) is left out and counted, as are areas the store does not hold and areas at another
level than the indicator's collection geography (the district's own total beside its wards).

Example:
    >>> frame = pd.DataFrame({"date_code": ["2023-10", "2023-10"], "geography_code": ["E05011385", "E08000035"],
    ...     "geography_name": ["Armley", "Leeds"], "gender_name": ["Total", "Total"],
    ...     "measure_name": ["Claimant count", "Claimant count"], "measures_name": ["Value", "Value"],
    ...     "obs_value": ["1645", "22795"], "obs_status": ["A", "A"]}, index=[2, 3])
    >>> context = SourceContext(area_codes=frozenset({"E05011385", "E08000035"}), district="Leeds",
    ...     mappings={("nomis", "Claimant count"): "CC"}, area_types={"E05011385": "ward", "E08000035": "city"},
    ...     indicator_geographies={"CC": "ward"})
    >>> result = read(frame, context)
    >>> result.rows[["indicator_code", "area_code", "period_start", "value"]].values.tolist()
    [['CC', 'E05011385', '2023-10', '1645']]
    >>> result.report.summary()
    'Nomis bulk CSV: 2 rows, 1 left out (1 at another level than the indicator (such as Leeds))'
"""

from __future__ import annotations

import re

import pandas as pd

from ingest.periods import MONTHS_IN, PeriodError, parse_period
from ingest.sources import SourceContext, SourceProblem, SourceReport, SourceResult, text_column

NAME = "nomis"
TITLE = "Nomis download"
BULK_TITLE, TABLE_TITLE = "Nomis bulk CSV", "Nomis table"
SUPPRESSED_MARKER = "[c]"
BULK_REQUIRED = ("geography_code", "obs_value")
BULK_HEADINGS = ("date", "date_name", "date_code", "date_type", "date_typecode", "date_sortorder", "geography",
                 "geography_name", "geography_code", "geography_type", "geography_typecode", "measures",
                 "measures_name", "obs_value", "obs_status", "obs_status_name", "obs_conf", "obs_conf_name", "urn",
                 "record_offset", "record_count")
NOT_SERIES = ("date", "geography", "obs_status", "obs_conf")  # *_NAME columns that do not name the series
STATUS_SUPPRESSED, STATUS_PROVISIONAL, STATUS_NO_VALUE = ("Q",), ("P",), ("M", "X")
TABLE_MARKERS = ("*", "!", "#", "~", "-", "..")  # Nomis tables' signs for a disclosive or unreliable figure
CODE_HEADING = "mnemonic"
_TOTAL = re.compile(r"^(total|all\b.*|value)$", re.IGNORECASE)
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def header_score(columns: list[str]) -> int:
    """Bulk CSV: the number of Nomis headings, when GEOGRAPHY_CODE, OBS_VALUE and a date heading are there.
    Table: 2 plus the number of period headings, when a ``mnemonic`` column follows the area heading."""
    present = set(columns)
    if set(BULK_REQUIRED) <= present and present & {"date", "date_code", "date_name"}:
        return len(present & set(BULK_HEADINGS))
    if CODE_HEADING in columns and columns.index(CODE_HEADING) == 1 and columns[0]:
        return 2 + sum(1 for heading in columns[2:] if _period_text(heading))
    return 0


def read(frame: pd.DataFrame, context: SourceContext) -> SourceResult:
    """Observation rows (text cells) and a report; see the module docstring."""
    if "obs_value" in frame.columns:
        return _read_bulk(frame, context)
    return _read_table(frame, context)


def series_label(labels: list[str]) -> str:
    """The series named by dimension labels, totals left out.

    Example:
        >>> series_label(["Total", "All categories: Age 16+", "Claimant count", "Value"])
        'Claimant count'
        >>> series_label(["Male", "Claimant count"])
        'Male / Claimant count'
    """
    return " / ".join(label for label in labels if label and not _TOTAL.match(label))


def _read_bulk(frame: pd.DataFrame, context: SourceContext) -> SourceResult:
    dimensions = [c for c in frame.columns if c.endswith("_name") and c[:-5] not in NOT_SERIES]
    series = pd.Series([series_label(list(labels)) for labels in zip(*(text_column(frame, c) for c in dimensions))]
                       if dimensions else [""] * len(frame), index=frame.index, dtype=object)
    series = series.where(series != "", "Value")
    period = next((text_column(frame, c) for c in ("date_code", "date", "date_name") if c in frame.columns))
    status = text_column(frame, "obs_status").str.upper()
    confidential = text_column(frame, "obs_conf").str.upper().isin(("T", "TRUE"))
    value = text_column(frame, "obs_value").str.replace(",", "", regex=False)
    suppressed = status.isin(STATUS_SUPPRESSED) | confidential
    observations = pd.DataFrame({"series": series, "area_code": text_column(frame, "geography_code").str.upper(),
                                 "area_name": text_column(frame, "geography_name"), "period_start": period,
                                 "value": value.where(~suppressed, SUPPRESSED_MARKER),
                                 "value_note": pd.Series("", index=frame.index, dtype=object),
                                 "status": status.map(lambda s: "provisional" if s in STATUS_PROVISIONAL else "final")})
    observations.loc[suppressed, "value_note"] = "Suppressed at source (Nomis status " + status[suppressed] + ")"
    observations.loc[confidential & ~status.isin(STATUS_SUPPRESSED), "value_note"] = "Confidential at source (Nomis)"
    no_value = (observations["value"] == "") | status.isin(STATUS_NO_VALUE)
    named_by = next((c for c in ("measure_name", "cell_name") if c in frame.columns), "measures_name")
    return finish(observations, no_value, named_by, context, BULK_TITLE, len(frame))


def _read_table(frame: pd.DataFrame, context: SourceContext) -> SourceResult:
    choices, title = title_choices(context.titles)
    area_heading = frame.columns[0]
    value_columns = [c for c in frame.columns[2:] if c]
    dated = [c for c in value_columns if _period_text(c)]
    if dated:
        periods = {c: period_heading(c) for c in dated}
    elif "date" in choices and len(value_columns) == 1:
        periods = {value_columns[0]: choices["date"]}
    else:
        problem = SourceProblem(None, "", "", "This Nomis table gives no date: download it with the date as a column "
                                "(or a 'Date : October 2023' line above the header), or use the bulk CSV download.")
        return SourceResult(pd.DataFrame(columns=["indicator_code"]), SourceReport(NAME, TABLE_TITLE, len(frame)),
                            (problem,))
    labels = [v for k, v in choices.items() if k not in ("date", "geography", "units")]
    label = series_label(labels) or title
    parts = []
    for column, period in periods.items():
        cells = text_column(frame, column).str.replace(",", "", regex=False)
        marked = cells.isin(TABLE_MARKERS)
        parts.append(pd.DataFrame({
            "series": label, "area_code": text_column(frame, CODE_HEADING).str.upper(),
            "area_name": text_column(frame, area_heading).map(lambda name: name.split(":", 1)[-1].strip()),
            "period_start": period, "value": cells.where(~marked, SUPPRESSED_MARKER),
            "value_note": cells.map(lambda c: f"Suppressed at source (Nomis '{c}')" if c in TABLE_MARKERS else ""),
            "status": "final"}, index=frame.index))
    observations = pd.concat(parts)
    no_value = observations["value"] == ""
    return finish(observations, no_value, CODE_HEADING, context, TABLE_TITLE, len(frame))


def finish(observations: pd.DataFrame, no_value: pd.Series, series_column: str, context: SourceContext,
           title: str, rows_read: int, *, source: str = NAME, publisher: str = "Nomis") -> SourceResult:
    """Observation rows and the report from ``observations`` (columns series, area_code, area_name,
    period_start, value, value_note, status; index = spreadsheet row): each series linked to an indicator
    by ``source_mappings`` of ``source``, rows with ``no_value``, of series mapped to none, for areas the
    store does not hold or at another level than the indicator's left out and counted. Shared with the
    other table readers (``statxplore``)."""
    code_of, problems = _indicator_codes(observations["series"], series_column, context, source, publisher)
    indicator = observations["series"].map(code_of)
    not_counted = indicator.isna() & observations["series"].isin(code_of)
    outside = ~not_counted & ~observations["area_code"].isin(context.area_codes)
    level, area_type = indicator.map(context.indicator_geographies), observations["area_code"].map(context.area_types)
    other_level = ~not_counted & ~outside & level.notna() & area_type.notna() & (area_type != level)
    empty = ~not_counted & ~outside & ~other_level & no_value
    kept = ~(not_counted | outside | other_level | empty) & indicator.notna()
    rows = observations.loc[kept, ["area_code", "period_start", "value", "value_note", "status"]].copy()
    rows.insert(0, "indicator_code", indicator[kept])
    rows.index.name = "row"

    def example(mask: pd.Series) -> str:
        names = sorted(set(observations.loc[mask, "area_name"]) - {""})
        return f" (such as {', '.join(names[:2])})" if names else ""

    left_out = ((f"of series not counted ({', '.join(sorted(set(observations.loc[not_counted, 'series'])))})",
                 int(not_counted.sum())),
                (f"for areas outside {context.district}{example(outside)}", int(outside.sum())),
                (f"at another level than the indicator{example(other_level)}", int(other_level.sum())),
                ("with no value published", int(empty.sum())))
    report = SourceReport(source, title, rows_read, left_out=tuple((r, n) for r, n in left_out if n))
    return SourceResult(rows, report, problems)


def _indicator_codes(series: pd.Series, column: str, context: SourceContext, source: str, publisher: str):
    """{series: indicator code, or None when mapped to none}; a problem for each series with no mapping."""
    code_of: dict[str, str | None] = {}
    problems = []
    for label in dict.fromkeys(series):
        if (source, label) in context.mappings:
            code_of[label] = context.mappings[(source, label)]
            continue
        first_row = int(series.index[series == label].min())
        problems.append(SourceProblem(first_row, column, label,
                                      f"The {publisher} series '{label}' is not linked to an indicator here. Link it on "
                                      f"the Data page (Source mappings), or run: python -m db mapping set {source} "
                                      f"\"{label}\" "
                                      "CODE (CODE from the indicator catalogue, or none to leave it out), then upload "
                                      "the file again."))
    return code_of, tuple(problems)


def title_choices(titles: tuple[tuple[str, ...], ...]) -> tuple[dict[str, str], str]:
    """{'date': 'October 2023', 'sex': 'Total', ...} from lines such as "Date : October 2023", and the table's
    title (its first line without a colon)."""
    choices: dict[str, str] = {}
    title = ""
    for cells in titles:
        text = " ".join(cell.strip() for cell in cells if cell.strip())
        key, colon, value = text.partition(":")
        if colon and value.strip() and " " not in key.strip():
            choices[key.strip().lower()] = value.strip()
        elif not title and not text.lower().startswith("ons crown copyright"):
            title = text
    return choices, title


def period_heading(heading: str) -> str | None:
    """The period a (normalised) heading names, as text to read by frequency, or None.

    Example:
        >>> period_heading("october_2023"), period_heading("2023_10"), period_heading("claimant_count")
        ('october 2023', '2023-10', None)
    """
    text = re.sub(r"^(\d{4})_(\d{1,2})$", r"\1-\2", heading).replace("_", " ").strip()
    return text if _period_text(heading) else None


def _period_text(heading: str) -> bool:
    """Whether a (normalised) heading names a period: 'october_2023', '2023_10', '2023/24'."""
    text = re.sub(r"^(\d{4})_(\d{1,2})$", r"\1-\2", heading).replace("_", " ").strip()
    if not text or not any(ch.isdigit() for ch in text):
        return False
    for frequency in MONTHS_IN:
        try:
            parse_period(text, frequency=frequency)
        except PeriodError:
            continue
        return True
    return False
