"""Periods and dates as sources write them, read according to the indicator's frequency.

Pure functions of text. A period is returned as its first day; ``period_end`` gives its last day.
Frequencies: ``monthly`` (calendar months), ``quarterly`` (UK financial quarters: Q1 is April to
June), ``annual`` (financial years, 2024/25 is 1 April 2024 to 31 March 2025), ``calendar_year`` and
``pooled_3_years`` (three years pooled, calendar or financial).

Forms read (each only where it fits the frequency):

- a day: ``2019-04-01``, ``2019-04-01T00:00:00Z``, ``2019-04-01 00:00:00``, ``01/04/2019``, ``1/4/19``,
  ``1 April 2019``, ``01-Apr-2019``, or an Excel serial number (``43556``). Slashed dates are read day
  first unless the caller says month first. A day is a period when it is the first or the last day
  of one (so ``2019-06-30`` is Q1 2019/20 for a quarterly indicator);
- a month: ``2019-04``, ``Apr-19``, ``Apr 2019``, ``April 2019``;
- a financial year: ``2024/25``, ``2024-25``, ``2024/2025``, ``FY 2024/25``;
- a financial quarter: ``Q1 2024/25``, ``2024/25 Q1``;
- a calendar year: ``2025``;
- a pooled period: ``2017 - 19`` (calendar years) or ``2017/18 - 19/20`` (financial years).

Example:
    >>> parse_period("Apr-19", frequency="monthly")
    datetime.date(2019, 4, 1)
    >>> parse_period("Q1 2019/20", frequency="quarterly")
    datetime.date(2019, 4, 1)
    >>> parse_period("2019-06-30", frequency="quarterly")
    datetime.date(2019, 4, 1)
    >>> parse_period("2017 - 19", frequency="pooled_3_years")
    datetime.date(2017, 1, 1)
    >>> period_end(date(2017, 1, 1), frequency="pooled_3_years")
    datetime.date(2019, 12, 31)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from metrics.periods import format_date

EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, allowing for its 1900 leap-year bug
EXCEL_SERIAL_RANGE = (32_874, 73_051)  # 1 Jan 1990 to 1 Jan 2100
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
MONTHS_IN = {"monthly": 1, "quarterly": 3, "annual": 12, "calendar_year": 12, "pooled_3_years": 36}
FIRST_MONTHS = {"monthly": range(1, 13), "quarterly": (4, 7, 10, 1), "annual": (4,), "calendar_year": (1,),
                "pooled_3_years": (1, 4)}
ACCEPTED_FORMS = {
    "monthly": "a month: 2019-04, Apr-19 or April 2019, or its first or last day (2019-04-01, 01/04/2019, "
               "2019-04-30)",
    "quarterly": "a UK financial quarter: Q1 2019/20 (April to June 2019), or its first or last day (2019-04-01 "
                 "or 2019-06-30)",
    "annual": "a financial year: 2019/20 or 2019-20, or its first or last day (2019-04-01 or 2020-03-31)",
    "calendar_year": "a calendar year: 2019, or its first or last day (2019-01-01 or 2019-12-31)",
    "pooled_3_years": "three pooled years: 2017 - 19 (calendar years) or 2017/18 - 19/20 (financial years), or "
                      "the first day (2017-01-01 or 2017-04-01)",
}
NOUNS = {"monthly": "month", "quarterly": "financial quarter", "annual": "financial year",
         "calendar_year": "calendar year", "pooled_3_years": "three-year period"}
MONTH_NAMES = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$",
                  re.IGNORECASE)
SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
_DAY_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]+)[\s-]+(\d{4}|\d{2})$")
_MONTH_WORDS = re.compile(r"^([a-z]+)[\s-]+(\d{4}|\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_FINANCIAL_YEAR = re.compile(r"^(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
_QUARTER = re.compile(r"^(?:q([1-4])\s+(\d{4})\s*[/-]\s*(\d{2}|\d{4})|(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s+q([1-4]))$")
_CALENDAR_QUARTER = re.compile(r"^(?:q[1-4]\s+\d{4}|\d{4}\s+q[1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_POOLED = re.compile(r"^(\d{4})(?:\s*/\s*(\d{2}))?\s*-\s*(\d{2}|\d{4})(?:\s*/\s*(\d{2}))?$")


class PeriodError(ValueError):
    """The text is not a period (or a day) that can be read; the message says what to write instead."""


@dataclass(frozen=True)
class _Label:
    """What a text says before the frequency is known: a day, a month, a financial year or quarter, a
    calendar year, or a pooled period (``kind``), with the first day it names."""

    kind: str
    start: date


# --- days ------------------------------------------------------------------------------------------------


def parse_day(text: str, *, month_first: bool = False) -> date:
    """The day ``text`` names. Slashed dates are day first unless ``month_first``.

    Example:
        >>> parse_day("01/04/19"), parse_day("04/01/2019", month_first=True), parse_day("43556")
        (datetime.date(2019, 4, 1), datetime.date(2019, 4, 1), datetime.date(2019, 4, 1))
        >>> parse_day("next month")
        Traceback (most recent call last):
        ...
        ingest.periods.PeriodError: Not a date. Write dates as YYYY-MM-DD (e.g. 2026-04-01) or DD/MM/YYYY \
