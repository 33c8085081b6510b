"""Compare an area with a benchmark (its ward, the city, England), the Fingertips way.

The area's confidence interval is set against the benchmark's point value:

* the benchmark inside the interval (bounds included): similar;
* the whole interval above the benchmark: better when higher is better, worse when lower is better,
  "higher" when the indicator makes no judgement; below it: the mirror image;
* no interval, no value, no benchmark, or the area compared with itself: not compared.

The function is pure: it reads plain numbers and returns an enum member.

Example:
    >>> compare_with_benchmark(value=12.0, lower=10.1, upper=14.2, benchmark=9.5,
    ...                        polarity="lower_is_better")
    <Comparison.WORSE: 'worse'>
"""

from metrics.enums import Comparison, Polarity, coerce_enum
from metrics.errors import MetricsInputError
from metrics.formatting import is_missing

_ABOVE = {
    Polarity.HIGHER_IS_BETTER: Comparison.BETTER,
    Polarity.LOWER_IS_BETTER: Comparison.WORSE,
    Polarity.NO_JUDGEMENT: Comparison.HIGHER,
}
_BELOW = {
    Polarity.HIGHER_IS_BETTER: Comparison.WORSE,
    Polarity.LOWER_IS_BETTER: Comparison.BETTER,
    Polarity.NO_JUDGEMENT: Comparison.LOWER,
}


def compare_with_benchmark(
    *,
    value: float | None,
    lower: float | None,
    upper: float | None,
    benchmark: float | None,
    polarity: Polarity | str,
    same_area: bool = False,
) -> Comparison:
    """Better / similar / worse (or higher / lower) for an area against ``benchmark``.

    Example: a satisfaction of 61% (56.0 to 65.8) against a city value of 65.8 is similar,
    because the benchmark sits on the upper bound; against 66.0 it is worse.
        >>> compare_with_benchmark(value=61.0, lower=56.0, upper=65.8, benchmark=65.8,
        ...                        polarity="higher_is_better")
        <Comparison.SIMILAR: 'similar'>
        >>> compare_with_benchmark(value=61.0, lower=56.0, upper=65.8, benchmark=66.0,
        ...                        polarity="higher_is_better")
        <Comparison.WORSE: 'worse'>
    """
    polarity = coerce_enum(Polarity, polarity, field="polarity")
    if same_area or any(is_missing(number) for number in (value, lower, upper, benchmark)):
        return Comparison.NOT_COMPARED
    if upper < lower:
        raise MetricsInputError(f"upper ({upper!r}) must not be below lower ({lower!r})")
    if lower > benchmark:
        return _ABOVE[polarity]
    if upper < benchmark:
        return _BELOW[polarity]
    return Comparison.SIMILAR
