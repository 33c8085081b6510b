"""A report's shared reads give every locality exactly the scorecard and programme status the pages
show, while reading each indicator once per locality for the whole pack."""

from __future__ import annotations

import pandas as pd
import pytest

from reports import sources as sources_module
from reports.pack import gather_snapshots, gather_summary
from reports.sources import ReportSources
from tests.reports.conftest import AS_OF, PRODUCED
from views.programme import programme_status
from views.scorecards import locality_context, locality_scorecard

CODES = ["PN-BEVS", "PN-BOGG", "PN-CLNW", "PN-LGRN", "PN-NWORT", "PN-RECS"]


@pytest.mark.parametrize("code", CODES)
def test_a_scorecard_from_shared_reads_is_the_pages_scorecard(seeded_engine, code):
    area = locality_context(seeded_engine, code)
    shared = ReportSources(CODES, benchmarks=[area["ward_code"], area["city_code"]])
    printed = locality_scorecard(seeded_engine, area, AS_OF, series=shared.series, figures=shared.figures)
    pd.testing.assert_frame_equal(printed, locality_scorecard(seeded_engine, area, AS_OF))
    assert printed["value"].ne("").any()  # values were read, not an empty frame on both sides


def test_the_programme_summary_from_shared_reads_is_the_overviews(seeded_engine):
    summary = gather_summary(seeded_engine, as_of=AS_OF, on=PRODUCED)
    printed = programme_status(seeded_engine, AS_OF, series=summary.sources.series, figures=summary.sources.figures)
    pd.testing.assert_frame_equal(printed, programme_status(seeded_engine, AS_OF))
    assert len(printed) == summary.targets > 0


def test_a_pack_reads_each_indicator_once_per_locality(seeded_engine, monkeypatch):
    reads: list[tuple[str, tuple[str, ...], object]] = []
    real = sources_module.series_for_many

    def counted(engine, indicators, codes, **options):
        starts = options.get("period_starts")
        reads.extend((i["code"], tuple(codes), None if starts is None else starts.get(i["code"])) for i in indicators)
        return real(engine, indicators, codes, **options)

    monkeypatch.setattr(sources_module, "series_for_many", counted)
    summary = gather_summary(seeded_engine, ["PN-NWORT", "PN-BOGG"], as_of=AS_OF, on=PRODUCED)
    snapshots = list(gather_snapshots(seeded_engine, summary))
    assert [s.area["code"] for s in snapshots] == ["PN-NWORT", "PN-BOGG"]
    # the summary judges every locality's targets (then keeps the pack's): others are read as ever
    whole = [read for read in reads if read[2] is None and set(read[1]) <= {"PN-NWORT", "PN-BOGG"}]
    assert len(whole) == len(set(whole)) > 0  # no pack locality's series read twice
    assert {codes for _, codes, _ in whole} == {("PN-NWORT",), ("PN-BOGG",)}
