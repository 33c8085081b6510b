"""Fixtures for the printed reports: one chart browser per run, and readers for the PDFs made.

PDFs are read back with poppler (``pdftotext``, ``pdfinfo``, ``pdftoppm``), as a person would
see them. Chromium and poppler are skipped locally when missing and fail the run under CI=true.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from reports.errors import BrowserUnavailable
from reports.figures import ChartExporter, find_browser
from tests.conftest import require

AS_OF = date(2026, 9, 1)
PRODUCED = date(2026, 10, 15)
A4_POINTS = (595, 842)


def require_poppler() -> None:
    for tool in ("pdftotext", "pdfinfo", "pdftoppm"):
        require(shutil.which(tool) is not None, f"{tool} (poppler-utils) is not installed")


def require_browser() -> None:
    try:
        find_browser()
    except BrowserUnavailable as exc:
        require(False, f"no Chromium for chart export: {exc}")


@pytest.fixture(scope="session")
def exporter():
    require_browser()
    charts = ChartExporter().start()
    yield charts
    charts.close()


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, laid out as printed (columns kept apart by runs of spaces)."""
    require_poppler()
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def pdf_info(path: Path) -> dict[str, str]:
    require_poppler()
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, value in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def page_size_points(path: Path) -> tuple[int, int]:
    width, height = re.match(r"([\d.]+) x ([\d.]+) pts", pdf_info(path)["Page size"]).groups()
    return round(float(width)), round(float(height))


def page_image(path: Path, page: int, dpi: int = 75) -> Image.Image:
    require_poppler()
    png = subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path)],
                         capture_output=True, check=True).stdout
    return Image.open(BytesIO(png)).convert("RGB")


def pixels_near(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 10) -> int:
    """How many pixels are within ``tolerance`` of ``colour`` in every channel."""
    return sum(count for count, rgb in image.getcolors(maxcolors=1 << 24)
               if all(abs(a - b) <= tolerance for a, b in zip(rgb, colour, strict=True)))


def on_white(rgb: tuple[int, int, int], alpha: float) -> tuple[int, int, int]:
    return tuple(round(alpha * c + (1 - alpha) * 255) for c in rgb)
