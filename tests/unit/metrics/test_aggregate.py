"""LSOA to locality aggregation: sums recomputed, incomplete localities flagged, not guessed."""

import math

import pandas as pd
import pytest

from metrics.aggregate import (
    aggregate_to_localities,
    multiplier_for_unit,
    values_from_totals,
)
from metrics.errors import MetricsInputError

APRIL = ("2024-04-01", "2024-04-30")
MAY = ("2024-05-01", "2024-05-31")


def membership() -> pd.DataFrame:
    return pd.DataFrame({
        "locality_code": ["PN-1", "PN-1", "PN-2"],
        "lsoa_code": ["E01000001", "E01000002", "E01000003"],
    })


def observations(rows) -> pd.DataFrame:
    """rows: (lsoa, period, value, numerator, denominator)."""
    return pd.DataFrame(
        [{"area_code": lsoa, "period_start": period[0], "period_end": period[1], "value": value,
          "numerator": numerator, "denominator": denominator}
         for lsoa, period, value, numerator, denominator in rows]
    )


def row(result: pd.DataFrame, area: str, period) -> pd.Series:
    match = result[(result["area_code"] == area) & (result["period_start"] == period[0])]
    assert len(match) == 1
    return match.iloc[0]


def test_ratio_is_recomputed_from_summed_parts_not_averaged():
    data = observations([
        ("E01000001", APRIL, 10.0, 1, 10),  # 10%
        ("E01000002", APRIL, 50.0, 10, 20),  # 50%; the average of the two would be 30%
        ("E01000003", APRIL, 25.0, 5, 20),
    ])
    result = aggregate_to_localities(observations=data, membership=membership(),
                                     aggregation="ratio", multiplier=100)
    first = row(result, "PN-1", APRIL)
    assert first["value"] == pytest.approx(11 / 30 * 100)
    assert (first["numerator"], first["denominator"]) == (11, 30)
    assert bool(first["complete"]) is True
    assert list(result.columns) == ["area_code", "period_start", "period_end", "value", "numerator",
                                    "denominator", "lsoas_expected", "lsoas_reported", "complete",
                                    "lsoas_suppressed", "lsoas_no_population", "completeness"]


def test_sum_adds_numerators_and_leaves_missing_denominators_missing():
    data = observations([
        ("E01000001", APRIL, 7.0, 7, None),
        ("E01000002", APRIL, 5.0, 5, None),
        ("E01000003", APRIL, 2.0, 2, None),
    ])
    result = aggregate_to_localities(observations=data, membership=membership(),
                                     aggregation="sum", multiplier=1)
    first = row(result, "PN-1", APRIL)
    assert (first["value"], first["numerator"]) == (12, 12)
    assert math.isnan(first["denominator"])


def test_sum_uses_the_value_when_a_count_has_no_numerator_and_sums_denominators():
    data = observations([
        ("E01000001", APRIL, 7.0, None, 1000),
        ("E01000002", APRIL, 5.0, 5, 1500),
    ])
    result = aggregate_to_localities(observations=data, membership=membership(),
                                     aggregation="sum", multiplier=1)
    first = row(result, "PN-1", APRIL)
    assert (first["value"], first["denominator"]) == (12, 2500)


def test_missing_lsoa_makes_the_locality_incomplete_and_its_value_missing():
    data = observations([
        ("E01000001", APRIL, 7.0, 7, None),
        ("E01000002", APRIL, 5.0, 5, None),
        ("E01000001", MAY, 9.0, 9, None),  # E01000002 has no May row
    ])
    result = aggregate_to_localities(observations=data, membership=membership(),
                                     aggregation="sum", multiplier=1)
    may = row(result, "PN-1", MAY)
    assert (may["lsoas_expected"], may["lsoas_reported"], bool(may["complete"])) == (2, 1, False)
    assert math.isnan(may["value"]) and math.isnan(may["numerator"])
    assert row(result, "PN-1", APRIL)["value"] == 12


def test_locality_with_no_data_in_a_period_is_listed_as_incomplete():
    data = observations([("E01000001", APRIL, 7.0, 7, None), ("E01000002", APRIL, 5.0, 5, None)])
    result = aggregate_to_localities(observations=data, membership=membership(),
                                     aggregation="sum", multiplier=1)
    empty = row(result, "PN-2", APRIL)
    assert (empty["lsoas_reported"], bool(empty["complete"])) == (0, False)
    assert math.isnan(empty["value"])


def test_ratio_row_without_a_denominator_does_not_count_as_reported():
    data = observations([
        ("E01000001", APRIL, 10.0, 1, 10),
        ("E01000002", APRIL, 50.0, 10, None),
    ])
    result = aggregate_to_localities(observations=data, membership=membership(),
                                     aggregation="ratio", multiplier=1000)
    first = row(result, "PN-1", APRIL)
    assert (first["lsoas_reported"], bool(first["complete"])) == (1, False)
    assert math.isnan(first["value"])


def test_zero_total_denominator_gives_no_value():
    data = observations([("E01000003", APRIL, 0.0, 0, 0)])
    result = aggregate_to_localities(observations=data, membership=membership(),
                                     aggregation="ratio", multiplier=100)
    only = row(result, "PN-2", APRIL)
    assert bool(only["complete"]) is True
    assert math.isnan(only["value"])


