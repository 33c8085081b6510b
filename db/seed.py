"""Load the real Leeds geography and the illustrative sample data into an empty store.

Geography (wards, LSOAs, committees, IMD 2019, population, boundaries) is real and
comes from ``sample_data/geography``; indicator values, targets, actions, events
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
from db.errors import DataFileError, SeedRefused

CITY_CODE = "E08000035"
CITY_NAME = "Leeds"
SEED_USER = "sample data seed"
_CHUNK = 20_000


def committee_code(name: str) -> str:
    """Local code of a community committee area, e.g. 'Inner East' -> 'CC-INNER-EAST'."""
    return "CC-" + re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")


def has_data(connection: Connection) -> bool:
    return bool(connection.execute(select(func.count()).select_from(schema.areas)).scalar())


def holds_only_sample_data(connection: Connection, sample_dir: Path = SAMPLE_DATA_DIR) -> bool:
    """True when the only batch ever loaded is this sample data's seed (re-seeding changes nothing)."""
    batches = connection.execute(select(schema.import_batches.c.kind, schema.import_batches.c.sha256)).all()
    expected = _sha256(sample_dir / "observations.csv.gz")
    return len(batches) == 1 and batches[0].kind == "seed" and batches[0].sha256 == expected


def seed(engine: Engine, *, sample_dir: Path = SAMPLE_DATA_DIR, replace: bool = False) -> dict[str, int]:
    """Seed the store; returns rows written per table (empty when it already holds exactly the sample data).

    Refuses (``SeedRefused``) when the store already holds data, unless ``replace``
    is given, in which case every table is emptied first, in the same transaction.
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
    for lsoa in lookup.itertuples():
        row = _area(lsoa.lsoa11cd, lsoa.lsoa11nm, "lsoa", None, lsoa.ward_code, lsoa.population,
                    lsoa_shapes[lsoa.lsoa11cd])
        row |= {"imd_score": float(imd.at[lsoa.lsoa11cd, "imd_score"]),
                "imd_decile": int(imd.at[lsoa.lsoa11cd, "imd_decile"])}
        rows.append(row)
    for code, group in neighbourhoods.groupby("neighbourhood_code"):
        first = group.iloc[0]
        rows.append(_area(code, first["neighbourhood_name"], "priority_neighbourhood", "managed",
                          first["ward_code"], sum(lsoa_population[c] for c in pn_lsoas[code]),
                          _multipolygon(lsoa_shapes[c] for c in pn_lsoas[code])))

    membership = [{"area_code": CITY_CODE, "lsoa_code": c} for c in lookup["lsoa11cd"]]
    for name, wards in committee_wards.items():
        membership += [{"area_code": committee_code(name), "lsoa_code": c} for w in wards for c in ward_lsoas[w]]
    membership += [{"area_code": w, "lsoa_code": c} for w, codes in ward_lsoas.items() for c in codes]
    membership += [{"area_code": c, "lsoa_code": c} for c in lookup["lsoa11cd"]]
    membership += [{"area_code": pn, "lsoa_code": c} for pn, codes in pn_lsoas.items() for c in codes]

    # Parents before children, so the self-referencing foreign key holds row by row.
    order = {"city": 0, "community_committee": 1, "ward": 2, "lsoa": 3, "priority_neighbourhood": 3}
    rows.sort(key=lambda r: order[r["type"]])
    return {
        "areas": _insert(connection, schema.areas, rows),
        "area_lsoas": _insert(connection, schema.area_lsoas, membership),
    }


def _area(code, name, area_type, tier, parent, population, geometry) -> dict:
    return {
        "code": code, "name": name, "type": area_type, "tier": tier, "parent_code": parent,
        "population": int(population), "imd_score": None, "imd_decile": None,
        "boundary_geojson": json.dumps(geometry, separators=(",", ":")), "is_custom": False,
        "created_by": None,
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
    observations = _dates(_read_csv(obs_path, dtype={"area_code": str}), "period_start", "period_end")
    observations["batch_id"] = batch_id
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
