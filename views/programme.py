"""The programme at a glance: every target of every locality's plan judged at one month, the
locality-by-theme matrix the overview and the Board pack both show, with short theme labels so it
fits a laptop screen, and one card per red target saying why it is red. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from db import queries
from metrics.enums import Rag
from metrics.rollup import NO_TARGETS_TEXT, cell_text, worst_rag
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
                     wards: Sequence[str] | None = None,
                     series: SeriesSource = series_for_many,
                     figures: FiguresSource = published_figures) -> pd.DataFrame:
    """Every target of every locality's plan judged at ``as_of`` (a month). Columns: PROGRAMME_COLUMNS.

    ``wards`` (codes) keeps the targets of the localities in those wards only: the same rows as the
    whole programme's for them, without judging the rest (a ward's page shows its own neighbourhoods).

    ``series`` supplies the series of many indicators at once (``scorecards.series_for_many``; the app
    passes a cached one: series do not depend on the month),
    ``figures`` the disclosure decision that hides small numbers from ``viewer``.
    """
    as_of_end = month_end(as_of)
    targets = queries.targets_for(engine)
    places = queries.localities(engine).set_index("code")
    if wards is not None:
        targets = targets[targets["area_code"].map(places["ward_code"]).isin(list(wards))]
    if targets.empty:
        return pd.DataFrame(columns=PROGRAMME_COLUMNS)
    catalogue = indicator_lookup(engine)
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
    text: str  # the worst status with the count of each ("✗ Red (1 red, 1 green)"), or "–"
    rag: str  # a ``Rag`` value, or "none" where the locality has no target in the theme
    short: str = NO_TARGETS_TEXT  # the worst status alone, narrow enough for a screen column ("✗ Red")


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
            cells.append(MatrixCell(cell_text(rags), worst_rag(rags).value if rags else "none", short_cell_text(rags)))
        rows.append(MatrixRow(code, group["area_name"].iloc[0], group["ward_name"].iloc[0], cells,
                              MatrixCell(cell_text(group["rag"]), worst_rag(group["rag"]).value,
                                         short_cell_text(group["rag"]))))
    return themes, rows


# Words that fit a column about 75 px wide; "Green", "Amber" and "Red" already do.
_SHORT_RAG_WORDS = {Rag.NOT_ASSESSED: "N/A", Rag.CANNOT_TELL: "Close"}


def short_cell_text(statuses: Sequence[str]) -> str:
    """The worst status as symbol and a word of at most five letters, "–" when there is none.

    Example: ``short_cell_text(["amber", "green"])`` is ``"! Amber"``; ``["not_assessed"]`` gives
    ``"– N/A"``; ``["cannot_tell"]`` gives ``"? Close"`` (too close to call); ``[]`` gives ``"–"``.
    """
    statuses = list(statuses)
    if not statuses:
        return NO_TARGETS_TEXT
    worst = worst_rag(statuses)
    return f"{worst.symbol} {_SHORT_RAG_WORDS.get(worst, worst.label)}"


# The short label of a theme, keyed by the first word of its name (lower case). Themes not listed
# take their first word, cut to LONGEST_SHORT_LABEL letters.
_THEME_SHORT = {
    "anti-social": "ASB", "antisocial": "ASB", "asb": "ASB", "crime": "Crime", "safety": "Safety",
    "community": "Engage", "engagement": "Engage", "employment": "Jobs", "jobs": "Jobs", "economy": "Jobs",
    "children": "Family", "families": "Family", "family": "Family", "health": "Health", "housing": "Housing",
    "inclusion": "Inclusion", "education": "Learning", "environment": "Environs",
}
LONGEST_SHORT_LABEL = 9


def short_theme_labels(themes: Sequence[str]) -> list[str]:
    """A short column label per theme name, in the same order, all different.

    "Community engagement and influence" -> "Engage", "Children and families" -> "Family",
    "Employment and skills" -> "Jobs"; an unknown theme takes its first word ("Transport links" ->
    "Transport"), cut to ``LONGEST_SHORT_LABEL`` letters. Where two themes would share a label, the
    later ones get " 2", " 3"... so no column is lost. The full name belongs in the column's tooltip.
    """
    labels: list[str] = []
    for theme in themes:
        words = theme.split()
        first = words[0] if words else "Theme"
        label = _THEME_SHORT.get(first.lower().strip(",:;"), first[:LONGEST_SHORT_LABEL].capitalize())
        candidate, n = label, 2
        while candidate in labels:
            candidate, n = f"{label} {n}", n + 1
        labels.append(candidate)
    return labels


CARDS_AT_A_GLANCE = 12  # red cards shown before the rest go into a "more" section


@dataclass(frozen=True)
class RedCard:
    """What the Board needs to read about one red target, as plain text (escape before Markdown).

    ``value``, ``expected`` and ``target`` are formatted with their unit ("47.7%", "11 by 31 Mar 2025"),
    ``why`` is the RAG reason as one sentence, ``trend`` the direction of travel, ``commentary`` the
    officer's latest note with its author ("" when there is none).
    """

    area_code: str
    locality: str
    indicator: str
    theme: str
    period: str
    value: str
    expected: str
    target: str
    why: str
    trend: str
    commentary: str


RED_CARD_ORDER = "by locality, then indicator"


def red_cards(status: pd.DataFrame) -> list[RedCard]:
    """One card per red target of ``status`` (PROGRAMME_COLUMNS), ordered by locality then indicator
    (``RED_CARD_ORDER``). Values hidden by disclosure control are never red, so no card shows one.
    """
    red = status[status["rag"] == Rag.RED.value].sort_values(["area_name", "indicator"], kind="stable")
    return [
        RedCard(
            area_code=row["area_code"], locality=row["area_name"], indicator=row["indicator"], theme=row["theme"],
            period=str(row["period"]), value=str(row["value"]), expected=str(row["expected"]),
            target=str(row["target"]), why=_sentence(row["rag_reason"]), trend=str(row["direction"]),
            commentary="" if pd.isna(row["commentary"]) else str(row["commentary"]),
        )
        for row in red.to_dict("records")
    ]


def _sentence(text: object) -> str:
    words = str(text or "").strip()
    return words if not words or words.endswith((".", "!", "?")) else f"{words}."
