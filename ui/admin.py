"""Sections of the Data page, for editors: uploads, templates, action progress, custom localities,
the import log with rollback and value history, exports, and (for admins) who has which role.

Every write goes through ``db`` (one transaction each) and is followed by ``clear_caches()`` so
that every page shows the new data at once. Errors a user can cause are shown as sentences.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pydeck as pdk
import streamlit as st

from db import localities, roles
from ingest import history, importer
from db.errors import StoreError
from db.exports import csv_bytes, excel_bytes
from db.schema import ACTION_STATUSES, ROLES, TIERS
from ingest.templates import KINDS, MAX_UPLOAD_BYTES, template_bytes
from ingest.validation import problems_frame, sha256_of
from ui.auth import User, auth_configured
from ui.data import (
    CACHE_TTL_SECONDS,
    clear_caches,
    get_engine,
    load_actions,
    load_areas,
    load_catalogue,
    load_localities,
    load_lsoas,
)
from ui.maps import feature_collection, geojson_layer
from ui.plans import today
from ui.theme import PRIORITY_WARD_RGBA

DETECT = "Tell from the header"
EDITABLE = list(importer.EDITABLE_ACTION_FIELDS)
PROBLEM_COLUMNS = {"row": "Row", "column": "Column", "value": "Value", "reason": "Problem"}


def flash() -> None:
    """The outcome of the last change, shown once at the top of the page after it reran."""
    message = st.session_state.pop("tn_done", None)
    if message:
        st.success(message, icon=":material/check_circle:")


def _done(message: str) -> None:
    """After a write: forget cached results everywhere, then rerun so every section shows the new data."""
    clear_caches()
    st.session_state["tn_done"] = message
    st.rerun()


LOCAL_EDITOR_HINT = ("Sign-in is not set up here, so everyone has the role in TN_LOCAL_ROLE (viewer unless set). "
                     "To edit data locally, stop the app and start it again with `TN_LOCAL_ROLE=editor streamlit run "
                     "app.py`.")
SIGN_IN_HINT = "If you need to edit data, sign in and ask an admin for the editor role."


def viewer_notice(user: User) -> None:
    """What the Data page is for, and how this viewer gets editor rights: sign in where sign-in is
    configured (``[auth]`` in secrets), else restart the app with ``TN_LOCAL_ROLE=editor``."""
    signed_out = user.email is None and auth_configured()
    st.info(
        "**The Data page is for editors.** Editors upload indicator values, targets, actions and events, update "
        "the progress of actions, build custom localities and can undo an import. You are looking as "
        f"{'someone who is not signed in' if signed_out else 'a viewer'}, so there is nothing to change here. "
        + (SIGN_IN_HINT if auth_configured() else LOCAL_EDITOR_HINT),
        icon=":material/lock:",
    )


# --- upload -----------------------------------------------------------------------------------------------


def upload_section(user: User) -> None:
    st.markdown("Upload a CSV or Excel (.xlsx) file. It is checked completely before anything is written; "
                f"every problem is listed with its row and column. At most {MAX_UPLOAD_BYTES // 1_048_576} MB.")
    kind = st.selectbox("What the file holds", [DETECT, *KINDS], key="upload_kind")
    # A new key after each import empties the uploader, so the page does not re-check the imported file.
    uploaded = st.file_uploader("File to import", type=["csv", "xlsx"],
                                key=f"upload_file_{st.session_state.get('tn_upload_round', 0)}")
    if uploaded is None:
        return
    content = uploaded.getvalue()
    chosen = None if kind == DETECT else kind
    preview = _preview(content, uploaded.name, chosen)
    if not preview.ok:
        _show_problems(preview)
        return
    _show_preview(preview)
    if preview.has_changes and st.button(f"Import {len(preview.new) + len(preview.changed):,} rows",
                                         key="commit_import", type="primary"):
        try:
            result = importer.commit_import(get_engine(), content, uploaded.name, imported_by=user.recorded_as,
                                            kind=chosen)
        except StoreError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        st.session_state.pop("tn_preview", None)
        st.session_state["tn_upload_round"] = st.session_state.get("tn_upload_round", 0) + 1
        _done(result.message)


def _preview(content: bytes, file_name: str, kind: str | None) -> importer.ImportPreview:
    """The preview of this file, worked out once per file and kind (the store only changes on commit)."""
    key = (sha256_of(content), file_name, kind)
    stored = st.session_state.get("tn_preview")
    if stored is None or stored[0] != key:
        stored = (key, importer.preview_import(get_engine(), content, file_name, kind=kind))
        st.session_state["tn_preview"] = stored
    return stored[1]


def _show_problems(preview: importer.ImportPreview) -> None:
    st.error(preview.summary(), icon=":material/error:")
    table = problems_frame(preview.problems).rename(columns=PROBLEM_COLUMNS)
    st.dataframe(table, hide_index=True, width="stretch", key="upload_problems",
                 column_config={"Row": st.column_config.NumberColumn(help="Row as a spreadsheet shows it; "
                                                                     "the header is row 1", format="%d")})
    st.download_button("Download the problems (CSV)", data=csv_bytes(table), file_name="import-problems.csv",
                       mime="text/csv", key="problems_csv", icon=":material/download:")


def _show_preview(preview: importer.ImportPreview) -> None:
    counts = st.columns(3)
    counts[0].metric("New rows", f"{len(preview.new):,}")
    counts[1].metric("Changed rows", f"{len(preview.changed):,}")
    counts[2].metric("Unchanged rows", f"{preview.unchanged:,}")
    if not preview.has_changes:
        st.success(preview.summary(), icon=":material/check_circle:")
        return
    st.info(preview.summary() + " Check the changes below, then import.", icon=":material/search:")
    changed = preview.changed
    if not changed.empty:
        st.markdown("**Changed values**: what the database holds now, beside what the file says.")
        st.dataframe(changed, hide_index=True, width="stretch", key="preview_changed")
    if not preview.new.empty:
        with st.expander(f"New rows ({len(preview.new):,})"):
            st.dataframe(preview.new, hide_index=True, width="stretch", key="preview_new")


def templates_section() -> None:
    st.markdown("Start from a template: it has the header and two example rows that import cleanly. Replace the "
                "examples with your own rows. Dates are written YYYY-MM-DD or DD/MM/YYYY. An optional column you "
                "leave out keeps what the database holds; an empty cell in it clears the value.")
    for kind, spec in KINDS.items():
        st.markdown(f"**{kind.capitalize()}**: {spec.description}. Columns: "
                    + ", ".join(f"`{f.name}`" + ("" if f.required else " (optional)") for f in spec.fields))
        left, right = st.columns(2)
        left.download_button(f"{kind.capitalize()} template (CSV)", data=template_bytes(kind),
                             file_name=f"{kind}-template.csv", mime="text/csv", key=f"template_{kind}_csv")
        right.download_button(f"{kind.capitalize()} template (Excel)", data=template_bytes(kind, excel=True),
                              file_name=f"{kind}-template.xlsx", key=f"template_{kind}_xlsx",
                              mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- action progress --------------------------------------------------------------------------------------


def action_changes(original: pd.DataFrame, edited: pd.DataFrame) -> dict[int, dict[str, object]]:
    """{action_id: {field: new value}} for the editable cells that differ (both frames indexed by action_id)."""
    changes: dict[int, dict[str, object]] = {}
    for action_id in original.index:
        for name in EDITABLE:
            old, new = original.at[action_id, name], edited.at[action_id, name]
            if not (pd.isna(old) and pd.isna(new)) and old != new:
                changes.setdefault(int(action_id), {})[name] = None if pd.isna(new) else new
    return changes


def _choose_locality(label: str, key: str) -> str | None:
    places = load_localities()
    if places.empty:
        st.info("There are no localities yet.", icon=":material/search:")
        return None
    names = dict(zip(places["code"], places["name"], strict=True))
    return st.selectbox(label, list(names), format_func=names.get, key=key)


def actions_section(user: User) -> None:
    code = _choose_locality("Locality", "actions_locality")
    if code is None:
        return
    actions = load_actions((code,), today())
    if actions.empty:
        st.info("This locality's plan has no actions yet. Upload them with the actions template.", icon=":material/search:")
        return
    view = actions.set_index("action_id")[["ref", "title", "lead", "due_date", *EDITABLE, "updated_by",
                                           "updated_at"]].sort_values("ref")
    st.markdown("Change **percent complete**, **status** or **commentary**, then save. Every change is recorded "
                "with who made it and when.")
    edited = st.data_editor(
        view, key=f"action_editor_{code}", hide_index=True, width="stretch", num_rows="fixed",
        disabled=[c for c in view.columns if c not in EDITABLE],
        column_config={
            "percent_complete": st.column_config.NumberColumn("Percent complete", min_value=0, max_value=100,
                                                              step=1, format="%d%%"),
            "status": st.column_config.SelectboxColumn("Status", options=list(ACTION_STATUSES), required=True),
            "commentary": st.column_config.TextColumn("Commentary", max_chars=5_000),
        },
    )
    changes = action_changes(view, edited)
    if st.button(f"Save {len(changes)} changed action(s)", key="save_actions", disabled=not changes, type="primary"):
        try:
            saved = importer.save_action_progress(get_engine(), changes, changed_by=user.recorded_as)
        except StoreError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        st.session_state.pop(f"action_editor_{code}", None)
        _done(f"Saved {saved} change(s) to {len(changes)} action(s).")
    st.markdown("**Recent changes to these actions**")
    updates = _load_action_updates((code,))
    if updates.empty:
        st.caption("No changes have been recorded on this page yet.")
    else:
        st.dataframe(updates, hide_index=True, width="stretch", key="action_updates")


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _load_action_updates(area_codes: tuple[str, ...]) -> pd.DataFrame:
    return history.action_update_history(get_engine(), area_codes=list(area_codes), limit=100)


# --- custom localities ------------------------------------------------------------------------------------


def lsoa_picker(lsoas: pd.DataFrame) -> pdk.Deck:
    """The ward's LSOAs, each pickable, labelled with name, code and IMD decile."""
    frame = lsoas.assign(
        fill=[PRIORITY_WARD_RGBA] * len(lsoas),
        label=[f"{n} ({c}), IMD decile {d}" for n, c, d in zip(lsoas["name"], lsoas["code"], lsoas["imd_decile"],
                                                               strict=True)],
    )
    longitude, latitude = _centre(frame["boundary_geojson"])
    return pdk.Deck(
        layers=[geojson_layer("lsoas", feature_collection(frame, properties=["code", "name", "label", "fill"]))],
        initial_view_state=pdk.ViewState(latitude=latitude, longitude=longitude, zoom=12.5, pitch=0),
        map_provider="carto", map_style="light", tooltip={"text": "{label}"},
    )


