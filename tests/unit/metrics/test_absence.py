"""Missing, suppressed at source and no eligible population (0/0) are told apart when LSOAs are added up."""

import math

import pandas as pd
import pytest

from metrics.aggregate import aggregate_to_localities, completeness_note, incomplete_reason, values_from_totals
from metrics.errors import MetricsInputError

APRIL = ("2025-04-01", "2026-03-31")
MEMBERS = pd.DataFrame({"locality_code": ["W"] * 4, "lsoa_code": ["A", "B", "C", "D"]})


def _observations(rows) -> pd.DataFrame:
    """rows: (lsoa, value, numerator, denominator, suppressed)."""
    return pd.DataFrame([{"area_code": a, "period_start": APRIL[0], "period_end": APRIL[1], "value": v,
                          "numerator": n, "denominator": d, "suppressed": s} for a, v, n, d, s in rows])


@pytest.mark.parametrize("expected, reported, suppressed, no_population, note", [
    (10, 10, 0, 0, ""),
    (10, 10, 0, 1, "1 LSOA with no eligible population"),
    (10, 8, 2, 0, "2 LSOAs suppressed at source"),
    (10, 7, 0, 0, "3 LSOAs missing"),
    (10, 5, 2, 1, "2 LSOAs suppressed at source; 1 LSOA with no eligible population; 3 LSOAs missing"),
    (1, 0, 1, 0, "value suppressed at source"),
    (1, 0, 0, 0, "no data"),
    (1, 1, 0, 1, "no eligible population"),
])
def test_completeness_note_says_which_kind_of_absence(expected, reported, suppressed, no_population, note):
    assert completeness_note(lsoas_expected=expected, lsoas_reported=reported, lsoas_suppressed=suppressed,
                             lsoas_no_population=no_population) == note


def test_completeness_note_rejects_negative_counts():
    with pytest.raises(MetricsInputError):
        completeness_note(lsoas_expected=3, lsoas_reported=-1)


@pytest.mark.parametrize("expected, reported, suppressed, note, reason", [
    (5, 3, 2, "2 LSOAs suppressed at source",
     "Not shown: 2 LSOAs suppressed at source, and a total without them would be too small"),
    (5, 2, 0, "3 LSOAs missing", "Incomplete: 3 LSOAs missing for this period"),
    (5, 1, 2, "2 LSOAs suppressed at source; 2 LSOAs missing",
     "Incomplete: 2 LSOAs suppressed at source; 2 LSOAs missing for this period"),
    (1, 0, 1, "value suppressed at source", "Not shown: the value was suppressed at source"),
])
def test_incomplete_reason_never_calls_suppressed_values_missing(expected, reported, suppressed, note, reason):
    assert incomplete_reason(completeness=note, lsoas_expected=expected, lsoas_reported=reported,
                             lsoas_suppressed=suppressed) == reason


def test_a_zero_over_zero_lsoa_adds_nothing_and_keeps_the_locality_complete():
    data = _observations([("A", 80.0, 4, 5, False), ("B", None, 0, 0, False), ("C", 75.0, 3, 4, False),
                          ("D", 50.0, 1, 2, False)])
    result = aggregate_to_localities(observations=data, membership=MEMBERS, aggregation="ratio",
                                     multiplier=100).iloc[0]
    assert bool(result["complete"])
    assert result["value"] == pytest.approx(8 / 11 * 100)
    assert (result["lsoas_no_population"], result["completeness"]) == (1, "1 LSOA with no eligible population")


def test_a_suppressed_lsoa_is_not_missing_and_its_locality_shows_no_smaller_total():
    data = _observations([("A", 7.0, None, None, False), ("B", None, None, None, True),
                          ("C", 3.0, None, None, False), ("D", 0.0, None, None, False)])
    result = aggregate_to_localities(observations=data, membership=MEMBERS, aggregation="sum",
                                     multiplier=1).iloc[0]
    assert not bool(result["complete"]) and math.isnan(result["value"])
    assert (result["lsoas_suppressed"], result["completeness"]) == (1, "1 LSOA suppressed at source")


def test_a_missing_lsoa_is_still_missing():
    data = _observations([("A", 7.0, None, None, False), ("C", 3.0, None, None, False),
                          ("D", 0.0, None, None, False)])
    result = aggregate_to_localities(observations=data, membership=MEMBERS, aggregation="sum",
                                     multiplier=1).iloc[0]
    assert result["completeness"] == "1 LSOA missing"


def test_values_from_totals_reads_the_absence_counts_of_the_store():
    totals = pd.DataFrame({"area_code": ["W"], "period_start": [APRIL[0]], "period_end": [APRIL[1]],
                           "numerator": [84.0], "denominator": [98.0], "lsoas_expected": [16],
                           "lsoas_reported": [16], "with_denominator": [16], "lsoas_suppressed": [0],
                           "lsoas_no_population": [1]})
    row = values_from_totals(totals=totals, aggregation="ratio", multiplier=100).iloc[0]
    assert row["value"] == pytest.approx(85.714, abs=1e-3)
    assert row["completeness"] == "1 LSOA with no eligible population"


def test_a_published_estimate_keeps_its_value_and_is_not_recomputed():
    totals = pd.DataFrame({"area_code": ["E05011385"], "period_start": [APRIL[0]], "period_end": [APRIL[1]],
                           "numerator": [27.0], "denominator": [44.0], "value_sum": [58.3], "lsoas_expected": [1],
                           "lsoas_reported": [1], "with_denominator": [1]})
    counted = values_from_totals(totals=totals, aggregation="ratio", multiplier=100).iloc[0]
    published = values_from_totals(totals=totals, aggregation="ratio", multiplier=100, published=True).iloc[0]
    assert counted["value"] == pytest.approx(27 / 44 * 100)
    assert published["value"] == pytest.approx(58.3)
