"""Snapshots and the Board pack as HTML (Jinja2) and PDF (WeasyPrint).

One template serves the PDF, the downloadable HTML and the page preview. Charts arrive
already drawn: SVG images when a browser is available (:class:`reports.figures.ChartExporter`),
else interactive plotly.js for a self-contained HTML file. A PDF always needs the SVGs.

Example:
    >>> with ChartExporter() as exporter:                                         # doctest: +SKIP
    ...     pdf = make_snapshot(engine, "PN-NWORT", fmt="pdf", exporter=exporter)
"""

from __future__ import annotations

import contextlib
import functools
import gc
import operator
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy import Engine

from metrics.enums import ActionRag, Rag
from metrics.periods import format_date
from reports.errors import ChartExportFailed, ReportError
from reports.figures import (
    ChartExporter,
    ChartContents,
    chart_key,
    chart_placeholder,
    figure_key,
    interactive_chart,
    map_for_print,
    number_events,
    plotly_js,
    svg_image,
    trend_alt,
    trend_for_print,
)
from reports.layout import action_tiles, lay_out, target_tiles
from reports.pack import ProgrammeSummary, gather_snapshots, gather_summary
from reports.snapshot import Snapshot, gather_snapshot
from views.charts import trend_chart
from views.scorecards import PUBLIC, Viewer, polarity_word
from views.static_maps import locality_in_ward_figure
from views.theme import RAG_SWATCHES
from views.wording import ATTRIBUTION, ILLUSTRATIVE_NOTICE

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
FORMATS = ("pdf", "html")
# Young objects the cyclic collector lets pile up while a report is made (Python's default: 700).
REPORT_GC_THRESHOLD = 10_000
CHART_SCHEME = "chart"
NO_BROWSER_CHART = "Chart not drawn: no browser was available to draw it. Download the HTML snapshot to see it."


class _CollectionPause:
    """While any report is made, the cyclic garbage collector runs after ``REPORT_GC_THRESHOLD`` new
    objects rather than 700 (use ``with _fewer_collections():`` or as a decorator).

    WeasyPrint makes hundreds of thousands of boxes and styles that live until the PDF is written,
    and reading and building the figures make many frames and plotly objects; at the default
    threshold each few hundred of them set off a collection that walks them all again (and, now
    and then, every object the process holds): a fifth of a pack's layout, a tenth of its reading.
    The threshold is the process's, so the first of several reports made at once raises it and the
    last to finish puts it back; garbage is still collected, in larger batches.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._saved: tuple[int, ...] = gc.get_threshold()

    @contextlib.contextmanager
    def __call__(self):
        with self._lock:
            if self._running == 0:
                self._saved = gc.get_threshold()
                gc.set_threshold(max(self._saved[0], REPORT_GC_THRESHOLD), *self._saved[1:])
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                if self._running == 0:
                    gc.set_threshold(*self._saved)


_fewer_collections = _CollectionPause()


@dataclass(frozen=True)
class DrawnCharts:
    """A snapshot's charts ready for the template: one per trend, then the map."""

    trends: list[Markup]
    map: Markup


@dataclass(frozen=True)
class PendingCharts:
    """Charts queued with the browser: wait for them as images, or link them for a PDF, whose
    renderer fetches each chart only when it reaches it (the browser draws meanwhile)."""

    exporter: ChartExporter
    futures: list[Future]
    alts: list[str]

    def as_images(self) -> DrawnCharts:
        images = [svg_image(svg, alt=alt) for svg, alt in
                  zip(self.exporter.collect(self.futures), self.alts, strict=True)]
        return DrawnCharts(images[:-1], images[-1])

    def as_links(self, registry: dict[str, Callable[[], bytes]]) -> DrawnCharts:
        """``<img src="chart:N">`` for each chart, with ``registry[url]`` giving its SVG when asked."""
        links = []
        for future, alt in zip(self.futures, self.alts, strict=True):
            url = f"{CHART_SCHEME}:{len(registry)}"
            registry[url] = functools.partial(_one_chart, self.exporter, future)
            links.append(Markup('<img class="chart" src="{}" alt="{}">').format(url, alt))
        return DrawnCharts(links[:-1], links[-1])


