"""Programme overview for the Neighbourhood Improvement Board: every locality by theme,
what is red and why, and a map. Run with ``streamlit run app.py``.
"""

from ui import board
from ui.auth import current_user
from ui.data import (
    load_actions,
    load_areas,
    load_boundaries,
    load_first_month,
    load_latest_month,
    load_localities,
    load_programme_status,
)
from ui.filters import month_picker
from ui.layout import NO_DATA, guarded, page_setup, stop_when_empty
from views.plans import today

page_setup("Thriving Neighbourhoods: programme overview")

with guarded():
    latest = load_latest_month()
    stop_when_empty(latest, NO_DATA)
    as_of = month_picker(latest=latest, first=load_first_month())
    status = load_programme_status(as_of, current_user().sees_small_numbers)
    actions = load_actions(None, today())
    board.headline_tiles(status, actions)
    localities = load_localities()
    board.theme_matrix(status, as_of)
    board.exceptions(status, as_of)
    board.locality_map(status, localities, load_boundaries(tuple(localities["code"])),
                       load_areas("ward", with_boundaries=True), as_of)
