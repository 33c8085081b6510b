"""DWP Stat-Xplore table export (stat-xplore.dwp.gov.uk, "Download table" as CSV or Excel).

Layout: title lines ("Dataset:", "People on Universal Credit"; "Counting:", "People"; "Filters:" and
one line per filter, such as "Conditionality Regime", "Searching for work"), then the table: a header
with the period columns ("October 2023", "November 2023", often a "Total" column), where Stat-Xplore
writes the column field ("Month") beside a blank first cell and the row field ("Ward (2022)") in the
row below (read together as one heading); or, when the period is a filter ("Month", "October 2023"),
a single value column. One row per area, by NAME (Stat-Xplore gives no codes), "Total" rows, and notes
below the table.

Areas are matched to the store by name ("Adel and Wharfedale" or "Adel & Wharfedale"); "Total" rows,
and names that are not areas of the district (other districts, "Unknown"), are left out and counted.
The series is the dataset with any filter values that are not totals ("People on Universal Credit /
Searching for work"), linked to an indicator by ``source_mappings`` (source ``statxplore``); an
unlinked series stops the file with the command that links it. Cells written ``..``, ``-``, ``*`` or
``~`` are suppressed at source (the marker ``[c]``, with a value note); thousands separators are removed.

Example:
    >>> frame = pd.DataFrame({"ward_(2022)": ["Armley", "Total"], "month": ["", ""],
    ...                       "october_2023": ["1,234", "45,000"]}, index=[9, 10])
    >>> context = SourceContext(area_codes=frozenset({"E05011385"}), district="Leeds",
    ...     mappings={("statxplore", "People on Universal Credit"): "UC"}, area_names={"armley": "E05011385"},
    ...     titles=(("Dataset:", "People on Universal Credit"), ("Counting:", "People")))
    >>> result = read(frame, context)
    >>> result.rows[["indicator_code", "area_code", "period_start", "value"]].values.tolist()
    [['UC', 'E05011385', 'october 2023', '1234']]
    >>> result.report.summary()
    'DWP Stat-Xplore table: 2 rows, 1 left out (1 of totals)'
"""

from __future__ import annotations

import pandas as pd

from ingest.sources import SourceContext, SourceProblem, SourceReport, SourceResult, text_column
from ingest.sources.nomis import SUPPRESSED_MARKER, finish, period_heading, series_label

NAME = "statxplore"
TITLE = "DWP Stat-Xplore table"
MARKERS = ("..", "-", "*", "~")
PERIOD_FIELDS = ("month", "quarter", "date", "year", "financial year")
NOT_SERIES = ("counting", "default summation", *PERIOD_FIELDS)
TOTAL_WORDS = ("total",)
GEOGRAPHY_WORDS = ("ward", "super_output", "output_area", "oas", "constituenc", "geograph", "local_authorit",
                   "region", "national", "area")  # in Stat-Xplore's names of its geography fields


def header_score(columns: list[str]) -> int:
    """How well a row matches a Stat-Xplore table header; 0 when it does not.

    1 + the number of period headings when the first heading names a geography ("Ward (2022)"); the number of
    period headings when the first cell is blank and the second is the column field ("Month"), as
    Stat-Xplore writes it with the row field in the row below (the two rows, read together, then score
    higher); 1 for a geography heading beside a single "Total" column (the period among the filters). 0 for
    a Nomis table (mnemonic), a title line ("Date :", "Claimant count; October 2026") or a filter line.
    """
    if not columns or "mnemonic" in columns or columns[0].endswith(":"):
        return 0
    geography = any(word in columns[0] for word in GEOGRAPHY_WORDS)
    periods = sum(1 for heading in columns[1:] if heading and not heading.isdigit() and period_heading(heading))
    if periods and geography:
        return periods + 1
    if periods and not columns[0] and len(columns) > 1 and columns[1].replace("_", " ") in PERIOD_FIELDS:
        return periods
    return 1 if geography and [c for c in columns[1:] if c] == ["total"] else 0


def read(frame: pd.DataFrame, context: SourceContext) -> SourceResult:
    """Observation rows (text cells) and a report; see the module docstring."""
    dataset, filters = _titles(context.titles)
    dated = {c: period_heading(c) for c in frame.columns[1:] if not c.isdigit() and period_heading(c)}
    period_filter = next((v for k, v in filters if k in PERIOD_FIELDS), None)
    if not dated and period_filter and "total" in frame.columns:
        dated = {"total": period_filter}
    if not dated:
        problem = SourceProblem(None, "", "", "This Stat-Xplore table gives no period: put the month (or quarter) in "
                                "the columns, or choose a single month as a filter, and download the table again.")
        return SourceResult(pd.DataFrame(columns=["indicator_code"]), SourceReport(NAME, TITLE, len(frame)),
                            (problem,))
    label = series_label([dataset, *(v for k, v in filters if k not in NOT_SERIES and v != dataset)]) or dataset
    names = text_column(frame, frame.columns[0])
    totals = names.str.lower().isin(TOTAL_WORDS)
    codes = names.map(lambda name: context.area_names.get(area_key(name), ""))
    parts = []
    for column, period in dated.items():
        cells = text_column(frame, column).str.replace(",", "", regex=False)
        marked = cells.isin(MARKERS)
        parts.append(pd.DataFrame({
            "series": label, "area_code": codes, "area_name": names, "period_start": period,
            "value": cells.where(~marked, SUPPRESSED_MARKER),
            "value_note": cells.map(lambda c: f"Suppressed at source (Stat-Xplore '{c}')" if c in MARKERS else ""),
            "status": "final"}, index=frame.index)[~totals])
    observations = pd.concat(parts)
    result = finish(observations, observations["value"] == "", frame.columns[0], context, TITLE,
                    len(frame), source=NAME, publisher="Stat-Xplore")
    if totals.any():
        report = result.report
        left_out = (("of totals", int(totals.sum())), *report.left_out)
        result = SourceResult(result.rows, SourceReport(NAME, TITLE, report.rows_read, left_out=left_out),
                              result.problems)
    return result


def area_key(name: str) -> str:
    """How an area name is matched: lower case, '&' as 'and', single spaces.

    Example:
        >>> area_key(" Adel &  Wharfedale "), area_key("Adel and Wharfedale")
        ('adel and wharfedale', 'adel and wharfedale')
    """
    return " ".join(name.replace("&", " and ").lower().split())


def _titles(titles: tuple[tuple[str, ...], ...]) -> tuple[str, list[tuple[str, str]]]:
    """The dataset's name and the (field, value) filter lines, fields in lower case without colons."""
    dataset, filters = "", []
    for cells in titles:
        filled = [cell.strip() for cell in cells if cell.strip()]
        if len(filled) == 1 and ":" in filled[0] and filled[0].split(":", 1)[1].strip():
            filled = [part.strip() for part in filled[0].split(":", 1)]
        if len(filled) != 2:
            continue
        field, value = filled[0].rstrip(":").strip().lower(), filled[1]
        if field == "dataset":
            dataset = value
        else:
            filters.append((field, value))
    return dataset or "Stat-Xplore table", filters