def test_lsoas_outside_every_locality_are_ignored():
    data = observations([
        ("E01000003", APRIL, 2.0, 2, None),
        ("E01999999", APRIL, 500.0, 500, None),
    ])
    result = aggregate_to_localities(observations=data, membership=membership(),
                                     aggregation="sum", multiplier=1)
    assert row(result, "PN-2", APRIL)["value"] == 2


def test_inputs_are_not_changed():
    data = observations([("E01000001", APRIL, 10.0, 1, 10), ("E01000002", APRIL, 50.0, 10, 20)])
    members = membership()
    data_before, members_before = data.copy(), members.copy()
    aggregate_to_localities(observations=data, membership=members, aggregation="ratio",
                            multiplier=100)
    pd.testing.assert_frame_equal(data, data_before)
    pd.testing.assert_frame_equal(members, members_before)


def test_empty_observations_give_an_empty_table_with_the_columns():
    data = observations([]).reindex(columns=["area_code", "period_start", "period_end", "value",
                                             "numerator", "denominator"])
    result = aggregate_to_localities(observations=data, membership=membership(),
                                     aggregation="sum", multiplier=1)
    assert result.empty
    assert "complete" in result.columns


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"aggregation": "mean"}, r"aggregation must be one of sum, ratio \(got 'mean'\)"),
        ({"multiplier": 0}, r"multiplier must be greater than 0 \(got 0\)"),
        ({"membership": pd.DataFrame({"lsoa_code": ["x"]})},
         "membership is missing column\\(s\\): locality_code"),
        ({"observations": pd.DataFrame({"area_code": ["x"], "value": [1]})},
         "observations is missing column\\(s\\): period_start, period_end"),
        ({"observations": observations([("E01000001", APRIL, 1.0, 1, 1),
                                        ("E01000001", APRIL, 2.0, 2, 2)])},
         "observations has more than one row for E01000001 in the period 2024-04-01 to 2024-04-30"),
        ({"observations": observations([("E01000001", APRIL, "lots", 1, 1)])},
         "observations column value must be numeric"),
    ],
)
def test_bad_input_is_rejected(arguments, message):
    base = {"observations": observations([("E01000001", APRIL, 1.0, 1, 1)]),
            "membership": membership(), "aggregation": "sum", "multiplier": 1}
    with pytest.raises(MetricsInputError, match=message):
        aggregate_to_localities(**(base | arguments))


@pytest.mark.parametrize(
    ("unit", "multiplier"),
    [("count", 1), ("percent", 100), ("rate_per_1000", 1_000), ("rate_per_10000", 10_000),
     ("rate_per_100000", 100_000)],
)
def test_multiplier_for_unit(unit, multiplier):
    assert multiplier_for_unit(unit) == multiplier


def test_multiplier_for_an_unknown_unit():
    with pytest.raises(MetricsInputError, match=r"unit must be one of .* \(got 'per_capita'\)"):
        multiplier_for_unit("per_capita")


def totals_frame(rows) -> pd.DataFrame:
    """rows: (area, numerator, denominator, expected, reported, with_denominator, value_sum)."""
    columns = ["area_code", "numerator", "denominator", "lsoas_expected", "lsoas_reported",
               "with_denominator", "value_sum"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(period_start=APRIL[0], period_end=APRIL[1])


def test_values_from_totals_applies_the_same_rules_and_keeps_row_order():
    totals = totals_frame([
        ("PN-2", 11.0, 30.0, 2, 2, 2, 60.0),  # complete ratio: 11 / 30, not the mean of values
        ("PN-1", 4.0, 20.0, 3, 2, 2, 40.0),  # one LSOA missing
    ])
    result = values_from_totals(totals=totals, aggregation="ratio", multiplier=100)
    assert list(result["area_code"]) == ["PN-2", "PN-1"]
    assert result.loc[0, "value"] == pytest.approx(36.667, abs=1e-3)
    assert bool(result.loc[1, "complete"]) is False
    assert math.isnan(result.loc[1, "value"])


def test_values_from_totals_sum_needs_every_denominator():
    totals = totals_frame([
        ("PN-1", 12.0, 2500.0, 2, 2, 2, 12.0),
        ("PN-2", 9.0, 1000.0, 2, 2, 1, 9.0),  # one LSOA without a population
    ])
    result = values_from_totals(totals=totals, aggregation="sum", multiplier=1)
    assert (result.loc[0, "value"], result.loc[0, "denominator"]) == (12, 2500)
    assert result.loc[1, "value"] == 9
    assert math.isnan(result.loc[1, "denominator"])


def test_a_locality_survey_percentage_without_denominator_keeps_its_published_value():
    totals = totals_frame([("PN-1", 41.2, None, 1, 1, 0, 41.2)])
    result = values_from_totals(totals=totals, aggregation="ratio", multiplier=100)
    assert result.loc[0, "value"] == pytest.approx(41.2)
    assert bool(result.loc[0, "complete"]) is True


def test_values_from_totals_names_missing_columns():
    with pytest.raises(MetricsInputError, match="totals is missing column\\(s\\): with_denominator"):
        values_from_totals(totals=totals_frame([]).drop(columns="with_denominator"),
                           aggregation="sum", multiplier=1)
