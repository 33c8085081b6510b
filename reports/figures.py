"""Charts and the map for printed reports: the pages' own figure builders, drawn as static SVG.

The figures come from ``views.charts`` and ``views.static_maps`` (never copies); this module only
sizes them for A4 and turns them into images. kaleido 1.x does the drawing by driving a
Chromium or Chrome browser already installed on the machine:

- the browser is ``BROWSER_PATH`` when that is set (choreographer's own variable), else the
  first ``chromium``/``chrome`` found on ``PATH`` or in the usual places. Nothing is downloaded.
- it is started once (:class:`ChartExporter`) and reused for every chart of a snapshot or pack.
- it never reaches the internet: plotly.js is the copy shipped with plotly.py, MathJax is off,
  the map needs no basemap, and a dead proxy makes any other request fail at once.

When no browser can be started, :class:`~reports.errors.BrowserUnavailable` says so in one
sentence, and :func:`interactive_chart` draws the same figures with the bundled plotly.js for
a self-contained HTML snapshot instead.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import functools
import html
import os
import shutil
import sys
import threading
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup, escape

from reports.errors import BrowserUnavailable, ChartExportFailed
from views.theme import CHART_SERIES, LINE_DASH

# Chart sizes in CSS pixels: four trend charts side by side across the A4 text width, the map beside
# the action plan. The SVG scales to its box, so these set the proportions and the type size.
TREND_SIZE = (300, 168)
MAP_SIZE = (260, 160)
PRINT_FONT_SIZE = 12
EVENT_FONT_SIZE = PRINT_FONT_SIZE - 2
CHAR_WIDTH_EM = 0.6  # a digit or dash is at most this many font sizes wide in Arial
EVENT_LABEL_GAP_PX = 8  # plotly pads the axis range and the text box
START_TIMEOUT_SECONDS = 60
RENDER_TIMEOUT_SECONDS = 60
CHART_TABS = 2  # one per core: charts are drawn two at a time
RELOAD_EVERY = 50  # charts a browser tab draws before its page (and plotly.js) is loaded afresh
NO_NETWORK_PROXY = "127.0.0.1:9"  # the discard port: any request for a remote file fails at once
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def for_print(figure: go.Figure, size: tuple[int, int], *, copy: bool = True) -> go.Figure:
    """``figure`` sized for paper: tighter margins, the legend close under the plot. A copy, unless
    ``copy`` is false: then ``figure`` itself is changed (for a figure built just to be printed;
    copying re-checks every property, a tenth of a second a chart)."""
    width, height = size
    printed = go.Figure(figure) if copy else figure
    printed.update_layout(
        width=width, height=height, font=dict(size=PRINT_FONT_SIZE), title=dict(font=dict(size=PRINT_FONT_SIZE + 1)),
        margin=dict(l=55, r=12, t=40, b=10), legend=dict(font=dict(size=PRINT_FONT_SIZE - 2), y=-0.14,
                                                           yanchor="top"),
    )
    return printed


def trend_for_print(figure: go.Figure) -> go.Figure:
    """A trend chart for one of the four slots across the snapshot: no title (the page prints it above,
    where a long name can wrap), no legend (the page prints one key for all four, :func:`chart_key`).
    Changes ``figure`` itself: pass one built for printing."""
    printed = for_print(figure, TREND_SIZE, copy=False)
    printed.update_layout(title=dict(text=""), showlegend=False, margin=dict(l=40, r=8, t=18, b=22))
    printed.update_yaxes(title_text=None, tickfont=dict(size=PRINT_FONT_SIZE - 1))
    printed.update_xaxes(tickfont=dict(size=PRINT_FONT_SIZE - 1), nticks=5)
    return printed


def map_for_print(figure: go.Figure) -> go.Figure:
    """The locality map beside the action plan: no title (printed above it) and no legend (printed
    under it with :func:`figure_key`, where long ward names can wrap). Changes ``figure`` itself."""
    printed = for_print(figure, MAP_SIZE, copy=False)
    printed.update_layout(title=dict(text=""), margin=dict(l=4, r=4, t=4, b=4), showlegend=False)
    return printed


def _x_span(figure: go.Figure, extra: Sequence[date]) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last date on the x axis: the traces' dates and ``extra`` (the events)."""
    stamps = [pd.Timestamp(value) for trace in figure.data if trace.x is not None for value in trace.x]
    stamps += [pd.Timestamp(value) for value in extra]
    return min(stamps), max(stamps)


