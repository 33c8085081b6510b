"""Reporting periods: calendar months, UK financial quarters and years, calendar years, pooled years.

The financial year 2018/19 runs from 1 April 2018 to 31 March 2019. Quarters are numbered within it:
Q1 is April to June, Q2 July to September, Q3 October to December and Q4 January to March (so
Q4 2018/19 is January to March 2019). A calendar year is written "2018"; three pooled calendar
years "2017-19" (1 January 2017 to 31 December 2019) and three pooled financial years
"2017/18-19/20" (1 April 2017 to 31 March 2020). Dates are shown in UK style, "5 Jun 2018".

Example:
    >>> from datetime import date
    >>> period_bounds(start=date(2018, 7, 1), frequency="quarterly")
    (datetime.date(2018, 7, 1), datetime.date(2018, 9, 30))
    >>> period_label(start=date(2018, 7, 1), end=date(2018, 9, 30))
    'Q2 2018/19'
"""

from datetime import date, timedelta

from metrics.enums import Frequency, coerce_enum
from metrics.errors import MetricsInputError

FINANCIAL_YEAR_START_MONTH = 4
CALENDAR_YEAR_START_MONTH = 1
QUARTER_START_MONTHS = (4, 7, 10, 1)
MONTHS_PER_QUARTER = 3
MONTHS_PER_YEAR = 12
POOLED_YEARS = 3
MONTHS_PER_POOLED_PERIOD = POOLED_YEARS * MONTHS_PER_YEAR

# Per frequency: months in one period, the months a period may start in, and the rule in words.
_PERIOD_SHAPES = {
    Frequency.MONTHLY: (1, tuple(range(1, 13)), "the 1st of a month"),
    Frequency.QUARTERLY: (MONTHS_PER_QUARTER, QUARTER_START_MONTHS, "1 Apr, 1 Jul, 1 Oct or 1 Jan"),
    Frequency.ANNUAL: (MONTHS_PER_YEAR, (FINANCIAL_YEAR_START_MONTH,), "1 Apr"),
    Frequency.CALENDAR_YEAR: (MONTHS_PER_YEAR, (CALENDAR_YEAR_START_MONTH,), "1 Jan"),
    Frequency.POOLED_3_YEARS: (MONTHS_PER_POOLED_PERIOD, (CALENDAR_YEAR_START_MONTH, FINANCIAL_YEAR_START_MONTH),
                               "1 Jan (calendar years) or 1 Apr (financial years)"),
}


def format_date(d: date) -> str:
    """A date in UK style, without a leading zero on the day.

    Example:
        >>> format_date(date(2018, 6, 5))
        '5 Jun 2018'
    """
    return f"{d.day} {d:%b %Y}"


def financial_year_start(d: date) -> int:
    """The calendar year in which the financial year containing ``d`` starts.

    Example:
        >>> financial_year_start(date(2019, 3, 31)), financial_year_start(date(2019, 4, 1))
        (2018, 2019)
    """
    return d.year if d.month >= FINANCIAL_YEAR_START_MONTH else d.year - 1


