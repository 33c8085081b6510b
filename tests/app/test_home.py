"""The programme overview: tiles, matrix, exceptions and map for the Board, read from the page."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from metrics.enums import Rag
from views.programme import programme_status

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _text(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.error, *at.warning, *at.subheader, *at.title)]
    return "\n".join(str(p) for p in parts)


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _status(url, month):
    from datetime import date

    return programme_status(make_engine(url), date.fromisoformat(month + "-01"))


def test_overview_renders_tiles_matrix_exceptions_and_map(app_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    text = _text(at)
    assert "Illustrative data" in text and "Contains OS data © Crown copyright" in text
    assert "All 33 wards are outlined" in text
    assert len(at.get("deck_gl_json_chart")) == 1
    # The sample data are built so that, in September 2026, 12 of the 30 targets are green, 9 amber, 9 red.
    assert (_metric(at, "✓ On track (green)"), _metric(at, "! At risk (amber)"),
            _metric(at, "✗ Off track (red)")) == ("12", "9", "9")
    status = _status(app_env, "2026-09")
    assert _metric(at, "✗ Off track (red)") == str((status["rag"] == Rag.RED).sum())
    red = int((status["rag"] == Rag.RED).sum())
    assert f"Exceptions: {red} red targets" in text
    assert len(at.dataframe) == 1  # the exceptions are cards, not a second table
    matrix = at.dataframe[0].value
    assert len(matrix) == 6 and "Locality_profile?area=PN-NWORT&period=2026-09#New%20Wortley" in set(matrix["Locality"])
    assert matrix["Locality"].str.contains("&period=2026-09#").all()  # a profile opens at the same month


def test_period_is_read_from_the_url(app_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["period"] = "2019-09"
    at.run()
    assert not at.exception
    assert at.select_slider[0].value.isoformat() == "2019-09-01"
    status = _status(app_env, "2019-09")
    youth = status[(status["area_name"] == "New Wortley") & (status["indicator_code"] == "ASB_YOUTH")]
    assert youth["rag_label"].item() == "✓ Green"
    assert _metric(at, "✗ Off track (red)") == str((status["rag"] == Rag.RED).sum())


def test_a_malformed_period_is_explained_not_fatal(app_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["period"] = "last-tuesday"
    at.run()
    assert not at.exception
    assert any("'last-tuesday'" in w.value and "YYYY-MM" in w.value for w in at.warning)


def test_overview_says_so_when_the_database_is_down(app_env, monkeypatch):
    monkeypatch.setenv("TN_DATABASE_URL", "postgresql+psycopg://tn:pw@127.0.0.1:1/tn")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("could not be reached" in e.value for e in at.error)
    assert "Traceback" not in _text(at)


def test_an_empty_database_gets_a_helpful_message(tmp_path, monkeypatch, app_env):
    monkeypatch.setenv("TN_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    monkeypatch.setenv("TN_AUTO_SEED", "0")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("holds no indicator data" in w.value for w in at.warning)


def test_action_tiles_add_up_to_every_action_with_overdue_beside(app_env):
    from metrics.enums import ActionRag
    from views.plans import actions_with_status, today

    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    actions = actions_with_status(make_engine(app_env), None, today())
    tiles = {m.label: int(m.value) for m in at.metric if m.label.startswith("Actions: ")}
    assert list(tiles) == ["Actions: ✓✓ Complete", "Actions: ✓ On track", "Actions: ! At risk",
                           "Actions: ✗ Off track", "Actions: – Not started"]
    assert sum(tiles.values()) == len(actions) > 0
    assert tiles["Actions: ✗ Off track"] == int((actions["action_rag"] == ActionRag.OFF_TRACK.value).sum())
    overdue = int(actions["overdue"].sum())
    assert f"{len(actions)} actions in the plans, {overdue} overdue" in _text(at)
    assert "Actions overdue" not in {m.label for m in at.metric}  # a flag, not a state: no tile of its own
