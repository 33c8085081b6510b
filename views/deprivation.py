"""Plain-English deprivation of a locality from its LSOAs, on IMD 2025 and IMD 2019. No Streamlit here.

IoD2025 (MHCLG, on 2021 LSOAs) is the current index; IMD 2019 (on 2011 LSOAs) stays for history.
The two rank different sets of LSOAs against different national distributions, so where both
exist the sentence gives both, each with its own LSOAs, rather than one figure that mixes them.
"""

from __future__ import annotations

import pandas as pd

IMD2025_LSOAS = 33_755  # English LSOAs (2021) ranked by IoD2025
IMD2019_LSOAS = 32_844  # English LSOAs (2011) ranked by IoD2019
MOST_DEPRIVED_1PC_RANK_2025 = IMD2025_LSOAS // 100  # ranks 1 to 337 are the most deprived 1%
MOST_DEPRIVED_1PC_RANK_2019 = IMD2019_LSOAS // 100  # ranks 1 to 328


def band(rank, decile, *, one_percent_rank: int) -> str | None:
    """'1%' or '10%' for an LSOA in the most deprived 1% or 10% nationally, else None.

    Example: band(120, 1, one_percent_rank=337) == '1%'; band(2_000, 1, one_percent_rank=337) == '10%'.
    """
    if rank is not None and not pd.isna(rank) and rank <= one_percent_rank:
        return "1%"
    if decile is not None and not pd.isna(decile) and decile == 1:
        return "10%"
    return None


def lsoa_deprivation(*, imd_rank=None, imd_decile=None, imd2025_rank=None, imd2025_decile=None) -> str:
    """An LSOA's deprivation for a tooltip: the IMD 2025 decile (and IMD 2019's, for history), and where
    the two indices put it in different bands, both bands.

    Example: "IMD 2025 decile 1 (IMD 2019: 1); in the most deprived 1% on IMD 2019; 10% on IMD 2025".
    """
    parts = []
    if imd2025_decile is not None and not pd.isna(imd2025_decile):
        parts.append(f"IMD 2025 decile {int(imd2025_decile)}")
    if imd_decile is not None and not pd.isna(imd_decile):
        parts.append(f"(IMD 2019: {int(imd_decile)})" if parts else f"IMD 2019 decile {int(imd_decile)}")
    text = " ".join(parts)
    old = band(imd_rank, imd_decile, one_percent_rank=MOST_DEPRIVED_1PC_RANK_2019)
    new = band(imd2025_rank, imd2025_decile, one_percent_rank=MOST_DEPRIVED_1PC_RANK_2025)
    if old != new and (imd_decile is not None and not pd.isna(imd_decile)) and (
            imd2025_decile is not None and not pd.isna(imd2025_decile)):
        text += "; " + _bands_differ(old, new)
    return text


def _bands_differ(old: str | None, new: str | None) -> str:
    """'in the most deprived 1% on IMD 2019; 10% on IMD 2025', or with 'not' on one side."""
    if old and new:
        return f"in the most deprived {old} on IMD 2019; {new} on IMD 2025"
    if old:
        return f"in the most deprived {old} on IMD 2019; not on IMD 2025"
    return f"in the most deprived {new} on IMD 2025; not on IMD 2019"


def _count(frame: pd.DataFrame, column: str, test) -> int:
    return int(frame[column].dropna().map(test).sum()) if column in frame else 0


def deprivation_summary(lsoas_2021: pd.DataFrame, lsoas_2011: pd.DataFrame) -> str:
    """One sentence: how many of the locality's LSOAs are in the most deprived 10% (and 1%) nationally.

    ``lsoas_2021``: its 2021 LSOAs with ``imd2025_decile`` and ``imd2025_rank``; ``lsoas_2011``: its
    2011 LSOAs with ``imd_decile`` and ``imd_rank`` (IMD 2019), as ``db.queries.lsoas_of`` returns them.

    Example: "Deprivation: 3 of its 3 LSOAs in the most deprived 10% nationally on IMD 2025 (2021 LSOAs),
    1 of them in the most deprived 1%; 3 of 3 in the most deprived 10% on IMD 2019 (2011 LSOAs)."
    """
    parts = []
    if len(lsoas_2021):
        tenth = _count(lsoas_2021, "imd2025_decile", lambda d: d == 1)
        first = _count(lsoas_2021, "imd2025_rank", lambda r: r <= MOST_DEPRIVED_1PC_RANK_2025)
        text = (f"{tenth} of its {len(lsoas_2021)} LSOAs in the most deprived 10% nationally on IMD 2025 "
                "(2021 LSOAs)")
        if first:
            text += f", {first} of them in the most deprived 1%"
        parts.append(text)
    if len(lsoas_2011):
        tenth = _count(lsoas_2011, "imd_decile", lambda d: d == 1)
        first = _count(lsoas_2011, "imd_rank", lambda r: r <= MOST_DEPRIVED_1PC_RANK_2019)
        text = f"{tenth} of {len(lsoas_2011)} in the most deprived 10% on IMD 2019 (2011 LSOAs)"
        if first:
            text += f", {first} of them in the most deprived 1%"
        parts.append(text)
    return "Deprivation: " + "; ".join(parts) + "." if parts else ""


BASIS_NOTE_THRESHOLD_PCT = 2.0  # memberships closer than this hold, for practical purposes, the same people


def basis_note(change: pd.DataFrame) -> str:
    """A note for a trend that runs across the change of LSOAs, when the area's 2011 and 2021 LSOAs
    hold populations more than 2% apart (``change`` as ``db.queries.basis_population_change``);
    '' otherwise.

    Example: "Figures up to March 2021 add up this area's 2011 LSOAs, later ones its 2021 LSOAs; the
    2021 LSOAs hold 8.1% more people (mid-2022), so part of any step in April 2021 is the boundary."
    """
    if change.empty or pd.isna(change["difference_pct"].iloc[0]):
        return ""
    difference = float(change["difference_pct"].iloc[0])
    if abs(difference) <= BASIS_NOTE_THRESHOLD_PCT:
        return ""
    more = "more" if difference > 0 else "fewer"
    return (f"Figures on 2011 LSOAs (before April 2021, for most sources) add up this area's 2011 LSOAs, later "
            f"ones its 2021 LSOAs; the 2021 LSOAs hold {abs(difference):.1f}% {more} people (both counted in "
            "mid-2022), because ONS re-fitted LSOAs to wards with Census 2021. Part of any step at the change is "
            "the boundary, not a real change.")
