"""Assemble what pages and reports show, from store queries and metrics rules.

No Streamlit here: the pages wrap these functions in cached loaders and the printable
snapshot calls them directly, so a PDF shows exactly the figures the page shows.
Every judgement (RAG, comparison, trend, suppression) is made by ``metrics``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from db import queries
from db.disclosure import published_figures
from metrics.aggregate import incomplete_reason, multiplier_for_unit, values_from_totals
from metrics.compare import compare_with_benchmark
from metrics.disclosure import Release, hidden_text
from metrics.enums import Comparison, Frequency, Polarity, Rag
from metrics.estimates import estimate_interval
from metrics.formatting import format_value
from metrics.narrative import target_sentence
from metrics.periods import format_date, period_label
from metrics.rag import RagResult, Target, assess_against_target, expected_value_at
from metrics.spc import xmr
from metrics.stats import byar_ci, proportion_ci, rate_ci, se_from_interval
from metrics.trend import direction_of_travel

SPARKLINE_POINTS = 24
TREND_POINTS = 5
SPC_MONTHS = 24  # the scorecard's direction and the SPC chart read the same months
COUNT_RATE_PER = 1_000.0
HIDDEN_DIRECTION = "Not shown (small numbers)"
# Every number that gives a hidden count back: itself, its rate (with the population) and its interval.
HIDDEN_NUMBERS = ["value", "numerator", "denominator", "lower", "upper", "rate", "rate_lower", "rate_upper",
                  "lower_limit", "upper_limit", "unweighted_base"]


@dataclass(frozen=True)
class Viewer:
    """What the person looking may see: small numbers are hidden from viewers."""

    sees_small_numbers: bool = False


PUBLIC = Viewer(sees_small_numbers=False)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def indicator_lookup(engine: Engine) -> dict[str, dict]:
    return {row["code"]: row for row in queries.indicator_catalogue(engine).to_dict("records")}


def series_for(engine: Engine, indicator: dict, area_codes: Sequence[str] | None, *,
               area_type: str | None = None, period_start: date | None = None) -> pd.DataFrame:
    """Per area and period: value, numerator, denominator, complete, completeness, lower, upper, label.

    ``lower``/``upper`` are the 95% interval of the value (Wilson for percentages, Byar for
    counts and rates; for a published estimate its published limits, or for a weighted survey
    percentage the Wilson interval on its unweighted base); ``rate``/``rate_lower``/``rate_upper`` are
    what comparisons use (the value itself for ratios and estimates, the rate per 1,000 residents for
    counts with a population: the stored denominator, else the area's resident population, as for a
    count published per ward). ``completeness`` says what is absent: LSOAs suppressed at source, with
    no eligible population, or missing (``metrics.aggregate.completeness_note``).
    """
    totals = queries.indicator_totals(engine, indicator["code"], area_codes, area_type=area_type,
                                      period_start=period_start)
    published = indicator.get("estimate_type", "counted") != "counted"
    frame = values_from_totals(totals=totals, aggregation=indicator["aggregation"],
                               multiplier=multiplier_for_unit(indicator["unit"]), published=published)
    frame = frame.assign(provisional=totals["provisional"].to_numpy())
    no_base = frame["denominator"].isna() & frame["numerator"].notna()
    if indicator["aggregation"] == "sum" and not published and no_base.any():  # a count without a population
        held = queries.populations(engine, sorted(set(frame.loc[no_base, "area_code"])))
        frame.loc[no_base, "denominator"] = frame.loc[no_base, "area_code"].map(held)
    if published:
        limits = totals[["lower_limit", "upper_limit", "unweighted_base"]].to_numpy()
        intervals = [_estimate_intervals(indicator, value, *row) for value, row in zip(frame["value"], limits,
                                                                                    strict=True)]
    else:
        intervals = [_intervals(indicator, row) for row in frame.itertuples()]
    columns = ["lower", "upper", "rate", "rate_lower", "rate_upper"]
    frame[columns] = pd.DataFrame(intervals, columns=columns, index=frame.index)
    frame["label"] = [period_label(start=s, end=e) for s, e in zip(frame["period_start"], frame["period_end"],
                                                                    strict=True)]
    return frame


SeriesSource = Callable[..., pd.DataFrame]  # series_for's signature: (engine, indicator, codes, *, period_start)
FiguresSource = Callable[[Engine, str], pd.DataFrame]  # db.disclosure.published_figures: (engine, indicator code)


def disclose(series: pd.DataFrame, indicator: dict, viewer: Viewer, *, engine: Engine,
             figures: FiguresSource = published_figures) -> pd.DataFrame:
    """``series`` (from ``series_for``) as ``viewer`` may see it, with columns ``shown`` (the value as
    text) and ``hidden`` (bool) added.

    For an indicator under disclosure control every row follows the one decision for its area and
    period (``db.disclosure.published_figures``, through ``figures``): a hidden row shows "<5", "[c]"
    or "Ward level only" and loses every number in ``HIDDEN_NUMBERS``, so no value, rate or interval
    of it is ever sent to the viewer. A row the decision does not cover is hidden ("[c]").
    """
    unit = indicator["unit"]
    if series.empty:
        return series.assign(shown=pd.Series(dtype=object), hidden=pd.Series(dtype=bool))
    if not indicator["disclosure_control"] or viewer.sees_small_numbers:
        return series.assign(shown=[format_value(None if pd.isna(v) else v, unit=unit) for v in series["value"]],
                             hidden=False)
    decided = figures(engine, indicator["code"])
    releases = dict(zip(zip(decided["area_code"], decided["period_start"]), decided["release"], strict=True))
    rows = [Release(releases.get(key, Release.SECONDARY))
            for key in zip(series["area_code"], series["period_start"], strict=True)]
    hidden = [release.hidden for release in rows]
    disclosed = series.assign(hidden=hidden, shown=[
        hidden_text(release=release, unit=unit) if release.hidden else format_value(None if pd.isna(v) else v,
                                                                                   unit=unit)
        for release, v in zip(rows, series["value"], strict=True)])
    numbers = [c for c in HIDDEN_NUMBERS if c in disclosed.columns]
    disclosed[numbers] = disclosed[numbers].astype(float)
    disclosed.loc[disclosed["hidden"], numbers] = None
    return disclosed


def _estimate_intervals(indicator: dict, value, lower, upper, base) -> tuple[float | None, ...]:
    """A published estimate is compared on its own value with its published (or survey) interval."""
    interval = estimate_interval(estimate_type=indicator["estimate_type"], value=_number(value),
                                 lower=_number(lower), upper=_number(upper), unweighted_base=_number(base))
    if interval is None:
        return None, None, _number(value), None, None
    return interval[0], interval[1], float(value), interval[0], interval[1]


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _intervals(indicator: dict, row) -> tuple[float | None, ...]:
    none = (None, None, None, None, None)
    if pd.isna(row.value) or pd.isna(row.numerator):
        return none
    count = int(round(row.numerator))
    if indicator["aggregation"] == "ratio":
        if pd.isna(row.denominator) or row.denominator <= 0:
            return none
        per = multiplier_for_unit(indicator["unit"])
        if indicator["unit"] == "percent":
            low, high = proportion_ci(count, int(round(row.denominator)), per=per)
        else:
            low, high = rate_ci(count, row.denominator, per=per)
        return low, high, row.value, low, high
    low, high = byar_ci(count)
    if pd.isna(row.denominator) or row.denominator <= 0:
        return low, high, None, None, None
    r_low, r_high = rate_ci(count, row.denominator, per=COUNT_RATE_PER)
    return low, high, count / row.denominator * COUNT_RATE_PER, r_low, r_high


def latest_on_or_before(series: pd.DataFrame, as_of_end: date) -> pd.Series | None:
    held = series[series["period_end"] <= as_of_end]
    return None if held.empty else held.iloc[-1]


def period_text(latest: pd.Series | None) -> str:
    """The period a value is for, marked when any of its data are still provisional."""
    if latest is None:
        return "—"
    return f"{latest['label']} (provisional)" if bool(latest["provisional"]) else latest["label"]


def target_from(row: dict | pd.Series | None) -> Target | None:
    if row is None:
        return None
    return Target(baseline_date=row["baseline_period_start"], baseline_value=float(row["baseline_value"]),
                  target_date=row["target_date"], target_value=float(row["target_value"]),
                  tolerance=float(row["tolerance"]), tolerance_type=row["tolerance_type"])


def assess(indicator: dict, series: pd.DataFrame, target_row, as_of_end: date, viewer: Viewer) -> dict:
    """The latest value on or before ``as_of_end`` and its RAG against the target trajectory.

    ``series`` comes from ``disclose``: a value hidden from the viewer is "not assessed"."""
    latest = latest_on_or_before(series, as_of_end)
    target = target_from(target_row)
    if latest is None:
        result = RagResult(Rag.NOT_ASSESSED, "No data for this period", None)
        if target is not None:
            result = RagResult(Rag.NOT_ASSESSED, "No data for this period",
                               expected_value_at(target=target, on=as_of_end))
        return {"latest": None, "rag": result, "shown": "—", "suppressed": False, "target": target}
    shown, suppressed = latest["shown"], bool(latest["hidden"])
    value = None if pd.isna(latest["value"]) else float(latest["value"])
    if not bool(latest["complete"]):
        result = RagResult(Rag.NOT_ASSESSED, incomplete_reason(
            completeness=latest["completeness"], lsoas_expected=latest["lsoas_expected"],
            lsoas_reported=latest["lsoas_reported"], lsoas_suppressed=latest["lsoas_suppressed"]), None)
    else:
        result = assess_against_target(
            target=target, value=value, period_start=latest["period_start"], period_end=latest["period_end"],
            polarity=indicator["polarity"], as_of=as_of_end, staleness_days=int(indicator["staleness_days"]),
            suppressed=suppressed,
        )
        if latest.get("completeness"):  # e.g. "1 LSOA with no eligible population": said, not hidden
            result = RagResult(result.rag, f"{result.reason} ({latest['completeness']})", result.expected)
    return {"latest": latest, "rag": result, "shown": shown, "suppressed": suppressed, "target": target}


def judged_fields(indicator: dict, judged: dict, series: pd.DataFrame, as_of_end: date) -> dict:
    """The columns every judged row shows (scorecard and programme alike): period, value, expected,
    target, RAG with its word, symbol and reason, and direction of travel."""
    rag: Rag = judged["rag"].rag
    expected = judged["rag"].expected
    return {
        "period": period_text(judged["latest"]), "value": judged["shown"],
        "expected": "—" if expected is None else format_value(expected, unit=indicator["unit"]),
        "target": target_label(indicator, judged["target"]), "rag": rag.value,
        "rag_label": f"{rag.symbol} {rag.label}", "rag_reason": judged["rag"].reason,
        "direction": direction_for(indicator, series, as_of_end),
    }


def direction_for(indicator: dict, series: pd.DataFrame, as_of_end: date) -> str:
    """Direction of travel up to ``as_of_end``: SPC for monthly series, Fingertips trend otherwise.

    Not given (``HIDDEN_DIRECTION``) when any value it would read is hidden from the viewer.
    """
    held = series[series["period_end"] <= as_of_end]
    window = SPC_MONTHS if indicator["frequency"] == Frequency.MONTHLY else TREND_POINTS
    if "hidden" in held.columns and held["hidden"].tail(window).any():
        return HIDDEN_DIRECTION
    held = held[held["value"].notna()]
    if indicator["frequency"] == Frequency.MONTHLY:
        recent = held.tail(SPC_MONTHS)
        if len(recent) < 12:
            return "Cannot be calculated (fewer than 12 months)"
        return xmr(values=recent["value"].tolist(), polarity=indicator["polarity"]).variation.label
    recent = held.tail(TREND_POINTS)
    errors = [
        se_from_interval(lower=lo, upper=hi) if pd.notna(lo) and pd.notna(hi) and hi > lo else None
        for lo, hi in zip(recent["lower"], recent["upper"], strict=True)
    ]
    return direction_of_travel(values=recent["value"].tolist(), standard_errors=errors,
                               polarity=indicator["polarity"]).label


def compare(indicator: dict, latest: pd.Series | None, benchmark: pd.Series | None, *, same_area: bool) -> Comparison:
    if latest is None or benchmark is None or pd.isna(latest["rate"]) or pd.isna(benchmark["rate"]):
        return Comparison.NOT_COMPARED
    return compare_with_benchmark(
        value=float(latest["rate"]),
        lower=None if pd.isna(latest["rate_lower"]) else float(latest["rate_lower"]),
        upper=None if pd.isna(latest["rate_upper"]) else float(latest["rate_upper"]),
        benchmark=float(benchmark["rate"]), polarity=indicator["polarity"], same_area=same_area,
    )


def polarity_word(polarity: str) -> str:
    return {Polarity.HIGHER_IS_BETTER: "Higher is better", Polarity.LOWER_IS_BETTER: "Lower is better"}.get(
        polarity, "No judgement"
    )


def target_label(indicator: dict, target: Target | None) -> str:
    if target is None:
        return "No target"
    return f"{format_value(target.target_value, unit=indicator['unit'])} by {format_date(target.target_date)}"


SCORECARD_COLUMNS = [
    "indicator_code", "indicator", "theme", "unit", "period", "value", "expected", "target", "rag", "rag_label",
    "rag_reason", "direction", "vs_ward", "vs_city", "ward_value", "city_value", "sparkline", "suppressed",
    "has_target", "narrative", "completeness",
]


def locality_scorecard(engine: Engine, area: dict, as_of: date, viewer: Viewer = PUBLIC, *,
                       series: SeriesSource = series_for, figures: FiguresSource = published_figures) -> pd.DataFrame:
    """One row per indicator held for the locality at ``as_of`` (a month): targets first.

    Columns as ``SCORECARD_COLUMNS``; ``rag`` is the ``Rag`` value, ``rag_label`` the word with
    its symbol; ``value``/``expected`` are display text under disclosure control for ``viewer``;
    ``completeness`` says what the latest value leaves out ("2 LSOAs suppressed at source", "1 LSOA with
    no eligible population", "3 LSOAs missing"), empty when nothing.
    ``series`` supplies the series (the app passes a cached one: series do not depend on the month),
    ``figures`` the disclosure decision. A value hidden from ``viewer`` gets no RAG, comparison or direction.
    """
    as_of_end = month_end(as_of)
    catalogue = indicator_lookup(engine)
    # One target per indicator: with two plans naming the same indicator, the newest plan's (last) wins.
    targets = queries.targets_for(engine, [area["code"]]).drop_duplicates("indicator_code", keep="last")
    targets = targets.set_index("indicator_code")
    ward, city = area.get("ward_code"), area.get("city_code")
    rows = []
    for code, indicator in catalogue.items():
        held = series(engine, indicator, [area["code"]])
        if held.empty:
            continue
        held = disclose(held, indicator, viewer, engine=engine, figures=figures)
        target_row = targets.loc[code] if code in targets.index else None
        judged = assess(indicator, held, target_row, as_of_end, viewer)
        latest = judged["latest"]
        benchmarks = _benchmarks_at(engine, indicator, latest, [c for c in (ward, city) if c], series,
                                    lambda frame, i=indicator: disclose(frame, i, viewer, engine=engine,
                                                                        figures=figures))
        rows.append({
            "indicator_code": code, "indicator": indicator["name"], "theme": indicator["theme"],
            "unit": indicator["unit"], **judged_fields(indicator, judged, held, as_of_end),
            "vs_ward": compare(indicator, latest, benchmarks.get(ward), same_area=ward == area["code"]).label,
            "vs_city": compare(indicator, latest, benchmarks.get(city), same_area=city == area["code"]).label,
            "ward_value": _shown(benchmarks.get(ward)),
            "city_value": _shown(benchmarks.get(city)),
            "sparkline": _sparkline(held, as_of_end, indicator, viewer),
            "suppressed": judged["suppressed"], "has_target": target_row is not None,
            "narrative": _narrative(indicator, area, judged, target_row),
            "completeness": "" if latest is None else latest["completeness"],
        })
    frame = pd.DataFrame(rows, columns=SCORECARD_COLUMNS)
    return frame.sort_values(["has_target", "theme", "indicator"], ascending=[False, True, True], ignore_index=True)


def _narrative(indicator: dict, area: dict, judged: dict, target_row) -> str:
    """The plain-English sentence for a target; empty where there is no target or the value is hidden."""
    latest, target = judged["latest"], judged["target"]
    if target is None or latest is None or judged["suppressed"] or pd.isna(latest["value"]):
        return ""
    return target_sentence(
        indicator_name=indicator["name"], area_name=area["name"], value=float(latest["value"]),
        baseline_value=target.baseline_value,
        baseline_label=period_label(start=target_row["baseline_period_start"], end=target_row["baseline_period_end"]),
        target_value=target.target_value, target_label=f"{target.target_date:%B %Y}", rag=judged["rag"].rag,
        unit=indicator["unit"], polarity=indicator["polarity"],
    )


def _shown(row: pd.Series | None) -> str:
    return "—" if row is None else row["shown"]


def _benchmarks_at(engine: Engine, indicator: dict, latest: pd.Series | None, codes: list[str],
                   series: SeriesSource, disclosed: Callable[[pd.DataFrame], pd.DataFrame]) -> dict:
    if latest is None or not codes:
        return {}  # an indicator held per ward has no LSOA sums: a benchmark is its own stored row, if published
    frame = disclosed(series(engine, indicator, codes, period_start=latest["period_start"]))
    return {row["area_code"]: row for _, row in frame.iterrows()}


def _sparkline(series: pd.DataFrame, as_of_end: date, indicator: dict, viewer: Viewer) -> list[float]:
    if indicator["disclosure_control"] and not viewer.sees_small_numbers:
        return []  # a line of small counts could be read back point by point
    held = series[series["period_end"] <= as_of_end].tail(SPARKLINE_POINTS)
    return [float(v) for v in held["value"] if pd.notna(v)]


def locality_context(engine: Engine, code: str) -> dict:
    """An area with the ward and city it is compared with: keys of ``queries.area_by_code`` plus
    ward_code, ward_name, committee_name, city_code. Raises ``NotFound`` for an unknown code."""
    area = queries.area_by_code(engine, code)
    if area["type"] in ("priority_neighbourhood", "lsoa"):
        ward_code, ward_name, committee = area["parent_code"], area["parent_name"], area["grandparent_name"]
    elif area["type"] == "ward":
        ward_code, ward_name, committee = area["code"], area["name"], area["parent_name"]
    else:
        ward_code, ward_name, committee = None, None, area["name"] if area["type"] == "community_committee" else None
    return area | {"ward_code": ward_code, "ward_name": ward_name, "committee_name": committee,
                   "city_code": queries.city_code(engine)}
