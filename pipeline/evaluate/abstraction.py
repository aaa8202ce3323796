"""Length and abstraction: compression ratio and the share of summary n-grams absent from the source."""
from __future__ import annotations

from ..lang import profile

NGRAMS = (1, 2, 3)


def tokens(text: str, lang: str) -> list[str]:
    """The language profile's word tokens (English words, jieba words), punctuation dropped."""
    return profile(lang).tokens(text)


def _grams(words: list[str], n: int) -> list[tuple[str, ...]]:
    return list(zip(*(words[i:] for i in range(n))))


def abstraction(summary: str, source: str, lang: str) -> dict[str, float]:
    """compression (source tokens per summary token) and novel_Ngram (% of summary n-grams not in source)."""
    summ, src = tokens(summary, lang), tokens(source, lang)
    out = {"compression": len(src) / len(summ) if summ else float("nan"), "summary_tokens": float(len(summ))}
    for n in NGRAMS:
        grams = _grams(summ, n)
        seen = set(_grams(src, n))
        out[f"novel_{n}gram"] = 100.0 * sum(g not in seen for g in grams) / len(grams) if grams else float("nan")
    return out
