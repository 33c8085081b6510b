"""Cached access to the store for pages.

The engine is a shared resource (``st.cache_resource``); query results are cached by
their (hashable) filter values for a few minutes and cleared after any import. Parts of pages
built from them (figures, maps, tables ready to draw) are kept by ``cached_view`` and cleared
with them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from db import queries
from db.config import database_url
from db.disclosure import published_figures
from db.engine import store_identity, store_is_writable
from db.store import is_first_run, open_store
from views import deprivation, explore, plans, programme, scorecards, trends

CACHE_TTL_SECONDS = 600
VIEWS_KEPT = 256  # built page parts per builder: every locality, ward and indicator a few times over

Built = TypeVar("Built", bound=Callable)
_VIEW_BUILDERS: list = []


FIRST_RUN = ("First run: creating the database and loading the sample data, which takes about 30 seconds (the "
             "terminal shows each step). Next time, `python -m db prepare` before `streamlit run app.py` does this "
             "before the app starts.")


@st.cache_resource(show_spinner=False)  # a first run says so in refresh_if_data_changed; else it is quick
def get_engine() -> Engine:
    """The store's engine; created, migrated and seeded on first use unless ``python -m db prepare``
    already did so before the app started. Each step of that is printed on the server's console too."""
    return open_store(report=_tell_console)


def _tell_console(step: str) -> None:
    print(f"Thriving Neighbourhoods: {step}", flush=True)  # beside Streamlit's own start-up lines


def _opened_engine() -> Engine:
    """``get_engine()``, saying on the page what is happening when this call creates and seeds the store."""
    if is_first_run(database_url()):
        with st.spinner(FIRST_RUN, show_time=True):
            return get_engine()
    return get_engine()


def clear_caches() -> None:
    """Forget cached query results and the page parts built from them, e.g. after an import, so pages
    show new data at once."""
    st.cache_data.clear()
    for builder in _VIEW_BUILDERS:
        builder.clear()


def cached_view(builder: Built) -> Built:
    """Keep what ``builder`` returns (a plotly figure, a pydeck map, a table ready to draw) for every
    session, by its arguments, until the data change (``clear_caches``) or ``CACHE_TTL_SECONDS`` pass.

    One process runs every visitor's page in one Python interpreter, so building a figure once instead
    of on every visit is time the next visitor does not wait. What it returns is shared without a copy
    (``st.cache_resource``): read it, never change it. Its arguments must name everything it shows,
    the viewer's role included, so small numbers hidden from one viewer are never drawn for another;
    it must not call ``st.*`` itself.
    """
    kept = st.cache_resource(ttl=CACHE_TTL_SECONDS, max_entries=VIEWS_KEPT, show_spinner=False)(builder)
    _VIEW_BUILDERS.append(kept)
    return kept


@st.cache_resource
def _last_seen_version() -> dict:
    return {}


def refresh_if_data_changed() -> None:
    """Clear cached results when the data changed behind the app's back (an import from the
    command line, another server), so no page shows figures older than the store's. The first page of a
    first run creates and seeds the store here, with a message saying so."""
    engine = _opened_engine()
    # A SQLite file replaced by another (a restore) is new data even when its counts match.
    version = (store_identity(engine), queries.data_version(engine))
    seen = _last_seen_version()
    if seen.get("version") not in (None, version):
        clear_caches()
    seen["version"] = version


