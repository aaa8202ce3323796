"""Escaping of text that came from input (articles, ids, file names, terms) before it is shown: control
characters for terminals, HTML and table syntax for Markdown. JSON output needs none (json escapes)."""
from __future__ import annotations

import html

import regex

# C0 controls except tab and newline, DEL, C1 controls, and bidi overrides that reorder what a reader sees.
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal(text: str) -> str:
    """`text` with control characters (ESC sequences that clear the screen or set the window title, bidi
    overrides) shown as visible escapes such as \\x1b instead of acted on."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text.replace("\r\n", "\n"))


def markdown(text: str) -> str:
    """`text` safe inside Markdown prose: no live HTML, no control characters."""
    return html.escape(terminal(text), quote=False)


def markdown_cell(text: str) -> str:
    """`text` safe inside a Markdown table cell: as `markdown`, plus `|` and line breaks escaped."""
    return markdown(text).replace("|", "\\|").replace("\r", "").replace("\n", "<br>")
