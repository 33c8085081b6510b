"""Load the real Leeds geography and the illustrative sample data into an empty store.

Geography (wards, LSOAs on the 2011 and the 2021 basis, committees, IMD 2019 and IMD 2025,
populations, boundaries, code changes) is real and comes from ``sample_data/geography`` and
``sample_data/geography/lsoa2021`` (see ``db.geography_seed``); indicator values, targets, actions, events
and commentary are illustrative and come from the generator's CSVs in
``sample_data``. Everything is written in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select

from db import schema
from db.config import SAMPLE_DATA_DIR
from db.disclosure import store_decisions
from db.totals import refresh_totals
from db.errors import DataFileError, SeedRefused
from db.geography_seed import (
    code_change_rows,
    lsoa_memberships_2021,
    lsoa_self_memberships,
    population_rows,
    read_lsoa2021,
)
from db.transactions import refresh_planner_statistics

CITY_CODE = "E08000035"
CITY_NAME = "Leeds"
SEED_USER = "sample data seed"
REAL_DATA_USER = "real data seed"  # the published files of sample_data/real, loaded through the import path
_CHUNK = 20_000


def committee_code(name: str) -> str:
    """Local code of a community committee area, e.g. 'Inner East' -> 'CC-INNER-EAST'."""
    return "CC-" + re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")


def has_data(connection: Connection) -> bool:
    return bool(connection.execute(select(func.count()).select_from(schema.areas)).scalar())


def holds_only_sample_data(connection: Connection, sample_dir: Path = SAMPLE_DATA_DIR) -> bool:
    """True when the only batches ever loaded are this sample data's seed and the real data files
    (re-seeding changes nothing)."""
    batches = connection.execute(select(schema.import_batches.c.kind, schema.import_batches.c.sha256,
                                        schema.import_batches.c.imported_by)).all()
    expected = _sha256(sample_dir / "observations.csv.gz")
    seeds = [b for b in batches if b.imported_by != REAL_DATA_USER]
    return len(seeds) == 1 and seeds[0].kind == "seed" and seeds[0].sha256 == expected


def seed(engine: Engine, *, sample_dir: Path = SAMPLE_DATA_DIR, replace: bool = False) -> dict[str, int]:
    """Seed the store; returns rows written per table (empty when it already holds exactly the sample data).

    Refuses (``SeedRefused``) when the store already holds data, unless ``replace``
    is given, in which case every table is emptied first, in the same transaction, which also sums the
    areas' totals (``db.totals``). The small-number decisions of the seeded indicators are made and
    stored at the end (``db.disclosure``).
    """
    with engine.begin() as connection:
        if has_data(connection) and not replace and holds_only_sample_data(connection, sample_dir):
            return {}
        if has_data(connection):
            if not replace:
                raise SeedRefused(
                    "The database already holds data; seeding would mix sample data with it. "
                    "Use 'python -m db seed --replace' to delete everything and load the sample data."
                )
            for table in reversed(schema.metadata.sorted_tables):
                connection.execute(table.delete())
        counts = _load_geography(connection, sample_dir / "geography")
        counts |= _load_sample_data(connection, sample_dir)
        refresh_totals(connection, held=None)
    refresh_planner_statistics(engine, [t.name for t in schema.metadata.sorted_tables])
    store_decisions(engine)
    return counts


def _read_csv(path: Path, **kwargs) -> pd.DataFrame:
    if not path.is_file():
        raise DataFileError(f"Sample data file {path.name} is missing from {path.parent.name}/.")
    return pd.read_csv(path, dtype_backend="numpy_nullable", keep_default_na=False, na_values=[""], **kwargs)


def _read_geojson(path: Path) -> dict[str, dict]:
    if not path.is_file():
        raise DataFileError(f"Boundary file {path.name} is missing from {path.parent.name}/.")
    return json.loads(path.read_text(encoding="utf-8"))


def _features_by(collection: dict, key: str) -> dict[str, dict]:
    return {f["properties"][key]: f["geometry"] for f in collection["features"]}


def _multipolygon(geometries: Iterable[dict]) -> dict:
    """Join polygons into one MultiPolygon without dissolving shared edges (display only)."""
    polygons: list = []
    for geometry in geometries:
        if geometry["type"] == "Polygon":
            polygons.append(geometry["coordinates"])
        else:
            polygons.extend(geometry["coordinates"])
    return {"type": "MultiPolygon", "coordinates": polygons}


def _insert(connection: Connection, table, rows: list[dict]) -> int:
    for start in range(0, len(rows), _CHUNK):
        connection.execute(insert(table), rows[start : start + _CHUNK])
    return len(rows)


def _load_geography(connection: Connection, geo_dir: Path) -> dict[str, int]:
    lookup = _read_csv(geo_dir / "leeds_lsoa11_ward_lookup.csv")
    imd = _read_csv(geo_dir / "leeds_imd2019_lsoa11.csv").set_index("lsoa11cd")
    population = _read_csv(geo_dir / "leeds_population_lsoa11_mid2019.csv").set_index("lsoa11cd")
    committees = _read_csv(geo_dir / "leeds_community_committees.csv")
    priority_wards = set(_read_csv(geo_dir / "leeds_priority_wards.csv")["ward_code"])
    neighbourhoods = _read_csv(geo_dir / "leeds_priority_neighbourhoods.csv")
    lsoa_shapes = _features_by(_read_geojson(geo_dir / "leeds_lsoa11.geojson"), "lsoa11cd")
    ward_shapes = _features_by(_read_geojson(geo_dir / "leeds_wards.geojson"), "ward_code")
    city_shape = _read_geojson(geo_dir / "leeds_lad_boundary.geojson")["features"][0]["geometry"]
    data21 = read_lsoa2021(geo_dir, _read_csv, _read_geojson)

    lookup = lookup.assign(
        population=lookup["lsoa11cd"].map(population["population_mid2019"]).astype(int),
        committee_code=lookup["community_committee"].map(committee_code),
    )
    ward_lsoas = lookup.groupby("ward_code")["lsoa11cd"].apply(list).to_dict()
    ward_population = lookup.groupby("ward_code")["population"].sum().to_dict()
    pn_lsoas = neighbourhoods.groupby("neighbourhood_code")["lsoa11cd"].apply(list).to_dict()
    lsoa_population = dict(zip(lookup["lsoa11cd"], lookup["population"], strict=True))

    rows = [
        _area(CITY_CODE, CITY_NAME, "city", None, None, int(lookup["population"].sum()), city_shape),
    ]
    committee_wards = committees.groupby("community_committee")["ward_code"].apply(list).to_dict()
    for name, wards in sorted(committee_wards.items()):
        shape = _multipolygon(ward_shapes[w] for w in wards)
        rows.append(_area(committee_code(name), name, "community_committee", None, CITY_CODE,
                          sum(ward_population[w] for w in wards), shape))
    for ward in committees.itertuples():
        tier = "co-ordinated" if ward.ward_code in priority_wards else "core"
        rows.append(_area(ward.ward_code, ward.ward_name, "ward", tier, committee_code(ward.community_committee),
                          ward_population[ward.ward_code], ward_shapes[ward.ward_code]))
    rows += _lsoa_rows(lookup, imd, lsoa_shapes, data21)
    for code, group in neighbourhoods.groupby("neighbourhood_code"):
        first = group.iloc[0]
        rows.append(_area(code, first["neighbourhood_name"], "priority_neighbourhood", "managed",
                          first["ward_code"], sum(lsoa_population[c] for c in pn_lsoas[code]),
                          _multipolygon(lsoa_shapes[c] for c in pn_lsoas[code])))

    membership = [{"area_code": CITY_CODE, "lsoa_code": c} for c in lookup["lsoa11cd"]]
    for name, wards in committee_wards.items():
        membership += [{"area_code": committee_code(name), "lsoa_code": c} for w in wards for c in ward_lsoas[w]]
    membership += [{"area_code": w, "lsoa_code": c} for w, codes in ward_lsoas.items() for c in codes]
    membership += [{"area_code": pn, "lsoa_code": c} for pn, codes in pn_lsoas.items() for c in codes]
    membership = [m | {"basis": "2011"} for m in membership]
    committee_of_ward = {w: committee_code(c) for c, w in zip(committees["community_committee"],
                                                                committees["ward_code"], strict=True)}
    membership += lsoa_memberships_2021(data21, committee_of_ward=committee_of_ward, city_code=CITY_CODE,
                                        neighbourhoods=pn_lsoas)
    membership += lsoa_self_memberships(data21)

    # Parents before children, so the self-referencing foreign key holds row by row.
    order = {"city": 0, "community_committee": 1, "ward": 2, "lsoa": 3, "priority_neighbourhood": 3}
    rows.sort(key=lambda r: order[r["type"]])
    return {
        "areas": _insert(connection, schema.areas, rows),
        "area_lsoas": _insert(connection, schema.area_lsoas, membership),
        "area_populations": _insert(connection, schema.area_populations, population_rows(
            membership, population_2011=lsoa_population, population_2021=data21.population)),
        "code_changes": _insert(connection, schema.code_changes, code_change_rows(data21)),
    }


def _lsoa_rows(lookup: pd.DataFrame, imd: pd.DataFrame, shapes_2011: dict, data21) -> list[dict]:
    """One row per LSOA code on either basis. Unchanged and 2021 codes get the 2021 boundary, ward
    (best fit 2024) and IMD 2025; unchanged and 2011 codes keep IMD 2019 and the mid-2019 population;
    a 2021-only code's ``population`` is its mid-2022 estimate (there is no mid-2019 one)."""
    bases = data21.basis_of()
    wards21 = data21.wards.set_index("lsoa21_code")
    rows = []
    for lsoa in lookup.itertuples():
        basis = bases[lsoa.lsoa11cd]
        current = basis == "both"
        row = _area(lsoa.lsoa11cd, lsoa.lsoa11nm, "lsoa", None,
                    wards21.at[lsoa.lsoa11cd, "ward_code"] if current else lsoa.ward_code, lsoa.population,
                    data21.shapes[lsoa.lsoa11cd] if current else shapes_2011[lsoa.lsoa11cd])
        row |= {"basis": basis, "imd_score": float(imd.at[lsoa.lsoa11cd, "imd_score"]),
                "imd_decile": int(imd.at[lsoa.lsoa11cd, "imd_decile"]),
                "imd_rank": int(imd.at[lsoa.lsoa11cd, "imd_rank"])}
        rows.append(row | (_imd2025(data21, lsoa.lsoa11cd) if current else {}))
    for code in sorted(c for c, b in bases.items() if b == "2021"):
        row = _area(code, wards21.at[code, "lsoa21_name"], "lsoa", None, wards21.at[code, "ward_code"],
                    data21.population.at[code, "population_mid2022"], data21.shapes[code])
        rows.append(row | {"basis": "2021"} | _imd2025(data21, code))
    return rows


