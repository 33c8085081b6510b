"""Periods and labels: months, financial quarters and years, calendar years, three pooled years."""

from datetime import date

import pytest

from metrics.enums import Frequency
from metrics.errors import MetricsInputError
from metrics.periods import financial_year, format_date, period_bounds, period_label, quarter_number


@pytest.mark.parametrize(
    ("start", "frequency", "end"),
    [
        (date(2018, 6, 1), Frequency.MONTHLY, date(2018, 6, 30)),
        (date(2024, 2, 1), Frequency.MONTHLY, date(2024, 2, 29)),  # leap year
        (date(2018, 12, 1), Frequency.MONTHLY, date(2018, 12, 31)),
        (date(2018, 4, 1), Frequency.QUARTERLY, date(2018, 6, 30)),
        (date(2018, 10, 1), Frequency.QUARTERLY, date(2018, 12, 31)),
        (date(2019, 1, 1), Frequency.QUARTERLY, date(2019, 3, 31)),
        (date(2020, 1, 1), Frequency.CALENDAR_YEAR, date(2020, 12, 31)),
        (date(2018, 4, 1), Frequency.ANNUAL, date(2019, 3, 31)),
        (date(2018, 4, 1), "annual", date(2019, 3, 31)),
        (date(2020, 1, 1), Frequency.CALENDAR_YEAR, date(2020, 12, 31)),
        (date(2017, 1, 1), Frequency.POOLED_3_YEARS, date(2019, 12, 31)),
        (date(2017, 4, 1), "pooled_3_years", date(2020, 3, 31)),
    ],
)
def test_period_bounds(start, frequency, end):
    assert period_bounds(start=start, frequency=frequency) == (start, end)


@pytest.mark.parametrize(
    ("start", "frequency", "message"),
    [
        (date(2018, 6, 2), "monthly",
         "Monthly periods must start on the 1st of a month (got 2 Jun 2018)"),
        (date(2018, 5, 1), "quarterly",
         "Quarterly periods must start on 1 Apr, 1 Jul, 1 Oct or 1 Jan (got 1 May 2018)"),
        (date(2020, 4, 1), "calendar_year", "Calendar year periods must start on 1 Jan (got 1 Apr 2020)"),
        (date(2018, 4, 2), "quarterly",
         "Quarterly periods must start on 1 Apr, 1 Jul, 1 Oct or 1 Jan (got 2 Apr 2018)"),
        (date(2018, 1, 1), "annual", "Financial year periods must start on 1 Apr (got 1 Jan 2018)"),
        (date(2018, 4, 1), "calendar_year", "Calendar year periods must start on 1 Jan (got 1 Apr 2018)"),
        (date(2018, 7, 1), "pooled_3_years",
         "Three years pooled periods must start on 1 Jan (calendar years) or 1 Apr (financial years) "
         "(got 1 Jul 2018)"),
    ],
)
def test_period_bounds_rejects_a_bad_start(start, frequency, message):
    with pytest.raises(MetricsInputError) as error:
        period_bounds(start=start, frequency=frequency)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2018, 6, 1), date(2018, 6, 30), "Jun 2018"),
        (date(2018, 4, 1), date(2018, 6, 30), "Q1 2018/19"),
        (date(2018, 7, 1), date(2018, 9, 30), "Q2 2018/19"),
        (date(2018, 10, 1), date(2018, 12, 31), "Q3 2018/19"),
        (date(2019, 1, 1), date(2019, 3, 31), "Q4 2018/19"),
        (date(2018, 4, 1), date(2019, 3, 31), "2018/19"),
        (date(1999, 4, 1), date(2000, 3, 31), "1999/00"),
        (date(2018, 4, 1), date(2018, 5, 15), "1 Apr 2018 to 15 May 2018"),
        (date(2018, 2, 1), date(2018, 4, 30), "1 Feb 2018 to 30 Apr 2018"),  # not a financial quarter
        (date(2018, 1, 1), date(2018, 12, 31), "2018"),  # a calendar year
        (date(2020, 1, 1), date(2020, 12, 31), "2020"),
        (date(2017, 1, 1), date(2019, 12, 31), "2017-19"),  # three pooled calendar years
        (date(1998, 1, 1), date(2000, 12, 31), "1998-00"),
        (date(2017, 4, 1), date(2020, 3, 31), "2017/18-19/20"),  # three pooled financial years
        (date(2017, 7, 1), date(2020, 6, 30), "1 Jul 2017 to 30 Jun 2020"),  # three years, neither
        (date(2018, 1, 1), date(2019, 12, 31), "1 Jan 2018 to 31 Dec 2019"),  # two years
    ],
)
def test_period_label(start, end, label):
    assert period_label(start=start, end=end) == label


def test_period_label_rejects_an_end_before_the_start():
    with pytest.raises(MetricsInputError, match="cannot end"):
        period_label(start=date(2018, 6, 1), end=date(2018, 5, 31))


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2019, 3, 31), "2018/19"), (date(2019, 4, 1), "2019/20"), (date(2019, 12, 31), "2019/20")],
)
def test_financial_year(day, year):
    assert financial_year(day) == year


@pytest.mark.parametrize(
    ("day", "quarter"),
    [(date(2018, 4, 1), 1), (date(2018, 6, 30), 1), (date(2018, 7, 1), 2), (date(2018, 12, 31), 3),
     (date(2019, 1, 1), 4), (date(2019, 3, 31), 4)],
)
def test_quarter_number(day, quarter):
    assert quarter_number(day) == quarter


def test_format_date_is_uk_style_without_leading_zero():
    assert format_date(date(2018, 6, 5)) == "5 Jun 2018"
    assert format_date(date(2018, 11, 25)) == "25 Nov 2018"


@pytest.mark.parametrize("frequency", list(Frequency))
def test_every_frequency_has_bounds_and_a_short_label(frequency):
    start = date(2020, 4, 1) if frequency is not Frequency.CALENDAR_YEAR else date(2020, 1, 1)
    first, last = period_bounds(start=start, frequency=frequency)
    assert " to " not in period_label(start=first, end=last)
