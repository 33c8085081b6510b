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

import numpy as np
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
from metrics.stats import byar_ci_array, proportion_ci_array, rate_ci_array, se_from_interval
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
    periods = None if period_start is None else {indicator["code"]: period_start}
    totals = queries.indicators_totals(engine, [indicator], area_codes, area_type=area_type, period_starts=periods)
    return _series_from_totals(engine, indicator, totals.drop(columns="indicator_code"))


def series_for_many(engine: Engine, indicators: Sequence[dict], area_codes: Sequence[str], *,
                    period_starts: dict[str, date] | None = None) -> dict[str, pd.DataFrame]:
    """``series_for`` of many indicators for the same areas, read in one round trip
    (``queries.indicators_totals``): indicator code -> its series, for every indicator given (an
    empty frame where nothing is held). ``period_starts`` (code -> period start) keeps one period
    per indicator and leaves out the indicators it does not name.
    """
    chosen = [i for i in indicators if period_starts is None or i["code"] in period_starts]
    totals = queries.indicators_totals(engine, chosen, list(area_codes), period_starts=period_starts)
    populations: dict[str, float] = {}
    # Indicators computed alike (same aggregation, unit and kind of estimate) are computed together:
    # every rule works row by row, so one pass over their rows gives each its own series.
    kinds: dict[tuple, list[dict]] = {}
    for indicator in chosen:
        kinds.setdefault(_kind(indicator), []).append(indicator)
    series = {}
    for alike in kinds.values():
        codes = [indicator["code"] for indicator in alike]
        rows = totals[totals["indicator_code"].isin(codes)].reset_index(drop=True)
        frame = _series_from_totals(engine, alike[0], rows.drop(columns="indicator_code"), populations=populations)
        frame.insert(0, "indicator_code", rows["indicator_code"].to_numpy())
        for code, part in frame.groupby("indicator_code", sort=False):
            series[code] = part.drop(columns="indicator_code").reset_index(drop=True)
        empty = frame.iloc[0:0].drop(columns="indicator_code")
        series.update({code: empty.copy() for code in codes if code not in series})
    return {indicator["code"]: series[indicator["code"]] for indicator in chosen}


def _kind(indicator: dict) -> tuple:
    """What ``_series_from_totals`` reads of an indicator: indicators alike in it are computed alike."""
    return (indicator["aggregation"], indicator["unit"], indicator.get("estimate_type", "counted"))


def _series_from_totals(engine: Engine, indicator: dict, totals: pd.DataFrame, *,
                        populations: dict[str, float] | None = None) -> pd.DataFrame:
    """``series_for`` from totals already read; ``populations`` remembers residents already looked up."""
    published = indicator.get("estimate_type", "counted") != "counted"
    frame = values_from_totals(totals=totals, aggregation=indicator["aggregation"],
                               multiplier=multiplier_for_unit(indicator["unit"]), published=published)
    frame = frame.assign(provisional=totals["provisional"].to_numpy())
    no_base = frame["denominator"].isna() & frame["numerator"].notna()
    if indicator["aggregation"] == "sum" and not published and no_base.any():  # a count without a population
        held = {} if populations is None else populations
        wanted = sorted(set(frame.loc[no_base, "area_code"]) - set(held))
        if wanted:
            found = queries.populations(engine, wanted)
            held.update({code: found.get(code) for code in wanted})
        frame.loc[no_base, "denominator"] = frame.loc[no_base, "area_code"].map(held)
    columns = ["lower", "upper", "rate", "rate_lower", "rate_upper"]
    if published:
        limits = totals[["lower_limit", "upper_limit", "unweighted_base"]].to_numpy()
        intervals = [_estimate_intervals(indicator, value, *row) for value, row in zip(frame["value"], limits,
                                                                                    strict=True)]
        frame[columns] = pd.DataFrame(intervals, columns=columns, index=frame.index)
    else:
        frame[columns] = pd.DataFrame(_interval_columns(indicator, frame), index=frame.index)
    labels = {key: period_label(start=key[0], end=key[1])
              for key in set(zip(frame["period_start"], frame["period_end"], strict=True))}
    frame["label"] = [labels[key] for key in zip(frame["period_start"], frame["period_end"], strict=True)]
    return frame


# series_for_many's signature: (engine, indicators, codes, *, period_starts)
SeriesSource = Callable[..., dict[str, pd.DataFrame]]
# db.disclosure.published_figures: (engine, indicator code, *, areas, periods); may return more rows than asked
FiguresSource = Callable[..., pd.DataFrame]


def disclose(series: pd.DataFrame, indicator: dict, viewer: Viewer, *, engine: Engine,
             figures: FiguresSource = published_figures) -> pd.DataFrame:
    """``series`` (from ``series_for``) as ``viewer`` may see it, with columns ``shown`` (the value as
    text) and ``hidden`` (bool) added.

    For an indicator under disclosure control every row follows the one decision for its area and
    period (``db.disclosure.published_figures``, through ``figures``, asked only for the series' areas
    and periods): a hidden row shows "<5", "[c]" or "Ward level only" and loses every number in
    ``HIDDEN_NUMBERS``, so no value, rate or interval of it is ever sent to the viewer. A row the
    decision does not cover is hidden ("[c]").
    """
    unit = indicator["unit"]
    if series.empty:
        return series.assign(shown=pd.Series(dtype=object), hidden=pd.Series(dtype=bool))
    if not indicator["disclosure_control"] or viewer.sees_small_numbers:
        return series.assign(shown=[format_value(None if pd.isna(v) else v, unit=unit) for v in series["value"]],
                             hidden=False)
    areas = series["area_code"].unique()
    decided = figures(engine, indicator["code"], areas=tuple(sorted(areas)),
                      periods=(series["period_start"].min(), series["period_start"].max()))
    decided = decided[decided["area_code"].isin(areas)]  # a source may give more areas than asked
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


