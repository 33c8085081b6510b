"""The frame every page shares: page config, the illustrative-data notice, the
attribution footer, and a guard that turns any failure into a friendly message.

``guarded()`` opens and checks the store before any page code runs: when the database is down,
deleted, unreadable or full, the page says what is wrong and what to do, in a sentence, and stops;
no traceback, driver message or server path reaches the page.
"""

from __future__ import annotations

import functools
import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from db.config import PROJECT_ROOT
from db.engine import store_fault
from db.errors import ConfigurationError, DatabaseReadOnly, DatabaseUnavailable, DiskFull, NotFound, StoreError
from ui.auth import account_panel
from ui.data import refresh_if_data_changed, store_writable
from ui.guards import refuse_client_cache_clearing
from views.safe_text import md
from views.theme import FOCUS_HALO, FOCUS_RING, SECONDARY_TEXT
from views.wording import ATTRIBUTION, ILLUSTRATIVE_NOTICE

log = logging.getLogger(__name__)

APP_TITLE = "Thriving Neighbourhoods"



NAVIGATION = (  # (script, label, icon): the sidebar, in the order people use it
    ("app.py", "Programme overview", ":material/home:"),
    ("pages/1_Locality_profile.py", "Locality profile", ":material/location_on:"),
    ("pages/2_Ward_explorer.py", "Ward explorer", ":material/how_to_vote:"),
    ("pages/3_Indicator_map.py", "Indicator map", ":material/map:"),
    ("pages/4_Action_tracker.py", "Action tracker", ":material/task_alt:"),
    ("pages/5_Snapshot.py", "Snapshot (print)", ":material/print:"),
    ("pages/6_Data.py", "Data (editors)", ":material/upload_file:"),
    ("pages/8_About_and_methods.py", "About and methods", ":material/info:"),
)


# Streamlit's own focus styles are faint (a pale background on sidebar links, 1.1:1) and its captions
# grey; these rules give every interactive element a visible focus ring and captions full contrast.
ACCESSIBILITY_CSS = f"""<style>
a:focus-visible, button:focus-visible, summary:focus-visible, input:focus-visible, textarea:focus-visible,
[role="tab"]:focus-visible, [role="button"]:focus-visible, [role="slider"]:focus-visible,
[role="switch"]:focus-visible, [role="checkbox"]:focus-visible, [role="option"]:focus-visible,
[tabindex]:not([tabindex="-1"]):focus-visible,
[data-testid="stSidebarNav"] a:focus-visible, [data-testid="stPageLink-NavLink"]:focus-visible {{
  outline: 3px solid {FOCUS_RING} !important;
  outline-offset: 2px !important;
  box-shadow: 0 0 0 2px {FOCUS_HALO} !important;
}}
[data-baseweb="select"]:focus-within, [data-baseweb="input"]:focus-within, [data-baseweb="textarea"]:focus-within,
label:has(input:focus-visible) {{
  outline: 3px solid {FOCUS_RING} !important;
  outline-offset: 2px !important;
}}
[data-testid="stDateInput"] [role="spinbutton"] {{  /* day, month and year: 24 px targets (WCAG 2.5.8) */
  display: inline-block; min-width: 24px; min-height: 24px; line-height: 24px; text-align: center;
}}
[data-testid="stTable"] th, [data-testid="stTable"] td {{  /* wrapped rows read from the top, line by line */
  vertical-align: top !important;
}}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p, [data-testid="stTooltipHoverTarget"] {{
  color: {SECONDARY_TEXT} !important;
  opacity: 1 !important;  /* Streamlit fades captions to 60%, which on white is about 3:1 */
}}
</style>"""


@functools.cache
def freeze_loaded_objects() -> None:
    """Once per process: put every object alive now out of the cyclic garbage collector's sight
    (``gc.freeze``). By the first page these are the libraries and the app's modules, about 160,000
    objects that live as long as the process; a full collection would otherwise walk them all, holding
    up every visitor's page while it does (0.2 to 0.5 s on two busy cores). No collection runs first:
    it would walk them all once more on the first visitor's page (0.1 to 0.2 s) to free a few dozen
    objects of import-time garbage, which are kept instead. Objects made later (cached results,
    sessions) are collected as usual."""
    gc.freeze()


@functools.cache
def skip_direct_run_hint() -> None:
    """Once per process: tell Streamlit its console hint for scripts run with plain ``python`` is not
    due. Before its first element Streamlit decides whether to print that hint by walking the stack
    and resolving the file of every loaded module (``inspect.stack``: 0.05 to 0.12 s of the first
    visitor's page); the app always runs under ``streamlit run``, where the hint never shows. The
    flag is Streamlit's own; should a release drop it, setting it does nothing."""
    from streamlit import delta_generator

    delta_generator._use_warning_has_been_displayed = True