def _imd2025(data21, code: str) -> dict:
    return {"imd2025_score": float(data21.imd.at[code, "imd_score"]),
            "imd2025_rank": int(data21.imd.at[code, "imd_rank"]),
            "imd2025_decile": int(data21.imd.at[code, "imd_decile"])}


def _area(code, name, area_type, tier, parent, population, geometry) -> dict:
    return {
        "code": code, "name": name, "type": area_type, "tier": tier, "parent_code": parent,
        "population": int(population), "imd_score": None, "imd_decile": None, "imd_rank": None,
        "boundary_geojson": json.dumps(geometry, separators=(",", ":")), "is_custom": False,
        "created_by": None, "basis": None, "imd2025_score": None, "imd2025_rank": None, "imd2025_decile": None,
    }


def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    return frame.assign(**{c: pd.to_datetime(frame[c], format="%Y-%m-%d").dt.date for c in columns})


def _records(frame: pd.DataFrame) -> list[dict]:
    """Plain Python records with None for missing values (drivers reject pandas NA)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load_sample_data(connection: Connection, sample_dir: Path) -> dict[str, int]:
    indicators = _read_csv(sample_dir / "indicators.csv")
    for flag in ("disclosure_control", "missing_means_zero"):
        if flag in indicators.columns:
            indicators[flag] = indicators[flag].astype(str).str.lower() == "true"
    counts = {"indicators": _insert(connection, schema.indicators, _records(indicators))}

    obs_path = sample_dir / "observations.csv.gz"
    batch_id = connection.execute(
        insert(schema.import_batches).values(
            kind="seed", file_name=obs_path.name, sha256=_sha256(obs_path), imported_by=SEED_USER,
            outcome="committed", note="Illustrative sample data loaded on first run",
        )
    ).inserted_primary_key[0]
    observations = _dates(_read_csv(obs_path, dtype={"area_code": str, "basis": str}), "period_start", "period_end")
    observations["batch_id"] = batch_id
    if "basis" not in observations.columns:  # a file from before the 2021 LSOAs: every LSOA row is on 2011 codes
        observations["basis"] = observations["area_code"].where(observations["area_code"].str.startswith("E01"))
        observations["basis"] = observations["basis"].where(observations["basis"].isna(), "2011")
    counts["observations"] = _insert(connection, schema.observations, _records(observations))
    connection.execute(
        schema.import_batches.update()
        .where(schema.import_batches.c.id == batch_id)
        .values(rows_total=counts["observations"], rows_new=counts["observations"])
    )

    plans = _dates(_read_csv(sample_dir / "action_plans.csv"), "period_start", "period_end", "approved_on")
    counts["action_plans"] = _insert(connection, schema.action_plans, _records(plans))
    plan_ids = dict(connection.execute(select(schema.action_plans.c.area_code, schema.action_plans.c.id)).all())

    targets = _dates(_read_csv(sample_dir / "targets.csv"), "baseline_period_start", "baseline_period_end",
                     "target_date")
    targets = targets.assign(plan_id=targets.pop("area_code").map(plan_ids))
    counts["targets"] = _insert(connection, schema.targets, _records(targets))

    actions = _dates(_read_csv(sample_dir / "actions.csv"), "start_date", "due_date")
    links = actions.pop("linked_indicators")
    actions = actions.rename(columns={"action_ref": "ref"}).assign(plan_id=actions.pop("area_code").map(plan_ids))
    counts["actions"] = _insert(connection, schema.actions, _records(actions))
    action_ids = {
        (plan, ref): action_id
        for action_id, plan, ref in connection.execute(
            select(schema.actions.c.id, schema.actions.c.plan_id, schema.actions.c.ref)
        )
    }
    linked = [
        {"action_id": action_ids[(plan, ref)], "indicator_code": code.strip()}
        for plan, ref, codes in zip(actions["plan_id"], actions["ref"], links.fillna(""), strict=True)
        for code in str(codes).split(";")
        if code.strip()
    ]
    counts["action_indicators"] = _insert(connection, schema.action_indicators, linked)

    events = _dates(_read_csv(sample_dir / "events.csv"), "event_date")
    counts["events"] = _insert(connection, schema.events, _records(events))
    notes = _dates(_read_csv(sample_dir / "commentary.csv"), "period_start")
    counts["commentary"] = _insert(connection, schema.commentary, _records(notes))
    return counts
