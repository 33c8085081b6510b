"""Plain-English sentences."""

import pytest

from metrics.enums import Comparison, TrendDirection
from metrics.narrative import comparison_sentence, target_sentence, trend_sentence
from metrics.trend import direction_of_travel


def youth_asb(**overrides) -> str:
    arguments = {
        "indicator_name": "Youth ASB", "area_name": "New Wortley", "value": 32,
        "baseline_value": 100, "baseline_label": "2017/18", "target_value": 50,
        "target_label": "March 2020", "rag": "green", "unit": "count",
        "polarity": "lower_is_better",
    } | overrides
    return target_sentence(**arguments)


def test_count_target_is_a_percentage_fall():
    assert youth_asb() == ("Youth ASB in New Wortley is 68% below its 2017/18 baseline and on "
                           "track against the target of a 50% fall by March 2020.")


@pytest.mark.parametrize(
    ("rag", "words"),
    [("green", "on track"), ("amber", "at risk"), ("red", "off track"),
     ("not_assessed", "not assessed")],
)
def test_rag_words(rag, words):
    assert f" and {words} against the target" in youth_asb(rag=rag)


def test_count_above_baseline_with_a_rise_target():
    sentence = youth_asb(value=130, target_value=120, polarity="higher_is_better", rag="amber")
    assert sentence == ("Youth ASB in New Wortley is 30% above its 2017/18 baseline and at risk "
                        "against the target of a 20% rise by March 2020.")


def test_count_without_a_usable_baseline_uses_numbers():
    sentence = youth_asb(baseline_value=0, value=12, target_value=5)
    assert sentence == ("Youth ASB in New Wortley is 12 and on track against the target of 5 by "
                        "March 2020.")


def test_count_same_as_baseline():
    assert "is the same as its 2017/18 baseline" in youth_asb(value=100)


def test_percentage_difference_is_in_points():
    sentence = target_sentence(
        indicator_name="Feeling safe after dark", area_name="Lincoln Green", value=41.2,
        baseline_value=38.1, baseline_label="2016/17", target_value=45.0, target_label="Mar 2027",
        rag="amber", unit="percent", polarity="higher_is_better")
    assert sentence == ("Feeling safe after dark in Lincoln Green is 41.2%, 3.1 points above its "
                        "2016/17 baseline; at risk against the target of 45.0% by Mar 2027.")


def test_rate_below_baseline():
    sentence = target_sentence(
        indicator_name="Burglary", area_name="Holbeck", value=12.3, baseline_value=15.0,
        baseline_label="2019/20", target_value=10.0, target_label="Mar 2026", rag="red",
        unit="rate_per_1000", polarity="lower_is_better")
    assert sentence == ("Burglary in Holbeck is 12.3 per 1,000, 2.7 per 1,000 below its 2019/20 "
                        "baseline; off track against the target of 10.0 per 1,000 by Mar 2026.")


def test_no_target_and_no_data():
    assert youth_asb(target_value=None).endswith("baseline; no target has been set.")
    assert youth_asb(value=None) == "There is no data for Youth ASB in New Wortley for this period."


@pytest.mark.parametrize(
    ("comparison", "sentence"),
    [
        (Comparison.BETTER, "Youth ASB in New Wortley is better than Leeds."),
        (Comparison.SIMILAR, "Youth ASB in New Wortley is similar to Leeds."),
        (Comparison.WORSE, "Youth ASB in New Wortley is worse than Leeds."),
        (Comparison.HIGHER, "Youth ASB in New Wortley is higher than Leeds."),
        (Comparison.LOWER, "Youth ASB in New Wortley is lower than Leeds."),
        (Comparison.NOT_COMPARED, "Youth ASB in New Wortley is not compared with Leeds."),
    ],
)
def test_comparison_sentence(comparison, sentence):
    assert comparison_sentence(indicator_name="Youth ASB", area_name="New Wortley",
                               comparison=comparison, benchmark_name="Leeds") == sentence


@pytest.mark.parametrize(
    ("trend", "frequency", "sentence"),
    [
        ("decreasing_better", "annual",
         "Youth ASB in New Wortley is decreasing and getting better over the last 5 years."),
        (TrendDirection.INCREASING_WORSE, "quarterly",
         "Youth ASB in New Wortley is increasing and getting worse over the last 5 quarters."),
        (TrendDirection.NO_SIGNIFICANT_CHANGE, None,
         "Youth ASB in New Wortley shows no significant change over the last 5 data points."),
        (TrendDirection.CANNOT_BE_CALCULATED, None,
         "The trend in Youth ASB in New Wortley cannot be calculated: it needs 5 data points, "
         "each with a confidence interval."),
    ],
)
def test_trend_sentence(trend, frequency, sentence):
    assert trend_sentence(indicator_name="Youth ASB", area_name="New Wortley", trend=trend,
                          frequency=frequency) == sentence


def test_trend_sentence_accepts_a_trend_result():
    result = direction_of_travel(values=[20, 18, 15, 13, 10], standard_errors=[1] * 5,
                                 polarity="lower_is_better")
    assert trend_sentence(indicator_name="Youth ASB", area_name="New Wortley", trend=result,
                          frequency="annual").endswith("decreasing and getting better over the "
                                                       "last 5 years.")


def test_a_difference_too_small_to_show_reads_as_the_same():
    # 41.2% against a baseline of 41.2% plus float dust must not read "1.86e-05 points above".
    sentence = target_sentence(
        indicator_name="Feeling safe after dark", area_name="New Wortley", value=41.2000186,
        baseline_value=41.2, baseline_label="2016/17", target_value=45.0, target_label="Mar 2027",
        rag="red", unit="percent", polarity="higher_is_better")
    assert sentence.startswith("Feeling safe after dark in New Wortley is 41.2%, the same as its 2016/17 baseline;")
