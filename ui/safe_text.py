"""Text from outside the code (a link's query parameters, an uploaded file, an editor's words, a
database error) shown as text, never as markup.

Streamlit renders the body of ``st.markdown``, ``st.caption``, ``st.info``/``warning``/``error`` and
the labels of widgets, tabs and expanders as Markdown with its own extensions (links, images,
``:red[...]`` colours, ``:material/...:`` icons, ``$...$`` LaTeX with ``\\href``, bare URLs turned
into links). Plotly renders a subset of HTML (``<a href>``, ``<b>``, ``<br>``) in titles, legend
names, hover text and annotations. Every value that did not come from this code goes through
``md`` (for Streamlit) or ``plotly_text`` (for plotly) where it is put into such text. The printed
reports get the same protection from Jinja2's autoescape.

No Streamlit import: ``reports`` and ``ui.charts`` use these too.
"""

from __future__ import annotations

import html
import re
import string

# CommonMark lets any ASCII punctuation be backslash-escaped, and an escaped character is always
# literal text; escaping all of it closes every construct at once, including Streamlit's own
# (colours, icons, LaTeX) and GFM autolinks (``http\:\/\/`` and ``www\.`` are no longer URLs).
_MARKDOWN_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_WHITESPACE = re.compile(r"\s+")


def md(value: object) -> str:
    """``value`` as Markdown that renders exactly as the text, on one line.

    Line breaks, tabs and runs of spaces become one space (a new line could start a heading, a list
    or a code block). ``None`` becomes an empty string.

    >>> md("[Sign in](http://x.test/)")
    '\\\\[Sign in\\\\]\\\\(http\\\\:\\\\/\\\\/x\\\\.test\\\\/\\\\)'
    """
    if value is None:
        return ""
    text = _WHITESPACE.sub(" ", str(value)).strip()
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def plotly_text(value: object) -> str:
    """``value`` for a plotly title, trace name, hover text or annotation: ``<``, ``>`` and ``&``
    become entities, so no tag (link, bold, line break) is drawn. ``None`` becomes ``""``.

    >>> plotly_text('<a href="http://x.test">x</a>')
    '&lt;a href="http://x.test"&gt;x&lt;/a&gt;'
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=False)
