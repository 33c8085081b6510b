"""OHID Fingertips data downloads: recognised by their header; each Indicator ID is linked to an indicator by
a source mapping or by its name, and an unlinked one stops the file with a message saying how to link it."""

from __future__ import annotations

from datetime import date

from ingest.importer import commit_import, preview_import
from tests.integration.ingest.sources.conftest import run_cli, stored_values

HEADER = ("Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,"
          "Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit,"
          "Count,Denominator,Value note,Recent Trend,Compared to England value or percentiles,Compared to percentiles,"
          "Time period Sortable,New data,Compared to goal,Time period range")
ROWS = [
    "30301,Population vaccination coverage: MMR for two doses (5 years old),E92000001,England,E92000001,England,"
    "England,Persons,5 yrs,,,2024/25,83.9,83.8,84.0,83.7,84.1,500000,596000,,,,,20240000,,,1y",
    "30301,Population vaccination coverage: MMR for two doses (5 years old),E08000035,Leeds,E01011363,Leeds 071E,"
    "LSOA,Persons,5 yrs,,,2024/25,84.6,66.5,93.9,58.0,96.4,22,26,,,,,20240000,,,1y",
    "30301,Population vaccination coverage: MMR for two doses (5 years old),E08000035,Leeds,E01011661,Leeds 035D,"
    "LSOA,Persons,5 yrs,,,2024/25,90.0,74.4,96.5,66.0,98.1,27,30,,,,,20240000,,,1y",
    "30301,Population vaccination coverage: MMR for two doses (5 years old),E92000001,England,E92000001,England,"
    "England,Persons,5 yrs,County & UA deprivation deciles,Most deprived decile,2024/25,79.0,78.7,79.3,78.5,79.5,"
    "40000,50600,,,,,20240000,,,1y",
]
CONTENT = (HEADER + "\n" + "\n".join(ROWS) + "\n").encode()
FY = date(2024, 4, 1)


def test_fingertips_an_unlinked_indicator_id_says_how_to_link_it(engine):
    preview = preview_import(engine, CONTENT, "fingertips-mmr.csv")
    assert [(p.row, p.column, p.value) for p in preview.problems] == [(3, "indicator_id", "30301")]
    assert preview.problems[0].reason == (
        "Fingertips indicator 30301 (Population vaccination coverage: MMR for two doses (5 years old)) is not linked "
        "to an indicator here. Link it on the Data page (Source mappings), or run: python -m db mapping set "
        "fingertips 30301 CODE (CODE from the indicator catalogue), then upload the file again.")


def test_fingertips_download_linked_by_mapping_imports_values_counts_and_denominators(engine, sqlite_url, capsys):
    code, out, _ = run_cli(capsys, sqlite_url, "mapping", "set", "fingertips", "30301", "MMR")
    assert code == 0
    preview = preview_import(engine, CONTENT, "fingertips-mmr.csv")
    assert preview.ok, preview.problems
    assert preview.reading.summary() == (
        "Recognised an OHID Fingertips data download: 4 rows, 2 left out (1 broken down by a category (such as "
        "deprivation decile), 1 for areas outside Leeds, such as England).")
    commit_import(engine, CONTENT, "fingertips-mmr.csv", imported_by="test")
    assert {k: v for k, v in stored_values(engine, "MMR", FY).items() if k in ("E01011363", "E01011661")} == {
        "E01011363": 84.6, "E01011661": 90.0}


def test_fingertips_download_is_linked_by_the_indicator_name_without_a_mapping(engine):
    content = CONTENT.replace(b"Population vaccination coverage: MMR for two doses (5 years old)",
                              b"MMR vaccination by age 5")
    preview = preview_import(engine, content, "fingertips-mmr.csv")
    assert preview.ok, preview.problems
    assert len(preview.new) + len(preview.changed) == 2
