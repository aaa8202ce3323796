"""Word tokenisation shared by the summarizer and the evaluators: English words, Chinese jieba words."""
from __future__ import annotations

import logging
import warnings
from functools import lru_cache

import regex

with warnings.catch_warnings():  # jieba imports the deprecated pkg_resources
    warnings.simplefilter("ignore")
    import jieba

from .schema import Lang

jieba.setLogLevel(logging.WARNING)

_EN_WORD = regex.compile(r"[\p{L}\p{N}]+(?:[.,'’][\p{L}\p{N}]+)*")
_ZH_KEEP = regex.compile(r"[\p{Han}\p{L}\p{N}]")

EN_STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as into about over after before than then so
    is are was were be been being has have had do does did will would can could should may might must shall
    it its this that these those there their they them he his she her we our you your i me my not no
    said says also which who whom whose what when where while more most such other some any all each""".split()
)
ZH_STOPWORDS = frozenset("的 了 是 在 和 与 及 等 也 都 而 并 对 将 其 这 那 为 以 于 上 中 下 个 有 就 被 把 从 到 向 由 或 该".split())


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    """A light English stemmer: enough to match plurals and verb forms for sentence similarity."""
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)] + keep
    return word


def content_words(text: str, lang: Lang) -> list[str]:
    """Lower-cased, stemmed content words (en) or jieba words without punctuation and stopwords (zh)."""
    if lang == "zh":
        return [w for w in jieba.lcut(text, HMM=False) if _ZH_KEEP.search(w) and w not in ZH_STOPWORDS]
    return [_stem(w) for w in (m.lower() for m in _EN_WORD.findall(text)) if w not in EN_STOPWORDS]


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters and phrases converted to Simplified (OpenCC t2s)."""
    return _t2s().convert(text)
