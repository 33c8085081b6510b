"""Tests for the illustrative sample data and its generator (``sample_data/generate.py``).

The committed files must be exactly what the generator writes, must tell the stories from Leeds
City Council's 2019 report, and must be internally consistent (values, numerators, denominators,
target baselines, area codes), because the database seed and every page are built on them.
"""

from __future__ import annotations

import gzip
import importlib.util
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "sample_data"
REAL_INDICATORS = ("CLAIMANT_COUNT", "FUEL_POVERTY")  # real published data, loaded at seed, not generated
GEOGRAPHY = SAMPLE / "geography"
TODAY = date(2026, 11, 22)
LATEST = {"monthly": "2026-09-01", "quarterly": "2026-07-01", "annual": "2025-04-01"}
MULTIPLIER = {"count": 1, "percent": 100, "rate_per_1000": 1_000,
              "rate_per_10000": 10_000, "rate_per_100000": 100_000}
PLAIN_FILES = ["action_plans.csv", "targets.csv", "actions.csv", "events.csv", "commentary.csv"]


def _load_generator():
    spec = importlib.util.spec_from_file_location("tn_sample_data_generate", SAMPLE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator():
    return _load_generator()


@pytest.fixture(scope="module")
def regenerated(generator, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("regenerated")
    generator.main(out)
    return out


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "observations.csv.gz",
                       dtype={"indicator_code": str, "area_code": str, "period_start": str,
                              "period_end": str, "status": str, "basis": str})


@pytest.fixture(scope="module")
def catalogue() -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "indicators.csv", dtype=str, keep_default_na=False).set_index("code")


@pytest.fixture(scope="module")
def targets() -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "targets.csv", dtype={"baseline_period_start": str})


@pytest.fixture(scope="module")
def membership() -> pd.DataFrame:
    return pd.read_csv(GEOGRAPHY / "leeds_priority_neighbourhoods.csv")


@pytest.fixture(scope="module")
def pn_obs(obs, membership) -> pd.DataFrame:
    """Observations summed to priority neighbourhoods (numerators and denominators, never rates)."""
    lsoa = obs.merge(membership[["lsoa11cd", "neighbourhood_code"]],
                     left_on="area_code", right_on="lsoa11cd")
    summed = (lsoa.groupby(["indicator_code", "neighbourhood_code", "period_start"])
              [["numerator", "denominator"]].sum().reset_index())
    direct = obs[obs.area_code.str.startswith("PN-")].rename(columns={"area_code": "neighbourhood_code"})
    both = pd.concat([summed, direct[["indicator_code", "neighbourhood_code", "period_start",
                                      "numerator", "denominator"]]])
    return both.set_index(["indicator_code", "neighbourhood_code", "period_start"]).sort_index()


def pn_value(pn_obs, catalogue, code: str, area: str, start: str) -> float:
    num, den = pn_obs.loc[(code, area, start), ["numerator", "denominator"]]
    info = catalogue.loc[code]
    if info["aggregation"] == "sum":
        return float(num)
    return num / den * MULTIPLIER[info["unit"]]


def pn_total(pn_obs, code, area, first, last) -> float:
    block = pn_obs.loc[(code, area)]
    return float(block.loc[first:last, "numerator"].sum())


# ---------------------------------------------------------------------------------- determinism

def test_regenerating_gives_identical_files(regenerated):
    for name in PLAIN_FILES:
        assert (regenerated / name).read_bytes() == (SAMPLE / name).read_bytes(), name
    # Compare the gzip content byte for byte; the compressed bytes depend on the zlib build.
    fresh = gzip.decompress((regenerated / "observations.csv.gz").read_bytes())
    committed = gzip.decompress((SAMPLE / "observations.csv.gz").read_bytes())
    assert fresh == committed


def test_gzip_output_is_reproducible_byte_for_byte(generator, regenerated, tmp_path):
    generator.main(tmp_path)
    again = (tmp_path / "observations.csv.gz").read_bytes()
    assert again == (regenerated / "observations.csv.gz").read_bytes()
    assert again[4:8] == b"\x00\x00\x00\x00"  # gzip header mtime is zero


# ---------------------------------------------------------------------------------- stories