def _centre(boundaries: pd.Series) -> tuple[float, float]:
    points = []
    for text in boundaries.dropna():
        geometry = json.loads(text)
        rings = [geometry["coordinates"][0]] if geometry["type"] == "Polygon" else [p[0] for p in
                                                                                    geometry["coordinates"]]
        points += [point for ring in rings for point in ring]
    if not points:
        return -1.55, 53.81
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def localities_section(user: User) -> None:
    st.markdown("Build a locality from LSOAs: choose its ward, click LSOAs on the map (or paste their codes), "
                "name it and create it. It then appears wherever a locality does, with indicators added up "
                "from its LSOAs, and gets an empty action plan for targets and actions.")
    wards = load_areas("ward")
    names = dict(zip(wards["code"], wards["name"], strict=True))
    ward = st.selectbox("Ward", list(names), format_func=names.get, key="locality_ward")
    lsoas = load_lsoas((ward,), True)
    event = st.pydeck_chart(lsoa_picker(lsoas), on_select="rerun", selection_mode="multi-object",
                            key=f"lsoa_map_{ward}", height=420)
    picked = [(o.get("properties") or o).get("code") for o in event.selection.objects.get("lsoas", [])]
    pasted = st.text_area("Or paste LSOA codes (separated by commas, spaces or new lines)", key="locality_codes")
    codes = list(dict.fromkeys([c for c in picked if c] + localities.parse_lsoa_codes(pasted)))
    st.caption(f"{len(codes)} LSOA(s) chosen: {', '.join(codes) or 'none yet'}.")
    name = st.text_input("Name of the locality", key="locality_name", max_chars=200)
    tier = st.selectbox("Approach tier", list(TIERS), key="locality_tier")
    if st.button("Create the locality", key="create_locality", type="primary"):
        try:
            created = localities.create_locality(get_engine(), name=name, ward_code=ward, lsoa_codes=codes,
                                                 tier=tier, created_by=user.recorded_as)
        except StoreError as exc:
            st.error(str(exc), icon=":material/error:")
        else:
            _done(f"Created {created.name} ({created.code}) from {created.lsoas} LSOAs, population "
                  f"{created.population:,}. It now appears in every list of localities.")
    _custom_localities()


