"""Plain-English methods text for the About page, built from the constants the rules use,
so the page cannot drift from what the code does."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from db import localities
from db.config import SAMPLE_DATA_DIR
from metrics import actions, disclosure, intervention, spc, suppress, trend
from metrics.enums import Frequency
from views.charts import UNIT_AXIS
from views.plans import progress_rule
from views.scorecards import polarity_word

SOURCES_FILE = SAMPLE_DATA_DIR / "geography" / "SOURCES.md"
SOURCES_2021_FILE = SAMPLE_DATA_DIR / "geography" / "lsoa2021" / "SOURCES.md"


def rag_rules() -> str:
    return """
**RAG against the target trajectory.** Each target has a baseline (a period and its value), a target value and
a target date. The *expected value* at any time is read off the straight line from the baseline to the target;
after the target date it is the target itself. The latest value is then judged, respecting whether higher or
lower is better:

- **✓ Green**: meets or beats the expected value;
- **! Amber**: misses it, by no more than the tolerance (set per target, either in the indicator's units or
  as a percentage of the expected value);
- **✗ Red**: misses it by more than the tolerance;
- **– Not assessed**: no target, no data for the period, data older than the indicator's staleness limit,
  a value hidden by disclosure control, a locality whose LSOAs have not all reported, or one containing a value
  suppressed at source (the reason says which). We never guess.

Indicators marked *no judgement* (for example hub enquiries, where more may mean more need or better
access) are never RAG-rated. A theme's status on the overview is its worst assessed target, with the count
of each status beside it.
"""


def comparison_rules() -> str:
    return """
**Comparison with the ward and Leeds (better / similar / worse).** We compute a 95% confidence interval
for the locality's value: the **Wilson score** interval for percentages and **Byar's method** for counts and
rates (the exact Poisson method below 10). Counts are compared as rates per 1,000 residents. When a count
arrives without a denominator, the population held for the area is used: the ONS mid-year estimate (all ages)
on the LSOA basis the count was reported on (mid-2019 for 2011 LSOAs, mid-2022 for 2021 LSOAs), the latest
one not after the period, or the earliest held when all are later. If the interval contains the benchmark's
value the locality is *similar*; otherwise it is *better* or *worse* according to the indicator's polarity
(*higher* or *lower* for no-judgement indicators). Where no interval can be made (for example project counts
with no population) it is *not compared*. An area is never compared with itself. This is the method of OHID's
Fingertips.

**Published estimates.** Some indicators are published as estimates rather than counts: age-standardised
rates, standardised ratios and weighted survey percentages. Their values are held exactly as published and
are never added up from LSOAs: a ward or locality needs its own published figure. They are compared using the
published 95% confidence limits, or, for a weighted survey percentage published without limits, the Wilson
interval on the number of respondents (the unweighted base). Without either they are *not compared*.
"""


def trend_rules() -> str:
    return f"""
**Direction of travel.** For quarterly, yearly and three-year pooled indicators, the Fingertips method: {trend.TREND_METHOD.lower()}
(last {trend.TREND_POINTS} points, chi-squared at the {trend.TREND_SIGNIFICANCE:.1%} level), worded by polarity,
e.g. "Increasing and getting better".

