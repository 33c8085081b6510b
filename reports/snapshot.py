"""What a locality snapshot shows, gathered with the same calls the pages make.

The scorecard is ``views.scorecards.locality_scorecard`` for the same viewer, so every value, RAG
word and comparison in the PDF is the one the Locality profile page shows; trends are
``trend_view`` and actions ``actions_with_status``. Nothing here draws or formats for paper.

Example:
    >>> from db.store import open_store
    >>> snapshot = gather_snapshot(open_store(), "PN-NWORT")            # doctest: +SKIP
    >>> snapshot.area["name"], snapshot.period_label                     # doctest: +SKIP
    ('New Wortley', 'September 2026')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from db import queries
from db.disclosure import published_figures
from db.errors import NotFound
from metrics.actions import PlanRollup
from metrics.enums import Rag
from metrics.rollup import SEVERITY, rag_counts
from reports.errors import BadRequest
from reports.sources import ReportSources
from views.plans import actions_with_status, rollup_of, today
from views.scorecards import PUBLIC, Viewer, indicator_lookup, locality_context, locality_scorecard, month_end
from views.trends import TrendView, trend_view

KEY_CHARTS = 4


@dataclass(frozen=True)
class LocalityMap:
    """The LSOAs to draw (the ward's and the locality's) and which of them make up the locality."""

    lsoas: pd.DataFrame
    locality_lsoas: list[str]
    ward_boundary: str | None


@dataclass(frozen=True)
class Event:
    date: date
    title: str
    place: str


@dataclass(frozen=True)
class Snapshot:
    area: dict
    as_of: date
    produced: date
    viewer: Viewer
    scorecard: pd.DataFrame
    target_counts: dict[Rag, int]
    trends: list[TrendView]
    events: list[Event]
    map: LocalityMap
    actions: pd.DataFrame
    rollup: PlanRollup

    @property
    def period_label(self) -> str:
        return f"{self.as_of:%B %Y}"

    @property
    def narrative(self) -> list[str]:
        return [sentence for sentence in self.scorecard["narrative"] if sentence]

    @property
    def completeness_notes(self) -> list[str]:
        """'Hate incidents: 2 LSOAs suppressed at source' for each indicator whose latest value leaves
        something out, so the printed page says what the page says."""
        if "completeness" not in self.scorecard.columns:
            return []
        return [f"{row.indicator}: {row.completeness}" for row in self.scorecard.itertuples() if row.completeness]

    @property
    def targets(self) -> int:
        return int(self.scorecard["has_target"].sum())


def locality_codes(engine: Engine) -> dict[str, str]:
    """Code -> name of every locality a snapshot can be made for, sorted by name."""
    places = queries.localities(engine)
    return dict(zip(places["code"], places["name"], strict=True))


def check_localities(engine: Engine, codes: list[str]) -> None:
    """Raise ``BadRequest`` naming any code that is not a locality, with the codes that are."""
    known = locality_codes(engine)
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise BadRequest(f"Not a locality: {', '.join(unknown)}. Choose from {', '.join(known)}.")


def latest_month(engine: Engine) -> date:
    """The newest month any indicator has data for: the default period (as on the pages)."""
    latest = queries.latest_period_ends(engine)
    if latest.empty:
        raise BadRequest("The database holds no indicator data yet, so there is nothing to report.")
    return max(latest["latest_period_end"]).replace(day=1)


def check_period(engine: Engine, as_of: date | None) -> date:
    """The month to report on: ``as_of`` (any month up to the latest with data) or the latest."""
    latest = latest_month(engine)
    if as_of is None:
        return latest
    if as_of > latest:
        raise BadRequest(f"There is no data after {latest:%B %Y} (the period asked for was {as_of:%B %Y}).")
    first = queries.first_period_start(engine)
    if first is not None and as_of < first.replace(day=1):
        raise BadRequest(f"There is no data before {first:%B %Y} (the period asked for was {as_of:%B %Y}).")
    return as_of.replace(day=1)


def chart_order(scorecard: pd.DataFrame) -> list[str]:
    """Indicators in the order they earn a chart: targets first, the worst RAG first, then the rest
    in scorecard order."""
    order = {rag.value: rank for rank, rag in enumerate(SEVERITY)}
    ranked = scorecard.assign(
        _target=~scorecard["has_target"], _rank=scorecard["rag"].map(order), _row=range(len(scorecard))
    ).sort_values(["_target", "_rank", "_row"])
    return ranked["indicator_code"].tolist()


def key_trends(engine: Engine, area: dict, scorecard: pd.DataFrame, viewer: Viewer, as_of: date, *,
               sources: ReportSources | None = None, events: pd.DataFrame | None = None) -> list[TrendView]:
    """Up to ``KEY_CHARTS`` trends as at ``as_of``, skipping any with nothing the viewer may see.
    ``events`` are :func:`area_events` when already read. The indicators, the area's targets and its
    events are read once for all the trends."""
    figures = sources.figures if sources is not None else published_figures
    shared = dict(indicators=indicator_lookup(engine), targets=queries.targets_for(engine, [area["code"]]),
                  events=area_events(engine, area) if events is None else events)
    trends = []
    for indicator in chart_order(scorecard):
        view = trend_view(engine, area, indicator, viewer, until=month_end(as_of), figures=figures, **shared)
        if view.locality["value"].notna().any():
            trends.append(view)
        if len(trends) == KEY_CHARTS:
            break
    return trends


def area_events(engine: Engine, area: dict) -> pd.DataFrame:
    """Events on the locality, its ward and the city (``queries.events_for``), by date."""
    codes = [code for code in (area["code"], area.get("ward_code"), area.get("city_code")) if code]
    return queries.events_for(engine, list(dict.fromkeys(codes)))


def events_until(events: pd.DataFrame, as_of: date) -> list[Event]:
    """The :func:`area_events` up to the end of ``as_of``, by date: every event a trend chart can
    mark, numbered in this order on the printed charts."""
    held = events[events["event_date"] <= month_end(as_of)]
    return [Event(row.event_date, row.title, row.area_name) for row in held.itertuples()]


def locality_map(engine: Engine, area: dict) -> LocalityMap:
    codes = [area["code"]] + ([area["ward_code"]] if area.get("ward_code") else [])
    members = queries.lsoas_of(engine, codes, with_boundaries=True)
    mine = members.loc[members["area_code"] == area["code"], "code"].tolist()
    boundary = None
    if area.get("ward_code"):
        ward = queries.area_boundaries(engine, [area["ward_code"]])
        boundary = None if ward.empty else ward["boundary_geojson"].iloc[0]
    return LocalityMap(members.drop_duplicates("code", ignore_index=True), mine, boundary)


def gather_snapshot(engine: Engine, code: str, *, as_of: date | None = None, viewer: Viewer = PUBLIC,
                    on: date | None = None, sources: ReportSources | None = None) -> Snapshot:
    """Everything one locality's snapshot shows, for ``viewer``, as at the month ``as_of``.

    ``on`` is the date produced, which also judges the actions (default ``views.plans.today()``).
    ``sources`` reads each indicator once for the report (a pack passes one for all its localities);
    by default one for this locality, its ward and Leeds. Raises ``BadRequest`` for a code that is
    not a locality or a month after the latest data.
    """
    check_localities(engine, [code])
    as_of = check_period(engine, as_of)
    on = on or today()
    try:
        area = locality_context(engine, code)
    except NotFound as exc:
        raise BadRequest(str(exc)) from None
    sources = sources or ReportSources([area["code"]], benchmarks=[area.get("ward_code"), area.get("city_code")])
    scorecard = locality_scorecard(engine, area, as_of, viewer, series=sources.series, figures=sources.figures)
    actions = actions_with_status(engine, [code], on)
    events = area_events(engine, area)
    return Snapshot(
        area=area, as_of=as_of, produced=on, viewer=viewer, scorecard=scorecard,
        target_counts=rag_counts(scorecard.loc[scorecard["has_target"], "rag"]),
        trends=key_trends(engine, area, scorecard, viewer, as_of, sources=sources, events=events),
        events=events_until(events, as_of),
        map=locality_map(engine, area), actions=actions, rollup=rollup_of(actions),
    )
