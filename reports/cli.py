"""``python -m reports``: print a locality snapshot or the Board pack to PDF or HTML.

    python -m reports snapshot --area PN-NWORT [--period 2026-09] --out new-wortley.pdf
    python -m reports pack [--areas PN-NWORT,PN-BOGG] [--period 2026-09] --out board-pack.pdf

The format follows the file name (``.pdf`` or ``.html``). Reports are made for the public:
small numbers are hidden unless ``--small-numbers`` is given by an editor (``TN_LOCAL_ROLE``).
Charts need a Chromium or Chrome browser (``BROWSER_PATH``, else the one on ``PATH``); without
one, a PDF cannot be made, and a self-contained HTML file that prints from any browser is
written next to it instead (exit code 1).

Exit codes: 0 success, 2 bad usage or bad input (unknown code, bad month, unwritable file),
1 anything else. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from db.config import setting
from db.errors import ConfigurationError, NotFound, StoreError
from db.store import open_store
from reports import render
from reports.errors import BadRequest, BrowserUnavailable, OutputNotWritable, ReportError
from reports.figures import ChartExporter
from reports.snapshot import check_localities, check_period, locality_codes
from views.scorecards import PUBLIC, Viewer

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}
EDITOR_ROLES = ("editor", "admin")
log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # keep argparse's exit code 2, with a short usage line
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _month(text: str) -> date:
    try:
        month = date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a month written YYYY-MM") from None
    if len(text) != 7:
        raise argparse.ArgumentTypeError(f"'{text}' is not a month written YYYY-MM")
    return month


def _codes(text: str) -> list[str]:
    codes = [code.strip() for code in text.split(",") if code.strip()]
    if not codes:
        raise argparse.ArgumentTypeError("give at least one locality code")
    return codes


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m reports",
                     description="Print a locality snapshot or the Board pack (A4) to PDF or HTML.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    snapshot = commands.add_parser("snapshot", help="one locality's snapshot (one or two A4 pages)")
    snapshot.add_argument("--area", required=True, metavar="CODE", help="locality code, e.g. PN-NWORT")
    pack = commands.add_parser("pack", help="contents, programme summary and every locality's snapshot")
    pack.add_argument("--areas", type=_codes, metavar="CODE,...", help="localities to include (default: all)")
    for command in (snapshot, pack):
        command.add_argument("--period", type=_month, metavar="YYYY-MM",
                             help="the month reported on (default: the latest month with data)")
        command.add_argument("--out", required=True, type=Path, metavar="FILE",
                             help="where to write it; .pdf or .html decides the format")
        command.add_argument("--small-numbers", action="store_true",
                             help="show numbers hidden from the public (editors only: TN_LOCAL_ROLE=editor)")
    return parser


def check_output(path: Path) -> str:
    """The format for ``path``; raises ``OutputNotWritable`` (or ``BadRequest``) before any work is done."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BadRequest(f"--out must end in .pdf or .html (got '{path.name}').")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputNotWritable(f"Cannot write {path}: the folder {folder} does not exist.")
    if path.is_dir():
        raise OutputNotWritable(f"Cannot write {path}: it is a folder.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputNotWritable(f"Cannot write {path}: permission denied.")
    return fmt


def _viewer(small_numbers: bool) -> Viewer:
    """The public, unless an editor asks for small numbers (the command line has no sign-in, so the
    local role stands in: whoever can run this can read the database anyway)."""
    if not small_numbers:
        return PUBLIC
    if setting("TN_LOCAL_ROLE").lower() not in EDITOR_ROLES:
        raise BadRequest("--small-numbers is for editors: numbers under disclosure control stay hidden "
                         "unless TN_LOCAL_ROLE is editor or admin.")
    return Viewer(sees_small_numbers=True)


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise OutputNotWritable(f"Cannot write {path}: {exc.strerror or exc}.") from None


def _run(args: argparse.Namespace) -> int:
    fmt = check_output(args.out)
    viewer = _viewer(args.small_numbers)
    engine = open_store()
    codes = [args.area] if args.command == "snapshot" else args.areas
    if codes:
        check_localities(engine, codes)
    as_of = check_period(engine, args.period)
    names = locality_codes(engine)
    what = (f"the snapshot of {names[args.area]} for {as_of:%B %Y}" if args.command == "snapshot"
            else f"the Board pack of {len(codes or names)} localities for {as_of:%B %Y}")

    def make(exporter: ChartExporter | None, out_fmt: str) -> bytes:
        if args.command == "snapshot":
            return render.make_snapshot(engine, args.area, fmt=out_fmt, exporter=exporter, as_of=as_of, viewer=viewer)
        return render.make_pack(engine, codes, fmt=out_fmt, exporter=exporter, as_of=as_of, viewer=viewer)

    return _write_report(make, fmt, args.out, what)


def _write_report(make: Callable[[ChartExporter | None, str], bytes], fmt: str, out: Path, what: str) -> int:
    """Write the report with charts drawn by the browser; without one, the HTML version instead."""
    exporter = ChartExporter()
    try:
        exporter.start(wait=False)  # the browser starts while the data are read
        _write(out, make(exporter, fmt))
    except BrowserUnavailable as exc:
        exporter.close()
        fallback = out.with_suffix(".html")
        _write(fallback, make(None, "html"))
        if fmt == "html":
            print(f"note: {exc} The charts in {fallback} are drawn by the plotly.js inside it.", file=sys.stderr)
            print(f"Wrote {what} to {fallback}")
            return EXIT_OK
        print(f"error: {exc} Wrote {what} as a self-contained HTML file, {fallback}, instead: "
              "open it in any browser and print it (A4).", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        exporter.close()
    print(f"Wrote {what} to {out}")
    return EXIT_OK


_USAGE_ERRORS = (BadRequest, OutputNotWritable, ConfigurationError, NotFound)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # layout notes are not the user's business
    try:
        return _run(args)
    except _USAGE_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ReportError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_FAILURE
    except Exception as exc:  # the last line of defence: one sentence, the detail in the log
        log.debug("Unexpected error while making a report", exc_info=True)
        print(f"error: the report could not be made ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return EXIT_FAILURE
