"""Values of one indicator across many areas at one period: league tables and maps.

No Streamlit here. Disclosure control is applied for viewers from the one decision per indicator
and period (``db.disclosure.published_figures``): a small count shows as "<5", an area hidden so
that a small count cannot be worked out by subtraction as "[c]", LSOAs as "Ward level only".
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from db import queries
from db.disclosure import published_figures
from metrics.disclosure import WITHHELD_TEXT
from metrics.enums import Polarity
from metrics.formatting import format_value
from views.scorecards import (
    PUBLIC,
    FiguresSource,
    Viewer,
    compare,
    disclose,
    indicator_lookup,
    month_end,
    series_for,
    series_for_many,
)

WITHHELD = WITHHELD_TEXT
AREA_COLUMNS = ["code", "name", "parent_name", "period", "period_start", "value", "lower", "upper", "numerator",
                "shown", "hidden", "rank", "vs_city", "imd_decile", "imd_rank", "imd2025_decile", "imd2025_rank",
                "basis"]


def latest_period_start(engine: Engine, indicator_code: str, as_of: date) -> date | None:
    """Start of the newest period of the indicator that ends on or before the end of ``as_of``."""
    return queries.latest_period_starts(engine, month_end(as_of)).get(indicator_code)


def area_values(engine: Engine, indicator: dict, area_type: str, as_of: date, viewer: Viewer = PUBLIC,
                *, within: list[str] | None = None, per_resident: bool = False,
                figures: FiguresSource = published_figures) -> pd.DataFrame:
    """One row per area of ``area_type`` (or the LSOAs ``within`` given areas) at the latest period.

    Columns: AREA_COLUMNS. ``rank`` is 1 for the best value (by polarity; largest first for
    no judgement); ``vs_city`` compares each area's interval with the city value. With
    ``per_resident`` a count is shown as its rate per 1,000 residents (what comparisons use),
    so areas of different sizes can be ranked fairly. A row hidden from ``viewer`` by the disclosure
    decision (``figures``) keeps only its text (``shown``): no value, interval, rank or comparison.
    ``imd_decile``/``imd_rank`` (IMD 2019) and ``imd2025_decile``/``imd2025_rank``
    (IoD2025) are an LSOA's national decile and rank on the basis that has them, else empty. LSOAs are
    those of the census basis the period was reported on (2021 LSOAs from April 2021, 2011 LSOAs before);
    ``basis`` names it ('2011', '2021', or None for an indicator not collected by LSOA).
    """
    start = latest_period_start(engine, indicator["code"], as_of)
    if start is None:
        return pd.DataFrame(columns=AREA_COLUMNS)
    places = queries.areas_by_type(engine, area_type).drop(columns="basis")
    basis = queries.period_basis(engine, indicator["code"], start)
    if within is not None:  # the LSOAs of the census basis the period was reported on
        codes = set(queries.lsoas_of(engine, within, basis=basis or queries.CURRENT_BASIS)["code"])
        places = places[places["code"].isin(codes)]
    values = series_for(engine, indicator, None if within is None else list(places["code"]), area_type=area_type,
                        period_start=start)
    city = disclose(series_for(engine, indicator, [queries.city_code(engine)], period_start=start), indicator,
                    viewer, engine=engine, figures=figures)
    city_row = None if city.empty else city.iloc[0]
    values = disclose(values, indicator, viewer, engine=engine, figures=figures)
    frame = places.merge(values, left_on="code", right_on="area_code", how="inner")
    if frame.empty:
        return pd.DataFrame(columns=AREA_COLUMNS)
    frame["period"] = frame["label"]
    frame["basis"] = basis
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


def city_value(engine: Engine, indicator: dict, as_of: date, viewer: Viewer = PUBLIC, *,
               per_resident: bool = False, figures: FiguresSource = published_figures) -> str:
    """The city's value at the latest period, as text (its rate per 1,000 residents with ``per_resident``)."""
    start = latest_period_start(engine, indicator["code"], as_of)
    if start is None or indicator["collection_geography"] != "lsoa":
        return "—"
    city = series_for(engine, indicator, [queries.city_code(engine)], period_start=start)
    if city.empty:
        return "—"
    row = disclose(city, indicator, viewer, engine=engine, figures=figures).iloc[0]
    if per_resident and indicator["unit"] == "count" and not row["hidden"]:
        return format_value(row["rate"], unit="rate_per_1000")
    return row["shown"]


