"""Direction of travel for annual and quarterly series (the Fingertips recent-trend method).

Method: take the last ``TREND_POINTS`` (5) values, equally spaced in time (x = 0, 1, ... 4), and
fit a straight line by weighted least squares with weights w = 1 / SE^2. With
Sxx = sum w (x - x_w)^2 (x_w the weighted mean of x), the slope b has variance 1 / Sxx, and
X^2 = b^2 Sxx follows a chi-squared distribution with one degree of freedom when there is no trend.
The trend is significant when X^2 exceeds the 99.8% point of that distribution (about 9.55); the
strict level keeps false alarms rare across many indicators. The result is worded by polarity.
Fewer than five points, or a missing value or standard error among the last five, and the trend
"cannot be calculated". Where only an interval is published, :func:`se_from_interval` gives
SE = (upper - lower) / (2 x 1.96).

Monthly series use SPC instead; :func:`xmr` and :func:`target_assurance` live in
:mod:`metrics.spc` and are re-exported here.

Example:
    >>> direction_of_travel(values=[20, 18, 15, 13, 10], standard_errors=[1, 1, 1, 1, 1],
    ...                     polarity="lower_is_better").direction.label
    'Decreasing and getting better'
"""

from collections.abc import Sequence
from dataclasses import dataclass

from scipy import special

from metrics.enums import Polarity, TrendDirection, coerce_enum
from metrics.errors import MetricsInputError
from metrics.formatting import is_missing
from metrics.spc import SpcPoint, SpcResult, SpcSignal, target_assurance, xmr
from metrics.stats import se_from_interval

__all__ = [
    "SpcPoint",
    "SpcResult",
    "SpcSignal",
    "TREND_METHOD",
    "TrendResult",
    "direction_of_travel",
    "se_from_interval",
    "target_assurance",
    "xmr",
]

TREND_POINTS = 5
TREND_SIGNIFICANCE = 0.998
TREND_METHOD = (
    "Weighted least squares on the last 5 points (weights 1/SE squared); the slope is significant "
    "when its chi-squared statistic exceeds the 99.8% level"
)

_RISING = {
    Polarity.HIGHER_IS_BETTER: TrendDirection.INCREASING_BETTER,
    Polarity.LOWER_IS_BETTER: TrendDirection.INCREASING_WORSE,
    Polarity.NO_JUDGEMENT: TrendDirection.INCREASING,
}
_FALLING = {
    Polarity.HIGHER_IS_BETTER: TrendDirection.DECREASING_WORSE,
    Polarity.LOWER_IS_BETTER: TrendDirection.DECREASING_BETTER,
    Polarity.NO_JUDGEMENT: TrendDirection.DECREASING,
}


@dataclass(frozen=True)
class TrendResult:
    """Direction of travel, the fitted slope (units per period) and its chi-squared statistic."""

    direction: TrendDirection
    reason: str
    slope: float | None = None
    chi_squared: float | None = None
    points_used: int = 0

    @property
    def label(self) -> str:
        return self.direction.label


def _weighted_slope(values: Sequence[float], errors: Sequence[float]) -> tuple[float, float]:
    """Slope of the weighted least-squares line through (0, v0), (1, v1)... and its chi-squared."""
    weights = [1 / error**2 for error in errors]
    total = sum(weights)
    xs = range(len(values))
    x_mean = sum(w * x for w, x in zip(weights, xs)) / total
    y_mean = sum(w * y for w, y in zip(weights, values)) / total
    sxx = sum(w * (x - x_mean) ** 2 for w, x in zip(weights, xs))
    sxy = sum(w * (x - x_mean) * (y - y_mean) for w, x, y in zip(weights, xs, values))
    slope = sxy / sxx
    return slope, slope**2 * sxx


def _cannot(reason: str, points: int) -> TrendResult:
    return TrendResult(TrendDirection.CANNOT_BE_CALCULATED, reason, points_used=points)


def direction_of_travel(
    *,
    values: Sequence[float | None],
    standard_errors: Sequence[float | None],
    polarity: Polarity | str,
) -> TrendResult:
    """Recent trend of a series (oldest first) by the Fingertips method described above.

    Example: with standard errors of 1.0, Sxx = 4 + 1 + 0 + 1 + 4 = 10, so a steady rise of 1.0 a
    period gives X^2 = 1.0^2 x 10 = 10.0 > 9.55 (significant) and 0.9 gives 8.1 (not significant).
        >>> direction_of_travel(values=[10, 11, 12, 13, 14], standard_errors=[1] * 5,
        ...                     polarity="higher_is_better").label
        'Increasing and getting better'
        >>> direction_of_travel(values=[10, 10.9, 11.8, 12.7, 13.6], standard_errors=[1] * 5,
        ...                     polarity="higher_is_better").label
        'No significant change'
    """
    polarity = coerce_enum(Polarity, polarity, field="polarity")
    if len(values) != len(standard_errors):
        raise MetricsInputError(
            f"values ({len(values)}) and standard_errors ({len(standard_errors)}) "
            "must be the same length"
        )
    if len(values) < TREND_POINTS:
        return _cannot(f"Needs at least {TREND_POINTS} points (has {len(values)})", len(values))
    recent = list(values[-TREND_POINTS:])
    errors = list(standard_errors[-TREND_POINTS:])
    if any(is_missing(v) for v in recent) or any(is_missing(e) or e <= 0 for e in errors):
        return _cannot(
            "Needs a value and a standard error above 0 for each of the last "
            f"{TREND_POINTS} points",
            TREND_POINTS,
        )
    slope, chi_squared = _weighted_slope([float(v) for v in recent], [float(e) for e in errors])
    critical = float(2 * special.gammaincinv(0.5, TREND_SIGNIFICANCE))  # chi2(q; 1 df), without importing scipy.stats
    if chi_squared <= critical:
        direction = TrendDirection.NO_SIGNIFICANT_CHANGE
    else:
        direction = _RISING[polarity] if slope > 0 else _FALLING[polarity]
    reason = f"{TREND_METHOD}: chi-squared {chi_squared:.2f} against {critical:.2f}"
    return TrendResult(direction, reason, slope, chi_squared, TREND_POINTS)
