"""OHID Fingertips data download (fingertips.phe.org.uk, "Export data" or the API's CSV).

Columns as downloaded include: Indicator ID, Indicator Name, Parent Code, Parent Name, Area Code,
Area Name, Area Type, Sex, Age, Category Type, Category, Time period, Value, Lower CI 95.0 limit,
Upper CI 95.0 limit, Lower CI 99.8 limit, Upper CI 99.8 limit, Count, Denominator, Value note,
Recent Trend, Compared to England value or percentiles, ..., Time period Sortable, ...

Each row becomes one observation: the indicator from ``source_mappings`` (source ``fingertips``,
source value = the Indicator ID), else the indicator whose name is the file's Indicator Name; the
area code; the time period as published (``2024/25``, ``2022 - 24``...), read later by the
indicator's frequency; the value, published 95% limits, count (numerator), denominator and value note.
Rows broken down by a category (deprivation deciles, ethnic groups), rows for males or females in a
file that also has persons, and rows for areas the store does not hold (England, regions, other
districts) are left out and reported. An Indicator ID linked to no
indicator stops the file with a message saying how to link it.

Example:
    >>> frame = pd.DataFrame({"indicator_id": ["30301", "30301"], "indicator_name": ["MMR", "MMR"],
    ...     "area_code": ["E01011363", "E92000001"], "area_name": ["Leeds 071E", "England"],
    ...     "category_type": ["", ""], "time_period": ["2024/25", "2024/25"],
    ...     "value": ["84.6", "83.9"], "count": ["22", "500000"], "denominator": ["26", "596000"]}, index=[2, 3])
    >>> context = SourceContext(area_codes=frozenset({"E01011363"}), district="Leeds",
    ...                         mappings={("fingertips", "30301"): "MMR"})
    >>> result = read(frame, context)
    >>> result.rows[["indicator_code", "area_code", "period_start", "value", "numerator"]].values.tolist()
    [['MMR', 'E01011363', '2024/25', '84.6', '22']]
    >>> result.report.summary()
    'OHID Fingertips data download: 2 rows, 1 left out (1 for areas outside Leeds, such as England)'
"""

from __future__ import annotations

import pandas as pd

from ingest.sources import SourceContext, SourceProblem, SourceReport, SourceResult, text_column

NAME = "fingertips"
TITLE = "OHID Fingertips data download"
REQUIRED = ("indicator_id", "area_code", "time_period", "value")
HEADINGS = ("indicator_id", "indicator_name", "parent_code", "parent_name", "area_code", "area_name", "area_type",
            "sex", "age", "category_type", "category", "time_period", "value", "lower_ci_95.0_limit",
            "upper_ci_95.0_limit", "lower_ci_99.8_limit", "upper_ci_99.8_limit", "count", "denominator",
            "value_note", "recent_trend", "time_period_sortable")
COLUMNS = {"area_code": "area_code", "time_period": "period_start", "value": "value", "count": "numerator",
           "denominator": "denominator", "lower_ci_95.0_limit": "lower_limit", "upper_ci_95.0_limit": "upper_limit",
           "value_note": "value_note"}


def header_score(columns: list[str]) -> int:
    """The number of Fingertips headings, when Indicator ID, Area Code, Time period and Value are there."""
    present = set(columns)
    return len(present & set(HEADINGS)) if set(REQUIRED) <= present else 0


def read(frame: pd.DataFrame, context: SourceContext) -> SourceResult:
    """Observation rows (text cells) and a report; see the module docstring."""
    ids, names = text_column(frame, "indicator_id"), text_column(frame, "indicator_name")
    area = text_column(frame, "area_code").str.upper()
    breakdown = text_column(frame, "category_type") != ""
    sex = text_column(frame, "sex")
    one_sex = ~breakdown & (sex != "") & (sex != "Persons") & sex.eq("Persons").any()  # males, females beside all
    outside = ~breakdown & ~one_sex & ~area.isin(context.area_codes)
    kept = ~breakdown & ~one_sex & ~outside
    code_of, problems = _indicator_codes(ids[kept], names[kept], context)
    rows = pd.DataFrame({"indicator_code": ids[kept].map(code_of)}, index=frame.index[kept])
    for heading, column in COLUMNS.items():
        rows[column] = text_column(frame, heading)[kept]
    rows["area_code"] = area[kept]
    rows.index.name = "row"
    outside_names = sorted(set(text_column(frame, "area_name")[outside]) - {""})
    example = f", such as {', '.join(outside_names[:2])}" if outside_names else ""
    left_out = (("broken down by a category (such as deprivation decile)", int(breakdown.sum())),
                (f"for one sex ({', '.join(sorted(set(sex[one_sex])))}) beside persons", int(one_sex.sum())),
                (f"for areas outside {context.district}{example}", int(outside.sum())))
    report = SourceReport(NAME, TITLE, len(frame), left_out=tuple((r, n) for r, n in left_out if n))
    return SourceResult(rows.dropna(subset=["indicator_code"]), report, problems)


def _indicator_codes(ids: pd.Series, names: pd.Series, context: SourceContext):
    """{Indicator ID: our code} from the mappings or the indicator's name; a problem for each one unknown."""
    code_of: dict[str, str] = {}
    problems = []
    for indicator_id, name in dict(zip(ids, names, strict=True)).items():
        code = context.mappings.get((NAME, indicator_id)) or context.indicator_names.get(name.strip().lower())
        if code:
            code_of[indicator_id] = code
            continue
        first_row = int(ids.index[ids == indicator_id][0])
        problems.append(SourceProblem(first_row, "indicator_id", indicator_id,
                                      f"Fingertips indicator {indicator_id} ({name or 'no name'}) is not linked to an "
                                      "indicator here. Link it on the Data page (Source mappings), or run: python -m "
                                      f"db mapping set fingertips {indicator_id} CODE (CODE from the indicator "
                                      "catalogue), then upload the file again."))
    return code_of, tuple(problems)
