"""Build locality values from LSOA observations: sum the parts, then recompute; never average.

A locality (priority neighbourhood, ward, committee area) is a set of LSOAs given by ``membership``.
For every locality and every period present in ``observations``:

* ``sum`` indicators (counts): numerator = the sum of the LSOA numerators (an LSOA row with no
  numerator contributes its value); value = numerator; denominator = the sum of the LSOA
  denominators when every LSOA has one, else NaN. ``multiplier`` is not used.
* ``ratio`` indicators (percentages, rates): value = sum(numerators) / sum(denominators) x
  ``multiplier`` (100 for a percentage, 1,000 for a rate per 1,000...). An LSOA counts as reported
  only when it has both a numerator and a denominator. A zero total denominator gives NaN.

Completeness: ``lsoas_expected`` is the number of LSOAs in the locality and ``lsoas_reported`` the
number with usable data for the period. When any is missing the locality is incomplete
(``complete`` is False) and its value, numerator and denominator are NaN: a partial sum would
understate a count and could not be told apart from a real fall. Observations for LSOAs outside
every locality are ignored. The inputs are not changed.

Example:
    >>> import pandas as pd
    >>> membership = pd.DataFrame({"locality_code": ["PN-1", "PN-1"], "lsoa_code": ["A", "B"]})
    >>> observations = pd.DataFrame({
    ...     "area_code": ["A", "B"], "period_start": ["2024-04-01"] * 2,
    ...     "period_end": ["2025-03-31"] * 2, "value": [10.0, 50.0],
    ...     "numerator": [1, 10], "denominator": [10, 20]})
    >>> result = aggregate_to_localities(observations=observations, membership=membership,
    ...                                  aggregation="ratio", multiplier=100)
    >>> float(result.loc[0, "value"]), bool(result.loc[0, "complete"])
    (36.666666666666664, True)
"""

import pandas as pd

from metrics.enums import Aggregation, Unit, coerce_enum
from metrics.errors import MetricsInputError

PERIOD_KEYS = ["period_start", "period_end"]
REQUIRED_OBSERVATION_COLUMNS = ["area_code", *PERIOD_KEYS, "value"]
REQUIRED_MEMBERSHIP_COLUMNS = ["locality_code", "lsoa_code"]
OUTPUT_COLUMNS = [
    "area_code", "period_start", "period_end", "value", "numerator", "denominator",
    "lsoas_expected", "lsoas_reported", "complete",
]
_MULTIPLIERS = {
    Unit.COUNT: 1.0,
    Unit.PERCENT: 100.0,
    Unit.RATE_PER_1000: 1_000.0,
    Unit.RATE_PER_10000: 10_000.0,
    Unit.RATE_PER_100000: 100_000.0,
}


def multiplier_for_unit(unit: str | Unit) -> float:
    """The factor that turns numerator / denominator into a value in ``unit``.

    Example:
        >>> multiplier_for_unit("percent"), multiplier_for_unit("rate_per_1000")
        (100.0, 1000.0)
    """
    return _MULTIPLIERS[coerce_enum(Unit, unit, field="unit")]


