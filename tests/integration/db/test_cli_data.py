"""``python -m db`` for data: template, import (and --dry-run), log, history, rollback, export, roles.

Exit codes: 0 success, 2 bad input (a file with problems lists them on stdout), 1 anything else;
errors are one line on stderr. Most tests call ``main`` in process; one runs the real module.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from db.cli import main
from tests.fixtures.uploads import CORPUS, store_digest

ROOT = Path(__file__).resolve().parents[3]


def cli(capsys, url: str, *args: str) -> tuple[int, str, str]:
    code = main(["--url", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_template_dry_run_import_reimport_log_history_and_rollback(sqlite_url, tmp_path, capsys):
    template = tmp_path / "observations.csv"
    assert cli(capsys, sqlite_url, "template", "observations", "--out", str(template))[0] == 0
    assert template.read_text(encoding="utf-8-sig").splitlines()[0].startswith("indicator_code,area_code")

    digest = store_digest(sqlite_url)
    code, out, _ = cli(capsys, sqlite_url, "import", str(template), "--dry-run")
    assert code == 0 and "2 new, 0 changed, 0 unchanged" in out and "Dry run: nothing was written." in out
    assert store_digest(sqlite_url) == digest

    code, out, _ = cli(capsys, sqlite_url, "import", str(template), "--as", "jo@leeds.gov.uk")
    summary, note = out.strip().splitlines()
    assert (code, summary) == (0, "Imported observations.csv as batch 2: 2 new, 0 changed and 0 unchanged rows.")
    # the template's ASB_ALL count has no denominator, so the LSOA's stored population is used and said so
    assert note.startswith("Denominators: 1 count row had none, so the population held for each area was used")
    code, out, _ = cli(capsys, sqlite_url, "import", str(template))
    assert code == 0 and out.startswith("Nothing to change: all 2 rows of observations.csv")
    assert "imported before as batch 2 by jo@leeds.gov.uk" in out

    code, out, _ = cli(capsys, sqlite_url, "log")
    assert code == 0 and "observations.csv" in out and "jo@leeds.gov.uk" in out
    code, out, _ = cli(capsys, sqlite_url, "history", "CLAIMANT", "E01011264", "2026-10-01")
    assert code == 0 and "3.85" in out
    code, out, _ = cli(capsys, sqlite_url, "rollback", "2")
    assert code == 0 and out.startswith("Rolled back batch 2 (observations.csv): 0 rows restored")
    code, _, err = cli(capsys, sqlite_url, "rollback", "2")
    assert code == 2 and err.startswith("error: Batch 2 has already been rolled back")


def test_a_file_with_problems_lists_them_exits_2_and_writes_nothing(sqlite_url, capsys):
    digest = store_digest(sqlite_url)
    code, out, err = cli(capsys, sqlite_url, "import", str(CORPUS / "many_problems.csv"))
    assert code == 2
    lines = out.splitlines()
    assert len(lines) == 6
    assert lines[0] == ("row 3, indicator_code 'NOPE': Unknown indicator code. Use a code from the indicator "
                        "catalogue, e.g. ASB_ALL (the templates show the format).")
    assert lines[2].startswith("row 5, period_start '2026-08-01': HATE is quarterly (UK financial quarters)")
    assert err == ("error: many_problems.csv has 6 problems; nothing was imported. Correct the file and upload it "
                   "again.\n")
    assert store_digest(sqlite_url) == digest


@pytest.mark.parametrize(("args", "words"), [
    (("import", "no-such-file.csv"), "There is no file no-such-file.csv."),
    (("rollback", "999"), "There is no import batch 999."),
    (("rollback", "1"), "is the seed data, which cannot be rolled back"),
    (("export", "--indicator", "NOPE", "--out", "x.csv"), "There is no indicator with the code 'NOPE'."),
    (("role", "set", "not-an-email", "editor"), "is not an email address"),
    (("locality", "Somewhere", "--ward", "E05011385", "--lsoas", "E01999999"), "Not LSOA codes of this district"),
])
def test_bad_input_is_one_line_with_exit_2(sqlite_url, capsys, tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(capsys, sqlite_url, *args)
    assert code == 2 and words in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_file_over_the_browser_limit_is_read_on_the_command_line(sqlite_url, capsys, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    code, out, err = cli(capsys, sqlite_url, "import", str(big))
    assert code == 2 and out.strip().startswith("file: The file contains binary data, so it is not a CSV text file.")
    assert "20 MB" not in out
    assert err.startswith("error: big.csv has 1 problem; nothing was imported.")


def test_export_is_disclosure_controlled_unless_asked_otherwise(sqlite_url, capsys, tmp_path):
    public, exact = tmp_path / "hate.csv", tmp_path / "hate.xlsx"
    code, out, _ = cli(capsys, sqlite_url, "export", "--indicator", "HATE", "--area", "PN-NWORT", "--out", str(public))
    assert code == 0 and "small numbers suppressed" in out
    shown = pd.read_csv(public, encoding="utf-8-sig", dtype=str)
    assert set(shown["area_code"]) == {"E01011363", "E01011294"}
    assert set(shown["value"]) == {"withheld below ward level"}  # LSOAs sit inside too many shown totals
    code, out, _ = cli(capsys, sqlite_url, "export", "--indicator", "HATE", "--area", "PN-NWORT", "--unsuppressed",
                       "--out", str(exact))
    assert code == 0 and "NOT for publication" in out
    values = pd.read_excel(exact)["value"]
    assert values.between(1, 4).any() and len(values) == len(shown)
    code, _, err = cli(capsys, sqlite_url, "export", "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and "must end in .csv or .xlsx" in err


def test_roles_and_localities_from_the_command_line(sqlite_url, capsys):
    assert cli(capsys, sqlite_url, "role", "set", "Jo@Leeds.gov.uk", "admin")[1] == "jo@leeds.gov.uk is now an admin.\n"
    code, out, _ = cli(capsys, sqlite_url, "role", "list")
    assert code == 0 and "jo@leeds.gov.uk admin" in " ".join(out.split())
    code, _, err = cli(capsys, sqlite_url, "role", "remove", "jo@leeds.gov.uk")
    assert code == 2 and "only admin" in err
    code, out, _ = cli(capsys, sqlite_url, "locality", "Armley Heights", "--ward", "E05011385", "--lsoas",
                       "E01011281 E01011283")
    assert code == 0 and out.startswith("Created Armley Heights (CL-ARMLEY-HEIGHTS): 2 LSOAs")


def test_the_real_module_exits_2_for_a_bad_file_without_a_traceback(sqlite_url):
    env = {**os.environ, "TN_DATABASE_URL": sqlite_url}
    result = subprocess.run([sys.executable, "-m", "db", "import", str(CORPUS / "picture.png")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout.startswith("file: '.png' files cannot be imported.")
    assert result.stderr == ("error: picture.png has 1 problem; nothing was imported. Correct the file and upload it "
                             "again.\n")
    result = subprocess.run([sys.executable, "-m", "db", "import", "x.csv", "--kind", "bogus"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "invalid choice: 'bogus'" in result.stderr and "Traceback" not in result.stderr


def test_a_dry_run_says_which_census_lsoas_the_file_was_read_on(sqlite_url, capsys):
    case = ROOT / "tests" / "fixtures" / "cases" / "ingest" / "lsoa-2021-codes" / "asb_2026-10_lsoa21.csv"
    code, out, _ = cli(capsys, sqlite_url, "import", str(case), "--dry-run")
    assert code == 0 and "LSOA rows were read on the 2021 LSOAs (488)." in out
