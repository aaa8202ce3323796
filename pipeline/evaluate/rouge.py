"""ROUGE with google rouge-score. English: the stemmer on, one sentence per line for rougeLsum. Chinese:
character level and jieba word level, both labelled (rouge-score's default tokenizer deletes Chinese)."""
from __future__ import annotations

import numpy as np
import regex
from rouge_score import rouge_scorer

from ..segment import split_sentences
from ..textstats import jieba

METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")
_KEEP = regex.compile(r"[\p{Han}]|[\p{L}\p{N}]+")


class CharTokenizer:
    """Chinese characters one by one, Latin words and numbers whole, punctuation dropped."""

    def tokenize(self, text: str) -> list[str]:
        return [t.lower() for t in _KEEP.findall(text)]


class JiebaTokenizer:
    """jieba words, punctuation dropped."""

    def tokenize(self, text: str) -> list[str]:
        return [w.lower() for w in jieba.lcut(text) if _KEEP.search(w)]


def scorers(lang: str) -> dict[str, rouge_scorer.RougeScorer]:
    """One scorer per tokenisation level: 'en', or 'char' and 'word' for Chinese."""
    if lang == "en":
        return {"en": rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)}
    return {"char": rouge_scorer.RougeScorer(list(METRICS), tokenizer=CharTokenizer()),
            "word": rouge_scorer.RougeScorer(list(METRICS), tokenizer=JiebaTokenizer())}


def lines_for_lsum(text: str, lang: str) -> str:
    """One sentence per line, as rougeLsum expects (Chinese splits on 。！？ too)."""
    return "\n".join(s.text for s in split_sentences(text, lang))


def metric_name(level: str, metric: str, stat: str) -> str:
    return f"{metric}_{stat}" if level == "en" else f"{metric}_{stat} ({level})"


def rouge_columns(preds: list[str], refs: list[str], lang: str) -> dict[str, np.ndarray]:
    """Per-pair precision, recall and F1 (x100) of every ROUGE metric at every level."""
    out: dict[str, list[float]] = {}
    for level, scorer in scorers(lang).items():
        for pred, ref in zip(preds, refs):
            scores = scorer.score(lines_for_lsum(ref, lang), lines_for_lsum(pred, lang))
            for m in METRICS:
                for stat, value in zip("prf", scores[m]):
                    out.setdefault(metric_name(level, m, stat), []).append(100.0 * value)
    return {k: np.array(v) for k, v in out.items()}
