"""Errors raised on purpose while making a report; the command line and the page turn each
into one sentence (the store's own errors, ``db.errors``, pass through unchanged)."""


class ReportError(Exception):
    """Base class for every error a report raises on purpose."""


class BadRequest(ReportError):
    """The caller asked for something that cannot be made: an unknown locality, a month with no data."""


class BrowserUnavailable(ReportError):
    """No Chromium or Chrome could be found or started, so charts cannot be drawn as SVG."""


class ChartExportFailed(ReportError):
    """The browser was running but did not return a chart."""


class OutputNotWritable(ReportError):
    """The file the report should be written to cannot be created."""