def financial_year(d: date) -> str:
    """The financial year containing ``d``, written "2018/19".

    Example:
        >>> financial_year(date(2019, 1, 15))
        '2018/19'
    """
    start_year = financial_year_start(d)
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _add_months(d: date, months: int) -> date:
    month_index = d.month - 1 + months
    return date(d.year + month_index // MONTHS_PER_YEAR, month_index % MONTHS_PER_YEAR + 1, 1)


def _last_day(start: date, months: int) -> date:
    """The day before the date ``months`` months after ``start`` (a 1st of the month)."""
    return _add_months(start, months) - timedelta(days=1)


def period_bounds(*, start: date, frequency: str | Frequency) -> tuple[date, date]:
    """First and last day of the period of ``frequency`` that starts on ``start``.

    ``start`` must be a valid start: the 1st of a month (monthly), 1 April, July, October or January
    (quarterly), 1 April (annual, the financial year), 1 January (calendar_year), or 1 January or
    1 April (pooled_3_years). Anything else raises :class:`MetricsInputError`.

    Example:
        >>> period_bounds(start=date(2018, 4, 1), frequency="annual")
        (datetime.date(2018, 4, 1), datetime.date(2019, 3, 31))
        >>> period_bounds(start=date(2017, 1, 1), frequency="pooled_3_years")
        (datetime.date(2017, 1, 1), datetime.date(2019, 12, 31))
        >>> period_bounds(start=date(2018, 5, 1), frequency="quarterly")
        Traceback (most recent call last):
        ...
        metrics.errors.MetricsInputError: Quarterly periods must start on 1 Apr, 1 Jul, 1 Oct or \
1 Jan (got 1 May 2018)
    """
    frequency = coerce_enum(Frequency, frequency, field="frequency")
    months, start_months, rule = _PERIOD_SHAPES[frequency]
    if start.day != 1 or start.month not in start_months:
        raise MetricsInputError(
            f"{frequency.label.split(' (')[0]} periods must start on {rule} "
            f"(got {format_date(start)})"
        )
    return start, _last_day(start, months)


def quarter_number(d: date) -> int:
    """Financial-year quarter (1-4) containing ``d``.

    Example:
        >>> quarter_number(date(2018, 6, 30)), quarter_number(date(2019, 2, 1))
        (1, 4)
    """
    months_into_year = (d.month - FINANCIAL_YEAR_START_MONTH) % MONTHS_PER_YEAR
    return months_into_year // MONTHS_PER_QUARTER + 1


def period_label(*, start: date, end: date) -> str:
    """A short label for the period from ``start`` to ``end`` inclusive.

    A calendar month reads "Jun 2018", a financial quarter "Q1 2018/19", a financial year "2018/19",
    a calendar year "2018", three pooled calendar years "2017-19" and three pooled financial years
    "2017/18-19/20"; any other span is written out as "1 Apr 2018 to 15 May 2018".

    Example:
        >>> period_label(start=date(2018, 6, 1), end=date(2018, 6, 30))
        'Jun 2018'
        >>> period_label(start=date(2017, 1, 1), end=date(2019, 12, 31))
        '2017-19'
        >>> period_label(start=date(2018, 4, 1), end=date(2018, 5, 15))
        '1 Apr 2018 to 15 May 2018'
    """
    if end < start:
        raise MetricsInputError(
            f"A period cannot end ({format_date(end)}) before it starts ({format_date(start)})"
        )
    if start.day == 1:
        if end == _last_day(start, 1):
            return f"{start:%b %Y}"
        if start.month in QUARTER_START_MONTHS and end == _last_day(start, MONTHS_PER_QUARTER):
            return f"Q{quarter_number(start)} {financial_year(start)}"
        if start.month == FINANCIAL_YEAR_START_MONTH and end == _last_day(start, MONTHS_PER_YEAR):
            return financial_year(start)
        if start.month == CALENDAR_YEAR_START_MONTH and end == _last_day(start, MONTHS_PER_YEAR):
            return str(start.year)
        if end == _last_day(start, MONTHS_PER_POOLED_PERIOD):
            return _pooled_label(start)
    return f"{format_date(start)} to {format_date(end)}"


def _pooled_label(start: date) -> str:
    last_year = start.year + POOLED_YEARS - 1
    if start.month == CALENDAR_YEAR_START_MONTH:
        return f"{start.year}-{last_year % 100:02d}"
    if start.month == FINANCIAL_YEAR_START_MONTH:
        return f"{financial_year(start)}-{last_year % 100:02d}/{(last_year + 1) % 100:02d}"
    return f"{format_date(start)} to {format_date(_last_day(start, MONTHS_PER_POOLED_PERIOD))}"