def number_runs(numbers: Sequence[int]) -> str:
    """``[5, 6, 7, 9]`` as ``"5–7,9"``: runs of consecutive numbers joined by an en dash.

    Example:
        >>> number_runs([5, 6]), number_runs([3]), number_runs([1, 3, 4])
        ('5–6', '3', '1,3–4')
    """
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ",".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def event_labels(dates: Sequence[date], numbers: Sequence[int], *, span: tuple[date, date], plot_px: float,
                 font_px: float = EVENT_FONT_SIZE) -> list[str]:
    """The label each event line carries, in the order given (dates ascending): events too close
    for their numbers to stand apart share one label on the first of them ("5–6"), and the
    others carry none. A label is ``CHAR_WIDTH_EM`` font sizes per character plus a small gap wide;
    ``plot_px`` is the plot area's width and ``span`` the dates across it.

    Example: on a 200 px plot of ten years, events three weeks apart share a label.
        >>> event_labels([date(2020, 3, 23), date(2020, 4, 13), date(2023, 1, 1)], [4, 5, 6],
        ...              span=(date(2016, 1, 1), date(2026, 1, 1)), plot_px=200)
        ['4–5', '', '6']
    """
    days_per_px = max((pd.Timestamp(span[1]) - pd.Timestamp(span[0])).days, 1) / max(plot_px, 1)
    labels = [""] * len(numbers)
    first, members = None, []
    for index, (when, _) in enumerate(zip(dates, numbers, strict=True)):
        if first is not None:
            text = number_runs([numbers[i] for i in members + [index]])
            reach = (len(text) * CHAR_WIDTH_EM * font_px + EVENT_LABEL_GAP_PX) * days_per_px
            if (pd.Timestamp(when) - pd.Timestamp(dates[first])).days < reach:
                members.append(index)
                labels[first] = text
                continue
        first, members = index, [index]
        labels[index] = str(numbers[index])
    return labels


def number_events(figure: go.Figure, events: pd.DataFrame, numbers: dict[tuple[date, str], int]) -> go.Figure:
    """Label each event line with its number in the snapshot's list instead of its title: eight
    vertical titles overlap on a narrow chart. Events close in time share one label ("5–6", see
    :func:`event_labels`). ``trend_figure`` adds one annotation per row of ``events``, in date order,
    so annotation i belongs to row i."""
    if events is None or events.empty:
        return figure
    dates = [pd.Timestamp(value).date() for value in events["event_date"]]
    margin = figure.layout.margin
    plot_px = (figure.layout.width or TREND_SIZE[0]) - (margin.l or 0) - (margin.r or 0)
    labels = event_labels(dates, [numbers[(event.event_date, event.title)] for event in events.itertuples()],
                          span=_x_span(figure, dates), plot_px=plot_px)
    for annotation, label in zip(figure.layout.annotations, labels, strict=True):
        annotation.update(text=label, visible=bool(label), textangle=0, xanchor="left", yanchor="top",
                          font=dict(size=EVENT_FONT_SIZE))
    return figure


