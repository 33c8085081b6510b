"""One disclosure decision across every published area: no hidden small number can be recovered by
adding or subtracting published ones. Checked on worked cases and on random layouts, against an
exact (rational) rank test and a brute-force search for integer combinations written here."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.disclosure import Release, decide_disclosure, decide_disclosure_by_period, hidden_text
from metrics.errors import MetricsInputError


def _membership(areas: dict[str, list[str]]) -> pd.DataFrame:
    rows = [(area, lsoa) for area, lsoas in areas.items() for lsoa in lsoas]
    return pd.DataFrame(rows, columns=["area_code", "lsoa_code"])


def _releases(areas: dict[str, list[str]], counts: dict, **kwargs) -> dict[str, str]:
    decision = decide_disclosure(membership=_membership(areas), counts=counts, **kwargs)
    return {code: str(release) for code, release in zip(decision["area_code"], decision["release"], strict=True)}


# --- an exact test, independent of the module: is a 0/1 vector a rational combination of others? ------------

def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [list(row) for row in rows]
    rank, columns = 0, len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def _in_span(target: list[int], published: list[list[int]]) -> bool:
    if not published:
        return not any(target)
    rows = [[Fraction(v) for v in row] for row in published]
    return _rank(rows + [[Fraction(v) for v in target]]) == _rank(rows)


def _integer_combination(target: list[int], published: list[list[int]], weights=(-1, 0, 1)) -> bool:
    """Brute force: do published areas, each added, subtracted or left out, give ``target``?"""
    for choice in itertools.product(weights, repeat=len(published)):
        total = [sum(w * row[j] for w, row in zip(choice, published, strict=True)) for j in range(len(target))]
        if total == target:
            return True
    return False


def _vector(lsoas: list[str], columns: list[str]) -> list[int]:
    return [1 if code in lsoas else 0 for code in columns]


# --- worked cases -------------------------------------------------------------------------------------------

def test_a_small_ward_and_one_more_are_hidden_so_the_city_cannot_give_it_away():
    areas = {"CITY": ["L1", "L2", "L3", "L4"], "W1": ["L1"], "W2": ["L2"], "W3": ["L3", "L4"]}
    released = _releases(areas, {"L1": 3, "L2": 30, "L3": 8, "L4": 9}, withheld=["L1", "L2", "L3", "L4"])
    assert released == {"CITY": "shown", "W1": "small", "W2": "shown", "W3": "secondary"}


def test_the_committee_route_is_closed_too():
    # Leeds minus the other committee gives C1; C1 minus W2 would give the small W1: W2 is hidden, not W3.
    areas = {"CITY": ["L1", "L2", "L3"], "C1": ["L1", "L2"], "C2": ["L3"], "W1": ["L1"], "W2": ["L2"],
             "W3": ["L3"]}
    released = _releases(areas, {"L1": 2, "L2": 40, "L3": 9})
    assert released["W1"] == "small" and released["W2"] == "secondary" and released["W3"] == "shown"
    columns = ["L1", "L2", "L3"]
    published = [_vector(areas[a], columns) for a, r in released.items() if r == "shown"]
    assert not _in_span(_vector(["L1"], columns), published)


def test_two_localities_a_single_lsoa_apart_are_not_both_published_when_it_is_small():
    areas = {"X": ["L1", "L2", "L3"], "Y": ["L1", "L2", "L3", "L4"]}
    assert _releases(areas, {"L1": 9, "L2": 8, "L3": 6, "L4": 2}) == {"X": "secondary", "Y": "shown"}
    assert _releases(areas, {"L1": 9, "L2": 8, "L3": 6, "L4": 20}) == {"X": "shown", "Y": "shown"}


def test_a_withheld_lsoa_is_not_published_through_a_locality_of_that_one_lsoa():
    areas = {"L1": ["L1"], "L2": ["L2"], "ONE": ["L1"], "BOTH": ["L1", "L2"]}
    released = _releases(areas, {"L1": 40, "L2": 50}, withheld=["L1", "L2"])
    assert released["ONE"] != "shown" and released["L1"] == "withheld"


def test_zero_is_shown_and_nothing_more_is_hidden_when_nothing_is_small():
    areas = {"CITY": ["L1", "L2"], "W1": ["L1"], "W2": ["L2"]}
    assert _releases(areas, {"L1": 0, "L2": 12}) == {"CITY": "shown", "W1": "shown", "W2": "shown"}


def test_an_lsoa_that_did_not_report_is_in_no_published_total():
    areas = {"CITY": ["L1", "L2", "L3"], "W1": ["L1", "L2"], "W2": ["L3"]}
    decision = decide_disclosure(membership=_membership(areas), counts={"L1": 7, "L2": None, "L3": 12})
    assert decision.set_index("area_code")["count"].to_dict() == {"CITY": 19.0, "W1": 7.0, "W2": 12.0}
    assert set(decision["release"]) == {Release.SHOWN}


def test_the_threshold_sets_what_is_small():
    areas = {"CITY": ["L1", "L2", "L3"], "W1": ["L1"], "W2": ["L2", "L3"]}
    assert _releases(areas, {"L1": 7, "L2": 20, "L3": 30}, threshold=10)["W1"] == "small"


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(MetricsInputError, match="The count for L1 must be 0 or more"):
        decide_disclosure(membership=_membership({"A": ["L1"]}), counts={"L1": -1})
    with pytest.raises(MetricsInputError, match="membership needs the columns area_code and lsoa_code"):
        decide_disclosure(membership=pd.DataFrame({"area": ["A"]}), counts={"L1": 1})


@pytest.mark.parametrize(("release", "unit", "text"), [
    ("small", "count", "<5"), ("small", "percent", "[c]"), ("small", "rate_per_10000", "[c]"),
    ("secondary", "count", "[c]"), ("withheld", "percent", "Ward level only"),
])
def test_what_a_viewer_sees_in_place_of_a_hidden_figure(release, unit, text):
    assert hidden_text(release=release, unit=unit) == text


def test_a_shown_figure_has_no_hidden_text():
    with pytest.raises(MetricsInputError, match="published"):
        hidden_text(release="shown", unit="count")


# --- random layouts ----------------------------------------------------------------------------------------

@st.composite
def layouts(draw):
    """LSOA counts (many small), wards partitioning the city, committees grouping wards, overlapping localities."""
    n = draw(st.integers(min_value=2, max_value=9))
    lsoas = [f"L{i}" for i in range(n)]
    counts = {code: draw(st.one_of(st.integers(0, 4), st.integers(5, 30), st.none())) for code in lsoas}
    ward_of = [draw(st.integers(0, n - 1)) for _ in lsoas]
    wards = {f"W{w}": [lsoa for lsoa, k in zip(lsoas, ward_of, strict=True) if k == w] for w in set(ward_of)}
    committee_of = {ward: draw(st.integers(0, 2)) for ward in wards}
    committees = {f"C{c}": [lsoa for ward, k in committee_of.items() if k == c for lsoa in wards[ward]]
                  for c in set(committee_of.values())}
    localities = {f"N{i}": sorted(draw(st.sets(st.sampled_from(lsoas), min_size=1, max_size=n)))
                  for i in range(draw(st.integers(0, 3)))}
    areas = {"CITY": lsoas, **wards, **committees, **localities, **{code: [code] for code in lsoas}}
    return areas, counts, lsoas


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_no_hidden_small_count_can_be_derived_from_what_is_published(layout):
    areas, counts, lsoas = layout
    decision = decide_disclosure(membership=_membership(areas), counts=counts, withheld=lsoas)
    released = dict(zip(decision["area_code"], decision["release"], strict=True))
    area_count = dict(zip(decision["area_code"], decision["count"], strict=True))
    reported = [code for code in lsoas if counts[code] is not None]
    published = [_vector(areas[a], reported) for a, r in released.items()
                 if r is Release.SHOWN and any(areas[a].count(c) for c in reported)]
    protected = [a for a, n in area_count.items() if n == n and 0 < n < 5]  # every small area, LSOAs included
    protected += [a for a in lsoas if released[a] is Release.WITHHELD and (counts[a] or 0) > 0]
    for area in protected:
        target = _vector([c for c in areas[area] if c in reported], reported)
        assert released[area] is not Release.SHOWN
        assert not _in_span(target, published), f"{area} can be worked out from {published}"
        if len(published) <= 7:
            assert not _integer_combination(target, published)


@settings(max_examples=60, deadline=None)
@given(layouts())
def test_a_figure_is_hidden_only_when_small_withheld_or_needed_to_protect_one(layout):
    areas, counts, lsoas = layout
    decision = decide_disclosure(membership=_membership(areas), counts=counts, withheld=lsoas)
    for code, count, release in decision.itertuples(index=False):
        if code in lsoas:
            assert release is Release.WITHHELD
        elif count == count and 0 < count < 5:
            assert release is Release.SMALL
        else:
            assert release in (Release.SHOWN, Release.SECONDARY)
    if not any(0 < (counts[c] or 0) < 5 for c in lsoas) and all((counts[c] or 0) == 0 for c in lsoas):
        assert not (decision["release"] == Release.SECONDARY).any()


@settings(max_examples=40, deadline=None)
@given(st.lists(layouts(), min_size=1, max_size=3))
def test_deciding_periods_together_gives_each_period_its_own_answer(periods):
    areas, _, lsoas = periods[0]
    frames, expected = [], {}
    for number, (_, counts, _) in enumerate(periods):
        frames.append(pd.DataFrame({"period": number, "lsoa_code": list(counts), "count": list(counts.values())}))
        one = decide_disclosure(membership=_membership(areas), counts=counts, withheld=lsoas)
        expected.update({(number, code): str(release) for code, release in zip(one["area_code"], one["release"], strict=True)})
    together = decide_disclosure_by_period(membership=_membership(areas), counts=pd.concat(frames), withheld=lsoas)
    got = {(p, code): str(r) for p, code, r in zip(together["period"], together["area_code"], together["release"], strict=True)}
    reported = {key: value for key, value in expected.items() if key[0] in set(together["period"])}
    assert got == reported


def test_a_period_given_twice_for_one_lsoa_is_refused():
    counts = pd.DataFrame({"period": [1, 1], "lsoa_code": ["L1", "L1"], "count": [3, 4]})
    with pytest.raises(MetricsInputError, match="more than one row"):
        decide_disclosure_by_period(membership=_membership({"A": ["L1"]}), counts=counts)
