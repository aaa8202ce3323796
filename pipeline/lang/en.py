"""English: sentence segmentation (abbreviations, decimals, glued sentences, quotes), stemmed content words,
words as tokens, amounts written with million/billion/trillion."""
from __future__ import annotations

from functools import lru_cache

import regex

from .base import INVISIBLE, LanguageProfile, scaled_number, word_tokens

# Tokens that end in a period without ending a sentence (compared case-insensitively, without the dot).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt rep sen gov pres rev hon
    inc ltd co corp plc llc lp pte pty bhd bros dept est approx assn govt intl natl univ
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    vs etc al e.g i.e cf viz no nos vol fig op ed pp a.m p.m u.s u.k u.n e.u u.s.a
    bn mn tn m b k""".split()
)
# After these abbreviations a capitalised word usually continues the sentence ("Mr. Smith", "No. 3").
_TITLES = frozenset("mr mrs ms dr prof sr jr st gen col lt sgt capt rep sen gov pres rev hon no nos vol fig".split())
# Words that commonly start a sentence: after "U.S." or "Inc." they signal a boundary.
_STARTERS = frozenset(
    """the a an it its he she they we i this that these those there but and however in on at for
    meanwhile analysts shares its his her their our according as while after before when if""".split()
)

# End punctuation, optional closing quotes/brackets (and invisible characters), then whitespace and an opener, or a
# glued capital.
# ... or a lower-case fragment of at most three words that ends right away ("rose. ta. But"), which is
# machine-translation residue the cleaner must see as a sentence of its own.
_EN_BOUNDARY = regex.compile(
    rf"""(?P<end>[.!?]+|\.{{3}}|…)(?P<close>["'”’)\]{INVISIBLE}]*)(?:(?P<space>\s+)(?=["'“‘(\[]?[\p{{Lu}}\d$£€¥]"""
    r"""|\p{Ll}[\p{L}']*(?:\s+[\p{L}']+){0,2}[.!?](?:\s|$))|(?=[\p{Lu}](?:\p{Ll}|\s|\p{Lu}+\s)))"""
)
_WORD = regex.compile(r"[\p{L}\p{N}]+(?:[.,'’][\p{L}\p{N}]+)*")
_DUPLICATE_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as into about over after before than then so
    is are was were be been being has have had do does did will would can could should may might must shall
    it its this that these those there their they them he his she her we our you your i me my not no
    said says also which who whom whose what when where while more most such other some any all each""".split()
)
_CURRENCY = {"USD": ("$", ""), "HKD": ("HK$", ""), "EUR": ("€", ""), "GBP": ("£", ""), "CNY": ("", " yuan"),
             "JPY": ("", " yen")}


_NEXT_WORD = regex.compile(r"[\"'“‘(\[]*([\p{L}\d]+)")


def split_line(line: str, offset: int):
    """Sentence spans of one line (offsets shifted by `offset`)."""
    start = 0
    for match in _EN_BOUNDARY.finditer(line):
        if not _is_boundary(line, match):
            continue
        cut = match.end("close")
        if match.group("close")[:1] == '"' and line.count('"', start, match.start()) % 2 == 0:
            cut = match.start("close")  # quotes are balanced before it: the '"' opens the next sentence
        yield offset + start, offset + cut
        start = cut
    yield offset + start, offset + len(line)


def _previous_token(line: str, pos: int) -> str:
    """The token just before position `pos` (the end punctuation), without trailing dots."""
    i = pos
    while i > 0 and not line[i - 1].isspace() and line[i - 1] not in "\"'“‘([":
        i -= 1
    return line[i:pos]


def _is_boundary(line: str, match: regex.Match) -> bool:
    end_punct = match.group("end")
    if end_punct != ".":
        return True
    token = _previous_token(line, match.start("end"))
    if not token:
        return True
    next_word = _NEXT_WORD.match(line, match.end())  # at the position: no copy of the rest of a long line
    next_word = next_word.group(1) if next_word else ""
    capitalised = next_word[:1].isupper()
    next_word = next_word.lower()
    starts = capitalised and next_word in _STARTERS  # "U.S. The ...": a capitalised common sentence opener
    glued = match.group("space") is None
    if glued:
        # "bn.For", "2004.The", "Mohd-Saaid.In", "$40m.He": the last piece before the dot ends in a lower-case
        # letter, digit, % or ")" and is longer than one letter (not "U.S.A" or "e.g.The").
        last = token.rsplit(".", 1)[-1]
        if regex.fullmatch(r"\p{Lu}{2,5}", last):  # "in the US.At his ..."
            return starts
        return (bool(regex.search(r"[\p{Ll}\d%)]$", last)) and (len(last) > 1 or last.isdigit())
                and last.lower() not in ABBREVIATIONS)
    key = token.lower()
    if key in ("no", "nos"):  # "No. 3" continues; "said no. Then" ends
        return not next_word[:1].isdigit()
    if key in ABBREVIATIONS or (len(token) == 1 and token.isupper()):
        if key in _TITLES or len(token) == 1:
            return False
        # "U.S. The ...", "Inc. It ..." end a sentence; "U.S. Treasury" and "e.g. in" do not.
        return starts
    if regex.fullmatch(r"(?:\p{L}\.)+\p{L}", token):  # initialisms with inner dots, e.g. "U.S" before the dot
        return starts
    return True


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    """A light English stemmer: enough to match plurals and verb forms for sentence similarity."""
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)] + keep
    return word


def content_words(text: str) -> list[str]:
    """Lower-cased, stemmed words without stop words."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def duplicate_key(text: str) -> tuple[str, int]:
    words = _DUPLICATE_WORD.findall(text.lower())
    return " ".join(words), len(words)


def render_amount(value: float, currency: str | None) -> str:
    head, tail = _CURRENCY.get(currency, ("", ""))
    return f"{head}{scaled_number(value, ((1e12, ' trillion'), (1e9, ' billion'), (1e6, ' million')))}{tail}"


ENGLISH = LanguageProfile(
    code="en", name="English", joiner=" ", word_spaces=True, budget_unit="words", heading_max=15,
    stopwords=STOPWORDS,
    cleaning=frozenset({"missing_space", "stray_script", "truncation", "fragment.en", "duplicate.word"}),
    split_line=split_line, content_words=content_words, tokens=word_tokens, rouge_tokenizers={"en": None},
    duplicate_key=duplicate_key, render_amount=render_amount, basis_points="{} basis points",
    percentage_points="{} percentage points",
)