@dataclass(frozen=True)
class ChartContents:
    """What a trend chart (or any of a set of them) actually draws, from its ``views.trends.TrendView``."""

    band: bool = False
    ward: bool = False
    city: bool = False
    at_rate: bool = False  # benchmark lines show the count at the benchmark's rate per resident
    trajectory: bool = False
    baseline: bool = False
    events: int = 0

    @classmethod
    def of(cls, view) -> ChartContents:
        """From one ``TrendView``: a benchmark counts only when it has a value to draw a line through."""
        mine = view.locality
        kinds = {kind for kind, _, frame in view.benchmarks if frame["value"].notna().any()}
        return cls(band={"lower", "upper"} <= set(mine.columns) and bool(mine["lower"].notna().any()),
                   ward="ward" in kinds, city="city" in kinds,
                   at_rate=bool(kinds) and view.indicator["unit"] == "count",
                   trajectory=view.trajectory is not None and not view.trajectory.empty,
                   baseline=view.target is not None, events=len(view.events))

    def __or__(self, other: ChartContents) -> ChartContents:
        """ChartContents on either chart (the one key printed under several)."""
        return ChartContents(*(a or b for a, b in zip(astuple(self)[:-1], astuple(other)[:-1], strict=True)),
                     events=self.events + other.events)


def trend_alt(indicator: str, locality: str, ward: str | None, drawn: ChartContents) -> str:
    """The text alternative of one printed trend chart, naming only what it draws.

    Example:
        >>> trend_alt("Crime", "New Wortley", "Armley", ChartContents(city=True, events=2))
        'Trend of Crime in New Wortley, with the Leeds line and 2 numbered events'
    """
    lines = [name for shown, name in ((drawn.ward, f"{ward} ward"), (drawn.city, "Leeds")) if shown]
    parts = ["its 95% confidence interval"] if drawn.band else []
    if lines:
        rate = " (at their rate per resident)" if drawn.at_rate else ""
        parts.append(f"the {' and '.join(lines)} line{'s' if len(lines) > 1 else ''}{rate}")
    if drawn.trajectory:
        parts.append("the target trajectory" + (" from its baseline" if drawn.baseline else ""))
    elif drawn.baseline:
        parts.append("the target's baseline")
    if drawn.events:
        parts.append(f"{drawn.events} numbered event{'s' if drawn.events > 1 else ''}")
    text = f"Trend of {indicator} in {locality}"
    if not parts:
        return text
    return f"{text}, with " + (parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}")


def chart_key(locality: str, ward: str | None, drawn: ChartContents | None = None) -> Markup:
    """The one key printed under the trend charts, drawn with the charts' own colours and dashes (as
    HTML and CSS, which the page's preview keeps where it would drop inline SVG). With ``drawn`` (what
    any of the charts draws), only those items; without, every item a chart can draw."""
    if drawn is None:
        drawn = ChartContents(band=True, ward=bool(ward), city=True, trajectory=True, baseline=True, events=1)
    items = [(_line_swatch(CHART_SERIES["locality"], None, 2.5), locality)]
    if drawn.band:
        items.append((_fill_swatch(CHART_SERIES["band"], None), "95% confidence interval"))
    if drawn.ward and ward:
        items.append((_line_swatch(CHART_SERIES["ward"], LINE_DASH["ward"], 2), f"{ward} ward"))
    if drawn.city:
        items.append((_line_swatch(CHART_SERIES["city"], LINE_DASH["city"], 2), "Leeds"))
    if drawn.trajectory:
        items.append((_line_swatch(CHART_SERIES["target"], LINE_DASH["target"], 2), "Target trajectory"))
    if drawn.baseline:
        items.append((Markup('<span class="swatch diamond" style="background: {}"></span>').format(
            CHART_SERIES["target"]), "Baseline"))
    if drawn.events:
        items.append((_line_swatch(CHART_SERIES["event"], "dot", 1), "Event (numbered below)"))
    return _key(items)


def figure_key(figure: go.Figure) -> Markup:
    """A key for a figure whose own legend is dropped for print: each named trace's fill or line."""
    items = []
    for trace in figure.data:
        if not trace.name:
            continue
        line = trace.line.color if trace.line else None
        if getattr(trace, "fill", None) and trace.fill != "none":
            items.append((_fill_swatch(trace.fillcolor, line), trace.name))
        else:
            items.append((_line_swatch(line, None, trace.line.width or 1), trace.name))
    # plotly draws a name as HTML, so the figures carry names escaped; the key escapes them itself
    return _key([(swatch, html.unescape(name)) for swatch, name in items])


