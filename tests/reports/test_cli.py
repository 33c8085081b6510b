"""``python -m reports``: exit codes and one-line messages, and the HTML fallback without a browser."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.reports.conftest import A4_POINTS, page_size_points, pdf_info, require_browser

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, url: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "TN_DATABASE_URL": url, "TN_LOCAL_ROLE": "viewer", **env}
    return subprocess.run([sys.executable, "-m", "reports", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=180)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def test_snapshot_pdf_is_written_and_exit_code_is_0(sqlite_url, tmp_path):
    require_browser()
    out = tmp_path / "lincoln-green.pdf"
    result = run("snapshot", "--area", "PN-LGRN", "--period", "2026-09", "--out", str(out), url=sqlite_url)
    assert result.returncode == 0, result.stderr
    assert "Wrote the snapshot of Lincoln Green for September 2026" in result.stdout
    assert page_size_points(out) == A4_POINTS and int(pdf_info(out)["Pages"]) == 1


@pytest.mark.parametrize(("args", "message"), [
    (["snapshot", "--area", "PN-NOPE"], "Not a locality: PN-NOPE. Choose from PN-BEVS"),
    (["pack", "--areas", "PN-NWORT,E05011385"], "Not a locality: E05011385."),
    (["snapshot", "--area", "PN-NWORT", "--period", "2031-01"], "There is no data after September 2026"),
    (["snapshot", "--area", "PN-NWORT", "--period", "Sept"], "'Sept' is not a month written YYYY-MM"),
    (["snapshot", "--area", "PN-NWORT", "--small-numbers"], "--small-numbers is for editors"),
])
def test_bad_requests_exit_2_with_one_line(sqlite_url, tmp_path, args, message):
    out = tmp_path / "snapshot.pdf"
    result = run(*args, "--out", str(out), url=sqlite_url)
    assert result.returncode == 2
    assert message in one_line_error(result)
    assert not out.exists()


@pytest.mark.parametrize(("name", "message"), [
    ("missing-folder/snapshot.pdf", "the folder"),
    ("snapshot.docx", "--out must end in .pdf or .html"),
])
def test_unwritable_or_unknown_outputs_exit_2(sqlite_url, tmp_path, name, message):
    result = run("snapshot", "--area", "PN-NWORT", "--out", str(tmp_path / name), url=sqlite_url)
    assert result.returncode == 2
    assert message in one_line_error(result)


def test_without_a_browser_a_pdf_becomes_a_self_contained_html_file(sqlite_url, tmp_path):
    out = tmp_path / "new-wortley.pdf"
    result = run("snapshot", "--area", "PN-NWORT", "--out", str(out), url=sqlite_url,
                 BROWSER_PATH=str(tmp_path / "no-such-chromium"))
    assert result.returncode == 1
    line = one_line_error(result)
    assert f"No Chromium or Chrome at BROWSER_PATH={tmp_path / 'no-such-chromium'}" in line
    assert "new-wortley.html" in line and "print it" in line
    assert not out.exists()
    html = (tmp_path / "new-wortley.html").read_text(encoding="utf-8")
    assert "<h1 class=\"section-title\">New Wortley</h1>" in html
    assert "size: A4 portrait" in html
    assert html.count("Plotly.newPlot") == 5  # four trends and the map, drawn by the plotly.js inside
    assert script_sources(html) == []  # nothing to fetch: it opens and prints offline


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("src"):
            self.sources.append(dict(attrs)["src"])


def script_sources(html: str) -> list[str]:
    parser = _Scripts()
    parser.feed(html)
    return parser.sources
