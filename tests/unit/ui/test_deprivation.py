"""The deprivation sentence and the note on a locality's two sets of LSOAs say what the figures are built from."""

import pandas as pd
import pytest

from ui.deprivation import basis_note, deprivation_summary


def test_both_indices_are_given_each_on_its_own_lsoas():
    lsoas_2021 = pd.DataFrame({"imd2025_decile": [1, 1, 3], "imd2025_rank": [120, 2_000, 9_000]})
    lsoas_2011 = pd.DataFrame({"imd_decile": [1, 2]})
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
