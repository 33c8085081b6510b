"""Fixtures for the printed reports: one chart browser per run, and readers for the PDFs made.

PDFs are read back with poppler (``pdftotext``, ``pdfinfo``, ``pdftoppm``), as a person would
see them. Chromium and poppler are skipped locally when missing and fail the run under CI=true.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Word:
    """One word as poppler places it on the page, in points from the top left."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Word, gap: float = 0.0) -> bool:
        """True when the boxes intersect, or come within ``gap`` points side by side on one line."""
        vertical = min(self.bottom, other.bottom) - max(self.top, other.top)
        horizontal = min(self.right, other.right) - max(self.left, other.left)
        return vertical > 0.5 * min(self.bottom - self.top, other.bottom - other.top) and horizontal > -gap


def pdf_words(path: Path) -> list[list[Word]]:
    """Every word of every page with its box (``pdftotext -bbox``), in reading order."""
    require_poppler()
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    box = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')
    return [[Word(html.unescape(text), float(left), float(top), float(right), float(bottom))
             for left, top, right, bottom, text in box.findall(page)] for page in out.split("<page ")[1:]]


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
