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
    areas, lsoas, matrix = _matrix(membership, lsoa_counts)
    values = np.array([lsoa_counts[code] for code in lsoas], dtype=float)
    reported = matrix.any(axis=1)
    area_counts = np.where(reported, matrix @ values, np.nan)
    small = _small(area_counts, threshold=threshold)
    release = {code: Release.SHOWN for code in areas}
    barred = set(withheld)
    for index, code in enumerate(areas):
        if code in barred:
            release[code] = Release.WITHHELD
        elif small[index]:
            release[code] = Release.SMALL
    published = [i for i, code in enumerate(areas) if release[code] is Release.SHOWN and reported[i]]
    atoms = _atoms(matrix[published])
    protected = small | (np.array([release[c] is Release.WITHHELD for c in areas], dtype=bool) & (area_counts > 0))
    sensitive = _sensitive_on_atoms(matrix, protected, _small(values, threshold=threshold), atoms)
    on_atoms = np.zeros((len(areas), int(atoms.max(initial=-1)) + 1))
    on_atoms[published] = _on_atoms(matrix[published], atoms)[0]
    for index in _secondary(on_atoms, sensitive, published, area_counts, areas):
        release[areas[index]] = Release.SECONDARY
    return pd.DataFrame({"area_code": areas, "count": area_counts,
                         "release": pd.Series([release[c] for c in areas], dtype=object)}, columns=DECISION_COLUMNS)


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


def _matrix(membership: pd.DataFrame, counts: dict[str, float]) -> tuple[list[str], list[str], np.ndarray]:
    """Areas (sorted), reported LSOAs (sorted) and the 0/1 area-by-LSOA matrix over them."""
    missing = {"area_code", "lsoa_code"} - set(membership.columns)
    if missing:
        raise MetricsInputError(f"membership needs the columns area_code and lsoa_code (missing: "
                                f"{', '.join(sorted(missing))})")
    area_codes, lsoa_codes = membership["area_code"].astype(str), membership["lsoa_code"].astype(str)
    areas = sorted(area_codes.unique())
    lsoas = sorted(counts)
    rows = pd.Index(areas).get_indexer(area_codes)
    columns = pd.Index(lsoas).get_indexer(lsoa_codes)
    matrix = np.zeros((len(areas), len(lsoas)))
    known = columns >= 0
    matrix[rows[known], columns[known]] = 1.0
    return areas, lsoas, matrix


def _sensitive_on_atoms(matrix: np.ndarray, protected: np.ndarray, small_lsoas: np.ndarray,
                        atoms: np.ndarray) -> np.ndarray:
    """Vectors over atoms that must not be derivable: the protected areas' and the small LSOAs'.

    A single LSOA (an LSOA area, or a small LSOA) can only be derived when it is an atom on its
    own, so those are checked by atom size; other areas' rows are reduced with ``_on_atoms``.
    """
    size = int(atoms.max(initial=-1)) + 1
    if matrix.shape[1] == 0:  # no LSOA reported: nothing is published, nothing can be derived
        return np.zeros((0, size))
    rows = matrix[np.flatnonzero(protected)]
    single = rows.sum(axis=1) == 1
    lsoas = set(np.flatnonzero(small_lsoas)) | set(rows[single].argmax(axis=1).tolist())
    atom_sizes = np.bincount(atoms, minlength=size)
    alone = sorted({int(atoms[j]) for j in lsoas if atom_sizes[atoms[j]] == 1})
    reduced, constant = _on_atoms(rows[~single], atoms)
    return np.vstack([reduced[constant], np.eye(size)[alone]])


def _atoms(published_rows: np.ndarray) -> np.ndarray:
    """For each LSOA, the index of its atom: LSOAs in exactly the same published areas share one.

    Published figures cannot tell apart LSOAs of one atom, so working on atoms gives the same
    answers as working on LSOAs, on a far smaller matrix (about 50 atoms for Leeds, not 482 LSOAs).
    """
    seen: dict[bytes, int] = {}
    columns = np.ascontiguousarray(published_rows.T)
    return np.array([seen.setdefault(column.tobytes(), len(seen)) for column in columns], dtype=int)


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
    """Indices of the areas to hide so that no sensitive vector is derivable from the rest."""
    published = list(published)
    hidden: list[int] = []
    exposed = sensitive[derivable(published=matrix[published], targets=sensitive)]
    while len(exposed):
        candidates = _involved(matrix[published], exposed, published)
        trials = []
        for index in candidates:
            rest = [i for i in published if i != index]
            still = int(derivable(published=matrix[rest], targets=exposed).sum())
            trials.append((still, area_counts[index], areas[index], index))
        chosen = min(trials)[3]
        hidden.append(chosen)
        published.remove(chosen)
        exposed = exposed[derivable(published=matrix[published], targets=exposed)]
    return hidden


def _involved(published_rows: np.ndarray, exposed: np.ndarray, published: list[int]) -> list[int]:
    """Published areas with a non-zero weight in the minimum-norm combination giving an exposed vector.

    An area with weight zero there is not needed for that derivation, so hiding it cannot stop it.
    """
    weights, *_ = np.linalg.lstsq(published_rows.T, exposed.T, rcond=None)
    used = np.abs(weights).max(axis=1) > RESIDUAL_TOLERANCE
    return [index for index, flag in zip(published, used, strict=True) if flag]
