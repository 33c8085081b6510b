"""Intervals of published estimates: values held as their publisher gave them, not rebuilt from counts.

An indicator's ``estimate_type`` says how its values were made:

* ``counted`` (the default): a count or a ratio of counts; intervals come from the numerator and
  denominator (Wilson, Byar: ``metrics.stats``);
* ``age_standardised_rate`` and ``standardised_ratio`` (e.g. Fingertips' directly standardised rates
  and standardised admission ratios): only the published 95% limits can be used;
* ``weighted_survey_percent``: a survey percentage after weighting; its published limits when given,
  else the Wilson interval of the weighted percentage on the unweighted base (the respondents),
  which ignores the design effect of the weighting and so is, if anything, too narrow.

Comparisons (better / similar / worse) and RAG in interval mode use these intervals. Without one an
estimate is "not compared", never judged on its point value.

Example:
    >>> [round(b, 1) for b in estimate_interval(estimate_type="weighted_survey_percent", value=58.3,
    ...                                         lower=None, upper=None, unweighted_base=44)]
    [43.6, 71.6]
"""

import math

from metrics.enums import EstimateType, coerce_enum
from metrics.errors import MetricsInputError
from metrics.formatting import is_missing
from metrics.stats import DEFAULT_CONFIDENCE, PERCENT, normal_quantile


def wilson_percent_interval(*, percent: float, base: float,
                            confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float]:
    """Wilson score interval, in percent, for a percentage observed on ``base`` respondents.

    Unlike ``metrics.stats.proportion_ci`` the percentage need not be a whole number of respondents
    (a weighted survey result), so the interval is computed from the proportion itself.

    Example: 50% of 100 gives 40.4% to 59.6%.
        >>> [round(b, 1) for b in wilson_percent_interval(percent=50, base=100)]
        [40.4, 59.6]
    """
    if is_missing(percent) or is_missing(base):
        raise MetricsInputError(f"percent and base must be numbers (got {percent!r} and {base!r})")
    if not 0 <= percent <= PERCENT:
        raise MetricsInputError(f"percent must be between 0 and 100 (got {percent!r})")
    if base <= 0:
        raise MetricsInputError(f"base must be greater than 0 (got {base!r})")
    z = normal_quantile(confidence)
    p, n = percent / PERCENT, float(base)
    scale = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / scale
    half = z / scale * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return max(0.0, centre - half) * PERCENT, min(1.0, centre + half) * PERCENT


def estimate_interval(*, estimate_type: str | EstimateType, value: float | None, lower: float | None,
                      upper: float | None, unweighted_base: float | None) -> tuple[float, float] | None:
    """The 95% interval a published estimate is judged with, or None when it has none.

    Example: an age-standardised rate is judged only with its published limits.
        >>> estimate_interval(estimate_type="age_standardised_rate", value=512.3, lower=470.1,
        ...                   upper=557.0, unweighted_base=None)
        (470.1, 557.0)
        >>> estimate_interval(estimate_type="standardised_ratio", value=104.0, lower=None, upper=None,
        ...                   unweighted_base=None) is None
        True
    """
    kind = coerce_enum(EstimateType, estimate_type, field="estimate_type")
    if is_missing(value):
        return None
    if not is_missing(lower) and not is_missing(upper):
        if upper < lower:
            raise MetricsInputError(f"upper limit ({upper!r}) must not be below lower limit ({lower!r})")
        return float(lower), float(upper)
    if kind is EstimateType.WEIGHTED_SURVEY_PERCENT and not is_missing(unweighted_base) and unweighted_base > 0:
        return wilson_percent_interval(percent=float(value), base=float(unweighted_base))
    return None