(e.g. 01/04/2026), for a real day between 1990 and 2100.
    """
    day = _day(text.strip().lower(), month_first)
    if day is None:
        raise PeriodError("Not a date. Write dates as YYYY-MM-DD (e.g. 2026-04-01) or DD/MM/YYYY (e.g. 01/04/2026), "
                          "for a real day between 1990 and 2100.")
    return day


def _real_day(year: int, month: int, day: int) -> date | None:
    if not EARLIEST_YEAR <= year < LATEST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(text: str) -> int:
    number = int(text)
    return number if len(text) == 4 else 2000 + number  # two-digit years in council data are this century


def _day(text: str, month_first: bool) -> date | None:
    if match := _ISO.match(text):
        return _real_day(int(match[1]), int(match[2]), int(match[3]))
    if match := SLASHED.match(text):
        first, second = int(match[1]), int(match[2])
        day, month = (second, first) if month_first else (first, second)
        return _real_day(_year(match[3]), month, day)
    if match := _SERIAL.match(text):
        serial = int(match[1])
        in_range = EXCEL_SERIAL_RANGE[0] <= serial < EXCEL_SERIAL_RANGE[1]
        return EXCEL_EPOCH + timedelta(days=serial) if in_range else None
    if (match := _DAY_WORDS.match(text)) and match[2] in MONTH_NAMES:
        return _real_day(_year(match[3]), MONTH_NAMES[match[2]], int(match[1]))
    return None


def slashed_order(text: str) -> str | None:
    """Which order a slashed date can be read in: 'day_first' only, 'month_first' only, 'either', or None
    for text that is not a slashed date.

    Example:
        >>> slashed_order("10/24/2026"), slashed_order("24/10/2026"), slashed_order("10/12/2026")
        ('month_first', 'day_first', 'either')
    """
    match = SLASHED.match(text.strip())
    if not match:
        return None
    first, second = int(match[1]), int(match[2])
    if first > 12 >= second:
        return "day_first"
    if second > 12 >= first:
        return "month_first"
    return "either" if first <= 12 and second <= 12 else None


def month_first_rows(texts: Iterable[tuple[object, str]]) -> tuple[list, list]:
    """For (row, text) pairs of one column: the rows that can only be read month first, and every row
    written as a slashed date. A column with any of the first kind is month first as a whole.

    Example:
        >>> month_first_rows([(2, "10/12/2026"), (3, "10/24/2026"), (4, "2026-11-03")])
        ([3], [2, 3])
    """
    only, slashed = [], []
    for row, text in texts:
        order = slashed_order(text)
        if order is not None:
            slashed.append(row)
        if order == "month_first":
            only.append(row)
    return only, slashed


# --- periods ---------------------------------------------------------------------------------------------


def _label(text: str, frequency: str, month_first: bool) -> _Label | None:
    """What ``text`` names. '2011-12' is December 2011 to a monthly indicator, 2011/12 to an annual one."""
    if match := _QUARTER.match(text):
        quarter, start_year, end_year = ((int(match[1]), match[2], match[3]) if match[1]
                                         else (int(match[6]), match[4], match[5]))
        if not _follows(start_year, end_year, 1):
            return None
        month = (4, 7, 10, 1)[quarter - 1]
        return _Label("quarter", date(int(start_year) + (quarter == 4), month, 1))
    if (match := _YEAR_MONTH.match(text)) and not (frequency in ("annual", "pooled_3_years")
                                                      and _follows(match[1], match[2], 1)):
        day = _real_day(int(match[1]), int(match[2]), 1) if int(match[2]) <= 12 else None
        if day:
            return _Label("month", day)
    if (match := _FINANCIAL_YEAR.match(text)) and _follows(match[1], match[2], 1):
        return _Label("financial_year", date(int(match[1]), 4, 1))
    if match := _POOLED.match(text):
        return _pooled(match)
    if match := _YEAR.match(text):
        year = int(match[1])
        return _Label("calendar_year", date(year, 1, 1)) if EARLIEST_YEAR <= year < LATEST_YEAR else None
    if (match := _MONTH_WORDS.match(text)) and match[1] in MONTH_NAMES:
        day = _real_day(_year(match[2]), MONTH_NAMES[match[1]], 1)
        return _Label("month", day) if day else None
    day = _day(text, month_first)
    return _Label("day", day) if day else None


def _follows(first: str, second: str, years: int) -> bool:
    """'2024', '25' -> True for one year on: the second year is written with two or four digits."""
    start = int(first)
    return int(second) == (start + years if len(second) == 4 else (start + years) % 100)


def _pooled(match: re.Match) -> _Label | None:
    first, first_end, last, last_end = match[1], match[2], match[3], match[4]
    if first_end is None and last_end is None and _follows(first, last, 2):
        return _Label("pooled_calendar", date(int(first), 1, 1))
    if first_end and last_end and _follows(first, first_end, 1) and _follows(first, last, 2):
        return _Label("pooled_financial", date(int(first), 4, 1))
    return None


def _add_months(d: date, months: int) -> date:
    index = d.month - 1 + months
    return date(d.year + index // 12, index % 12 + 1, 1)


def period_end(start: date, *, frequency: str) -> date:
    """The last day of the period of ``frequency`` that starts on ``start`` (which must be a valid start).

    Example:
        >>> period_end(date(2024, 4, 1), frequency="annual"), period_end(date(2025, 1, 1), frequency="calendar_year")
        (datetime.date(2025, 3, 31), datetime.date(2025, 12, 31))
    """
    _check_start(start, frequency)
    return _add_months(start, MONTHS_IN[frequency]) - timedelta(days=1)


def _check_start(start: date, frequency: str) -> None:
    if frequency not in MONTHS_IN:
        raise PeriodError(f"Unknown frequency '{frequency}'. Use one of: {', '.join(MONTHS_IN)}.")
    if start.day != 1 or start.month not in FIRST_MONTHS[frequency]:
        raise PeriodError(f"{format_date(start)} is not the first day of {_article(NOUNS[frequency])} "
                          f"{NOUNS[frequency]}")


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


_FITS = {  # label kinds each frequency accepts as naming exactly one of its periods
    "monthly": {"month"},
    "quarterly": {"quarter", "month"},
    "annual": {"financial_year"},
    "calendar_year": {"calendar_year"},
    "pooled_3_years": {"pooled_calendar", "pooled_financial"},
}


def parse_period(text: str, *, frequency: str, month_first: bool = False) -> date:
    """The first day of the period of ``frequency`` that ``text`` names.

    Raises ``PeriodError`` naming the accepted forms when the text is no period, or one that does
    not fit the frequency (``2025`` for a financial-year indicator could be 2024/25 or 2025/26).

    Example:
        >>> parse_period("2024/25", frequency="annual"), parse_period("31/03/2025", frequency="annual")
        (datetime.date(2024, 4, 1), datetime.date(2024, 4, 1))
        >>> parse_period("2025", frequency="annual")
        Traceback (most recent call last):
        ...
        ingest.periods.PeriodError: '2025' is a calendar year, not a financial year. Write a financial year: \
