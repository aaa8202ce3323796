"""Escaping of text that came from input (articles, ids, file names, terms) before it is shown: control
characters for terminals, HTML and table syntax for Markdown, formulas for spreadsheets (CSV). JSON output needs
none (json escapes)."""
from __future__ import annotations

import html

import regex

# C0 controls except tab and newline, DEL, C1 controls, and bidi overrides that reorder what a reader sees.
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal(text: str) -> str:
    """`text` with control characters (ESC sequences that clear the screen or set the window title, bidi
    overrides) shown as visible escapes such as \\x1b instead of acted on."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text.replace("\r\n", "\n"))


# Markdown syntax that input could use to make live links and images ([x](javascript:...), ![](tracker)), code
# or emphasis anywhere, and headings or lists at a line start (when a space follows the marker).
_MD_INLINE = regex.compile(r"[\\`*_\[\]~]")
_MD_LINE_START = regex.compile(r"(?m)^([ \t]*)(#+|[-+=]|\d+[.)])(?=[ \t]|$)")  # ">" is escaped as HTML


def markdown(text: str) -> str:
    """`text` safe inside Markdown prose: no live HTML or Markdown syntax (each such character backslash-escaped,
    which renders as the character itself), no control characters."""
    text = _MD_INLINE.sub(r"\\\g<0>", html.escape(terminal(text), quote=False))
    return _MD_LINE_START.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}", text)


def html_text(text: str) -> str:
    """`text` safe in HTML content and in quoted attributes: markup escaped, control characters and bidi
    overrides shown as visible escapes (as for a terminal) so that they cannot reorder what a reader sees."""
    return html.escape(terminal(str(text)), quote=True)


def spreadsheet_cell(value):
    """A CSV cell that a spreadsheet shows as text: one starting with = + - @ or a tab or carriage return would be
    run as a formula (=HYPERLINK(...) in an id or a file name), so it gets a leading apostrophe, as OWASP
    recommends. Numbers pass unchanged."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def markdown_cell(text: str) -> str:
    """`text` safe inside a Markdown table cell: as `markdown`, plus `|` and line breaks escaped."""
    return markdown(text).replace("|", "\\|").replace("\r", "").replace("\n", "<br>")
