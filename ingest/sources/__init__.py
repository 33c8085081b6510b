"""Source readers: files in the layouts publishers and officers write, turned into observation rows.

Each reader is one module in this package with:

- ``NAME`` (the key used in ``source_mappings``, e.g. ``police_uk_street``) and ``TITLE`` (what the
  preview calls the layout, e.g. "police.uk street-level file");
- ``header_score(columns) -> int``: how well a header row (normalised headings, as
  ``ingest.templates.normalise_heading`` makes them) matches the layout; 0 when it does not;
- ``read(frame, context) -> SourceResult``: a PURE function from the file's text cells (one column per
  heading, index = spreadsheet row) and a ``SourceContext`` to observation rows in the template's
  columns (text cells), with a report of rows read and rows left out and why.

``READERS`` (at the end of this module) lists them; ``recognise`` picks the one whose header
matches best. The templates themselves are recognised by ``ingest.templates.template_header_score``
and need no conversion. To add a source: write one module here with those three names, add it to
``READERS``, and add a test in ``tests/unit/ingest/`` with a small file in the source's own layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType

import pandas as pd

from ingest.templates import template_header_score

TEMPLATE = "template"
OBSERVATION_COLUMNS = ("indicator_code", "area_code", "period_start", "value", "numerator", "denominator",
                       "lower_limit", "upper_limit", "value_note", "unweighted_base", "status")


@dataclass(frozen=True)
class SourceContext:
    """What readers look things up in, passed in so that readers stay pure.

    ``area_codes``: every area code the store holds; ``district``: the city's name ("Leeds");
    ``mappings``: {(source, source value): indicator code, or None for "not counted"};
    ``indicator_names``: {lower-case indicator name: code}; ``area_types``: {area code: type ('ward',
    'lsoa', 'city'...)}; ``area_names``: {name as ``statxplore.area_key`` writes it: area code}, wards
    before other areas of the same name; ``indicator_geographies``: {indicator code: collection geography}; ``titles``:
    the file's rows above its header, as text cells (Nomis tables name their date and measure there)."""

    area_codes: frozenset[str] = frozenset()
    district: str = "the district"
    mappings: dict[tuple[str, str], str | None] = field(default_factory=dict)
    indicator_names: dict[str, str] = field(default_factory=dict)
    area_types: dict[str, str] = field(default_factory=dict)
    area_names: dict[str, str] = field(default_factory=dict)
    indicator_geographies: dict[str, str] = field(default_factory=dict)
    titles: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class SourceReport:
    """What a reader did: ``rows_read`` rows of the file, ``left_out`` as (reason, count) pairs.
    ``incident_list``: the file lists incidents, so an LSOA with no row had none (0), not missing."""

    source: str
    title: str
    rows_read: int
    unit: str = "rows"
    left_out: tuple[tuple[str, int], ...] = ()
    incident_list: bool = False

    def summary(self) -> str:
        """'police.uk street-level file: 1,234 reports, 2 left out (1 with no location, 1 outside Leeds)'."""
        text = f"{self.title}: {self.rows_read:,} {self.unit}"
        total = sum(count for _, count in self.left_out)
        if total:
            reasons = ", ".join(f"{count:,} {reason}" for reason, count in self.left_out)
            text += f", {total:,} left out ({reasons})"
        return text


@dataclass(frozen=True)
class SourceProblem:
    """Something that stops the file being read: ``row`` None means the whole file."""

    row: int | None
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class SourceResult:
    """Observation rows as text cells (columns from ``OBSERVATION_COLUMNS``; index = a spreadsheet row of
    the file that each comes from, the first one for a count), the report, and any problems."""

    rows: pd.DataFrame
    report: SourceReport
    problems: tuple[SourceProblem, ...] = ()


def header_score(columns: list[str]) -> int:
    """How well a row of headings matches any known layout (templates and sources); 0 for none.

    Example:
        >>> header_score(["crime_id", "month", "reported_by", "falls_within", "lsoa_code", "crime_type"]) > 0
        True
    """
    return max([template_header_score(columns), *(reader.header_score(columns) for reader in READERS)])


def recognise(columns: list[str]) -> ModuleType | None:
    """The source reader whose header matches best, or None when the templates match as well or better."""
    scores = {reader: reader.header_score(columns) for reader in READERS}
    best = max(scores, key=scores.get)
    return best if scores[best] and scores[best] > template_header_score(columns) else None


def source_names() -> dict[str, str]:
    """{NAME: TITLE} of every source reader, e.g. {'police_uk_street': 'police.uk street-level file'}."""
    return {reader.NAME: reader.TITLE for reader in READERS}


def text_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column's cells stripped, or empty strings when the file has no such column."""
    if name not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[name].astype(object).where(frame[name].notna(), "").map(lambda v: str(v).strip())


# The registry: one module per source. Imported last, because each reader uses the classes above.
from ingest.sources import fingertips, nomis, police_uk_street, statxplore  # noqa: E402

READERS: tuple[ModuleType, ...] = (police_uk_street, fingertips, nomis, statxplore)
