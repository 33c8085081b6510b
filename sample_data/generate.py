"""Generate the ILLUSTRATIVE indicator data for the Thriving Neighbourhoods dashboard.

The geography in ``sample_data/geography/`` is real (ONS, MHCLG). Everything this script writes is
made up: plausible values shaped by each LSOA's real deprivation score and population, with the
stories from Leeds City Council's 2019 report on the priority neighbourhoods built in, and targets
designed so that the dashboard shows a realistic mix of Green, Amber and Red.

Run ``python sample_data/generate.py [out_dir]`` to rewrite the outputs (default: this folder).
The output is deterministic byte for byte: fixed seeds, sorted rows, fixed number formats and
gzip with ``mtime=0``. Only the standard library, numpy and pandas are used.
"""

from __future__ import annotations

import calendar
import csv
import gzip
import io
import sys
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
GEOGRAPHY_DIR = HERE / "geography"
CATALOGUE_PATH = HERE / "indicators.csv"

SEED = 20190213  # date of the Executive Board report
LAST_MONTH = (2026, 9)
PROVISIONAL_AFTER = date(2026, 6, 30)  # periods ending in the 3 months before 2026-09-30
CITY_CODE = "E08000035"
MULTIPLIER = {"count": 1, "percent": 100, "rate_per_1000": 1_000,
              "rate_per_10000": 10_000, "rate_per_100000": 100_000}
OUTPUT_FILES = ("observations.csv.gz", "action_plans.csv", "targets.csv", "actions.csv",
                "events.csv", "commentary.csv")


