"""What the locality profile's scorecard shows at a laptop's width, and the full row behind it.

The scorecard shows, by priority, the columns a reader scans: RAG, indicator, value with its unit,
expected and target, the ward and Leeds verdicts and the direction as short words, and the recent
line. Everything else (period, interval, the reason for the RAG, the direction and comparison in
full, definition, source) is in :func:`indicator_details` for one chosen row. No Streamlit here.

Example:
    >>> short_direction("Increasing and getting worse"), short_comparison("Not compared")
    ('↑ Worsening', '—')
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.enums import Comparison, TrendDirection, Variation
from metrics.formatting import MISSING_TEXT, format_value
from views.scorecards import HIDDEN_DIRECTION, polarity_word


@dataclass(frozen=True)
class Column:
    """One scorecard column: the ``locality_scorecard`` column it shows, its header, its width in
    CSS pixels and the help its header gives."""

    source: str
    header: str
    width: int
    help: str = ""


# Widths add up to 884 px: the content width at 1366 px with the sidebar open is about 900 px.
# The indicator's name gets what the short columns leave; a long name is in full in the details.
SCORECARD_COLUMNS = (
    Column("rag_label", "RAG", 106, "Against the target trajectory; the reason is in the details below."),
    Column("indicator", "Indicator", 232),
    Column("value", "Value", 120, "Latest value, with its unit; its period is in the details below."),
    Column("expected", "Expected → target", 120,
           "Expected now on the straight line from baseline to target → the target. Its date is in the details."),
    Column("vs_ward", "vs ward", 64, "Better, similar or worse than the ward; — not compared."),
    Column("vs_city", "vs Leeds", 66, "Better, similar or worse than Leeds; — not compared."),
    Column("direction", "Direction", 88, "Direction of travel; in full in the details below."),
    Column("sparkline", "Recent trend", 88, "Up to the last 24 periods; blank where small numbers are hidden."),
)
SCORECARD_HEADERS = [column.header for column in SCORECARD_COLUMNS]
ROW_PX = 35  # st.dataframe's row (and header) height at its default size


def table_height(rows: int) -> int:
    """The height in CSS pixels that shows a header and ``rows`` rows whole: no scrolling inside."""
    return (rows + 1) * ROW_PX + 3

_SHORT_DIRECTION = {
    TrendDirection.INCREASING_BETTER.label: "↑ Improving",
    TrendDirection.INCREASING_WORSE.label: "↑ Worsening",
    TrendDirection.DECREASING_BETTER.label: "↓ Improving",
    TrendDirection.DECREASING_WORSE.label: "↓ Worsening",
    TrendDirection.INCREASING.label: "↑ Increasing",
    TrendDirection.DECREASING.label: "↓ Decreasing",
    TrendDirection.NO_SIGNIFICANT_CHANGE.label: "→ No change",
    TrendDirection.CANNOT_BE_CALCULATED.label: "Not known",
    Variation.COMMON_CAUSE.label: "→ No change",
    Variation.IMPROVING.label: "Improving",
    Variation.CONCERNING.label: "Concerning",
    Variation.HIGHER.label: "↑ Higher",
    Variation.LOWER.label: "↓ Lower",
    Variation.MIXED.label: "Mixed",
    HIDDEN_DIRECTION: "Hidden",
}


def short_direction(label: str) -> str:
    """A direction of travel (``TrendDirection`` or SPC ``Variation`` label) in a word or two, with
    an arrow where it has a direction; "Not known" when it cannot be calculated, the label itself
    when it is not one of those."""
    if label.startswith(TrendDirection.CANNOT_BE_CALCULATED.label):  # "... (fewer than 12 months)"
        return "Not known"
    return _SHORT_DIRECTION.get(label, label)


def short_comparison(label: str) -> str:
    """A comparison's word, with "Not compared" as "—" (the column's help says so)."""
    return MISSING_TEXT if label == Comparison.NOT_COMPARED.label else label


def expected_and_target(expected: str, target: str) -> str:
    """The expected value now and the target value, without the target's date: "18.8 → 27".

    ``target`` is ``views.scorecards.target_label`` text ("27 by 31 Mar 2027" or "No target"); a
    unit both share ("per 1,000") is said once, after the target.

    Example:
        >>> expected_and_target("12.3 per 1,000", "10.0 per 1,000 by 31 Mar 2027")
        '12.3 → 10.0 per 1,000'
        >>> expected_and_target("—", "6.0% by 31 Mar 2027"), expected_and_target("—", "No target")
        ('Target 6.0%', 'No target')
    """
    if " by " not in target:
        return target
    goal = target.rsplit(" by ", 1)[0]
    if expected == MISSING_TEXT:
        return f"Target {goal}"
    _, _, unit = goal.partition(" ")
    if unit and expected.endswith(f" {unit}"):
        expected = expected.removesuffix(f" {unit}")
    return f"{expected} → {goal}"


def scorecard_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The scorecard as shown: ``rag`` (the colour key) then ``SCORECARD_HEADERS`` in order, one row
    per row of ``frame`` (``views.scorecards.locality_scorecard``); "Recent trend" holds the
    sparkline's list of values."""
    shown = pd.DataFrame({"rag": frame["rag"]})
    for column in SCORECARD_COLUMNS:
        shown[column.header] = frame[column.source]
    shown["Expected → target"] = [expected_and_target(e, t) for e, t in zip(frame["expected"], frame["target"],
                                                                         strict=True)]
    shown["vs ward"] = frame["vs_ward"].map(short_comparison)
    shown["vs Leeds"] = frame["vs_city"].map(short_comparison)
    shown["Direction"] = frame["direction"].map(short_direction)
    return shown


def indicator_details(row: pd.Series | dict, indicator: dict, *, interval: str = "") -> list[tuple[str, str]]:
    """The full scorecard row of one indicator as (label, text) pairs, in reading order.

    ``row`` is a row of ``locality_scorecard``; ``indicator`` its catalogue entry (definition,
    source, polarity); ``interval`` the latest value's 95% interval as text, left out when empty.
    Texts come from the store and must be escaped by whoever renders them.
    """
    ward = f"{row['vs_ward']} (ward: {row['ward_value']})" if row["ward_value"] != MISSING_TEXT else row["vs_ward"]
    city = f"{row['vs_city']} (Leeds: {row['city_value']})" if row["city_value"] != MISSING_TEXT else row["vs_city"]
    details = [
        ("RAG", f"{row['rag_label']}: {row['rag_reason']}"),
        ("Latest period", row["period"]),
        ("Value", row["value"]),
        ("95% confidence interval", interval),
        ("Expected now", row["expected"]),
        ("Target", row["target"]),
        ("Direction of travel", row["direction"]),
        ("Compared with the ward", ward),
        ("Compared with Leeds", city),
        ("Left out of the latest value", row.get("completeness") or ""),
        ("Theme", row["theme"]),
        ("Definition", f"{indicator.get('definition') or ''} {polarity_word(indicator['polarity'])}.".strip()),
        ("Source", indicator.get("source") or ""),
    ]
    return [(label, text) for label, text in details if text]


def interval_text(lower, upper, *, unit: str) -> str:
    """A 95% interval as "41.2% to 47.9%"; empty when either limit is missing.

    Example:
        >>> interval_text(41.23, 47.9, unit="percent"), interval_text(None, 3.0, unit="count")
        ('41.2% to 47.9%', '')
    """
    if lower is None or upper is None or pd.isna(lower) or pd.isna(upper):
        return ""
    return f"{format_value(lower, unit=unit)} to {format_value(upper, unit=unit)}"
