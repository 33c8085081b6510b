"""One disclosure decision per indicator and period, across every published area.

Every published area (ward, committee area, neighbourhood, custom locality, the city) shows a count
that is a sum over LSOAs, so published figures can be added and subtracted to give the count of any
area whose set of LSOAs is a combination of theirs: Leeds minus 32 wards gives the 33rd; two
custom localities that differ by one LSOA give that LSOA. Suppressing each table on its own cannot
stop that. This module decides once, for all areas together:

1. **Withheld**: areas that are never published for this indicator (LSOAs of small-number
   indicators) are hidden.
2. **Small** (primary suppression): an area whose count is from 1 to threshold - 1
   (``metrics.suppress.is_small``) is hidden. Zero is shown: it reveals nothing about a person.
3. **Secondary**: while any hidden small count (an area's, or a single LSOA's), or any withheld
   non-zero count, can still be worked out exactly by adding and subtracting published counts - its
   LSOA membership vector lies in the linear span of the published areas' vectors - one more
   published area is hidden. The one chosen removes the most such derivations; ties go to the
   smallest count, then the code. Only areas that take part in a derivation are considered, so the
   loop ends (at worst with nothing published).

An LSOA without a reported count (``None``/NaN) is in no published total, so it is left out.
This protects against exact recovery by addition and subtraction; it does not hide the ranges
("between 1 and 4") that the published markers themselves state.

Example (a city of two wards; ward A has 3 incidents, so ward B would give it away):
    >>> membership = pd.DataFrame({"area_code": ["CITY", "CITY", "CITY", "A", "B", "B"],
    ...                            "lsoa_code": ["L1", "L2", "L3", "L1", "L2", "L3"]})
    >>> decision = decide_disclosure(membership=membership, counts={"L1": 3, "L2": 10, "L3": 7})
    >>> dict(zip(decision["area_code"], decision["release"].map(str)))
    {'A': 'small', 'B': 'secondary', 'CITY': 'shown'}
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import StrEnum

import numpy as np
import pandas as pd
from scipy import sparse

from metrics.enums import Unit, coerce_enum
from metrics.errors import MetricsInputError
from metrics.formatting import is_missing
from metrics.suppress import CONFIDENTIAL_MARKER, SMALL_NUMBER_THRESHOLD, is_small, small_marker

RESIDUAL_TOLERANCE = 1e-7  # membership vectors are 0/1, so a true residual is never this small
DECISION_COLUMNS = ["area_code", "count", "release"]
WITHHELD_TEXT = "Ward level only"


class Release(StrEnum):
    """Whether an area's figure is published for one indicator and period, and if not, why."""

    SHOWN = "shown"
    SMALL = "small"
    SECONDARY = "secondary"
    WITHHELD = "withheld"

    @property
    def hidden(self) -> bool:
        return self is not Release.SHOWN


def hidden_text(*, release: Release | str, unit: str | Unit, threshold: int = SMALL_NUMBER_THRESHOLD) -> str:
    """What a viewer sees in place of a figure that is not published.

    A small count shows as "<5"; a rate or percentage on a small count, and any figure hidden so a
    small one cannot be worked out, as "[c]"; a figure never published at its level as
    ``WITHHELD_TEXT``. Raises ``MetricsInputError`` for a figure that is shown.

    Example:
        >>> [hidden_text(release=r, unit="count") for r in ("small", "secondary", "withheld")]
        ['<5', '[c]', 'Ward level only']
        >>> hidden_text(release="small", unit="percent")
        '[c]'
    """
    release = coerce_enum(Release, release, field="release")
    unit = coerce_enum(Unit, unit, field="unit")
    if release is Release.SHOWN:
        raise MetricsInputError("This figure is published; there is no text to show in its place.")
    if release is Release.WITHHELD:
        return WITHHELD_TEXT
    if release is Release.SMALL and unit is Unit.COUNT:
        return small_marker(threshold)
    return CONFIDENTIAL_MARKER