@st.cache_data(ttl=30, show_spinner=False)
def store_writable() -> bool:
    """False while the store can only be read (see ``db.engine.store_is_writable``)."""
    return store_is_writable(get_engine())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_areas(area_type: str, with_boundaries: bool = False, within: tuple[str, ...] | None = None) -> pd.DataFrame:
    """``queries.areas_by_type``; LSOAs are those ``within`` the given areas, else the district's."""
    if area_type == "lsoa" and within is None:
        within = (load_city_code(),)
    return queries.areas_by_type(get_engine(), area_type, with_boundaries=with_boundaries,
                                 within=None if within is None else list(within))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_catalogue() -> pd.DataFrame:
    return queries.indicator_catalogue(get_engine())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_localities() -> pd.DataFrame:
    return queries.localities(get_engine())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_latest_month() -> date | None:
    """The newest month any monthly-or-longer period ends in: the default 'as at' month."""
    latest = queries.latest_period_ends(get_engine())
    if latest.empty:
        return None
    newest = max(latest["latest_period_end"])
    return newest.replace(day=1)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_first_month() -> date | None:
    """The month the data start in: the earliest choice on the month slider."""
    first = queries.first_period_start(get_engine())
    return None if first is None else first.replace(day=1)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner="Checking which small numbers to hide…")
def load_published_figures(indicator_code: str, areas: tuple[str, ...] | None = None,
                           periods: tuple[date, date] | None = None) -> pd.DataFrame:
    """The one disclosure decision of an indicator (``db.disclosure.published_figures``), read for the
    ``areas`` and ``periods`` a page shows: every page hides exactly what it says, so no hidden number
    can be worked out from what pages show."""
    return published_figures(get_engine(), indicator_code, areas=areas, periods=periods)


def cached_figures(_engine: Engine, indicator_code: str, *, areas: tuple[str, ...] | None = None,
                   periods: tuple[date, date] | None = None) -> pd.DataFrame:
    """``db.disclosure.published_figures`` through the cache."""
    return load_published_figures(indicator_code, areas, periods)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner="Judging every target…")
def load_programme_status(as_of: date, sees_small_numbers: bool, wards: tuple[str, ...] | None = None) -> pd.DataFrame:
    """``programme.programme_status``: every locality's targets judged, or those of the localities in ``wards``."""
    return programme.programme_status(get_engine(), as_of, scorecards.Viewer(sees_small_numbers), wards=wards,
                                      series=cached_series, figures=cached_figures)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_locality(code: str) -> dict:
    return scorecards.locality_context(get_engine(), code)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner="Building the scorecard…")
def load_scorecard(code: str, as_of: date, sees_small_numbers: bool) -> pd.DataFrame:
    area = load_locality(code)
    return scorecards.locality_scorecard(get_engine(), area, as_of, scorecards.Viewer(sees_small_numbers),
                                         series=cached_series, figures=cached_figures)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_indicator_lookup() -> dict[str, dict]:
    """Every indicator's row by code (``scorecards.indicator_lookup``), read once for all loaders."""
    return scorecards.indicator_lookup(get_engine())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_series(indicator_code: str, area_codes: tuple[str, ...], period_start: date | None = None) -> pd.DataFrame:
    return scorecards.series_for(get_engine(), load_indicator_lookup()[indicator_code], list(area_codes),
                                 period_start=period_start)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_series_many(indicator_codes: tuple[str, ...], area_codes: tuple[str, ...],
                     period_starts: tuple[tuple[str, date], ...] | None = None) -> dict[str, pd.DataFrame]:
    """``scorecards.series_for_many``: indicator code -> series, for every code given."""
    lookup = load_indicator_lookup()
    return scorecards.series_for_many(get_engine(), [lookup[code] for code in indicator_codes], list(area_codes),
                                      period_starts=None if period_starts is None else dict(period_starts))


