"""Keep every keystroke typed into an editable table (``st.data_editor``).

Typing on a selected cell of Streamlit's data grid opens the cell's editor with the first character,
but the editor takes a moment to appear; a second key pressed before then goes to the grid, which
opens the editor again with only that key. Typing "85" quickly on a cell stored 5. The script below
holds the keys typed while the editor is opening and types them into it once it has focus, so "85"
stays 85. Double-clicking a cell, or pressing Enter on it, opens the editor first and never lost keys.
"""

from __future__ import annotations

import streamlit as st

OPENING_MS = 1500  # the longest an editor is waited for before held keys are let go

# Capture phase on the document: runs before the grid's own handlers. Only keys aimed at a grid cell
# (not at an input) while an editor is opening are held; everything else passes untouched.
KEEP_KEYSTROKES_JS = """
<script>
(() => {
  if (window.tnKeepKeystrokes) return;
  window.tnKeepKeystrokes = true;
  let held = null;
  const editor = () => {
    const field = document.querySelector('[id^="gdg-overlay"] input, [id^="gdg-overlay"] textarea');
    return field && document.activeElement === field ? field : null;
  };
  const onGridCell = (target) => target instanceof Element && target.closest('[data-testid="stDataFrame"]')
    && !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
  const release = (started) => {
    const field = editor();
    if (!field && performance.now() - started < %(opening_ms)d) {
      requestAnimationFrame(() => release(started));
      return;
    }
    const keys = held || [];
    held = null;
    if (!field) return;
    for (const key of keys) {
      if (key.length === 1) {
        document.execCommand('insertText', false, key);
      } else {
        field.dispatchEvent(new KeyboardEvent('keydown', {key, code: key, bubbles: true, cancelable: true}));
      }
    }
  };
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || !onGridCell(event.target)) return;
    const printable = event.key.length === 1;
    if (held !== null && (printable || event.key === 'Enter' || event.key === 'Tab')) {
      held.push(event.key);  // the editor is still opening: type this into it when it is there
      event.preventDefault();
      event.stopImmediatePropagation();
    } else if (printable) {
      held = [];  // this key opens the editor (with the key in it); hold what follows
      requestAnimationFrame(() => release(performance.now()));
    }
  }, true);
})();
</script>
""" % {"opening_ms": OPENING_MS}


def keep_keystrokes() -> None:
    """Add the script to the page (once per page; the script itself runs once per browser tab)."""
    st.html(KEEP_KEYSTROKES_JS, unsafe_allow_javascript=True)