def _require_columns(frame: pd.DataFrame, columns: list[str], *, name: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise MetricsInputError(f"{name} is missing column(s): {', '.join(missing)}")


def _numeric(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(float("nan"), index=frame.index, dtype="float64")
    try:
        return pd.to_numeric(frame[column]).astype("float64")
    except (TypeError, ValueError) as error:
        raise MetricsInputError(f"observations column {column} must be numeric: {error}") from None


def _prepare_observations(observations: pd.DataFrame) -> pd.DataFrame:
    _require_columns(observations, REQUIRED_OBSERVATION_COLUMNS, name="observations")
    keys = ["area_code", *PERIOD_KEYS]
    duplicated = observations.duplicated(subset=keys)
    if duplicated.any():
        first = observations.loc[duplicated, keys].iloc[0]
        raise MetricsInputError(
            f"observations has more than one row for {first['area_code']} in the period "
            f"{first['period_start']} to {first['period_end']}"
        )
    prepared = observations[keys].rename(columns={"area_code": "lsoa_code"})
    prepared["lsoa_code"] = prepared["lsoa_code"].astype(str)
    for column in ("value", "numerator", "denominator"):
        prepared[column] = _numeric(observations, column)
    return prepared


def _parts(frame: pd.DataFrame, aggregation: Aggregation) -> pd.DataFrame:
    """Per LSOA-period: the numerator and denominator to add up, and whether the LSOA reported."""
    if aggregation is Aggregation.SUM:
        numerator = frame["numerator"].fillna(frame["value"])
        reported = numerator.notna()
    else:
        numerator = frame["numerator"]
        reported = numerator.notna() & frame["denominator"].notna()
    return frame.assign(
        part_numerator=numerator.where(reported),
        part_denominator=frame["denominator"].where(reported),
        reported=reported,
        has_denominator=frame["denominator"].notna() & reported,
    )


def _locality_values(totals: pd.DataFrame, aggregation: Aggregation,
                     multiplier: float) -> pd.DataFrame:
    complete = totals["lsoas_reported"] == totals["lsoas_expected"]
    numerator = totals["numerator"].where(complete)
    if aggregation is Aggregation.SUM:
        all_have_denominator = totals["with_denominator"] == totals["lsoas_expected"]
        denominator = totals["denominator"].where(complete & all_have_denominator)
        value = numerator
    else:
        denominator = totals["denominator"].where(complete)
        value = (numerator / denominator.where(denominator != 0)) * multiplier
    return totals.assign(value=value, numerator=numerator, denominator=denominator,
                         complete=complete.astype(bool))


def aggregate_to_localities(
    *,
    observations: pd.DataFrame,
    membership: pd.DataFrame,
    aggregation: str | Aggregation,
    multiplier: float,
) -> pd.DataFrame:
    """Locality values per period from LSOA observations, with a completeness flag (see above).

    Example: a count locality missing one of its two LSOAs is incomplete, so its value is NaN.
        >>> import pandas as pd
        >>> membership = pd.DataFrame({"locality_code": ["PN-1", "PN-1"], "lsoa_code": ["A", "B"]})
        >>> observations = pd.DataFrame({"area_code": ["A"], "period_start": ["2024-04-01"],
        ...     "period_end": ["2024-04-30"], "value": [7.0], "numerator": [7.0],
        ...     "denominator": [None]})
        >>> row = aggregate_to_localities(observations=observations, membership=membership,
        ...                               aggregation="sum", multiplier=1).iloc[0]
        >>> int(row["lsoas_reported"]), int(row["lsoas_expected"]), bool(row["complete"])
        (1, 2, False)
    """
    aggregation = coerce_enum(Aggregation, aggregation, field="aggregation")
    if not multiplier > 0:
        raise MetricsInputError(f"multiplier must be greater than 0 (got {multiplier!r})")
    _require_columns(membership, REQUIRED_MEMBERSHIP_COLUMNS, name="membership")
    prepared = _prepare_observations(observations)
    if prepared.empty:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    members = membership[REQUIRED_MEMBERSHIP_COLUMNS].drop_duplicates()
    members = members.assign(lsoa_code=members["lsoa_code"].astype(str))
    grid = members.merge(prepared[PERIOD_KEYS].drop_duplicates(), how="cross")
    joined = _parts(grid.merge(prepared, on=["lsoa_code", *PERIOD_KEYS], how="left"), aggregation)
    totals = joined.groupby(["locality_code", *PERIOD_KEYS], as_index=False, sort=True).agg(
        numerator=("part_numerator", "sum"),
        denominator=("part_denominator", "sum"),
        lsoas_expected=("lsoa_code", "size"),
        lsoas_reported=("reported", "sum"),
        with_denominator=("has_denominator", "sum"),
    )
    result = _locality_values(totals, aggregation, float(multiplier))
    result = result.rename(columns={"locality_code": "area_code"})
    return result[OUTPUT_COLUMNS].reset_index(drop=True)


TOTALS_COLUMNS = [
    "numerator", "denominator", "lsoas_expected", "lsoas_reported", "with_denominator",
]


def _published_ratios(result: pd.DataFrame, published: pd.Series) -> pd.DataFrame:
    """A single ratio observation without a denominator (a survey percentage) keeps its value.

    It cannot be recomputed, and it is not a partial sum, so its published value stands. The
    numerator is left as given: disclosure control may then over-suppress, never under-suppress.
    """
    single = (result["lsoas_expected"] == 1) & result["complete"] & result["denominator"].isna()
    return result.assign(value=result["value"].where(~single, published))


def values_from_totals(
    *, totals: pd.DataFrame, aggregation: str | Aggregation, multiplier: float
) -> pd.DataFrame:
    """Locality values from sums already made (by the database) over each locality's LSOAs.

    ``totals`` has area_code, period_start, period_end and the sums in ``TOTALS_COLUMNS``
    (``with_denominator``: LSOAs that reported a denominator). The same rules as
    :func:`aggregate_to_localities` apply, so a partial sum is flagged, never shown. Rows keep
    their order. With an optional ``value_sum`` column, a ratio indicator's single observation
    that has no denominator (a locality's own survey percentage) keeps its published value.

    Example:
        >>> import pandas as pd
        >>> totals = pd.DataFrame({"area_code": ["PN-1"], "period_start": ["2024-04-01"],
        ...     "period_end": ["2025-03-31"], "numerator": [11.0], "denominator": [30.0],
        ...     "lsoas_expected": [2], "lsoas_reported": [2], "with_denominator": [2]})
        >>> round(float(values_from_totals(totals=totals, aggregation="ratio",
        ...                                multiplier=100).loc[0, "value"]), 2)
        36.67
    """
    aggregation = coerce_enum(Aggregation, aggregation, field="aggregation")
    if not multiplier > 0:
        raise MetricsInputError(f"multiplier must be greater than 0 (got {multiplier!r})")
    _require_columns(totals, ["area_code", *PERIOD_KEYS, *TOTALS_COLUMNS], name="totals")
    prepared = totals.assign(**{c: _numeric(totals, c) for c in TOTALS_COLUMNS})
    result = _locality_values(prepared, aggregation, float(multiplier))
    if aggregation is Aggregation.RATIO and "value_sum" in totals.columns:
        result = _published_ratios(result, _numeric(totals, "value_sum"))
    return result[OUTPUT_COLUMNS].reset_index(drop=True)
