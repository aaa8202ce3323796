"""Language detection by script: enough to route English and Chinese news, and to refuse the rest."""
from __future__ import annotations

import regex

from ..errors import UnsupportedLanguageError
from ..schema import Lang

_HAN = regex.compile(r"\p{Han}")
_LATIN = regex.compile(r"\p{Latin}")
_LETTER = regex.compile(r"\p{L}")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HANGUL = regex.compile(r"\p{Hangul}")


SAMPLE = 200_000  # characters looked at: plenty to tell the script, and the cost stays flat on long inputs


def detect_language(text: str, record: str | None = None) -> Lang:
    """'zh' when Han characters dominate the letters, 'en' when Latin letters do, else an error.

    A Chinese character carries about as much as an English word, so Han characters are weighted by 4
    against Latin letters: an English article quoting a few Chinese terms stays English.
    """
    text = text[:SAMPLE]
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    letters = len(_LETTER.findall(text))
    if letters == 0:
        raise UnsupportedLanguageError("no letters found: cannot detect a language", record=record)
    # Japanese mixes Han with kana, Korean may carry Han: a few stray kana are MT residue, a share is not
    for pattern, name in ((_KANA, "Japanese"), (_HANGUL, "Korean")):
        count = len(pattern.findall(text))
        if count >= 0.1 * letters and count >= 5:
            raise UnsupportedLanguageError(f"the text looks {name} ({count} of {letters} letters are "
                                           f"{name} script); only English and Chinese are supported", record=record)
    if han * 4 >= latin and han >= 0.3 * letters:
        return "zh"
    if latin >= 0.6 * letters:
        return "en"
    raise UnsupportedLanguageError(
        "language is neither English nor Chinese (by script); only en and zh are supported", record=record
    )
