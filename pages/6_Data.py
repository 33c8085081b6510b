"""Data: editors upload and check files, update action progress, build custom localities, export, and
see the import log with rollback and revision history; admins also manage who has which role.
Viewers see what the page is for and no controls; on a read-only store editors see why they cannot edit,
the import log and exports, and no controls that would write."""

import streamlit as st

from ui import admin
from ui.auth import current_user
from ui.layout import editing_available, guarded, page_setup

page_setup("Data", icon=":material/upload_file:")

with guarded():
    user = current_user()
    if not user.is_editor:
        admin.viewer_notice(user)
    elif not editing_available():  # says why; viewing and exports still work
        log, export = st.tabs(["Import log", "Export"], key="tab", bind="query-params")
        with log:
            admin.import_log_section(user, can_roll_back=False)
            admin.value_history_section()
        with export:
            admin.export_section(user)
    else:
        admin.flash()
        names = ["Upload", "Templates", "Source mappings", "Action progress", "Custom localities", "Import log",
                 "Export"]
        # Keyed and bound to the URL, the open tab survives the rerun after a save (and can be linked to).
        tabs = st.tabs(names + (["Users and roles"] if user.is_admin else []), key="tab", bind="query-params")
        with tabs[0]:
            admin.upload_section(user)
        with tabs[1]:
            admin.templates_section()
        with tabs[2]:
            admin.mappings_section(user)
        with tabs[3]:
            admin.actions_section(user)
        with tabs[4]:
            admin.localities_section(user)
        with tabs[5]:
            admin.import_log_section(user)
            admin.value_history_section()
        with tabs[6]:
            admin.export_section(user)
        if user.is_admin:
            with tabs[7]:
                admin.roles_section(user)