def test_new_wortley_youth_asb_falls_about_70_percent(pn_obs):
    before = pn_total(pn_obs, "ASB_YOUTH", "PN-NWORT", "2016-04-01", "2017-03-01")
    after = pn_total(pn_obs, "ASB_YOUTH", "PN-NWORT", "2017-04-01", "2018-03-01")
    assert after / before - 1 == pytest.approx(-0.70, abs=0.10)
    later = pn_total(pn_obs, "ASB_YOUTH", "PN-NWORT", "2018-04-01", "2026-03-01") / 8
    assert later / before - 1 < -0.55  # and it stays down


def test_nowells_crime_falls_about_70_percent_may_to_september_2018(pn_obs):
    may = pn_total(pn_obs, "CRIME_ALL", "PN-CLNW", "2018-05-01", "2018-05-01")
    september = pn_total(pn_obs, "CRIME_ALL", "PN-CLNW", "2018-09-01", "2018-09-01")
    assert september / may - 1 == pytest.approx(-0.70, abs=0.10)


def test_new_wortley_employability_project_31_supported_14_into_work(pn_obs):
    assert pn_total(pn_obs, "EMP_SUPPORTED", "PN-NWORT", "2018-04-01", "2019-01-01") == 31
    assert pn_total(pn_obs, "EMP_JOBS", "PN-NWORT", "2018-04-01", "2019-01-01") == 14


def test_lincoln_green_85_digital_users_and_26_volunteers(pn_obs):
    assert pn_total(pn_obs, "DIGITAL", "PN-LGRN", "2018-04-01", "2019-01-01") == 85
    assert pn_total(pn_obs, "VOLUNTEERS", "PN-LGRN", "2019-01-01", "2019-01-01") == 26


def test_covid_shows_in_crime_and_claimant_rate(obs):
    crime = obs[obs.indicator_code == "CRIME_ALL"].groupby("period_start").numerator.sum()
    assert crime["2020-04-01"] < 0.8 * crime["2019-04-01"]
    claim = obs[obs.indicator_code == "CLAIMANT"].groupby("period_start")[["numerator", "denominator"]].sum()
    rate = claim.numerator / claim.denominator
    assert rate["2020-06-01"] > 1.3 * rate["2020-02-01"]


# ---------------------------------------------------------------------------------- consistency

def test_catalogue_vocabulary(catalogue):
    assert list(catalogue.reset_index().columns) == [
        "code", "name", "theme", "definition", "source", "unit", "polarity", "frequency",
        "aggregation", "collection_geography", "disclosure_control", "staleness_days", "missing_means_zero",
        "estimate_type"]
    assert set(catalogue.theme) == {
        "Safety", "Community engagement and influence", "Employment and skills",
        "Children and families", "Health and wellbeing", "Housing and environment", "Inclusion"}
    assert set(catalogue.unit) <= set(MULTIPLIER)
    assert set(catalogue.polarity) <= {"higher_is_better", "lower_is_better", "no_judgement"}
    assert set(catalogue.frequency) <= {"monthly", "quarterly", "annual", "calendar_year", "pooled_3_years"}
    assert set(catalogue.aggregation) <= {"sum", "ratio"}
    assert set(catalogue.collection_geography) <= {"lsoa", "priority_neighbourhood", "ward"}
    assert set(catalogue.disclosure_control) <= {"true", "false"}
    assert catalogue.staleness_days.str.isdigit().all()
    assert set(catalogue.index[catalogue.missing_means_zero == "true"]) == {
        "ASB_ALL", "ASB_YOUTH", "CRIME_ALL", "FLYTIP", "HATE"}
    assert set(catalogue.estimate_type) == {"counted"}
    assert len(catalogue) >= 20


def test_every_indicator_has_one_row_per_area_and_period(obs, catalogue):
    """LSOA rows: 482 LSOAs (2011) per period before April 2021, 488 (2021) from then on."""
    n_periods = {"monthly": (63, 66), "quarterly": (21, 22), "annual": (5, 5)}  # (on 2011, on 2021 LSOAs)
    counts = obs.groupby("indicator_code").size()
    assert set(counts.index) == set(catalogue.index) - set(REAL_INDICATORS)
    for code, info in catalogue.drop(index=list(REAL_INDICATORS)).iterrows():
        before, after = n_periods[info["frequency"]]
        expected = before * 482 + after * 488 if info["collection_geography"] == "lsoa" else (before + after) * 6
        assert counts[code] == expected, code
    assert not obs.duplicated(["indicator_code", "area_code", "period_start"]).any()


