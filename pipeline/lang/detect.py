"""Language detection: the script routes English and Chinese news and refuses Japanese and Korean; a language
identifier (py3langid, loaded on the first Latin-script text) refuses other languages written in Latin letters."""
from __future__ import annotations

import logging
import time
from functools import lru_cache

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
        _refuse_other_latin(text, record)
        return "en"
    raise UnsupportedLanguageError(
        "language is neither English nor Chinese (by script); only en and zh are supported", record=record
    )


NOT_ENGLISH = 0.01  # P(English) below which a Latin-script text is refused
MIN_WORDS = 8  # shorter texts are too little evidence: a headline full of names may look like anything
_WORDS = regex.compile(r"\p{Latin}+")
_NAMES = {"de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
          "id": "Indonesian", "ms": "Malay", "tr": "Turkish", "pl": "Polish", "vi": "Vietnamese", "sv": "Swedish",
          "da": "Danish", "no": "Norwegian", "fi": "Finnish", "cs": "Czech", "ro": "Romanian", "hu": "Hungarian"}


@lru_cache(maxsize=1)
def _identifier():
    start = time.perf_counter()
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    logging.getLogger("bisum").info("language identifier py3langid loaded in %.2f s", time.perf_counter() - start)
    return identifier


def _refuse_other_latin(text: str, record: str | None) -> None:
    """An UnsupportedLanguageError when a text of MIN_WORDS Latin words or more is not English by the language
    identifier (on the Latin words of its first 2,000 characters): English with foreign names passes
    (benchmarks/language.py)."""
    words = _WORDS.findall(text[:2000])
    if len(words) < MIN_WORDS:
        return
    ranked = dict(_identifier().rank(" ".join(words)))  # the Latin words only: Han terms inside say nothing
    if ranked.get("en", 0.0) < NOT_ENGLISH:
        code = max(ranked, key=ranked.get)
        raise UnsupportedLanguageError(f"the text looks {_NAMES.get(code, code)} (language identifier: "
                                       f"{ranked[code]:.0%}, English {ranked.get('en', 0.0):.1%}); only English and "
                                       "Chinese are supported", record=record)
