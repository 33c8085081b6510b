"""The browser's own print of the Snapshot page (Ctrl+P): one A4 page with the snapshot and nothing else."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.browser.conftest import open_page
from tests.reports.conftest import require_poppler

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("code", ["PN-CLNW", "PN-LGRN"])  # the two longest snapshots
def test_printing_the_snapshot_page_gives_one_a4_page(page, app_url, tmp_path, code):
    require_poppler()
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(page, f"{app_url}/Snapshot?area={code}&period=2026-09", timeout_ms=180_000)
    page.wait_for_selector(".tn-report img.chart", timeout=180_000)
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)  # what Ctrl+P prints
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M) and "pts (A4)" in info
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
                    .stdout.split())
    assert "Action plan" in text and "Contains OS data" in text  # the foot of the snapshot is on the page
    assert "Download PDF" not in text and "Locality" not in text.split("Scorecard")[0]  # no page controls