def test_lsoa_rows_are_on_2011_codes_before_april_2021_and_2021_codes_after(obs):
    lsoa = obs[obs.area_code.str.startswith("E01")]
    old = lsoa.period_start < "2021-04-01"
    assert (lsoa.basis[old] == "2011").all() and (lsoa.basis[~old] == "2021").all()
    assert "E01011490" in set(lsoa.area_code[old]) and "E01011490" not in set(lsoa.area_code[~old])
    assert {"E01035048", "E01035049", "E01035054"} <= set(lsoa.area_code[~old])
    assert obs.basis[~obs.area_code.str.startswith("E01")].isna().all()


def test_split_lsoa_parts_add_up_as_a_count_would(obs):
    """Leeds 099A split into E01035048 and E01035049: the parts' ASB is a share of the area's, so the
    ward total keeps its level across the change (within noise) rather than jumping."""
    asb = obs[(obs.indicator_code == "ASB_ALL")]
    parts = asb[asb.area_code.isin(["E01035048", "E01035049"])].groupby("period_start").numerator.sum()
    parent = asb[asb.area_code == "E01011490"].set_index("period_start").numerator
    assert 0.5 < parts.mean() / parent.mean() < 2


def test_values_match_numerators_and_denominators(obs, catalogue):
    info = catalogue.loc[obs.indicator_code]
    ratio = (info["aggregation"] == "ratio").to_numpy()
    mult = info["unit"].map(MULTIPLIER).to_numpy()
    assert (obs.numerator >= 0).all()
    assert (obs.loc[ratio, "denominator"] > 0).all()
    recomputed = obs.numerator / obs.denominator * mult
    assert np.allclose(obs.value[ratio], recomputed[ratio], atol=6e-5)
    assert (obs.value[~ratio] == obs.numerator[~ratio]).all()
    pn_counts = obs.area_code.str.startswith("PN-")
    assert obs.loc[pn_counts, "denominator"].isna().all()
    assert (obs.loc[~pn_counts, "denominator"] > 0).all()


def test_provisional_only_for_the_last_three_months(obs):
    provisional = obs.period_end > "2026-06-30"
    assert (obs.status[provisional] == "provisional").all()
    assert (obs.status[~provisional] == "final").all()
    assert obs.period_end.max() == "2026-09-30"


def test_target_baselines_are_the_aggregated_observations(targets, pn_obs, catalogue):
    for t in targets.itertuples():
        actual = pn_value(pn_obs, catalogue, t.indicator_code, t.area_code, t.baseline_period_start)
        assert t.baseline_value == pytest.approx(actual, abs=1e-4), (t.area_code, t.indicator_code)


def test_targets_per_neighbourhood(targets, catalogue):
    per_area = targets.groupby("area_code").size()
    assert len(per_area) == 6 and per_area.between(3, 6).all()
    assert not targets.duplicated(["area_code", "indicator_code"]).any()
    assert set(targets.tolerance_type) <= {"absolute", "relative"}
    assert (catalogue.loc[targets.indicator_code, "polarity"] != "no_judgement").all()
    assert (targets.target_date < "2026-09-30").any() and (targets.target_date > "2026-11-22").any()


def _rag(t, value: float, at_end: str, polarity: str) -> str:
    """The design's rule: linear trajectory from the baseline period to the target date."""
    t0, t1, now = (pd.Timestamp(x) for x in (t.baseline_period_end, t.target_date, at_end))
    fraction = min(max((now - t0).days / (t1 - t0).days, 0.0), 1.0)
    expected = t.baseline_value + fraction * (t.target_value - t.baseline_value)
    miss = (expected - value) if polarity == "higher_is_better" else (value - expected)
    allowed = t.tolerance if t.tolerance_type == "absolute" else t.tolerance / 100 * abs(expected)
    return "Green" if miss <= 0 else ("Amber" if miss <= allowed else "Red")


