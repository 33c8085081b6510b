"""The frame every page shares: page config, the illustrative-data notice, the
attribution footer, and a guard that turns any failure into a friendly message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from db.config import PROJECT_ROOT
from db.errors import ConfigurationError, DatabaseUnavailable, NotFound, StoreError
from ui.auth import account_panel
from ui.data import refresh_if_data_changed
from ui.wording import ATTRIBUTION, ILLUSTRATIVE_NOTICE

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


def page_setup(title: str, *, icon: str = ":material/holiday_village:", layout: str = "wide") -> None:
    """Page config, sidebar navigation, heading and the illustrative-data notice."""
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", page_icon=icon, layout=layout)
    with st.sidebar:
        st.markdown(f"**{APP_TITLE}**")
        for script, label, page_icon in NAVIGATION:
            if (PROJECT_ROOT / script).exists():
                st.page_link(script, label=label, icon=page_icon)
    try:
        account_panel()
    except StoreError:  # the page body reports the database problem itself
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


@contextmanager
def guarded() -> Iterator[None]:
    """Run a page body; any failure becomes a message a user can act on, never a traceback."""
    try:
        try:
            refresh_if_data_changed()
        except StoreError:
            pass  # the page body meets the same problem and explains it
        yield
    except NotFound as exc:
        show_problem(str(exc), hint="Choose an area from the list instead, or go back to the overview.")
    except ConfigurationError as exc:
        show_problem(f"The dashboard is not configured correctly: {exc}")
    except DatabaseUnavailable as exc:
        show_problem(str(exc), hint="If this persists, ask the system administrator to check the database.")
    except StoreError as exc:
        show_problem(f"The data could not be loaded: {exc}")
    except Exception:  # the last line of defence: log the detail, show a sentence
        log.exception("Unexpected error while drawing a page")
        show_problem(
            "Something went wrong while drawing this page. The error has been logged; "
            "please try again or go back to the overview."
        )
    finally:
        footer()  # also when the page stops early on an empty state


def stop_when_empty(held: object, message: str) -> None:
    """An empty state with a way forward, then stop the page, when ``held`` is None or empty."""
    empty = held is None or getattr(held, "empty", False) or (hasattr(held, "__len__") and len(held) == 0)
    if empty:
        st.warning(message, icon=":material/inbox:")
        st.page_link("app.py", label="Back to the programme overview", icon=":material/home:")
        st.stop()


NO_DATA = ("The database holds no indicator data yet. An editor can load data on the Data page, or an "
           "administrator can load the sample data with `python -m db seed`.")
