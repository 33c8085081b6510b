"""Named errors raised by the metrics library.

Callers (pages, the import CLI) catch :class:`MetricsError` and show its message; the message is
written for a person, so it says what was wrong and with which value.
"""


class MetricsError(Exception):
    """Base class for every error the metrics library raises on purpose."""


class MetricsInputError(MetricsError, ValueError):
    """An argument is outside what a rule can judge (negative count, unknown unit, bad date...).

    Example:
        >>> raise MetricsInputError("trials must be greater than 0 (got 0)")
        Traceback (most recent call last):
        ...
        metrics.errors.MetricsInputError: trials must be greater than 0 (got 0)
    """
