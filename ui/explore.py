"""Values of one indicator across many areas at one period: league tables and maps.

No Streamlit here. Disclosure control is applied for viewers: small counts show as "<5",
and where the parts of a shown total could give a hidden part away, the next smallest part
is hidden too (``metrics.suppress.suppress_counts``).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from db import queries
from metrics.enums import Polarity
from metrics.formatting import format_value
from metrics.suppress import CONFIDENTIAL_MARKER, suppress_counts
from ui.scorecards import PUBLIC, Viewer, compare, display_value, indicator_lookup, month_end, series_for

WITHHELD = "Ward level only"
AREA_COLUMNS = ["code", "name", "parent_name", "period", "period_start", "value", "lower", "upper", "numerator",
                "shown", "hidden", "rank", "vs_city"]


def latest_period_start(engine: Engine, indicator_code: str, as_of: date) -> date | None:
    """Start of the newest period of the indicator that ends on or before the end of ``as_of``."""
    periods = queries.indicator_periods(engine, indicator_code)
    held = periods[periods["period_end"] <= month_end(as_of)]
    return None if held.empty else held["period_start"].iloc[0]


def area_values(engine: Engine, indicator: dict, area_type: str, as_of: date, viewer: Viewer = PUBLIC,
                *, within: list[str] | None = None, per_resident: bool = False) -> pd.DataFrame:
    """One row per area of ``area_type`` (or the LSOAs ``within`` given areas) at the latest period.

    Columns: AREA_COLUMNS. ``rank`` is 1 for the best value (by polarity; largest first for
    no judgement); ``vs_city`` compares each area's interval with the city value. With
    ``per_resident`` a count is shown as its rate per 1,000 residents (what comparisons use),
    so areas of different sizes can be ranked fairly; small counts stay hidden from viewers.
    """
    start = latest_period_start(engine, indicator["code"], as_of)
    if start is None:
        return pd.DataFrame(columns=AREA_COLUMNS)
    places = queries.areas_by_type(engine, area_type)
    if within is not None:
        codes = set(queries.lsoas_of(engine, within)["code"])
        places = places[places["code"].isin(codes)]
    values = series_for(engine, indicator, None if within is None else list(places["code"]), area_type=area_type,
                        period_start=start)
    city = series_for(engine, indicator, [queries.city_code(engine)], period_start=start)
    city_row = None if city.empty else city.iloc[0]
    frame = places.merge(values, left_on="code", right_on="area_code", how="inner")
    if frame.empty:
        return pd.DataFrame(columns=AREA_COLUMNS)
    frame["period"] = frame["label"]
    frame = _disclose(frame, indicator, viewer, area_type=area_type, city_row=city_row)
    if per_resident and indicator["unit"] == "count":
        frame["value"], frame["lower"], frame["upper"] = frame["rate"], frame["rate_lower"], frame["rate_upper"]
        frame["shown"] = [text if hidden else format_value(v, unit="rate_per_1000")
                          for text, hidden, v in zip(frame["shown"], frame["hidden"], frame["value"], strict=True)]
    visible = ~frame["hidden"]
    frame["rank"] = frame["value"].where(visible).rank(
        ascending=indicator["polarity"] == Polarity.LOWER_IS_BETTER, method="min").astype("Int64")
    frame["vs_city"] = [compare(indicator, row, city_row, same_area=False).label if show else "Not compared"
                        for show, (_, row) in zip(visible, frame.iterrows(), strict=True)]
    return frame[AREA_COLUMNS].sort_values("rank", ignore_index=True, na_position="last")


def _disclose(frame: pd.DataFrame, indicator: dict, viewer: Viewer, *, area_type: str,
              city_row: pd.Series | None) -> pd.DataFrame:
    """What a viewer may see of a breakdown, under disclosure control.

    LSOAs sit inside wards, neighbourhoods, custom localities and the city, each with a shown total,
    so no breakdown of them can be protected against every subtraction: viewers do not see LSOA
    values of small-number indicators at all. For wards (which partition the city), small
    numerators are hidden and, where exactly one would be and the city total is shown, the next
    smallest too. A hidden row loses its value, interval and rank, since a rate and its interval
    give the count back.
    """
    shown = [display_value(indicator, v, n, viewer) for v, n in zip(frame["value"], frame["numerator"], strict=True)]
    frame = frame.assign(shown=[text for text, _ in shown], hidden=[hidden for _, hidden in shown])
    if not indicator["disclosure_control"] or viewer.sees_small_numbers:
        return frame
    if area_type == "lsoa":
        hidden = pd.Series(True, index=frame.index)
        frame["shown"] = WITHHELD
    else:
        total = None if city_row is None else city_row["numerator"]
        parts = suppress_counts(counts=dict(zip(frame["code"], frame["numerator"], strict=True)), total=total)
        secondary = frame["code"].map(parts).eq(CONFIDENTIAL_MARKER) & ~frame["hidden"]
        frame.loc[secondary, "shown"] = CONFIDENTIAL_MARKER
        hidden = frame["hidden"] | secondary
    frame["hidden"] = hidden
    blank = ["value", "lower", "upper", "numerator", "denominator", "rate", "rate_lower", "rate_upper"]
    frame.loc[hidden, blank] = None
    return frame


def city_value(engine: Engine, indicator: dict, as_of: date, viewer: Viewer = PUBLIC, *,
               per_resident: bool = False) -> str:
    """The city's value at the latest period, as text (its rate per 1,000 residents with ``per_resident``)."""
    start = latest_period_start(engine, indicator["code"], as_of)
    if start is None or indicator["collection_geography"] != "lsoa":
        return "—"
    city = series_for(engine, indicator, [queries.city_code(engine)], period_start=start)
    if city.empty:
        return "—"
    row = city.iloc[0]
    if per_resident and indicator["unit"] == "count":
        return format_value(row["rate"], unit="rate_per_1000")
    return display_value(indicator, row["value"], row["numerator"], viewer)[0]


