"""Pure domain logic for the Thriving Neighbourhoods dashboard.

RAG against target trajectories, confidence intervals, benchmark comparison, direction of travel,
SPC, before-and-after tests, aggregation to localities, disclosure control, action progress and
plain-English narrative. Import from the submodules, for example
``from metrics.rag import rag_for``.

This package must not import streamlit or sqlalchemy (checked by an import-linter contract).
"""
