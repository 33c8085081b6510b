"""Published estimates (case folder survey-estimates): a weighted survey percentage is stored as published
with its unweighted base, judged with its own interval, and never re-aggregated from LSOAs."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from db import schema
from ingest.history import rollback_batch
from ingest.importer import commit_import, preview_import
from metrics.enums import Comparison
from tests.integration.ingest.support import case_bytes
from views.scorecards import compare, indicator_lookup, series_for

APRIL_2026 = date(2026, 4, 1)
ARMLEY = "E05011385"
OFFICER = "analyst@leeds.gov.uk"
LSOA_FILE = "safe_after_dark_lsoa_weighted_2026.csv"
WARD_FILE = "safe_after_dark_ward_2026.csv"


def _publish_as(engine, code: str, estimate_type: str, **changes) -> None:
    with engine.begin() as connection:
        connection.execute(update(schema.indicators).where(schema.indicators.c.code == code)
                           .values(estimate_type=estimate_type, **changes))


def test_survey_estimates_a_counted_indicator_refuses_weighted_values(engine):
    preview = preview_import(engine, case_bytes("survey-estimates", LSOA_FILE), LSOA_FILE)
    assert {p.column for p in preview.problems} == {"value"}
    assert preview.problems[0].reason.startswith("Does not match numerator ÷ denominator × 100 = 61.36")


def test_survey_estimates_lsoa_values_are_stored_as_published_with_their_base(engine):
    _publish_as(engine, "SAFE_DARK", "weighted_survey_percent")
    result = commit_import(engine, case_bytes("survey-estimates", LSOA_FILE), LSOA_FILE, imported_by=OFFICER)
    assert result.rows_new == 4
    obs = schema.observations
    with engine.connect() as connection:
        stored = connection.execute(select(obs.c.value, obs.c.numerator, obs.c.unweighted_base).where(
            obs.c.indicator_code == "SAFE_DARK", obs.c.area_code == "E01011363",
            obs.c.period_start == APRIL_2026)).one()
    assert tuple(stored) == (58.3, 27, 44)
    indicator = indicator_lookup(engine)["SAFE_DARK"]
    lsoa = series_for(engine, indicator, ["E01011363"], area_type="lsoa", period_start=APRIL_2026).iloc[0]
    assert lsoa["value"] == 58.3  # not 27 / 44 = 61.4%
    assert (round(lsoa["lower"], 1), round(lsoa["upper"], 1)) == (43.6, 71.6)  # Wilson on the 44 respondents
    rollback_batch(engine, result.batch_id, rolled_back_by=OFFICER)


def test_survey_estimates_a_ward_file_loads_and_the_ward_value_is_its_own(engine):
    _publish_as(engine, "SAFE_DARK", "weighted_survey_percent")
    commit_import(engine, case_bytes("survey-estimates", LSOA_FILE), LSOA_FILE, imported_by=OFFICER)
    result = commit_import(engine, case_bytes("survey-estimates", WARD_FILE), WARD_FILE, imported_by=OFFICER)
    assert result.rows_new == 3
    indicator = indicator_lookup(engine)["SAFE_DARK"]
    wards = series_for(engine, indicator, [ARMLEY, "E05011400", "E05011388"],
                       period_start=APRIL_2026).set_index("area_code")
    assert wards.loc[ARMLEY, "value"] == 58.3 and bool(wards.loc[ARMLEY, "complete"])
    armley = wards.loc[ARMLEY]  # 58.3%; Wilson intervals on each ward's respondents
    assert compare(indicator, wards.loc["E05011400"], armley, same_area=False) is Comparison.SIMILAR  # 49.6% of 51
    assert compare(indicator, wards.loc["E05011388"], armley, same_area=False) is Comparison.WORSE  # 44.0% of 47


def test_survey_estimates_a_ward_level_indicator_takes_the_ward_file(engine):
    _publish_as(engine, "SAFE_DARK", "weighted_survey_percent", collection_geography="ward")
    preview = preview_import(engine, case_bytes("survey-estimates", WARD_FILE), WARD_FILE)
    assert preview.ok and len(preview.new) == 3


def test_published_limits_are_used_for_comparisons(engine):
    _publish_as(engine, "SELF_HARM", "age_standardised_rate")
    content = (b"indicator_code,area_code,period_start,value,lower_limit,upper_limit\n"
               b"SELF_HARM,E05011385,2026-04-01,310.2,260.5,366.8\n"
               b"SELF_HARM,E05011400,2026-04-01,180.0,150.1,214.3\n"
               b"SELF_HARM,E08000035,2026-04-01,190.0,184.0,196.1\n")
    commit_import(engine, content, "self-harm-dsr.csv", imported_by=OFFICER)
    indicator = indicator_lookup(engine)["SELF_HARM"]
    rows = series_for(engine, indicator, [ARMLEY, "E05011400", "E08000035"],
                      period_start=APRIL_2026).set_index("area_code")
    assert (rows.loc[ARMLEY, "lower"], rows.loc[ARMLEY, "upper"]) == (260.5, 366.8)
    city = rows.loc["E08000035"]
    assert compare(indicator, rows.loc[ARMLEY], city, same_area=False) is Comparison.WORSE
    assert compare(indicator, rows.loc["E05011400"], city, same_area=False) is Comparison.SIMILAR


def test_published_limits_that_do_not_hold_the_value_are_refused(engine):
    _publish_as(engine, "SELF_HARM", "age_standardised_rate")
    content = (b"indicator_code,area_code,period_start,value,lower_limit,upper_limit\n"
               b"SELF_HARM,E05011385,2026-04-01,410.2,260.5,366.8\n"
               b"SELF_HARM,E05011400,2026-04-01,180.0,214.3,150.1\n")
    reasons = {(p.row, p.column): p.reason for p in preview_import(engine, content, "dsr.csv").problems}
    assert reasons[(2, "value")].startswith("The value is outside its published limits (260.5 to 366.8)")
    assert reasons[(3, "upper_limit")] == "The upper limit is below the lower limit. Check both limits."


@pytest.mark.parametrize("estimate_type", ["age_standardised_rate", "standardised_ratio"])
def test_an_estimate_without_limits_is_not_compared(engine, estimate_type):
    _publish_as(engine, "SELF_HARM", estimate_type)
    content = (b"indicator_code,area_code,period_start,value\n"
               b"SELF_HARM,E05011385,2026-04-01,310.2\nSELF_HARM,E08000035,2026-04-01,190.0\n")
    commit_import(engine, content, "dsr.csv", imported_by=OFFICER)
    indicator = indicator_lookup(engine)["SELF_HARM"]
    rows = series_for(engine, indicator, [ARMLEY, "E08000035"], period_start=APRIL_2026).set_index("area_code")
    assert compare(indicator, rows.loc[ARMLEY], rows.loc["E08000035"], same_area=False) is Comparison.NOT_COMPARED
