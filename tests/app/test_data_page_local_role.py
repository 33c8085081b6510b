"""What the Data page tells a viewer about getting editor rights: locally (no ``[auth]``) restart with
TN_LOCAL_ROLE=editor, since there is nothing to sign in to; with sign-in configured, sign in."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "tn",
        "client_secret": "secret", "server_metadata_url": "https://login.example/.well-known/openid-configuration"}


def data_page(*, secrets: dict | None = None, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/6_Data.py")
    if secrets:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    return at.run()


def notice(at: AppTest) -> str:
    texts = [i.value for i in at.info if "The Data page is for editors" in i.value]
    assert len(texts) == 1, [i.value for i in at.info]
    return texts[0]


def test_a_local_viewer_is_told_to_restart_with_the_editor_role(app_env, monkeypatch):
    monkeypatch.setenv("TN_LOCAL_ROLE", "viewer")
    at = data_page()
    assert not at.exception
    text = notice(at)
    assert "stop the app (Ctrl+C in the terminal that runs it) and start it again as an editor: " \
           "`TN_LOCAL_ROLE=editor streamlit run app.py`" in text
    assert "which is viewer unless it is set" in text
    assert "sign in" not in text.lower()
    assert not at.tabs  # no editing controls for a viewer


def test_a_local_editor_gets_the_editing_tabs_and_no_notice(app_env, monkeypatch):
    monkeypatch.setenv("TN_LOCAL_ROLE", "editor")
    at = data_page()
    assert not at.exception
    assert "Upload" in [tab.label for tab in at.tabs]
    assert not [i for i in at.info if "The Data page is for editors" in i.value]


def test_with_sign_in_configured_a_viewer_is_told_to_sign_in(app_env, monkeypatch):
    monkeypatch.setenv("TN_LOCAL_ROLE", "viewer")
    at = data_page(secrets={"auth": AUTH}, user={"is_logged_in": False})
    assert not at.exception
    text = notice(at)
    assert "sign in and ask an admin for the editor role" in text
    assert "TN_LOCAL_ROLE" not in text
