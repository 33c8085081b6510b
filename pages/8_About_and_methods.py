"""About and methods: indicator definitions, the rules behind every colour, sources and attribution."""

import streamlit as st

from views import methods
from ui.data import load_catalogue, load_illustrative_indicators
from ui.layout import guarded, page_setup
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
        catalogue = load_catalogue()
        illustrative = load_illustrative_indicators()
        catalogue["Data"] = catalogue["code"].isin(illustrative).map({True: "Illustrative", False: "Real published data"})
        catalogue = catalogue.rename(columns={
            "name": "Indicator", "theme": "Theme", "definition": "Definition", "source": "Source", "unit": "Unit",
            "polarity": "Polarity", "frequency": "Frequency", "disclosure_control": "Small numbers hidden",
            "staleness_days": "Stale after (days)", "code": "Code",
        })
        st.dataframe(catalogue[["Theme", "Indicator", "Data", "Definition", "Source", "Unit", "Polarity", "Frequency",
                                "Small numbers hidden", "Stale after (days)", "Code"]],
                     hide_index=True, width="stretch")
    with sources:
        st.markdown(f"**Attribution.** {ATTRIBUTION}")
        with st.expander("Full provenance of the geography files (SOURCES.md)"):
            st.markdown(methods.sources_markdown())
