"""Context checks on candidate term matches: qualifiers before institution words, and evidence of the
financial sense for ambiguous forms. The cue words live in `cues.yaml` beside this file.

- A *generic* form names a kind of institution (央行, "central bank", 财政部, "finance ministry"). Right after
  a place or another institution's name (韩国央行, "Korea's central bank", "the Swiss central bank") it means
  that one: the match is dropped unless the qualifier is China itself. A qualified name that is in the term
  base (韩国央行 -> Bank of Korea) is longer and has already won the span.
- An *ambiguous* form has an everyday sense: acronyms (PE, GP, LSE) and marked everyday words ("derivative",
  "unicorn", 熔断, 回购). It counts only with evidence: the same entry written in an unambiguous form anywhere
  in the article, one of the entry's own cue words in the sentence, or a sentence score of at least 2 (4 for
  an entry that lists its own cue words: its everyday sense is common). Another unambiguous term or a strong
  cue word scores 2; a weak cue word, a number with a unit (%, 亿, billion, yuan) or an acronym's exact
  capitals score 1.
- A form of several entries (回购: repo or share buyback) takes the entry with its own evidence (first two
  kinds above); without it the form is dropped rather than guessed."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import regex
import yaml

from ..schema import Lang

CUES = Path(__file__).with_name("cues.yaml")
EVIDENCE = 2  # the sentence score an ambiguous form needs
_SENTENCE = regex.compile(r"[^。！？!?；;\n]+?(?:[。！？!?；;\n]|\.(?=\s|$)|$)")
_ACRONYM = regex.compile(r"[A-Z][A-Z0-9&]*[A-Z0-9]s?")
_AMOUNT = regex.compile(
    r"(?:[$¥€£]\s?\d|\d(?:[\d,.]*\d)?\s?(?:%|％|个?百分点|[万亿]|bn\b|billion|trillion|million|yuan|basis points|bps))",
    regex.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    idx: int          # term index
    variant: bool     # a discouraged rendering of the term
    ambiguous: bool
    generic: bool
    senses: tuple[int, ...] = ()  # other entries with the same form: the one with evidence is taken


@dataclass(frozen=True)
class _Lexicon:
    strong: regex.Pattern
    weak: regex.Pattern
    places: regex.Pattern      # a place or institution right before a generic form (ends at the form)
    home: frozenset[str]       # qualifiers that keep the form: the home country


def _words(items: list[str], spaced: bool) -> str:
    body = "|".join(regex.escape(w) for w in sorted(items, key=len, reverse=True))
    return rf"(?<![\p{{L}}\p{{N}}])(?i:{body})(?![\p{{L}}\p{{N}}])" if spaced else f"(?:{body})"


@lru_cache(maxsize=None)
def lexicon(lang: Lang, spaced: bool) -> _Lexicon:
    data = yaml.safe_load(CUES.read_text(encoding="utf-8"))[lang]
    home = data["home"]
    places = data["places"] + home
    if spaced:  # "Korea's", "the Korean", "U.S."
        names = "|".join(regex.escape(p) for p in sorted(places, key=len, reverse=True))
        before = rf"(?<![\p{{L}}])(?:{names})(?:['’]s)?\s+$"
    else:
        before = f"(?:{'|'.join(regex.escape(p) for p in sorted(places, key=len, reverse=True))})$"
    return _Lexicon(regex.compile(_words(data["strong"], spaced)), regex.compile(_words(data["weak"], spaced)),
                    regex.compile(before), frozenset(h.lower() for h in home))


def _qualifier(text: str, cand: Candidate, lex: _Lexicon, spaced: bool) -> str | None:
    """The place or institution written right before a generic form (or "of X" after an English one)."""
    window = text[max(0, cand.start - 40):cand.start]
    hit = lex.places.search(window)
    if hit is not None:
        return regex.sub(r"['’]s$", "", hit.group().strip()).lower()
    if spaced:
        after = regex.match(r"\s+of\s+(?:the\s+)?(\p{Lu}[\p{L}.]*)", text[cand.end:cand.end + 40])
        if after is not None:
            return after.group(1).lower()
    return None


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.end() > m.start()]


def _hits(pattern: regex.Pattern, text: str, start: int, end: int, skip: list[tuple[int, int]]) -> int:
    """Matches of `pattern` in text[start:end] that do not overlap a span of `skip`."""
    return sum(1 for m in pattern.finditer(text, start, end)
               if not any(m.start() < e and s < m.end() for s, e in skip))


def in_context(text: str, lang: Lang, spaced: bool, found: list[Candidate],
               entry_cues: dict[int, regex.Pattern]) -> list[Candidate]:
    """The candidates that survive the qualifier and evidence checks (see the module docstring)."""
    lex = lexicon(lang, spaced)
    kept = []
    for cand in found:
        if cand.generic:
            qualifier = _qualifier(text, cand, lex, spaced)
            if qualifier is not None and qualifier not in lex.home:
                continue
        kept.append(cand)
    if not any(c.ambiguous for c in kept):
        return kept
    plain = {c.idx for c in kept if not c.ambiguous}
    spans = _sentence_spans(text)
    starts = [s for s, _ in spans]
    out = []
    for cand in kept:
        if not cand.ambiguous:
            out.append(cand)
            continue
        s, e = spans[max(bisect.bisect_right(starts, cand.start) - 1, 0)]
        own = [(cand.start, cand.end)]
        senses = (cand.idx, *cand.senses)
        # The entry's own evidence: its unambiguous form in the article, or one of its cue words here.
        chosen = [i for i in senses if i in plain or (i in entry_cues and _hits(entry_cues[i], text, s, e, own))]
        if chosen:
            out.append(replace(cand, idx=chosen[0], senses=()))
            continue
        if cand.senses:  # several entries and nothing to choose between them
            continue
        others = [c for c in kept if c is not cand and s <= c.start < e]
        score = sum(2 for c in others if not c.ambiguous)  # ambiguous neighbours prove nothing
        taken = own + [(c.start, c.end) for c in others]
        score += 2 * _hits(lex.strong, text, s, e, taken) + _hits(lex.weak, text, s, e, taken)
        score += _hits(_AMOUNT, text, s, e, taken)
        if _ACRONYM.fullmatch(text, cand.start, cand.end):  # written in capitals: the exact case is evidence
            score += 1
        if score >= (2 * EVIDENCE if cand.idx in entry_cues else EVIDENCE):
            out.append(cand)
    return out
