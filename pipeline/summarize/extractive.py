"""Extractive summarizer: TextRank centrality over shared content words, word salience, a position prior, title
similarity, a preference for sentences carrying figures and MMR redundancy control, under a sentence /
ratio / word / character budget. Weights come from `summarize.ranking` per language and for long
documents."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import regex

from ..config import RankingWeights, SummarizeConfig
from ..figures import extract
from ..schema import Document, Lang, Notice, Sentence, Summary
from ..lang import LanguageProfile, profile

BACKEND = "extractive"
MODEL = "bisum-textrank-mmr"
_DIGIT = regex.compile(r"\d")
# Scores this close are a tie, whatever the CPU's rounding: the earlier sentence wins.
TIE = 1e-9


class ExtractiveSummarizer:
    """Selects whole sentences of the cleaned text and returns them in article order."""

    def __init__(self, config: SummarizeConfig):
        self.config = config
        self.name = MODEL

    def summarize_many(self, documents: list[Document]) -> list[Summary]:
        """The SummarizerBackend interface: one summary per document, in order."""
        return [self.summarize(d.sentences, d.lang, exclude=d.exclude, title=d.title) for d in documents]

    def summarize(self, sentences: list[Sentence], lang: Lang, exclude: set[int] = frozenset(),
                  title: str | None = None) -> Summary:
        lp = profile(lang)
        candidates = [s for s in sentences if s.index not in exclude and not lp.is_heading(s.text)]
        if title is None:
            title = next((s.text for s in sentences[:1] if lp.is_heading(s.text)), None)
        if not candidates:
            return Summary(lang=lang, text=None, backend=BACKEND, model=MODEL, notices=[Notice.about(
                "no_sentences", f"summary_{lang}", "no sentence left to summarize after cleaning")])
        weights = self.weights(len(candidates), lang)
        scores, sims = self._score(candidates, lp, title, weights)
        chosen = self._select(candidates, scores, sims, lp, weights.redundancy)
        picked = [candidates[i] for i in sorted(chosen)]
        return Summary(
            lang=lang,
            text=lp.join(s.text for s in picked),
            sentences=[s.index for s in picked],
            backend=BACKEND,
            model=MODEL,
            details={"candidates": len(candidates), "budget": self._budget_description(len(candidates))},
        )

    # --- scoring -------------------------------------------------------------------------------------
    def weights(self, n_sentences: int, lang: Lang) -> RankingWeights:
        ranking = self.config.ranking
        return ranking.long if n_sentences >= ranking.long_from_sentences else getattr(ranking, lang)

    def _score(self, sents: list[Sentence], lp: LanguageProfile, title: str | None,
               w: RankingWeights) -> tuple[np.ndarray, np.ndarray]:
        """Sentence scores, and the TF-IDF cosine similarities that MMR uses against redundancy."""
        docs = [lp.content_words(s.text) for s in sents]
        n = len(sents)
        vectors, vocab = _tfidf(docs)
        sims = vectors @ vectors.T
        np.fill_diagonal(sims, 0.0)
        score = w.centrality * _unit(_pagerank(_overlap_graph(docs)))
        if w.frequency:
            counts = Counter(word for doc in docs for word in set(doc))
            mean_count = [sum(counts[word] for word in doc) / len(doc) if doc else 0.0 for doc in docs]
            score += w.frequency * _unit(np.array(mean_count))
        score += w.position * _unit(1.0 / np.arange(1.0, n + 1.0))
        if w.figures:
            score += w.figures * _unit(np.array([_figures(s.text) for s in sents], dtype=float))
        if title and w.title:
            tvec = np.zeros(len(vocab))
            for word in lp.content_words(title):
                if word in vocab:
                    tvec[vocab[word]] += 1.0
            if tvec.any():
                score += w.title * _unit(vectors @ (tvec / np.linalg.norm(tvec)))
        return score, sims

    # --- selection -----------------------------------------------------------------------------------
    def _budget_description(self, n: int) -> dict:
        c = self.config
        return {k: v for k, v in {"max_sentences": c.max_sentences, "ratio": c.ratio, "max_words": c.max_words,
                                  "max_chars": c.max_chars, "sentences_available": n}.items() if v is not None}

    def _select(self, sents: list[Sentence], scores: np.ndarray, sims: np.ndarray, lp: LanguageProfile,
                redundancy: float) -> list[int]:
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
            gain = {i: scores[i] - redundancy * max((sims[i, j] for j in chosen), default=0.0) * scores.max()
                    for i in remaining}
            top = max(gain.values())
            best = min(i for i in remaining if gain[i] >= top - TIE)  # a tie goes to the earlier sentence
            remaining.discard(best)
            size = lp.length(sents[best].text)
            over_words = c.max_words is not None and used + size > c.max_words
            over_chars = c.max_chars is not None and used + size > c.max_chars
            if chosen and (over_words or over_chars):
                continue  # try shorter sentences that still fit
            chosen.append(best)
            used += size
        return chosen


def _tfidf(docs: list[list[str]]) -> tuple[np.ndarray, dict[str, int]]:
    """Unit-length TF-IDF rows (log tf) and the vocabulary."""
    vocab = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
    tf = np.zeros((len(docs), len(vocab)))
    for row, doc in enumerate(docs):
        for word in doc:
            tf[row, vocab[word]] += 1.0
    vectors = np.log1p(tf) * np.log(1.0 + len(docs) / np.maximum((tf > 0).sum(axis=0), 1))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0), vocab


def _overlap_graph(docs: list[list[str]]) -> np.ndarray:
    """TextRank edge weights: shared content words over the sum of the log sentence sizes."""
    sets = [set(d) for d in docs]
    logs = np.array([math.log(len(d)) if len(d) > 1 else 0.0 for d in sets])
    shared = np.array([[len(a & b) for b in sets] for a in sets], dtype=float)
    valid = (logs[:, None] > 0) & (logs[None, :] > 0)
    graph = np.divide(shared, logs[:, None] + logs[None, :], out=np.zeros_like(shared), where=valid)
    np.fill_diagonal(graph, 0.0)
    return graph


def _figures(text: str) -> int:
    """Figures written with digits (amounts, percentages, years): the figures feature. Spelled-out numbers
    ("两年", "two banks") are left to the other features."""
    if not _DIGIT.search(text):
        return 0
    return sum(1 for q in extract(text) if _DIGIT.search(q.text))


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
