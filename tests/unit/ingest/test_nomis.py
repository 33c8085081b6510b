"""Nomis downloads, bulk CSV and web table: recognised below their titles, each series linked by a source
mapping, suppressed figures kept as suppressed, other areas and levels left out and counted.

The two files in tests/fixtures/uploads (nomis_claimant_count_*.csv) hold the real Claimant Count for
Leeds wards, July to October 2023 (ONS/DWP via Nomis, dataset NM_162_1; see NOMIS_FIXTURES.md there)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingest.sources import SourceContext, nomis, recognise
from ingest.templates import read_table

UPLOADS = Path(__file__).resolve().parents[2] / "fixtures" / "uploads"
BULK, TABLE = UPLOADS / "nomis_claimant_count_wards.csv", UPLOADS / "nomis_claimant_count_table.csv"
COUNT, RATE = "Claimant count", "Claimants as a proportion of residents aged 16-64"
ARMLEY, LEEDS_CODE = "E05011385", "E08000035"


def context(mappings: dict[str, str | None], titles=()) -> SourceContext:
    wards = {ARMLEY: "ward", "E05011384": "ward", "E05013831": "ward"}
    return SourceContext(area_codes=frozenset({*wards, LEEDS_CODE}), district="Leeds",
                         mappings={("nomis", k): v for k, v in mappings.items()},
                         area_types={**wards, LEEDS_CODE: "city"}, indicator_geographies={"CC_WARD": "ward"},
                         titles=titles)


def read_file(path: Path, mappings: dict[str, str | None]):
    table = read_table(path.read_bytes(), path.name, header_score=nomis.header_score)
    assert recognise(table.columns) is nomis
    return table, nomis.read(table.frame, context(mappings, table.titles))


def test_bulk_csv_counts_one_series_leaves_the_other_out_and_the_district_total_beside_its_wards():
    _, result = read_file(BULK, {COUNT: "CC_WARD", RATE: None})
    assert not result.problems
    armley = result.rows[result.rows["area_code"] == ARMLEY]
    assert armley[["indicator_code", "period_start", "value", "status"]].values.tolist() == [
        ["CC_WARD", "2023-07", "1645", "final"], ["CC_WARD", "2023-08", "1655", "final"],
        ["CC_WARD", "2023-09", "1655", "final"], ["CC_WARD", "2023-10", "1670", "final"]]
    assert result.report.summary() == (
        f"Nomis bulk CSV: 272 rows, 260 left out (136 of series not counted ({RATE}), 120 for areas outside Leeds "
        "(such as Adel & Wharfedale, Alwoodley), 4 at another level than the indicator (such as Leeds))")


def test_bulk_csv_series_with_no_mapping_stops_with_the_command_that_links_it():
    _, result = read_file(BULK, {})
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, "measure_name", COUNT),
                                                                      (36, "measure_name", RATE)]
    assert result.problems[0].reason == (
        "The Nomis series 'Claimant count' is not linked to an indicator here. Link it on the Data page (Source "
        "mappings), or run: python -m db mapping set nomis \"Claimant count\" CODE (CODE from the indicator "
        "catalogue, or none to leave it out), then upload the file again.")


def test_bulk_status_q_is_suppressed_p_is_provisional_and_no_value_is_left_out():
    frame = pd.DataFrame({"date_code": ["2023-10"] * 4, "geography_code": [ARMLEY, "E05011384", "E05013831", ARMLEY],
                          "gender_name": ["Total", "Total", "Total", "Male"],
                          "measure_name": [COUNT] * 4, "obs_value": ["", "295", "", "900"],
                          "obs_status": ["Q", "P", "X", "A"]}, index=[2, 3, 4, 5])
    result = nomis.read(frame, context({COUNT: "CC_WARD", f"Male / {COUNT}": None}))
    assert result.rows[["area_code", "value", "value_note", "status"]].values.tolist() == [
        [ARMLEY, "[c]", "Suppressed at source (Nomis status Q)", "final"], ["E05011384", "295", "", "provisional"]]
    assert dict(result.report.left_out) == {f"of series not counted (Male / {COUNT})": 1, "with no value published": 1}


def test_table_download_reads_month_columns_below_the_titles_and_leaves_the_footnotes_out():
    table, result = read_file(TABLE, {COUNT: "CC_WARD"})
    assert table.header_row == 8
    assert any("2 notes below the data" in note for note in table.notes)
    assert not result.problems
    temple = result.rows[result.rows["area_code"] == "E05013831"]
    assert temple[["period_start", "value"]].values.tolist() == [
        ["july 2023", "540"], ["august 2023", "555"], ["september 2023", "525"], ["october 2023", "525"]]
    assert result.report.summary() == ("Nomis table: 33 rows, 120 left out (120 for areas outside Leeds (such as "
                                       "Adel & Wharfedale, Alwoodley))")


def test_table_with_the_date_in_the_titles_and_suppressed_cells():
    content = ('"Claimant count by sex and age"\n"ONS Crown Copyright Reserved [from Nomis]"\n"Date : October 2023"\n'
               '"measure :","Claimant count"\n\n"ward:2022","mnemonic","Total"\n"ward:Armley","E05011385","*"\n'
               '"ward:Ardsley & Robin Hood","E05011384","1,310"\n\n"* figure not shown: disclosive"\n').encode()
    table = read_table(content, "nomis.csv", header_score=nomis.header_score)
    result = nomis.read(table.frame, context({COUNT: "CC_WARD"}, table.titles))
    assert result.rows[["area_code", "period_start", "value", "value_note"]].values.tolist() == [
        [ARMLEY, "October 2023", "[c]", "Suppressed at source (Nomis '*')"], ["E05011384", "October 2023", "1310", ""]]


def test_table_without_a_date_says_how_to_download_it():
    content = '"Claimant count"\n"ward:2022","mnemonic","Total"\n"ward:Armley","E05011385","1645"\n'.encode()
    table = read_table(content, "nomis.csv", header_score=nomis.header_score)
    result = nomis.read(table.frame, context({COUNT: "CC_WARD"}, table.titles))
    assert "gives no date" in result.problems[0].reason
