"""The programme at a glance: every target of every locality's plan judged at one month, and the
locality-by-theme matrix the overview and the Board pack both show. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from db import queries
from metrics.rollup import cell_text, worst_rag
from db.disclosure import published_figures
from views.scorecards import (
    PUBLIC,
    FiguresSource,
    SeriesSource,
    Viewer,
    assess,
    disclose,
    indicator_lookup,
    judged_fields,
    month_end,
    series_for_many,
)

PROGRAMME_COLUMNS = [
    "area_code", "area_name", "ward_name", "theme", "indicator_code", "indicator", "period", "value", "expected",
    "target", "rag", "rag_label", "rag_reason", "direction", "commentary",
]


def programme_status(engine: Engine, as_of: date, viewer: Viewer = PUBLIC, *,
                     series: SeriesSource = series_for_many,
                     figures: FiguresSource = published_figures) -> pd.DataFrame:
    """Every target of every locality's plan judged at ``as_of`` (a month). Columns: PROGRAMME_COLUMNS.

    ``series`` supplies the series of many indicators at once (``scorecards.series_for_many``; the app
    passes a cached one: series do not depend on the month),
    ``figures`` the disclosure decision that hides small numbers from ``viewer``.
    """
    as_of_end = month_end(as_of)
    targets = queries.targets_for(engine)
    if targets.empty:
        return pd.DataFrame(columns=PROGRAMME_COLUMNS)
    catalogue = indicator_lookup(engine)
    places = queries.localities(engine).set_index("code")
    notes = queries.commentary_for(engine, targets["area_code"].unique().tolist())
    # Every targeted indicator's series for every locality with a plan, in one read.
    all_series = series(engine, [catalogue[code] for code in targets["indicator_code"].unique()],
                        sorted(targets["area_code"].unique()))
    rows = []
    for code, group in targets.groupby("indicator_code"):
        indicator = catalogue[code]
        mine = all_series[code]
        mine = mine[mine["area_code"].isin(group["area_code"].unique())].reset_index(drop=True)
        held = disclose(mine, indicator, viewer, engine=engine, figures=figures)
        for target_row in group.to_dict("records"):
            area_series = held[held["area_code"] == target_row["area_code"]]
            judged = assess(indicator, area_series, target_row, as_of_end, viewer)
            place = places.loc[target_row["area_code"]]
            rows.append({
                "area_code": target_row["area_code"], "area_name": place["name"], "ward_name": place["ward_name"],
                "theme": indicator["theme"], "indicator_code": code, "indicator": indicator["name"],
                **judged_fields(indicator, judged, area_series, as_of_end),
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