def page_setup(title: str, *, icon: str = ":material/holiday_village:", layout: str = "wide") -> None:
    """Page config, sidebar navigation, heading and the illustrative-data notice."""
    refuse_client_cache_clearing()  # before any visitor's message can reach the shared caches
    freeze_loaded_objects()
    skip_direct_run_hint()
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", page_icon=icon, layout=layout)
    st.html(ACCESSIBILITY_CSS)
    with st.sidebar:
        st.markdown(f"**{APP_TITLE}**")
        for script, label, page_icon in NAVIGATION:
            if (PROJECT_ROOT / script).exists():
                st.page_link(script, label=label, icon=page_icon)
    try:
        account_panel()
    except (StoreError, SQLAlchemyError):  # the page body reports the database problem itself
        st.sidebar.caption("Your role cannot be checked while the database is unavailable.")
    st.title(title)
    st.info(ILLUSTRATIVE_NOTICE, icon=":material/info:")


def footer() -> None:
    st.divider()
    st.caption(ATTRIBUTION)


def show_problem(message: str, *, hint: str | None = None) -> None:
    """A friendly error with a way back to the overview."""
    st.error(message, icon=":material/error:")
    if hint:
        st.markdown(hint)
    st.page_link("app.py", label="Back to the programme overview", icon=":material/home:")


UNEXPECTED = ("Something went wrong while drawing this page. The error has been logged; "
              "please try again or go back to the overview.")


@contextmanager
def guarded() -> Iterator[None]:
    """Run a page body; any failure becomes a message a user can act on, never a traceback.

    The store is opened and checked first, so a page never starts on a store it cannot use.
    """
    problem = _store_problem()
    if problem is not None:
        explain(problem)
        footer()
        st.stop()
    try:
        yield
    except SQLAlchemyError as exc:  # a query met a database fault mid-page (or a bug, logged as such)
        explain(store_fault(exc) or exc)
    except Exception as exc:  # noqa: BLE001 - every failure gets a sentence; explain() logs the unexpected
        explain(exc)
    finally:
        footer()  # also when the page stops early on an empty state


def _store_problem() -> Exception | None:
    """Why the store cannot serve this page, or None; never raises."""
    try:
        refresh_if_data_changed()
    except StoreError as exc:
        return exc
    except SQLAlchemyError as exc:
        return store_fault(exc) or exc
    except Exception as exc:  # noqa: BLE001 - explain() logs it
        return exc
    return None


def explain(exc: Exception) -> None:
    """The friendly message for a failure; the detail of anything unexpected goes to the log only."""
    if isinstance(exc, NotFound):
        show_problem(md(exc), hint="Choose an area from the list instead, or go back to the overview.")
    elif isinstance(exc, ConfigurationError):
        show_problem(f"The dashboard is not configured correctly: {md(exc)}")
    elif isinstance(exc, (DatabaseReadOnly, DiskFull)):
        show_problem(md(exc))
    elif isinstance(exc, DatabaseUnavailable):
        show_problem(md(exc), hint="If this persists, ask the system administrator to check the database.")
    elif isinstance(exc, StoreError):
        show_problem(f"The data could not be loaded: {md(exc)}")
    else:  # the last line of defence: log the detail, show a sentence
        log.error("Unexpected error while drawing a page", exc_info=exc)
        show_problem(UNEXPECTED)


def editing_available() -> bool:
    """For editors: False, with a warning saying why, while the store can only be read."""
    try:
        writable = store_writable()
    except StoreError:
        writable = False
    if not writable:
        st.warning("Editing is unavailable: the database is read-only just now, so uploads, action progress and "
                   "other changes cannot be saved, and their controls are hidden. Everything can still be viewed "
                   "and exported. Ask the administrator to make the database writable again.",
                   icon=":material/edit_off:")
    return writable


def stop_when_empty(held: object, message: str) -> None:
    """An empty state with a way forward, then stop the page, when ``held`` is None or empty."""
    empty = held is None or getattr(held, "empty", False) or (hasattr(held, "__len__") and len(held) == 0)
    if empty:
        st.warning(message, icon=":material/inbox:")
        st.page_link("app.py", label="Back to the programme overview", icon=":material/home:")
        st.stop()


NO_DATA = ("The database holds no indicator data yet. An editor can load data on the Data page, or an "
           "administrator can load the sample data with `python -m db seed`.")
