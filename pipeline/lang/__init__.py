"""Language profiles: one module per language (`en.py`, `zh.py`) holding its segmentation, tokenisation,
stop words, sentence joiner, budget unit and how it writes amounts. Stages ask `profile(code)` instead of
comparing codes; a code without a profile is refused with UnsupportedLanguageError everywhere.

Adding a language: a module like `zh.py` that builds a LanguageProfile, one line in PROFILES, the
language's field in the term base (`pipeline/glossary/terms.yaml`), and its script in `detect.py`."""
from __future__ import annotations

from ..errors import UnsupportedLanguageError
from .base import LanguageProfile
from .detect import detect_language
from .en import ENGLISH
from .zh import CHINESE

PROFILES: dict[str, LanguageProfile] = {p.code: p for p in (ENGLISH, CHINESE)}
# The output has a summary in each of these languages: the article's own, and translations into the others.
OUTPUT_LANGS = ("en", "zh")


def profile(code: str, record: str | None = None) -> LanguageProfile:
    """The profile of a language code, or UnsupportedLanguageError naming the supported ones."""
    try:
        return PROFILES[code]
    except (KeyError, TypeError):
        raise UnsupportedLanguageError(f"no language profile for {code!r} (supported: {', '.join(PROFILES)})",
                                       record=record) from None


__all__ = ["OUTPUT_LANGS", "PROFILES", "LanguageProfile", "detect_language", "profile"]
