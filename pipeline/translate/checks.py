"""Checks of a translation against its source, run by the translate stage on every translated sentence, for every
translator backend. A check is a function (source, output, source language, target language, term detector) ->
{warning code: failing spans}; CHECKS names them for `translate.checks`, and each code is in the warnings
catalogue (pipeline/errors.py)."""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Callable

import regex

from ..config import read_yaml
from ..figures import compare
from ..glossary.detect import TermDetector
from ..lang.acronyms import ACRONYM, definitions

_LATIN_WORD = regex.compile(r"(?<![A-Za-z0-9&])[A-Za-z][A-Za-z'’-]*[A-Za-z](?![A-Za-z0-9&])")
_HAN = regex.compile(r"\p{Han}+")
_URL = regex.compile(r"(?:https?://|www\.)\S+|\S+@\S+|(?<![\w.])[\w-]+(?:\.[\w-]+)*\.(?:com|cn|org|net|gov|io)\b")
# An acronym written right before a capitalised word is part of a longer name ("UN Security Council", "CPC National
# Congress"), which a translation renders as a whole (安理会, 十九大).
_NAME_GOES_ON = regex.compile(r"[ -](?:[A-Z][a-z]|[A-Z]{2})")
# Currency codes and Roman numerals are not names: figures.py compares amounts, and "Phase II" is 二期.
_NOT_NAMES = {"RMB", "USD", "CNY", "HKD", "GBP", "EUR", "JPY", "KRW", "RUB", "INR", "AUD", "CAD", "CHF", "SGD",
              "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII"}
NAMES = Path(__file__).with_name("names.yaml")

Check = Callable[[str, str, str, str, "TermDetector | None"], dict[str, list[str]]]


@lru_cache(maxsize=1)
def _renderings() -> dict[str, list[str]]:
    """Latin names (US, CEO, WTO) with their usual Chinese renderings, from names.yaml beside this module."""
    return {name: list(forms) for name, forms in read_yaml(NAMES, "names file").items()}


def _spans(detector: TermDetector | None, text: str, lang: str, context: bool = True) -> list[tuple[int, int, int]]:
    return detector.find(text, lang, context) if detector is not None else []


def _inside(spans: list[tuple[int, int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e, _ in spans)


def figures(source: str, output: str, source_lang: str, target_lang: str, detector) -> dict[str, list[str]]:
    """Every figure of the source is in the translation and none is added, unit-aware (pipeline/figures.py)."""
    found = compare(source, output)
    return {"numbers_missing": found.missing, "numbers_added": found.added}


def _blank_urls(text: str) -> str:
    return _URL.sub(lambda m: " " * len(m.group()), text)


def _word(match: regex.Match) -> str:
    return regex.sub(r"['’]s$", "", match.group())


def untranslated(source: str, output: str, source_lang: str, target_lang: str,
                 detector: TermDetector | None = None) -> dict[str, list[str]]:
    """Words of the other script left in a translation, in order of first appearance: Han characters in English
    output; in Chinese output Latin words other than acronyms and tickers (all capitals: CPI, ECB, S&P, H100),
    names kept in their own casing (a capitalised word the source writes the same way: Tesla, iPhone) and Latin
    glossary forms (web addresses are left out). A word of a source glossary phrase whose Chinese form is not Latin
    ("STAR Market", 科创板) is no name: it should have been translated."""
    if target_lang == "en":
        return {"untranslated_words": list(dict.fromkeys(_HAN.findall(output)))}
    terms = [(s, e, idx) for s, e, idx in _spans(detector, source, source_lang)
             if not regex.search(r"[A-Za-z]", detector.terms[idx].zh)]
    source, output = _blank_urls(source), _blank_urls(output)  # same length: the term spans still hold
    phrases = [(s, e) for s, e, _ in terms if " " in source[s:e]]  # "STAR Market": to translate, acronym or not
    words = [(_word(m), any(s <= m.start() and m.end() <= e for s, e in phrases)) for m in _LATIN_WORD.finditer(source)]
    kept = {w for w, in_phrase in words if not in_phrase}
    of_phrases = {w for w, in_phrase in words if in_phrase} - kept
    latin_forms = _spans(detector, output, target_lang, context=False)
    found = []
    for m in _LATIN_WORD.finditer(output):
        word = _word(m)
        if word in of_phrases or (not word.isupper() and not (word != word.lower() and word in kept)
                                  and not _inside(latin_forms, m.start(), m.end())):
            found.append(word)
    return {"untranslated_words": list(dict.fromkeys(found))}


def terms(source: str, output: str, source_lang: str, target_lang: str, detector) -> dict[str, list[str]]:
    """Glossary terms of the source written in their glossary form in the translation."""
    if detector is None:
        return {}
    return {"term_not_rendered": detector.missing_renderings(source, source_lang, output, target_lang)}


def _entity(term) -> bool:
    """An entry that names an organisation (the glossary's regulators, central banks and ministries)."""
    return term.category == "regulators"


def entities(source: str, output: str, source_lang: str, target_lang: str,
             detector: TermDetector | None) -> dict[str, list[str]]:
    """Names of the source have a counterpart in the translation, and the translation names no organisation the
    source does not. Counterparts: a Latin name kept as written (CISA, NHS, iPhone; from Chinese every Latin
    word), a usual rendering (names.yaml: US -> 美国), or a glossary term's form (checked by `terms`).
    Organisations: the glossary's regulators, found in either language."""
    source, output = unicodedata.normalize("NFKC", source), unicodedata.normalize("NFKC", output)  # ＰＥＣＣ: PECC
    source_terms = _spans(detector, source, source_lang, context=False)
    # from English: the names a translation into Chinese keeps as written (acronyms.ACRONYM: CISA, NHS, iPhone)
    pattern = _LATIN_WORD if source_lang == "zh" else ACRONYM
    unmatched, defined = [], set(definitions(source)) if source_lang == "en" else set()
    for m in pattern.finditer(source):
        name = m.group()
        if name in _NOT_NAMES or name in defined or _inside(source_terms, m.start(), m.end()):
            continue
        if source_lang == "en" and _NAME_GOES_ON.match(source, m.end()):
            continue
        forms = [name, *_renderings().get(name, [])]
        if not any(regex.search(rf"(?<![\p{{Latin}}]){regex.escape(f)}(?![\p{{Latin}}])", output, regex.IGNORECASE)
                   for f in forms):
            unmatched.append(name)
    named = {idx for _, _, idx in source_terms}
    added = [output[s:e] for s, e, idx in _spans(detector, output, target_lang, context=False)
             if idx not in named and _entity(detector.terms[idx])]
    return {"entity_unmatched": list(dict.fromkeys(unmatched)), "entity_added": list(dict.fromkeys(added))}


# check name (translate.checks) -> check; the codes each one raises are in pipeline/errors.py WARNINGS.
CHECKS: dict[str, Check] = {"figures": figures, "untranslated": untranslated, "terms": terms, "entities": entities}


def failures(source: str, output: str, source_lang: str, target_lang: str, detector: TermDetector | None,
             names: list[str] | tuple[str, ...] = tuple(CHECKS)) -> dict[str, list[str]]:
    """{warning code: failing spans} of the named checks, failing codes only, in catalogue order."""
    out: dict[str, list[str]] = {}
    for name in names:
        for code, spans in CHECKS[name](source, output, source_lang, target_lang, detector).items():
            if spans:
                out[code] = spans
    return out