def _custom_localities() -> None:
    custom = load_localities().query("is_custom")
    if custom.empty:
        return
    st.markdown("**Custom localities**")
    st.dataframe(custom[["code", "name", "ward_name", "tier", "population"]], hide_index=True, key="custom_list")
    names = dict(zip(custom["code"], custom["name"], strict=True))
    code = st.selectbox("Remove a custom locality that has no data yet", list(names), format_func=names.get,
                        key="remove_locality_code")
    if st.button("Remove it", key="remove_locality"):
        try:
            localities.delete_custom_locality(get_engine(), code)
        except StoreError as exc:
            st.error(str(exc), icon=":material/error:")
        else:
            _done(f"Removed the custom locality {names[code]}.")


# --- import log, rollback and value history ---------------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _load_import_log() -> pd.DataFrame:
    return history.import_log(get_engine())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _load_batch_changes(batch_id: int) -> pd.DataFrame:
    return history.batch_changes(get_engine(), batch_id)


LOG_HEADINGS = {
    "batch_id": "Batch", "kind": "Kind", "file_name": "File", "imported_by": "Imported by",
    "imported_at": "When", "rows_total": "Rows", "rows_new": "New", "rows_changed": "Changed",
    "rows_unchanged": "Unchanged", "outcome": "Outcome", "note": "Note",
}


