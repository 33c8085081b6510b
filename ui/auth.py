"""Who is looking, and what they may do.

Roles: viewer (default), editor, admin. When an ``[auth]`` section is configured in
``.streamlit/secrets.toml``, people sign in with the council's identity provider through
``st.login`` (OpenID Connect) and their role comes from the admin-managed ``user_roles`` table
(``db.roles``): anyone signed in but not listed, and anyone not signed in, is a viewer, and
``TN_LOCAL_ROLE`` is ignored. Without ``[auth]``, everyone gets the role in ``TN_LOCAL_ROLE``
(default viewer), for local use only. Viewers see disclosure-controlled numbers everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from db.config import setting
from db.schema import ROLES

DEFAULT_ROLE = "viewer"
ROLE_CACHE_SECONDS = 60
IDENTITY_CLAIMS = ("email", "preferred_username", "upn")  # Entra ID puts the sign-in name in preferred_username


@dataclass(frozen=True)
class User:
    name: str
    role: str
    email: str | None = None

    @property
    def is_editor(self) -> bool:
        return self.role in ("editor", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def sees_small_numbers(self) -> bool:
        """Editors and admins work with the unsuppressed figures; viewers never see them."""
        return self.is_editor

    @property
    def recorded_as(self) -> str:
        """How this person is named in the import log and action history."""
        return self.email or self.name


def local_role() -> str:
    role = setting("TN_LOCAL_ROLE").lower()
    return role if role in ROLES else DEFAULT_ROLE


def auth_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (sign-in through ``st.login``)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file, or one Streamlit cannot load
        return False


def login_provider() -> str | None:
    """None for a single provider set directly in ``[auth]``; else the first named ``[auth.NAME]``."""
    section = st.secrets["auth"]
    if "client_id" in section:
        return None
    return next((name for name, value in section.items() if hasattr(value, "keys") and "client_id" in value), None)


def _identity() -> tuple[str, str] | None:
    """(name, email) of the signed-in person, or None."""
    if not st.user.get("is_logged_in", False):
        return None
    email = next((str(st.user.get(c)) for c in IDENTITY_CLAIMS if st.user.get(c)), None)
    if email is None:
        return None
    return str(st.user.get("name") or email), email.strip().lower()


@st.cache_data(ttl=ROLE_CACHE_SECONDS, show_spinner=False)
def _granted_role(email: str) -> str | None:
    # Imported here: only signed-in use needs the store, and pages that never check a role stay light.
    from db.roles import role_for
    from ui.data import get_engine

    return role_for(get_engine(), email)


def current_user() -> User:
    """The person looking at the page, with their role."""
    if not auth_configured():
        role = local_role()
        return User(name=f"Local {role}", role=role)
    identity = _identity()
    if identity is None:
        return User(name="Not signed in", role=DEFAULT_ROLE)
    name, email = identity
    return User(name=name, role=_granted_role(email) or DEFAULT_ROLE, email=email)


def account_panel(user: User | None = None) -> None:
    """In the sidebar: who is looking and their role, with Sign in / Sign out when sign-in is configured."""
    user = user or current_user()
    with st.sidebar:
        if not auth_configured():
            st.caption(f"Local mode: everyone is {_a(user.role)} {user.role} (set by TN_LOCAL_ROLE).")
            return
        if user.email is None:
            st.caption("You are not signed in, so you see the public figures.")
            if st.button("Sign in", key="tn_sign_in", icon=":material/login:"):
                st.login(login_provider())
            return
        st.caption(f"Signed in as {user.name} ({user.role}).")
        if st.button("Sign out", key="tn_sign_out", icon=":material/logout:"):
            st.logout()


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
