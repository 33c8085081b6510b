"""About and methods: indicator definitions, the rules behind every colour, sources and attribution."""

import streamlit as st

from views import methods
from ui.data import load_catalogue, load_illustrative_indicators
from ui.layout import guarded, page_setup
from views.safe_text import md
from views.wording import ATTRIBUTION

page_setup("About and methods")

with guarded():
    st.markdown(
        "This dashboard shows, for each priority neighbourhood, whether its action-plan targets are on track, "
        "how its indicators are trending and how it compares with its ward and Leeds. **Every indicator value, "
        "target, action and comment is illustrative, except the indicators marked 'real published data' "
        "below.** Boundaries (2011 and 2021 LSOAs), IMD 2019, IMD 2025 and population are real published "
        "data; the six neighbourhood boundaries are illustrative approximations built from LSOAs."
    )
    rules, definitions, sources = st.tabs(["How we judge", "Indicator definitions", "Data sources"])
    with rules:
        for section in (methods.rag_rules, methods.comparison_rules, methods.trend_rules,
                        methods.suppression_rules, methods.action_rules, methods.aggregation_rules):
            st.markdown(section())
    with definitions:
        table = methods.definitions_table(load_catalogue(), load_illustrative_indicators())
        # st.table wraps long definitions and sources inside the page's width (a grid would scroll sideways);
        # its cells are Markdown, so the stored texts are escaped to show as they were written.
        st.table(table.map(md).style.set_properties(subset=["Definition"], width="34%")
                 .set_properties(subset=["How it is read"], width="17%"), hide_index=True)
    with sources:
        st.markdown(f"**Attribution.** {ATTRIBUTION}")
        with st.expander("Full provenance of the geography files (SOURCES.md)"):
            st.markdown(methods.sources_markdown())
