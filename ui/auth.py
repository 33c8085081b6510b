"""Who is looking, and what they may do.

Roles: viewer (default), editor, admin. Without an identity provider the role comes from
``TN_LOCAL_ROLE`` (for local use). Viewers see disclosure-controlled numbers everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.config import setting
from db.schema import ROLES

DEFAULT_ROLE = "viewer"


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


def local_role() -> str:
    role = setting("TN_LOCAL_ROLE").lower()
    return role if role in ROLES else DEFAULT_ROLE


def current_user() -> User:
    role = local_role()
    return User(name=f"Local {role}", role=role)