def decide_disclosure(
    *,
    membership: pd.DataFrame,
    counts: Mapping[str, float | None] | pd.Series,
    threshold: int = SMALL_NUMBER_THRESHOLD,
    withheld: Collection[str] = (),
) -> pd.DataFrame:
    """Which areas are published, for one indicator and period.

    ``membership``: columns ``area_code``, ``lsoa_code``, one row per LSOA of each area (an LSOA
    area lists itself). ``counts``: LSOA code -> count (the numerator for a rate or percentage);
    missing or ``None`` for an LSOA that did not report. ``withheld``: area codes never published.
    Returns columns ``area_code``, ``count`` (the sum over the area's reported LSOAs; NaN when none
    reported), ``release`` (a ``Release``), one row per area, sorted by code. Inputs are not changed.
    Raises ``MetricsInputError`` for a negative count or missing columns.

    Example (two overlapping localities, L1 to L3 and L1 to L4, would give LSOA L4 away):
        >>> membership = pd.DataFrame({"area_code": ["X"] * 3 + ["Y"] * 4,
        ...                            "lsoa_code": ["L1", "L2", "L3", "L1", "L2", "L3", "L4"]})
        >>> decision = decide_disclosure(membership=membership,
        ...                              counts={"L1": 9, "L2": 8, "L3": 6, "L4": 2})
        >>> list(decision["release"].map(str))
        ['secondary', 'shown']
    """
    lsoa_counts = _lsoa_counts(counts)
    frame = pd.DataFrame({"period": 0, "lsoa_code": list(lsoa_counts), "count": list(lsoa_counts.values())})
    decision = decide_disclosure_by_period(membership=membership, counts=frame, threshold=threshold,
                                           withheld=withheld)
    if decision.empty:  # no LSOA reported: every area has no count and nothing is small
        areas, _, _ = _matrix(membership, [])
        barred = set(withheld)
        releases = [Release.WITHHELD if code in barred else Release.SHOWN for code in areas]
        return pd.DataFrame({"area_code": areas, "count": np.nan, "release": pd.Series(releases, dtype=object)},
                            columns=DECISION_COLUMNS)
    return decision[DECISION_COLUMNS]


def decide_disclosure_by_period(
    *,
    membership: pd.DataFrame,
    counts: pd.DataFrame,
    threshold: int = SMALL_NUMBER_THRESHOLD,
    withheld: Collection[str] = (),
) -> pd.DataFrame:
    """``decide_disclosure`` for many periods at once, building the area-by-LSOA matrix only once.

    ``counts``: columns ``period`` (any hashable key), ``lsoa_code``, ``count`` (NaN for an LSOA
    that did not report), at most one row per period and LSOA. Returns columns ``period``,
    ``area_code``, ``count``, ``release``: every area for every period that has a row, periods in
    sorted order, areas sorted by code. Periods with the same pattern of reported, small and
    protected figures and nothing to hide beyond them are decided once. Raises
    ``MetricsInputError`` for a negative count, a repeated period and LSOA, or missing columns.

    Example (one quarter with a small ward, one without):
        >>> membership = pd.DataFrame({"area_code": ["CITY", "CITY", "A", "B"], "lsoa_code": ["L1", "L2", "L1", "L2"]})
        >>> counts = pd.DataFrame({"period": ["Q1", "Q1", "Q2", "Q2"], "lsoa_code": ["L1", "L2"] * 2,
        ...                        "count": [3, 10, 6, 10]})
        >>> decision = decide_disclosure_by_period(membership=membership, counts=counts)
        >>> list(decision["release"].map(str))
        ['small', 'secondary', 'shown', 'shown', 'shown', 'shown']
    """
    missing = {"period", "lsoa_code", "count"} - set(counts.columns)
    if missing:
        raise MetricsInputError(f"counts needs the columns period, lsoa_code and count (missing: "
                                f"{', '.join(sorted(missing))})")
    values = pd.to_numeric(counts["count"], errors="coerce")
    if (values < 0).any():
        bad = counts[values < 0].iloc[0]
        raise MetricsInputError(f"The count for {bad['lsoa_code']} must be 0 or more (got {bad['count']!r})")
    if counts.duplicated(["period", "lsoa_code"]).any():
        raise MetricsInputError("counts has more than one row for a period and LSOA")
    wide = (counts.assign(count=values, lsoa_code=counts["lsoa_code"].astype(str))
            .pivot(index="period", columns="lsoa_code", values="count").sort_index(axis=1))
    areas, _, matrix = _matrix(membership, list(wide.columns))
    barred = np.isin(np.array(areas, dtype=object), list(set(withheld)))
    layout = _Layout(matrix=matrix, areas=areas, withheld=barred, threshold=threshold)
    results = [layout.decide(row) for row in wide.to_numpy(dtype=float)]
    if not results:
        return pd.DataFrame(columns=["period", *DECISION_COLUMNS])
    area_counts, releases = (np.concatenate(parts) for parts in zip(*results, strict=True))
    return pd.DataFrame({
        "period": np.repeat(wide.index.to_numpy(dtype=object), len(areas)),
        "area_code": np.tile(np.array(areas, dtype=object), len(wide)),
        "count": area_counts,
        "release": pd.Series(np.array(_RELEASES, dtype=object)[releases], dtype=object),
    })


