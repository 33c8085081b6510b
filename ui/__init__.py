"""Streamlit presentation: pages' bodies, cached loaders, filters in the URL, widgets, guards.

Everything here may call ``st.*``. What a page shows is assembled in ``views`` (no Streamlit),
which the printed reports share.
"""