2019/20 or 2019-20, or its first or last day (2019-04-01 or 2020-03-31).
    """
    if frequency not in MONTHS_IN:
        raise PeriodError(f"Unknown frequency '{frequency}'. Use one of: {', '.join(MONTHS_IN)}.")
    clean = " ".join(text.strip().lower().split())
    label = _label(clean, frequency, month_first)
    forms = ACCEPTED_FORMS[frequency]
    noun = NOUNS[frequency]
    if label is None:
        hint = " Say which financial year: Q1 2024/25 is April to June 2024." if _CALENDAR_QUARTER.match(clean) else ""
        raise PeriodError(f"'{text.strip()}' is not a period that can be read.{hint} Write {forms}.")
    if label.kind == "day":
        return _period_of_day(text.strip(), label.start, frequency, month_first)
    if label.kind not in _FITS[frequency]:
        described = _LABEL_WORDS[label.kind]
        raise PeriodError(f"'{text.strip()}' is {described}, not {_article(noun)} {noun}. Write {forms}.")
    if label.start.month not in FIRST_MONTHS[frequency]:
        raise PeriodError(f"'{text.strip()}' is not the start of {_article(noun)} {noun}. Write {forms}.")
    return label.start


_LABEL_WORDS = {"month": "a month", "quarter": "a financial quarter", "financial_year": "a financial year",
                "calendar_year": "a calendar year", "pooled_calendar": "a pooled period",
                "pooled_financial": "a pooled period"}


def _start_of_day(day: date, frequency: str) -> date | None:
    """The period a day names: the one it starts, or the one it ends (a quarter-end date); else None."""
    if day.day == 1 and day.month in FIRST_MONTHS[frequency]:
        return day
    following = day + timedelta(days=1)
    if frequency != "pooled_3_years" and following.day == 1:
        start = _add_months(following, -MONTHS_IN[frequency])
        if start.month in FIRST_MONTHS[frequency]:
            return start
    return None


def _period_of_day(text: str, day: date, frequency: str, month_first: bool) -> date:
    start = _start_of_day(day, frequency)
    if start is not None:
        return start
    noun = NOUNS[frequency]
    raise PeriodError(f"'{text}' is read as {format_date(day)}, which is neither the first nor the last day of "
                      f"{_article(noun)} {noun}.{_other_order_hint(text, frequency, month_first)} Write "
                      f"{ACCEPTED_FORMS[frequency]}.")


def _other_order_hint(text: str, frequency: str, month_first: bool) -> str:
    """Name the other reading of a slashed date (month first, or day first) when that one would be a period."""
    if slashed_order(text) != "either":
        return ""
    other = _day(text.lower(), month_first=not month_first)
    if other is None or _start_of_day(other, frequency) is None:
        return ""
    order = "day first" if month_first else "month first"
    return f" If it means {format_date(other)} ({order}), write {other.isoformat()}."