def snapshot_figures(snapshot: Snapshot) -> list[tuple[go.Figure, str]]:
    """The snapshot's figures sized for A4, each with its text alternative: the trends, then the map."""
    name = snapshot.area["name"]
    numbers = {(event.date, event.title): number for number, event in enumerate(snapshot.events, start=1)}
    ward = snapshot.area.get("ward_name")
    figures = [
        (number_events(trend_for_print(trend_chart(view, name)), view.events, numbers),
         trend_alt(view.indicator["name"], name, ward, ChartContents.of(view)))
        for view in snapshot.trends
    ]
    figures.append((map_for_print(map_figure(snapshot)),
                    f"Map of the {len(snapshot.map.locality_lsoas)} LSOAs of {name} within {snapshot.area['ward_name']} ward"))
    return figures


def map_figure(snapshot: Snapshot) -> go.Figure:
    """The locality's LSOAs within its ward: the page's own map figure."""
    area = snapshot.area
    return locality_in_ward_figure(
        locality_name=area["name"], ward_name=area["ward_name"], ward_boundary=snapshot.map.ward_boundary,
        lsoas=snapshot.map.lsoas, locality_lsoas=snapshot.map.locality_lsoas)


def trends_key(snapshot: Snapshot) -> Markup:
    """The key under the trend charts: the items any of them draws, and nothing none of them does."""
    drawn = functools.reduce(operator.or_, (ChartContents.of(view) for view in snapshot.trends), ChartContents())
    return chart_key(snapshot.area["name"], snapshot.area.get("ward_name"), drawn)


def map_key(snapshot: Snapshot) -> Markup:
    """The map's legend, printed under it."""
    return figure_key(map_figure(snapshot))


def submit_charts(snapshot: Snapshot, exporter: ChartExporter) -> PendingCharts:
    figures = snapshot_figures(snapshot)
    return PendingCharts(exporter, exporter.submit([figure for figure, _ in figures]), [alt for _, alt in figures])


def _one_chart(exporter: ChartExporter, future: Future) -> bytes:
    return exporter.collect([future])[0]


def interactive_charts(snapshot: Snapshot) -> DrawnCharts:
    drawn = [interactive_chart(figure, alt=alt) for figure, alt in snapshot_figures(snapshot)]
    return DrawnCharts(drawn[:-1], drawn[-1])


def missing_charts(snapshot: Snapshot, message: str = NO_BROWSER_CHART) -> DrawnCharts:
    return DrawnCharts([chart_placeholder(message) for _ in snapshot.trends], chart_placeholder(message))


