"""Uploads are bounded in bytes, rows and cells, and each refusal names the limit and what to do."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from ingest import templates
from ingest.templates import UnreadableFile, read_table

HEADER = "indicator_code,area_code,period_start,value\n"
ROW = "ASB_ALL,E01011264,2026-10-01,4\n"


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_file_with_more_cells_than_the_limit_is_refused_naming_the_limit(monkeypatch):
    monkeypatch.setattr(templates, "MAX_CELLS", 40)
    with pytest.raises(UnreadableFile) as refused:
        read_table((HEADER + ROW * 10).encode(), "wide.csv")
    assert str(refused.value) == ("The file has more than 40 cells (rows times columns) by row 11; the limit is 40. "
                                  "Split it into smaller files, or remove columns the template does not have.")
    assert refused.value.row == 11


def test_a_workbook_with_more_cells_than_the_limit_is_refused_too(monkeypatch):
    monkeypatch.setattr(templates, "MAX_CELLS", 40)
    rows = [HEADER.strip().split(",")] + [ROW.strip().split(",")] * 10
    with pytest.raises(UnreadableFile, match="the limit is 40"):
        read_table(_xlsx(rows), "wide.xlsx")


def test_a_file_at_the_cell_limit_is_read(monkeypatch):
    monkeypatch.setattr(templates, "MAX_CELLS", 44)
    table = read_table((HEADER + ROW * 10).encode(), "exact.csv")
    assert len(table.frame) == 10


def test_a_file_with_more_rows_than_the_limit_is_refused_naming_the_limit(monkeypatch):
    monkeypatch.setattr(templates, "MAX_ROWS", 5)
    with pytest.raises(UnreadableFile, match="more than 5 rows"):
        read_table((HEADER + ROW * 6).encode(), "long.csv")


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(templates, "MAX_UPLOAD_BYTES", 1_048_576)
    content = (HEADER + ROW * 40_000).encode()
    with pytest.raises(UnreadableFile, match=r"the limit is 1 MB\. Split it into smaller files"):
        read_table(content, "big.csv")


def test_the_default_limits_allow_a_full_size_file_of_the_widest_template():
    assert templates.MAX_CELLS >= 100_000 * max(len(spec.fields) for spec in templates.KINDS.values())
