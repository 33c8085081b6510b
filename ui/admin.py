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

from db import localities, mappings, roles
from ingest import history, importer
from db.errors import StoreError
from db.exports import csv_bytes, excel_bytes
from db.schema import ROLES, TIERS
from ingest.templates import KINDS, MAX_UPLOAD_BYTES, template_bytes
from ingest.reading import ReadOptions, Reading
from ingest.sources import fingertips, nomis, police_uk_street, source_names, statxplore
from ingest.validation import problems_frame, sha256_of
from ui.auth import User, auth_configured
from ui.background import with_progress
from ui.grid_typing import keep_keystrokes
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
from views.maps import feature_collection, geojson_layer
from views.plans import today
from views import action_edits
from views.safe_text import md
from views.theme import PRIORITY_WARD_RGBA

DETECT = "Tell from the header"
PROBLEM_COLUMNS = {"row": "Row", "column": "Column", "value": "Value", "reason": "Problem"}


def flash(where: str = "page") -> None:
    """The outcome of the last change made ``where`` ("page": the top of the page; "actions": the action
    progress section), shown once after the page reran."""
    message = st.session_state.pop(f"tn_done_{where}", None)
    if message:
        st.success(md(message), icon=":material/check_circle:")


def _done(message: str, *, where: str = "page") -> None:
    """After a write: forget cached results everywhere, keep what was done to show beside where it was
    done (see ``flash``), then rerun so every section shows the new data."""
    clear_caches()
    st.session_state[f"tn_done_{where}"] = message
    st.rerun()


LOCAL_EDITOR_HINT = ("Sign-in is not set up on this copy of the dashboard, so everyone gets the role named by the "
                     "`TN_LOCAL_ROLE` setting, which is viewer unless it is set. To edit data on your own machine, "
                     "stop the app (Ctrl+C in the terminal that runs it) and start it again as an editor: "
                     "`TN_LOCAL_ROLE=editor streamlit run app.py` (or `TN_LOCAL_ROLE=admin`, which also manages "
                     "roles).")
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


UPLOAD_TYPES = ["csv", "txt", "tsv", "xlsx", "xlsm"]  # the same as the command line reads
DATE_ORDER_LABELS = {"day-first": "Day first (10/12/2026 is 10 December)",
                     "month-first": "Month first (10/12/2026 is 12 October)"}


def upload_section(user: User) -> None:
    st.markdown("Upload a CSV file (.csv, .txt, .tsv) or an Excel workbook (.xlsx, .xlsm): a template, or a file "
                "as a source publishes it (see **Files the dashboard recognises** below). It is checked completely "
                "before anything is written; every problem is listed with its row and column. At most "
                f"{MAX_UPLOAD_BYTES // 1_048_576} MB.")
    left, right = st.columns(2)
    kind = left.selectbox("What the file holds", [DETECT, *KINDS], key="upload_kind")
    dates = right.selectbox("Dates written with slashes are", list(DATE_ORDER_LABELS), format_func=DATE_ORDER_LABELS.get,
                            key="upload_dates")
    # A new key after each import empties the uploader, so the page does not re-check the imported file.
    round_ = st.session_state.get("tn_upload_round", 0)
    uploaded = st.file_uploader("File to import", type=UPLOAD_TYPES, key=f"upload_file_{round_}")
    _recognised_help()
    if uploaded is None:
        return
    content = uploaded.getvalue()
    chosen = None if kind == DETECT else kind
    sheet_key = f"upload_sheet_{sha256_of(content)[:16]}"  # a sheet chosen for one workbook, not the next
    options = ReadOptions(sheet=st.session_state.get(sheet_key), dates=dates)
    preview = _preview(content, uploaded.name, chosen, options)
    _show_reading(preview.reading, sheet_key)
    if not preview.ok:
        _show_problems(preview)
        return
    _show_preview(preview)
    if preview.has_changes and st.button(f"Import {len(preview.new) + len(preview.changed):,} rows",
                                         key="commit_import", type="primary"):
        try:
            engine = get_engine()
            result = with_progress(f"Importing {uploaded.name}", lambda report: importer.commit_import(
                engine, content, uploaded.name, imported_by=user.recorded_as, kind=chosen, options=options,
                progress=report), size_bytes=len(content), reports=True)
        except StoreError as exc:
            st.error(md(exc), icon=":material/error:")
            return
        st.session_state.pop("tn_preview", None)
        st.session_state["tn_upload_round"] = st.session_state.get("tn_upload_round", 0) + 1
        _done(result.message)


