"""Chinese (Simplified): sentence segmentation on 。！？；, ellipses and the ends of English sentences in the
text, jieba words, amounts written with 万/亿/万亿."""
from __future__ import annotations

import logging
from functools import lru_cache
import warnings

import regex

from .base import TOKEN, LanguageProfile, scaled_number, word_tokens
from .en import ABBREVIATIONS

with warnings.catch_warnings():  # jieba imports the deprecated pkg_resources
    warnings.simplefilter("ignore")
    import jieba

jieba.setLogLevel(logging.WARNING)

_ZH_BOUNDARY = regex.compile(r"(?:[。！？!?；;]+|…{1,2}|\.{3,6})[”’」』）)\"']*")
_LATIN_END = regex.compile(r"(?P<word>(?<![A-Za-z])[A-Za-z][A-Za-z.]*|[\d%)]+)(?P<end>[.!?])(?P<close>[\"'”’)]*)"
                           r"(?=\s+[\"'“‘(]?[\p{Lu}\p{Han}])")
_INITIALS = regex.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?|[A-Z]")
_SENTENCE_END = frozenset("。！？!?；;…")
_KEEP = regex.compile(r"[\p{Han}\p{L}\p{N}]")
_SPACE = regex.compile(r"\s+")
STOPWORDS = frozenset("的 了 是 在 和 与 及 等 也 都 而 并 对 将 其 这 那 为 以 于 上 中 下 个 有 就 被 把 从 到 向 由 或 该".split())
_CURRENCY = {"CNY": "元", "USD": "美元", "HKD": "港元", "EUR": "欧元", "GBP": "英镑", "JPY": "日元"}


def split_line(line: str, offset: int):
    """Sentence spans of one line (offsets shifted by `offset`): at Chinese sentence ends, and at the ends of
    English sentences quoted or left in the text ("The Fed held rates. 市场反应平淡。")."""
    cuts = sorted({m.end() for m in _ZH_BOUNDARY.finditer(line)} | set(_latin_ends(line)))
    start = 0
    for cut in cuts:
        if cut > start:
            yield offset + start, offset + cut
            start = cut
    yield offset + start, offset + len(line)


def _latin_ends(line: str):
    """Where an English sentence inside Chinese text ends: a full stop, ! or ? after a Latin word, a number or %,
    then a space and a capital letter or a Han character; not after an abbreviation ("Apple Inc. 股价", "Mr. Li")
    nor after a list number ("1. 贷款增长。")."""
    for match in _LATIN_END.finditer(line):
        word = match.group("word")
        if match.group("end") == "." and (word.lower() in ABBREVIATIONS or _INITIALS.fullmatch(word)
                                          or (word.isdigit() and _opens_sentence(line, match.start()))):
            continue
        yield match.end("close")


def _opens_sentence(line: str, pos: int) -> bool:
    """Whether only spaces stand between `pos` and the line start or the previous sentence end."""
    while pos > 0 and line[pos - 1].isspace():
        pos -= 1
    return pos == 0 or line[pos - 1] in _SENTENCE_END


def content_words(text: str) -> list[str]:
    """jieba words without punctuation and stop words. They come from jieba-rs (rjieba), which cuts exactly as
    jieba does with its default dictionary and the HMM off (checked on every sentence of the shared sets and in
    the tests) in a fifteenth of the time: the summarizer cuts every sentence of every article."""
    keep = _KEEP.search
    # A token that starts with a letter or digit has one (str.isalnum, the cheap test, implies _KEEP).
    return [w for w in jieba_rs().cut(text, hmm=False) if (w[:1].isalnum() or keep(w)) and w not in STOPWORDS]


@lru_cache(maxsize=1)
def jieba_rs():
    """The rjieba module, imported on first use: the import loads its dictionary (~0.1 s), which commands without
    Chinese text skip."""
    import rjieba

    return rjieba


class CharTokenizer:
    """For rouge-score: Chinese characters one by one, Latin words and numbers whole, punctuation dropped."""

    def tokenize(self, text: str) -> list[str]:
        return word_tokens(text)


class JiebaTokenizer:
    """For rouge-score: jieba words, punctuation dropped."""

    def tokenize(self, text: str) -> list[str]:
        return [w.lower() for w in jieba.lcut(text) if TOKEN.search(w)]


def duplicate_key(text: str) -> tuple[str, int]:
    key = _SPACE.sub("", text)
    return key, len(key) // 2  # about two characters a word


def render_amount(value: float, currency: str | None) -> str:
    return f"{scaled_number(value, ((1e12, '万亿'), (1e8, '亿'), (1e4, '万')))}{_CURRENCY.get(currency, '')}"


CHINESE = LanguageProfile(
    code="zh", name="Chinese", joiner="", word_spaces=False, budget_unit="characters", heading_max=30,
    stopwords=STOPWORDS,
    cleaning=frozenset({"traditional", "cjk_gap", "punctuation.cjk", "fragment.zh", "truncation", "duplicate.particle"}),
    split_line=split_line, content_words=content_words, tokens=JiebaTokenizer().tokenize,
    rouge_tokenizers={"char": CharTokenizer(), "word": JiebaTokenizer()},
    duplicate_key=duplicate_key, render_amount=render_amount, basis_points="{}个基点",
    percentage_points="{}个百分点",
)


def to_simplified(text: str) -> str:
    """Traditional Chinese characters and phrases converted to Simplified (OpenCC t2s)."""
    return _t2s().convert(text)


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")
