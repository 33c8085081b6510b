"""Snapshot: one locality's printable A4 snapshot (``?area=CODE&period=YYYY-MM``), previewed on the page,
downloadable as PDF or HTML, and printable straight from the browser."""

import streamlit as st

from ui import snapshot_page
from ui.auth import current_user
from ui.data import load_first_month, load_latest_month, load_localities
from ui.filters import month_picker, quoted, read_value, write_value
from ui.layout import guarded, page_setup, show_problem
from views.plans import today

page_setup("Snapshot", icon=":material/print:")
snapshot_page.print_styles()

with guarded():
    latest = load_latest_month()
    localities = load_localities()
    if latest is None or localities.empty:
        st.warning("There is nothing to print yet: the database holds no localities with data.", icon=":material/inbox:")
        st.stop()
    names = dict(zip(localities["code"], localities["name"], strict=True))
    code, rejected = read_value("area", allowed=list(names), default=localities["code"].iloc[0])
    if rejected:
        show_problem(f"There is no locality with the code {quoted(rejected)}.",
                     hint="Choose one of the localities below instead.")
    columns = st.columns([1, 2])
    with columns[0]:
        code = st.selectbox("Locality", options=list(names), index=list(names).index(code),
                            format_func=names.get, key="area_select")
    write_value("area", code)
    with columns[1]:
        as_of = month_picker(latest=latest, first=load_first_month())
    document = snapshot_page.load_snapshot_document(code, as_of, current_user().sees_small_numbers, today())
    snapshot_page.downloads(document)
    snapshot_page.preview(document)