def _preview(content: bytes, file_name: str, kind: str | None, options: ReadOptions) -> importer.ImportPreview:
    """The preview of this file, worked out once per file, kind and reading choice (the store only changes on
    commit)."""
    key = (sha256_of(content), file_name, kind, options)
    stored = st.session_state.get("tn_preview")
    if stored is None or stored[0] != key:
        engine = get_engine()
        preview = with_progress(f"Reading and checking {file_name}",
                                lambda report: importer.preview_import(engine, content, file_name, kind=kind,
                                                                       options=options, progress=report),
                                size_bytes=len(content), reports=True)
        stored = (key, preview)
        st.session_state["tn_preview"] = stored
    return stored[1]


def _show_reading(reading: Reading | None, sheet_key: str) -> None:
    """What was read (layout, sheet, rows, what was left out), and the sheet to read when there is a choice."""
    if reading is None:
        return
    if len(reading.sheets) > 1:
        sheets = list(reading.sheets)
        st.selectbox("Sheet to read", sheets, index=sheets.index(reading.sheet) if reading.sheet in sheets else 0,
                     key=sheet_key,
                     help="The sheet whose header matches a template or a known source is chosen first.")
    lines = [reading.summary(), *reading.notes]
    st.info("\n".join(f"- {md(line)}" for line in lines), icon=":material/description:")


def _recognised_help() -> None:
    with st.expander("Files the dashboard recognises"):
        st.markdown(RECOGNISED_FILES_HELP)


RECOGNISED_FILES_HELP = """
**Layouts**, recognised by their header row (which may sit below title rows; footnotes below the data are
left out; a two-row heading is read as one):

- the **templates** (observations, targets, actions, events); columns that no template has are ignored;
- a **police.uk street-level file** as downloaded: reports are counted per LSOA and month into ASB_ALL
  (anti-social behaviour) and CRIME_ALL (every other crime type), or as set under **Source mappings**;
  reports with no location or outside the district are left out and counted in the preview;
- an **OHID Fingertips data download**: each Indicator ID is linked to an indicator under **Source
  mappings**, or matched by name; England, regions and other areas are left out;
- a **Nomis download**, the bulk CSV (DATE, GEOGRAPHY_CODE, ..., OBS_VALUE, OBS_STATUS) or the web table
  (title lines, "Date : October 2023" or a column per month, a `mnemonic` column of area codes): each
  series (such as "Claimant count") is linked to an indicator under **Source mappings**; suppressed
  figures (status Q, `*`, `!`) are kept as suppressed; other areas and the district's own total beside
  its wards are left out and counted;
- a **DWP Stat-Xplore table** (CSV or Excel): areas matched by name, each series (the dataset and its
  filters, such as "People on Universal Credit / Searching for work") linked under **Source mappings**;
  "Total" rows and other districts are left out;
- other **Nomis-style CSV** with title and metadata lines above the header and notes below.

In a workbook the first visible sheet with a recognised header is read; choose another sheet above.

**Periods** are read by the indicator's frequency: months as `2026-10`, `Oct-26`, `October 2026` or a
date (`2026-10-01`, `01/10/2026`, an Excel date, `2026-10-01T00:00:00Z`); financial quarters as
`Q3 2026/27`; financial years as `2026/27` or `2026-27`; calendar years as `2026`; pooled years as
`2017 - 19`. The first or last day of a period names it (`2026-06-30` is Q1 2026/27).

**Dates** with slashes are day first. If any date in a column can only be month first (`10/24/2026`), the
whole column is refused until you choose month first above or re-save the dates as YYYY-MM-DD.

**Suppressed values**: published tables write `<5`, `*`, `[c]`, `[x]`, `..` or `-`, or leave the value empty
with a value note (Fingertips). They are stored as suppressed at source, never as a number.

**Action status** may be written as officers write it: Completed, On track, In progress, Not started, On
hold, or a percentage (0% not started, 100% complete, anything between in progress).

**Another source** (another publisher's layout) is added by a developer as one small reader module and a
test; the README's "Files the dashboard recognises" says how. Until then, copy the figures into a template.
"""