def _key(items: list[tuple[Markup, str]]) -> Markup:
    return Markup(" ").join(Markup('<span class="item">{}{}</span>').format(swatch, label) for swatch, label in items)


# plotly's dash patterns as CSS stripes, in CSS pixels along an 18 px sample
_DASHES = {None: None, "dot": (2, 2), "dash": (6, 3), "dashdot": (6, 2, 2, 2)}


def _line_swatch(colour: str, dash: str | None, width: float) -> Markup:
    pattern = _DASHES[dash]
    if pattern is None:
        paint = colour
    else:
        stops, at = [], 0
        for index, length in enumerate(pattern):
            paint_here = colour if index % 2 == 0 else "transparent"
            stops += [f"{paint_here} {at}px", f"{paint_here} {at + length}px"]
            at += length
        paint = f"repeating-linear-gradient(90deg, {', '.join(stops)})"
    return Markup('<span class="swatch line" style="background: {}; height: {}px"></span>').format(paint, width)


def _fill_swatch(fill: str, outline: str | None) -> Markup:
    return Markup('<span class="swatch fill" style="background: {}; border-color: {}"></span>').format(
        fill, outline or fill)


def svg_image(svg: bytes | str, *, alt: str) -> Markup:
    """An ``<img>`` carrying the SVG as a data URI: the HTML stays one self-contained file."""
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    uri = "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")
    return Markup('<img class="chart" src="{}" alt="{}">').format(uri, alt)


def slim_svg(svg: bytes) -> bytes:
    """plotly's SVG with what draws nothing left out: the same picture, in fewer nodes to parse.

    plotly writes an empty group for every layer a chart might use (a trend chart is 118 groups
    around 34 paths) and every colour as a ``style`` attribute; WeasyPrint cascades each node and
    parses each ``style`` as CSS, which took a third of a snapshot's layout. This drops empty
    groups and empty paths, and the ``class`` attributes nothing styles, and moves each ``style``
    declaration to the presentation attribute of the same name (which WeasyPrint reads as it is;
    the declaration wins over an attribute already there, as it would in the style). A ``style``
    that could hide a ``;`` inside a value (a ``url(...)``) or is ``!important`` is kept whole.

    Example:
        >>> slim_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><g class="bg"><g/></g>'
        ...          b'<path class="line" d="M0,0h9" style="stroke: red; stroke-width: 2px;"/></svg>')
        b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0,0h9" stroke="red" stroke-width="2px" /></svg>'
    """
    root = ElementTree.fromstring(svg)
    _slim(root)
    # Tags lose the namespace and the root declares it: ElementTree's own prefixes are global
    # state that other libraries change, and would write <ns0:svg>.
    root.set("xmlns", SVG_NAMESPACE)
    return ElementTree.tostring(root, encoding="unicode").encode("utf-8")


def _slim(element: ElementTree.Element) -> None:
    element.tag = element.tag.removeprefix(f"{{{SVG_NAMESPACE}}}")
    for child in list(element):
        _slim(child)
        if (child.tag in ("g", "defs") and len(child) == 0) or (child.tag == "path" and not child.get("d")):
            element.remove(child)
    element.attrib.pop("class", None)
    style = element.get("style")
    if style is not None and "url(" not in style and "!" not in style:
        del element.attrib["style"]
        for declaration in style.split(";"):
            name, colon, value = declaration.partition(":")
            if colon and name.strip():
                element.set(name.strip(), value.strip())


def interactive_chart(figure: go.Figure, *, alt: str) -> Markup:
    """The figure as a plotly.js ``<div>``; the page must carry plotly.js once (see :func:`plotly_js`)."""
    html = figure.to_html(full_html=False, include_plotlyjs=False, config={"displayModeBar": False,
                                                                            "staticPlot": True})
    return Markup('<div class="chart" role="img" aria-label="{}">').format(alt) + Markup(html) + Markup("</div>")


