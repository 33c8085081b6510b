"""Plain-English methods text for the About page, built from the constants the rules use,
so the page cannot drift from what the code does."""

from __future__ import annotations

from db.config import SAMPLE_DATA_DIR
from metrics import actions, intervention, spc, suppress, trend
from ui.plans import progress_rule

SOURCES_FILE = SAMPLE_DATA_DIR / "geography" / "SOURCES.md"


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
  a value hidden by disclosure control, or a locality whose LSOAs have not all reported. We never guess.

Indicators marked *no judgement* (for example hub enquiries, where more may mean more need or better
access) are never RAG-rated. A theme's status on the overview is its worst assessed target, with the count
of each status beside it.
"""


def comparison_rules() -> str:
    return """
**Comparison with the ward and Leeds (better / similar / worse).** We compute a 95% confidence interval
for the locality's value: the **Wilson score** interval for percentages and **Byar's method** for counts and
rates (the exact Poisson method below 10). Counts are compared as rates per 1,000 residents (mid-2019
population). If the interval contains the benchmark's value the locality is *similar*; otherwise it is
*better* or *worse* according to the indicator's polarity (*higher* or *lower* for no-judgement indicators).
Where no interval can be made (for example project counts with no population) it is *not compared*. An
area is never compared with itself. This is the method of OHID's Fingertips.
"""


def trend_rules() -> str:
    return f"""
**Direction of travel.** For annual and quarterly indicators, the Fingertips method: {trend.TREND_METHOD.lower()}
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
or percentage built on such a count is shown as "{suppress.CONFIDENTIAL_MARKER}". Where a hidden ward could be
worked out from the Leeds total and the other wards, the next smallest ward is hidden too, and a hidden value
loses its interval and rank (a rate and its interval give the count back). LSOAs lie inside several shown
totals at once (ward, neighbourhood, custom localities, Leeds), so no pattern of hiding could protect them all:
viewers see these indicators for wards and larger areas only. Trend lines, downloads, exports and printed
snapshots for viewers follow the same rules; editors see the figures.
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

**Periods.** Monthly figures are calendar months. Quarters and years follow the UK financial year: Q1 is April
to June, and 2018/19 runs from 1 April 2018 to 31 March 2019. Dates are written day month year.
"""


def sources_markdown() -> str:
    """The full provenance of the real geography files, as shipped with the sample data."""
    return SOURCES_FILE.read_text(encoding="utf-8")
