"""What a language profile is: everything the stages need to know about one language, so that no stage
compares language codes. `pipeline/lang/en.py` and `zh.py` are the profiles; README shows how to add one."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import regex

# Runs of whitespace, for budget units counted in characters.
_SPACE = regex.compile(r"\s")
# Word tokens for n-gram statistics and ROUGE: each Han character on its own, a run of other letters and digits
# whole ("M2", "3", "aapl"); a number right before Han ("1月") stays apart from the characters that follow.
# Invisible characters (the body of a character class): zero-width spaces and joiners, the BOM, and bidirectional
# marks and overrides. The cleaner removes them; the segmenter lets them stand between a full stop and a space.
INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
TOKEN = regex.compile(r"\p{Han}|[^\W\p{Han}_]+")


def word_tokens(text: str) -> list[str]:
    """TOKEN's tokens, lower-cased; punctuation dropped."""
    return [t.lower() for t in TOKEN.findall(text)]


def plain_number(value: float) -> str:
    """A number without trailing zeros: 1.2, 30, 0.05."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def scaled_number(value: float, scales: tuple[tuple[float, str], ...]) -> str:
    """`value` in the largest of `scales` (largest first) it reaches, with that scale's word: 1.2e12 with
    ((1e12, " trillion"), ...) -> "1.2 trillion"; below every scale, the plain number."""
    for scale, word in scales:
        if value >= scale:
            return f"{plain_number(value / scale)}{word}"
    return plain_number(value)


@dataclass(frozen=True)
class LanguageProfile:
    code: str                      # ISO 639-1; also the suffix of the output field (summary_<code>)
    name: str
    joiner: str                    # between sentences, and between translated pieces
    word_spaces: bool              # words are separated by spaces (else terms need a word segmenter)
    budget_unit: str               # "words" or "characters": the unit of summary budgets and lengths
    heading_max: int               # a line this short (in budget units) without end punctuation is a heading
    stopwords: frozenset[str]
    cleaning: frozenset[str]       # the language-specific cleaning rules that apply (names in pipeline/clean.py)
    split_line: Callable[[str, int], Iterable[tuple[int, int]]]   # sentence spans of one line
    content_words: Callable[[str], list[str]]     # normalised content words, for sentence similarity
    tokens: Callable[[str], list[str]]            # word tokens, for n-gram statistics and compression
    rouge_tokenizers: dict[str, object | None]    # ROUGE level -> rouge-score tokenizer (None: its own, stemmed)
    duplicate_key: Callable[[str], tuple[str, int]]  # a sentence's comparison key and its size in words
    render_amount: Callable[[float, str | None], str]  # an amount (and ISO currency) written in this language
    basis_points: str              # "{} basis points"
    percentage_points: str         # "{} percentage points"

    def join(self, sentences: Iterable[str]) -> str:
        return self.joiner.join(sentences)

    def length(self, text: str) -> int:
        """Size in budget units: words, or characters without spaces."""
        return len(text.split()) if self.budget_unit == "words" else len(_SPACE.sub("", text))

    def is_heading(self, text: str) -> bool:
        """A short line without end punctuation: a headline or section heading, not summary material."""
        if text[-1:] in ".!?。！？；;…\"”’)）":
            return False
        return self.length(text) <= self.heading_max if self.budget_unit == "words" else len(text) <= self.heading_max

    def term_form(self, term) -> str:
        """A glossary term's canonical form in this language (the term base has one field per language)."""
        return getattr(term, self.code)