def import_log_section(user: User) -> None:
    log = _load_import_log()
    st.dataframe(log.drop(columns=["sha256"]).rename(columns=LOG_HEADINGS), hide_index=True, width="stretch",
                 key="import_log")
    undoable = log[(log["outcome"] == "committed") & log["kind"].isin(list(KINDS))]
    if undoable.empty:
        st.caption("No import can be rolled back yet.")
        return
    labels = {int(b): f"Batch {b}: {f} ({k}, {w})" for b, f, k, w in
              zip(undoable["batch_id"], undoable["file_name"], undoable["kind"], undoable["imported_by"], strict=True)}
    batch_id = st.selectbox("Batch", list(labels), format_func=labels.get, key="log_batch")
    changes = _load_batch_changes(batch_id)
    st.dataframe(changes, hide_index=True, width="stretch", key="batch_changes")
    sure = st.checkbox(f"I want to undo batch {batch_id} and restore what was there before it", key="confirm_rollback")
    if st.button(f"Roll back batch {batch_id}", key="rollback_batch", disabled=not sure):
        try:
            result = history.rollback_batch(get_engine(), batch_id, rolled_back_by=user.recorded_as)
        except StoreError as exc:
            st.error(str(exc), icon=":material/error:")
        else:
            _done(result.message)


def value_history_section() -> None:
    st.markdown("**Revision history of one value**")
    catalogue = load_catalogue()
    names = dict(zip(catalogue["code"], catalogue["name"], strict=True))
    left, middle, right = st.columns(3)
    indicator = left.selectbox("Indicator", list(names), format_func=names.get, key="history_indicator")
    area = middle.text_input("Area code", key="history_area", placeholder="e.g. E01011264 or PN-NWORT")
    period = right.date_input("Period start", value=date(2026, 4, 1), key="history_period", format="DD/MM/YYYY")
    if not area.strip():
        return
    try:
        versions = history.observation_history(get_engine(), indicator, area, period)
    except StoreError as exc:
        st.info(str(exc), icon=":material/search:")
        return
    st.dataframe(versions, hide_index=True, width="stretch", key="value_history")


# --- exports and roles ------------------------------------------------------------------------------------


def export_section(user: User) -> None:
    catalogue = load_catalogue()
    names = dict(zip(catalogue["code"], catalogue["name"], strict=True))
    indicator = st.selectbox("Indicator to export", list(names), format_func=names.get, key="export_indicator")
    area = st.text_input("Only this area and its LSOAs (optional)", key="export_area").strip().upper() or None
    suppressed = st.checkbox("Hide small numbers (safe to publish)", value=True, key="export_suppressed",
                             disabled=not user.sees_small_numbers)
    if st.button("Prepare the export", key="prepare_export"):
        try:
            frame = history.observations_export(get_engine(), indicator_code=indicator, area_code=area,
                                                disclosure_controlled=suppressed or not user.sees_small_numbers)
        except StoreError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        st.session_state["tn_export"] = (f"{indicator.lower()}{'-' + area.lower() if area else ''}", frame)
    if "tn_export" in st.session_state:
        stem, frame = st.session_state["tn_export"]
        st.caption(f"{len(frame):,} rows. Text cells that a spreadsheet could run as a formula are neutralised.")
        left, right = st.columns(2)
        left.download_button("Download CSV", data=csv_bytes(frame), file_name=f"{stem}.csv", mime="text/csv",
                             key="export_csv")
        right.download_button("Download Excel", data=excel_bytes({"observations": frame}), file_name=f"{stem}.xlsx",
                              key="export_xlsx")


def roles_section(user: User) -> None:
    if not auth_configured():
        st.info("Sign-in is not configured, so these roles are not used yet: everyone has the role set by "
                "TN_LOCAL_ROLE. See the README to connect the council's identity provider.", icon=":material/info:")
    engine = get_engine()
    granted = roles.user_roles(engine)
    st.dataframe(granted, hide_index=True, width="stretch", key="user_roles")
    left, right = st.columns([2, 1])
    email = left.text_input("Email address (as the person signs in)", key="role_email")
    role = right.selectbox("Role", list(ROLES), index=1, key="role_role")
    if st.button("Save the role", key="save_role"):
        _change_role(lambda: roles.set_role(engine, email, role, granted_by=user.recorded_as),
                     f"{email.strip().lower()} is now {role}.")
    listed = granted["email"].tolist()
    if listed:
        gone = st.selectbox("Remove a person's role (they become a viewer)", listed, key="role_remove")
        if st.button("Remove the role", key="remove_role"):
            _change_role(lambda: roles.remove_role(engine, gone), f"{gone} is now a viewer.")


def _change_role(change, message: str) -> None:
    try:
        change()
    except StoreError as exc:
        st.error(str(exc), icon=":material/error:")
    else:
        _done(message)
