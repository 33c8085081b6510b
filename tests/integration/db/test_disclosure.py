"""Against the seeded store: what a viewer can read on the map, the ward explorer, the profiles and
the city figure never lets a hidden small count be worked out by adding and subtracting."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from sqlalchemy import insert

from db import queries, schema
from db.disclosure import published_figures
from db.engine import make_engine
from metrics.disclosure import Release
from views.explore import area_values, city_value
from views.scorecards import PUBLIC, Viewer, indicator_lookup, locality_context, locality_scorecard

AS_OF = date(2026, 9, 1)  # the latest quarter of hate incidents is July to September 2026
HARWOOD = "E05011396"
ARMLEY = "E05011385"


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _scorecard_value(engine, code: str, indicator: str, viewer=PUBLIC) -> str:
    frame = locality_scorecard(engine, locality_context(engine, code), AS_OF, viewer)
    return frame.set_index("indicator_code").loc[indicator, "value"]


def _derivable(engine, target: str, published: list[str]) -> bool:
    """Is ``target``'s set of LSOAs a combination of the published areas' sets? (numpy rank test)"""
    members = queries.lsoas_of(engine, [target, *published])
    columns = sorted(members["code"].unique())

    def vector(code):
        inside = set(members.loc[members["area_code"] == code, "code"])
        return [1.0 if c in inside else 0.0 for c in columns]

    rows = np.array([vector(c) for c in published])
    return np.linalg.matrix_rank(np.vstack([rows, vector(target)])) == np.linalg.matrix_rank(rows)


def test_a_hidden_ward_cannot_be_recovered_from_the_map_the_explorer_and_leeds(seeded_engine):
    hate = indicator_lookup(seeded_engine)["HATE"]
    on_map = area_values(seeded_engine, hate, "ward", AS_OF)
    hidden = on_map.loc[on_map["hidden"], "code"].tolist()
    assert on_map.set_index("code").loc[HARWOOD, "shown"] == "<5"
    assert len(hidden) >= 2, "one hidden ward alone would be Leeds minus the other 32"
    assert on_map.loc[on_map["hidden"], ["value", "lower", "upper", "numerator", "rank"]].isna().all().all()
    for code in hidden:  # the ward explorer shows each ward's own figure: the same decision
        assert _scorecard_value(seeded_engine, code, "HATE") in ("<5", "[c]")
    assert _number(city_value(seeded_engine, hate, AS_OF)) == 741
    shown = on_map.loc[~on_map["hidden"], "code"].tolist() + [queries.city_code(seeded_engine)]
    for area_type in ("community_committee", "priority_neighbourhood"):  # their profiles read the same decision
        others = area_values(seeded_engine, hate, area_type, AS_OF)
        assert others["shown"].map(_number).notna().tolist() == (~others["hidden"]).tolist()
        shown += others.loc[~others["hidden"], "code"].tolist()
    assert _scorecard_value(seeded_engine, "PN-BOGG", "HATE") == "<5"
    for code in hidden:
        assert not _derivable(seeded_engine, code, shown)
    assert _scorecard_value(seeded_engine, HARWOOD, "HATE", Viewer(sees_small_numbers=True)) == "4"


def test_a_hidden_value_gets_no_comparison_and_no_direction(seeded_engine):
    frame = locality_scorecard(seeded_engine, locality_context(seeded_engine, HARWOOD), AS_OF, PUBLIC)
    row = frame.set_index("indicator_code").loc["HATE"]
    assert (row["value"], row["vs_city"], row["direction"]) == ("<5", "Not compared", "Not shown (small numbers)")


@pytest.fixture()
def overlapping(sqlite_url):
    """Two custom localities four and three LSOAs big, one LSOA apart, written past the checks
    (as a store made before the checks existed could hold them), on both LSOA bases (the LSOAs are
    unchanged since 2011)."""
    engine = make_engine(sqlite_url)
    three = ["E01011281", "E01011283", "E01011284"]
    with engine.begin() as connection:
        for code, lsoas in (("CL-THREE", three), ("CL-FOUR", [*three, "E01011287"])):
            connection.execute(insert(schema.areas).values(code=code, name=code, type="priority_neighbourhood",
                                                           tier="managed", parent_code=ARMLEY, is_custom=True))
            connection.execute(insert(schema.area_lsoas), [{"area_code": code, "basis": basis, "lsoa_code": c}
                                                           for c in lsoas for basis in ("2011", "2021")])
    yield engine
    engine.dispose()


def test_two_localities_one_lsoa_apart_never_both_show_a_small_lsoa(overlapping):
    figures = published_figures(overlapping, "HATE")
    lsoa = figures[figures["area_code"] == "E01011287"].set_index("period_start")["count"]
    pair = figures[figures["area_code"].isin(["CL-THREE", "CL-FOUR"])]
    both_shown = pair.groupby("period_start")["release"].apply(lambda r: (r == Release.SHOWN).all())
    small_periods = lsoa[(lsoa > 0) & (lsoa < 5)].index
    assert len(small_periods) >= 10
    assert not both_shown.loc[small_periods].any()
    three = pair[pair["area_code"] == "CL-THREE"].set_index("period_start")["count"]
    zero = lsoa[(lsoa == 0) & (three.reindex(lsoa.index) >= 5)].index
    assert len(zero) >= 10 and both_shown.loc[zero].all()  # a zero gives nobody away: both stay published
    hate = indicator_lookup(overlapping)["HATE"]
    values = [_scorecard_value(overlapping, code, "HATE") for code in ("CL-THREE", "CL-FOUR")]
    assert any(v == "[c]" for v in values) == (date(2026, 7, 1) in set(small_periods))
    assert area_values(overlapping, hate, "lsoa", AS_OF, within=["CL-FOUR"])["shown"].eq("Ward level only").all()


def test_the_methods_page_states_the_rule_with_the_constants_the_code_uses():
    from db.localities import MIN_LSOA_DIFFERENCE
    from views.methods import suppression_rules

    text = " ".join(suppression_rules().split())
    assert "Leeds minus the other 32 wards gives the 33rd" in text
    assert "no hidden small count (of an area or of a single LSOA) can be worked out" in text
    assert f"differ from every area it overlaps by at least {MIN_LSOA_DIFFERENCE} LSOAs" in text


def test_only_indicators_under_disclosure_control_have_a_decision(seeded_engine):
    from db.errors import NotFound

    assert published_figures(seeded_engine, "ASB_ALL").empty
    neet = published_figures(seeded_engine, "NEET")
    assert set(neet["period_start"].map(lambda d: d.month)) == {4}  # financial years
    assert (neet.loc[neet["area_code"].str.startswith("E01"), "release"] == Release.WITHHELD).all()
    with pytest.raises(NotFound, match="There is no indicator with the code 'NOPE'"):
        published_figures(seeded_engine, "NOPE")


def test_an_import_is_seen_by_the_next_decision_at_once(sqlite_url):
    from ingest.importer import commit_import

    engine = make_engine(sqlite_url)
    latest = date(2026, 7, 1)

    def armley_release():
        figures = published_figures(engine, "HATE")
        row = figures[(figures["area_code"] == ARMLEY) & (figures["period_start"] == latest)]
        return row["release"].item(), row["count"].item()

    release, count = armley_release()
    assert release is Release.SHOWN and count >= 5
    lsoas = queries.lsoas_of(engine, [ARMLEY])["code"].tolist()
    rows = "".join(f"HATE,{code},2026-07-01,{2 if n == 0 else 0}\n" for n, code in enumerate(lsoas))
    commit_import(engine, ("indicator_code,area_code,period_start,value\n" + rows).encode(), "armley.csv",
                  imported_by="test")
    assert armley_release() == (Release.SMALL, 2)
    engine.dispose()
