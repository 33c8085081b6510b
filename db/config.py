"""Settings: declared once, with a default and help text, read from the environment.

The database URL comes from ``TN_DATABASE_URL``, else from ``.streamlit/secrets.toml``
(``[database] url = "..."``), else an embedded SQLite file under ``data/``.
The README's configuration table is checked against ``SETTINGS`` by a test.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from db.errors import ConfigurationError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA_DIR = PROJECT_ROOT / "sample_data"
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "thriving_neighbourhoods.sqlite"
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "TN_DATABASE_URL",
        "sqlite:///data/thriving_neighbourhoods.sqlite",
        "SQLAlchemy URL of the database, e.g. postgresql+psycopg://user:pass@host/db. "
        "Overrides [database] url in .streamlit/secrets.toml.",
    ),
    Setting(
        "TN_LOCAL_ROLE",
        "viewer",
        "Role given to everyone when no identity provider is configured: viewer, editor or admin.",
    ),
    Setting(
        "TN_AUTO_SEED",
        "1",
        "Seed an empty database from sample_data/ on first run (set 0 for a production database).",
    ),
    Setting(
        "TN_TODAY",
        "",
        "Fix 'today' (YYYY-MM-DD) for action progress, e.g. to reproduce a committee paper.",
    ),
)


def setting(name: str, *, environ: dict[str, str] | None = None) -> str:
    """Value of a declared setting from the environment, else its default."""
    declared = {s.name: s for s in SETTINGS}
    if name not in declared:
        raise ConfigurationError(f"Unknown setting {name}")
    env = os.environ if environ is None else environ
    return env.get(name, "").strip() or declared[name].default


def database_url(*, environ: dict[str, str] | None = None, secrets_path: Path = SECRETS_PATH) -> str:
    """The database URL in force, following the order in the module docstring."""
    env = os.environ if environ is None else environ
    url = env.get("TN_DATABASE_URL", "").strip() or _url_from_secrets(secrets_path)
    if not url:
        DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{DEFAULT_SQLITE_PATH}"
    try:
        make_url(url)
    except Exception as exc:  # SQLAlchemy raises ArgumentError with a terse message
        raise ConfigurationError(
            f"The database URL is not valid ({exc}). Set TN_DATABASE_URL to a URL such as "
            "sqlite:///data/tn.sqlite or postgresql+psycopg://user:password@host/dbname."
        ) from None
    return url


def is_embedded_default(url: str) -> bool:
    return url == f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _url_from_secrets(path: Path) -> str:
    if not path.is_file():
        return ""
    try:
        secrets = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{path.name} is not valid TOML: {exc}") from None
    database = secrets.get("database", {})
    return str(database.get("url", "") if isinstance(database, dict) else "").strip()


def redacted(url: str) -> str:
    """The URL with any password hidden, for status output and logs."""
    return make_url(url).render_as_string(hide_password=True)
