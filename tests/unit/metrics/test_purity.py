"""metrics/ stays pure: no streamlit, no sqlalchemy, no assert statements in source."""

import ast
from pathlib import Path

import pytest

import metrics

SOURCES = sorted(Path(metrics.__file__).parent.glob("*.py"))
FORBIDDEN = {"streamlit", "sqlalchemy"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_no_ui_or_database_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported & FORBIDDEN == set()


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_no_assert_in_source(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not any(isinstance(node, ast.Assert) for node in ast.walk(tree))
