"""ROUGE with google rouge-score, at the levels of the language profile: English with rouge-score's own
tokenizer and the stemmer; Chinese at character and jieba word level, both labelled (rouge-score's default
tokenizer deletes Chinese). One sentence per line for rougeLsum."""
from __future__ import annotations

import numpy as np

from ..lang import profile
from ..segment import split_sentences

METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def scorers(lang: str) -> dict[str, object]:
    """One scorer per tokenisation level of the language ('en'; or 'char' and 'word' for Chinese). rouge-score
    is imported here: it imports nltk, which imports scikit-learn and pandas when they are installed, and a
    summarizing process needs none of them."""
    from rouge_score import rouge_scorer

    return {level: rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True) if tokenizer is None
            else rouge_scorer.RougeScorer(list(METRICS), tokenizer=tokenizer)
            for level, tokenizer in profile(lang).rouge_tokenizers.items()}


def lines_for_lsum(text: str, lang: str) -> str:
    """One sentence per line, as rougeLsum expects (Chinese splits on 。！？ too)."""
    return "\n".join(s.text for s in split_sentences(text, lang))


def metric_name(level: str, metric: str, stat: str, levels: int = 1) -> str:
    """'rouge1_f' for a language scored at one level, 'rouge1_f (char)' when there are several."""
    return f"{metric}_{stat}" if levels == 1 else f"{metric}_{stat} ({level})"


def rouge_columns(preds: list[str], refs: list[str], lang: str) -> dict[str, np.ndarray]:
    """Per-pair precision, recall and F1 (x100) of every ROUGE metric at every level."""
    out: dict[str, list[float]] = {}
    levels = scorers(lang)
    for level, scorer in levels.items():
        for pred, ref in zip(preds, refs):
            scores = scorer.score(lines_for_lsum(ref, lang), lines_for_lsum(pred, lang))
            for m in METRICS:
                for stat, value in zip("prf", scores[m]):
                    out.setdefault(metric_name(level, m, stat, len(levels)), []).append(100.0 * value)
    return {k: np.array(v) for k, v in out.items()}
