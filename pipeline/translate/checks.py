"""Checks of a translation against its source that need no model: words of the source language left in the
output. (Numbers and glossary renderings are checked with pipeline/figures.py and the term detector.)"""
from __future__ import annotations

import regex

_LATIN_WORD = regex.compile(r"(?<![A-Za-z0-9&])[A-Za-z][A-Za-z'’-]*[A-Za-z](?![A-Za-z0-9&])")
_HAN = regex.compile(r"\p{Han}+")


def untranslated(source_text: str, text: str, target: str) -> list[str]:
    """Words of the other script left in a translation, in order of first appearance: Han characters in English
    output; in Chinese output Latin words other than acronyms and tickers (all capitals: CPI, ECB, S&P, H100)
    and names kept in their own casing (a capitalised word the source writes the same way: Tesla, iPhone)."""
    if target == "en":
        found = _HAN.findall(text)
    else:
        kept = set(_LATIN_WORD.findall(source_text))
        found = [w for w in _LATIN_WORD.findall(text) if not w.isupper() and not (w != w.lower() and w in kept)]
    return list(dict.fromkeys(found))
