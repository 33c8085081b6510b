"""``python -m db``: create, seed and inspect the store.

Exit codes: 0 success, 2 bad usage or bad input, 1 anything else. Errors are one
line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from db.config import database_url, is_embedded_default, redacted
from db.engine import make_engine, migrate
from db.errors import ConfigurationError, DataFileError, NotFound, SeedRefused, StoreError
from db.queries import latest_period_by_indicator, table_row_counts
from db.seed import seed
from db.store import open_store

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
_INPUT_ERRORS = (ConfigurationError, DataFileError, NotFound, SeedRefused)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its usage line short
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m db",
        description="Manage the Thriving Neighbourhoods data store. The database URL comes from "
        "TN_DATABASE_URL, else .streamlit/secrets.toml, else the embedded SQLite file.",
    )
    parser.add_argument("--url", help="database URL to use instead of the configured one")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("init", help="create the schema or migrate it to the newest version")
    seed_parser = commands.add_parser("seed", help="load the real Leeds geography and illustrative sample data")
    seed_parser.add_argument("--replace", action="store_true", help="delete all existing data first")
    commands.add_parser("status", help="show the database URL, rows per table and latest period per indicator")
    return parser


def _engine(args: argparse.Namespace):
    """The embedded default is created, migrated and seeded on first use; any other URL only migrated."""
    if is_embedded_default(args.url):
        return open_store(args.url)
    engine = make_engine(args.url)
    migrate(engine)
    return engine


def _init(args: argparse.Namespace) -> int:
    _engine(args)
    print(f"Schema is up to date in {redacted(args.url)}")
    return EXIT_OK


def _seed(args: argparse.Namespace) -> int:
    engine = make_engine(args.url)
    migrate(engine)
    counts = seed(engine, replace=args.replace)
    if not counts:
        print(f"{redacted(args.url)} already holds exactly the sample data; nothing changed.")
        return EXIT_OK
    summary = ", ".join(f"{rows:,} {table}" for table, rows in counts.items())
    print(f"Seeded {redacted(args.url)}: {summary}")
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    engine = _engine(args)
    print(f"Database: {redacted(args.url)}\n")
    print(table_row_counts(engine).to_string(index=False))
    latest = latest_period_by_indicator(engine)
    if not latest.empty:
        print()
        print(latest.to_string(index=False))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"init": _init, "seed": _seed, "status": _status}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.url = args.url or database_url()
        return COMMANDS[args.command](args)
    except _INPUT_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_FAILURE
