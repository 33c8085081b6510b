"""Source readers are pure: rows of text cells in, observation rows and a report out; the registry picks the
reader whose header matches."""

from __future__ import annotations

import doctest

import pandas as pd
import pytest

import ingest.sources
from ingest.sources import SourceContext, fingertips, header_score, nomis, police_uk_street, recognise, statxplore
from ingest.templates import normalise_heading

POLICE_HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                 "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
LEEDS = SourceContext(area_codes=frozenset({"E01011363", "E01011294"}), district="Leeds")


def police_frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """(month, LSOA code, crime type) per report; index = spreadsheet rows from 2."""
    return pd.DataFrame([{"crime_id": "", "month": m, "lsoa_code": c, "crime_type": t, "falls_within": "WYP"}
                         for m, c, t in rows], index=range(2, len(rows) + 2))


def test_police_uk_street_header_is_recognised_and_the_template_is_not_taken_for_it():
    columns = [normalise_heading(h) for h in POLICE_HEADER]
    assert recognise(columns) is police_uk_street
    assert recognise(["indicator_code", "area_code", "period_start", "value"]) is None
    assert header_score(["claimant_count_by_sex_and_age"]) == 0


def test_police_uk_street_reports_are_counted_per_indicator_lsoa_and_month():
    frame = police_frame([("2026-10", "E01011363", "Anti-social behaviour")] * 3
                         + [("2026-10", "E01011363", "Burglary"), ("2026-11", "E01011363", "Burglary"),
                            ("2026-10", "", "Other theft"), ("2026-10", "E01000001", "Robbery"),
                            ("2026-10", "E01011294", "Bicycle theft")])
    result = police_uk_street.read(frame, LEEDS)
    assert result.rows.reset_index().values.tolist() == [
        [2, "ASB_ALL", "E01011363", "2026-10", "3"], [5, "CRIME_ALL", "E01011363", "2026-10", "1"],
        [6, "CRIME_ALL", "E01011363", "2026-11", "1"], [9, "CRIME_ALL", "E01011294", "2026-10", "1"]]
    assert result.report.summary() == ("police.uk street-level file: 8 reports, 2 left out (1 with no location, "
                                       "1 outside Leeds)")
    assert result.report.incident_list


def test_police_uk_street_mappings_override_the_defaults_and_none_leaves_a_type_out():
    context = SourceContext(area_codes=LEEDS.area_codes, district="Leeds", mappings={
        ("police_uk_street", "Bicycle theft"): None, ("police_uk_street", "Burglary"): "BURGLARY"})
    frame = police_frame([("2026-10", "E01011363", "Burglary"), ("2026-10", "E01011294", "Bicycle theft")])
    result = police_uk_street.read(frame, context)
    assert result.rows["indicator_code"].tolist() == ["BURGLARY"]
    assert dict(result.report.left_out) == {"of types not counted (Bicycle theft)": 1}


def test_police_uk_street_reading_does_not_change_its_input():
    frame = police_frame([("2026-10", "e01011363", "Anti-social behaviour")])
    before = frame.copy()
    police_uk_street.read(frame, LEEDS)
    pd.testing.assert_frame_equal(frame, before)


def test_fingertips_header_is_recognised():
    columns = [normalise_heading(h) for h in ("Indicator ID", "Indicator Name", "Area Code", "Area Name", "Sex",
                                              "Category Type", "Time period", "Value", "Lower CI 95.0 limit",
                                              "Upper CI 95.0 limit", "Count", "Denominator", "Value note")]
    assert recognise(columns) is fingertips
    assert "lower_ci_95.0_limit" in columns


@pytest.mark.parametrize("module", [ingest.sources, police_uk_street, fingertips, nomis, statxplore])
def test_the_docstring_examples_hold(module):
    assert doctest.testmod(module).failed == 0


def test_fingertips_breakdowns_single_sexes_and_other_areas_are_left_out_and_reported():
    frame = pd.DataFrame({
        "indicator_id": ["92196"] * 5, "indicator_name": ["Self-harm admissions"] * 5,
        "area_code": ["E01011363", "E01011363", "E01011363", "E92000001", "E01011294"],
        "area_name": ["Leeds 071E", "Leeds 071E", "Leeds 071E", "England", "Leeds 071D"],
        "sex": ["Persons", "Male", "Persons", "Persons", "Persons"],
        "category_type": ["", "", "LSOA deprivation deciles", "", ""],
        "time_period": ["2024/25"] * 5, "value": ["484.8", "400.1", "300", "163.9", ""],
        "count": ["8", "3", "1", "1000", ""], "denominator": ["1650", "800", "300", "600000", ""],
        "value_note": ["", "", "", "", "Value suppressed for disclosure control due to small count"]},
        index=range(2, 7))
    context = SourceContext(area_codes=LEEDS.area_codes, district="Leeds",
                            indicator_names={"self-harm admissions": "SELF_HARM"})
    result = fingertips.read(frame, context)
    assert result.rows[["indicator_code", "area_code", "value", "numerator", "value_note"]].values.tolist() == [
        ["SELF_HARM", "E01011363", "484.8", "8", ""],
        ["SELF_HARM", "E01011294", "", "", "Value suppressed for disclosure control due to small count"]]
    assert dict(result.report.left_out) == {
        "broken down by a category (such as deprivation decile)": 1, "for one sex (Male) beside persons": 1,
        "for areas outside Leeds, such as England": 1}