def _interval_columns(indicator: dict, frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """lower, upper, rate, rate_lower, rate_upper for every row at once (NaN where not calculable):
    Wilson for percentages, the rate interval for other ratios, Byar for counts with their rate per
    1,000 residents where a population is known."""
    value = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float)
    numerator = pd.to_numeric(frame["numerator"], errors="coerce").to_numpy(dtype=float)
    denominator = pd.to_numeric(frame["denominator"], errors="coerce").to_numpy(dtype=float)
    valid = ~np.isnan(value) & ~np.isnan(numerator)
    count = np.where(valid, np.round(numerator), np.nan)
    with_base = valid & (denominator > 0)
    if indicator["aggregation"] == "ratio":
        per = multiplier_for_unit(indicator["unit"])
        if indicator["unit"] == "percent":
            low, high = proportion_ci_array(np.where(with_base, count, np.nan),
                                            np.where(with_base, np.round(denominator), np.nan), per=per)
        else:
            low, high = rate_ci_array(np.where(with_base, count, np.nan), denominator, per=per)
        rate = np.where(with_base, value, np.nan)
        return {"lower": low, "upper": high, "rate": rate, "rate_lower": low, "rate_upper": high}
    low, high = byar_ci_array(count)
    r_low, r_high = rate_ci_array(np.where(with_base, count, np.nan), denominator, per=COUNT_RATE_PER)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(with_base, count / denominator * COUNT_RATE_PER, np.nan)
    return {"lower": low, "upper": high, "rate": rate, "rate_lower": r_low, "rate_upper": r_high}


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
                       series: SeriesSource = series_for_many,
                       figures: FiguresSource = published_figures) -> pd.DataFrame:
    """One row per indicator held for the locality at ``as_of`` (a month): targets first.

    Columns as ``SCORECARD_COLUMNS``; ``rag`` is the ``Rag`` value, ``rag_label`` the word with
    its symbol; ``value``/``expected`` are display text under disclosure control for ``viewer``;
    ``completeness`` says what the latest value leaves out ("2 LSOAs suppressed at source", "1 LSOA with
    no eligible population", "3 LSOAs missing"), empty when nothing.
    ``series`` supplies the series of many indicators at once (``series_for_many``; the app passes a
    cached one: series do not depend on the month), ``figures`` the disclosure decision. A value hidden
    from ``viewer`` gets no RAG, comparison or direction. Two reads of observations in all: every
    indicator's series for the locality, then the ward's and city's values at each latest period.
    """
    as_of_end = month_end(as_of)
    catalogue = indicator_lookup(engine)
    # One target per indicator: with two plans naming the same indicator, the newest plan's (last) wins.
    targets = queries.targets_for(engine, [area["code"]]).drop_duplicates("indicator_code", keep="last")
    targets = targets.set_index("indicator_code")
    ward, city = area.get("ward_code"), area.get("city_code")
    all_series = series(engine, list(catalogue.values()), [area["code"]])
    judged_rows = {}
    for code, indicator in catalogue.items():
        held = all_series.get(code)
        if held is None or held.empty:
            continue
        held = disclose(held, indicator, viewer, engine=engine, figures=figures)
        target_row = targets.loc[code] if code in targets.index else None
        judged_rows[code] = (held, target_row, assess(indicator, held, target_row, as_of_end, viewer))
    benchmarks = _benchmarks_at(engine, catalogue, {code: judged["latest"] for code, (_, _, judged)
                                                    in judged_rows.items()}, [c for c in (ward, city) if c],
                                series, lambda frame, i: disclose(frame, i, viewer, engine=engine, figures=figures))
    rows = []
    for code, (held, target_row, judged) in judged_rows.items():
        indicator, latest, marks = catalogue[code], judged["latest"], benchmarks.get(code, {})
        rows.append({
            "indicator_code": code, "indicator": indicator["name"], "theme": indicator["theme"],
            "unit": indicator["unit"], **judged_fields(indicator, judged, held, as_of_end),
            "vs_ward": compare(indicator, latest, marks.get(ward), same_area=ward == area["code"]).label,
            "vs_city": compare(indicator, latest, marks.get(city), same_area=city == area["code"]).label,
            "ward_value": _shown(marks.get(ward)),
            "city_value": _shown(marks.get(city)),
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


def _benchmarks_at(engine: Engine, catalogue: dict[str, dict], latest: dict[str, pd.Series | None],
                   codes: list[str], series: SeriesSource,
                   disclosed: Callable[[pd.DataFrame, dict], pd.DataFrame]) -> dict[str, dict]:
    """indicator code -> {area code -> its disclosed row} for the benchmark areas ``codes``, each at
    the period of the indicator's ``latest`` row; read for every indicator at once."""
    periods = {code: row["period_start"] for code, row in latest.items() if row is not None}
    if not periods or not codes:
        return {}  # an indicator held per ward has no LSOA sums: a benchmark is its own stored row, if published
    frames = series(engine, [catalogue[code] for code in periods], codes, period_starts=periods)
    return {code: {row["area_code"]: row for _, row in disclosed(frame, catalogue[code]).iterrows()}
            for code, frame in frames.items()}


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
