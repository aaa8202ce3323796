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
- A *strict* form is ambiguous with an everyday sense common even in finance text ("investors lost trust",
  "shares were fine", 操作指引): a sentence full of finance proves nothing, so it counts only with the entry's
  own evidence, and its cue word must be close by (a collocation: within CUE_WORDS words and the same clause
  in English, the same clause in Chinese).
- An ambiguous form inside a set phrase of its everyday sense (`everyday` in cues.yaml: "at stake", "by a wide
  margin", "gave credit", 人口流动性) is dropped whatever the evidence; so is one with a word of its entry's
  `against` list right beside it (AGAINST_WORDS words or AGAINST_CHARS characters, same clause: "copper deposit",
  "police custody", "the national team won", 游戏开发商).
- A form of several entries (回购: repo or share buyback) takes the entry with its own evidence (first two
  kinds above); without it the form is dropped rather than guessed."""
from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import regex
import yaml

from ..lang import profile
from ..schema import Lang
from . import domain
from .terms import is_acronym

CUES = Path(__file__).with_name("cues.yaml")
EVIDENCE = 2  # the sentence score an ambiguous form needs
# The domain model (domain.py) lowers that need: where the mean of the article's and the sentence's P(finance) is
# FINANCE or above, a non-strict ambiguous form needs no score (its entry's `against` words still drop it). Raising
# the need below 0.1 was tried: BBC general news had 234 hits instead of 256 (not judged one by one), and two right
# hits of the check set were lost ("inventory layer liquidations", "economic stimulus"): not kept.
FINANCE = 0.7
CUE_WORDS = 6  # a strict English form's cue word counts within this many words of it
AGAINST_WORDS, AGAINST_CHARS = 3, 8  # an entry's words of the everyday sense count this close to the form
_CLAUSE_END = regex.compile(r"[，,；;：:、]")
# English: a cue word does not count across a semicolon, a colon or a comma that starts a new clause.
_EN_CLAUSE = regex.compile(r"[;:]|,\s+(?:and|but|while|whereas|although|though|yet|or)\b", regex.IGNORECASE)
_WORD = regex.compile(r"[\p{L}\p{N}]+")
_SENTENCE = regex.compile(r"[^。！？!?；;\n]+?(?:[。！？!?；;\n]|\.(?=\s|$)|$)")
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
    strict: bool = False  # only the entry's own evidence counts, and a cue word must be close by
    senses: tuple[int, ...] = ()  # other entries with the same form: the one with evidence is taken


@dataclass(frozen=True)
class _Lexicon:
    strong: regex.Pattern
    weak: regex.Pattern
    places: regex.Pattern      # a place or institution right before a generic form (ends at the form)
    home: frozenset[str]       # qualifiers that keep the form: the home country
    everyday: regex.Pattern    # set phrases where an ambiguous form has its everyday sense


def word_pattern(words: list[str], spaced: bool) -> regex.Pattern:
    """Any of `words`, longest first: whole words and any case where words are spaced, else plain text."""
    body = "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?i:{body})(?![\p{{L}}\p{{N}}])" if spaced else f"(?:{body})")


@lru_cache(maxsize=None)
def lexicon(lang: Lang) -> _Lexicon:
    spaced = profile(lang).word_spaces
    data = yaml.safe_load(CUES.read_text(encoding="utf-8"))[lang]
    home = data["home"]
    places = data["places"] + home
    if spaced:  # "Korea's", "the Korean", "U.S."
        names = "|".join(regex.escape(p) for p in sorted(places, key=len, reverse=True))
        before = rf"(?<![\p{{L}}])(?:{names})(?:['’]s)?\s+$"
    else:
        before = f"(?:{'|'.join(regex.escape(p) for p in sorted(places, key=len, reverse=True))})$"
    return _Lexicon(word_pattern(data["strong"], spaced), word_pattern(data["weak"], spaced), regex.compile(before),
                    frozenset(h.lower() for h in home), word_pattern(data["everyday"], spaced))


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


def _near(text: str, cand: Candidate, start: int, end: int, spaced: bool, words: int = CUE_WORDS,
          chars: int | None = None) -> tuple[int, int]:
    """The part of the sentence text[start:end] around a form where a word shows its sense: `words` words either
    side within its clause in English; in Chinese its clause (between commas, semicolons, colons), or only `chars`
    characters either side of the form within it."""
    reach = 40 * words if spaced else 200  # characters looked at either side: the cost stays linear
    ends = _EN_CLAUSE if spaced else _CLAUSE_END
    start = max((m.end() for m in ends.finditer(text, max(start, cand.start - reach), cand.start)), default=start)
    stop = ends.search(text, cand.end, min(end, cand.end + reach))
    end = stop.start() if stop else min(end, cand.end + reach)
    if not spaced:
        return (start, end) if chars is None else (max(start, cand.start - chars), min(end, cand.end + chars))
    before = [m.start() for m in _WORD.finditer(text, max(start, cand.start - reach), cand.start)][-words:]
    after = [m.end() for m in itertools.islice(_WORD.finditer(text, cand.end, end), words)]
    return (before[0] if before else cand.start), (after[-1] if after else cand.end)


def _in_set_phrase(text: str, cand: Candidate, phrases: regex.Pattern) -> bool:
    """Whether a set phrase of the everyday sense covers the form (looked for around it only)."""
    return any(m.start() <= cand.start and cand.end <= m.end()
               for m in phrases.finditer(text, max(0, cand.start - 40), cand.end + 40))


def _sentence_score(text: str, start: int, end: int, inside: list[Candidate], lex: _Lexicon) -> int:
    """The general evidence of one sentence: its unambiguous terms and the cue words and amounts outside any
    candidate (ambiguous neighbours prove nothing)."""
    taken = [(c.start, c.end) for c in inside]
    return (2 * sum(1 for c in inside if not c.ambiguous) + 2 * _hits(lex.strong, text, start, end, taken)
            + _hits(lex.weak, text, start, end, taken) + _hits(_AMOUNT, text, start, end, taken))


def _shift(article: float, sentence: float) -> int:
    """How the domain moves the evidence an ambiguous form needs (FINANCE)."""
    return -2 * EVIDENCE if (article + sentence) / 2 >= FINANCE else 0


def in_context(text: str, lang: Lang, found: list[Candidate], entry_cues: dict[int, regex.Pattern],
               entry_against: dict[int, regex.Pattern], by_domain: bool = True) -> list[Candidate]:
    """The candidates (in text order) that survive the qualifier and evidence checks (see the module
    docstring); `by_domain` False leaves the domain model out (FINANCE). Each sentence is scored once, so the cost
    stays linear in the text."""
    spaced = profile(lang).word_spaces
    lex = lexicon(lang)
    kept = [c for c in found if not c.generic or _qualifier(text, c, lex, spaced) in (None, *lex.home)]
    if not any(c.ambiguous for c in kept):
        return kept
    plain = {c.idx for c in kept if not c.ambiguous}
    spans = _sentence_spans(text)
    starts = [s for s, _ in spans]
    judge = domain.model(lang) if by_domain else None
    article = judge.probability(text) if judge is not None else None
    by_sentence: dict[int, list[Candidate]] = {}
    for cand in kept:
        by_sentence.setdefault(max(bisect.bisect_right(starts, cand.start) - 1, 0), []).append(cand)
    out = []
    for k, inside in by_sentence.items():
        s, e = spans[k]
        score = None
        for cand in inside:
            if not cand.ambiguous:
                out.append(cand)
                continue
            if _in_set_phrase(text, cand, lex.everyday):
                continue
            own = [(cand.start, cand.end)]
            senses = (cand.idx, *cand.senses)
            if any(i in entry_against for i in senses):
                beside = _near(text, cand, s, e, spaced, AGAINST_WORDS, AGAINST_CHARS)
                senses = tuple(i for i in senses
                               if i not in entry_against or not _hits(entry_against[i], text, *beside, own))
            if len(senses) <= len(cand.senses):  # a word of the everyday sense beside it: not that entry here
                if not senses:
                    continue
                cand = replace(cand, idx=senses[0], senses=senses[1:])
            # The entry's own evidence: its unambiguous form in the article, or one of its cue words here.
            where = _near(text, cand, s, e, spaced) if cand.strict else (s, e)
            chosen = [i for i in senses if i in plain or (i in entry_cues and _hits(entry_cues[i], text, *where, own))]
            if chosen:
                out.append(replace(cand, idx=chosen[0], senses=()))
                continue
            if cand.senses or cand.strict:  # several entries and nothing to choose between them, or no own evidence
                continue
            if score is None:
                score = _sentence_score(text, s, e, inside, lex)
                shift = 0 if article is None else _shift(article, judge.probability(text[s:e]))
            bonus = 1 if is_acronym(text[cand.start:cand.end]) else 0  # the exact capitals are evidence
            need = (2 * EVIDENCE if cand.idx in entry_cues else EVIDENCE) + shift
            if score + bonus >= need:
                out.append(cand)
    return out
