"""Turn numbers into the text people read: "1,234", "41.2%", "12.3 per 1,000", "—".

Pure functions with no locale dependence, so the page, the CSV export and the PDF agree.

Example:
    >>> format_value(41.234, unit="percent")
    '41.2%'
    >>> format_value(None, unit="count")
    '—'
"""

import math
from decimal import Decimal

from metrics.enums import Unit, coerce_enum

MISSING_TEXT = "—"
DECIMALS = 1
SMALL_MAGNITUDE = 1.0
SIGNIFICANT_FIGURES_WHEN_SMALL = 3

_RATE_SUFFIX = {
    Unit.RATE_PER_1000: " per 1,000",
    Unit.RATE_PER_10000: " per 10,000",
    Unit.RATE_PER_100000: " per 100,000",
}


def is_missing(value: float | None) -> bool:
    """True for ``None`` and NaN, the two ways a value can be absent.

    Example:
        >>> is_missing(float("nan")), is_missing(0.0)
        (True, False)
    """
    if value is None:
        return True
    try:
        return math.isnan(value)
    except TypeError:
        # pandas' NA and NaT are missing too; recognised by name so this module needs no pandas.
        return type(value).__name__ in {"NAType", "NaTType"}


def format_number(value: float, *, decimals: int = DECIMALS) -> str:
    """A number with thousands separators and a fixed number of decimals.

    Values smaller than 1 in magnitude keep three significant figures, so 0.0042 does not read 0.0.

    Example:
        >>> format_number(1234.56), format_number(0.00423), format_number(0.0000186), format_number(0)
        ('1,234.6', '0.00423', '0.0000186', '0.0')
    """
    if value != 0 and abs(value) < SMALL_MAGNITUDE:  # positional, never "1.86e-05"
        return format(Decimal(f"{value:.{SIGNIFICANT_FIGURES_WHEN_SMALL}g}"), "f")
    return f"{value:,.{decimals}f}"


def format_count(value: float) -> str:
    """A count: whole numbers without decimals, anything else (a mean count) to one decimal.

    Example:
        >>> format_count(1234), format_count(4.15)
        ('1,234', '4.2')
    """
    if float(value).is_integer():
        return f"{int(value):,}"
    return format_number(value)


def format_value(value: float | None, *, unit: str | Unit) -> str:
    """Format an indicator value for display in its unit.

    Example:
        >>> format_value(1234, unit="count")
        '1,234'
        >>> format_value(12.34, unit="rate_per_1000")
        '12.3 per 1,000'
    """
    unit = coerce_enum(Unit, unit, field="unit")
    if is_missing(value):
        return MISSING_TEXT
    if unit is Unit.COUNT:
        return format_count(value)
    if unit is Unit.PERCENT:
        return f"{format_number(value)}%"
    return f"{format_number(value)}{_RATE_SUFFIX[unit]}"


def format_difference(value: float, *, unit: str | Unit) -> str:
    """Format the size of a difference (no sign): percentage differences are in points.

    Example:
        >>> format_difference(3.14, unit="percent")
        '3.1 points'
        >>> format_difference(-2.0, unit="rate_per_1000")
        '2.0 per 1,000'
    """
    unit = coerce_enum(Unit, unit, field="unit")
    size = abs(value)
    if unit is Unit.PERCENT:
        return f"{format_number(size)} points"
    return format_value(size, unit=unit)
