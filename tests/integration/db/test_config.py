"""Where the database URL comes from, and that every setting is documented."""

from pathlib import Path

import pytest

from db.config import DEFAULT_SQLITE_PATH, SETTINGS, database_url, redacted, setting
from db.errors import ConfigurationError

README = Path(__file__).resolve().parents[3] / "README.md"


def test_environment_wins_over_secrets(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[database]\nurl = "sqlite:///from-secrets.sqlite"\n')
    assert database_url(environ={"TN_DATABASE_URL": "sqlite:///env.sqlite"}, secrets_path=secrets) == (
        "sqlite:///env.sqlite"
    )
    assert database_url(environ={}, secrets_path=secrets) == "sqlite:///from-secrets.sqlite"


def test_default_is_embedded_sqlite(tmp_path):
    assert database_url(environ={}, secrets_path=tmp_path / "absent.toml") == f"sqlite:///{DEFAULT_SQLITE_PATH}"


def test_malformed_url_and_secrets_give_clear_errors(tmp_path):
    with pytest.raises(ConfigurationError, match="not valid"):
        database_url(environ={"TN_DATABASE_URL": "not a url"}, secrets_path=tmp_path / "x.toml")
    broken = tmp_path / "secrets.toml"
    broken.write_text("[database\nurl=")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        database_url(environ={}, secrets_path=broken)


def test_password_is_hidden():
    assert redacted("postgresql+psycopg://tn:s3cret@db.example/tn") == "postgresql+psycopg://tn:***@db.example/tn"


def test_setting_defaults_and_unknown_names():
    assert setting("TN_LOCAL_ROLE", environ={}) == "viewer"
    assert setting("TN_LOCAL_ROLE", environ={"TN_LOCAL_ROLE": "editor"}) == "editor"
    with pytest.raises(ConfigurationError):
        setting("TN_NOPE", environ={})


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_every_setting_is_documented_in_the_readme(name):
    assert f"`{name}`" in README.read_text(encoding="utf-8")
