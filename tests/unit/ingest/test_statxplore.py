"""DWP Stat-Xplore table exports: titles and filters above, the row field below the column field, areas by name,
totals and other districts left out, suppressed cells kept as suppressed. Figures here are illustrative; the
layout is Stat-Xplore's CSV download."""

from __future__ import annotations

from ingest.sources import SourceContext, recognise, statxplore
from ingest.templates import read_table

DATASET = "People on Universal Credit"
EXPORT = f'''"Dataset:","{DATASET}"

"Counting:","People"

"Filters:"
"Default Summation","{DATASET}"
"Conditionality Regime","Searching for work"

"","Month","August 2023","September 2023","October 2023","Total"
"Ward (2022)","","","","",""
"Armley","","1,801","1,822","1,850","5,473"
"Adel and Wharfedale","","..","..","12","12"
"Bradford Moor","","2,100","2,090","2,110","6,300"
"Total","","3,901","3,912","3,972","11,785"

"Data for October 2023 are provisional."
"Statistical disclosure control has been applied to this table."
'''.encode()
ARMLEY, ADEL = "E05011385", "E05012841"
SERIES = f"{DATASET} / Searching for work"


def context(mappings, titles) -> SourceContext:
    return SourceContext(area_codes=frozenset({ARMLEY, ADEL}), district="Leeds",
                         mappings={("statxplore", k): v for k, v in mappings.items()},
                         area_names={"armley": ARMLEY, "adel and wharfedale": ADEL}, area_types={ARMLEY: "ward",
                                                                                                 ADEL: "ward"},
                         indicator_geographies={"UC_SEARCHING": "ward"}, titles=titles)


def test_export_is_read_below_its_filters_with_the_row_field_under_the_column_field():
    table = read_table(EXPORT, "statxplore.csv", header_score=statxplore.header_score)
    assert recognise(table.columns) is statxplore
    assert table.columns[:2] == ["ward_(2022)", "month"]
    result = statxplore.read(table.frame, context({SERIES: "UC_SEARCHING"}, table.titles))
    assert not result.problems
    assert result.rows[["area_code", "period_start", "value", "value_note"]].values.tolist() == [
        [ARMLEY, "august 2023", "1801", ""], [ADEL, "august 2023", "[c]", "Suppressed at source (Stat-Xplore '..')"],
        [ARMLEY, "september 2023", "1822", ""],
        [ADEL, "september 2023", "[c]", "Suppressed at source (Stat-Xplore '..')"],
        [ARMLEY, "october 2023", "1850", ""], [ADEL, "october 2023", "12", ""]]
    assert result.report.summary() == ("DWP Stat-Xplore table: 4 rows, 4 left out (1 of totals, 3 for areas outside "
                                       "Leeds (such as Bradford Moor))")


def test_an_unlinked_series_stops_the_file_with_the_command_that_links_it():
    table = read_table(EXPORT, "statxplore.csv", header_score=statxplore.header_score)
    result = statxplore.read(table.frame, context({}, table.titles))
    assert [p.value for p in result.problems] == [SERIES]
    assert f'python -m db mapping set statxplore "{SERIES}" CODE' in result.problems[0].reason


def test_the_month_chosen_as_a_filter_dates_a_single_total_column():
    content = (f'"Dataset:","{DATASET}"\n"Filters:"\n"Month","October 2023"\n\n"Ward (2022)","Total"\n'
               '"Armley","1,850"\n"Total","1,850"\n').encode()
    table = read_table(content, "statxplore.csv", header_score=statxplore.header_score)
    assert recognise(table.columns) is statxplore
    result = statxplore.read(table.frame, context({DATASET: "UC_SEARCHING"}, table.titles))
    assert result.rows[["area_code", "period_start", "value"]].values.tolist() == [[ARMLEY, "October 2023", "1850"]]


def test_a_filter_line_with_a_total_is_not_taken_for_the_header():
    assert statxplore.header_score(["sex_:", "total"]) == 0
    assert statxplore.header_score(["date_:", "october_2026"]) == 0
    assert statxplore.header_score(["claimant_count", "october_2026"]) == 0
    assert statxplore.header_score(["", "month", "october_2026"]) == 1
    assert statxplore.header_score(["conditionality_regime", "total"]) == 0
    assert statxplore.header_score(["ward_(2022)", "total"]) == 1
