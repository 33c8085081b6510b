"""Summaries of many RAG statuses: counts, the worst status, cell text and the share on track.

Used by the programme overview, where one cell stands for several targets.

Severity, worst first: red, amber, cannot tell, green, not assessed. "Cannot tell" ranks above
green because an interval that straddles the trajectory cannot confirm the target is on track;
"not assessed" ranks last because it says nothing about performance (the counts in
:func:`cell_text` keep it visible). The share on track is green targets over assessed targets
(green, amber, red and cannot tell); with none assessed there is no share (``None``), not 0%.

Example:
    >>> statuses = ["green", "red", "green", "not_assessed"]
    >>> worst_rag(statuses).label, cell_text(statuses), round(share_on_track(statuses), 3)
    ('Red', '✗ Red (1 red, 2 green, 1 not assessed)', 0.667)
"""

from collections.abc import Iterable

from metrics.enums import Rag, coerce_enum

SEVERITY = (Rag.RED, Rag.AMBER, Rag.CANNOT_TELL, Rag.GREEN, Rag.NOT_ASSESSED)
ASSESSED = frozenset({Rag.GREEN, Rag.AMBER, Rag.RED, Rag.CANNOT_TELL})
NO_TARGETS_TEXT = "–"


def _rags(statuses: Iterable[Rag | str]) -> list[Rag]:
    return [coerce_enum(Rag, status, field="rag") for status in statuses]


def rag_counts(statuses: Iterable[Rag | str]) -> dict[Rag, int]:
    """How many of each status, with every status present (zero when absent).

    Example:
        >>> counts = rag_counts(["green", "green", "amber"])
        >>> counts[Rag.GREEN], counts[Rag.RED]
        (2, 0)
    """
    rags = _rags(statuses)
    return {rag: rags.count(rag) for rag in Rag}


def worst_rag(statuses: Iterable[Rag | str]) -> Rag:
    """The most severe status (order above); not assessed when there are none.

    Example:
        >>> worst_rag(["green", "cannot_tell"]), worst_rag([])
        (<Rag.CANNOT_TELL: 'cannot_tell'>, <Rag.NOT_ASSESSED: 'not_assessed'>)
    """
    present = set(_rags(statuses))
    return next((rag for rag in SEVERITY if rag in present), Rag.NOT_ASSESSED)


def cell_text(statuses: Iterable[Rag | str]) -> str:
    """The worst status with its symbol, then the count of each status, worst first; "–" for none.

    Example:
        >>> cell_text(["amber", "green", "green"]), cell_text([])
        ('! Amber (1 amber, 2 green)', '–')
    """
    rags = _rags(statuses)
    if not rags:
        return NO_TARGETS_TEXT
    worst = worst_rag(rags)
    parts = [f"{rags.count(rag)} {rag.label.lower()}" for rag in SEVERITY if rag in rags]
    return f"{worst.symbol} {worst.label} ({', '.join(parts)})"


def share_on_track(statuses: Iterable[Rag | str]) -> float | None:
    """Green targets as a share (0 to 1) of assessed targets; ``None`` when none is assessed.

    Example:
        >>> share_on_track(["green", "amber", "not_assessed"]), share_on_track(["not_assessed"])
        (0.5, None)
    """
    rags = _rags(statuses)
    assessed = [rag for rag in rags if rag in ASSESSED]
    if not assessed:
        return None
    return assessed.count(Rag.GREEN) / len(assessed)