_RELEASES = [Release.SHOWN, Release.SMALL, Release.SECONDARY, Release.WITHHELD]
_SHOWN, _SMALL, _SECONDARY, _WITHHELD = range(4)


class _Layout:
    """The area-by-LSOA matrix of one membership, deciding one period at a time.

    A period's answer depends on which LSOAs reported, which figures are small or protected and,
    only when more must be hidden, the counts; so a period with nothing more to hide is
    remembered by that pattern and the next period with the same pattern skips the rank work.
    """

    def __init__(self, *, matrix: np.ndarray, areas: list[str], withheld: np.ndarray, threshold: int):
        self.matrix, self.areas, self.withheld, self.threshold = matrix, areas, withheld, threshold
        self.sparse = sparse.csr_array(matrix)  # sums over ~1,000 areas a period without copying columns
        self.settled: set[bytes] = set()

    def decide(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Area counts (NaN where none reported) and release codes (indices into ``_RELEASES``)."""
        reported_lsoas = ~np.isnan(values)
        members = self.sparse @ reported_lsoas.astype(float)  # reported LSOAs in each area
        area_counts = np.where(members > 0, self.sparse @ np.where(reported_lsoas, values, 0.0), np.nan)
        small = _small(area_counts, threshold=self.threshold)
        release = np.full(len(self.areas), _SHOWN)
        release[small] = _SMALL
        release[self.withheld] = _WITHHELD
        published = np.flatnonzero((release == _SHOWN) & (members > 0))
        protected = small | (self.withheld & (area_counts > 0))
        small_lsoas = _small(values, threshold=self.threshold)
        pattern = b"".join(mask.tobytes() for mask in (reported_lsoas, small, protected, small_lsoas))
        if pattern in self.settled:
            return area_counts, release
        columns = np.flatnonzero(reported_lsoas)
        published_rows = self.matrix[published][:, columns]
        atoms = _atoms(published_rows)
        in_single = (self.sparse.T @ (protected & (members == 1)).astype(float))[columns] > 0
        several = self.matrix[np.flatnonzero(protected & (members > 1))][:, columns]
        sensitive = _sensitive_on_atoms(several, small_lsoas[columns] | in_single, atoms)
        on_atoms = np.zeros((len(self.areas), int(atoms.max(initial=-1)) + 1))
        on_atoms[published] = _on_atoms(published_rows, atoms)[0]
        hidden = _secondary(on_atoms, sensitive, list(published), area_counts, self.areas)
        release[hidden] = _SECONDARY
        if not hidden:
            self.settled.add(pattern)
        return area_counts, release


def _small(counts: np.ndarray, *, threshold: int) -> np.ndarray:
    """``metrics.suppress.is_small`` for an array (NaN is not small)."""
    is_small(0, threshold=threshold)  # checks the threshold once
    return (counts > 0) & (counts < threshold)


def _lsoa_counts(counts: Mapping[str, float | None] | pd.Series) -> dict[str, float]:
    present = {}
    for code, value in counts.items():
        if is_missing(value):
            continue
        if float(value) < 0:
            raise MetricsInputError(f"The count for {code} must be 0 or more (got {value!r})")
        present[str(code)] = float(value)
    return present


def _matrix(membership: pd.DataFrame, lsoas: list[str]) -> tuple[list[str], list[str], np.ndarray]:
    """Areas (sorted) and the 0/1 area-by-LSOA matrix over ``lsoas`` (in their order)."""
    missing = {"area_code", "lsoa_code"} - set(membership.columns)
    if missing:
        raise MetricsInputError(f"membership needs the columns area_code and lsoa_code (missing: "
                                f"{', '.join(sorted(missing))})")
    area_codes, lsoa_codes = membership["area_code"].astype(str), membership["lsoa_code"].astype(str)
    areas = sorted(area_codes.unique())
    rows = pd.Index(areas).get_indexer(area_codes)
    columns = pd.Index(lsoas).get_indexer(lsoa_codes)
    matrix = np.zeros((len(areas), len(lsoas)))
    known = columns >= 0
    matrix[rows[known], columns[known]] = 1.0
    return areas, lsoas, matrix


def _sensitive_on_atoms(several: np.ndarray, single_lsoas: np.ndarray, atoms: np.ndarray) -> np.ndarray:
    """Vectors over atoms that must not be derivable: protected areas of several reported LSOAs
    (rows of ``several``, over the reported LSOAs), and the LSOAs flagged in ``single_lsoas``
    (small LSOAs, and those that are a protected area on their own).

    A single LSOA can only be derived when it is an atom on its own, so those are checked by atom
    size; the other areas' rows are reduced with ``_on_atoms``.
    """
    size = int(atoms.max(initial=-1)) + 1
    atom_sizes = np.bincount(atoms, minlength=size)
    alone = np.unique(atoms[single_lsoas & (atom_sizes[atoms] == 1)])
    reduced, constant = _on_atoms(several, atoms)
    return np.vstack([reduced[constant], np.eye(size)[alone]])


def _atoms(published_rows: np.ndarray) -> np.ndarray:
    """For each LSOA, the index of its atom: LSOAs in exactly the same published areas share one.

    Published figures cannot tell apart LSOAs of one atom, so working on atoms gives the same
    answers as working on LSOAs, on a far smaller matrix (about 50 atoms for Leeds, not 482 LSOAs).
    Atoms are numbered in the order of their first LSOA.
    """
    if published_rows.shape[0] == 0:  # nothing published: every LSOA looks alike
        return np.zeros(published_rows.shape[1], dtype=int)
    packed = np.ascontiguousarray(np.packbits(published_rows.T > 0, axis=1))  # one byte string per LSOA
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first, atoms = np.unique(keys, return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first))[atoms.ravel()]


def _on_atoms(vectors: np.ndarray, atoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vectors over LSOAs as vectors over atoms, and whether each is constant on every atom.

    Only a vector constant on every atom can be a combination of published areas' vectors; the
    others' reduced rows mean nothing and must be dropped (published areas are always constant).
    """
    size = int(atoms.max(initial=-1)) + 1
    one_hot = np.zeros((len(atoms), size))
    one_hot[np.arange(len(atoms)), atoms] = 1.0
    sizes = one_hot.sum(axis=0)
    sums = vectors @ one_hot  # each vector's total over each atom
    constant = (np.isclose(sums, 0.0) | np.isclose(sums, sizes)).all(axis=1)
    return sums / np.maximum(sizes, 1.0), constant


def derivable(*, published: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """For each row of ``targets``, whether it is a linear combination of the rows of ``published``.

    Both are 2-D arrays over the same columns (LSOAs). A target is derivable when its residual
    after projection on the row space of ``published`` is zero.

    Example:
        >>> derivable(published=np.array([[1.0, 1.0, 1.0], [0.0, 1.0, 1.0]]),
        ...           targets=np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
        array([ True, False])
    """
    if targets.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    if published.shape[0] == 0:
        return np.zeros(targets.shape[0], dtype=bool)
    _, singular, basis = np.linalg.svd(published, full_matrices=False)
    tolerance = singular.max(initial=0.0) * max(published.shape) * np.finfo(float).eps
    basis = basis[singular > tolerance]
    residual = targets - (targets @ basis.T) @ basis
    return np.linalg.norm(residual, axis=1) < RESIDUAL_TOLERANCE


def _secondary(matrix: np.ndarray, sensitive: np.ndarray, published: list[int], area_counts: np.ndarray,
               areas: list[str]) -> list[int]:
    """Indices of the areas to hide so that no sensitive vector is derivable from the rest.

    Each round hides the published area whose removal leaves the fewest derivations, judged for
    every candidate from one decomposition of the published rows (``_still_derivable``).
    """
    published = list(published)
    hidden: list[int] = []
    exposed = sensitive
    while True:
        rows = matrix[published]
        exposed = exposed[derivable(published=rows, targets=exposed)]
        if not len(exposed):
            return hidden
        still, weights = _still_derivable(rows, exposed)
        useful = still < len(exposed)
        if not useful.any():  # every derivation has a spare route: hide one area used in one of them
            useful = np.abs(weights).max(axis=1) > RESIDUAL_TOLERANCE
        chosen = min((still[k], area_counts[index], areas[index], index)
                     for k, index in enumerate(published) if useful[k])[3]
        hidden.append(chosen)
        published.remove(chosen)


def _still_derivable(rows: np.ndarray, exposed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row, how many ``exposed`` vectors (all derivable from ``rows``) stay derivable without
    it, and the rows' minimum-norm weights (rows by exposed vectors).

    A row that is a combination of the others can go without changing what is derivable. Any
    other row has the same weight in every combination giving a vector, so that vector stays
    derivable exactly when its weight there is zero; the minimum-norm weights show it.
    """
    left, singular, right = np.linalg.svd(rows, full_matrices=True)
    tolerance = singular.max(initial=0.0) * max(rows.shape) * np.finfo(float).eps
    rank = int((singular > tolerance).sum())
    redundant = np.abs(left[:, rank:]).max(axis=1, initial=0.0) > RESIDUAL_TOLERANCE
    weights = left[:, :rank] @ ((right[:rank] @ exposed.T) / singular[:rank, None])
    still = (np.abs(weights) <= RESIDUAL_TOLERANCE).sum(axis=1)
    return np.where(redundant, len(exposed), still), weights
