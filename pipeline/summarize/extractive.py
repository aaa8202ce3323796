"""Extractive summarizer: graph centrality over TF-IDF sentence vectors, a position prior, title
similarity and MMR redundancy control, under a sentence / ratio / word / character budget."""
from __future__ import annotations

import math

import numpy as np
import regex

from ..config import SummarizeConfig
from ..schema import Lang, Sentence, Summary
from ..textstats import content_words

_NUMBER = regex.compile(r"\d")
BACKEND = "extractive"
MODEL = "bisum-textrank-mmr"


class ExtractiveSummarizer:
    """Selects whole sentences of the cleaned text and returns them in article order."""

    def __init__(self, config: SummarizeConfig):
        self.config = config

    def summarize(self, sentences: list[Sentence], lang: Lang, exclude: set[int] = frozenset(),
                  title: str | None = None) -> Summary:
        candidates = [s for s in sentences if s.index not in exclude and not _is_heading(s, lang)]
        if title is None:
            title = next((s.text for s in sentences[:1] if _is_heading(s, lang)), None)
        if not candidates:
            return Summary(lang=lang, text=None, backend=BACKEND, model=MODEL,
                           warning="no sentence left to summarize after cleaning")
        scores, sims = self._score(candidates, lang, title)
        chosen = self._select(candidates, scores, sims, lang)
        picked = [candidates[i] for i in sorted(chosen)]
        joiner = "" if lang == "zh" else " "
        return Summary(
            lang=lang,
            text=joiner.join(s.text for s in picked),
            sentences=[s.index for s in picked],
            backend=BACKEND,
            model=MODEL,
            details={"candidates": len(candidates), "budget": self._budget_description(len(candidates))},
        )

    # --- scoring -------------------------------------------------------------------------------------
    def _score(self, sents: list[Sentence], lang: Lang, title: str | None) -> tuple[np.ndarray, np.ndarray]:
        docs = [content_words(s.text, lang) for s in sents]
        vocab = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
        n = len(sents)
        if not vocab:
            return np.linspace(1.0, 0.5, n), np.zeros((n, n))
        tf = np.zeros((n, len(vocab)))
        for row, doc in enumerate(docs):
            for word in doc:
                tf[row, vocab[word]] += 1.0
        df = (tf > 0).sum(axis=0)
        vectors = np.log1p(tf) * np.log(1.0 + n / df)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        sims = vectors @ vectors.T
        np.fill_diagonal(sims, 0.0)
        centrality = _pagerank(sims)
        position = np.array([1.0 / math.sqrt(1.0 + i) for i in range(n)])
        score = _unit(centrality) + self.config.position_weight * 4 * _unit(position)
        if title:
            tvec = np.zeros(len(vocab))
            for word in content_words(title, lang):
                if word in vocab:
                    tvec[vocab[word]] += 1.0
            if tvec.any():
                score += 0.5 * _unit(vectors @ (tvec / np.linalg.norm(tvec)))
        score += 0.1 * np.array([1.0 if _NUMBER.search(s.text) else 0.0 for s in sents])
        return score, sims

    # --- selection -----------------------------------------------------------------------------------
    def _budget_description(self, n: int) -> dict:
        c = self.config
        return {k: v for k, v in {"max_sentences": c.max_sentences, "ratio": c.ratio, "max_words": c.max_words,
                                  "max_chars": c.max_chars, "sentences_available": n}.items() if v is not None}

    def _select(self, sents: list[Sentence], scores: np.ndarray, sims: np.ndarray, lang: Lang) -> list[int]:
        c = self.config
        limit = len(sents)
        if c.max_sentences is not None:
            limit = min(limit, c.max_sentences)
        if c.ratio is not None:
            limit = min(limit, max(1, math.ceil(c.ratio * len(sents))))
        chosen: list[int] = []
        used = 0
        remaining = set(range(len(sents)))
        while remaining and len(chosen) < limit:
            best = max(remaining, key=lambda i: scores[i] - c.redundancy * max((sims[i, j] for j in chosen),
                                                                               default=0.0) * scores.max())
            remaining.discard(best)
            size = _length(sents[best].text, lang)
            over_words = c.max_words is not None and used + size > c.max_words
            over_chars = c.max_chars is not None and used + size > c.max_chars
            if chosen and (over_words or over_chars):
                continue  # try shorter sentences that still fit
            chosen.append(best)
            used += size
        return chosen


def _length(text: str, lang: Lang) -> int:
    """Budget units: words for English, characters for Chinese."""
    return len(regex.sub(r"\s", "", text)) if lang == "zh" else len(text.split())


def _is_heading(sentence: Sentence, lang: Lang) -> bool:
    """A short line without end punctuation: a headline or section heading, not summary material."""
    text = sentence.text
    if text[-1:] in ".!?。！？；;…\"”’)）":
        return False
    return len(text.split()) <= 15 if lang == "en" else len(text) <= 30


def _unit(values: np.ndarray) -> np.ndarray:
    span = values.max() - values.min()
    return (values - values.min()) / span if span > 0 else np.ones_like(values)


def _pagerank(sims: np.ndarray, damping: float = 0.85, iterations: int = 50) -> np.ndarray:
    n = sims.shape[0]
    weights = sims.sum(axis=1, keepdims=True)
    transition = np.divide(sims, weights, out=np.full_like(sims, 1.0 / n), where=weights > 0)
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        new = (1 - damping) / n + damping * transition.T @ rank
        if np.abs(new - rank).sum() < 1e-9:
            return new
        rank = new
    return rank