def compared_unit(indicator: dict) -> str:
    """The unit comparisons are made in: a count becomes a rate per 1,000 residents."""
    return "rate_per_1000" if indicator["unit"] == "count" else indicator["unit"]


def _rate_cells(indicator: dict, row: pd.Series | None) -> tuple[str, str, str, bool]:
    """(figure compared, its 95% interval, the count or value as published, hidden) for one area's
    disclosed row (``views.scorecards.disclose``)."""
    if row is None:
        return "—", "", "—", True
    shown, hidden = row["shown"], bool(row["hidden"])
    if hidden or pd.isna(row["rate"]):
        return (shown if hidden else "—"), "", shown, hidden
    unit = compared_unit(indicator)
    interval = ("" if pd.isna(row["rate_lower"]) or pd.isna(row["rate_upper"]) else
                f"{format_value(row['rate_lower'], unit=unit)} to {format_value(row['rate_upper'], unit=unit)}")
    return format_value(row["rate"], unit=unit), interval, shown, False


def ward_comparison(engine: Engine, ward_codes: list[str], names: dict[str, str], as_of: date,
                    viewer: Viewer = PUBLIC, *, figures: FiguresSource = published_figures) -> pd.DataFrame:
    """The chosen wards and Leeds side by side: one row per indicator collected by LSOA or by ward, at
    its latest period on or before ``as_of`` (a month).

    Columns: Indicator, Period, then per ward ``<ward>`` (the figure the verdict is made on: a rate
    per 1,000 residents for counts, else the value), ``<ward> 95% interval``, ``<ward> vs Leeds``
    (Better / Similar / Worse / Not compared), ``<ward> as published`` (the count or value); then
    Leeds, ``Leeds 95% interval`` and ``Leeds as published``. An indicator collected for wards is
    compared with the city's own published row. Values hidden by disclosure control show their marker
    and are not compared.
    """
    city = queries.city_code(engine)
    catalogue = indicator_lookup(engine)
    starts = queries.latest_period_starts(engine, month_end(as_of))
    # A neighbourhood's programme count has no ward or Leeds figure.
    starts = {code: start for code, start in starts.items()
              if code in catalogue and catalogue[code]["collection_geography"] in ("lsoa", "ward")}
    all_series = series_for_many(engine, [catalogue[code] for code in starts], [*ward_codes, city],
                                 period_starts=starts)
    rows = []
    for code, indicator in catalogue.items():
        if code not in starts:
            continue
        held = disclose(all_series[code], indicator, viewer, engine=engine, figures=figures)
        by_area = {row["area_code"]: row for _, row in held.iterrows()}
        city_row = by_area.get(city)
        if city_row is None:
            continue
        row = {"Indicator": indicator["name"], "Period": city_row["label"]}
        for ward in ward_codes:
            figure, interval, published, hidden = _rate_cells(indicator, by_area.get(ward))
            verdict = "Not compared" if hidden else compare(indicator, by_area.get(ward), city_row,
                                                            same_area=False).label
            row |= {names[ward]: figure, f"{names[ward]} 95% interval": interval,
                    f"{names[ward]} vs Leeds": verdict, f"{names[ward]} as published": published}
        figure, interval, published, _ = _rate_cells(indicator, city_row)
        rows.append(row | {"Leeds": figure, "Leeds 95% interval": interval, "Leeds as published": published})
    return pd.DataFrame(rows)


def city_reference(engine: Engine, indicator: dict, as_of: date, viewer: Viewer = PUBLIC, *,
                   per_resident: bool = False, figures: FiguresSource = published_figures) -> float | None:
    """The city's value at the latest period as a number for a chart's reference line (its rate per
    1,000 residents with ``per_resident``); None where there is none or it is hidden from ``viewer``."""
    start = latest_period_start(engine, indicator["code"], as_of)
    if start is None or indicator["collection_geography"] != "lsoa":
        return None
    city = disclose(series_for(engine, indicator, [queries.city_code(engine)], period_start=start), indicator,
                    viewer, engine=engine, figures=figures)
    if city.empty or bool(city.iloc[0]["hidden"]):
        return None
    value = city.iloc[0]["rate" if per_resident and indicator["unit"] == "count" else "value"]
    return None if pd.isna(value) else float(value)