def _show_problems(preview: importer.ImportPreview) -> None:
    st.error(md(preview.summary()), icon=":material/error:")
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
        st.success(md(preview.summary()), icon=":material/check_circle:")
        return
    st.info(md(preview.summary()) + " Check the changes below, then import.", icon=":material/search:")
    for note in preview.notes:
        st.info(md(note), icon=":material/info:")
    changed = preview.changed
    if not changed.empty:
        st.markdown("**Changed values**: what the database holds now, beside what the file says.")
        st.dataframe(changed, hide_index=True, width="stretch", key="preview_changed")
    if not preview.new.empty:
        with st.expander(f"New rows ({len(preview.new):,})"):
            st.dataframe(preview.new, hide_index=True, width="stretch", key="preview_new")


def templates_section() -> None:
    st.markdown("Start from a template: it has the header and two example rows that import cleanly. Replace the "
                "examples with your own rows. Dates are written YYYY-MM-DD or DD/MM/YYYY; a period may also be "
                "written as its source writes it (2026-10, Oct-26, Q3 2026/27, 2026/27). An optional column you "
                "leave out keeps what the database holds; an empty cell in it clears the value.")
    for kind, spec in KINDS.items():
        st.markdown(f"**{kind.capitalize()}**: {spec.description}. Columns: "
                    + ", ".join(f"`{f.name}`" + (" (optional)" if f.optional_column else "") for f in spec.fields))
        left, right = st.columns(2)
        left.download_button(f"{kind.capitalize()} template (CSV)", data=template_bytes(kind),
                             file_name=f"{kind}-template.csv", mime="text/csv", key=f"template_{kind}_csv")
        right.download_button(f"{kind.capitalize()} template (Excel)", data=template_bytes(kind, excel=True),
                              file_name=f"{kind}-template.xlsx", key=f"template_{kind}_xlsx",
                              mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- source mappings --------------------------------------------------------------------------------------

NOT_COUNTED = "(not counted)"


def police_mapping_frame(stored: pd.DataFrame) -> pd.DataFrame:
    """One row per police.uk crime type (known ones and any stored): columns crime_type, indicator, set_by."""
    mine = stored[stored["source"] == police_uk_street.NAME].set_index("source_value")
    types = list(dict.fromkeys([*police_uk_street.CRIME_TYPES, *mine.index]))
    rows = []
    for crime_type in types:
        if crime_type in mine.index:
            code = mine.at[crime_type, "indicator_code"]
            rows.append((crime_type, code if isinstance(code, str) else NOT_COUNTED, mine.at[crime_type, "updated_by"]))
        else:
            rows.append((crime_type, police_uk_street.default_indicator(crime_type), "(default)"))
    return pd.DataFrame(rows, columns=["crime_type", "indicator", "set_by"])


def mappings_section(user: User) -> None:
    st.markdown("Which indicator each value in a source's file is counted into. **police.uk**: each crime type "
                "(by default anti-social behaviour counts into ASB_ALL and every other type into CRIME_ALL). "
                "**Fingertips**: each Indicator ID. **Nomis** and **Stat-Xplore**: each series, as the message on an "
                "unlinked file names it. A change applies to files uploaded after it.")
    engine = get_engine()
    stored = mappings.source_mappings(engine)
    codes = load_catalogue()["code"].tolist()
    police = police_mapping_frame(stored)
    edited = st.data_editor(police, key="police_mapping_editor", hide_index=True, width="stretch", num_rows="fixed",
                            disabled=["crime_type", "set_by"], column_config={
                                "crime_type": st.column_config.TextColumn("police.uk crime type"),
                                "indicator": st.column_config.SelectboxColumn("Counted into",
                                                                              options=[*codes, NOT_COUNTED],
                                                                              required=True),
                                "set_by": st.column_config.TextColumn("Set by")})
    changed = edited[edited["indicator"] != police["indicator"]]
    if st.button(f"Save {len(changed)} changed crime type(s)", key="save_police_mapping", disabled=changed.empty,
                 type="primary"):
        _save_mappings(engine, [(police_uk_street.NAME, t, i) for t, i in
                                zip(changed["crime_type"], changed["indicator"], strict=True)], user)
    st.markdown("**Other sources**")
    others = stored[stored["source"] != police_uk_street.NAME][["source", "source_value", "indicator_code",
                                                                 "updated_by"]]
    if not others.empty:
        st.dataframe(others.rename(columns={"source": "Source", "source_value": "Value in the file",
                                            "indicator_code": "Counted into", "updated_by": "Set by"}),
                     hide_index=True, key="source_mapping_list")
    names = {name: title for name, title in source_names().items() if name != police_uk_street.NAME}
    source = st.selectbox("Source", list(names), format_func=names.get, key="mapping_source")
    left, right = st.columns(2)
    value = left.text_input(MAPPING_VALUE_WORDS.get(source, "Value in the file"), key="fingertips_id",
                            placeholder=MAPPING_EXAMPLES.get(source, ""))
    code = right.selectbox("Counted into", [*codes, NOT_COUNTED], key="fingertips_code")
    if st.button("Link the value to the indicator", key="save_fingertips_mapping", disabled=not value.strip()):
        _save_mappings(engine, [(source, value, code)], user)


MAPPING_VALUE_WORDS = {fingertips.NAME: "Fingertips Indicator ID", nomis.NAME: "Nomis series",
                       statxplore.NAME: "Stat-Xplore series"}
MAPPING_EXAMPLES = {fingertips.NAME: "e.g. 30301", nomis.NAME: "e.g. Claimant count",
                    statxplore.NAME: "e.g. People on Universal Credit / Searching for work"}


def _save_mappings(engine, changes: list[tuple[str, str, str]], user: User) -> None:
    try:
        for source, value, code in changes:
            mappings.set_mapping(engine, source=source, source_value=value,
                                 indicator_code=None if code == NOT_COUNTED else code, updated_by=user.recorded_as)
    except StoreError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.session_state.pop("police_mapping_editor", None)
    _done("Saved: " + "; ".join(f"{value} is not counted" if code == NOT_COUNTED else f"{value} counts into {code}"
                                for _, value, code in changes) + ". Files uploaded from now on are counted so.")


# --- action progress --------------------------------------------------------------------------------------


def _choose_locality(label: str, key: str) -> str | None:
    places = load_localities()
    if places.empty:
        st.info("There are no localities yet.", icon=":material/search:")
        return None
    names = dict(zip(places["code"], places["name"], strict=True))
    return st.selectbox(label, list(names), format_func=names.get, key=key)


# Pixels, for every column of ``action_edits.COLUMN_ORDER``: 860 in all, so that the grid fits the 904 px main
# area of a 1366 px laptop with the sidebar open; the reference and title stay readable beside what can be
# changed, and a cell is where a test clicks.
ACTION_WIDTHS = {"Reference": 80, "Action": 220, "Progress (%)": 100, "Status": 120, "Commentary": 240,
                 "Due date": 100}
REVIEW = "tn_action_review"  # (locality, changes) an editor asked to save and has not yet confirmed


def actions_section(user: User) -> None:
    """Edit progress, status and commentary in words; save only after confirming a before-and-after summary."""
    flash("actions")
    code = _choose_locality("Locality", "actions_locality")
    if code is None:
        return
    actions = load_actions((code,), today())
    if actions.empty:
        st.info("This locality's plan has no actions yet. Upload them with the actions template.", icon=":material/search:")
        return
    shown = action_edits.editor_frame(actions)
    keep_keystrokes()  # typing "85" on a cell stores 85, not 5
    st.markdown("Change **progress**, **status** or **commentary**: select a cell and type, or double-click it, "
                "then press Enter. Then save: you see every change before and after, and confirm. Every change is "
                "recorded with who made it and when.")
    edited = st.data_editor(
        shown, key=f"action_editor_{code}", hide_index=True, width="stretch", num_rows="fixed",
        disabled=[c for c in shown.columns if c not in action_edits.EDITABLE],
        column_order=action_edits.COLUMN_ORDER,  # what can be changed first, beside what it is
        column_config={
            "Reference": st.column_config.TextColumn("Reference", width=ACTION_WIDTHS["Reference"]),
            "Action": st.column_config.TextColumn("Action", width=ACTION_WIDTHS["Action"]),
            "Due date": st.column_config.DateColumn("Due date", format="D MMM YYYY", width=ACTION_WIDTHS["Due date"]),
            "Progress (%)": st.column_config.NumberColumn("Progress (%)", min_value=0, max_value=100, step=1,
                                                          help="Percent complete, 0 to 100",
                                                          width=ACTION_WIDTHS["Progress (%)"]),
            "Status": st.column_config.SelectboxColumn("Status", options=list(action_edits.STATUS_OPTIONS),
                                                       required=True, width=ACTION_WIDTHS["Status"]),
            "Commentary": st.column_config.TextColumn("Commentary", max_chars=5_000,
                                                      width=ACTION_WIDTHS["Commentary"]),
            "Last changed": st.column_config.DatetimeColumn("Last changed", format="D MMM YYYY HH:mm"),
        },
    )
    _review_and_save(shown, action_edits.edits(shown, edited), code, user)
    st.markdown("**Recent changes to these actions**")
    updates = _load_action_updates((code,))
    if updates.empty:
        st.caption("No changes have been recorded on this page yet.")
    else:
        st.dataframe(action_edits.history_frame(updates), hide_index=True, width="stretch", key="action_updates",
                     column_config={"When": st.column_config.DatetimeColumn(format="D MMM YYYY HH:mm")})


def _review_and_save(shown: pd.DataFrame, changes: dict[int, dict[str, object]], code: str, user: User) -> None:
    """A Save button; once pressed, the before-and-after of every change with Confirm and Back buttons.
    Editing again after Save asks for a new confirmation, so what is written is what was confirmed."""
    if st.session_state.get(REVIEW) not in (None, (code, changes)):
        st.session_state.pop(REVIEW)
    if REVIEW not in st.session_state:
        count = len(changes)
        label = f"Save {count} changed action{'' if count == 1 else 's'}" if changes else "Save changes"
        if not st.button(label, key="save_actions", disabled=not changes, type="primary"):
            return
        st.session_state[REVIEW] = (code, changes)
    lines = action_edits.change_lines(shown, changes)
    st.warning(f"**Check before saving. {action_edits.change_summary(changes)}**\n\n"
               + "\n".join(f"- {md(line)}" for line in lines), icon=":material/fact_check:")
    confirm, back = st.columns([1, 3])
    if back.button("Back to editing", key="cancel_actions"):
        st.session_state.pop(REVIEW, None)
        st.rerun()
    if not confirm.button("Confirm and save", key="confirm_actions", type="primary"):
        return
    try:
        saved = importer.save_action_progress(get_engine(), changes, changed_by=user.recorded_as)
    except StoreError as exc:
        st.error(md(exc), icon=":material/error:")
        return
    st.session_state.pop(REVIEW, None)
    st.session_state.pop(f"action_editor_{code}", None)
    _done(action_edits.saved_message(saved, lines), where="actions")


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _load_action_updates(area_codes: tuple[str, ...]) -> pd.DataFrame:
    return history.action_update_history(get_engine(), area_codes=list(area_codes), limit=100)


# --- custom localities ------------------------------------------------------------------------------------


def lsoa_picker(lsoas: pd.DataFrame) -> pdk.Deck:
    """The ward's LSOAs (2021), each pickable, labelled with name, code and IMD 2025 decile."""
    frame = lsoas.assign(
        fill=[PRIORITY_WARD_RGBA] * len(lsoas),
        label=[f"{n} ({c}), IMD 2025 decile {d}" for n, c, d in zip(lsoas["name"], lsoas["code"],
                                                                    lsoas["imd2025_decile"], strict=True)],
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
                            key=f"lsoa_map_{ward}", height=420,
                            alt="Map of the ward's LSOAs to click and choose; their codes can also be pasted below.")
    picked = [(o.get("properties") or o).get("code") for o in event.selection.objects.get("lsoas", [])]
    pasted = st.text_area("Or paste LSOA codes (separated by commas, spaces or new lines)", key="locality_codes")
    codes = list(dict.fromkeys([c for c in picked if c] + localities.parse_lsoa_codes(pasted)))
    st.caption(f"{len(codes)} LSOA(s) chosen: {md(', '.join(codes)) or 'none yet'}.")
    name = st.text_input("Name of the locality", key="locality_name", max_chars=200)
    tier = st.selectbox("Approach tier", list(TIERS), key="locality_tier")
    if st.button("Create the locality", key="create_locality", type="primary"):
        try:
            created = localities.create_locality(get_engine(), name=name, ward_code=ward, lsoa_codes=codes,
                                                 tier=tier, created_by=user.recorded_as)
        except StoreError as exc:
            st.error(md(exc), icon=":material/error:")
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
            st.error(md(exc), icon=":material/error:")
        else:
            _done(f"Removed the custom locality {names[code]}.")


# --- import log, rollback and value history ---------------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _load_import_log() -> pd.DataFrame:
    return history.import_log(get_engine())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _load_batch_changes(batch_id: int) -> pd.DataFrame:
    return history.batch_changes(get_engine(), batch_id)


# The import log in six columns that fit the 904 px main area of a 1366 px laptop (pixels, 850 in all).
LOG_WIDTHS = {"Batch": 55, "File": 170, "Imported": 170, "Rows": 190, "Outcome": 95, "Note": 170}


def log_table(log: pd.DataFrame) -> pd.DataFrame:
    """The import log as shown: one row per batch, with the columns of ``LOG_WIDTHS``.

    ``log`` has batch_id, kind, file_name, imported_by, imported_at, rows_total, rows_new, rows_changed,
    rows_unchanged, outcome and note (``ingest.history.import_log``). The file carries its kind, the
    import its time and who made it, and the rows their split into new, changed and unchanged.
    """
    def count(value) -> str:
        return "?" if pd.isna(value) else f"{int(value):,}"

    when = pd.to_datetime(log["imported_at"]).dt.strftime("%-d %b %Y %H:%M")
    return pd.DataFrame({
        "Batch": log["batch_id"],
        "File": [f"{f} ({k})" for f, k in zip(log["file_name"], log["kind"], strict=True)],
        "Imported": [f"{w} by {b}" for w, b in zip(when, log["imported_by"], strict=True)],
        "Rows": [f"{count(t)}: {count(n)} new, {count(c)} changed, {count(u)} unchanged" for t, n, c, u in
                 zip(log["rows_total"], log["rows_new"], log["rows_changed"], log["rows_unchanged"], strict=True)],
        "Outcome": log["outcome"],
        "Note": log["note"],
    })


def import_log_section(user: User, *, can_roll_back: bool = True) -> None:
    """The import log; with ``can_roll_back`` (a writable store), also what a batch changed and its rollback."""
    log = _load_import_log()
    st.dataframe(log_table(log), hide_index=True, width="stretch", key="import_log",
                 column_config={name: st.column_config.Column(width=px) for name, px in LOG_WIDTHS.items()})
    if not can_roll_back:
        return
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
            st.error(md(exc), icon=":material/error:")
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
        st.info(md(exc), icon=":material/search:")
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
            st.error(md(exc), icon=":material/error:")
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
        st.error(md(exc), icon=":material/error:")
    else:
        _done(message)