def _markdown_bold(text: str) -> Markup:
    """The one piece of Markdown in the shared wording: ``**bold**``."""
    return Markup(re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", str(escape(text))))


def _short_period(period: str) -> str:
    """``"Sep 2026 (provisional)"`` as ``"Sep 2026 (p)"``: the scorecard's period column is narrow on paper."""
    return re.sub(r"\(provisional\)$", "(p)", period)


def _rag_css() -> str:
    """RAG colours from ``views.theme`` (the one place colours live), as classes for the template."""
    rules = [f".rag-{key} {{ background: {swatch.fill}; color: {swatch.text}; }}"
             for key, swatch in RAG_SWATCHES.items()]
    return "\n".join(rules)


@functools.cache
def _environment() -> Environment:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2", "html"]),
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.filters["bold_markdown"] = _markdown_bold
    environment.filters["uk_date"] = format_date
    environment.filters["short_period"] = _short_period
    environment.globals.update(
        Rag=Rag, ActionRag=ActionRag, polarity_word=polarity_word, notice=ILLUSTRATIVE_NOTICE,
        attribution=ATTRIBUTION, rag_word=lambda value: f"{Rag(value).symbol} {Rag(value).label}",
        lay_out=lay_out, trends_key=trends_key, map_key=map_key, target_tiles=target_tiles, action_tiles=action_tiles,
    )
    return environment


@functools.cache
def stylesheet() -> str:
    """The report's CSS: print layout plus the RAG colour classes; scoped to ``.tn-report``."""
    return (STATIC / "print.css").read_text(encoding="utf-8") + "\n" + _rag_css()


def _render(template: str, **context) -> str:
    return _environment().get_template(template).render(css=Markup(stylesheet()), **context)


def snapshot_html(snapshot: Snapshot, charts: DrawnCharts, *, inline_plotly: bool = False) -> str:
    """A complete HTML document of one snapshot (plotly.js inlined when the charts need it)."""
    return _render("snapshot.html.j2", s=snapshot, charts=charts,
                   plotly_js=plotly_js() if inline_plotly else None)


def snapshot_fragment(snapshot: Snapshot, charts: DrawnCharts) -> str:
    """The snapshot without ``<html>``/``<head>`` or styles, to place inside another page."""
    return _render("preview.html.j2", s=snapshot, charts=charts)


def pack_html(summary: ProgrammeSummary, snapshots: Sequence[tuple[Snapshot, DrawnCharts]], *,
              inline_plotly: bool = False) -> str:
    return _render("pack.html.j2", p=summary, snapshots=snapshots, plotly_js=plotly_js() if inline_plotly else None)


def pdf_from_html(html: str, charts: Mapping[str, Callable[[], bytes]] | None = None) -> bytes:
    """WeasyPrint's PDF of ``html`` (A4 comes from the stylesheet's ``@page`` rule).

    Only ``data:`` URLs and the ``chart:N`` links in ``charts`` are fetched: a report never
    reaches the network, and a chart that cannot be had stops the PDF rather than leaving a hole.
    """
    from weasyprint import HTML  # slow to import; only the PDF path needs it
    from weasyprint.urls import FatalURLFetchingError

    try:
        with _fewer_collections():
            return HTML(string=html, base_url=str(STATIC), url_fetcher=_fetcher(charts or {})).write_pdf()
    except FatalURLFetchingError as exc:
        if isinstance(exc.__cause__, ReportError):
            raise exc.__cause__ from None
        raise ChartExportFailed(f"An image of the report could not be read ({exc.__cause__ or exc}).") from None


def _fetcher(charts: Mapping[str, Callable[[], bytes]]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url in charts:
                return URLFetcherResponse(url, charts[url](), {"Content-Type": "image/svg+xml"})
            return super().fetch(url, headers)

    return ChartFetcher(allowed_protocols={"data"}, fail_on_errors=True)


@_fewer_collections()
def make_snapshot(engine: Engine, code: str, *, fmt: str, exporter: ChartExporter | None,
                  as_of: date | None = None, viewer: Viewer = PUBLIC, on: date | None = None) -> bytes:
    """One locality's snapshot as PDF or HTML bytes. A PDF needs a started ``exporter``; HTML without
    one carries interactive charts instead of images."""
    snapshot = gather_snapshot(engine, code, as_of=as_of, viewer=viewer, on=on)
    return render_snapshot(snapshot, fmt=fmt, exporter=exporter)


def render_snapshot(snapshot: Snapshot, *, fmt: str, exporter: ChartExporter | None) -> bytes:
    _check_format(fmt, exporter)
    if exporter is None:
        return snapshot_html(snapshot, interactive_charts(snapshot), inline_plotly=True).encode("utf-8")
    pending = submit_charts(snapshot, exporter)
    if fmt == "html":
        return snapshot_html(snapshot, pending.as_images()).encode("utf-8")
    links: dict[str, Callable[[], bytes]] = {}
    return pdf_from_html(snapshot_html(snapshot, pending.as_links(links)), links)


@_fewer_collections()
def make_pack(engine: Engine, codes: Sequence[str] | None = None, *, fmt: str, exporter: ChartExporter | None,
              as_of: date | None = None, viewer: Viewer = PUBLIC, on: date | None = None) -> bytes:
    """The Board pack for ``codes`` (every locality when None) as PDF or HTML bytes.

    Each locality's charts are queued with the browser as soon as its data are read, so the
    browser draws them while the next locality is read.
    """
    _check_format(fmt, exporter)
    summary = gather_summary(engine, codes, as_of=as_of, viewer=viewer, on=on)
    if exporter is None:
        items = [(s, interactive_charts(s)) for s in gather_snapshots(engine, summary)]
        return pack_html(summary, items, inline_plotly=True).encode("utf-8")
    pending = [(s, submit_charts(s, exporter)) for s in gather_snapshots(engine, summary)]
    if fmt == "html":
        return pack_html(summary, [(s, charts.as_images()) for s, charts in pending]).encode("utf-8")
    links: dict[str, Callable[[], bytes]] = {}
    return pdf_from_html(pack_html(summary, [(s, charts.as_links(links)) for s, charts in pending]), links)


def _check_format(fmt: str, exporter: ChartExporter | None) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    if fmt == "pdf" and (exporter is None or not exporter.running):
        raise ValueError("a PDF needs a started ChartExporter to draw its charts")