def test_rag_mix_at_the_latest_period(targets, pn_obs, catalogue):
    rags = []
    for t in targets.itertuples():
        info = catalogue.loc[t.indicator_code]
        start = LATEST[info["frequency"]]
        end = pn_obs.loc[(t.indicator_code, t.area_code)].index.max()
        assert end == start
        value = pn_value(pn_obs, catalogue, t.indicator_code, t.area_code, start)
        period_end = (pd.Timestamp(start) + pd.offsets.MonthEnd(
            {"monthly": 1, "quarterly": 3, "annual": 12}[info["frequency"]])).date().isoformat()
        rags.append((t.area_code, _rag(t, value, period_end, info["polarity"])))
    frame = pd.DataFrame(rags, columns=["area", "rag"])
    share = frame.rag.value_counts(normalize=True)
    assert share["Green"] == pytest.approx(0.4, abs=0.1)
    assert share["Amber"] == pytest.approx(0.3, abs=0.1)
    assert share["Red"] == pytest.approx(0.3, abs=0.1)
    assert (frame[frame.rag != "Green"].groupby("area").size().reindex(
        frame.area.unique(), fill_value=0) >= 1).all()


def test_new_wortley_youth_asb_on_track_in_september_2019(targets, pn_obs, catalogue):
    t = next(targets[(targets.area_code == "PN-NWORT") & (targets.indicator_code == "ASB_YOUTH")]
             .itertuples())
    assert (t.baseline_period_start, t.target_date) == ("2016-04-01", "2020-03-31")
    assert t.target_value <= t.baseline_value * 0.5 + 0.5
    value = pn_value(pn_obs, catalogue, "ASB_YOUTH", "PN-NWORT", "2019-09-01")
    assert _rag(t, value, "2019-09-30", "lower_is_better") == "Green"


def test_every_red_or_amber_target_has_latest_commentary(targets, catalogue):
    commentary = pd.read_csv(SAMPLE / "commentary.csv")
    keyed = set(zip(commentary.area_code, commentary.indicator_code, commentary.period_start))
    for word in ("Red", "Amber"):
        for row in commentary[commentary.text.str.startswith(word + ":")].itertuples():
            freq = catalogue.loc[row.indicator_code, "frequency"]
            assert row.period_start == LATEST[freq]
    flagged = commentary[commentary.text.str.match(r"^(Red|Amber):")]
    assert len(flagged) >= 12
    assert len(keyed) == len(commentary)


def test_actions_show_every_kind_of_progress():
    actions = pd.read_csv(SAMPLE / "actions.csv", parse_dates=["start_date", "due_date"])
    assert actions.groupby("area_code").size().between(6, 12).all()
    assert set(actions.status) <= {"not_started", "in_progress", "complete", "on_hold"}
    today = pd.Timestamp(TODAY)
    elapsed = ((today - actions.start_date) / (actions.due_date - actions.start_date)).clip(0, 1)
    live = (actions.status == "in_progress") & (actions.due_date >= today)
    assert (actions.status == "complete").any()
    assert (actions.status == "not_started").any() and (actions.start_date > today).any()
    assert (live & (actions.percent_complete >= 100 * elapsed - 10)).any()  # on time
    assert (live & (actions.percent_complete < 100 * elapsed - 30)).any()  # behind schedule
    assert ((actions.due_date < today) & (actions.status != "complete")).any()  # overdue
    assert ((actions.status == "complete") == (actions.percent_complete == 100)).all()


def test_every_area_code_exists_in_the_geography(obs):
    lookup = pd.read_csv(GEOGRAPHY / "leeds_lsoa11_ward_lookup.csv")
    lsoa21 = pd.read_csv(GEOGRAPHY / "lsoa2021" / "leeds_lsoa21_ward_lookup.csv")
    membership = pd.read_csv(GEOGRAPHY / "leeds_priority_neighbourhoods.csv")
    known = (set(lookup.lsoa11cd) | set(lsoa21.lsoa21_code) | set(lookup.ward_code)
             | set(membership.neighbourhood_code) | set(lookup.lad_code))
    assert set(obs.area_code) <= known
    lsoa = obs[obs.area_code.str.startswith("E01")]
    assert set(lsoa.area_code[lsoa.basis == "2011"]) == set(lookup.lsoa11cd)
    assert set(lsoa.area_code[lsoa.basis == "2021"]) == set(lsoa21.lsoa21_code)
    for name in PLAIN_FILES:
        assert set(pd.read_csv(SAMPLE / name).area_code) <= known, name


def test_residents_into_work_never_exceed_residents_supported(obs):
    by_period = obs[obs.indicator_code.isin(["EMP_SUPPORTED", "EMP_JOBS"])].pivot_table(
        index=["area_code", "period_start"], columns="indicator_code", values="value")
    assert (by_period.EMP_JOBS <= by_period.EMP_SUPPORTED).all()
