"""Confidence intervals for proportions, counts and rates, as used in public-health profiles.

Methods (the ones Fingertips and the APHO technical briefing 3 recommend):

* Proportions: the Wilson score interval (Wilson 1927; Newcombe 1998, method 3). It stays inside
  [0, 1] and behaves well for small counts and for proportions near 0 or 1.
* Counts (Poisson): Byar's approximation for counts of 10 or more; the exact interval from the
  chi-squared distribution (Garwood 1936) below 10, where the approximation is poor. For a count O
  and z the normal quantile, Byar gives
  lower = O (1 - 1/(9O) - z/(3 sqrt O))^3 and upper = (O+1) (1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3;
  the exact interval is chi2(alpha/2; 2O)/2 to chi2(1 - alpha/2; 2O+2)/2, with lower bound 0 when
  O = 0.
* Rates: the count's interval divided by the denominator and multiplied by ``per`` (the
  denominator, a population, is treated as fixed).

Every function rejects input it cannot judge with :class:`MetricsInputError`.

Example:
    >>> [round(bound, 4) for bound in wilson_ci(81, 263)]
    [0.2553, 0.3662]
    >>> [round(bound, 3) for bound in byar_ci(20)]
    [12.211, 30.89]
"""

import functools
import math
import numbers

import numpy as np
from scipy import special

from metrics.errors import MetricsInputError

DEFAULT_CONFIDENCE = 0.95
BYAR_MINIMUM_COUNT = 10
PERCENT = 100.0


def _check_confidence(confidence: float) -> None:
    if isinstance(confidence, bool) or not isinstance(confidence, numbers.Real):
        raise MetricsInputError(f"confidence must be a number between 0 and 1 (got {confidence!r})")
    if math.isnan(confidence) or not 0 < float(confidence) < 1:
        raise MetricsInputError(
            f"confidence must be between 0 and 1, exclusive (got {confidence!r})"
        )


