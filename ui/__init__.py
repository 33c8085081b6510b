"""Presentation: cached loaders, filters in the URL, figures, maps, RAG badges.

``ui.charts`` and ``ui.maps`` build figures and decks without any ``st.*`` call so
the printable reports can share them; everything else here may use Streamlit.
"""
