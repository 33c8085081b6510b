"""Series and disclosure decisions read once per report and shared by every locality in it.

A snapshot reads each indicator's series for the locality and, separately, for its ward and Leeds
at the latest period; a pack of six localities does that six times over, and the programme summary
reads the localities' series once more. :class:`ReportSources` instead reads each indicator once
for each of the report's localities, and once per period for all their wards and Leeds
(``views.scorecards.series_for_many`` with all their codes), and hands each caller its rows exactly as
``series_for_many`` would have returned them: an area's values, intervals and completeness come from
that area's own sums, so reading areas together changes nothing.
The same goes for the disclosure decisions (``db.disclosure.published_figures``): one per indicator
per report. Pass the bound methods where ``locality_scorecard`` and ``programme_status`` take
``series=`` and ``figures=``; ``trend_view`` takes ``figures=``.

A source lives for one report (the data it holds are not re-checked against the store), and is
safe to share between threads.

Example:
    >>> sources = ReportSources(["PN-NWORT"], benchmarks=["E05011409", "E08000035"])  # doctest: +SKIP
    >>> locality_scorecard(engine, area, as_of, series=sources.series, figures=sources.figures)  # doctest: +SKIP
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from db.disclosure import published_figures
from views.scorecards import series_for_many


class ReportSources:
    """Per-report memo of ``series_for_many`` and ``published_figures``.

    ``localities`` are read whole, once per indicator and locality; ``benchmarks`` (their wards
    and Leeds, which are large: the city is every LSOA) only one period at a time, once per
    indicator and period for all of them, as the scorecard asks. Any other call (other areas, a
    mix of the two kinds) is passed straight to ``series_for_many``.
    """

    def __init__(self, localities: Iterable[str | None], benchmarks: Iterable[str | None] = ()) -> None:
        self.localities = list(dict.fromkeys(code for code in localities if code))
        self.benchmarks = [code for code in dict.fromkeys(c for c in benchmarks if c) if code not in self.localities]
        self._series: dict[tuple[str, None], dict[str, pd.DataFrame]] = {}  # (locality, None): code -> series
        self._benchmark_series: dict[tuple[str, date], pd.DataFrame] = {}  # (indicator, period) -> all benchmarks
        self._figures: dict[str, pd.DataFrame] = {}
        self._lock = threading.Lock()

    def series(self, engine: Engine, indicators: Sequence[dict], area_codes: Sequence[str], *,
               period_starts: dict[str, date] | None = None) -> dict[str, pd.DataFrame]:
        """As ``series_for_many(engine, indicators, area_codes, period_starts=...)``: indicator code ->
        its series, with the same columns and rows, in the same order (area code, then period)."""
        wanted = list(dict.fromkeys(area_codes))
        if period_starts is None and set(wanted) <= set(self.localities):
            # one locality at a time: the store sums several together far more slowly than each alone
            parts = {code: self._read(engine, indicators, code) for code in sorted(wanted)}
            return {i["code"]: _joined([parts[code][i["code"]] for code in sorted(wanted)]) for i in indicators}
        if period_starts is not None and set(wanted) <= set(self.benchmarks):
            chosen = [i for i in indicators if i["code"] in period_starts]
            every = self._read_benchmarks(engine, chosen, period_starts)
            return {i["code"]: every[i["code"]][every[i["code"]]["area_code"].isin(wanted)].reset_index(drop=True)
                    for i in chosen}
        return series_for_many(engine, indicators, area_codes, period_starts=period_starts)

    def _read(self, engine: Engine, indicators: Sequence[dict], code: str) -> dict[str, pd.DataFrame]:
        with self._lock:
            held = self._series.setdefault((code, None), {})
            missing = [i for i in indicators if i["code"] not in held]
            if missing:
                held.update(series_for_many(engine, missing, [code]))
            return held

    def _read_benchmarks(self, engine: Engine, indicators: Sequence[dict],
                         period_starts: dict[str, date]) -> dict[str, pd.DataFrame]:
        with self._lock:
            missing = [i for i in indicators if (i["code"], period_starts[i["code"]]) not in self._benchmark_series]
            if missing:
                read = series_for_many(engine, missing, self.benchmarks,
                                       period_starts={i["code"]: period_starts[i["code"]] for i in missing})
                self._benchmark_series.update({(code, period_starts[code]): frame for code, frame in read.items()})
            return {i["code"]: self._benchmark_series[(i["code"], period_starts[i["code"]])] for i in indicators}

    def figures(self, engine: Engine, indicator_code: str, *, areas: Sequence[str] | None = None,
                periods: tuple[date, date] | None = None) -> pd.DataFrame:
        """``published_figures(engine, indicator_code)`` for the report's areas, every period, asked of
        the store once per report: the decision covers every LSOA, ward and committee area, and only
        the report's are read. ``areas`` and ``periods`` are what the caller shows; the rows given
        cover at least those of them in the report (``views.scorecards.disclose`` picks its own). An
        area left out would find no decision, which ``disclose`` takes as hidden: never shown by
        mistake."""
        with self._lock:
            if indicator_code not in self._figures:
                self._figures[indicator_code] = published_figures(
                    engine, indicator_code, areas=[*self.localities, *self.benchmarks])
            return self._figures[indicator_code].copy()


def _joined(parts: list[pd.DataFrame]) -> pd.DataFrame:
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
