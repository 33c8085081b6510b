"""Action tracker: every action across localities, overdue first, filterable and shareable by link."""

import streamlit as st

from ui import tracker
from ui.data import load_actions
from ui.layout import guarded, page_setup
from views.plans import rollup_of, today

page_setup("Action tracker")

with guarded():
    on = today()
    actions = load_actions(None, on)
    if actions.empty:
        tracker.no_actions()
        st.stop()
    chosen = tracker.filters(actions)
    shown = tracker.apply(actions, chosen)
    tracker.summary(shown, rollup_of(shown), on)
    tracker.table(shown)
    tracker.timeline(shown, on)
