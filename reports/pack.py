"""The Board pack: a programme summary for the chosen localities, then each locality's snapshot.

The summary is ``views.programme.programme_status`` (the overview page's call) cut down to the
chosen localities: headline counts, the locality-by-theme matrix and the exceptions (red targets).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from db import queries
from metrics.actions import PlanRollup
from metrics.enums import Rag
from metrics.rollup import rag_counts
from reports.snapshot import Snapshot, check_localities, check_period, gather_snapshot, locality_codes
from reports.sources import ReportSources
from views.plans import actions_with_status, rollup_of, today
from views.programme import MatrixRow, programme_status, theme_matrix
from views.scorecards import PUBLIC, Viewer


@dataclass(frozen=True)
class ProgrammeSummary:
    as_of: date
    produced: date
    viewer: Viewer
    codes: list[str]
    names: dict[str, str]
    themes: list[str]
    matrix: list[MatrixRow]
    exceptions: pd.DataFrame
    target_counts: dict[Rag, int]
    targets: int
    action_rollup: PlanRollup
    sources: ReportSources = field(default_factory=lambda: ReportSources([]), compare=False, repr=False)

    @property
    def period_label(self) -> str:
        return f"{self.as_of:%B %Y}"


def gather_summary(engine: Engine, codes: Sequence[str] | None = None, *, as_of: date | None = None,
                   viewer: Viewer = PUBLIC, on: date | None = None) -> ProgrammeSummary:
    """The programme summary page for ``codes`` (every locality when None) at the month ``as_of``."""
    names = locality_codes(engine)
    codes = list(names) if not codes else list(dict.fromkeys(codes))
    check_localities(engine, codes)
    as_of = check_period(engine, as_of)
    on = on or today()
    places = queries.localities(engine).set_index("code")  # the summary judges every locality's targets
    sources = ReportSources(names, benchmarks=[*places.loc[codes, "ward_code"], queries.city_code(engine)])
    status = programme_status(engine, as_of, viewer, series=sources.series, figures=sources.figures)
    status = status[status["area_code"].isin(codes)].reset_index(drop=True)
    actions = actions_with_status(engine, codes, on)
    themes, matrix = theme_matrix(status, codes)
    return ProgrammeSummary(
        as_of=as_of, produced=on, viewer=viewer, codes=codes, names={c: names[c] for c in codes}, themes=themes,
        matrix=matrix, exceptions=status[status["rag"] == Rag.RED.value].reset_index(drop=True),
        target_counts=rag_counts(status["rag"]), targets=len(status),
        action_rollup=rollup_of(actions), sources=sources,
    )


def gather_snapshots(engine: Engine, summary: ProgrammeSummary) -> Iterator[Snapshot]:
    """Each chosen locality's snapshot, one at a time (so charts can be drawn while the next is read),
    each indicator read once for the whole pack (``summary.sources``)."""
    for code in summary.codes:
        yield gather_snapshot(engine, code, as_of=summary.as_of, viewer=summary.viewer, on=summary.produced,
                              sources=summary.sources)
