"""Periods as sources write them: each label read by the indicator's frequency, or refused with the forms."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

import ingest.periods
from ingest.periods import PeriodError, month_first_rows, parse_day, parse_period, period_end

APRIL_2019 = date(2019, 4, 1)


@pytest.mark.parametrize("text", ["Apr-19", "April 2019", "43556", "01/04/19", "2019-04-01T00:00:00Z", "1/4/2019",
                                  "2019-04-01 00:00:00", "2019-04", "apr 2019", "2019-04-30", "1 April 2019",
                                  "01-Apr-2019"])
def test_period_labels_monthly_forms_all_read_as_april_2019(text):
    assert parse_period(text, frequency="monthly") == APRIL_2019


def test_period_labels_a_us_order_date_is_refused_naming_both_readings():
    with pytest.raises(PeriodError) as refused:
        parse_period("04/01/2019", frequency="monthly")
    message = str(refused.value)
    assert "4 Jan 2019" in message and "If it means 1 Apr 2019 (month first), write 2019-04-01" in message
    assert parse_period("04/01/2019", frequency="monthly", month_first=True) == APRIL_2019


@pytest.mark.parametrize(("text", "frequency", "start"), [
    ("Q1 2019/20", "quarterly", date(2019, 4, 1)),
    ("2019/20 Q4", "quarterly", date(2020, 1, 1)),
    ("2019-06-30", "quarterly", date(2019, 4, 1)),
    ("31/03/2025", "annual", date(2024, 4, 1)),
    ("2024/25", "annual", date(2024, 4, 1)),
    ("2024-25", "annual", date(2024, 4, 1)),
    ("2024/2025", "annual", date(2024, 4, 1)),
    ("2011-12", "annual", date(2011, 4, 1)),
    ("2011-12", "monthly", date(2011, 12, 1)),
    ("2025", "calendar_year", date(2025, 1, 1)),
    ("2025-12-31", "calendar_year", date(2025, 1, 1)),
    ("2017 - 19", "pooled_3_years", date(2017, 1, 1)),
    ("2017/18 - 19/20", "pooled_3_years", date(2017, 4, 1)),
])
def test_period_labels_read_by_frequency(text, frequency, start):
    assert parse_period(text, frequency=frequency) == start


@pytest.mark.parametrize(("text", "frequency", "words"), [
    ("2025", "annual", "'2025' is a calendar year, not a financial year. Write a financial year: 2019/20"),
    ("2025-01-01", "annual", "neither the first nor the last day of a financial year"),
    ("2024/25", "monthly", "is a financial year, not a month"),
    ("Q1 2024", "quarterly", "Say which financial year: Q1 2024/25 is April to June 2024"),
    ("2019-05-01", "quarterly", "neither the first nor the last day of a financial quarter"),
    ("next month", "monthly", "not a period that can be read. Write a month: 2019-04, Apr-19 or April 2019"),
    ("2017 - 19", "annual", "is a pooled period, not a financial year"),
    ("2026-02-30", "monthly", "not a period that can be read"),
])
def test_period_labels_that_do_not_fit_are_refused_with_the_accepted_forms(text, frequency, words):
    with pytest.raises(PeriodError) as refused:
        parse_period(text, frequency=frequency)
    assert words in str(refused.value)


@pytest.mark.parametrize(("start", "frequency", "end"), [
    (date(2026, 2, 1), "monthly", date(2026, 2, 28)),
    (date(2026, 1, 1), "quarterly", date(2026, 3, 31)),
    (date(2024, 4, 1), "annual", date(2025, 3, 31)),
    (date(2025, 1, 1), "calendar_year", date(2025, 12, 31)),
    (date(2017, 4, 1), "pooled_3_years", date(2020, 3, 31)),
])
def test_period_end_for_every_frequency(start, frequency, end):
    assert period_end(start, frequency=frequency) == end


def test_ambiguous_dates_one_month_first_row_marks_the_column():
    rows = [(2, "10/12/2026"), (3, "10/24/2026"), (4, "11/03/2026")]
    assert month_first_rows(rows) == ([3], [2, 3, 4])
    assert month_first_rows([(2, "10/12/2026"), (3, "24/10/2026")]) == ([], [2, 3])
    assert parse_day("10/24/2026", month_first=True) == date(2026, 10, 24)
    with pytest.raises(PeriodError):
        parse_day("10/24/2026")


def test_the_docstring_examples_hold():
    assert doctest.testmod(ingest.periods).failed == 0


def test_ambiguous_dates_in_a_period_column_flag_the_whole_column_unless_confirmed():
    import pandas as pd

    from ingest.reading import parse_periods

    text = pd.Series(["04/01/2026", "04/30/2026"], index=[2, 3])
    frequency = pd.Series(["monthly", "monthly"], index=[2, 3])
    codes = pd.Series(["CLAIMANT", "CLAIMANT"], index=[2, 3])
    starts, problems = parse_periods(text, frequency, codes, column="period_start", month_first=False)
    assert starts.isna().all() and [row for row, _ in problems] == [2, 3]
    assert "The dates in period_start look month-first (US order): row 3" in problems[0][1]
    starts, problems = parse_periods(text, frequency, codes, column="period_start", month_first=True)
    assert not problems and list(starts.dt.date) == [date(2026, 4, 1), date(2026, 4, 1)]
    _, problems = parse_periods(pd.Series(["01/04/2026"], index=[2]), frequency[:1], codes[:1], column="period_start",
                                month_first=True)
    assert "If it means 1 Apr 2026 (day first), write 2026-04-01." in problems[0][1]
