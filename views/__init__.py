"""View assembly without Streamlit: what a page or a printed report shows, built as plain objects.

Scorecards, trends, the programme matrix, action plans, the ward explorer's comparisons, charts
(plotly figures), maps (pydeck decks and static plotly maps), the theme's colours and the fixed
wording. ``ui`` draws these in Streamlit; ``reports`` prints them with WeasyPrint. Nothing here
imports Streamlit, so the two cannot drift apart; reads go through ``db`` and rules through ``metrics``.
"""
