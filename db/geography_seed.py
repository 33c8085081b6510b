"""The two LSOA bases of the real Leeds geography, ready to write to the store.

Leeds has 482 LSOAs on the 2011 basis and 488 on the 2021 basis (ONS lookup: 473 unchanged, 7
split in two, 2 merged into one). Every LSOA code is stored once with its ``basis``: ``both`` for
an unchanged code, ``2011`` for a retired one (split or merged parent), ``2021`` for a new one.
Every locality lists its LSOAs on each basis (``area_lsoas.basis``): wards from the ONS best-fit
lookups (LSOA 2011 -> ward 2021, LSOA 2021 -> ward 2024), committee areas through their wards, the
city through all LSOAs, priority neighbourhoods through the 2021 successors of their 2011 LSOAs.
An LSOA lists itself on its own basis; a split 2011 parent lists its 2021 parts, and the merged
2021 LSOA its two 2011 parents, so an LSOA-level figure can be shown on either basis without
apportioning.

Sources (``sample_data/geography/lsoa2021/SOURCES.md``): ONS LSOA11->LSOA21 lookup, ONS LSOA21->ward
best fit, MHCLG IoD2025 File 7 (scores, ranks, deciles and mid-2022 population denominators).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

LSOA2021_DIR_NAME = "lsoa2021"
POPULATION_2011_SOURCE = "ONS mid-2019 LSOA (2011) population estimates, summed over the 2011 LSOAs"
POPULATION_2021_SOURCE = ("MHCLG IoD2025 population denominators (ONS mid-2022 small area estimates), "
                          "summed over the 2021 LSOAs")
CODE_CHANGE_SOURCES = {
    "successor": "Leeds ward code changes after the 2018 review (ONS ward lookups)",
    "split": "ONS LSOA (2011) to LSOA (2021) lookup, CHGIND S",
    "merge": "ONS LSOA (2011) to LSOA (2021) lookup, CHGIND M",
}
# IoD2025 denominator columns -> population groups of ``area_populations``
POPULATION_GROUPS_2021 = {
    "population_mid2022": "all_ages",
    "pop_0_15_mid2022": "aged_0_15",
    "pop_60plus_mid2022": "aged_60_plus",
    "pop_18_66_mid2022": "aged_18_66",
}


@dataclass(frozen=True)
class Lsoa2021:
    """The 2021-basis files, as read. ``lookup``: LSOA11CD, LSOA21CD, CHGIND (U/S/M);
    ``wards``: lsoa21_code, lsoa21_name, ward_code; ``imd``: index lsoa21_code, imd_score,
    imd_rank, imd_decile; ``population``: index lsoa21_code, the four mid-2022 columns;
    ``shapes``: lsoa21_code -> GeoJSON geometry; ``ward_changes``: old_ward_code, new_ward_code."""

    lookup: pd.DataFrame
    wards: pd.DataFrame
    imd: pd.DataFrame
    population: pd.DataFrame
    shapes: dict[str, dict]
    ward_changes: pd.DataFrame

    def basis_of(self) -> dict[str, str]:
        """LSOA code -> 'both' (unchanged), '2011' (retired) or '2021' (new)."""
        unchanged = set(self.lookup.loc[self.lookup["CHGIND"] == "U", "LSOA11CD"])
        bases = {code: "2011" for code in self.lookup["LSOA11CD"]}
        bases |= {code: "2021" for code in self.lookup["LSOA21CD"]}
        return bases | {code: "both" for code in unchanged}

    def successors(self) -> dict[str, list[str]]:
        """2011 LSOA code -> its 2021 code(s)."""
        return self.lookup.groupby("LSOA11CD")["LSOA21CD"].apply(sorted).to_dict()

    def predecessors(self) -> dict[str, list[str]]:
        """2021 LSOA code -> its 2011 code(s)."""
        return self.lookup.groupby("LSOA21CD")["LSOA11CD"].apply(sorted).to_dict()


def read_lsoa2021(geo_dir: Path, read_csv, read_geojson) -> Lsoa2021:
    """Read ``geo_dir/lsoa2021/`` with the seed's readers (which name a missing file)."""
    folder = geo_dir / LSOA2021_DIR_NAME
    shapes = read_geojson(folder / "leeds_lsoa21.geojson")
    return Lsoa2021(
        lookup=read_csv(folder / "leeds_lsoa11_lsoa21_lookup.csv"),
        wards=read_csv(folder / "leeds_lsoa21_ward_lookup.csv"),
        imd=read_csv(folder / "leeds_imd2025_lsoa21.csv").set_index("lsoa21_code")[
            ["imd_score", "imd_rank", "imd_decile"]],
        population=read_csv(folder / "leeds_population_lsoa21.csv").set_index("lsoa21_code"),
        shapes={f["properties"]["lsoa21_code"]: f["geometry"] for f in shapes["features"]},
        ward_changes=read_csv(folder / "leeds_ward_code_changes.csv"),
    )


