"""Pages read the store in a few set-based statements, not one per indicator or area (N+1).

Each page is opened cold (every cache cleared) on the sample store, as a viewer, and every SQL
statement any engine sends is counted. The ceilings leave some room for new questions; a page that
starts asking per indicator again goes far past them (the overview once sent 96, the profile 204,
the ward explorer 191).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = {  # page -> (script, query parameters, ceiling); None is the entry point itself
    "overview": (None, {}, 40),
    "locality profile": ("pages/1_Locality_profile.py", {"area": "PN-NWORT"}, 40),
    # Seven sections (comparison, chart, league table, LSOA map, neighbourhoods, deprivation, basis
    # note), each asking its own questions once: about 55 statements where it sent 191.
    "ward explorer": ("pages/2_Ward_explorer.py", {"ward": "E05011385"}, 60),
}


@pytest.fixture()
def statements():
    seen: Counter[str] = Counter()

    def count(_connection, _cursor, statement, *_args) -> None:
        seen[" ".join(statement.split())] += 1

    event.listen(Engine, "before_cursor_execute", count)
    yield seen
    event.remove(Engine, "before_cursor_execute", count)


def _open(script: str | None, params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    if script is not None:
        at.switch_page(script)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("page", list(PAGES))
def test_a_cold_page_sends_few_statements(app_env, statements, page):
    script, params, ceiling = PAGES[page]
    at = _open(script, params)
    assert not at.exception
    assert at.dataframe, f"the {page} shows no table, so it read nothing worth counting"
    sent = sum(statements.values())
    assert sent <= ceiling, f"the {page} sent {sent} statements:\n" + "\n".join(
        f"{n} x {text[:160]}" for text, n in statements.most_common(10))


def test_a_warm_page_reads_only_whether_the_data_changed(app_env, statements):
    script, params, _ = PAGES["locality profile"]
    _open(script, params)
    statements.clear()
    at = _open(script, params)
    assert not at.exception
    assert sum(statements.values()) <= 2, statements