def plotly_js() -> Markup:
    """plotly.js as shipped with plotly.py, to inline in a self-contained HTML file."""
    from plotly.offline import get_plotlyjs

    return Markup(get_plotlyjs())


def chart_placeholder(message: str) -> Markup:
    return Markup('<div class="chart chart-missing">{}</div>').format(escape(message))


BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
BROWSER_PLACES = ("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
                  "/Applications/Chromium.app/Contents/MacOS/Chromium")


def find_browser() -> str:
    """Path of the Chromium/Chrome to drive; raises ``BrowserUnavailable`` naming what is missing.

    ``BROWSER_PATH`` wins when set (it is also the variable kaleido's choreographer reads); a
    browser kaleido may have downloaded into its own cache is deliberately not looked for.
    """
    configured = os.environ.get("BROWSER_PATH", "").strip()
    if configured:
        if not (Path(configured).is_file() and os.access(configured, os.X_OK)):
            raise BrowserUnavailable(
                f"No Chromium or Chrome at BROWSER_PATH={configured}, so charts cannot be drawn for a PDF."
            )
        return configured
    found = [shutil.which(name) for name in BROWSER_NAMES] + [p for p in BROWSER_PLACES if os.access(p, os.X_OK)]
    if not any(found):
        raise BrowserUnavailable(
            "No Chromium or Chrome browser was found (install the chromium package or set BROWSER_PATH), "
            "so charts cannot be drawn for a PDF."
        )
    return next(path for path in found if path)