def lsoa_memberships_2021(data: Lsoa2021, *, committee_of_ward: dict[str, str], city_code: str,
                          neighbourhoods: dict[str, list[str]]) -> list[dict]:
    """``area_lsoas`` rows on the 2021 basis for the city, committees, wards and neighbourhoods."""
    ward_lsoas = data.wards.groupby("ward_code")["lsoa21_code"].apply(sorted).to_dict()
    rows = [{"area_code": city_code, "lsoa_code": c} for c in sorted(data.wards["lsoa21_code"])]
    for ward, codes in ward_lsoas.items():
        rows += [{"area_code": ward, "lsoa_code": c} for c in codes]
        rows += [{"area_code": committee_of_ward[ward], "lsoa_code": c} for c in codes]
    successors = data.successors()
    for code, lsoas11 in neighbourhoods.items():
        codes21 = sorted({c for lsoa in lsoas11 for c in successors[lsoa]})
        rows += [{"area_code": code, "lsoa_code": c} for c in codes21]
    return [r | {"basis": "2021"} for r in rows]


def lsoa_self_memberships(data: Lsoa2021) -> list[dict]:
    """Each LSOA on each basis: itself where its code exists on that basis, else its counterparts."""
    bases = data.basis_of()
    rows = []
    for code, basis in bases.items():
        if basis in ("2011", "both"):
            rows.append({"area_code": code, "basis": "2011", "lsoa_code": code})
        if basis in ("2021", "both"):
            rows.append({"area_code": code, "basis": "2021", "lsoa_code": code})
    merged = data.lookup[data.lookup["CHGIND"] == "M"]
    split = data.lookup[data.lookup["CHGIND"] == "S"]
    rows += [{"area_code": r.LSOA11CD, "basis": "2021", "lsoa_code": r.LSOA21CD} for r in split.itertuples()]
    rows += [{"area_code": r.LSOA21CD, "basis": "2011", "lsoa_code": r.LSOA11CD} for r in merged.itertuples()]
    return rows


def code_change_rows(data: Lsoa2021) -> list[dict]:
    """``code_changes``: ward successors, and each 2011 LSOA split into (or merged into) a 2021 code."""
    rows = [{"old_code": r.old_ward_code, "new_code": r.new_ward_code, "area_type": "ward", "change": "successor",
             "source": CODE_CHANGE_SOURCES["successor"]} for r in data.ward_changes.itertuples()]
    for r in data.lookup[data.lookup["CHGIND"].isin(["S", "M"])].itertuples():
        change = "split" if r.CHGIND == "S" else "merge"
        rows.append({"old_code": r.LSOA11CD, "new_code": r.LSOA21CD, "area_type": "lsoa", "change": change,
                     "source": CODE_CHANGE_SOURCES[change]})
    return rows


def population_rows(memberships: list[dict], *, population_2011: dict[str, int],
                    population_2021: pd.DataFrame) -> list[dict]:
    """``area_populations`` for every area with members: basis 2011 mid-2019 (all ages) and basis
    2021 mid-2022 (all ages, 0-15, 60+, 18-66), each the sum over the area's LSOAs of that basis."""
    members = pd.DataFrame(memberships)
    rows = []
    on_2011 = members[members["basis"] == "2011"]
    totals = on_2011["lsoa_code"].map(population_2011).groupby(on_2011["area_code"]).sum()
    rows += [{"area_code": area, "basis": "2011", "year": 2019, "population_group": "all_ages",
              "population": float(total), "source": POPULATION_2011_SOURCE} for area, total in totals.items()]
    on_2021 = members[members["basis"] == "2021"]
    for column, group in POPULATION_GROUPS_2021.items():
        totals = on_2021["lsoa_code"].map(population_2021[column]).groupby(on_2021["area_code"]).sum()
        rows += [{"area_code": area, "basis": "2021", "year": 2022, "population_group": group,
                  "population": float(total), "source": POPULATION_2021_SOURCE} for area, total in totals.items()]
    return rows
