"""The deprivation sentence and the note on a locality's two sets of LSOAs say what the figures are built from."""

import pandas as pd
import pytest

from views.deprivation import basis_note, deprivation_summary, lsoa_deprivation


def test_both_indices_are_given_each_on_its_own_lsoas():
    lsoas_2021 = pd.DataFrame({"imd2025_decile": [1, 1, 3], "imd2025_rank": [120, 2_000, 9_000]})
    lsoas_2011 = pd.DataFrame({"imd_decile": [1, 2], "imd_rank": [900, 5_000]})
    assert deprivation_summary(lsoas_2021, lsoas_2011) == (
        "Deprivation: 2 of its 3 LSOAs in the most deprived 10% nationally on IMD 2025 (2021 LSOAs), 1 of them "
        "in the most deprived 1%; 1 of 2 in the most deprived 10% on IMD 2019 (2011 LSOAs).")


def test_no_lsoas_no_sentence():
    assert deprivation_summary(pd.DataFrame(), pd.DataFrame()) == ""


@pytest.mark.parametrize(("difference", "shown"), [(2.0, False), (-1.9, False), (2.1, True), (-8.2, True)])
def test_the_note_appears_only_beyond_2_percent(difference, shown):
    change = pd.DataFrame({"area_code": ["E05011384"], "population_2011_lsoas": [100.0],
                           "population_2021_lsoas": [100.0 + difference], "difference_pct": [difference]})
    note = basis_note(change)
    assert bool(note) is shown
    if shown:
        assert f"{abs(difference):.1f}% {'more' if difference > 0 else 'fewer'} people" in note


@pytest.mark.parametrize(("ranks", "expected"), [
    ((100, 1, 2_000, 1), "IMD 2025 decile 1 (IMD 2019: 1); in the most deprived 1% on IMD 2019; 10% on IMD 2025"),
    ((100, 1, 200, 1), "IMD 2025 decile 1 (IMD 2019: 1)"),  # 1% on both: nothing to choose between
    ((3_000, 1, 4_000, 2), "IMD 2025 decile 2 (IMD 2019: 1); in the most deprived 10% on IMD 2019; not on IMD 2025"),
    ((None, None, 300, 1), "IMD 2025 decile 1"),  # a 2021-only LSOA has no IMD 2019
    ((3_000, 1, None, None), "IMD 2019 decile 1"),  # a retired 2011 LSOA has no IMD 2025
])
def test_an_lsoa_names_both_bands_where_the_indices_differ(ranks, expected):
    imd_rank, imd_decile, imd2025_rank, imd2025_decile = ranks
    assert lsoa_deprivation(imd_rank=imd_rank, imd_decile=imd_decile, imd2025_rank=imd2025_rank,
                            imd2025_decile=imd2025_decile) == expected


def test_the_locality_sentence_counts_the_1_percent_on_imd_2019_too():
    text = deprivation_summary(pd.DataFrame({"imd2025_decile": [1], "imd2025_rank": [2_000]}),
                               pd.DataFrame({"imd_decile": [1, 1], "imd_rank": [50, 900]}))
    assert text.endswith("2 of 2 in the most deprived 10% on IMD 2019 (2011 LSOAs), 1 of them in the most "
                         "deprived 1%.")
