"""RAG against target trajectories: boundary tables for both polarities and tolerance types."""

import math
from datetime import date

import pytest

from metrics.enums import Polarity, Rag, ToleranceType
from metrics.errors import MetricsInputError
from metrics.rag import (
    Target,
    assess_against_target,
    describe_staleness_limit,
    expected_value_at,
    rag_for,
    staleness_reason,
)

HIGHER = Polarity.HIGHER_IS_BETTER
LOWER = Polarity.LOWER_IS_BETTER
ABSOLUTE = ToleranceType.ABSOLUTE
RELATIVE = ToleranceType.RELATIVE


@pytest.mark.parametrize(
    ("polarity", "value", "expected_rag"),
    [
        (HIGHER, 40.0, Rag.GREEN),
        (HIGHER, 34.0, Rag.GREEN),  # exactly on expected
        (HIGHER, 33.9, Rag.AMBER),
        (HIGHER, 29.0, Rag.AMBER),  # exactly at tolerance
        (HIGHER, 28.9, Rag.RED),
        (LOWER, 28.0, Rag.GREEN),
        (LOWER, 34.0, Rag.GREEN),
        (LOWER, 34.1, Rag.AMBER),
        (LOWER, 39.0, Rag.AMBER),
        (LOWER, 39.1, Rag.RED),
    ],
)
def test_absolute_tolerance_boundaries(polarity, value, expected_rag):
    result = rag_for(value=value, expected=34.0, polarity=polarity, tolerance=5.0,
                     tolerance_type=ABSOLUTE)
    assert result.rag is expected_rag
    assert result.expected == 34.0


@pytest.mark.parametrize(
    ("polarity", "value", "expected_rag"),
    [
        # Relative tolerance 10% of an expected 40.0 is 4.0 either way.
        (HIGHER, 40.0, Rag.GREEN),
        (HIGHER, 36.0, Rag.AMBER),
        (HIGHER, 35.9, Rag.RED),
        (LOWER, 40.0, Rag.GREEN),
        (LOWER, 44.0, Rag.AMBER),
        (LOWER, 44.1, Rag.RED),
    ],
)
def test_relative_tolerance_boundaries(polarity, value, expected_rag):
    result = rag_for(value=value, expected=40.0, polarity=polarity, tolerance=10,
                     tolerance_type=RELATIVE)
    assert result.rag is expected_rag


def test_relative_tolerance_scales_with_the_expected_value():
    # 10% of 200 is 20, so a shortfall of 15 is amber here although it would be red at 40.
    assert rag_for(value=185, expected=200, polarity=HIGHER, tolerance=10,
                   tolerance_type=RELATIVE).rag is Rag.AMBER


def test_floating_point_noise_on_the_boundary_counts_as_on_it():
    assert rag_for(value=0.1 + 0.2, expected=0.3, polarity=HIGHER, tolerance=0,
                   tolerance_type=ABSOLUTE).rag is Rag.GREEN


def test_zero_tolerance_makes_any_miss_red():
    assert rag_for(value=33.99, expected=34.0, polarity=HIGHER, tolerance=0,
                   tolerance_type=ABSOLUTE).rag is Rag.RED


@pytest.mark.parametrize(
    ("value", "tolerance_type", "reason"),
    [
        (31.9, ABSOLUTE, "Misses the expected 34.0 by 2.1, within the tolerance of 5.0"),
        (26.8, ABSOLUTE, "Misses the expected 34.0 by 7.2, beyond the tolerance of 5.0"),
        (34.0, ABSOLUTE, "Meets the expected 34.0"),
        (36.5, ABSOLUTE, "Beats the expected 34.0 by 2.5"),
        (32.5, RELATIVE, "Misses the expected 34.0 by 1.5, within the tolerance of 1.7 "
                         "(5% of expected)"),
        (31.9, RELATIVE, "Misses the expected 34.0 by 2.1, beyond the tolerance of 1.7 "
                         "(5% of expected)"),
    ],
)
def test_reasons_are_plain_english(value, tolerance_type, reason):
    result = rag_for(value=value, expected=34.0, polarity=HIGHER, tolerance=5.0,
                     tolerance_type=tolerance_type)
    assert result.reason == reason


