"""The population a count's denominator uses: the set-based choice agrees with the one-key rule."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from db.populations import choose_estimate, choose_estimates

HELD = pd.DataFrame({"area_code": ["A", "A", "A", "B"], "basis": ["2011", "2011", "2021", "2011"],
                     "year": [2015, 2019, 2022, 2019], "population": [1400.0, 1500.0, 1620.0, 900.0],
                     "source": ["mid-2015", "mid-2019", "mid-2022", "mid-2019"]})


@pytest.mark.parametrize(("area", "basis", "period_end", "year"), [
    ("A", "2011", date(2019, 6, 30), 2019),  # the mid-year itself is not after the period
    ("A", "2011", date(2019, 6, 29), 2015),
    ("A", "2011", date(2010, 1, 31), 2015),  # every estimate is later: the earliest
    ("A", "2021", date(2026, 10, 31), 2022),
    ("A", "2021", date(2020, 3, 31), 2022),  # only one on the basis, though later
    ("B", "2021", date(2026, 10, 31), 2019),  # none on the basis: any basis
])
def test_set_based_choice_matches_the_rule(area, basis, period_end, year):
    keys = pd.DataFrame({"area_code": [area], "basis": [basis], "period_end": [period_end]})
    chosen = choose_estimates(HELD, keys)
    one = choose_estimate(HELD[HELD["area_code"] == area], basis=basis, period_end=period_end)
    assert chosen["year"].tolist() == [year] == [int(one["year"])]
    assert chosen["population"].tolist() == [one["population"]]


def test_an_area_with_nothing_held_gets_no_row():
    keys = pd.DataFrame({"area_code": ["C"], "basis": ["2011"], "period_end": [date(2026, 10, 31)]})
    assert choose_estimates(HELD, keys).empty