def compared_unit(indicator: dict) -> str:
    """The unit comparisons are made in: a count becomes a rate per 1,000 residents."""
    return "rate_per_1000" if indicator["unit"] == "count" else indicator["unit"]


def _rate_cells(indicator: dict, row: pd.Series | None, viewer: Viewer) -> tuple[str, str, str, bool]:
    """(figure compared, its 95% interval, the count or value as published, hidden) for one area."""
    if row is None:
        return "—", "", "—", True
    shown, hidden = display_value(indicator, row["value"], row["numerator"], viewer)
    if hidden or pd.isna(row["rate"]):
        return (shown if hidden else "—"), "", shown, hidden
    unit = compared_unit(indicator)
    interval = ("" if pd.isna(row["rate_lower"]) or pd.isna(row["rate_upper"]) else
                f"{format_value(row['rate_lower'], unit=unit)} to {format_value(row['rate_upper'], unit=unit)}")
    return format_value(row["rate"], unit=unit), interval, shown, False


def ward_comparison(engine: Engine, ward_codes: list[str], names: dict[str, str], as_of: date,
                    viewer: Viewer = PUBLIC) -> pd.DataFrame:
    """The chosen wards and Leeds side by side: one row per indicator collected by LSOA, at its latest
    period on or before ``as_of`` (a month).

    Columns: Indicator, Period, then per ward ``<ward>`` (the figure the verdict is made on: a rate
    per 1,000 residents for counts, else the value), ``<ward> 95% interval``, ``<ward> vs Leeds``
    (Better / Similar / Worse / Not compared), ``<ward> as published`` (the count or value); then
    Leeds and ``Leeds 95% interval``. Values hidden by disclosure control show their marker and are
    not compared.
    """
    city = queries.city_code(engine)
    rows = []
    for code, indicator in indicator_lookup(engine).items():
        start = latest_period_start(engine, code, as_of)
        if start is None or indicator["collection_geography"] != "lsoa":
            continue
        held = series_for(engine, indicator, [*ward_codes, city], period_start=start)
        by_area = {row["area_code"]: row for _, row in held.iterrows()}
        city_row = by_area.get(city)
        if city_row is None:
            continue
        row = {"Indicator": indicator["name"], "Period": city_row["label"]}
        for ward in ward_codes:
            figure, interval, published, hidden = _rate_cells(indicator, by_area.get(ward), viewer)
            verdict = "Not compared" if hidden else compare(indicator, by_area.get(ward), city_row,
                                                            same_area=False).label
            row |= {names[ward]: figure, f"{names[ward]} 95% interval": interval,
                    f"{names[ward]} vs Leeds": verdict, f"{names[ward]} as published": published}
        figure, interval, _, _ = _rate_cells(indicator, city_row, viewer)
        rows.append(row | {"Leeds": figure, "Leeds 95% interval": interval})
    return pd.DataFrame(rows)


def city_reference(engine: Engine, indicator: dict, as_of: date, viewer: Viewer = PUBLIC, *,
                   per_resident: bool = False) -> float | None:
    """The city's value at the latest period as a number for a chart's reference line (its rate per
    1,000 residents with ``per_resident``); None where there is none or it is hidden from ``viewer``."""
    start = latest_period_start(engine, indicator["code"], as_of)
    if start is None or indicator["collection_geography"] != "lsoa":
        return None
    city = series_for(engine, indicator, [queries.city_code(engine)], period_start=start)
    if city.empty or display_value(indicator, city.iloc[0]["value"], city.iloc[0]["numerator"], viewer)[1]:
        return None
    value = city.iloc[0]["rate" if per_resident and indicator["unit"] == "count" else "value"]
    return None if pd.isna(value) else float(value)
