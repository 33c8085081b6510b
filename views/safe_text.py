"""Text from outside the code (a link's query parameters, an uploaded file, an editor's words, a
database error) shown as text, never as markup.

Streamlit renders the body of ``st.markdown``, ``st.caption``, ``st.info``/``warning``/``error`` and
the labels of widgets, tabs and expanders as Markdown with its own extensions (links, images,
``:red[...]`` colours, ``:material/...:`` icons, ``$...$`` LaTeX with ``\\href``, bare URLs turned
into links). Plotly renders a subset of HTML (``<a href>``, ``<b>``, ``<br>``) in titles, legend
names, hover text and annotations. Every value that did not come from this code goes through
``md`` (for Streamlit) or ``plotly_text`` (for plotly) where it is put into such text. The printed
reports get the same protection from Jinja2's autoescape.

No Streamlit import: ``reports`` and ``views.charts`` use these too.
"""

from __future__ import annotations

import html
import re

# Characters that open a Markdown, HTML, LaTeX or Streamlit construct anywhere in a line: emphasis,
# code, links and images, tags and entities, ``$`` maths, strikethrough, tables, e-mail autolinks.
# CommonMark makes any backslash-escaped ASCII punctuation literal. Other punctuation is left as
# it is, so that a message reads the same in the page's source ("last-tuesday", "rows: 4").
_INLINE = re.compile(r"([\\`*{}\[\]<>$~|&@]|(?<![^\W_])_|_(?![^\W_]))")  # "file_name": "_" inside a word is literal
_AUTOLINK = re.compile(r"(?i)(?<=[a-z]):(?=/)|(?<=\bwww)\.")  # "http://", "www." would become links
_BLOCK_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))")  # a heading, quote, list or rule at the start
_WHITESPACE = re.compile(r"\s+")


def md(value: object) -> str:
    r"""``value`` as Markdown that renders exactly as the text, on one line.

    Line breaks, tabs and runs of spaces become one space (a new line could start a heading, a list
    or a code block). ``None`` becomes an empty string.

    >>> md("[Sign in](http://x.test/) <b>")
    '\\[Sign in\\](http\\://x.test/) \\<b\\>'
    """
    if value is None:
        return ""
    text = _WHITESPACE.sub(" ", str(value)).strip()
    text = _INLINE.sub(r"\\\1", text)
    text = _AUTOLINK.sub(lambda m: "\\" + m.group(0), text)
    return _BLOCK_START.sub(lambda m: "\\" + m.group(0) if not m.group(0).isdigit() else m.group(0) + "\\", text)


def plotly_text(value: object) -> str:
    """``value`` for a plotly title, trace name, hover text or annotation: ``<``, ``>`` and ``&``
    become entities, so no tag (link, bold, line break) is drawn. ``None`` becomes ``""``.

    >>> plotly_text('<a href="http://x.test">x</a>')
    '&lt;a href="http://x.test"&gt;x&lt;/a&gt;'
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=False)