@pytest.mark.parametrize(
    ("polarity", "value", "interval", "expected_rag"),
    [
        (HIGHER, 37.0, (35.0, 40.0), Rag.GREEN),
        (HIGHER, 37.0, (34.0, 40.0), Rag.GREEN),  # touching the expected value still meets it
        (HIGHER, 34.5, (30.0, 38.0), Rag.CANNOT_TELL),
        (HIGHER, 32.0, (30.0, 34.0), Rag.CANNOT_TELL),  # could still be on the expected value
        (HIGHER, 31.0, (28.0, 33.0), Rag.AMBER),  # whole interval misses; point within tolerance
        (HIGHER, 27.0, (25.0, 29.0), Rag.RED),
        (LOWER, 30.0, (28.0, 33.0), Rag.GREEN),
        (LOWER, 31.0, (28.0, 34.0), Rag.GREEN),
        (LOWER, 34.5, (30.0, 38.0), Rag.CANNOT_TELL),
        (LOWER, 36.0, (34.0, 38.0), Rag.CANNOT_TELL),
        (LOWER, 36.0, (35.0, 37.0), Rag.AMBER),
        (LOWER, 40.0, (39.0, 41.0), Rag.RED),
    ],
)
def test_interval_mode(polarity, value, interval, expected_rag):
    result = rag_for(value=value, expected=34.0, polarity=polarity, tolerance=5.0,
                     tolerance_type=ABSOLUTE, interval=interval, use_interval=True)
    assert result.rag is expected_rag


def test_interval_is_ignored_unless_asked_for():
    result = rag_for(value=34.5, expected=34.0, polarity=HIGHER, tolerance=5.0,
                     tolerance_type=ABSOLUTE, interval=(30.0, 38.0))
    assert result.rag is Rag.GREEN


def test_straddling_interval_reason_names_the_interval():
    result = rag_for(value=34.5, expected=34.0, polarity=HIGHER, tolerance=5.0,
                     tolerance_type=ABSOLUTE, interval=(30.0, 38.0), use_interval=True)
    assert result.reason == "The interval (30.0 to 38.0) straddles the expected 34.0"


@pytest.mark.parametrize("interval", [None, (math.nan, 40.0), (30.0, None)])
def test_interval_mode_without_an_interval_is_not_assessed(interval):
    result = rag_for(value=37.0, expected=34.0, polarity=HIGHER, tolerance=5.0,
                     tolerance_type=ABSOLUTE, interval=interval, use_interval=True)
    assert (result.rag, result.reason) == (Rag.NOT_ASSESSED, "No confidence interval to judge against")


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"polarity": Polarity.NO_JUDGEMENT}, "Not assessed: this indicator has no better direction"),
        ({"expected": None}, "No target set"),
        ({"expected": math.nan}, "No target set"),
        ({"value": None}, "No data for this period"),
        ({"value": math.nan}, "No data for this period"),
        ({"suppressed": True}, "Value suppressed (small numbers)"),
        ({"value": None, "suppressed": True}, "Value suppressed (small numbers)"),
        ({"stale_reason": "Latest data (Mar 2023) is older than the 18-month staleness limit"},
         "Latest data (Mar 2023) is older than the 18-month staleness limit"),
    ],
)
def test_never_guesses(overrides, reason):
    arguments = {"value": 40.0, "expected": 34.0, "polarity": HIGHER, "tolerance": 5.0,
                 "tolerance_type": ABSOLUTE} | overrides
    result = rag_for(**arguments)
    assert (result.rag, result.reason) == (Rag.NOT_ASSESSED, reason)


def test_codes_from_the_database_are_accepted():
    result = rag_for(value=22.0, expected=20.0, polarity="lower_is_better", tolerance=10,
                     tolerance_type="relative")
    assert result.rag is Rag.AMBER


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"tolerance": -1.0}, r"tolerance must be zero or more \(got -1.0\)"),
        ({"polarity": "up"}, r"polarity must be one of higher_is_better, lower_is_better, "
                             r"no_judgement \(got 'up'\)"),
        ({"tolerance_type": "percent"}, r"tolerance_type must be one of absolute, relative"),
        ({"interval": (40.0, 30.0), "use_interval": True},
         r"interval upper \(30.0\) must not be below lower \(40.0\)"),
    ],
)
def test_bad_input_is_rejected(overrides, message):
    arguments = {"value": 40.0, "expected": 34.0, "polarity": HIGHER, "tolerance": 5.0,
                 "tolerance_type": ABSOLUTE} | overrides
    with pytest.raises(MetricsInputError, match=message):
        rag_for(**arguments)


def _falling_target() -> Target:
    # 100 down to 50 over ten days, so each day is worth 5.
    return Target(baseline_date=date(2024, 1, 1), baseline_value=100.0,
                  target_date=date(2024, 1, 11), target_value=50.0, tolerance=5.0,
                  tolerance_type=ABSOLUTE)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2023, 6, 1), 100.0),  # before the baseline: the baseline value
        (date(2024, 1, 1), 100.0),
        (date(2024, 1, 2), 95.0),
        (date(2024, 1, 6), 75.0),
        (date(2024, 1, 10), 55.0),
        (date(2024, 1, 11), 50.0),
        (date(2030, 1, 1), 50.0),  # after the target date: the target itself
    ],
)
def test_trajectory_is_linear_between_baseline_and_target(on, expected):
    assert expected_value_at(target=_falling_target(), on=on) == pytest.approx(expected)


