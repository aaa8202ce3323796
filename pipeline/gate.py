"""The input gate: every entry point (CLI, batch, Python API, Hugging Face pipeline) passes an article through
`admit` before any stage runs, so the same input gets the same verdict and error code everywhere.

Refused (error code): not a string (bad_text_type); a lone surrogate (not_utf8); empty (empty_text); longer
than the limit (too_long); binary junk (binary_text); a whole HTML page (html_input). Repaired: a leading
byte-order mark is dropped. Languages other than English and Chinese are refused by `pipeline.lang`;
Traditional Chinese is converted to Simplified by the cleaner, with an edit per change."""
from __future__ import annotations

import re

import regex

from .errors import EmptyTextError, EncodingError, InputError

MAX_CHARS = 1_000_000  # default of `input.max_chars`: news articles, even long transcripts, are far shorter
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
# Terminal escape sequences (colour, clear screen, window title) and other control characters: the
# cleaner removes them.
_ESCAPE = regex.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
CONTROL_SEQUENCE = regex.compile(rf"{_ESCAPE.pattern}|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HTML_START = regex.compile(r"^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", regex.IGNORECASE)
_TAG = regex.compile(r"<[^<>]{1,200}>")
_SAMPLE = 50_000  # binary and HTML verdicts look at the start of the text only (cost stays flat)


def admit(text, record: str | None = None, max_chars: int = MAX_CHARS, what: str = "the text") -> str:
    """`text` ready for the stages (a leading byte-order mark dropped), or an InputError with a stable code
    (messages name the input as `what`: "the text", "the title")."""
    if not isinstance(text, str):
        got = "nothing" if text is None else type(text).__name__
        raise InputError(f"{what} is {got}, not a string", record=record, code="bad_text_type")
    if text.startswith("\ufeff"):
        text = text[1:]
    bad = _SURROGATE.search(text)
    if bad:
        raise EncodingError(f"character {bad.start()} is a lone surrogate U+{ord(bad.group()):04X} (a broken \\u "
                            "escape or UTF-16 data): not valid Unicode", record=record)
    if not text.strip():
        raise EmptyTextError(f"{what} is empty", record=record)
    if len(text) > max_chars:
        raise InputError(f"{what} has {len(text):,} characters, more than the limit of {max_chars:,} "
                         "(setting input.max_chars)", record=record, code="too_long")
    sample = text[:_SAMPLE]
    # well-formed escape sequences are the cleaner's to remove; stray control characters mean binary data
    controls = len(_CONTROL.findall(_ESCAPE.sub("", sample)))
    if "\x00" in sample or controls > 0.01 * len(sample):
        raise InputError(f"{what} looks binary (control characters), not an article", record=record,
                         code="binary_text")
    tagged = sum(len(m.group()) for m in _TAG.finditer(sample))
    if _HTML_START.match(sample) or tagged > 0.2 * len(sample):
        raise InputError(f"{what} is HTML, not plain text: strip the markup first", record=record,
                         code="html_input")
    return text


MAX_TITLE_CHARS = 1_000


def admit_title(title, record: str | None = None) -> str | None:
    """A usable title or None; a title longer than a headline is refused (too_long) rather than cut."""
    if not isinstance(title, str) or not title.strip():
        return None
    if len(title) > MAX_TITLE_CHARS:
        raise InputError(f"the title has {len(title):,} characters, more than {MAX_TITLE_CHARS:,}", record=record,
                         code="too_long")
    return admit(title, record, MAX_TITLE_CHARS, "the title")


def safe_id(value) -> str | None:
    """A record id that can be written as UTF-8: lone surrogates become backslash escapes (the same on every
    run, so `--resume` still matches); None or "" stay None."""
    if value is None or value == "":
        return None
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")
