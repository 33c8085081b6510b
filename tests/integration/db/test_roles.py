"""The admin-managed role table: grant, change, remove, and never lose the last admin."""

from __future__ import annotations

import pytest

from db.engine import make_engine, migrate
from db.roles import RoleRejected, admin_count, remove_role, role_for, set_role, user_roles


@pytest.fixture()
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'roles.sqlite'}")
    migrate(engine)
    yield engine
    engine.dispose()


def test_roles_are_granted_changed_and_removed_by_email_in_any_case(engine):
    set_role(engine, " Jo.Bloggs@Leeds.gov.uk ", "admin", granted_by="setup")
    set_role(engine, "sam@leeds.gov.uk", "editor", granted_by="jo.bloggs@leeds.gov.uk")
    assert role_for(engine, "JO.BLOGGS@leeds.gov.uk") == "admin"
    assert role_for(engine, "nobody@leeds.gov.uk") is None and role_for(engine, None) is None
    table = user_roles(engine)
    assert table[["email", "role", "granted_by"]].values.tolist() == [
        ["jo.bloggs@leeds.gov.uk", "admin", "setup"], ["sam@leeds.gov.uk", "editor", "jo.bloggs@leeds.gov.uk"]]
    set_role(engine, "sam@leeds.gov.uk", "viewer", granted_by="jo")
    assert role_for(engine, "sam@leeds.gov.uk") == "viewer"
    remove_role(engine, "sam@leeds.gov.uk")
    assert role_for(engine, "sam@leeds.gov.uk") is None and admin_count(engine) == 1


def test_the_last_admin_can_be_neither_demoted_nor_removed(engine):
    set_role(engine, "jo@leeds.gov.uk", "admin", granted_by="setup")
    with pytest.raises(RoleRejected, match="only admin"):
        set_role(engine, "jo@leeds.gov.uk", "editor", granted_by="jo")
    with pytest.raises(RoleRejected, match="only admin"):
        remove_role(engine, "jo@leeds.gov.uk")
    set_role(engine, "sam@leeds.gov.uk", "admin", granted_by="jo")
    remove_role(engine, "jo@leeds.gov.uk")
    assert admin_count(engine) == 1


@pytest.mark.parametrize(("email", "role", "reason"), [
    ("not an email", "editor", "is not an email address"),
    ("jo@leeds.gov.uk", "superuser", "'superuser' is not a role"),
])
def test_bad_role_changes_are_refused(engine, email, role, reason):
    with pytest.raises(RoleRejected, match=reason):
        set_role(engine, email, role, granted_by="t")
    assert user_roles(engine).empty