class ChartExporter:
    """A kaleido browser started once and reused: ``with ChartExporter() as charts: charts.svgs(...)``.

    kaleido is asynchronous; it runs on an event loop in a background thread, so callers stay
    synchronous and can queue one locality's charts while reading the next. ``start(wait=False)``
    lets the browser start (about 3 s when cold) while the report's data are read. ``tabs`` charts
    are drawn at once (``CHART_TABS``, one per core, by default).
    """

    def __init__(self, *, browser_path: str | None = None, tabs: int = CHART_TABS) -> None:
        self._browser_path = browser_path
        self._tabs = tabs
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._opening: Future | None = None
        self._kaleido = None
        self._path = ""
        self._lock = threading.RLock()

    @property
    def running(self) -> bool:
        """Started (or starting); a browser that fails to start says so at the first chart."""
        return self._opening is not None

    def start(self, *, wait: bool = True) -> ChartExporter:
        """Find and start the browser; raises ``BrowserUnavailable`` if there is none (at once) or it
        does not start (at once with ``wait``, else at the first chart)."""
        with self._lock:
            if self._opening is None:
                self._path = self._browser_path or find_browser()
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(target=self._loop.run_forever, name="chart-exporter", daemon=True)
                self._thread.start()
                self._opening = asyncio.run_coroutine_threadsafe(self._open(self._path, self._tabs), self._loop)
                atexit.register(self.close)
        if wait:
            self._ready()
        return self

    @staticmethod
    async def _open(path: str, tabs: int):
        kaleido = _kaleido_keeping_pages()(n=tabs, path=path, mathjax=False, proxy_server=NO_NETWORK_PROXY,
                                           timeout=RENDER_TIMEOUT_SECONDS)
        await kaleido.open()
        return kaleido

    def _ready(self):
        with self._lock:
            if self._kaleido is not None:
                return self._kaleido
            if self._opening is None:
                raise ChartExportFailed("The chart exporter has not been started.")
            try:
                self._kaleido = self._opening.result(START_TIMEOUT_SECONDS)
            except Exception as exc:  # choreographer raises several types; the user needs one sentence
                reason = "no answer within {} s".format(START_TIMEOUT_SECONDS) if isinstance(
                    exc, FutureTimeout) else _reason(exc)
                self.close()
                raise BrowserUnavailable(f"The browser at {self._path} could not be started ({reason}), "
                                         "so charts cannot be drawn for a PDF.") from None
            return self._kaleido

    def submit(self, figures: Sequence[go.Figure]) -> list[Future]:
        """Queue figures for drawing as SVG without waiting, even for the browser to finish starting;
        each future gives the SVG bytes, slimmed (:func:`slim_svg`; use :meth:`collect`)."""
        if self._opening is None:
            raise ChartExportFailed("The chart exporter has not been started.")
        return [asyncio.run_coroutine_threadsafe(self._draw(figure), self._loop) for figure in figures]

    async def _draw(self, figure: go.Figure) -> bytes:
        kaleido = await asyncio.wrap_future(self._opening)
        return slim_svg(await kaleido.calc_fig(figure, opts={"format": "svg"}))

    def collect(self, futures: Sequence[Future]) -> list[bytes]:
        """The SVGs of submitted figures, in order. Raises ``BrowserUnavailable`` if the browser did not
        start, ``ChartExportFailed`` naming the reason if it did but a chart failed."""
        self._ready()
        try:
            return [future.result(RENDER_TIMEOUT_SECONDS) for future in futures]
        except FutureTimeout:
            raise ChartExportFailed(f"The browser drew no chart within {RENDER_TIMEOUT_SECONDS} s.") from None
        except Exception as exc:
            raise ChartExportFailed(f"The browser could not draw a chart ({_reason(exc)}).") from None

    def svgs(self, figures: Sequence[go.Figure]) -> list[bytes]:
        return self.collect(self.submit(figures))

    def close(self) -> None:
        with self._lock:
            if self._kaleido is None and self._opening is not None:
                try:  # a browser still starting is let finish, so that it can be shut down
                    self._kaleido = self._opening.result(START_TIMEOUT_SECONDS)
                except Exception:  # it never started: nothing to shut down
                    pass
            if self._kaleido is not None:
                try:
                    asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop).result(20)
                except Exception:  # closing a browser that already died: nothing left to do
                    pass
            self._kaleido, self._opening = None, None
            if self._loop is not None:
                self._loop.call_soon_threadsafe(self._loop.stop)
                if self._thread is not None:
                    self._thread.join(10)
                if not self._loop.is_running():
                    self._loop.close()
            self._loop, self._thread = None, None

    def __enter__(self) -> ChartExporter:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.close()


@functools.cache
def _kaleido_keeping_pages() -> type:
    """kaleido's ``Kaleido``, except that a tab keeps its page between charts.

    kaleido 1.5 reloads a tab's page after every chart, so the browser parses and compiles
    plotly.js (3 MB) again for each: about 0.2 s of CPU a chart, where drawing one takes 0.03 s,
    and as much CPU for a pack's 30 charts as the rest of the pack. plotly.js draws each chart
    in a new element it removes afterwards, and the SVGs are the same either way. A tab is still
    reloaded after a chart that failed or timed out (its page may be mid-draw) and every
    ``RELOAD_EVERY`` charts, so a long-lived browser's pages do not grow.
    """
    from kaleido import Kaleido  # slow to import; only drawing charts needs it

    class KaleidoKeepingPages(Kaleido):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._drawn_since_reload: dict[int, int] = {}

        async def _return_kaleido_tab(self, tab) -> None:  # kaleido calls it in a finally block
            drawn = self._drawn_since_reload.get(id(tab), 0) + 1
            failed = sys.exc_info()[0] is not None
            if failed or drawn >= RELOAD_EVERY:
                self._drawn_since_reload[id(tab)] = 0
                await super()._return_kaleido_tab(tab)  # reloads the page, then hands the tab back
            else:
                self._drawn_since_reload[id(tab)] = drawn
                await self.tabs_ready.put(tab)

    return KaleidoKeepingPages


def _reason(exc: BaseException) -> str:
    """One short line for an error whose message may be a tuple of sentences (choreographer's are)."""
    first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    text = " ".join(first.split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
