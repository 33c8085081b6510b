"""Exports that are safe to open in a spreadsheet.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be
run as a formula by Excel or LibreOffice (CSV injection), so such cells get a leading
apostrophe, which spreadsheets show as plain text. Numbers are left alone.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """'=HYPERLINK(...)' -> "'=HYPERLINK(...)"; numbers and other text unchanged.

    Example:
        >>> neutralise_cell("=1+1"), neutralise_cell("-3 residents"), neutralise_cell(-3)
        ("'=1+1", "'-3 residents", -3)
    """
    # Some spreadsheets skip leading spaces and line breaks before reading a formula.
    if isinstance(value, str) and value.lstrip(" \n").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell made safe (column names too)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            # Built as object so pandas does not turn text such as "52" cells into floats.
            safe[column] = pd.Series([neutralise_cell(v) for v in safe[column]], index=safe.index, dtype=object)
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads the £ and – correctly), formulas neutralised."""
    return neutralise_formulas(frame).to_csv(index=False).encode("utf-8-sig")


def excel_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook, one sheet per frame, formulas neutralised."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in frames.items():
            neutralise_formulas(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()
