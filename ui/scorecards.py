"""Assemble what pages and reports show, from store queries and metrics rules.

No Streamlit here: the pages wrap these functions in cached loaders and the printable
snapshot calls them directly, so a PDF shows exactly the figures the page shows.
Every judgement (RAG, comparison, trend, suppression) is made by ``metrics``.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from db import queries
from metrics.aggregate import multiplier_for_unit, values_from_totals
from metrics.compare import compare_with_benchmark
from metrics.enums import Comparison, Frequency, Polarity, Rag
from metrics.formatting import format_value
from metrics.intervention import before_after
from metrics.narrative import target_sentence
from metrics.periods import format_date, period_label
from metrics.rollup import cell_text, worst_rag
from metrics.rag import RagResult, Target, assess_against_target, expected_value_at
from metrics.spc import target_assurance, xmr
from metrics.stats import byar_ci, proportion_ci, rate_ci, se_from_interval
from metrics.suppress import suppress_value
from metrics.trend import direction_of_travel

SPARKLINE_POINTS = 24
TREND_POINTS = 5
SPC_MONTHS = 24
COUNT_RATE_PER = 1_000.0


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
    """Per area and period: value, numerator, denominator, complete, lower, upper, label.

    ``lower``/``upper`` are the 95% interval of the value (Wilson for percentages, Byar for
    counts and rates); ``rate``/``rate_lower``/``rate_upper`` are what comparisons use
    (the value itself for ratios, the rate per 1,000 residents for counts with a population).
    """
    totals = queries.indicator_totals(engine, indicator["code"], area_codes, area_type=area_type,
                                      period_start=period_start)
    frame = values_from_totals(totals=totals, aggregation=indicator["aggregation"],
                               multiplier=multiplier_for_unit(indicator["unit"]))
    frame = frame.assign(provisional=totals["provisional"].to_numpy())
    intervals = [_intervals(indicator, row) for row in frame.itertuples()]
    columns = ["lower", "upper", "rate", "rate_lower", "rate_upper"]
    frame[columns] = pd.DataFrame(intervals, columns=columns, index=frame.index)
    frame["label"] = [period_label(start=s, end=e) for s, e in zip(frame["period_start"], frame["period_end"],
                                                                    strict=True)]
    return frame


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


def target_from(row: dict | pd.Series | None) -> Target | None:
    if row is None:
        return None
    return Target(baseline_date=row["baseline_period_start"], baseline_value=float(row["baseline_value"]),
                  target_date=row["target_date"], target_value=float(row["target_value"]),
                  tolerance=float(row["tolerance"]), tolerance_type=row["tolerance_type"])


def display_value(indicator: dict, value, numerator, viewer: Viewer) -> tuple[str, bool]:
    """The number as shown to this viewer, and whether disclosure control hid it."""
    if indicator["disclosure_control"] and not viewer.sees_small_numbers:
        return suppress_value(value=None if pd.isna(value) else value,
                              numerator=None if pd.isna(numerator) else numerator, unit=indicator["unit"])
    return format_value(None if pd.isna(value) else value, unit=indicator["unit"]), False


def assess(indicator: dict, series: pd.DataFrame, target_row, as_of_end: date, viewer: Viewer) -> dict:
    """The latest value on or before ``as_of_end`` and its RAG against the target trajectory."""
    latest = latest_on_or_before(series, as_of_end)
    target = target_from(target_row)
    if latest is None:
        result = RagResult(Rag.NOT_ASSESSED, "No data for this period", None)
        if target is not None:
            result = RagResult(Rag.NOT_ASSESSED, "No data for this period",
                               expected_value_at(target=target, on=as_of_end))
        return {"latest": None, "rag": result, "shown": "—", "suppressed": False, "target": target}
    shown, suppressed = display_value(indicator, latest["value"], latest["numerator"], viewer)
    value = None if pd.isna(latest["value"]) else float(latest["value"])
    if not bool(latest["complete"]):
        result = RagResult(Rag.NOT_ASSESSED, "Incomplete: not every LSOA has reported for this period", None)
    else:
        result = assess_against_target(
            target=target, value=value, period_start=latest["period_start"], period_end=latest["period_end"],
            polarity=indicator["polarity"], as_of=as_of_end, staleness_days=int(indicator["staleness_days"]),
            suppressed=suppressed,
        )
    return {"latest": latest, "rag": result, "shown": shown, "suppressed": suppressed, "target": target}


def direction_for(indicator: dict, series: pd.DataFrame, as_of_end: date) -> str:
    """Direction of travel up to ``as_of_end``: SPC for monthly series, Fingertips trend otherwise."""
    held = series[(series["period_end"] <= as_of_end) & series["value"].notna()]
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


def trajectory_points(target: Target, *, start: date, end: date) -> pd.DataFrame:
    """The expected value at the trajectory's corners, for drawing the target line."""
    corners = sorted({max(start, target.baseline_date), target.target_date, max(end, target.target_date)})
    return pd.DataFrame({"date": corners, "expected": [expected_value_at(target=target, on=d) for d in corners]})


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
    "has_target", "narrative",
]