def _check_number(value: float, *, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise MetricsInputError(f"{name} must be a number (got {value!r})")
    if math.isnan(value) or math.isinf(value):
        raise MetricsInputError(f"{name} must be a finite number (got {value!r})")
    return float(value)


def _check_count(value: float, *, name: str) -> int:
    number = _check_number(value, name=name)
    if number < 0:
        raise MetricsInputError(f"{name} must not be negative (got {value!r})")
    if not number.is_integer():
        raise MetricsInputError(f"{name} must be a whole number (got {value!r})")
    return int(number)


def normal_quantile(confidence: float) -> float:
    """Two-sided standard normal quantile z for ``confidence`` (1.959964 for 0.95).

    Memoised: pages ask for the same few confidence levels thousands of times.

    Example:
        >>> round(normal_quantile(0.95), 6)
        1.959964
    """
    _check_confidence(confidence)
    return _two_sided_z(float(confidence))


@functools.lru_cache(maxsize=32)
def _two_sided_z(confidence: float) -> float:
    return float(special.ndtri(1 - (1 - confidence) / 2))  # the normal quantile function itself


def wilson_ci(
    successes: int, trials: int, *, confidence: float = DEFAULT_CONFIDENCE
) -> tuple[float, float]:
    """Wilson score interval for ``successes`` out of ``trials``, as proportions in [0, 1].

    Example (Newcombe 1998, table I): 15 of 148 gives 0.0624 to 0.1605.
        >>> [round(bound, 4) for bound in wilson_ci(15, 148)]
        [0.0624, 0.1605]
        >>> wilson_ci(5, 0)
        Traceback (most recent call last):
        ...
        metrics.errors.MetricsInputError: trials must be greater than 0 (got 0)
    """
    k = _check_count(successes, name="successes")
    n = _check_count(trials, name="trials")
    if n == 0:
        raise MetricsInputError(f"trials must be greater than 0 (got {trials!r})")
    if k > n:
        raise MetricsInputError(
            f"successes ({successes!r}) must not be greater than trials ({trials!r})"
        )
    z = normal_quantile(confidence)
    p = k / n
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half_width = z / denominator * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return max(0.0, centre - half_width), min(1.0, centre + half_width)


def _exact_poisson(count: int, alpha: float) -> tuple[float, float]:
    # chi2(q; 2k) / 2 is the inverse regularised gamma function of k at q: scipy.special has it without
    # the seconds scipy.stats takes to import on a page's first visit.
    lower = 0.0 if count == 0 else special.gammaincinv(count, alpha / 2)
    upper = special.gammaincinv(count + 1, 1 - alpha / 2)
    return float(lower), float(upper)


def _byar(count: int, z: float) -> tuple[float, float]:
    lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    above = count + 1
    upper = above * (1 - 1 / (9 * above) + z / (3 * math.sqrt(above))) ** 3
    return lower, upper


def byar_ci(count: int, *, confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float]:
    """Interval for a Poisson ``count``, in count units: Byar from 10 up, exact below 10.

    Example: a count of 5 has the exact limits 1.6235 to 11.6683 found in standard tables.
        >>> [round(bound, 4) for bound in byar_ci(5)]
        [1.6235, 11.6683]
        >>> byar_ci(-1)
        Traceback (most recent call last):
        ...
        metrics.errors.MetricsInputError: count must not be negative (got -1)
    """
    observed = _check_count(count, name="count")
    z = normal_quantile(confidence)
    if observed < BYAR_MINIMUM_COUNT:
        return _exact_poisson(observed, 1 - confidence)
    return _byar(observed, z)


def rate_ci(
    count: int, denominator: float, *, per: float, confidence: float = DEFAULT_CONFIDENCE
) -> tuple[float, float]:
    """Interval for the rate ``count / denominator * per``: the count's interval, scaled.

    Example: 20 incidents in a population of 4,000 is 5.0 per 1,000, interval 3.05 to 7.72.
        >>> [round(bound, 2) for bound in rate_ci(20, 4000, per=1000)]
        [3.05, 7.72]
    """
    scale = _check_number(per, name="per")
    population = _check_number(denominator, name="denominator")
    if population <= 0:
        raise MetricsInputError(f"denominator must be greater than 0 (got {denominator!r})")
    if scale <= 0:
        raise MetricsInputError(f"per must be greater than 0 (got {per!r})")
    lower, upper = byar_ci(count, confidence=confidence)
    return lower / population * scale, upper / population * scale


def proportion_ci(
    successes: int,
    trials: int,
    *,
    per: float = PERCENT,
    confidence: float = DEFAULT_CONFIDENCE,
) -> tuple[float, float]:
    """Wilson interval scaled by ``per`` (a percentage by default).

    Example: 81 of 263 is 30.8%, interval 25.5% to 36.6%.
        >>> [round(bound, 1) for bound in proportion_ci(81, 263)]
        [25.5, 36.6]
    """
    scale = _positive_scale(per)
    lower, upper = wilson_ci(successes, trials, confidence=confidence)
    return lower * scale, upper * scale


def _positive_scale(per) -> float:
    """``per`` as a float; raises ``MetricsInputError`` unless it is a number greater than 0."""
    scale = _check_number(per, name="per")
    if scale <= 0:
        raise MetricsInputError(f"per must be greater than 0 (got {per!r})")
    return scale


def se_from_interval(
    *, lower: float, upper: float, confidence: float = DEFAULT_CONFIDENCE
) -> float:
    """Approximate standard error from a symmetric-ish interval: (upper - lower) / (2 z).

    Used to weight trend regressions when only an interval was published.

    Example: a 95% interval 10.0 to 13.92 implies a standard error of about 1.0.
        >>> round(se_from_interval(lower=10.0, upper=13.92), 3)
        1.0
    """
    low = _check_number(lower, name="lower")
    high = _check_number(upper, name="upper")
    if high < low:
        raise MetricsInputError(f"upper ({upper!r}) must not be below lower ({lower!r})")
    return (high - low) / (2 * normal_quantile(confidence))


# Array versions: the same intervals for many rows at once, for series of hundreds of periods and areas.
# Each gives NaN where its scalar twin has nothing to judge (a missing count, a non-positive
# denominator) and raises ``MetricsInputError`` where the scalar one would for bad data.


def _as_counts(values, *, name: str) -> np.ndarray:
    counts = np.asarray(values, dtype=float)
    if (counts < 0).any():
        raise MetricsInputError(f"{name} must not be negative (got {counts[counts < 0][0]!r})")
    known = counts[~np.isnan(counts)]
    if not np.array_equal(known, np.round(known)):
        raise MetricsInputError(f"{name} must be whole numbers")
    return counts


def wilson_ci_array(successes, trials, *, confidence: float = DEFAULT_CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """``wilson_ci`` over arrays: two float arrays of proportions in [0, 1], NaN where a count is
    missing or ``trials`` is 0. Raises ``MetricsInputError`` for a negative or fractional count, or
    ``successes`` above a positive ``trials``.

    Example:
        >>> [round(float(b[0]), 4) for b in wilson_ci_array([15], [148])]
        [0.0624, 0.1605]
    """
    k, n = _as_counts(successes, name="successes"), _as_counts(trials, name="trials")
    if ((k > n) & (n > 0)).any():
        raise MetricsInputError("successes must not be greater than trials")
    z = normal_quantile(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = np.where(n > 0, n, np.nan)
        p = k / n
        denominator = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denominator
        half_width = z / denominator * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return np.maximum(0.0, centre - half_width), np.minimum(1.0, centre + half_width)


def byar_ci_array(counts, *, confidence: float = DEFAULT_CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """``byar_ci`` over an array of counts (Byar from 10 up, exact below 10): two float arrays in
    count units, NaN where a count is missing. Raises ``MetricsInputError`` for a negative or
    fractional count.

    Example:
        >>> [round(float(b[0]), 4) for b in byar_ci_array([5])]
        [1.6235, 11.6683]
    """
    observed = _as_counts(counts, name="count")
    z = normal_quantile(confidence)
    alpha = 1 - confidence
    lower, upper = np.full(observed.shape, np.nan), np.full(observed.shape, np.nan)
    exact = observed < BYAR_MINIMUM_COUNT  # NaN compares False both ways: left as NaN
    byar = observed >= BYAR_MINIMUM_COUNT
    if exact.any():
        small = observed[exact]
        with np.errstate(invalid="ignore"):
            lower[exact] = np.where(small == 0, 0.0, special.gammaincinv(small, alpha / 2))
        upper[exact] = special.gammaincinv(small + 1, 1 - alpha / 2)
    if byar.any():
        large = observed[byar]
        above = large + 1
        lower[byar] = large * (1 - 1 / (9 * large) - z / (3 * np.sqrt(large))) ** 3
        upper[byar] = above * (1 - 1 / (9 * above) + z / (3 * np.sqrt(above))) ** 3
    return lower, upper


def rate_ci_array(counts, denominators, *, per: float,
                  confidence: float = DEFAULT_CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """``rate_ci`` over arrays: the counts' intervals divided by the denominators, times ``per``; NaN
    where a count or denominator is missing or the denominator is not above 0.

    Example:
        >>> [round(float(b[0]), 2) for b in rate_ci_array([20], [4000], per=1000)]
        [3.05, 7.72]
    """
    scale = _positive_scale(per)
    population = np.asarray(denominators, dtype=float)
    population = np.where(population > 0, population, np.nan)
    lower, upper = byar_ci_array(counts, confidence=confidence)
    return lower / population * scale, upper / population * scale


def proportion_ci_array(successes, trials, *, per: float = PERCENT,
                        confidence: float = DEFAULT_CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """``proportion_ci`` over arrays: Wilson intervals scaled by ``per`` (percentages by default).

    Example:
        >>> [round(float(b[0]), 1) for b in proportion_ci_array([81], [263])]
        [25.5, 36.6]
    """
    scale = _positive_scale(per)
    lower, upper = wilson_ci_array(successes, trials, confidence=confidence)
    return lower * scale, upper * scale
