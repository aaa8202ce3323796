"""Language detection by script: enough to route English and Chinese news, and to refuse the rest."""
from __future__ import annotations

import regex

from .errors import UnsupportedLanguageError
from .schema import Lang

_HAN = regex.compile(r"\p{Han}")
_LATIN = regex.compile(r"\p{Latin}")
_LETTER = regex.compile(r"\p{L}")


def detect_language(text: str, record: str | None = None) -> Lang:
    """'zh' when Han characters dominate the letters, 'en' when Latin letters do, else an error.

    A Chinese character carries about as much as an English word, so Han characters are weighted by 4
    against Latin letters: an English article quoting a few Chinese terms stays English.
    """
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    letters = len(_LETTER.findall(text))
    if letters == 0:
        raise UnsupportedLanguageError("no letters found: cannot detect a language", record=record)
    if han * 4 >= latin and han >= 0.3 * letters:
        return "zh"
    if latin >= 0.6 * letters:
        return "en"
    raise UnsupportedLanguageError(
        "language is neither English nor Chinese (by script); only en and zh are supported", record=record
    )
