"""The import direction in DESIGN.md holds, and pages stay free of SQL."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_are_kept():
    command = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    result = subprocess.run([sys.executable, "-c", command, "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Contracts: (\d+) kept, 0 broken", result.stdout)


def test_pages_hold_no_sql_and_no_database_imports():
    for page in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        source = page.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) sqlalchemy", source, re.M), page.name
        assert not re.search(r"\bSELECT\b|\bselect\(", source), page.name