class GenerationError(RuntimeError):
    """The generated data does not tell the story it is meant to tell."""


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def years(self) -> float:
        return ((self.end - self.start).days + 1) / 365.25

    @property
    def mid_ordinal(self) -> float:
        return (self.start.toordinal() + self.end.toordinal()) / 2


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_periods() -> list[Period]:
    """Calendar months, January 2016 to September 2026."""
    out, year, month = [], 2016, 1
    while (year, month) <= LAST_MONTH:
        out.append(Period(date(year, month, 1), _month_end(year, month)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def quarter_periods() -> list[Period]:
    """Financial quarters, Jan-Mar 2016 (Q4 2015/16) to Jul-Sep 2026 (Q2 2026/27)."""
    out = [Period(date(2016, 1, 1), date(2016, 3, 31))]
    for fy in range(2016, 2027):
        for first_month in (4, 7, 10, 1):
            year = fy if first_month >= 4 else fy + 1
            start = date(year, first_month, 1)
            if start > date(*LAST_MONTH, 1):
                return out
            out.append(Period(start, _month_end(year, first_month + 2)))
    return out


def year_periods() -> list[Period]:
    """Financial years 2016/17 to 2025/26."""
    return [Period(date(fy, 4, 1), date(fy + 1, 3, 31)) for fy in range(2016, 2026)]


PERIODS = {"monthly": month_periods(), "quarterly": quarter_periods(), "annual": year_periods()}


def period_index(periods: list[Period], start: date) -> int:
    for i, period in enumerate(periods):
        if period.start == start:
            return i
    raise GenerationError(f"no period starts on {start}")


def shape(periods: list[Period], knots: list[tuple[date, float]]) -> np.ndarray:
    """Piecewise-linear time profile through (date, value) knots, read at each period's midpoint."""
    xs = [d.toordinal() for d, _ in knots]
    return np.interp([p.mid_ordinal for p in periods], xs, [v for _, v in knots])


def mask(periods: list[Period], first: date, last: date) -> np.ndarray:
    return np.array([first <= p.start <= last for p in periods])


def ramp(periods: list[Period], start: date, years: float) -> np.ndarray:
    """0 before ``start``, rising linearly to 1 over ``years``."""
    elapsed = np.array([(p.mid_ordinal - start.toordinal()) / 365.25 for p in periods])
    return np.clip(elapsed / years, 0.0, 1.0)


def seasonal(periods: list[Period], amplitude: float, peak_month: int) -> np.ndarray:
    months = np.array([p.start.month for p in periods])
    return 1 + amplitude * np.cos(2 * np.pi * (months - peak_month) / 12)


def d(text: str) -> date:
    return date.fromisoformat(text)


# --------------------------------------------------------------------------------------------
# Geography and catalogue
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Geography:
    lsoa: pd.DataFrame  # index lsoa11cd (sorted); pop, imd, dep, emp, child_share, wa_share, ward_code
    neighbourhoods: dict[str, list[str]]
    names: dict[str, str]
    committee: dict[str, str]  # neighbourhood -> community committee
    area_codes: frozenset[str]

    def rows(self, neighbourhood: str) -> np.ndarray:
        return self.lsoa.index.get_indexer(self.neighbourhoods[neighbourhood])


def load_geography(folder: Path = GEOGRAPHY_DIR) -> Geography:
    imd = pd.read_csv(folder / "leeds_imd2019_lsoa11.csv")
    pop = pd.read_csv(folder / "leeds_population_lsoa11_mid2019.csv")
    lookup = pd.read_csv(folder / "leeds_lsoa11_ward_lookup.csv")
    pn = pd.read_csv(folder / "leeds_priority_neighbourhoods.csv")
    frame = imd.merge(pop[["lsoa11cd", "population_mid2019"]], on="lsoa11cd").merge(
        lookup[["lsoa11cd", "ward_code", "community_committee"]], on="lsoa11cd")
    frame = frame.sort_values("lsoa11cd").set_index("lsoa11cd")
    lsoa = pd.DataFrame({
        "pop": frame["population_mid2019"].astype(int),
        "imd": frame["imd_score"].astype(float),
        "dep": np.clip((frame["imd_score"] - 5.0) / 70.0, 0.0, 1.0),
        "emp": frame["employment_score_rate"].astype(float),
        "child_share": frame["pop_0_15_mid2015"] / frame["pop_total_mid2015"],
        "wa_share": frame["pop_working_age_mid2015"] / frame["pop_total_mid2015"],
        "ward_code": frame["ward_code"],
    }, index=frame.index)
    groups = {code: sorted(g["lsoa11cd"]) for code, g in pn.groupby("neighbourhood_code")}
    names = dict(zip(pn["neighbourhood_code"], pn["neighbourhood_name"]))
    committee = {code: frame.loc[lsoas[0], "community_committee"] for code, lsoas in groups.items()}
    codes = set(lsoa.index) | set(lsoa["ward_code"]) | set(groups) | {CITY_CODE}
    return Geography(lsoa, groups, names, committee, frozenset(codes))


REAL_INDICATORS = ("CLAIMANT_COUNT", "FUEL_POVERTY")  # published figures in real/, loaded at seed; not made here


def load_catalogue(path: Path = CATALOGUE_PATH) -> pd.DataFrame:
    """The catalogue of the indicators this script makes up (the real ones are left out)."""
    catalogue = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("code")
    return catalogue.drop(index=[c for c in REAL_INDICATORS if c in catalogue.index])


# --------------------------------------------------------------------------------------------
# Series: one indicator's numerators (and denominators) for every area and period
# --------------------------------------------------------------------------------------------

@dataclass
class Series:
    code: str
    areas: list[str]
    periods: list[Period]
    num: np.ndarray  # int, areas x periods
    den: np.ndarray | None  # int, areas x periods; None for neighbourhood-collected counts
    expected: np.ndarray  # float, areas x periods: the numerator before random noise


def rng_for(name: str) -> np.random.Generator:
    """One independent stream per indicator, so editing one indicator never reshuffles another."""
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


def neighbourhood_factor(geo: Geography, periods: list[Period],
                         effects: dict[str, np.ndarray]) -> np.ndarray:
    """LSOA x period multiplier: 1 everywhere except the neighbourhoods given."""
    factor = np.ones((len(geo.lsoa), len(periods)))
    for neighbourhood, effect in effects.items():
        factor[geo.rows(neighbourhood), :] *= effect
    return factor


def lsoa_counts(geo: Geography, periods: list[Period], rng: np.random.Generator, *,
                rate_per_1000: np.ndarray, spread: float, time: np.ndarray,
                factor: np.ndarray) -> np.ndarray:
    """Poisson counts: population x annual rate x period length x time profile x local factor."""
    local = rng.lognormal(0.0, spread, size=len(geo.lsoa))
    per_year = geo.lsoa["pop"].to_numpy() / 1000 * rate_per_1000 * local
    lengths = np.array([p.years for p in periods])
    expected = per_year[:, None] * (lengths * time)[None, :] * factor
    return rng.poisson(expected), expected


def population_den(geo: Geography, periods: list[Period]) -> np.ndarray:
    return np.repeat(geo.lsoa["pop"].to_numpy()[:, None], len(periods), axis=1)


def set_neighbourhood_total(num: np.ndarray, rows: np.ndarray, col: int, total: int,
                            rng: np.random.Generator) -> None:
    """Fix a neighbourhood's total for one period, sharing it across its LSOAs."""
    weights = num[rows, col] + 0.5
    num[rows, col] = rng.multinomial(total, weights / weights.sum())


def drift_effects(plan: list["TargetPlan"], code: str, periods: list[Period],
                  catalogue: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per-neighbourhood change after a target's baseline, sized for the RAG the plan wants."""
    info = catalogue.loc[code]
    effects = {}
    for item in plan:
        if item.indicator != code or not item.drift:
            continue
        base = periods[period_index(periods, item.baseline_start)]
        kind = drift_kind(info)
        goal = item.goal if item.goal is not None else DRIFT[kind][item.designed]
        if kind == "add_higher":
            effects[item.area] = goal * ramp(periods, base.end, 3.0)
        else:
            effects[item.area] = 1 + (goal - 1) * ramp(periods, base.end, 3.0)
    return effects


def drift_kind(info: pd.Series) -> str:
    if info["unit"] == "percent" and info["polarity"] == "higher_is_better":
        return "add_higher"
    return "mult_higher" if info["polarity"] == "higher_is_better" else "mult_lower"


DRIFT = {
    "mult_lower": {"G": 0.70, "A": 0.90, "R": 1.12},
    "mult_higher": {"G": 1.60, "A": 1.15, "R": 0.85},
    "add_higher": {"G": 0.10, "A": 0.04, "R": -0.03},
}

# --------------------------------------------------------------------------------------------
# LSOA-collected counts
# --------------------------------------------------------------------------------------------

COVID_LOCKDOWN_1 = d("2020-04-15")


def gen_crime(geo, periods, plan, catalogue):
    rng = rng_for("CRIME_ALL")
    time = shape(periods, [
        (d("2016-01-15"), 1.0), (d("2019-12-15"), 1.2), (d("2020-03-15"), 1.15),
        (d("2020-04-15"), 0.74), (d("2020-05-15"), 0.82), (d("2020-07-15"), 1.02),
        (d("2020-10-15"), 1.05), (d("2020-11-15"), 0.92), (d("2020-12-15"), 1.0),
        (d("2021-01-15"), 0.85), (d("2021-02-15"), 0.87), (d("2021-04-15"), 1.05),
        (d("2021-07-15"), 1.15), (d("2023-06-15"), 1.16), (d("2026-09-15"), 1.08)])
    effects = drift_effects(plan, "CRIME_ALL", periods, catalogue)
    # The Nowells: crime builds up in early 2018, then the multi-agency operation from May 2018.
    nowells = shape(periods, [
        (d("2017-12-15"), 1.0), (d("2018-05-15"), 1.3), (d("2018-06-15"), 1.0),
        (d("2018-07-15"), 0.75), (d("2018-08-15"), 0.55), (d("2018-09-15"), 0.4),
        (d("2018-10-15"), 0.5), (d("2026-09-15"), 0.5)])
    effects["PN-CLNW"] = effects.get("PN-CLNW", 1.0) * nowells
    factor = neighbourhood_factor(geo, periods, effects) * seasonal(periods, 0.08, 7)[None, :]
    num, expected = lsoa_counts(geo, periods, rng, rate_per_1000=40 + 2.2 * geo.lsoa["imd"].to_numpy(),
                                spread=0.25, time=time, factor=factor)
    return Series("CRIME_ALL", list(geo.lsoa.index), periods, num, population_den(geo, periods), expected)


def gen_asb(geo, periods, plan, catalogue):
    rng = rng_for("ASB_ALL")
    time = shape(periods, [
        (d("2016-01-15"), 1.0), (d("2020-02-15"), 0.9), (d("2020-04-15"), 1.55),
        (d("2020-05-15"), 1.5), (d("2020-06-15"), 1.25), (d("2020-09-15"), 1.05),
        (d("2020-11-15"), 1.3), (d("2020-12-15"), 1.1), (d("2021-01-15"), 1.35),
        (d("2021-03-15"), 1.2), (d("2021-06-15"), 0.95), (d("2026-09-15"), 0.85)])
    effects = drift_effects(plan, "ASB_ALL", periods, catalogue)
    factor = neighbourhood_factor(geo, periods, effects) * seasonal(periods, 0.25, 7)[None, :]
    num, expected = lsoa_counts(geo, periods, rng, rate_per_1000=12 + 0.9 * geo.lsoa["imd"].to_numpy(),
                                spread=0.3, time=time, factor=factor)
    return Series("ASB_ALL", list(geo.lsoa.index), periods, num, population_den(geo, periods), expected)


def gen_asb_youth(geo, periods, plan, catalogue):
    rng = rng_for("ASB_YOUTH")
    time = shape(periods, [
        (d("2016-01-15"), 1.0), (d("2020-02-15"), 0.92), (d("2020-04-15"), 1.2),
        (d("2020-06-15"), 1.1), (d("2020-09-15"), 0.95), (d("2026-09-15"), 0.85)])
    months = np.array([p.start.month for p in periods])
    season = seasonal(periods, 0.3, 7) + 0.15 * (months == 10) + 0.3 * (months == 11)
    effects = drift_effects(plan, "ASB_YOUTH", periods, catalogue)
    # New Wortley: a persistent youth ASB problem until case management began in April 2017.
    effects["PN-NWORT"] = shape(periods, [
        (d("2017-03-15"), 3.2), (d("2017-04-15"), 1.4), (d("2017-05-15"), 1.0),
        (d("2017-06-15"), 0.85), (d("2017-07-15"), 0.76), (d("2026-09-15"), 0.85)])
    factor = neighbourhood_factor(geo, periods, effects) * season[None, :]
    num, expected = lsoa_counts(geo, periods, rng, rate_per_1000=3 + 0.35 * geo.lsoa["imd"].to_numpy(),
                                spread=0.35, time=time, factor=factor)
    return Series("ASB_YOUTH", list(geo.lsoa.index), periods, num, population_den(geo, periods), expected)


def gen_flytip(geo, periods, plan, catalogue):
    rng = rng_for("FLYTIP")
    time = shape(periods, [
        (d("2016-01-15"), 1.0), (d("2020-02-15"), 1.15), (d("2020-04-15"), 1.6),
        (d("2020-06-15"), 1.45), (d("2020-08-15"), 1.2), (d("2022-01-15"), 1.25),
        (d("2026-09-15"), 1.3)])
    effects = drift_effects(plan, "FLYTIP", periods, catalogue)
    factor = neighbourhood_factor(geo, periods, effects) * seasonal(periods, 0.15, 6)[None, :]
    num, expected = lsoa_counts(geo, periods, rng, rate_per_1000=4 + 0.5 * geo.lsoa["imd"].to_numpy(),
                                spread=0.4, time=time, factor=factor)
    return Series("FLYTIP", list(geo.lsoa.index), periods, num, population_den(geo, periods), expected)


def gen_hate(geo, periods, plan, catalogue):
    rng = rng_for("HATE")
    time = shape(periods, [(d("2016-01-15"), 1.0), (d("2023-06-15"), 1.6), (d("2026-09-15"), 1.65)])
    time = time * np.where(mask(periods, d("2016-07-01"), d("2016-07-01")), 1.25, 1.0)
    effects = drift_effects(plan, "HATE", periods, catalogue)
    # Lincoln Green sits next to the city centre, where more hate incidents are reported.
    effects["PN-LGRN"] = effects.get("PN-LGRN", 1.0) * 2.5
    factor = neighbourhood_factor(geo, periods, effects)
    num, expected = lsoa_counts(geo, periods, rng, rate_per_1000=0.6 + 0.06 * geo.lsoa["imd"].to_numpy(),
                                spread=0.3, time=time, factor=factor)
    return Series("HATE", list(geo.lsoa.index), periods, num, population_den(geo, periods), expected)


def gen_empty_homes(geo, periods, plan, catalogue):
    """A stock, so it moves slowly: a smooth level with autocorrelated noise."""
    rng = rng_for("EMPTY_HOMES")
    dwellings = geo.lsoa["pop"].to_numpy() / 2.3
    level = dwellings * (0.006 + 0.03 * geo.lsoa["dep"].to_numpy()) * rng.lognormal(0, 0.35, len(dwellings))
    time = shape(periods, [(d("2016-02-15"), 1.0), (d("2019-06-15"), 0.92), (d("2021-03-15"), 1.08),
                           (d("2022-06-15"), 1.0), (d("2026-09-15"), 1.02)])
    noise = np.zeros((len(dwellings), len(periods)))
    for j in range(1, len(periods)):
        noise[:, j] = 0.8 * noise[:, j - 1] + rng.normal(0, 0.07, len(dwellings))
    factor = neighbourhood_factor(geo, periods, drift_effects(plan, "EMPTY_HOMES", periods, catalogue))
    expected = level[:, None] * time[None, :] * factor
    num = np.rint(expected * np.exp(noise)).astype(int)
    return Series("EMPTY_HOMES", list(geo.lsoa.index), periods, num, population_den(geo, periods), expected)


# --------------------------------------------------------------------------------------------
# LSOA-collected ratios
# --------------------------------------------------------------------------------------------

def gen_claimant(geo, periods, plan, catalogue):
    """A monthly stock: expected rate with slowly varying noise, rounded (not redrawn each month)."""
    rng = rng_for("CLAIMANT")
    den = np.rint(geo.lsoa["pop"].to_numpy() * geo.lsoa["wa_share"].to_numpy()).astype(int)
    base = (0.008 + 0.24 * geo.lsoa["emp"].to_numpy()) * rng.lognormal(0, 0.12, len(den))
    time = shape(periods, [
        (d("2016-01-15"), 1.0), (d("2018-10-15"), 1.02), (d("2020-02-15"), 1.12),
        (d("2020-04-15"), 1.45), (d("2020-05-15"), 1.62), (d("2021-02-15"), 1.66),
        (d("2021-08-15"), 1.5), (d("2022-03-15"), 1.3), (d("2023-06-15"), 1.22),
        (d("2026-09-15"), 1.25)])
    noise = np.zeros((len(den), len(periods)))
    for j in range(1, len(periods)):
        noise[:, j] = 0.9 * noise[:, j - 1] + rng.normal(0, 0.03, len(den))
    factor = neighbourhood_factor(geo, periods, drift_effects(plan, "CLAIMANT", periods, catalogue))
    rate = np.clip(base[:, None] * time[None, :] * factor, 0.004, 0.3)
    num = np.rint(den[:, None] * np.clip(rate * np.exp(noise), 0.004, 0.3)).astype(int)
    return Series("CLAIMANT", list(geo.lsoa.index), periods, num,
                  np.repeat(den[:, None], len(periods), axis=1), den[:, None] * rate)


def cohort_den(geo, periods, rng, per_person: np.ndarray, minimum: int) -> np.ndarray:
    base = geo.lsoa["pop"].to_numpy() * per_person
    wobble = rng.normal(1.0, 0.08, (len(base), len(periods)))
    return np.maximum(minimum, np.rint(base[:, None] * wobble)).astype(int)


def binomial_ratio(geo, periods, rng, code, den, p, plan, catalogue) -> Series:
    effects = drift_effects(plan, code, periods, catalogue)
    if drift_kind(catalogue.loc[code]) == "add_higher":
        p = p + neighbourhood_factor(geo, periods, {k: v + 1 for k, v in effects.items()}) - 1
    else:
        p = p * neighbourhood_factor(geo, periods, effects)
    p = np.clip(p, 0.001, 0.995)
    return Series(code, list(geo.lsoa.index), periods, rng.binomial(den, p), den, den * p)


def gen_neet(geo, periods, plan, catalogue):
    rng = rng_for("NEET")
    den = cohort_den(geo, periods, rng, geo.lsoa["child_share"].to_numpy() * 2 / 16, 8)
    time = shape(periods, [(d("2016-10-01"), 1.0), (d("2019-10-01"), 0.95),
                           (d("2020-10-01"), 1.12), (d("2025-10-01"), 1.02)])
    p = (0.025 + 0.12 * geo.lsoa["dep"].to_numpy())[:, None] * time[None, :]
    return binomial_ratio(geo, periods, rng, "NEET", den, p, plan, catalogue)


def gen_cla(geo, periods, plan, catalogue):
    rng = rng_for("CLA")
    den = cohort_den(geo, periods, rng, geo.lsoa["child_share"].to_numpy() * 18 / 16, 20)
    time = shape(periods, [(d("2016-10-01"), 1.0), (d("2025-10-01"), 0.85)])
    dep = geo.lsoa["dep"].to_numpy()
    p = ((30 + 230 * dep ** 1.5) / 10_000 * rng.lognormal(0, 0.2, len(dep)))[:, None] * time[None, :]
    return binomial_ratio(geo, periods, rng, "CLA", den, p, plan, catalogue)


def gen_self_harm(geo, periods, plan, catalogue):
    rng = rng_for("SELF_HARM")
    den = population_den(geo, periods)
    time = shape(periods, [(d("2016-10-01"), 1.0), (d("2025-10-01"), 1.08)])
    p = ((80 + 400 * geo.lsoa["dep"].to_numpy()) / 100_000)[:, None] * time[None, :]
    return binomial_ratio(geo, periods, rng, "SELF_HARM", den, p, plan, catalogue)


def gen_mmr(geo, periods, plan, catalogue):
    rng = rng_for("MMR")
    den = cohort_den(geo, periods, rng, geo.lsoa["child_share"].to_numpy() / 16, 5)
    time = shape(periods, [(d("2016-10-01"), 0.0), (d("2019-10-01"), 0.0), (d("2025-10-01"), -0.03)])
    p = (0.955 - 0.14 * geo.lsoa["dep"].to_numpy())[:, None] + time[None, :]
    return binomial_ratio(geo, periods, rng, "MMR", den, p, plan, catalogue)


SURVEY_BASE = {"SAFE_DAY": (0.95, -0.12), "SAFE_DARK": (0.76, -0.30), "INFLUENCE": (0.35, -0.15)}


def gen_survey(geo, periods, plan, catalogue, code, respondents):
    """One question from the (illustrative) annual survey; all questions share the same sample."""
    rng = rng_for(code)
    level, gradient = SURVEY_BASE[code]
    wobble = shape(periods, [(d("2016-10-01"), 0.0), (d("2020-10-01"), 0.02), (d("2025-10-01"), -0.01)])
    p = (level + gradient * geo.lsoa["dep"].to_numpy()
         + rng.normal(0, 0.02, len(geo.lsoa)))[:, None] + wobble[None, :]
    return binomial_ratio(geo, periods, rng, code, respondents, p, plan, catalogue)


def survey_respondents(geo, periods) -> np.ndarray:
    """Boosted samples (40-70) in the neighbourhood LSOAs, 8-20 elsewhere."""
    rng = rng_for("SURVEY_SAMPLE")
    boosted = np.zeros(len(geo.lsoa), dtype=bool)
    for code in geo.neighbourhoods:
        boosted[geo.rows(code)] = True
    small = rng.integers(8, 21, (len(geo.lsoa), len(periods)))
    large = rng.integers(40, 71, (len(geo.lsoa), len(periods)))
    return np.where(boosted[:, None], large, small)


# --------------------------------------------------------------------------------------------
# Neighbourhood-collected counts (programme monitoring returns)
# --------------------------------------------------------------------------------------------

PN_ORDER = ["PN-BEVS", "PN-BOGG", "PN-CLNW", "PN-LGRN", "PN-NWORT", "PN-RECS"]


def pn_matrix(values: dict[str, np.ndarray | float], periods) -> np.ndarray:
    return np.array([np.broadcast_to(values.get(code, 1.0), (len(periods),)) for code in PN_ORDER])


def pn_flow(periods, rng, level: dict[str, float], time: np.ndarray, effects):
    expected = pn_matrix(level, periods) * time[None, :] * pn_matrix(effects, periods)
    return rng.poisson(expected), expected


def pn_stock(periods, rng, level: np.ndarray, effects):
    expected = level * pn_matrix(effects, periods)
    return np.rint(expected * rng.normal(1.0, 0.05, expected.shape)).astype(int).clip(0), expected


def covid_programme(periods) -> np.ndarray:
    """Face-to-face activity stopped in the first lockdown and recovered slowly."""
    return shape(periods, [(d("2020-02-15"), 1.0), (d("2020-05-15"), 0.3), (d("2020-08-15"), 0.55),
                           (d("2020-11-15"), 0.6), (d("2021-02-15"), 0.5), (d("2021-08-15"), 0.9),
                           (d("2022-02-15"), 1.0), (d("2026-09-15"), 1.0)])


def pn_series(code, periods, drawn) -> Series:
    num, expected = drawn
    return Series(code, list(PN_ORDER), periods, num, None, expected)


def row(code: str) -> int:
    return PN_ORDER.index(code)


def gen_engaged(periods, plan, catalogue):
    rng = rng_for("ENGAGED")
    core_teams = np.where([p.start >= d("2018-10-01") for p in periods], 1.0, 0.35)
    time = core_teams * covid_programme(periods)
    level = {"PN-NWORT": 120, "PN-RECS": 150, "PN-BOGG": 90, "PN-BEVS": 110,
             "PN-CLNW": 130, "PN-LGRN": 100}
    effects = drift_effects(plan, "ENGAGED", periods, catalogue)
    return pn_series("ENGAGED", periods, pn_flow(periods, rng, level, time, effects))


def gen_hub_enquiries(periods, plan, catalogue):
    rng = rng_for("HUB_ENQ")
    months = np.array([p.start.month for p in periods])
    time = covid_programme(periods) * np.where(np.isin(months, [8, 12]), 0.85, 1.0)
    time = time * np.where(mask(periods, d("2022-10-01"), d("2024-03-01")), 1.3, 1.0)
    level = {"PN-NWORT": 140, "PN-RECS": 90, "PN-BOGG": 110, "PN-BEVS": 80,
             "PN-CLNW": 120, "PN-LGRN": 160}
    holbeck_hub = np.where([p.start >= d("2018-06-01") for p in periods], 2.6, 1.0)
    return pn_series("HUB_ENQ", periods,
                     pn_flow(periods, rng, level, time, {"PN-RECS": holbeck_hub}))


def gen_employment(periods, plan, catalogue) -> tuple[Series, Series]:
    rng = rng_for("EMP_SUPPORTED")
    level = {"PN-NWORT": 12, "PN-RECS": 7, "PN-BOGG": 6, "PN-BEVS": 8, "PN-CLNW": 8, "PN-LGRN": 6}
    effects = drift_effects(plan, "EMP_SUPPORTED", periods, catalogue)
    before_project = np.where([p.start < d("2018-04-01") for p in periods], 0.35, 1.0)
    effects["PN-NWORT"] = effects.get("PN-NWORT", 1.0) * before_project
    supported, expected = pn_flow(periods, rng, level, covid_programme(periods), effects)
    job_rate = 0.4 * shape(periods, [(d("2020-02-15"), 1.0), (d("2020-06-15"), 0.5),
                                     (d("2021-06-15"), 1.0), (d("2026-09-15"), 1.0)])
    job_effects = drift_effects(plan, "EMP_JOBS", periods, catalogue)
    job_p = np.clip(job_rate[None, :] * pn_matrix(job_effects, periods), 0, 0.8)
    jobs = rng.binomial(supported, job_p)
    return (pn_series("EMP_SUPPORTED", periods, (supported, expected)),
            pn_series("EMP_JOBS", periods, (jobs, expected * job_p)))


DIGITAL_START = {"PN-LGRN": "2018-04-01", "PN-RECS": "2018-07-01", "PN-NWORT": "2019-04-01",
                 "PN-BEVS": "2019-10-01", "PN-BOGG": "2020-10-01", "PN-CLNW": "2021-04-01"}


def running(periods, neighbourhood) -> np.ndarray:
    return np.array([p.start >= d(DIGITAL_START[neighbourhood]) for p in periods], dtype=float)


def gen_digital(periods, plan, catalogue) -> tuple[Series, Series]:
    rng = rng_for("DIGITAL")
    level = {"PN-NWORT": 15, "PN-RECS": 20, "PN-BOGG": 12, "PN-BEVS": 14, "PN-CLNW": 12, "PN-LGRN": 24}
    effects = drift_effects(plan, "DIGITAL", periods, catalogue)
    for code in PN_ORDER:
        effects[code] = effects.get(code, 1.0) * running(periods, code)
    time = np.maximum(covid_programme(periods), 0.5)
    users = pn_flow(periods, rng, level, time, effects)
    vol_rng = rng_for("DIGITAL_VOL")
    growth = np.array([[min(1.0, 0.3 + 0.1 * k) for k in np.cumsum(running(periods, c))]
                       for c in PN_ORDER])
    ceiling = pn_matrix({"PN-NWORT": 5, "PN-RECS": 7, "PN-BOGG": 3, "PN-BEVS": 4,
                         "PN-CLNW": 3, "PN-LGRN": 8}, periods)
    champions = pn_stock(periods, vol_rng, ceiling * growth * pn_matrix(
        {c: running(periods, c) for c in PN_ORDER}, periods), {})
    return pn_series("DIGITAL", periods, users), pn_series("DIGITAL_VOL", periods, champions)


def gen_volunteers(periods, plan, catalogue):
    rng = rng_for("VOLUNTEERS")
    start = {"PN-NWORT": 10, "PN-RECS": 12, "PN-BOGG": 8, "PN-BEVS": 9, "PN-CLNW": 7, "PN-LGRN": 14}
    grown = {"PN-NWORT": 18, "PN-RECS": 22, "PN-BOGG": 12, "PN-BEVS": 14, "PN-CLNW": 13, "PN-LGRN": 26}
    level = np.array([shape(periods, [(d("2016-02-15"), start[c]), (d("2019-02-15"), grown[c]),
                                      (d("2026-09-15"), grown[c])]) for c in PN_ORDER])
    mutual_aid = shape(periods, [(d("2020-02-15"), 1.0), (d("2020-05-15"), 1.35),
                                 (d("2020-11-15"), 1.15), (d("2021-05-15"), 1.0), (d("2026-09-15"), 1.0)])
    stock = pn_stock(periods, rng, level * mutual_aid[None, :],
                     drift_effects(plan, "VOLUNTEERS", periods, catalogue))
    return pn_series("VOLUNTEERS", periods, stock)


def gen_money_advice(periods, plan, catalogue):
    rng = rng_for("MONEY_ADVICE")
    level = {"PN-NWORT": 20, "PN-RECS": 25, "PN-BOGG": 18, "PN-BEVS": 22, "PN-CLNW": 24, "PN-LGRN": 28}
    time = covid_programme(periods) * np.where(mask(periods, d("2022-04-01"), d("2024-03-01")), 1.6, 1.0)
    return pn_series("MONEY_ADVICE", periods, pn_flow(periods, rng, level, time, {}))


def generate_series(geo: Geography, catalogue: pd.DataFrame, plan) -> dict[str, Series]:
    m, q, a = PERIODS["monthly"], PERIODS["quarterly"], PERIODS["annual"]
    respondents = survey_respondents(geo, a)
    series = [
        gen_crime(geo, m, plan, catalogue), gen_asb(geo, m, plan, catalogue),
        gen_asb_youth(geo, m, plan, catalogue), gen_flytip(geo, m, plan, catalogue),
        gen_claimant(geo, m, plan, catalogue), gen_hate(geo, q, plan, catalogue),
        gen_empty_homes(geo, q, plan, catalogue), gen_neet(geo, a, plan, catalogue),
        gen_cla(geo, a, plan, catalogue), gen_self_harm(geo, a, plan, catalogue),
        gen_mmr(geo, a, plan, catalogue),
        *(gen_survey(geo, a, plan, catalogue, c, respondents) for c in SURVEY_BASE),
        gen_engaged(q, plan, catalogue), gen_hub_enquiries(m, plan, catalogue),
        *gen_employment(q, plan, catalogue), *gen_digital(q, plan, catalogue),
        gen_volunteers(q, plan, catalogue), gen_money_advice(q, plan, catalogue),
    ]
    out = {s.code: s for s in series}
    missing = set(catalogue.index) ^ set(out)
    if missing:
        raise GenerationError(f"catalogue and generators disagree on {sorted(missing)}")
    calm_target_periods(out, geo, catalogue, plan)
    apply_stories(out, geo)
    return out


def calm_target_periods(series: dict[str, Series], geo: Geography, catalogue, plan) -> None:
    """Use the expected (noise-free) value at each target's baseline and latest period.

    Otherwise a single noisy month could make a target's RAG an accident of the random draw;
    the periods in between keep their noise.
    """
    rng = rng_for("CALM")
    for item in plan:
        s = series[item.indicator]
        for col in (period_index(s.periods, item.baseline_start), len(s.periods) - 1):
            if s.den is None:
                s.num[row(item.area), col] = round(s.expected[row(item.area), col])
                continue
            rows = geo.rows(item.area)
            if catalogue.loc[s.code, "aggregation"] == "ratio":
                s.num[rows, col] = np.rint(s.expected[rows, col]).astype(int)
            else:
                total = int(round(s.expected[rows, col].sum()))
                weights = s.expected[rows, col] / s.expected[rows, col].sum()
                s.num[rows, col] = rng.multinomial(total, weights)


def apply_stories(series: dict[str, Series], geo: Geography) -> None:
    """The figures from Leeds City Council's 2019 report, set exactly."""
    rng = rng_for("STORIES")
    # The Nowells operation: recorded crime falls by 70% between May and September 2018.
    crime, rows = series["CRIME_ALL"], geo.rows("PN-CLNW")
    may, sep = (period_index(crime.periods, d(x)) for x in ("2018-05-01", "2018-09-01"))
    may_total = int(round(crime.expected[rows, may].sum()))
    set_neighbourhood_total(crime.num, rows, may, may_total, rng)
    set_neighbourhood_total(crime.num, rows, sep, int(round(0.3 * may_total)), rng)
    quarters = series["EMP_SUPPORTED"].periods
    first = period_index(quarters, d("2018-04-01"))
    # New Wortley Community Centre employability project, 2018/19: 31 supported, 14 into work.
    series["EMP_SUPPORTED"].num[row("PN-NWORT"), first:first + 4] = [5, 7, 9, 10]
    series["EMP_JOBS"].num[row("PN-NWORT"), first:first + 4] = [1, 3, 4, 6]
    # Lincoln Green: 85 digital drop-in users in 2018/19 and 26 active volunteers at year end.
    series["DIGITAL"].num[row("PN-LGRN"), first:first + 4] = [15, 22, 24, 24]
    series["VOLUNTEERS"].num[row("PN-LGRN"), first + 3] = 26


# --------------------------------------------------------------------------------------------
# Aggregation to a neighbourhood (sum numerators and denominators; never average rates)
# --------------------------------------------------------------------------------------------

def neighbourhood_value(series: Series, geo: Geography, catalogue: pd.DataFrame,
                        neighbourhood: str, start: date) -> float:
    col = period_index(series.periods, start)
    info = catalogue.loc[series.code]
    if series.den is None:
        return float(series.num[row(neighbourhood), col])
    rows = geo.rows(neighbourhood)
    num = int(series.num[rows, col].sum())
    if info["aggregation"] == "sum":
        return float(num)
    return round(num / int(series.den[rows, col].sum()) * MULTIPLIER[info["unit"]], 4)


# --------------------------------------------------------------------------------------------
# Targets: designed from the generated data so that the RAG mix is realistic
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetPlan:
    area: str
    indicator: str
    baseline_start: date
    target_date: date
    designed: str  # "G", "A" or "R" at the latest period
    drift: bool = True
    fixed: tuple[float, float, str] | None = None  # (change, tolerance, tolerance_type)
    goal: float | None = None  # drift size, when the default for the designed RAG does not fit


def _plan(area, indicator, baseline, target, designed, **kw) -> TargetPlan:
    return TargetPlan(area, indicator, d(baseline), d(target), designed, **kw)


TARGET_PLAN = [
    _plan("PN-NWORT", "ASB_YOUTH", "2016-04-01", "2020-03-31", "G", drift=False,
          fixed=(0.5, 20, "relative")),
    _plan("PN-NWORT", "EMP_JOBS", "2019-01-01", "2027-03-31", "G"),
    _plan("PN-NWORT", "CRIME_ALL", "2019-04-01", "2027-03-31", "A"),
    _plan("PN-NWORT", "SAFE_DARK", "2018-04-01", "2024-03-31", "R"),
    _plan("PN-NWORT", "CLAIMANT", "2021-04-01", "2027-03-31", "A"),
    _plan("PN-NWORT", "VOLUNTEERS", "2019-01-01", "2027-03-31", "G"),
    _plan("PN-RECS", "ASB_ALL", "2018-06-01", "2023-03-31", "G"),
    _plan("PN-RECS", "FLYTIP", "2019-04-01", "2025-03-31", "R"),
    _plan("PN-RECS", "ENGAGED", "2018-10-01", "2027-03-31", "G"),
    _plan("PN-RECS", "SAFE_DAY", "2018-04-01", "2027-03-31", "A"),
    _plan("PN-RECS", "EMPTY_HOMES", "2019-04-01", "2026-03-31", "R"),
    _plan("PN-BOGG", "ASB_ALL", "2019-04-01", "2027-03-31", "A"),
    _plan("PN-BOGG", "NEET", "2018-04-01", "2025-03-31", "R"),
    _plan("PN-BOGG", "MMR", "2018-04-01", "2024-03-31", "G"),
    _plan("PN-BOGG", "INFLUENCE", "2019-04-01", "2027-03-31", "A"),
    _plan("PN-BEVS", "CRIME_ALL", "2019-04-01", "2024-03-31", "G"),
    _plan("PN-BEVS", "FLYTIP", "2019-04-01", "2027-03-31", "A"),
    _plan("PN-BEVS", "EMPTY_HOMES", "2019-04-01", "2027-03-31", "G"),
    _plan("PN-BEVS", "EMP_SUPPORTED", "2019-04-01", "2025-03-31", "R"),
    _plan("PN-BEVS", "SAFE_DARK", "2018-04-01", "2027-03-31", "R"),
    _plan("PN-CLNW", "CRIME_ALL", "2018-05-01", "2020-03-31", "G", drift=False),
    _plan("PN-CLNW", "ASB_YOUTH", "2019-04-01", "2025-03-31", "R"),
    _plan("PN-CLNW", "CLAIMANT", "2019-04-01", "2024-03-31", "R"),
    _plan("PN-CLNW", "INFLUENCE", "2018-04-01", "2027-03-31", "A"),
    _plan("PN-CLNW", "VOLUNTEERS", "2019-01-01", "2027-03-31", "G"),
    _plan("PN-LGRN", "DIGITAL", "2019-01-01", "2027-03-31", "G"),
    _plan("PN-LGRN", "VOLUNTEERS", "2019-01-01", "2027-03-31", "A"),
    _plan("PN-LGRN", "SELF_HARM", "2018-04-01", "2025-03-31", "R"),
    _plan("PN-LGRN", "HATE", "2019-04-01", "2027-03-31", "A", goal=0.75),
    _plan("PN-LGRN", "SAFE_DAY", "2018-04-01", "2027-03-31", "G"),
]

# Candidate target changes and tolerances, by kind; the first tolerance is the default.
CHANGES = {
    "count_lower": [0.10, 0.15, 0.20, 0.25, 0.30, 0.40, 0.50],
    "count_higher": [0.10, 0.20, 0.25, 0.30, 0.40, 0.50, 0.75, 1.00],
    "rate_lower": [0.10, 0.15, 0.20, 0.25, 0.30],
    "percent_higher": [2, 3, 4, 5, 6, 8, 10],
    "percent_lower": [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0],
}
TOLERANCES = {
    "count_lower": ([15, 10, 20, 25], "relative"), "count_higher": ([15, 10, 20, 25], "relative"),
    "rate_lower": ([15, 10, 20, 25], "relative"), "percent_higher": ([3, 2, 4, 5], "absolute"),
    "percent_lower": ([1.0, 0.5, 1.5, 2.0], "absolute"),
}


def target_kind(info: pd.Series) -> str:
    higher = info["polarity"] == "higher_is_better"
    if info["unit"] == "percent":
        return "percent_higher" if higher else "percent_lower"
    if info["unit"] == "count":
        return "count_higher" if higher else "count_lower"
    return "rate_lower"


def target_value(kind: str, baseline: float, change: float) -> float:
    if kind == "count_lower":
        return float(min(round(baseline * (1 - change)), baseline - 1))
    if kind == "count_higher":
        return float(max(round(baseline * (1 + change)), baseline + 1))
    if kind == "rate_lower":
        return round(baseline * (1 - change), 1)
    if kind == "percent_higher":
        return round(min(baseline + change, 99.0), 1)
    return round(max(baseline - change, 0.5), 1)


def expected_value(baseline: float, target: float, t0: date, t1: date, at: date) -> float:
    """Linear trajectory from baseline (at t0) to target (at t1), flat after t1."""
    fraction = min(max((at - t0).days / (t1 - t0).days, 0.0), 1.0)
    return baseline + fraction * (target - baseline)


def shortfall_ratio(value, expected, tolerance, tolerance_type, higher: bool) -> float:
    """How far the value misses the expected value, in units of the tolerance (<= 0: Green)."""
    miss = (expected - value) if higher else (value - expected)
    allowed = tolerance if tolerance_type == "absolute" else tolerance / 100 * abs(expected)
    return miss / allowed


def ratios_all_readings(value, baseline, target, tolerance, tol_type, higher,
                        base_period: Period, target_date: date, at: Period) -> list[float]:
    """Shortfall under every reasonable reading of 'when' (period starts or ends)."""
    return [shortfall_ratio(value, expected_value(baseline, target, t0, target_date, t),
                            tolerance, tol_type, higher)
            for t0 in (base_period.start, base_period.end) for t in (at.start, at.end)]


def robust(designed: str, ratios: list[float]) -> bool:
    if designed == "G":
        return max(ratios) <= -0.15
    if designed == "A":
        return 0.2 <= min(ratios) and max(ratios) <= 0.8
    return min(ratios) >= 1.4


@dataclass(frozen=True)
class Target:
    plan: TargetPlan
    base_period: Period
    baseline: float
    target: float
    change: float
    tolerance: float
    tolerance_type: str
    latest: Period
    latest_value: float
    expected: float


def design_target(item: TargetPlan, series: Series, geo, catalogue) -> Target:
    info = catalogue.loc[item.indicator]
    kind, higher = target_kind(info), info["polarity"] == "higher_is_better"
    base_period = series.periods[period_index(series.periods, item.baseline_start)]
    latest = series.periods[-1]
    baseline = neighbourhood_value(series, geo, catalogue, item.area, base_period.start)
    value = neighbourhood_value(series, geo, catalogue, item.area, latest.start)
    tolerances, tol_type = TOLERANCES[kind]
    options = ([item.fixed] if item.fixed else
               [(c, t, tol_type) for t in tolerances for c in CHANGES[kind]])
    passing = []
    for change, tolerance, t_type in options:
        target = target_value(kind, baseline, change)
        ratios = ratios_all_readings(value, baseline, target, tolerance, t_type, higher,
                                     base_period, item.target_date, latest)
        if robust(item.designed, ratios):
            passing.append((change, tolerance, t_type, target, ratios))
    if not passing:
        raise GenerationError(f"no target gives {item.designed} for {item.area} {item.indicator}: "
                              f"baseline {baseline}, latest {value}")
    chosen = choose(item.designed, passing, tolerances[0])
    change, tolerance, t_type, target, _ = chosen
    expected = expected_value(baseline, target, base_period.end, item.target_date, latest.end)
    return Target(item, base_period, baseline, target, change, tolerance, t_type,
                  latest, value, expected)


def choose(designed: str, passing: list, default_tolerance):
    """Green: the most ambitious target; Red: a middling one; Amber: a clear mid-tolerance miss."""
    preferred = [p for p in passing if p[1] == default_tolerance] or passing
    if designed == "G":
        return max(preferred, key=lambda p: p[0])
    if designed == "R":
        return sorted(preferred, key=lambda p: p[0])[len(preferred) // 2]
    return min(passing, key=lambda p: (abs(np.mean(p[4]) - 0.5), p[1] != default_tolerance))


# --------------------------------------------------------------------------------------------
# Story checks (the generator refuses to write data that does not tell the 2019 report's story)
# --------------------------------------------------------------------------------------------

def neighbourhood_sum(series, geo, catalogue, area, first: date, last: date) -> float:
    return sum(neighbourhood_value(series, geo, catalogue, area, p.start)
               for p in series.periods if first <= p.start <= last)


def check_stories(series: dict[str, Series], geo, catalogue, targets: list[Target]) -> dict:
    def total(code, area, first, last):
        return neighbourhood_sum(series[code], geo, catalogue, area, d(first), d(last))
    facts = {
        "nw_youth_asb_change": total("ASB_YOUTH", "PN-NWORT", "2017-04-01", "2018-03-01")
        / total("ASB_YOUTH", "PN-NWORT", "2016-04-01", "2017-03-01") - 1,
        "nowells_crime_change": total("CRIME_ALL", "PN-CLNW", "2018-09-01", "2018-09-01")
        / total("CRIME_ALL", "PN-CLNW", "2018-05-01", "2018-05-01") - 1,
        "nw_supported_2018_19": total("EMP_SUPPORTED", "PN-NWORT", "2018-04-01", "2019-01-01"),
        "nw_jobs_2018_19": total("EMP_JOBS", "PN-NWORT", "2018-04-01", "2019-01-01"),
        "lg_digital_2018_19": total("DIGITAL", "PN-LGRN", "2018-04-01", "2019-01-01"),
        "lg_volunteers_q4_2018_19": total("VOLUNTEERS", "PN-LGRN", "2019-01-01", "2019-01-01"),
    }
    if not (-0.75 <= facts["nw_youth_asb_change"] <= -0.65
            and -0.75 <= facts["nowells_crime_change"] <= -0.65
            and (facts["nw_supported_2018_19"], facts["nw_jobs_2018_19"]) == (31, 14)
            and (facts["lg_digital_2018_19"], facts["lg_volunteers_q4_2018_19"]) == (85, 26)):
        raise GenerationError(f"the 2019 stories do not hold: {facts}")
    nw = next(t for t in targets if t.plan.area == "PN-NWORT" and t.plan.indicator == "ASB_YOUTH")
    sep_2019 = series["ASB_YOUTH"].periods[period_index(series["ASB_YOUTH"].periods, d("2019-09-01"))]
    value = neighbourhood_value(series["ASB_YOUTH"], geo, catalogue, "PN-NWORT", sep_2019.start)
    ratios = ratios_all_readings(value, nw.baseline, nw.target, nw.tolerance, nw.tolerance_type,
                                 False, nw.base_period, nw.plan.target_date, sep_2019)
    if not robust("G", ratios):
        raise GenerationError(f"New Wortley youth ASB is not on track in September 2019: {value}")
    return facts


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

def fmt_number(x: float) -> str:
    """Integers without '.0'; anything else to at most 4 decimals."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")


LSOA2021_FROM = date(2021, 4, 1)  # periods starting on or after this are published on 2021 LSOAs
LSOA2021_DIR = GEOGRAPHY_DIR / "lsoa2021"


@dataclass(frozen=True)
class Lsoa2021:
    """How the 2021 LSOAs are made of the 2011 ones (ONS lookup) and their mid-2022 population."""

    parents: dict[str, list[str]]  # 2021 code -> the 2011 code(s) it comes from
    parts: dict[str, list[str]]  # split 2011 code -> its 2021 parts
    population: dict[str, int]  # 2021 code -> mid-2022 population (IoD2025 denominators)


def load_lsoa2021(folder: Path = LSOA2021_DIR) -> Lsoa2021:
    lookup = pd.read_csv(folder / "leeds_lsoa11_lsoa21_lookup.csv")
    pop = pd.read_csv(folder / "leeds_population_lsoa21.csv")
    parents = {code: sorted(g["LSOA11CD"]) for code, g in lookup.groupby("LSOA21CD")}
    split = lookup[lookup["CHGIND"] == "S"]
    parts = {code: sorted(g["LSOA21CD"]) for code, g in split.groupby("LSOA11CD")}
    return Lsoa2021(parents, parts, dict(zip(pop["lsoa21_code"], pop["population_mid2022"].astype(int))))


def rebase_to_2021(series: Series, info: pd.Series, lsoa21: Lsoa2021, columns: np.ndarray
                   ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The 2011-LSOA numerators and denominators of the given period columns, re-cut to 2021 LSOAs
    as a publisher would count them: unchanged LSOAs as they are, a merged LSOA the sum of its two
    parents, a split LSOA's figures shared between its parts by their mid-2022 population (drawn at
    random, so the parts add up to the parent exactly). Counts get the 2021 LSOA's mid-2022
    population as their denominator; ratios keep their cohorts. Returns (codes, num, den)."""
    rng = rng_for(series.code + " on 2021 LSOAs")
    row = {code: i for i, code in enumerate(series.areas)}
    num11, den11 = series.num[:, columns], series.den[:, columns]
    ratio = info["aggregation"] == "ratio"
    values: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for parent, (first, second) in sorted(lsoa21.parts.items()):
        num, den = num11[row[parent]], den11[row[parent]]
        share = lsoa21.population[first] / (lsoa21.population[first] + lsoa21.population[second])
        if ratio:
            den_first = np.clip(np.rint(den * share).astype(int), 1, den - 1)
            num_first = rng.hypergeometric(num, den - num, den_first)
            values[first], values[second] = (num_first, den_first), (num - num_first, den - den_first)
        else:
            num_first = rng.binomial(num, share)
            values[first], values[second] = (num_first, den), (num - num_first, den)
    codes = sorted(lsoa21.parents)
    num21, den21 = np.zeros((len(codes), len(columns)), dtype=int), np.zeros((len(codes), len(columns)), dtype=int)
    for i, code in enumerate(codes):
        if code in values:
            num21[i], den21[i] = values[code]
        else:
            num21[i] = sum(num11[row[p]] for p in lsoa21.parents[code])
            den21[i] = sum(den11[row[p]] for p in lsoa21.parents[code])
        if not ratio:
            den21[i] = lsoa21.population[code]
    return codes, num21, den21


def area_lines(code: str, info: pd.Series, areas: list[str], periods: list[Period], num: np.ndarray,
               den: np.ndarray | None, basis: str) -> list[tuple]:
    mult, ratio = MULTIPLIER[info["unit"]], info["aggregation"] == "ratio"
    dates = [(p.start.isoformat(), p.end.isoformat(),
              "provisional" if p.end > PROVISIONAL_AFTER else "final") for p in periods]
    lines = []
    for i, area in enumerate(areas):
        nums = num[i].tolist()
        dens = den[i].tolist() if den is not None else [None] * len(nums)
        for (start, end, status), n, d in zip(dates, nums, dens):
            if d is None:
                value, den_text = str(n), ""
            elif ratio:
                value, den_text = f"{n / d * mult:.4f}", str(d)
            else:
                value, den_text = str(n), str(d)
            lines.append((area, start, f"{code},{area},{start},{end},{value},{n},{den_text},{status},{basis}\n"))
    return lines


def observation_lines(series: Series, info: pd.Series, lsoa21: Lsoa2021) -> list[str]:
    """Rows of one indicator. LSOA rows of periods before April 2021 are on 2011 LSOAs (basis 2011),
    later ones on 2021 LSOAs (basis 2021); neighbourhood rows have no basis."""
    if not series.areas[0].startswith("E01"):
        lines = area_lines(series.code, info, series.areas, series.periods, series.num, series.den, "")
        return [line for *_, line in lines]
    new = np.array([p.start >= LSOA2021_FROM for p in series.periods])
    old_cols, new_cols = np.flatnonzero(~new), np.flatnonzero(new)
    periods = np.array(series.periods, dtype=object)
    lines = area_lines(series.code, info, series.areas, list(periods[old_cols]), series.num[:, old_cols],
                       series.den[:, old_cols], "2011")
    codes, num21, den21 = rebase_to_2021(series, info, lsoa21, new_cols)
    lines += area_lines(series.code, info, codes, list(periods[new_cols]), num21, den21, "2021")
    return [line for *_, line in sorted(lines, key=lambda item: (item[0], item[1]))]


def write_observations(path: Path, series: dict[str, Series], catalogue: pd.DataFrame) -> None:
    header = "indicator_code,area_code,period_start,period_end,value,numerator,denominator,status,basis\n"
    body = [header]
    lsoa21 = load_lsoa2021()
    for code in sorted(series):
        if (series[code].den is not None and (series[code].den <= 0).any()):
            raise GenerationError(f"{code} has a zero denominator")
        body.extend(observation_lines(series[code], catalogue.loc[code], lsoa21))
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                                 compresslevel=9, mtime=0) as gz:
        gz.write("".join(body).encode("utf-8"))


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


MONTHS = ["", "January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def long_date(x: date) -> str:
    return f"{x.day} {MONTHS[x.month]} {x.year}"


def period_label(period: Period, frequency: str) -> str:
    if frequency == "monthly":
        return f"{MONTHS[period.start.month]} {period.start.year}"
    fy = period.start.year if period.start.month >= 4 else period.start.year - 1
    if frequency == "annual":
        return f"{fy}/{str(fy + 1)[2:]}"
    quarter = {4: 1, 7: 2, 10: 3, 1: 4}[period.start.month]
    span = f"{MONTHS[period.start.month][:3]}–{MONTHS[period.end.month][:3]} {period.end.year}"
    return f"{span} (Q{quarter} {fy}/{str(fy + 1)[2:]})"


TARGET_PHRASE = {
    "ASB_ALL": "anti-social behaviour incidents",
    "ASB_YOUTH": "youth-related anti-social behaviour incidents",
    "CRIME_ALL": "recorded crime",
    "FLYTIP": "fly-tipping reports",
    "HATE": "hate incidents",
    "EMPTY_HOMES": "long-term empty homes",
    "SAFE_DAY": "the percentage of residents who feel safe during the day",
    "SAFE_DARK": "the percentage of residents who feel safe after dark",
    "INFLUENCE": "the percentage of residents who feel able to influence local decisions",
    "CLAIMANT": "the out-of-work benefit claimant rate",
    "NEET": "the percentage of 16–17 year olds not in education, employment or training",
    "MMR": "MMR vaccination (two doses by age 5)",
    "SELF_HARM": "emergency admissions for self-harm",
    "ENGAGED": "residents engaged by the Core Team",
    "VOLUNTEERS": "active volunteers at quarter end",
    "EMP_SUPPORTED": "residents supported by employability projects",
    "EMP_JOBS": "residents supported into work",
    "DIGITAL": "digital drop-in users",
}


def show(x: float, unit: str) -> str:
    if unit == "percent":
        return f"{x:.1f}%"
    if unit.startswith("rate_per_"):
        return f"{x:.1f} per {int(unit.rsplit('_', 1)[1]):,}"
    return fmt_number(round(x, 1))


def describe(t: Target, catalogue) -> str:
    info = catalogue.loc[t.plan.indicator]
    freq, unit = info["frequency"], info["unit"]
    if t.plan.area == "PN-NWORT" and t.plan.indicator == "ASB_YOUTH":
        return ("New Wortley: youth ASB 50% fall from the 2016/17 baseline by 31 March 2020. "
                "Baseline and target are monthly counts: the baseline is April 2016, the first month "
                f"of 2016/17 ({fmt_number(t.baseline)} incidents); the target is "
                f"{fmt_number(t.target)} a month.")
    verb = "Increase" if info["polarity"] == "higher_is_better" else "Reduce"
    if verb == "Increase" and unit == "percent":
        verb = "Raise"
    text = (f"{verb} {TARGET_PHRASE[t.plan.indicator]} from {show(t.baseline, unit)} in "
            f"{period_label(t.base_period, freq)} to {show(t.target, unit)} by "
            f"{long_date(t.plan.target_date)}")
    if unit == "count":
        direction = "rise" if verb == "Increase" else "fall"
        per = {"monthly": "a month", "quarterly": "a quarter"}[freq]
        text += f" ({round(t.change * 100)}% {direction}; counts {per})"
    elif unit != "percent":
        text += f" ({round(t.change * 100)}% fall)"
    return text + "."


def target_rows(targets: list[Target], catalogue) -> list[list]:
    rows = []
    for t in sorted(targets, key=lambda t: (t.plan.area, t.plan.indicator)):
        rows.append([t.plan.area, t.plan.indicator, t.base_period.start.isoformat(),
                     t.base_period.end.isoformat(), fmt_number(t.baseline), fmt_number(t.target),
                     t.plan.target_date.isoformat(), fmt_number(t.tolerance), t.tolerance_type,
                     describe(t, catalogue)])
    return rows


# --------------------------------------------------------------------------------------------
# Hand-written programme content (all illustrative)
# --------------------------------------------------------------------------------------------

PLAN_APPROVED = {"PN-NWORT": "2019-03-18", "PN-RECS": "2019-03-25", "PN-BOGG": "2019-03-20",
                 "PN-BEVS": "2019-03-25", "PN-CLNW": "2019-03-20", "PN-LGRN": "2019-03-20"}
SHORT_NAME = {"PN-NWORT": "New Wortley", "PN-RECS": "The Recreations, Holbeck",
              "PN-BOGG": "Boggart Hill", "PN-BEVS": "Beverleys and Stratfords",
              "PN-CLNW": "Cliftons and Nowells", "PN-LGRN": "Lincoln Green"}


def action_plan_rows(geo: Geography) -> list[list]:
    return [[code, f"{SHORT_NAME[code]} neighbourhood action plan 2019–2027", "2019-04-01",
             "2027-03-31", PLAN_APPROVED[code], f"Communities Team ({geo.committee[code]})"]
            for code in sorted(SHORT_NAME)]


# (ref, title, lead, theme, start, due, percent, status, linked, commentary)
ACTIONS = {
    "PN-NWORT": [
        ("NW-01", "Youth case-management panel for young people involved in ASB", "Youth Service",
         "Safety", "2017-04-01", "2018-03-31", 100, "complete", "ASB_YOUTH;ASB_ALL",
         "Panel met monthly with police, housing and schools; youth ASB fell by about 70% in the first year. Approach now part of the Inner West youth offer."),
        ("NW-02", "Employability project at New Wortley Community Centre", "Employment and Skills",
         "Employment and skills", "2018-04-01", "2019-03-31", 100, "complete", "EMP_SUPPORTED;EMP_JOBS",
         "31 residents supported in 2018/19, of whom 14 found work. Continued as NW-06."),
        ("NW-03", "Street lighting upgrades and gating on ginnels", "Housing Leeds",
         "Safety", "2025-04-01", "2027-03-31", 80, "in_progress", "CRIME_ALL;SAFE_DARK",
         "Lighting upgraded on 6 of 8 ginnels; gating consultation closes in December."),
        ("NW-04", "Evening walkabouts with residents and neighbourhood police", "West Yorkshire Police",
         "Safety", "2025-06-01", "2026-12-31", 40, "in_progress", "SAFE_DARK;ASB_ALL",
         "Walkabouts paused over the summer because officers were redeployed; restart agreed for November."),
        ("NW-05", "Universal Credit and job-search sessions at the community centre", "Employment and Skills",
         "Employment and skills", "2024-04-01", "2026-03-31", 70, "in_progress", "CLAIMANT;EMP_JOBS",
         "Sessions continue but the evaluation is not yet written. A new completion date is to be agreed by the Core Team."),
        ("NW-06", "Employability project, second phase", "Employment and Skills",
         "Employment and skills", "2019-04-01", "2027-03-31", 95, "in_progress", "EMP_SUPPORTED;EMP_JOBS",
         "On track; referrals from Jobcentre Plus steady."),
        ("NW-07", "Recruit and train resident volunteers for the community centre", "Voluntary Action Leeds",
         "Community engagement and influence", "2026-01-05", "2026-12-18", 90, "in_progress", "VOLUNTEERS",
         "Eleven new volunteers trained this year."),
        ("NW-08", "Summer holiday activity programme 2027", "Active Leeds",
         "Children and families", "2027-04-01", "2027-09-30", 0, "not_started", "ASB_YOUTH",
         "Funding bid submitted; planning starts in the new year."),
    ],
    "PN-RECS": [
        ("RC-01", "Open the @Holbeck community hub", "Communities Team",
         "Community engagement and influence", "2017-09-01", "2018-06-30", 100, "complete", "HUB_ENQ;ENGAGED",
         "Hub opened in June 2018; enquiries more than doubled."),
        ("RC-02", "CCTV in Cross Flatts Park", "Leeds Anti-Social Behaviour Team",
         "Safety", "2018-04-01", "2018-12-31", 100, "complete", "ASB_ALL;SAFE_DAY",
         "Cameras installed and monitored from the city centre control room."),
        ("RC-03", "Fly-tipping enforcement and back-yard clean-ups", "Cleaner Neighbourhoods Team",
         "Housing and environment", "2025-04-01", "2026-09-30", 60, "in_progress", "FLYTIP",
         "Enforcement officer post was vacant for five months; clean-ups continue. Overdue."),
        ("RC-04", "Inspections of privately rented homes", "Housing Leeds",
         "Housing and environment", "2025-01-06", "2027-06-30", 35, "in_progress", "EMPTY_HOMES",
         "Behind schedule: 140 of about 400 homes inspected so far."),
        ("RC-05", "Bring long-term empty homes back into use", "Housing Leeds",
         "Housing and environment", "2026-04-01", "2027-03-31", 60, "in_progress", "EMPTY_HOMES",
         "Owners of 24 homes contacted; 9 homes back in use."),
        ("RC-06", "Door-knocking across the Recreations", "Communities Team",
         "Community engagement and influence", "2026-04-01", "2027-03-31", 65, "in_progress", "ENGAGED;INFLUENCE",
         "Two of three rounds complete."),
        ("RC-07", "Community safety walkabouts with residents", "West Yorkshire Police",
         "Safety", "2026-06-01", "2027-05-31", 45, "in_progress", "SAFE_DAY;SAFE_DARK",
         "Monthly walkabouts taking place."),
        ("RC-08", "Friday night youth provision on Holbeck Moor", "Youth Service",
         "Children and families", "2027-01-08", "2027-12-17", 0, "not_started", "ASB_YOUTH",
         "Venue agreed; starts in January."),
    ],
    "PN-BOGG": [
        ("BH-01", "Multi-agency ASB problem-solving plan for Boggart Hill", "Leeds Anti-Social Behaviour Team",
         "Safety", "2025-04-01", "2027-03-31", 45, "in_progress", "ASB_ALL;ASB_YOUTH",
         "Behind schedule: partner data sharing took longer than planned."),
        ("BH-02", "Outreach to young people not in education, employment or training", "Employment and Skills",
         "Children and families", "2024-09-01", "2026-07-31", 55, "in_progress", "NEET",
         "Overdue: the outreach worker left in spring; post re-advertised."),
        ("BH-03", "MMR catch-up clinics at the children's centre", "Public Health",
         "Health and wellbeing", "2023-04-01", "2024-03-31", 100, "complete", "MMR",
         "Twelve clinics held; uptake improved."),
        ("BH-04", "Residents' forum and participatory budgeting round", "Communities Team",
         "Community engagement and influence", "2026-04-01", "2027-03-31", 60, "in_progress", "INFLUENCE;VOLUNTEERS",
         "Forum meets monthly; budgeting vote planned for February."),
        ("BH-05", "Green space improvements on Boggart Hill", "Active Leeds",
         "Health and wellbeing", "2025-09-01", "2026-08-31", 100, "complete", "ASB_ALL",
         "New paths, benches and a play area completed in August."),
        ("BH-06", "Tenancy sustainment visits", "Housing Leeds",
         "Housing and environment", "2026-01-05", "2027-01-29", 80, "in_progress", "EMPTY_HOMES",
         "On track."),
        ("BH-07", "Review of neighbourhood policing priorities with residents", "West Yorkshire Police",
         "Safety", "2025-10-01", "2026-10-31", 20, "on_hold", "ASB_ALL",
         "On hold pending the force's neighbourhood policing review; now overdue."),
        ("BH-08", "Jobs and training fair for young people", "Employment and Skills",
         "Employment and skills", "2027-02-01", "2027-03-31", 0, "not_started", "NEET",
         "Booked for February 2027."),
    ],
    "PN-BEVS": [
        ("BS-01", "Alley-gating at fly-tipping hot spots", "Cleaner Neighbourhoods Team",
         "Housing and environment", "2025-04-01", "2027-03-31", 75, "in_progress", "FLYTIP",
         "Gates fitted on 9 of 12 alleys."),
        ("BS-02", "Bring empty homes in the Beverleys back into use", "Housing Leeds",
         "Housing and environment", "2022-04-01", "2025-03-31", 100, "complete", "EMPTY_HOMES",
         "31 homes brought back into use."),
        ("BS-03", "Employability outreach in the Beverleys and Stratfords", "Employment and Skills",
         "Employment and skills", "2024-04-01", "2026-03-31", 40, "in_progress", "EMP_SUPPORTED;EMP_JOBS",
         "Overdue: the outreach venue closed and referrals dropped. New venue being sought."),
        ("BS-04", "Street lighting review and after-dark walkabouts", "West Yorkshire Police",
         "Safety", "2025-10-01", "2026-09-30", 50, "in_progress", "SAFE_DARK",
         "Overdue: the lighting survey is done but the repairs are not yet scheduled."),
        ("BS-05", "Problem-solving plan for burglary and vehicle crime", "West Yorkshire Police",
         "Safety", "2025-04-01", "2026-12-31", 90, "in_progress", "CRIME_ALL",
         "On track."),
        ("BS-06", "Community clear-up days with residents", "Voluntary Action Leeds",
         "Housing and environment", "2026-03-01", "2027-02-26", 30, "in_progress", "FLYTIP;VOLUNTEERS",
         "Behind schedule: two of six clear-up days held."),
        ("BS-07", "Youth club at Hunslet Moor", "Youth Service",
         "Children and families", "2026-09-01", "2027-08-31", 20, "in_progress", "ASB_YOUTH",
         "Weekly sessions started in September."),
        ("BS-08", "Digital drop-in at the local library", "Communities Team",
         "Inclusion", "2027-01-04", "2027-12-17", 0, "not_started", "DIGITAL",
         "Starts in January."),
    ],
    "PN-CLNW": [
        ("CN-01", "Multi-agency operation in the Nowells", "West Yorkshire Police",
         "Safety", "2018-05-01", "2018-09-30", 100, "complete", "CRIME_ALL;ASB_ALL",
         "Recorded crime fell by about 70% between May and September 2018."),
        ("CN-02", "Friday night youth diversion activities", "Youth Service",
         "Safety", "2025-04-01", "2027-03-31", 35, "in_progress", "ASB_YOUTH",
         "Behind schedule: sessions were cut from weekly to fortnightly for lack of staff."),
        ("CN-03", "Jobs and skills outreach with Jobcentre Plus", "Employment and Skills",
         "Employment and skills", "2024-04-01", "2026-06-30", 70, "in_progress", "CLAIMANT",
         "Overdue: extended while the move to Universal Credit finishes."),
        ("CN-04", "Residents' panel for the Cliftons and Nowells", "Communities Team",
         "Community engagement and influence", "2026-04-01", "2027-03-31", 60, "in_progress", "INFLUENCE",
         "Panel of 14 residents meets every six weeks."),
        ("CN-05", "Volunteer recruitment with local faith groups", "Voluntary Action Leeds",
         "Community engagement and influence", "2025-04-01", "2026-03-31", 100, "complete", "VOLUNTEERS",
         "Complete."),
        ("CN-06", "Home security for repeat burglary victims", "Housing Leeds",
         "Safety", "2026-02-02", "2027-01-29", 80, "in_progress", "CRIME_ALL",
         "On track."),
        ("CN-07", "Mental health first aid training for community members", "Public Health",
         "Health and wellbeing", "2026-03-01", "2026-12-31", 10, "on_hold", "SELF_HARM",
         "On hold until the training provider is recommissioned."),
        ("CN-08", "Summer 2027 sports programme", "Active Leeds",
         "Children and families", "2027-05-01", "2027-08-31", 0, "not_started", "ASB_YOUTH",
         "Planning starts in spring."),
    ],
    "PN-LGRN": [
        ("LG-01", "Public Wi-Fi at Lincoln Green Community Centre", "Communities Team",
         "Inclusion", "2018-04-01", "2018-09-30", 100, "complete", "DIGITAL",
         "Wi-Fi installed; the digital drop-in supported 85 residents in 2018/19."),
        ("LG-02", "Digital drop-in sessions and digital champions", "Communities Team",
         "Inclusion", "2019-04-01", "2027-03-31", 95, "in_progress", "DIGITAL;DIGITAL_VOL",
         "On track."),
        ("LG-03", "Volunteer recruitment and training", "Voluntary Action Leeds",
         "Community engagement and influence", "2025-04-01", "2026-12-31", 70, "in_progress", "VOLUNTEERS",
         "Behind schedule: fewer volunteers than planned came through the training."),
        ("LG-04", "Hate crime reporting centre and awareness sessions", "West Yorkshire Police",
         "Safety", "2025-07-01", "2026-06-30", 80, "in_progress", "HATE",
         "Overdue: the last two awareness sessions are rebooked for December."),
        ("LG-05", "Suicide and self-harm prevention awareness", "Public Health",
         "Health and wellbeing", "2024-10-01", "2026-03-31", 100, "complete", "SELF_HARM",
         "Complete."),
        ("LG-06", "Low-level mental health support drop-in", "Public Health",
         "Health and wellbeing", "2026-04-01", "2027-03-31", 30, "in_progress", "SELF_HARM",
         "Behind schedule: the drop-in opened three months late."),
        ("LG-07", "Environmental improvements on the shopping parade", "Cleaner Neighbourhoods Team",
         "Housing and environment", "2026-05-01", "2027-04-30", 55, "in_progress", "FLYTIP;SAFE_DAY",
         "On track."),
        ("LG-08", "Money advice outreach at the community centre", "Voluntary Action Leeds",
         "Inclusion", "2027-01-11", "2027-12-17", 0, "not_started", "MONEY_ADVICE",
         "Starts in January."),
    ],
}


def action_rows() -> list[list]:
    return [[area, *action] for area in sorted(ACTIONS) for action in ACTIONS[area]]


EVENTS = [
    ("PN-NWORT", "2017-04-01", "Youth case-management approach begins",
     "Youth Service, police and housing start managing young people involved in anti-social behaviour case by case."),
    ("PN-CLNW", "2018-05-01", "Multi-agency operation in the Nowells",
     "Police, council and housing operation in response to a rise in crime and anti-social behaviour."),
    ("PN-NWORT", "2018-04-09", "Employability project launched at New Wortley Community Centre",
     "One-to-one employment support for residents (31 supported and 14 into work in 2018/19)."),
    ("PN-LGRN", "2018-04-16", "Digital drop-in starts at Lincoln Green Community Centre",
     "Weekly help with devices, the internet and online forms."),
    ("PN-RECS", "2018-06-01", "@Holbeck community hub opens",
     "The @Holbeck community hub opened in June 2018."),
    ("PN-LGRN", "2018-07-02", "Public Wi-Fi at Lincoln Green Community Centre",
     "Free public Wi-Fi installed at the community centre."),
    ("E05012647", "2018-09-03", "CCTV installed in Cross Flatts Park",
     "New CCTV cameras in Cross Flatts Park, Beeston."),
    *[(code, "2018-11-01", "Core Team formed",
       "A multi-agency Core Team is formed for the neighbourhood.") for code in sorted(SHORT_NAME)],
    ("E08000035", "2020-03-23", "COVID-19: first national lockdown",
     "Stay-at-home order across England; face-to-face services paused."),
    ("E08000035", "2020-11-05", "COVID-19: second national lockdown", "Second national lockdown begins."),
    ("E08000035", "2021-01-06", "COVID-19: third national lockdown", "Third national lockdown begins."),
    ("E08000035", "2022-10-03", "Warm spaces open in community hubs",
     "Cost-of-living support: warm spaces and advice in hubs across the city."),
    ("PN-CLNW", "2023-07-03", "Public Spaces Protection Order",
     "A Public Spaces Protection Order covering street drinking and anti-social behaviour comes into force."),
    ("PN-NWORT", "2025-09-01", "Ginnel lighting upgrades begin", "Street lighting upgraded on the ginnels."),
]


def event_rows() -> list[list]:
    return sorted([list(e) for e in EVENTS], key=lambda e: (e[0], e[1], e[2]))


REASONS = {
    ("PN-NWORT", "CRIME_ALL"): "Shoplifting and vehicle crime on the main road account for most of the gap. Neighbourhood police have a problem-solving plan with local shops; ginnel lighting upgrades (NW-03) are nearly complete.",
    ("PN-NWORT", "SAFE_DARK"): "Residents name poorly lit ginnels and groups gathering near the shops. Lighting upgrades (NW-03) and evening walkabouts (NW-04, behind schedule) are the main responses.",
    ("PN-NWORT", "CLAIMANT"): "The rate has come down since the pandemic, but not as fast as planned, partly because of the move of older benefit claims to Universal Credit. Job-search sessions (NW-05) continue.",
    ("PN-RECS", "FLYTIP"): "Reports rose while the enforcement post was vacant. The post is now filled and back-yard clean-ups restart in the new year (RC-03).",
    ("PN-RECS", "SAFE_DAY"): "Slightly below the trajectory; the survey sample is small, so this is within normal variation. Walkabouts with residents (RC-07) continue.",
    ("PN-RECS", "EMPTY_HOMES"): "Empty homes have risen as private landlords leave the market. An empty homes officer is working with owners (RC-05).",
    ("PN-BOGG", "ASB_ALL"): "A rise over the summer around the shopping parade. The problem-solving plan (BH-01) is behind schedule; partners agreed to speed up data sharing.",
    ("PN-BOGG", "NEET"): "The outreach worker post has been vacant since spring (BH-02). Schools and the Youth Service are sharing lists of young people at risk in the meantime.",
    ("PN-BOGG", "INFLUENCE"): "Close to the trajectory. The residents' forum and participatory budgeting round (BH-04) should help next year.",
    ("PN-BEVS", "FLYTIP"): "Just behind the trajectory. Alley-gating (BS-01) is three-quarters done and reports fall where gates are fitted.",
    ("PN-BEVS", "EMP_SUPPORTED"): "Referrals dropped when the outreach venue closed (BS-03). A new venue at the library is being agreed.",
    ("PN-BEVS", "SAFE_DARK"): "Street lighting faults remain unrepaired (BS-04). Repairs are being prioritised with Highways.",
    ("PN-CLNW", "ASB_YOUTH"): "A small group of young people accounts for many incidents. Youth diversion sessions (CN-02) were cut back for lack of staff; case management is being considered, as in New Wortley.",
    ("PN-CLNW", "CLAIMANT"): "Still above the pre-pandemic level. Outreach with Jobcentre Plus (CN-03) has been extended.",
    ("PN-CLNW", "INFLUENCE"): "Slightly behind. The new residents' panel (CN-04) is expected to lift this in the next survey.",
    ("PN-LGRN", "VOLUNTEERS"): "Fewer volunteers than planned completed training (LG-03). Voluntary Action Leeds is running extra evening sessions.",
    ("PN-LGRN", "SELF_HARM"): "Admissions have not fallen. Small numbers make the rate volatile, but the trend is a concern; a mental health drop-in (LG-06) opened late and is now running.",
    ("PN-LGRN", "HATE"): "Reports rose after the reporting centre opened, which partly reflects more confidence in reporting (LG-04).",
}

HISTORY = [
    ("PN-NWORT", "ASB_YOUTH", "2018-03-01",
     "Youth ASB is down about 70% on 2016/17 since case management began in April 2017. A small number of young people accounted for most incidents; each now has a named lead worker."),
    ("PN-CLNW", "CRIME_ALL", "2018-09-01",
     "Recorded crime fell by about 70% between May and September 2018 after the multi-agency operation in the Nowells. Partners will keep a visible presence to sustain it."),
    ("PN-RECS", "HUB_ENQ", "2018-06-01",
     "The @Holbeck hub opened this month; enquiries are expected to more than double."),
    ("PN-NWORT", "EMP_JOBS", "2019-01-01",
     "The New Wortley Community Centre employability project supported 31 residents in 2018/19, and 14 of them found work."),
    ("PN-LGRN", "DIGITAL", "2019-01-01",
     "85 residents used the digital drop-in in 2018/19, helped by 26 active volunteers."),
    ("PN-RECS", "ENGAGED", "2020-04-01",
     "Door-knocking and events stopped during the first lockdown; the Core Team kept in touch with residents by phone."),
]


def author(geo: Geography, area: str) -> str:
    return f"Localities Officer, Communities Team ({geo.committee[area]})"


def commentary_rows(targets: list[Target], geo, catalogue) -> list[list]:
    rows = [[a, i, p, text, author(geo, a)] for a, i, p, text in HISTORY]
    for t in targets:
        if t.plan.designed == "G":
            continue
        info = catalogue.loc[t.plan.indicator]
        word = {"A": "Amber", "R": "Red"}[t.plan.designed]
        label = period_label(t.latest, info["frequency"])
        unit = info["unit"]
        if t.latest.end >= t.plan.target_date:
            against = f"the target of {show(t.target, unit)} due by {long_date(t.plan.target_date)}"
        else:
            against = (f"{show(t.expected, unit)} expected on the way to {show(t.target, unit)} "
                       f"by {long_date(t.plan.target_date)}")
        text = (f"{word}: {show(t.latest_value, unit)} in {label} against {against}. "
                f"{REASONS[(t.plan.area, t.plan.indicator)]}")
        rows.append([t.plan.area, t.plan.indicator, t.latest.start.isoformat(), text,
                     author(geo, t.plan.area)])
    return sorted(rows, key=lambda r: (r[0], r[1], r[2]))


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------

def main(out_dir: Path = HERE) -> dict:
    """Write every output file into ``out_dir`` and return a summary (stories and RAG)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    geo, catalogue = load_geography(), load_catalogue()
    series = generate_series(geo, catalogue, TARGET_PLAN)
    targets, failures = [], []
    for item in TARGET_PLAN:
        try:
            targets.append(design_target(item, series[item.indicator], geo, catalogue))
        except GenerationError as error:
            failures.append(str(error))
    if failures:
        raise GenerationError("\n".join(failures))
    facts = check_stories(series, geo, catalogue, targets)
    write_observations(out_dir / "observations.csv.gz", series, catalogue)
    write_csv(out_dir / "action_plans.csv",
              ["area_code", "title", "period_start", "period_end", "approved_on", "owner"],
              action_plan_rows(geo))
    write_csv(out_dir / "targets.csv",
              ["area_code", "indicator_code", "baseline_period_start", "baseline_period_end",
               "baseline_value", "target_value", "target_date", "tolerance", "tolerance_type",
               "description"], target_rows(targets, catalogue))
    write_csv(out_dir / "actions.csv",
              ["area_code", "action_ref", "title", "lead", "theme", "start_date", "due_date",
               "percent_complete", "status", "linked_indicators", "commentary"], action_rows())
    write_csv(out_dir / "events.csv", ["area_code", "event_date", "title", "description"], event_rows())
    write_csv(out_dir / "commentary.csv", ["area_code", "indicator_code", "period_start", "text", "author"],
              commentary_rows(targets, geo, catalogue))
    rag_by_area: dict[str, dict[str, int]] = {}
    for t in targets:
        rag_by_area.setdefault(t.plan.area, {"G": 0, "A": 0, "R": 0})[t.plan.designed] += 1
    return {"stories": facts, "rag": rag_by_area}


generate = main


if __name__ == "__main__":
    summary = main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    for key, value in summary["stories"].items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    for area, counts in sorted(summary["rag"].items()):
        print(area, counts)
