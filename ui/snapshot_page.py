"""Sections of the Snapshot page (Streamlit): the chart browser, cached documents, preview, downloads.

The documents are built by ``reports`` (no Streamlit there); this module only caches them and
draws them. The preview is the snapshot's own HTML placed in the page (``st.html``, not an
iframe), so the browser's print of the page prints the snapshot itself; the page's print
stylesheet hides everything else.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import streamlit as st

from reports import render
from reports.errors import BrowserUnavailable, ChartExportFailed
from reports.figures import ChartExporter
from reports.snapshot import gather_snapshot
from ui.data import CACHE_TTL_SECONDS, get_engine
from views.scorecards import Viewer

log = logging.getLogger(__name__)
PAGE_PRINT_CSS = render.STATIC / "page_print.css"
PREVIEW_KEY = "snapshot_preview"
# What the page says when charts cannot be drawn: the reason, without the server's browser path
# (which goes to the log).
NO_CHART_BROWSER = ("No Chromium or Chrome browser is working on this server, so charts cannot be drawn for a "
                    "PDF. An administrator can install the chromium package or set BROWSER_PATH.")


@dataclass(frozen=True)
class SnapshotDocument:
    """What the page shows and offers: the preview markup, the HTML file, and why charts are missing."""

    title: str
    file_stem: str
    fragment: str
    html: str
    problem: str | None

    @property
    def can_print_pdf(self) -> bool:
        return self.problem is None


@st.cache_resource(show_spinner="Starting the chart browser…", on_release=ChartExporter.close)
def chart_exporter() -> ChartExporter:
    """One browser for the whole app; raises ``BrowserUnavailable`` (not cached) when there is none."""
    return ChartExporter().start()


def _exporter() -> tuple[ChartExporter | None, str | None]:
    try:
        return chart_exporter(), None
    except BrowserUnavailable as exc:
        log.warning("Chart browser unavailable: %s", exc)
        return None, NO_CHART_BROWSER


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner="Preparing the snapshot…")
def load_snapshot_document(code: str, as_of: date, sees_small_numbers: bool, on: date) -> SnapshotDocument:
    snapshot = gather_snapshot(get_engine(), code, as_of=as_of, viewer=Viewer(sees_small_numbers), on=on)
    exporter, problem = _exporter()
    if exporter is not None:
        try:
            charts = render.submit_charts(snapshot, exporter).as_images()
        except ChartExportFailed as exc:
            chart_exporter.clear()  # a browser that stopped answering is started afresh next time
            log.warning("Chart export failed: %s", exc)
            exporter, problem = None, NO_CHART_BROWSER
    if exporter is None:
        fragment = render.snapshot_fragment(snapshot, render.missing_charts(snapshot))
        html = render.snapshot_html(snapshot, render.interactive_charts(snapshot), inline_plotly=True)
    else:
        fragment = render.snapshot_fragment(snapshot, charts)
        html = render.snapshot_html(snapshot, charts)
    name = snapshot.area["name"]
    return SnapshotDocument(title=f"{name} snapshot, {snapshot.period_label}",
                            file_stem=f"snapshot-{name.lower().replace(' ', '-').replace(',', '')}-{as_of:%Y-%m}",
                            fragment=fragment, html=html, problem=problem)


def print_styles() -> None:
    """The page's print stylesheet: A4, no sidebar, toolbar, controls or page furniture."""
    st.html(PAGE_PRINT_CSS)


def downloads(document: SnapshotDocument) -> None:
    if document.problem:
        st.warning(f"{document.problem} The PDF cannot be made here; the HTML snapshot below carries the same "
                   "content with interactive charts and prints on A4 from any browser.", icon=":material/print:")
    columns = st.columns(2)
    if document.can_print_pdf:
        columns[0].download_button(
            "Download PDF (A4)", data=lambda: render.pdf_from_html(document.html), file_name=f"{document.file_stem}.pdf",
            mime="application/pdf", key="snapshot_pdf", icon=":material/picture_as_pdf:", on_click="ignore",
        )
    columns[1].download_button(
        "Download HTML", data=document.html.encode("utf-8"), file_name=f"{document.file_stem}.html",
        mime="text/html", key="snapshot_html", icon=":material/download:", on_click="ignore",
    )
    st.caption("Or print this page from the browser (Ctrl+P or ⌘P): it prints the snapshot below on one A4 page, "
               "without the menus and controls.")


def preview(document: SnapshotDocument) -> None:
    with st.container(key=PREVIEW_KEY):
        st.html(f"<style>{render.stylesheet()}</style>")
        st.html(document.fragment)
