"""Roles in the running app: viewers get disclosure-controlled numbers and no editing controls;
with an identity provider configured, the role comes from the user_roles table, not TN_LOCAL_ROLE."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from db.roles import set_role

ROOT = Path(__file__).resolve().parents[2]
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "tn",
        "client_secret": "secret", "server_metadata_url": "https://login.example/.well-known/openid-configuration"}


def page(name: str, *, secrets: dict | None = None, user: dict | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(f"pages/{name}")
    if secrets:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _hate_value(at: AppTest) -> str:
    scorecard = at.dataframe[0].value
    return str(scorecard.loc[scorecard["Indicator"] == "Hate incidents", "Value"].item())


@pytest.mark.parametrize(("role", "shown"), [("viewer", "<5"), ("editor", "2"), ("admin", "2")])
def test_small_counts_are_hidden_from_viewers_only(app_env, monkeypatch, role, shown):
    monkeypatch.setenv("TN_LOCAL_ROLE", role)
    at = page("1_Locality_profile.py", area="PN-NWORT", period="2026-09")
    assert not at.exception
    assert _hate_value(at) == shown


def _is_editing(at: AppTest) -> bool:
    return bool(at.tabs) and any(t.label == "Upload" for t in at.tabs)


def _sidebar_text(at: AppTest) -> str:
    return " ".join(str(c.value) for c in at.sidebar.caption)


def test_signed_in_people_get_the_role_an_admin_granted(app_env):
    set_role(make_engine(app_env), "editor@leeds.gov.uk", "editor", granted_by="test")
    at = page("6_Data.py", secrets={"auth": AUTH},
              user={"is_logged_in": True, "email": "Editor@Leeds.gov.uk", "name": "Eddie Editor"})
    assert not at.exception
    assert _is_editing(at) and "Users and roles" not in [t.label for t in at.tabs]
    assert "Signed in as Eddie Editor (editor)." in _sidebar_text(at)
    assert [b.label for b in at.sidebar.button] == ["Sign out"]
    profile = page("1_Locality_profile.py", secrets={"auth": AUTH}, area="PN-NWORT", period="2026-09",
                   user={"is_logged_in": True, "email": "editor@leeds.gov.uk", "name": "Eddie Editor"})
    assert _hate_value(profile) == "2"


def test_entra_id_sign_in_names_are_used_when_there_is_no_email_claim(app_env):
    set_role(make_engine(app_env), "boss@leeds.gov.uk", "admin", granted_by="test")
    at = page("6_Data.py", secrets={"auth": AUTH},
              user={"is_logged_in": True, "preferred_username": "Boss@leeds.gov.uk", "name": "The Boss"})
    assert "Users and roles" in [t.label for t in at.tabs]


def test_a_signed_in_person_with_no_role_is_a_viewer(app_env, monkeypatch):
    monkeypatch.setenv("TN_LOCAL_ROLE", "admin")  # ignored once sign-in is configured
    at = page("6_Data.py", secrets={"auth": AUTH}, user={"is_logged_in": True, "email": "new@leeds.gov.uk"})
    assert not at.exception and not _is_editing(at)
    assert any("The Data page is for editors" in i.value for i in at.info)
    profile = page("1_Locality_profile.py", secrets={"auth": AUTH}, area="PN-NWORT", period="2026-09",
                   user={"is_logged_in": True, "email": "new@leeds.gov.uk"})
    assert _hate_value(profile) == "<5"


def test_someone_not_signed_in_is_offered_sign_in_and_sees_public_figures(app_env, monkeypatch):
    monkeypatch.setenv("TN_LOCAL_ROLE", "editor")
    at = page("6_Data.py", secrets={"auth": AUTH}, user={"is_logged_in": False})
    assert not at.exception and not _is_editing(at)
    assert [b.label for b in at.sidebar.button] == ["Sign in"]
    assert "You are not signed in" in _sidebar_text(at)
    assert any("someone who is not signed in" in i.value for i in at.info)


def test_an_admin_grants_a_role_on_the_data_page(app_env):
    engine = make_engine(app_env)
    set_role(engine, "boss@leeds.gov.uk", "admin", granted_by="test")
    at = page("6_Data.py", secrets={"auth": AUTH}, user={"is_logged_in": True, "email": "boss@leeds.gov.uk"})
    at.text_input(key="role_email").set_value("Officer@Leeds.gov.uk")
    at.selectbox(key="role_role").set_value("editor")
    at.button(key="save_role").click().run()
    assert not at.exception
    # Messages are Markdown with text from people escaped (views.safe_text.md): compare what is shown.
    assert any("officer@leeds.gov.uk is now editor." in s.value.replace("\\", "") for s in at.success)
    from db.roles import role_for

    assert role_for(engine, "officer@leeds.gov.uk") == "editor"
    roles_table = next(d.value for d in at.dataframe if "granted_by" in d.value.columns)
    assert roles_table.loc[roles_table["email"] == "officer@leeds.gov.uk", "granted_by"].item() == "boss@leeds.gov.uk"
