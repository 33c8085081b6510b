"""The printed snapshot's trend charts name in their text alternative only the lines they draw."""

from __future__ import annotations

from datetime import date

from reports.render import snapshot_figures
from reports.snapshot import gather_snapshot


def test_snapshot_alt_text_names_no_ward_or_leeds_line_it_does_not_draw(seeded_engine):
    snapshot = gather_snapshot(seeded_engine, "PN-NWORT", as_of=date(2019, 9, 1), on=date(2019, 10, 1))
    alts = [alt for _, alt in snapshot_figures(snapshot)][:-1]  # the last figure is the map
    by_indicator = {view.indicator["code"]: alt for view, alt in zip(snapshot.trends, alts, strict=True)}
    jobs = by_indicator["EMP_JOBS"]  # counted by projects: no ward or Leeds series to draw
    assert jobs.startswith("Trend of Residents into employment in New Wortley")
    assert "Leeds" not in jobs and "ward" not in jobs
    assert "the target trajectory" in jobs