**Statistical process control (monthly indicators).** An XmR chart of up to the last 24 months (the scorecard's direction of travel reads the same chart): the mean and
process limits at mean ± {spc.LIMIT_FACTOR} × the mean moving range. A point is *special cause* when it lies
outside the limits, when {spc.RUN_LENGTH} points in a row fall on one side of the mean, when {spc.TREND_LENGTH}
points in a row rise or fall, or when {spc.ZONE_HITS} of {spc.ZONE_WINDOW} points lie beyond two thirds of the
way to a limit on the same side. If the target lies outside the process limits the process will consistently
pass or fail it; inside, it will pass only sometimes.

**Before and after an event.** The mean of the {intervention.DEFAULT_PERIODS} periods before an event is
compared with the mean of the {intervention.DEFAULT_PERIODS} after: {intervention.METHOD.lower()}. A change
within that band is reported as indistinguishable from ordinary variation, however large it looks.
"""


def suppression_rules() -> str:
    return f"""
**Small numbers (disclosure control).** For indicators marked as under disclosure control, viewers never see
counts from 1 to {suppress.SMALL_NUMBER_THRESHOLD - 1}: they show as "<{suppress.SMALL_NUMBER_THRESHOLD}". A rate
or percentage built on such a count is shown as "{suppress.CONFIDENTIAL_MARKER}". Zero is shown.

Every figure for a ward, committee area, neighbourhood, custom locality or Leeds is a sum over LSOAs, so
published figures can be added and subtracted: Leeds minus the other 32 wards gives the 33rd, and two
localities that differ by one LSOA give that LSOA. So the decision is made once for each indicator and period,
across every area at once, and every page, chart, map, download, export and printed snapshot follows it. After
the small figures are hidden, more are hidden ("{suppress.CONFIDENTIAL_MARKER}"), smallest first, until no hidden
small count (of an area or of a single LSOA) can be worked out by adding or subtracting the figures that are
still shown. LSOA figures of these indicators are shown as "{disclosure.WITHHELD_TEXT}". A hidden figure loses
its interval, rank, comparison with the ward and Leeds, direction of travel and RAG: each of those would give
it back. A custom locality must lie in its ward and differ from every area it overlaps by at least
{localities.MIN_LSOA_DIFFERENCE} LSOAs. Editors see the figures.
"""


def action_rules() -> str:
    return f"""
**Action progress.** {progress_rule()} An action past its due date and not complete is *overdue*, whatever
its progress. A plan's overall status is complete when every action is; otherwise on track when at least
{actions.ON_TRACK_SHARE:.0%} of its actions are complete, on track or not started, at risk from
{actions.AT_RISK_SHARE:.0%}, off track below.
"""


def aggregation_rules() -> str:
    return """
**From LSOAs to localities.** Every locality (ward, community committee area, priority neighbourhood, custom
locality) is a set of LSOAs (the ONS best-fit lookup for wards). Counts are summed; rates and percentages are
recomputed from summed numerators and denominators, never averaged. A locality with any LSOA missing for a
period is flagged as incomplete and not rated.

**Missing, zero and suppressed.** These are different. For counts made from incident lists (anti-social
behaviour, crime, hate incidents, fly-tipping) an LSOA with no row in a month's file had no incidents, so it
counts as 0. A value the source withheld (`<5`, `*`, `[c]`, `[x]`, `..`) is *suppressed at source*: it is
never shown as a number and never counted as missing, but a locality containing it shows no total (a total
without it would be too small) and says how many LSOAs were suppressed. An LSOA with no eligible population
(numerator 0 and denominator 0, for example no children turning five that year) adds nothing and does not
make its locality incomplete. Indicators collected for wards only are shown for wards and are not built from
LSOAs.

**Two sets of LSOAs (2011 and 2021).** Sources publish on the LSOAs of the 2011 census (482 in Leeds) or of the
2021 census (488: 473 unchanged, 7 split in two, 2 merged). Every locality has its LSOAs on both, from the ONS
lookups, and each figure is added up over the LSOAs of the census it was published on: one series per locality
across the change, with nothing apportioned. Where a locality's two sets of LSOAs hold more than 2% different
numbers of people, its trend says so. Codes that moved are resolved on import: a retired ward code counts for
its successor, and a file must use one census's LSOA codes for each period.

**Populations for rates.** Rates per 1,000 residents use the population on the same LSOAs as the figure:
on 2011 LSOAs the ONS mid-2019 estimates; on 2021 LSOAs the mid-2022 population denominators published with
the English Indices of Deprivation 2025 (MHCLG, from ONS small area estimates). Deprivation is shown on
IMD 2025 (2021 LSOAs) and, for history, IMD 2019 (2011 LSOAs); where they differ both are given.

**Periods.** Monthly figures are calendar months. Quarters and years follow the UK financial year: Q1 is April
to June, and 2018/19 runs from 1 April 2018 to 31 March 2019. A few published sources count calendar years
(fuel poverty 2020 is January to December 2020). Dates are written day month year.
"""


def sources_markdown() -> str:
    """The full provenance of the real geography files (2011 and 2021 LSOA bases), as shipped with the sample
    data."""
    return SOURCES_FILE.read_text(encoding="utf-8") + "\n\n" + SOURCES_2021_FILE.read_text(encoding="utf-8")


DEFINITION_COLUMNS = ["Theme", "Indicator", "Data", "Definition", "Source", "How it is read"]


def definitions_table(catalogue: pd.DataFrame, illustrative: Collection[str]) -> pd.DataFrame:
    """One row per indicator of ``catalogue`` (``db.queries.indicator_catalogue``), in its order, with the
    ``DEFINITION_COLUMNS``, all plain text. The code follows the name; unit, better direction, frequency,
    small-number rule and staleness limit are read together in one sentence, so the table is six columns
    and fits a laptop screen. ``illustrative``: codes whose values are made up (``Data`` says so).

    >>> row = pd.DataFrame([{"code": "ASB_ALL", "name": "Anti-social behaviour", "theme": "Safety",
    ...     "definition": "Incidents reported.", "source": "Police", "unit": "rate_per_1000",
    ...     "polarity": "lower_is_better", "frequency": "monthly", "disclosure_control": True,
    ...     "staleness_days": 90}])
    >>> definitions_table(row, {"ASB_ALL"}).iloc[0].to_dict()["How it is read"]
    'Rate per 1,000; lower is better; monthly; small numbers hidden; stale after 90 days.'
    """
    return pd.DataFrame({
        "Theme": catalogue["theme"],
        "Indicator": catalogue["name"] + " (" + catalogue["code"] + ")",
        "Data": catalogue["code"].isin(set(illustrative)).map({True: "Illustrative", False: "Real published data"}),
        "Definition": catalogue["definition"].fillna(""),
        "Source": catalogue["source"].fillna(""),
        "How it is read": [_how_it_is_read(row) for row in catalogue.itertuples()],
    }, columns=DEFINITION_COLUMNS)


def _how_it_is_read(row) -> str:
    frequency = Frequency(row.frequency).label if row.frequency in set(Frequency) else str(row.frequency)
    parts = [UNIT_AXIS.get(row.unit, str(row.unit)), _lower_first(polarity_word(row.polarity)), _lower_first(frequency),
             "small numbers hidden" if row.disclosure_control else "", f"stale after {row.staleness_days} days"]
    return "; ".join(part for part in parts if part) + "."


def _lower_first(text: str) -> str:
    """"Financial year (April to March)" -> "financial year (April to March)": month names keep their capital."""
    return text[:1].lower() + text[1:]