def cached_series(_engine: Engine, indicators, area_codes, *,
                  period_starts: dict[str, date] | None = None) -> dict[str, pd.DataFrame]:
    """``scorecards.series_for_many`` through the cache: a series does not change with the chosen month,
    so moving the month slider only re-judges, it does not re-query."""
    return load_series_many(tuple(indicator["code"] for indicator in indicators), tuple(area_codes),
                            None if period_starts is None else tuple(sorted(period_starts.items())))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_actions(area_codes: tuple[str, ...] | None, on: date) -> pd.DataFrame:
    return plans.actions_with_status(get_engine(), None if area_codes is None else list(area_codes), on)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_boundaries(codes: tuple[str, ...]) -> pd.DataFrame:
    return queries.area_boundaries(get_engine(), list(codes))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_lsoas(area_codes: tuple[str, ...], with_boundaries: bool = False,
               basis: str = queries.CURRENT_BASIS) -> pd.DataFrame:
    return queries.lsoas_of(get_engine(), list(area_codes), with_boundaries=with_boundaries, basis=basis)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_illustrative_indicators() -> frozenset[str]:
    """Codes of indicators whose values include the illustrative sample data (the rest are published or uploaded)."""
    return frozenset(queries.illustrative_indicators(get_engine()))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_deprivation(area_code: str) -> str:
    """The locality's deprivation sentence (IMD 2025 on 2021 LSOAs, IMD 2019 on 2011 LSOAs)."""
    engine = get_engine()
    return deprivation.deprivation_summary(queries.lsoas_of(engine, [area_code], basis="2021"),
                                           queries.lsoas_of(engine, [area_code], basis="2011"))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_basis_note(area_code: str) -> str:
    """A note when the area's 2011 and 2021 LSOAs differ by more than 2% in people, else ''."""
    change = queries.basis_population_change(get_engine(), [area_code])
    return deprivation.basis_note(change)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_trend(code: str, indicator_code: str, sees_small_numbers: bool, as_of: date) -> trends.TrendView:
    area = load_locality(code)
    return trends.trend_view(get_engine(), area, indicator_code, scorecards.Viewer(sees_small_numbers),
                             until=scorecards.month_end(as_of), figures=cached_figures)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_spc(code: str, indicator_code: str, sees_small_numbers: bool, as_of: date) -> trends.SpcView | None:
    view = load_trend(code, indicator_code, sees_small_numbers, as_of)
    return trends.spc_view(view, scorecards.month_end(as_of))


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner="Loading values…")
def load_area_values(indicator_code: str, area_type: str, as_of: date, sees_small_numbers: bool,
                     within: tuple[str, ...] | None = None, per_resident: bool = False) -> pd.DataFrame:
    engine = get_engine()
    indicator = load_indicator_lookup()[indicator_code]
    return explore.area_values(engine, indicator, area_type, as_of, scorecards.Viewer(sees_small_numbers),
                               within=None if within is None else list(within), per_resident=per_resident,
                               figures=cached_figures)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_city_value(indicator_code: str, as_of: date, sees_small_numbers: bool, per_resident: bool = False) -> str:
    engine = get_engine()
    indicator = load_indicator_lookup()[indicator_code]
    return explore.city_value(engine, indicator, as_of, scorecards.Viewer(sees_small_numbers),
                              per_resident=per_resident, figures=cached_figures)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_wards() -> pd.DataFrame:
    """Wards with committee area and tier. Columns as ``queries.areas_by_type``."""
    return queries.areas_by_type(get_engine(), "ward")


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_city_code() -> str | None:
    return queries.city_code(get_engine())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner="Comparing wards…")
def load_ward_comparison(ward_codes: tuple[str, ...], names: tuple[tuple[str, str], ...], as_of: date,
                         sees_small_numbers: bool) -> pd.DataFrame:
    """``explore.ward_comparison`` for the chosen wards (``names`` as (code, name) pairs)."""
    return explore.ward_comparison(get_engine(), list(ward_codes), dict(names), as_of,
                                   scorecards.Viewer(sees_small_numbers), figures=cached_figures)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def load_city_reference(indicator_code: str, as_of: date, sees_small_numbers: bool,
                        per_resident: bool = False) -> float | None:
    engine = get_engine()
    indicator = load_indicator_lookup()[indicator_code]
    return explore.city_reference(engine, indicator, as_of, scorecards.Viewer(sees_small_numbers),
                                  per_resident=per_resident, figures=cached_figures)
