"""police.uk street-level crime file (data.police.uk "street" CSV), one row per report.

Columns as downloaded: Crime ID (empty for anti-social behaviour), Month (``YYYY-MM``), Reported by,
Falls within, Longitude, Latitude, Location, LSOA code, LSOA name, Crime type, Last outcome category,
Context. Reports are counted per LSOA and month into indicators by crime type: the mapping is held in
``source_mappings`` (source ``police_uk_street``); with no row for a type, "Anti-social behaviour" counts
into ``ASB_ALL`` and every other type into ``CRIME_ALL``; a row mapped to no indicator is not counted.
Reports with no location (no LSOA code) or in an LSOA outside the district are left out and reported.
The file lists incidents, so an LSOA with no report had none (``incident_list``).

Example:
    >>> frame = pd.DataFrame({"month": ["2026-10", "2026-10", "2026-10"], "crime_type": [
    ...     "Anti-social behaviour", "Burglary", "Burglary"], "lsoa_code": ["E01011363", "E01011363", ""]},
    ...     index=[2, 3, 4])
    >>> result = read(frame, SourceContext(area_codes=frozenset({"E01011363"}), district="Leeds"))
    >>> result.rows[["indicator_code", "area_code", "period_start", "value"]].values.tolist()
    [['ASB_ALL', 'E01011363', '2026-10', '1'], ['CRIME_ALL', 'E01011363', '2026-10', '1']]
    >>> result.report.summary()
    'police.uk street-level file: 3 reports, 1 left out (1 with no location)'
"""

from __future__ import annotations

import pandas as pd

from ingest.sources import SourceContext, SourceReport, SourceResult, text_column

NAME = "police_uk_street"
TITLE = "police.uk street-level file"
HEADINGS = ("crime_id", "month", "reported_by", "falls_within", "longitude", "latitude", "location", "lsoa_code",
            "lsoa_name", "crime_type", "last_outcome_category", "context")
REQUIRED = ("month", "falls_within", "lsoa_code", "crime_type")
ASB_TYPE = "Anti-social behaviour"
CRIME_TYPES = (ASB_TYPE, "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs", "Other crime",
               "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting",
               "Theft from the person", "Vehicle crime", "Violence and sexual offences")  # police.uk's categories
DEFAULT_ASB, DEFAULT_CRIME = "ASB_ALL", "CRIME_ALL"


def header_score(columns: list[str]) -> int:
    """The number of police.uk headings, when all of Month, Falls within, LSOA code and Crime type are there."""
    present = set(columns)
    return len(present & set(HEADINGS)) if set(REQUIRED) <= present else 0


def default_indicator(crime_type: str) -> str:
    """Where a crime type is counted when ``source_mappings`` has no row for it."""
    return DEFAULT_ASB if crime_type.strip().lower() == ASB_TYPE.lower() else DEFAULT_CRIME


def read(frame: pd.DataFrame, context: SourceContext) -> SourceResult:
    """Counts per indicator, LSOA and month (text cells); see the module docstring."""
    lsoa, month, crime_type = (text_column(frame, name) for name in ("lsoa_code", "month", "crime_type"))
    lsoa = lsoa.str.upper()
    types = sorted(set(crime_type))
    indicator_of = {t: context.mappings.get((NAME, t), default_indicator(t)) for t in types}
    indicator = crime_type.map(indicator_of)
    no_location = lsoa == ""
    outside = ~no_location & ~lsoa.isin(context.area_codes)
    no_month = ~no_location & ~outside & (month == "")
    not_counted = ~no_location & ~outside & ~no_month & indicator.isna()
    kept = ~(no_location | outside | no_month | not_counted)
    counted = pd.DataFrame({"indicator_code": indicator[kept], "area_code": lsoa[kept], "period_start": month[kept],
                            "row": frame.index[kept]})
    grouped = counted.groupby(["indicator_code", "area_code", "period_start"], sort=True)["row"].agg(["size", "min"])
    rows = grouped.reset_index().rename(columns={"size": "value", "min": "row"})
    rows["value"] = rows["value"].astype(str)
    rows = rows.set_index("row").sort_index()
    rows.index.name = "row"
    skipped_types = sorted(set(crime_type[not_counted]))
    left_out = (("with no location", int(no_location.sum())), (f"outside {context.district}", int(outside.sum())),
                ("with no month", int(no_month.sum())),
                (f"of types not counted ({', '.join(skipped_types)})", int(not_counted.sum())))
    report = SourceReport(NAME, TITLE, len(frame), unit="reports", incident_list=True,
                          left_out=tuple((reason, count) for reason, count in left_out if count))
    return SourceResult(rows[["indicator_code", "area_code", "period_start", "value"]], report)
