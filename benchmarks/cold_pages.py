"""Time each page's first visit in a fresh process, as the first visitor after a restart meets it.

Run: ``python benchmarks/cold_pages.py --store FILE [--pages overview,...] [--repeat 3] [--profile PAGE]``.

``--store`` is an SQLite store already seeded (e.g. ``python -m db seed --scale city``); it is copied
to a temporary folder first, so the visits never change it. Each visit is one new Python process that
opens the page through ``app.py`` with ``AppTest``: nothing is cached and no module of the app is
imported yet, so the time includes importing them. For every page it prints the fastest of
``--repeat`` visits in seconds and the CPU seconds of that visit (the steadier figure on a shared
machine: what it would take on cores of its own, less waits for the disk), the seconds spent in ``db.disclosure.published_figures`` (the
small-numbers decision) in that visit, the SQL statements the visit sent and the process's peak RSS.
``--profile PAGE`` also prints the 60 costliest functions (cumulative) of one cold visit of that page.
Figures to compare between runs on one machine, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {  # page -> (script, query parameters), as benchmarks/standing.py opens them
    "overview": (None, {}),
    "locality profile": ("pages/1_Locality_profile.py", {"area": "PN-NWORT"}),
    "ward explorer": ("pages/2_Ward_explorer.py", {"ward": "E05011385"}),
    "indicator map": ("pages/3_Indicator_map.py", {"geo": "lsoa"}),
}


def visit(page: str, profile: bool) -> dict:
    """One cold visit in this (fresh) process: seconds, seconds in the decision, statements, peak RSS."""
    import cProfile
    import io
    import pstats
    import resource

    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from streamlit.testing.v1 import AppTest

    sys.path.insert(0, str(ROOT))
    from db import disclosure

    statements, in_decision = [0], [0.0]
    event.listen(Engine, "before_cursor_execute", lambda *_args: statements.__setitem__(0, statements[0] + 1))
    decide = disclosure.published_figures

    def timed_decision(*args, **kwargs):
        start = time.perf_counter()
        try:
            return decide(*args, **kwargs)
        finally:
            in_decision[0] += time.perf_counter() - start

    disclosure.published_figures = timed_decision
    for name, module in list(sys.modules.items()):  # modules that imported the name before the patch
        if name.split(".")[0] in {"views", "ui", "reports"} and getattr(module, "published_figures", None) is decide:
            module.published_figures = timed_decision
    script, params = PAGES[page]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if script is not None:
        at.switch_page(script)
    for key, value in params.items():
        at.query_params[key] = value
    profiler = cProfile.Profile() if profile else None
    if profiler:  # the page runs on the script runner's own thread: profile there
        from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

        run_script = ScriptRunner._run_script

        def profiled(self, rerun_data):
            profiler.enable()
            try:
                return run_script(self, rerun_data)
            finally:
                profiler.disable()

        ScriptRunner._run_script = profiled
    start, cpu = time.perf_counter(), time.process_time()
    at.run()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if at.exception:
        raise SystemExit(f"{page} failed: {at.exception[0].value}")
    result = {"page": page, "seconds": seconds, "cpu": cpu, "decision": in_decision[0], "statements": statements[0],
              "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
        result["profile"] = out.getvalue()
    return result


def child(page: str, store: Path, profile: bool) -> dict:
    environment = {**os.environ, "TN_DATABASE_URL": f"sqlite:///{store}", "TN_AUTO_SEED": "0"}
    command = [sys.executable, __file__, "--child", page] + (["--profile", page] if profile else [])
    done = subprocess.run(command, env=environment, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{page}: the visit failed\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, help="a seeded SQLite store (copied first, never changed)")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated, of: " + ", ".join(PAGES))
    parser.add_argument("--repeat", type=int, default=3, help="visits per page (each in a new process)")
    parser.add_argument("--profile", choices=list(PAGES), help="print a profile of one cold visit of this page")
    parser.add_argument("--child", choices=list(PAGES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(visit(args.child, profile=args.profile == args.child)))
        return 0
    if args.store is None:
        parser.error("--store is required")
    with tempfile.TemporaryDirectory(prefix="tn-cold-") as folder:
        store = Path(folder) / "store.sqlite"
        shutil.copyfile(args.store, store)
        child("overview", store, profile=False)  # migrates the copy if needed, outside the timings
        print("| page | cold s (fastest of %d) | its CPU s | in decision s | SQL statements | peak RSS MB |"
              % args.repeat)
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for page in args.pages.split(","):
            visits = [child(page, store, profile=False) for _ in range(args.repeat)]
            best = min(visits, key=lambda v: v["seconds"])
            print(f"| {page} | {best['seconds']:.2f} | {best['cpu']:.2f} | {best['decision']:.2f} | {best['statements']} "
                  f"| {best['rss_mb']:.0f} |", flush=True)
        if args.profile:
            print(child(args.profile, store, profile=True)["profile"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
