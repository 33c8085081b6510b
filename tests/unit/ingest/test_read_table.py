"""Reading a file into text cells: the header below title rows, two-row headings, footnotes, separators."""

from __future__ import annotations

import doctest

import pytest

import ingest.templates
from ingest.templates import UnreadableFile, read_table

HEADER = "indicator_code,area_code,period_start,value\n"


def test_title_rows_above_the_header_are_left_out_and_rows_keep_their_spreadsheet_numbers():
    content = ('"Claimant count by sex and age"\n"Date :","October 2026"\n\n' + HEADER +
               "CLAIMANT,E01011363,2026-10-01,6.2\n").encode()
    table = read_table(content, "nomis.csv")
    assert table.header_row == 4 and list(table.frame.index) == [5]
    assert table.notes == ("The header starts in row 4; 2 title rows above it were left out.",)


def test_footnotes_after_a_blank_row_are_not_data_but_a_half_filled_row_is():
    content = (HEADER + "CLAIMANT,E01011363,2026-10-01,6.2\nCLAIMANT\n\n\"Source: DWP\"\n\"Counts rounded\"\n").encode()
    table = read_table(content, "e.csv")
    assert list(table.frame.index) == [2, 3]
    assert table.notes == ("2 notes below the data (from row 5: 'Source: DWP') were not read as data.",)


def test_a_two_row_heading_is_read_as_one():
    content = ("indicator_code,area_code,Period,,value\n,,start,end,\nCLAIMANT,E01011363,2026-10-01,,6.2\n").encode()
    table = read_table(content, "c.csv")
    assert table.columns == ["indicator_code", "area_code", "period_start", "period_end", "value"]
    assert table.header_row == 2 and list(table.frame.index) == [3]


def test_semicolons_are_found_below_a_title_line_without_any():
    content = ("Claimant count\n" + HEADER.replace(",", ";") + "CLAIMANT;E01011363;2026-10-01;6.2\n").encode()
    assert read_table(content, "s.csv").frame.loc[3, "value"] == "6.2"


def test_a_file_with_no_known_header_and_only_titles_says_so():
    with pytest.raises(UnreadableFile) as refused:
        read_table(b"Thriving Neighbourhoods return\nSee the Data sheet\n", "cover.csv")
    assert "No table with a header the dashboard knows was found" in str(refused.value)


def test_the_docstring_examples_hold():
    assert doctest.testmod(ingest.templates).failed == 0
