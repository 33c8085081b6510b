"""Programme overview for the Neighbourhood Improvement Board: every locality by theme,
what is red and why, and a map. Run with ``streamlit run app.py``.
"""

from ui import board
from ui.auth import current_user
from ui.data import load_actions, load_first_month, load_latest_month, load_programme_status
from ui.filters import month_picker
from ui.layout import NO_DATA, guarded, page_setup, stop_when_empty
from views.plans import today

page_setup("Thriving Neighbourhoods: programme overview")

with guarded():
    latest = load_latest_month()
    stop_when_empty(latest, NO_DATA)
    as_of = month_picker(latest=latest, first=load_first_month())
    sees_small_numbers = current_user().sees_small_numbers
    board.headline_tiles(load_programme_status(as_of, sees_small_numbers), load_actions(None, today()))
    board.theme_matrix(as_of, sees_small_numbers)
    board.exceptions(as_of, sees_small_numbers)
    board.locality_map(as_of, sees_small_numbers)
