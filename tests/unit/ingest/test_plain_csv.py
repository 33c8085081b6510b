"""The quick CSV reader (pandas, for a header in the first row) reads what the careful one reads."""

import pandas as pd
import pytest

from ingest import templates
from ingest.templates import _csv_rows, _table, read_table

HEADER = "indicator_code,area_code,period_start,value\n"


@pytest.mark.parametrize("body", [
    "ASB_ALL,E01011264,2026-10-01,4\nASB_ALL,E01011265,2026-10-01,5\n",
    "ASB_ALL,E01011264,2026-10-01,4\n\n,,,\nASB_ALL,E01011265,2026-10-01,5\n",  # blank rows keep their numbers
    'ASB_ALL,E01011264,2026-10-01,"4"\nASB_ALL,"E0101\n1265",2026-10-01,5\n',  # a quoted line break
    "ASB_ALL,E01011264,2026-10-01\nASB_ALL,E01011265,2026-10-01,5\n",  # a short row
])
def test_rows_and_their_numbers_match_the_careful_reader(body):
    text = HEADER + body

    quick = read_table(text.encode(), "obs.csv")
    careful = _table(_csv_rows(text))

    assert quick.columns == careful.columns
    pd.testing.assert_frame_equal(quick.frame.astype(object), careful.frame.astype(object), check_index_type=False)


@pytest.mark.parametrize(("body", "ragged"), [
    ("ASB_ALL,E01011264,2026-10-01,4,9\n", ((2, 5),)),  # pandas would drop the first row's extra value
    ("ASB_ALL,E01011264,2026-10-01,4\n" * 3 + "ASB_ALL,E01011265,2026-10-01,5,9\n", ((5, 5),)),
])
def test_a_ragged_row_goes_to_the_careful_reader_which_names_it(body, ragged):
    table = read_table((HEADER + body).encode(), "obs.csv")

    assert table.ragged == ragged


def test_notes_below_the_data_go_to_the_careful_reader():
    table = read_table((HEADER + "ASB_ALL,E01011264,2026-10-01,4\n\nSource: police.uk\n").encode(), "obs.csv")

    assert list(table.frame.index) == [2]
    assert "Source: police.uk" in " ".join(table.notes)


def test_the_row_limit_still_holds_in_the_browser(monkeypatch):
    monkeypatch.setattr(templates, "MAX_ROWS", 1)

    with pytest.raises(templates.UnreadableFile, match="more than 1 rows"):
        read_table((HEADER + "ASB_ALL,E01011264,2026-10-01,4\n" * 3).encode(), "obs.csv")
