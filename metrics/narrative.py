"""Plain-English sentences built from the numbers, for pages and printed snapshots.

Counts are described by their percentage change from the baseline and their target as a percentage
fall or rise ("68% below its 2017/18 baseline ... the target of a 50% fall"); percentages and rates
by their difference from the baseline (points for percentages) and their target as a value. RAG is
worded "on track" (green), "at risk" (amber), "off track" (red), "not assessed".

Example:
    >>> target_sentence(indicator_name="Youth ASB", area_name="New Wortley", value=32,
    ...     baseline_value=100, baseline_label="2017/18", target_value=50,
    ...     target_label="March 2020", rag="green", unit="count", polarity="lower_is_better")
    'Youth ASB in New Wortley is 68% below its 2017/18 baseline and on track against the target \
of a 50% fall by March 2020.'
"""

from metrics.enums import Comparison, Frequency, Polarity, Rag, TrendDirection, Unit, coerce_enum
from metrics.formatting import format_difference, format_value, is_missing
from metrics.trend import TREND_POINTS, TrendResult

PERCENT = 100.0
SMALLEST_WHOLE_PERCENT = 0.5

_COMPARISON_WORDS = {
    Comparison.BETTER: "is better than",
    Comparison.SIMILAR: "is similar to",
    Comparison.WORSE: "is worse than",
    Comparison.HIGHER: "is higher than",
    Comparison.LOWER: "is lower than",
    Comparison.NOT_COMPARED: "is not compared with",
}


def _percent_change(value: float, baseline: float) -> float:
    return (value - baseline) / abs(baseline) * PERCENT


def _count_sentence(*, subject: str, value: float, baseline: float | None, baseline_label: str,
                    target: float | None, target_label: str, rag: Rag) -> str:
    usable_baseline = baseline is not None and not is_missing(baseline) and baseline != 0
    if usable_baseline:
        change = _percent_change(value, baseline)
        if abs(change) < SMALLEST_WHOLE_PERCENT:
            where = f"the same as its {baseline_label} baseline"
        else:
            side = "above" if change > 0 else "below"
            where = f"{abs(change):.0f}% {side} its {baseline_label} baseline"
    else:
        where = format_value(value, unit=Unit.COUNT)
    if is_missing(target):
        return f"{subject} is {where}; no target has been set."
    if usable_baseline:
        target_change = _percent_change(target, baseline)
        goal = ("no change" if abs(target_change) < SMALLEST_WHOLE_PERCENT else
                f"a {abs(target_change):.0f}% {'rise' if target_change > 0 else 'fall'}")
    else:
        goal = format_value(target, unit=Unit.COUNT)
    return f"{subject} is {where} and {rag.phrase} against the target of {goal} by {target_label}."


def _level_sentence(*, subject: str, value: float, baseline: float | None, baseline_label: str,
                    target: float | None, target_label: str, rag: Rag, unit: Unit) -> str:
    opening = f"{subject} is {format_value(value, unit=unit)}"
    if baseline is not None and not is_missing(baseline):
        difference = value - baseline
        if format_value(value, unit=unit) == format_value(baseline, unit=unit):  # equal as shown: no float dust
            opening += f", the same as its {baseline_label} baseline"
        else:
            side = "above" if difference > 0 else "below"
            gap = format_difference(difference, unit=unit)
            opening += f", {gap} {side} its {baseline_label} baseline"
    if is_missing(target):
        return f"{opening}; no target has been set."
    goal = format_value(target, unit=unit)
    return f"{opening}; {rag.phrase} against the target of {goal} by {target_label}."


def target_sentence(
    *,
    indicator_name: str,
    area_name: str,
    value: float | None,
    baseline_value: float | None,
    baseline_label: str,
    target_value: float | None,
    target_label: str,
    rag: Rag | str,
    unit: Unit | str,
    polarity: Polarity | str,
) -> str:
    """One sentence on where an indicator stands against its baseline and target.

    Example (a percentage, so the difference is in points):
        >>> target_sentence(indicator_name="Feeling safe after dark", area_name="Lincoln Green",
        ...     value=41.2, baseline_value=38.1, baseline_label="2016/17", target_value=45.0,
        ...     target_label="Mar 2027", rag="amber", unit="percent", polarity="higher_is_better")
        'Feeling safe after dark in Lincoln Green is 41.2%, 3.1 points above its 2016/17 \
baseline; at risk against the target of 45.0% by Mar 2027.'
    """
    rag = coerce_enum(Rag, rag, field="rag")
    unit = coerce_enum(Unit, unit, field="unit")
    coerce_enum(Polarity, polarity, field="polarity")
    subject = f"{indicator_name} in {area_name}"
    if is_missing(value):
        return f"There is no data for {indicator_name} in {area_name} for this period."
    details = dict(subject=subject, value=float(value), baseline=baseline_value,
                   baseline_label=baseline_label, target=target_value,
                   target_label=target_label, rag=rag)
    if unit is Unit.COUNT:
        return _count_sentence(**details)
    return _level_sentence(**details, unit=unit)


def comparison_sentence(
    *, indicator_name: str, area_name: str, comparison: Comparison | str, benchmark_name: str
) -> str:
    """One sentence comparing an area with a benchmark area.

    Example:
        >>> comparison_sentence(indicator_name="Youth ASB", area_name="New Wortley",
        ...                     comparison="worse", benchmark_name="Leeds")
        'Youth ASB in New Wortley is worse than Leeds.'
    """
    comparison = coerce_enum(Comparison, comparison, field="comparison")
    return f"{indicator_name} in {area_name} {_COMPARISON_WORDS[comparison]} {benchmark_name}."


def trend_sentence(
    *,
    indicator_name: str,
    area_name: str,
    trend: TrendResult | TrendDirection | str,
    frequency: Frequency | str | None = None,
) -> str:
    """One sentence on the direction of travel over the last five periods.

    Example:
        >>> trend_sentence(indicator_name="Youth ASB", area_name="New Wortley",
        ...                trend="decreasing_better", frequency="annual")
        'Youth ASB in New Wortley is decreasing and getting better over the last 5 years.'
    """
    direction = trend.direction if isinstance(trend, TrendResult) else coerce_enum(
        TrendDirection, trend, field="trend")
    noun = "data points" if frequency is None else (
        coerce_enum(Frequency, frequency, field="frequency").noun + "s")
    subject = f"{indicator_name} in {area_name}"
    window = f"over the last {TREND_POINTS} {noun}"
    if direction is TrendDirection.CANNOT_BE_CALCULATED:
        return (f"The trend in {subject} cannot be calculated: it needs {TREND_POINTS} "
                "data points, each with a confidence interval.")
    if direction is TrendDirection.NO_SIGNIFICANT_CHANGE:
        return f"{subject} shows no significant change {window}."
    return f"{subject} is {direction.label.lower()} {window}."
