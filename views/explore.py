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
    ``basis`` names it ('2011', '2021', or None for an indicator not collected by LSOA). LSOAs are
    always those of the district (the city's, unless ``within`` names areas of it), whatever else
    the store holds.
    """
    start = latest_period_start(engine, indicator["code"], as_of)
    if start is None:
        return pd.DataFrame(columns=AREA_COLUMNS)
    if area_type == "lsoa" and within is None:
        within = [queries.city_code(engine)]
    places = queries.areas_by_type(engine, area_type, within=within).drop(columns="basis")
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
    frame["shown"] = one_precision(frame, unit="rate_per_1000" if per_resident and indicator["unit"] == "count"
                                    else indicator["unit"])
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


UNIT_WORDS = {"rate_per_1000": "per 1,000", "percent": "%", "rate_per_10000": "per 10,000",
              "rate_per_100000": "per 100,000"}
# The verdict ends the row, next to the rates it is made on; the counts as published come before them.
COMPARISON_COLUMNS = ["Indicator", "Period", "Ward", "Count", "Leeds count", "Unit", "Figure", "95% interval", "Leeds",
                      "vs Leeds"]


def _rate_cells(indicator: dict, row: pd.Series | None) -> tuple[float | None, float | None, float | None, str, str]:
    """(figure compared, interval lower, interval upper, the count as published, text shown instead) for
    one area's disclosed row (``views.scorecards.disclose``), figures in ``compared_unit``. The count is
    empty for an indicator that is not a count (its figure is the value as published); the text shown
    instead is the marker of a hidden value ("<5", "[c]"), "—" for none, else empty."""
    if row is None:
        return None, None, None, "", "—"
    shown, hidden = row["shown"], bool(row["hidden"])
    count = shown if indicator["unit"] == "count" or hidden else ""
    if hidden or pd.isna(row["rate"]):
        return None, None, None, count, (shown if hidden else "—")
    lower, upper = (None, None) if pd.isna(row["rate_lower"]) or pd.isna(row["rate_upper"]) else (
        float(row["rate_lower"]), float(row["rate_upper"]))
    return float(row["rate"]), lower, upper, count, ""


def shared_decimals(*values: float | None) -> int:
    """Decimals that let figures read side by side share one precision: two when any non-zero figure
    is under 1 (so 0.67 does not read 0.7 beside 1.5), else one.

    Example: ``shared_decimals(0.672, 1.0, None)`` is 2; ``shared_decimals(2.2, 0.0, 12.5)`` is 1.
    """
    return 2 if any(v is not None and 0 < abs(v) < 1 for v in values) else 1


def one_precision(frame: pd.DataFrame, *, unit: str) -> list[str]:
    """The ``shown`` column (a list of str, one per row of ``frame``, which needs ``value``, ``hidden`` and
    ``shown``) with every visible figure to one precision (``shared_decimals``) in ``unit``'s words, so a
    column of values does not read 0.0, 0.465, 0.63. Hidden figures keep their text; counts stay whole.

    Example: values 0.0, 0.465 and 0.63 per 1,000 read '0.00 per 1,000', '0.47 per 1,000', '0.63 per 1,000'.
    """
    if unit == "count":
        return frame["shown"].tolist()
    visible = ~frame["hidden"] & frame["value"].notna()
    places = shared_decimals(*frame.loc[visible, "value"].astype(float))
    suffix = format_value(0.0, unit=unit).removeprefix("0.0")  # the unit's words: "%", " per 1,000"
    return [f"{value:,.{places}f}{suffix}" if show else text
            for text, show, value in zip(frame["shown"], visible, frame["value"], strict=True)]


def _ward_rows(indicator: dict, ward_codes: list[str], names: dict[str, str], by_area: dict, city_row) -> list[dict]:
    """The rows of one indicator, every figure in it to one precision (``shared_decimals``)."""
    cells = {ward: _rate_cells(indicator, by_area.get(ward)) for ward in ward_codes}
    leeds, _, _, leeds_count, leeds_instead = _rate_cells(indicator, city_row)
    places = shared_decimals(leeds, *(v for figure, lower, upper, *_ in cells.values() for v in (figure, lower, upper)))

    def text(value: float) -> str:  # not format_number: its figures under 1 keep three digits
        return f"{value:,.{places}f}"

    rows = []
    for ward, (figure, lower, upper, count, instead) in cells.items():
        verdict = "Not compared" if instead else compare(indicator, by_area.get(ward), city_row, same_area=False).label
        rows.append({"Indicator": indicator["name"], "Period": city_row["label"], "Ward": names[ward], "Count": count,
                     "Leeds count": leeds_count, "Unit": UNIT_WORDS[compared_unit(indicator)],
                     "Figure": instead or text(figure),
                     "95% interval": "" if lower is None else f"{text(lower)} to {text(upper)}",
                     "Leeds": leeds_instead or text(leeds), "vs Leeds": verdict})
    return rows


def ward_comparison(engine: Engine, ward_codes: list[str], names: dict[str, str], as_of: date,
                    viewer: Viewer = PUBLIC, *, figures: FiguresSource = published_figures) -> pd.DataFrame:
    """The chosen wards against Leeds in one long table, narrow enough for a laptop screen with six
    wards: one row per indicator (collected by LSOA or by ward) and ward, in ``ward_codes`` order, at
    the indicator's latest period on or before ``as_of`` (a month).

    Columns: COMPARISON_COLUMNS. ``Figure`` (the ward's) and ``Leeds`` are the figures the verdict is
    made on, in ``Unit`` (a count becomes a rate per 1,000 residents, else the indicator's unit), as
    text to one precision per indicator; ``95% interval`` is the ward's; ``vs Leeds`` is Better /
    Similar / Worse / Not compared; ``Count`` and ``Leeds count`` are the counts as published (empty
    for other units). An
    indicator collected for wards is compared with the city's own published row. Values hidden by
    disclosure control show their marker ("<5", "[c]") and are not compared.
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
        rows += _ward_rows(indicator, ward_codes, names, by_area, city_row)
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


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