def locality_scorecard(engine: Engine, area: dict, as_of: date, viewer: Viewer = PUBLIC) -> pd.DataFrame:
    """One row per indicator held for the locality at ``as_of`` (a month): targets first.

    Columns as ``SCORECARD_COLUMNS``; ``rag`` is the ``Rag`` value, ``rag_label`` the word with
    its symbol; ``value``/``expected`` are display text under disclosure control for ``viewer``.
    """
    as_of_end = month_end(as_of)
    catalogue = indicator_lookup(engine)
    # One target per indicator: with two plans naming the same indicator, the newest plan's (last) wins.
    targets = queries.targets_for(engine, [area["code"]]).drop_duplicates("indicator_code", keep="last")
    targets = targets.set_index("indicator_code")
    ward, city = area.get("ward_code"), area.get("city_code")
    rows = []
    for code, indicator in catalogue.items():
        series = series_for(engine, indicator, [area["code"]])
        if series.empty:
            continue
        target_row = targets.loc[code] if code in targets.index else None
        judged = assess(indicator, series, target_row, as_of_end, viewer)
        latest = judged["latest"]
        benchmarks = _benchmarks_at(engine, indicator, latest, [c for c in (ward, city) if c])
        rag: Rag = judged["rag"].rag
        expected = judged["rag"].expected
        rows.append({
            "indicator_code": code, "indicator": indicator["name"], "theme": indicator["theme"],
            "unit": indicator["unit"], "period": "—" if latest is None else latest["label"],
            "value": judged["shown"],
            "expected": "—" if expected is None else format_value(expected, unit=indicator["unit"]),
            "target": target_label(indicator, judged["target"]), "rag": rag.value,
            "rag_label": f"{rag.symbol} {rag.label}", "rag_reason": judged["rag"].reason,
            "direction": direction_for(indicator, series, as_of_end),
            "vs_ward": compare(indicator, latest, benchmarks.get(ward), same_area=ward == area["code"]).label,
            "vs_city": compare(indicator, latest, benchmarks.get(city), same_area=city == area["code"]).label,
            "ward_value": _shown(indicator, benchmarks.get(ward), viewer),
            "city_value": _shown(indicator, benchmarks.get(city), viewer),
            "sparkline": _sparkline(series, as_of_end, indicator, viewer),
            "suppressed": judged["suppressed"], "has_target": target_row is not None,
            "narrative": _narrative(indicator, area, judged, target_row),
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


def _shown(indicator: dict, row: pd.Series | None, viewer: Viewer) -> str:
    return "—" if row is None else display_value(indicator, row["value"], row["numerator"], viewer)[0]


def _benchmarks_at(engine: Engine, indicator: dict, latest: pd.Series | None, codes: list[str]) -> dict:
    if latest is None or not codes or indicator["collection_geography"] != "lsoa":
        return {}
    frame = series_for(engine, indicator, codes, period_start=latest["period_start"])
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


PROGRAMME_COLUMNS = [
    "area_code", "area_name", "ward_name", "theme", "indicator_code", "indicator", "period", "value", "expected",
    "target", "rag", "rag_label", "rag_reason", "direction", "commentary",
]


def programme_status(engine: Engine, as_of: date, viewer: Viewer = PUBLIC) -> pd.DataFrame:
    """Every target of every locality's plan judged at ``as_of`` (a month). Columns: PROGRAMME_COLUMNS."""
    as_of_end = month_end(as_of)
    targets = queries.targets_for(engine)
    if targets.empty:
        return pd.DataFrame(columns=PROGRAMME_COLUMNS)
    catalogue = indicator_lookup(engine)
    places = queries.localities(engine).set_index("code")
    notes = queries.commentary_for(engine, targets["area_code"].unique().tolist())
    rows = []
    for code, group in targets.groupby("indicator_code"):
        indicator = catalogue[code]
        series = series_for(engine, indicator, group["area_code"].unique().tolist())
        for target_row in group.to_dict("records"):
            area_series = series[series["area_code"] == target_row["area_code"]]
            judged = assess(indicator, area_series, target_row, as_of_end, viewer)
            rag: Rag = judged["rag"].rag
            latest, expected = judged["latest"], judged["rag"].expected
            place = places.loc[target_row["area_code"]]
            rows.append({
                "area_code": target_row["area_code"], "area_name": place["name"], "ward_name": place["ward_name"],
                "theme": indicator["theme"], "indicator_code": code, "indicator": indicator["name"],
                "period": "—" if latest is None else latest["label"], "value": judged["shown"],
                "expected": "—" if expected is None else format_value(expected, unit=indicator["unit"]),
                "target": target_label(indicator, judged["target"]), "rag": rag.value,
                "rag_label": f"{rag.symbol} {rag.label}", "rag_reason": judged["rag"].reason,
                "direction": direction_for(indicator, area_series, as_of_end),
                "commentary": _latest_note(notes, target_row["area_code"], code, as_of_end),
            })
    frame = pd.DataFrame(rows, columns=PROGRAMME_COLUMNS)
    return frame.sort_values(["area_name", "theme", "indicator"], ignore_index=True)


def _latest_note(notes: pd.DataFrame, area_code: str, indicator_code: str, as_of_end: date) -> str:
    mine = notes[(notes["area_code"] == area_code) & (notes["indicator_code"] == indicator_code)]
    mine = mine[mine["period_start"].isna() | (mine["period_start"] <= as_of_end)]
    if mine.empty:
        return ""
    note = mine.iloc[0]
    return f"{note['text']} ({note['author']})"


def mask_small_numbers(series: pd.DataFrame, indicator: dict, viewer: Viewer) -> tuple[pd.DataFrame, int]:
    """Blank the points a viewer may not see (disclosure control); returns the series and how many."""
    if not indicator["disclosure_control"] or viewer.sees_small_numbers or series.empty:
        return series, 0
    hidden = [display_value(indicator, v, n, viewer)[1] for v, n in zip(series["value"], series["numerator"],
                                                                          strict=True)]
    masked = series.copy()
    columns = ["value", "numerator", "lower", "upper", "rate", "rate_lower", "rate_upper"]
    masked.loc[hidden, columns] = None
    return masked, int(sum(hidden))


@dataclass(frozen=True)
class TrendView:
    """Everything one indicator's trend chart and its table alternative need."""

    indicator: dict
    locality: pd.DataFrame
    benchmarks: list[tuple[str, str, pd.DataFrame]]
    target: Target | None
    trajectory: pd.DataFrame | None
    events: pd.DataFrame
    hidden_points: int
    verdicts: list[str]


def trend_view(engine: Engine, area: dict, indicator_code: str, viewer: Viewer = PUBLIC, *,
               until: date | None = None) -> TrendView:
    """The trend as it stood at ``until`` (a date; all periods when None): later values, events and
    verdicts are left out, so the page and the printed snapshot for a month agree."""
    indicator = indicator_lookup(engine)[indicator_code]
    codes = [area["code"]] + [c for c in (area.get("ward_code"), area.get("city_code")) if c and c != area["code"]]
    if indicator["collection_geography"] != "lsoa":
        codes = [area["code"]]
    series = series_for(engine, indicator, codes)
    if until is not None:
        series = series[series["period_end"] <= until]
    mine, hidden = mask_small_numbers(series[series["area_code"] == area["code"]], indicator, viewer)
    benchmarks = []
    for kind, code, name in (("ward", area.get("ward_code"), area.get("ward_name")),
                             ("city", area.get("city_code"), "Leeds")):
        if code and code != area["code"] and (series["area_code"] == code).any():
            other, _ = mask_small_numbers(series[series["area_code"] == code], indicator, viewer)
            label = f"{name} ({kind})" if kind == "ward" else name
            if indicator["unit"] == "count":
                other, label = _at_benchmark_rate(mine, other), f"At the {label} rate"
            benchmarks.append((kind, label, other))
    targets = queries.targets_for(engine, [area["code"]])
    target_rows = targets[targets["indicator_code"] == indicator_code].to_dict("records")
    target = target_from(target_rows[-1]) if target_rows else None  # the newest plan's, as in the scorecard
    trajectory = None
    if target is not None and not mine.empty:
        trajectory = trajectory_points(target, start=mine["period_start"].min(), end=mine["period_end"].max())
    events = queries.events_for(engine, codes)
    if until is not None:
        events = events[events["event_date"] <= until]
    if not mine.empty:
        events = events[(events["event_date"] >= mine["period_start"].min())
                        & (events["event_date"] <= mine["period_end"].max())]
    verdicts = _verdicts(indicator, mine, events) if hidden == 0 else [
        "Before-and-after comparisons are not shown because some values are suppressed (small numbers)."]
    return TrendView(indicator, mine, benchmarks, target, trajectory, events.reset_index(drop=True), hidden, verdicts)


def _at_benchmark_rate(mine: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """The count the locality would have at the benchmark's rate per resident, period by period.

    A ward's or the city's own count is tens or hundreds of times the locality's and would
    flatten its line; its rate applied to the locality's population is comparable.
    """
    rates = other.set_index("period_start")["rate"]
    expected = mine.assign(value=mine["period_start"].map(rates) / COUNT_RATE_PER * mine["denominator"])
    return expected[["period_start", "period_end", "label", "value"]]


def _verdicts(indicator: dict, series: pd.DataFrame, events: pd.DataFrame) -> list[str]:
    held = series[series["value"].notna()]
    verdicts = []
    for event in events.itertuples():
        result = before_after(values=held["value"].tolist(), dates=held["period_start"].tolist(),
                              event_date=event.event_date, polarity=indicator["polarity"],
                              frequency=indicator["frequency"])
        verdicts.append(f"**{event.title}** ({format_date(event.event_date)}): {result.verdict}")
    return verdicts


@dataclass(frozen=True)
class SpcView:
    dates: list[date]
    values: list[float]
    result: object
    assurance: str | None


def spc_view(view: TrendView, as_of_end: date, months: int = 36) -> SpcView | None:
    """XmR view of the last ``months`` monthly values up to ``as_of_end``; None when not applicable."""
    if view.indicator["frequency"] != Frequency.MONTHLY or view.hidden_points:
        return None
    held = view.locality[(view.locality["period_end"] <= as_of_end) & view.locality["value"].notna()].tail(months)
    if len(held) < 12:
        return None
    result = xmr(values=held["value"].tolist(), polarity=view.indicator["polarity"])
    assurance = None
    if view.target is not None:
        assurance = target_assurance(spc=result, target=expected_value_at(target=view.target, on=as_of_end),
                                     polarity=view.indicator["polarity"])
    return SpcView(held["period_start"].tolist(), held["value"].tolist(), result, assurance)


@dataclass(frozen=True)
class MatrixCell:
    text: str
    rag: str  # a ``Rag`` value, or "none" where the locality has no target in the theme


@dataclass(frozen=True)
class MatrixRow:
    code: str
    locality: str
    ward: str
    cells: list[MatrixCell]
    overall: MatrixCell


def theme_matrix(status: pd.DataFrame, codes: Sequence[str]) -> tuple[list[str], list[MatrixRow]]:
    """One row per locality (in ``codes`` order) and one cell per theme: the worst status with counts."""
    themes = sorted(status["theme"].unique())
    rows = []
    for code in codes:
        group = status[status["area_code"] == code]
        if group.empty:
            continue
        cells = []
        for theme in themes:
            rags = group.loc[group["theme"] == theme, "rag"].tolist()
            cells.append(MatrixCell(cell_text(rags), worst_rag(rags).value if rags else "none"))
        rows.append(MatrixRow(code, group["area_name"].iloc[0], group["ward_name"].iloc[0], cells,
                              MatrixCell(cell_text(group["rag"]), worst_rag(group["rag"]).value)))
    return themes, rows
