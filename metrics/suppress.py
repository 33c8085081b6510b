"""Disclosure control: what counts as a small number, and the markers that stand in for one.

Indicators under disclosure control never show a count from 1 to threshold - 1
(``SMALL_NUMBER_THRESHOLD`` = 5, settable) to viewers: it shows as "<5" (``small_marker``), and a
rate or percentage built on such a count as "[c]" (``CONFIDENTIAL_MARKER``, the Office for National
Statistics' marker for "confidential"). Zero is shown: it reveals nothing about a person.

Which figures are hidden is decided once per indicator and period across every published area, so
that no hidden small count can be worked out by adding or subtracting published ones:
``metrics.disclosure.decide_disclosure``. Nothing here decides per table.

Example:
    >>> [small_marker() if is_small(n) else str(n) for n in (0, 3, 12)]
    ['0', '<5', '12']
"""

import numbers

from metrics.errors import MetricsInputError
from metrics.formatting import is_missing

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


def _check_count(count: float, *, name: str) -> float:
    if isinstance(count, bool) or not isinstance(count, numbers.Real):
        raise MetricsInputError(f"{name} must be a number (got {count!r})")
    if count < 0:
        raise MetricsInputError(f"{name} must be a number of 0 or more (got {count!r})")
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
