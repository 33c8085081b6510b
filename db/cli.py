"""``python -m db``: create, seed and inspect the store; import, export and undo data.

Exit codes: 0 success, 2 bad usage or bad input (including a file with problems, which are listed
one per line on stdout), 1 anything else. Errors are one line on stderr, never a traceback.

``export`` is disclosure-controlled by default (small counts shown as "<5", as viewers see them),
so its files are safe to share; analysts add ``--unsuppressed`` for the exact figures.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from db.config import database_url, is_embedded_default, redacted
from db.engine import make_engine, migrate
from db.errors import ConfigurationError, DataFileError, NotFound, SeedRefused, StoreError
from db.exports import csv_bytes, excel_bytes
from ingest.history import (
    RollbackRefused,
    batch_changes,
    import_log,
    observation_history,
    observations_export,
    rollback_batch,
)
from ingest.importer import commit_import, preview_import
from ingest.real_data import load_real_data
from db.localities import LocalityRejected, create_locality
from db.mappings import MappingRejected, remove_mapping, set_mapping, source_mappings
from db.queries import latest_period_by_indicator, table_row_counts
from db.roles import RoleRejected, remove_role, set_role, user_roles
from db.scale import DEFAULT_SEED, write_scale_store
from db.seed import seed
from db.store import open_store
from ingest.reading import DATE_ORDERS, ReadOptions
from ingest.sources import source_names
from ingest.templates import KIND_NAMES, template_bytes
from ingest.validation import ImportRejected, Problem

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
_INPUT_ERRORS = (ConfigurationError, DataFileError, NotFound, SeedRefused, RollbackRefused, RoleRejected,
                 LocalityRejected, MappingRejected)
MAX_PROBLEMS_SHOWN = 200
MAX_CHANGES_SHOWN = 20


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its usage line short
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _default_user() -> str:
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "command line"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m db",
        description="Manage the Thriving Neighbourhoods data store. The database URL comes from "
        "TN_DATABASE_URL, else .streamlit/secrets.toml, else the embedded SQLite file.",
    )
    parser.add_argument("--url", help="database URL to use instead of the configured one")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("init", help="create the schema or migrate it to the newest version")
    commands.add_parser("prepare", help="make the database ready for the app: create or migrate the schema and, "
                        "if it is empty, load the sample data (unless TN_AUTO_SEED=0); does nothing more when ready")
    seed_parser = commands.add_parser("seed", help="load the real Leeds geography and illustrative sample data")
    seed_parser.add_argument("--replace", action="store_true", help="delete all existing data first")
    seed_parser.add_argument(
        "--scale", choices=("city", "national"),
        help="replace everything with a large generated store for benchmarking (implies --replace): 'city' is "
        "every Leeds LSOA for every LSOA-level indicator at its own frequency over 55 years (about 2 million "
        "observations); 'national' is about 33,755 LSOAs (Leeds's plus synthetic codes E019xxxxx in synthetic "
        "districts, as the real national list is not shipped) for 20 synthetic monthly indicators over 60 "
        "months (about 40 million). Figures are illustrative and the same each time")
    seed_parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=argparse.SUPPRESS)
    seed_parser.add_argument("--lsoas", type=int, help=argparse.SUPPRESS)  # a tiny national store, for tests
    seed_parser.add_argument("--months", type=int, help=argparse.SUPPRESS)
    commands.add_parser("status", help="show the database URL, rows per table and latest period per indicator")

    imp = commands.add_parser("import", help="check a CSV or .xlsx file and import it as one batch")
    imp.add_argument("file", type=Path, help="the file to import (.csv, .txt, .tsv, .xlsx or .xlsm; any size: a "
                     "large CSV is read in chunks; the Data page takes at most 20 MB)")
    imp.add_argument("--kind", choices=KIND_NAMES, help="what the file holds (default: told from its header)")
    imp.add_argument("--dry-run", action="store_true", help="check and compare only; write nothing")
    imp.add_argument("--as", dest="user", default=_default_user(), help="who is importing (recorded in the log)")
    imp.add_argument("--sheet", help="the workbook sheet to read (default: the one whose header is recognised)")
    imp.add_argument("--dates", choices=DATE_ORDERS, default="day-first",
                     help="how slashed dates such as 10/12/2026 are written (default: day-first)")

    mapping = commands.add_parser("mapping", help="list or change which indicator a source's values count into")
    mapping.add_argument("action", choices=("list", "set", "remove"))
    mapping.add_argument("source", nargs="?", help=f"one of: {', '.join(source_names())}")
    mapping.add_argument("value", nargs="?", help="e.g. a police.uk crime type, a Fingertips Indicator ID, or a Nomis or Stat-Xplore series")
    mapping.add_argument("indicator", nargs="?", help="indicator code, or 'none' to leave the value out")
    mapping.add_argument("--as", dest="user", default=_default_user())

    tpl = commands.add_parser("template", help="write a template (header and two example rows)")
    tpl.add_argument("kind", choices=KIND_NAMES)
    tpl.add_argument("--out", type=Path, required=True, help="file to write: .csv or .xlsx")

    exp = commands.add_parser("export", help="export observations to CSV or Excel (formulas neutralised)")
    exp.add_argument("--indicator", help="only this indicator code")
    exp.add_argument("--area", help="only this area and its LSOAs")
    exp.add_argument("--unsuppressed", action="store_true",
                     help="include small numbers under disclosure control (not for publication)")
    exp.add_argument("--out", type=Path, required=True, help="file to write: .csv or .xlsx")

    rollback = commands.add_parser("rollback", help="undo an import batch, restoring what was there before")
    rollback.add_argument("batch_id", type=int)
    rollback.add_argument("--as", dest="user", default=_default_user(), help="who is rolling back")

    log = commands.add_parser("log", help="list the newest import batches")
    log.add_argument("--limit", type=int, default=30)
    changes = commands.add_parser("changes", help="list what one batch changed")
    changes.add_argument("batch_id", type=int)
    history = commands.add_parser("history", help="every value one observation has had")
    history.add_argument("indicator")
    history.add_argument("area")
    history.add_argument("period_start", type=date.fromisoformat, help="first day of the period, YYYY-MM-DD")

    role = commands.add_parser("role", help="list, grant or remove roles for signed-in users")
    role.add_argument("action", choices=("list", "set", "remove"))
    role.add_argument("email", nargs="?")
    role.add_argument("role", nargs="?", choices=("viewer", "editor", "admin"))
    role.add_argument("--as", dest="user", default=_default_user())

    locality = commands.add_parser("locality", help="create a custom locality from LSOAs")
    locality.add_argument("name")
    locality.add_argument("--ward", required=True, help="GSS code of the locality's ward")
    locality.add_argument("--lsoas", required=True, help="LSOA codes separated by commas or spaces")
    locality.add_argument("--tier", default="managed", choices=("managed", "co-ordinated", "core"))
    locality.add_argument("--as", dest="user", default=_default_user())
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


def _prepare(args: argparse.Namespace) -> int:
    started = time.monotonic()

    def report(step: str) -> None:
        print(f"[{time.monotonic() - started:5.1f} s] {step}", flush=True)

    report(f"Preparing {redacted(args.url)}")
    open_store(args.url, report=report)
    print(f"Ready in {time.monotonic() - started:.1f} s.", flush=True)
    return EXIT_OK


def _seed(args: argparse.Namespace) -> int:
    engine = make_engine(args.url)
    migrate(engine)
    counts = seed(engine, replace=args.replace or args.scale is not None)
    real = load_real_data(engine)
    if args.scale is not None:
        written = write_scale_store(engine, args.scale, seed=args.seed, lsoas=args.lsoas, months=args.months)
        print(f"Seeded {redacted(args.url)} at {args.scale} scale: {written.rows:,} generated observations for "
              f"{written.lsoas:,} LSOAs and {written.indicators} indicators (sum of values {written.value_sum:,.1f}).")
        return EXIT_OK
    counts |= {"real observations": sum(r.rows_new + r.rows_changed for r in real)} if counts else {}
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


def _import_path(path: Path) -> Path:
    """``path`` when it is a readable file. Any size: the 20 MB limit is the browser's; the command line
    streams a large CSV in chunks (``ingest.templates.read_table_file``)."""
    try:
        if path.is_dir():
            raise DataFileError(f"{path} is a folder; give the path of a .csv or .xlsx file.")
        with path.open("rb"):
            return path
    except FileNotFoundError:
        raise DataFileError(f"There is no file {path}.") from None
    except PermissionError:
        raise DataFileError(f"{path} cannot be read (permission denied).") from None


class _ProgressLine:
    """A percentage and stage on one line of stderr, rewritten in place; shown only on a terminal, so
    that scripts and logs get the result lines alone."""

    def __init__(self, label: str, stream=None) -> None:
        self.label, self.stream, self.shown = label, stream or sys.stderr, None

    def __call__(self, fraction: float, stage: str) -> None:
        if not self.stream.isatty():
            return
        text = f"{self.label}: {fraction * 100:3.0f}% {stage}"
        if text != self.shown:
            self.stream.write("\r" + text.ljust(72)[:72])
            self.stream.flush()
            self.shown = text

    def close(self) -> None:
        if self.shown is not None:
            self.stream.write("\r" + " " * 72 + "\r")
            self.stream.flush()
            self.shown = None


def _print_problems(problems: tuple[Problem, ...]) -> None:
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        where = "file" if problem.row is None else f"row {problem.row}"
        column = f", {problem.column}" if problem.column else ""
        value = f" '{problem.value}'" if problem.value else ""
        print(f"{where}{column}{value}: {problem.reason}")
    if len(problems) > MAX_PROBLEMS_SHOWN:
        print(f"... and {len(problems) - MAX_PROBLEMS_SHOWN:,} more problems.")


def _print_reading(reading) -> None:
    if reading is not None:
        print(reading.summary())
        for note in reading.notes:
            print(f"Note: {note}")


def _import(args: argparse.Namespace) -> int:
    options = ReadOptions(sheet=args.sheet, dates=args.dates)
    progress = _ProgressLine(args.file.name)
    try:
        content = _import_path(args.file)
        engine = _engine(args)
        if args.dry_run:
            preview = preview_import(engine, content, args.file.name, kind=args.kind, options=options,
                                     progress=progress)
            progress.close()
            _print_reading(preview.reading)
            if not preview.ok:
                raise ImportRejected(args.file.name, preview.problems)
            print(preview.summary())
            for note in preview.notes:
                print(note)
            if not preview.changed.empty:
                print("\nChanged values (now / in file):")
                print(preview.changed.head(MAX_CHANGES_SHOWN).to_string(index=False))
            print("\nDry run: nothing was written.")
            return EXIT_OK
        result = commit_import(engine, content, args.file.name, imported_by=args.user, kind=args.kind,
                               options=options, progress=progress)
    except ImportRejected as exc:
        progress.close()
        _print_problems(exc.problems)
        raise
    finally:
        progress.close()
    print(result.message)
    for note in result.notes:
        print(note)
    return EXIT_OK


def _check_output(out: Path) -> None:
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise DataFileError(f"{out.name}: the output file must end in .csv or .xlsx.")


def _write_table(frame, out: Path, sheet: str) -> None:
    data = excel_bytes({sheet: frame}) if out.suffix.lower() == ".xlsx" else csv_bytes(frame)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise DataFileError(f"Cannot write {out}: {exc.strerror}.") from None


def _template(args: argparse.Namespace) -> int:
    _check_output(args.out)
    try:
        args.out.write_bytes(template_bytes(args.kind, excel=args.out.suffix.lower() == ".xlsx"))
    except OSError as exc:
        raise DataFileError(f"Cannot write {args.out}: {exc.strerror}.") from None
    print(f"Wrote the {args.kind} template to {args.out}")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    _check_output(args.out)
    frame = observations_export(_engine(args), indicator_code=args.indicator, area_code=args.area,
                                disclosure_controlled=not args.unsuppressed)
    _write_table(frame, args.out, "observations")
    control = "exact figures: NOT for publication" if args.unsuppressed else "small numbers suppressed"
    print(f"Wrote {len(frame):,} observations to {args.out} ({control}).")
    return EXIT_OK


def _rollback(args: argparse.Namespace) -> int:
    print(rollback_batch(_engine(args), args.batch_id, rolled_back_by=args.user).message)
    return EXIT_OK


def _print_frame(frame, empty: str) -> int:
    print(frame.to_string(index=False) if not frame.empty else empty)
    return EXIT_OK


def _log(args: argparse.Namespace) -> int:
    frame = import_log(_engine(args), limit=args.limit).drop(columns=["sha256", "note"])
    return _print_frame(frame, "No batches have been imported.")


def _changes(args: argparse.Namespace) -> int:
    return _print_frame(batch_changes(_engine(args), args.batch_id), f"Batch {args.batch_id} changed no rows.")


def _history(args: argparse.Namespace) -> int:
    frame = observation_history(_engine(args), args.indicator, args.area, args.period_start)
    return _print_frame(frame, "")


def _role(args: argparse.Namespace) -> int:
    engine = _engine(args)
    if args.action == "list":
        return _print_frame(user_roles(engine), "No roles have been granted: everyone who signs in is a viewer.")
    if not args.email or (args.action == "set" and not args.role):
        raise DataFileError(f"Usage: python -m db role {args.action} EMAIL" + (" ROLE" if args.action == "set" else ""))
    if args.action == "set":
        set_role(engine, args.email, args.role, granted_by=args.user)
        print(f"{args.email.strip().lower()} is now {'an' if args.role == 'admin' else 'a'} {args.role}.")
    else:
        remove_role(engine, args.email)
        print(f"{args.email.strip().lower()} no longer has a role (a viewer when signed in).")
    return EXIT_OK


def _mapping(args: argparse.Namespace) -> int:
    engine = _engine(args)
    if args.action == "list":
        frame = source_mappings(engine, source=args.source)
        return _print_frame(frame, "No source mappings are stored: police.uk counts 'Anti-social behaviour' into "
                                   "ASB_ALL and every other crime type into CRIME_ALL.")
    if args.source not in source_names() or not args.value or (args.action == "set" and not args.indicator):
        usage = "SOURCE VALUE INDICATOR" if args.action == "set" else "SOURCE VALUE"
        raise DataFileError(f"Usage: python -m db mapping {args.action} {usage}, where SOURCE is one of "
                            f"{', '.join(source_names())}.")
    if args.action == "set":
        code = None if args.indicator.strip().lower() == "none" else args.indicator
        set_mapping(engine, source=args.source, source_value=args.value, indicator_code=code, updated_by=args.user)
        print(f"{args.source} '{args.value}' now counts into {code.upper() if code else 'nothing (left out)'}.")
    elif remove_mapping(engine, source=args.source, source_value=args.value):
        print(f"Removed the mapping of {args.source} '{args.value}'; the default applies again.")
    else:
        raise DataFileError(f"There is no mapping of {args.source} '{args.value}' to remove.")
    return EXIT_OK


def _locality(args: argparse.Namespace) -> int:
    created = create_locality(_engine(args), name=args.name, ward_code=args.ward, lsoa_codes=[args.lsoas],
                              tier=args.tier, created_by=args.user)
    print(f"Created {created.name} ({created.code}): {created.lsoas} LSOAs, population {created.population:,}.")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": _init, "prepare": _prepare, "seed": _seed, "status": _status, "import": _import, "template": _template, "export": _export,
    "rollback": _rollback, "log": _log, "changes": _changes, "history": _history, "role": _role,
    "locality": _locality, "mapping": _mapping,
}


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
    except Exception as exc:  # the last line of defence: one sentence, never a traceback
        print(f"error: unexpected {exc.__class__.__name__}: {exc}. Nothing was written.", file=sys.stderr)
        return EXIT_FAILURE
