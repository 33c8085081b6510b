"""Many indicators' series read in one round trip are, indicator by indicator, the series read alone."""

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import event

from db import queries
from views.scorecards import indicator_lookup, series_for, series_for_many

LOCALITY, WARD = "PN-NWORT", "E05011385"


@pytest.fixture()
def statements(seeded_engine):
    sent = []

    def count(*_args) -> None:
        sent.append(1)

    event.listen(seeded_engine, "before_cursor_execute", count)
    yield sent
    event.remove(seeded_engine, "before_cursor_execute", count)


def test_every_indicator_for_a_locality_matches_its_own_series(seeded_engine, statements):
    catalogue = indicator_lookup(seeded_engine)
    statements.clear()
    many = series_for_many(seeded_engine, list(catalogue.values()), [LOCALITY])
    # One read per way of adding up, whether the area totals kept in the store hold, and the residents of
    # counts without a base.
    assert len(statements) <= 4
    assert set(many) == set(catalogue)
    held = [code for code, frame in many.items() if not frame.empty]
    assert len(held) >= 15, held
    for code in catalogue:
        alone = series_for(seeded_engine, catalogue[code], [LOCALITY])
        pd.testing.assert_frame_equal(many[code], alone, check_dtype=False, obj=code)


def test_one_period_per_indicator_for_the_ward_and_city(seeded_engine):
    catalogue = indicator_lookup(seeded_engine)
    city = queries.city_code(seeded_engine)
    starts = queries.latest_period_starts(seeded_engine, date(2026, 9, 30))
    assert starts["ASB_ALL"] == date(2026, 9, 1)
    many = series_for_many(seeded_engine, list(catalogue.values()), [WARD, city], period_starts=starts)
    assert set(many) == set(starts) & set(catalogue)
    for code, start in starts.items():
        alone = series_for(seeded_engine, catalogue[code], [WARD, city], period_start=start)
        pd.testing.assert_frame_equal(many[code], alone, check_dtype=False, obj=code)
        assert set(many[code]["period_start"]) <= {start}


def test_intervals_are_those_of_the_published_methods(seeded_engine):
    from metrics.stats import byar_ci, proportion_ci, rate_ci

    catalogue = indicator_lookup(seeded_engine)
    many = series_for_many(seeded_engine, [catalogue["ASB_ALL"], catalogue["NEET"]], [LOCALITY])
    count = many["ASB_ALL"].dropna(subset=["value", "denominator"]).iloc[-1]
    assert (count["lower"], count["upper"]) == pytest.approx(byar_ci(int(count["numerator"])))
    assert (count["rate_lower"], count["rate_upper"]) == pytest.approx(
        rate_ci(int(count["numerator"]), count["denominator"], per=1_000))
    share = many["NEET"].dropna(subset=["value", "denominator"]).iloc[-1]
    assert (share["lower"], share["upper"]) == pytest.approx(
        proportion_ci(int(share["numerator"]), int(round(share["denominator"]))))
