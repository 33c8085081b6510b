"""Who may do what: the admin-managed ``user_roles`` table (email -> viewer, editor or admin).

Used when the app signs people in through the council's identity provider: a signed-in person
whose email is not listed is a viewer. Emails are compared in lower case. The last admin cannot
be removed or demoted, so the table can always be managed from the Data page.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, select

from db import schema
from db.errors import StoreError
from db.transactions import write_transaction

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RoleRejected(StoreError):
    """A role change that is not allowed (unknown role, malformed email, the last admin)."""


def normalise_email(email: str) -> str:
    """' Jo.Bloggs@Leeds.gov.uk ' -> 'jo.bloggs@leeds.gov.uk'; raises ``RoleRejected`` if it is not an email."""
    cleaned = (email or "").strip().lower()
    if not EMAIL.match(cleaned) or len(cleaned) > 320:
        raise RoleRejected(f"'{email}' is not an email address. Give the address the person signs in with.")
    return cleaned


def role_for(engine: Engine, email: str | None) -> str | None:
    """The role granted to ``email``, or None when it is not listed."""
    if not email:
        return None
    roles = schema.user_roles
    with engine.connect() as connection:
        return connection.execute(select(roles.c.role).where(roles.c.email == email.strip().lower())).scalar()


def user_roles(engine: Engine) -> pd.DataFrame:
    """Columns: email, role, granted_by, granted_at. Admins first, then by email."""
    roles = schema.user_roles
    order = {"admin": 0, "editor": 1, "viewer": 2}
    with engine.connect() as connection:
        rows = connection.execute(select(roles)).mappings().all()
    frame = pd.DataFrame([dict(r) for r in rows], columns=["email", "role", "granted_by", "granted_at"])
    return frame.sort_values(["role", "email"], key=lambda s: s.map(order) if s.name == "role" else s,
                             ignore_index=True)


def set_role(engine: Engine, email: str, role: str, *, granted_by: str) -> None:
    """Grant ``role`` to ``email`` (replacing any earlier role)."""
    email = normalise_email(email)
    if role not in schema.ROLES:
        raise RoleRejected(f"'{role}' is not a role. Choose one of: {', '.join(schema.ROLES)}.")
    with write_transaction(engine) as connection:
        if role != "admin":
            _keep_an_admin(connection, email)
        connection.execute(delete(schema.user_roles).where(schema.user_roles.c.email == email))
        connection.execute(insert(schema.user_roles).values(email=email, role=role, granted_by=granted_by[:200],
                                                            granted_at=datetime.now(UTC)))


def remove_role(engine: Engine, email: str) -> None:
    """Take ``email`` off the table (they become a viewer)."""
    email = normalise_email(email)
    with write_transaction(engine) as connection:
        _keep_an_admin(connection, email)
        connection.execute(delete(schema.user_roles).where(schema.user_roles.c.email == email))


def _keep_an_admin(connection: Connection, email: str) -> None:
    roles = schema.user_roles
    admins = set(connection.execute(select(roles.c.email).where(roles.c.role == "admin")).scalars())
    if admins == {email}:
        raise RoleRejected(f"{email} is the only admin. Make someone else an admin first, so that roles can "
                           "still be managed.")


def admin_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(schema.user_roles)
                                  .where(schema.user_roles.c.role == "admin")).scalar_one()
