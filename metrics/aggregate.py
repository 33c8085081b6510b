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

Missing, suppressed and no eligible population are told apart. An LSOA whose value was suppressed at
source (``suppressed`` True, no value) is counted in ``lsoas_suppressed``, not as missing; the
locality's value is still not shown, because a total without it would be silently smaller. An LSOA
with 0/0 (numerator 0, denominator 0, no value: nobody eligible) is reported, adds nothing, and is
counted in ``lsoas_no_population``. ``completeness`` says which applies, in words
(:func:`completeness_note`).

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
    "lsoas_expected", "lsoas_reported", "complete", "lsoas_suppressed", "lsoas_no_population", "completeness",
]
ABSENCE_COLUMNS = ["lsoas_suppressed", "lsoas_no_population"]


def _lsoas(count: int) -> str:
    return f"{count:,} LSOA" if count == 1 else f"{count:,} LSOAs"


def completeness_note(*, lsoas_expected: int, lsoas_reported: int, lsoas_suppressed: int = 0,
                      lsoas_no_population: int = 0) -> str:
    """What is absent from an area's value for a period, in words; empty when nothing is.

    Suppressed LSOAs are not counted as missing; LSOAs with no eligible population (0/0) are reported
    (so they never make a value incomplete) but are still mentioned. An area's own single observation
    (``lsoas_expected`` 1) is described without the word LSOA.

    Example:
        >>> completeness_note(lsoas_expected=10, lsoas_reported=5, lsoas_suppressed=2)
        '2 LSOAs suppressed at source; 3 LSOAs missing'
        >>> completeness_note(lsoas_expected=16, lsoas_reported=16, lsoas_no_population=1)
        '1 LSOA with no eligible population'
        >>> completeness_note(lsoas_expected=1, lsoas_reported=0, lsoas_suppressed=1)
        'value suppressed at source'
    """
    counts = [int(n) for n in (lsoas_expected, lsoas_reported, lsoas_suppressed, lsoas_no_population)]
    if any(n < 0 for n in counts):
        raise MetricsInputError(f"LSOA counts must not be negative (got {counts})")
    expected, reported, suppressed, no_population = counts
    missing = max(expected - reported - suppressed, 0)
    if expected == 1:
        return ("value suppressed at source" if suppressed else "no data" if missing
                else "no eligible population" if no_population else "")
    parts = [f"{_lsoas(suppressed)} suppressed at source" if suppressed else "",
             f"{_lsoas(no_population)} with no eligible population" if no_population else "",
             f"{_lsoas(missing)} missing" if missing else ""]
    return "; ".join(p for p in parts if p)


def incomplete_reason(*, completeness: str, lsoas_expected: int, lsoas_reported: int,
                      lsoas_suppressed: int = 0) -> str:
    """Why an area's value is not shown or not rated, for a RAG reason or a table note.

    Example:
        >>> incomplete_reason(completeness="2 LSOAs suppressed at source", lsoas_expected=5,
        ...                   lsoas_reported=3, lsoas_suppressed=2)
        'Not shown: 2 LSOAs suppressed at source, and a total without them would be too small'
        >>> incomplete_reason(completeness="3 LSOAs missing", lsoas_expected=5, lsoas_reported=2)
        'Incomplete: 3 LSOAs missing for this period'
    """
    missing = int(lsoas_expected) - int(lsoas_reported) - int(lsoas_suppressed)
    if missing <= 0 and lsoas_suppressed:
        if int(lsoas_expected) == 1:
            return "Not shown: the value was suppressed at source"
        return f"Not shown: {completeness}, and a total without them would be too small"
    return f"Incomplete: {completeness or 'not every LSOA has reported'} for this period"
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
    suppressed = observations["suppressed"] if "suppressed" in observations.columns else False
    prepared["suppressed"] = pd.Series(suppressed, index=observations.index).fillna(False).astype(bool)
    return prepared


def _parts(frame: pd.DataFrame, aggregation: Aggregation) -> pd.DataFrame:
    """Per LSOA-period: the numerator and denominator to add up, whether the LSOA reported, and
    whether it was suppressed at source or had no eligible population (0/0)."""
    suppressed = frame["suppressed"].fillna(False).astype(bool)
    if aggregation is Aggregation.SUM:
        numerator = frame["numerator"].fillna(frame["value"])
        reported = numerator.notna() & ~suppressed
    else:
        numerator = frame["numerator"]
        reported = numerator.notna() & frame["denominator"].notna() & ~suppressed
    return frame.assign(
        part_numerator=numerator.where(reported),
        part_denominator=frame["denominator"].where(reported),
        reported=reported,
        has_denominator=frame["denominator"].notna() & reported,
        is_suppressed=suppressed,
        no_population=(frame["numerator"] == 0) & (frame["denominator"] == 0) & frame["value"].isna(),
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
    absences = {c: (totals[c] if c in totals.columns else pd.Series(0, index=totals.index)).fillna(0).astype(int)
                for c in ABSENCE_COLUMNS}
    counts = list(zip(totals["lsoas_expected"].astype(int), totals["lsoas_reported"].astype(int),
                      absences["lsoas_suppressed"], absences["lsoas_no_population"], strict=True))
    worded = {c: completeness_note(lsoas_expected=c[0], lsoas_reported=c[1], lsoas_suppressed=c[2],
                                   lsoas_no_population=c[3]) for c in set(counts)}  # few distinct cases
    notes = [worded[c] for c in counts]
    return totals.assign(value=value, numerator=numerator, denominator=denominator,
                         complete=complete.astype(bool), **absences, completeness=notes)


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
        lsoas_suppressed=("is_suppressed", "sum"),
        lsoas_no_population=("no_population", "sum"),
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
    *, totals: pd.DataFrame, aggregation: str | Aggregation, multiplier: float, published: bool = False
) -> pd.DataFrame:
    """Locality values from sums already made (by the database) over each locality's LSOAs.

    ``totals`` has area_code, period_start, period_end and the sums in ``TOTALS_COLUMNS``
    (``with_denominator``: LSOAs that reported a denominator). The same rules as
    :func:`aggregate_to_localities` apply, so a partial sum is flagged, never shown. Rows keep
    their order. With an optional ``value_sum`` column, a ratio indicator's single observation
    that has no denominator (a locality's own survey percentage) keeps its published value. With
    ``published`` (a published estimate: age-standardised rate, standardised ratio, weighted survey
    percentage) every row is an area's own observation and its value is ``value_sum`` as published,
    never recomputed from the numerator and denominator.

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
    if published:
        result = result.assign(value=_numeric(totals, "value_sum").where(result["complete"]))
    elif aggregation is Aggregation.RATIO and "value_sum" in totals.columns:
        result = _published_ratios(result, _numeric(totals, "value_sum"))
    return result[OUTPUT_COLUMNS].reset_index(drop=True)
