"""Disclosure control: keep small numbers about identifiable people off public screens and papers.

Rules for indicators under disclosure control (threshold ``SMALL_NUMBER_THRESHOLD`` = 5, settable):

* Primary suppression: a count from 1 to threshold - 1 is shown as "<5" (``f"<{threshold}"``).
  Zero is shown as "0": it reveals nothing about a person.
* A rate or percentage whose numerator is such a small count is not shown: "[c]".
* Secondary suppression: when a table's total is shown and exactly one part is hidden, that part
  could be recovered by subtraction, so the smallest remaining non-zero part is hidden as well and
  shown as "[c]" (the Office for National Statistics' marker for "confidential"). Ties go to the
  part listed first. Parts that are missing (``None``) count as hidden, and are shown as "—".
  If no non-zero part is left to hide, the total is itself small and must be shown through
  :func:`suppress_value`, which gives "<5".

A value whose numerator is unknown is shown as it is: these rules are defined on counts.

Example:
    >>> suppress_counts(counts={"Under 16": 3, "16 to 24": 40, "25 and over": 12}, total=55)
    {'Under 16': '<5', '16 to 24': '40', '25 and over': '[c]'}
"""

import numbers
from collections.abc import Mapping

import pandas as pd

from metrics.enums import Unit, coerce_enum
from metrics.errors import MetricsInputError
from metrics.formatting import MISSING_TEXT, format_count, format_value, is_missing

SMALL_NUMBER_THRESHOLD = 5
CONFIDENTIAL_MARKER = "[c]"


def small_marker(threshold: int = SMALL_NUMBER_THRESHOLD) -> str:
    """The text that replaces a small count: "<5" for the default threshold.

    Example:
        >>> small_marker(10)
        '<10'
    """
    return f"<{threshold}"


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Integral) or threshold < 1:
        raise MetricsInputError(
            f"threshold must be a whole number of 1 or more (got {threshold!r})"
        )


def _check_count(count: float, *, name: str, whole: bool = False) -> float:
    if isinstance(count, bool) or not isinstance(count, numbers.Real):
        raise MetricsInputError(f"{name} must be a number (got {count!r})")
    if count < 0 or (whole and not float(count).is_integer()):
        kind = "a whole number" if whole else "a number"
        raise MetricsInputError(f"{name} must be {kind} of 0 or more (got {count!r})")
    return count


def is_small(count: float | None, *, threshold: int = SMALL_NUMBER_THRESHOLD) -> bool:
    """True for a count above 0 and below ``threshold``: the counts that are never shown.

    Weighted (non-whole) counts are judged the same way: 4.5 is small.

    Example:
        >>> [is_small(n) for n in (0, 1, 4, 5, None)]
        [False, True, True, False, False]
    """
    _check_threshold(threshold)
    if is_missing(count):
        return False
    return 0 < _check_count(count, name="count") < threshold


def _as_mapping(counts: Mapping[str, float | None] | pd.Series) -> dict[str, float | None]:
    items = counts.items()
    return {str(key): (None if is_missing(value) else value) for key, value in items}


def _secondary_candidate(parts: dict[str, float | None], hidden: set[str]) -> str | None:
    shown = [(value, index, key) for index, (key, value) in enumerate(parts.items())
             if key not in hidden and value]
    return min(shown)[2] if shown else None


def suppress_counts(
    *,
    counts: Mapping[str, float | None] | pd.Series,
    total: float | None = None,
    threshold: int = SMALL_NUMBER_THRESHOLD,
) -> dict[str, str]:
    """Display text for each part of a breakdown, with primary and secondary suppression.

    ``total`` is the total shown alongside the parts (``None`` when no total is shown). Keys keep
    their order; the input is not changed.

    Example: without a shown total one small part can stay the only one hidden.
        >>> suppress_counts(counts={"A": 2, "B": 0, "C": 1234})
        {'A': '<5', 'B': '0', 'C': '1,234'}
    """
    _check_threshold(threshold)
    parts = _as_mapping(counts)
    for key, value in parts.items():
        if value is not None:
            _check_count(value, name=f"count for {key}", whole=True)
    small = {key for key, value in parts.items() if is_small(value, threshold=threshold)}
    missing = {key for key, value in parts.items() if value is None}
    secondary: set[str] = set()
    shown_total = total is not None and not is_missing(total)
    if shown_total and len(small) == 1 and not missing:
        candidate = _secondary_candidate(parts, small)
        secondary = set() if candidate is None else {candidate}
    display: dict[str, str] = {}
    for key, value in parts.items():
        if key in missing:
            display[key] = MISSING_TEXT
        elif key in small:
            display[key] = small_marker(threshold)
        elif key in secondary:
            display[key] = CONFIDENTIAL_MARKER
        else:
            display[key] = format_count(value)
    return display


def suppress_value(
    *,
    value: float | None,
    numerator: float | None,
    unit: str | Unit,
    threshold: int = SMALL_NUMBER_THRESHOLD,
) -> tuple[str, bool]:
    """Display text for one value under disclosure control, and whether it was suppressed.

    A count is judged on itself ("<5"); a rate or percentage on its numerator ("[c]").

    Example:
        >>> suppress_value(value=3, numerator=3, unit="count")
        ('<5', True)
        >>> suppress_value(value=12.5, numerator=4, unit="percent")
        ('[c]', True)
        >>> suppress_value(value=41.2, numerator=206, unit="percent")
        ('41.2%', False)
    """
    unit = coerce_enum(Unit, unit, field="unit")
    _check_threshold(threshold)
    if is_missing(value):
        return MISSING_TEXT, False
    if unit is Unit.COUNT:
        count = value if is_missing(numerator) else numerator
        if is_small(count, threshold=threshold):
            return small_marker(threshold), True
        return format_value(value, unit=unit), False
    if not is_missing(numerator) and is_small(numerator, threshold=threshold):
        return CONFIDENTIAL_MARKER, True
    return format_value(value, unit=unit), False