def test_rising_trajectory():
    target = Target(baseline_date=date(2016, 4, 1), baseline_value=38.0,
                    target_date=date(2027, 4, 1), target_value=45.0, tolerance=5,
                    tolerance_type="relative")
    on = date(2021, 10, 1)  # 2,009 of the 4,017 days
    assert expected_value_at(target=target, on=on) == pytest.approx(38.0 + 7.0 * 2009 / 4017)
    assert target.tolerance_type is RELATIVE


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"target_date": date(2024, 1, 1)}, r"target_date \(2024-01-01\) must be after"),
        ({"tolerance": -0.5}, r"tolerance must be zero or more"),
        ({"tolerance_type": "loose"}, r"tolerance_type must be one of absolute, relative"),
    ],
)
def test_target_rejects_bad_definitions(overrides, message):
    arguments = {"baseline_date": date(2024, 1, 1), "baseline_value": 100.0,
                 "target_date": date(2024, 1, 11), "target_value": 50.0, "tolerance": 5.0,
                 "tolerance_type": ABSOLUTE} | overrides
    with pytest.raises(MetricsInputError, match=message):
        Target(**arguments)


def _assess(**overrides):
    arguments = {
        "target": _falling_target(), "value": 76.0, "period_start": date(2024, 1, 2),
        "period_end": date(2024, 1, 6), "polarity": LOWER, "as_of": date(2024, 1, 16),
        "staleness_days": 10,
    } | overrides
    return assess_against_target(**arguments)


def test_assess_reads_the_trajectory_at_the_period_end():
    result = _assess()
    assert result.expected == pytest.approx(75.0)  # at 6 Jan, not 95.0 at 2 Jan
    assert result.rag is Rag.AMBER


@pytest.mark.parametrize(
    ("as_of", "stale"),
    [(date(2024, 1, 16), False), (date(2024, 1, 17), True)],
)
def test_staleness_boundary(as_of, stale):
    result = _assess(as_of=as_of)
    assert (result.rag is Rag.NOT_ASSESSED) is stale
    if stale:
        assert result.reason == ("Latest data (2 Jan 2024 to 6 Jan 2024) is older than the "
                                 "10-day staleness limit")


def test_no_staleness_limit_never_goes_stale():
    assert _assess(as_of=date(2040, 1, 1), staleness_days=None).rag is Rag.AMBER


def test_assess_without_a_target():
    result = _assess(target=None)
    assert (result.rag, result.reason, result.expected) == (Rag.NOT_ASSESSED, "No target set", None)


def test_assess_passes_interval_mode_and_suppression_through():
    assert _assess(interval=(70.0, 80.0), use_interval=True).rag is Rag.CANNOT_TELL
    assert _assess(suppressed=True).reason == "Value suppressed (small numbers)"


def test_staleness_reason_in_months():
    reason = staleness_reason(period_start=date(2023, 3, 1), period_end=date(2023, 3, 31),
                              as_of=date(2024, 11, 1), staleness_days=548)
    assert reason == "Latest data (Mar 2023) is older than the 18-month staleness limit"


@pytest.mark.parametrize(
    ("days", "text"),
    [(548, "18-month"), (365, "12-month"), (92, "3-month"), (45, "45-day"), (100, "100-day")],
)
def test_staleness_limit_wording(days, text):
    assert describe_staleness_limit(days) == text


def test_a_period_before_the_baseline_is_not_assessed():
    from datetime import date

    from metrics.enums import Rag
    from metrics.rag import REASON_BEFORE_BASELINE, Target, assess_against_target

    target = Target(baseline_date=date(2019, 4, 1), baseline_value=14.0, target_date=date(2022, 3, 31),
                    target_value=10.0, tolerance=1.0, tolerance_type="absolute")
    before = assess_against_target(target=target, value=30.0, period_start=date(2016, 1, 1),
                                   period_end=date(2016, 1, 31), polarity="lower_is_better",
                                   as_of=date(2016, 1, 31), staleness_days=120)
    assert before.rag is Rag.NOT_ASSESSED and before.reason == REASON_BEFORE_BASELINE
    first = assess_against_target(target=target, value=13.5, period_start=date(2019, 4, 1),
                                  period_end=date(2019, 4, 30), polarity="lower_is_better",
                                  as_of=date(2019, 4, 30), staleness_days=120)
    assert first.rag is Rag.GREEN
