"""Extractive summarizer: TextRank centrality over shared content words, word salience, a position prior, title
similarity, a preference for sentences carrying figures and MMR redundancy control, under a sentence /
ratio / word / character budget. Weights come from `summarize.ranking` per language and for long
documents."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np

from ..config import RankingWeights, SummarizeConfig
from ..figures import FIGURE_MARK
from ..lang import LanguageProfile, profile
from ..schema import Document, Lang, Notice, Sentence, Summary

BACKEND = "extractive"
MODEL = "bisum-textrank-mmr"
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
        picked = self._pick(candidates, lp, title, weights, self._limit(len(candidates)))
        details = {"candidates": len(candidates), "budget": self._budget_description(len(candidates))}
        sections = math.ceil(len(candidates) / self.config.section_sentences)
        if sections > 1:
            details["sections"] = sections
        return Summary(lang=lang, text=lp.join(s.text for s in picked), sentences=[s.index for s in picked],
                       backend=BACKEND, model=MODEL, details=details)

    def _pick(self, sents: list[Sentence], lp: LanguageProfile, title: str | None, weights: RankingWeights,
              limit: int) -> list[Sentence]:
        """Up to `limit` chosen sentences, in article order. A document longer than `section_sentences` is
        summarized section by section (each to its share of `limit`, and at least `max_sentences`), then the
        sections' choices together: the cost grows linearly with the length, and an article of one section is
        summarized exactly as before."""
        size = self.config.section_sentences
        if len(sents) <= size:
            scores, vectors = self._score(sents, lp, title, weights)
            chosen = self._select(sents, scores, vectors, lp, weights.redundancy, limit)
            return [sents[i] for i in sorted(chosen)]
        floor = min(limit, self.config.max_sentences or limit)
        shortlist = []
        for start in range(0, len(sents), size):
            section = sents[start:start + size]
            share = max(math.ceil(limit * len(section) / len(sents)), floor)
            shortlist += self._pick(section, lp, title, weights, min(share, len(section)))
        if len(shortlist) < len(sents):
            return self._pick(shortlist, lp, title, weights, limit)
        return self._within_budget(shortlist, lp, limit)  # budgets so large that nothing was left out

    def _within_budget(self, sents: list[Sentence], lp: LanguageProfile, limit: int) -> list[Sentence]:
        """The first sentences, in article order, that fit the count and word / character budgets."""
        used, out = 0, []
        for sentence in sents:
            size = lp.length(sentence.text)
            if len(out) >= limit or out and self._over_budget(used + size):
                break
            out.append(sentence)
            used += size
        return out

    # --- scoring -------------------------------------------------------------------------------------
    def weights(self, n_sentences: int, lang: Lang) -> RankingWeights:
        ranking = self.config.ranking
        return ranking.long if n_sentences >= ranking.long_from_sentences else getattr(ranking, lang)

    def _score(self, sents: list[Sentence], lp: LanguageProfile, title: str | None,
               w: RankingWeights) -> tuple[np.ndarray, np.ndarray]:
        """Sentence scores, and the unit TF-IDF rows whose cosine similarities MMR uses against redundancy."""
        docs = [lp.content_words(s.text) for s in sents]
        n = len(sents)
        vectors, vocab = _tfidf(docs)
        score = w.centrality * _unit(_pagerank(_overlap_graph(vectors)))
        if w.frequency:
            counts = Counter(word for doc in docs for word in set(doc))
            mean_count = [sum(counts[word] for word in doc) / len(doc) if doc else 0.0 for doc in docs]
            score += w.frequency * _unit(np.array(mean_count))
        score += w.position * _unit(1.0 / np.arange(1.0, n + 1.0))
        if w.figures:
            score += w.figures * _unit(np.array([len(FIGURE_MARK.findall(s.text)) for s in sents], dtype=float))
        if title and w.title:
            tvec = np.zeros(len(vocab))
            for word in lp.content_words(title):
                if word in vocab:
                    tvec[vocab[word]] += 1.0
            if tvec.any():
                score += w.title * _unit(vectors @ (tvec / np.linalg.norm(tvec)))
        return score, vectors

    # --- selection -----------------------------------------------------------------------------------
    def _budget_description(self, n: int) -> dict:
        c = self.config
        return {k: v for k, v in {"max_sentences": c.max_sentences, "ratio": c.ratio, "max_words": c.max_words,
                                  "max_chars": c.max_chars, "sentences_available": n}.items() if v is not None}

    def _over_budget(self, size: int) -> bool:
        """Whether a summary of `size` words / characters exceeds the word or character budget."""
        c = self.config
        return c.max_words is not None and size > c.max_words or c.max_chars is not None and size > c.max_chars

    def _limit(self, n: int) -> int:
        """How many of `n` candidate sentences the budget allows (count and ratio; words are checked later)."""
        c = self.config
        limit = n
        if c.max_sentences is not None:
            limit = min(limit, c.max_sentences)
        if c.ratio is not None:
            limit = min(limit, max(1, math.ceil(c.ratio * n)))
        return limit

    def _select(self, sents: list[Sentence], scores: np.ndarray, vectors: np.ndarray, lp: LanguageProfile,
                redundancy: float, limit: int) -> list[int]:
        """MMR: the best score less the redundancy with the sentences chosen so far, until the budget is used.
        Similarities are taken against the chosen sentences only, so the cost is linear in the sentences."""
        chosen: list[int] = []
        used = 0
        open_ = np.ones(len(sents), dtype=bool)  # not chosen, not skipped for the budget
        nearest = np.zeros(len(sents))  # each sentence's highest similarity to a chosen one
        penalty = redundancy * scores.max()
        while open_.any() and len(chosen) < limit:
            gain = np.where(open_, scores - penalty * nearest, -np.inf)
            best = int(np.flatnonzero(gain >= gain.max() - TIE)[0])  # a tie goes to the earlier sentence
            open_[best] = False
            size = lp.length(sents[best].text)
            if chosen and self._over_budget(used + size):
                continue  # try shorter sentences that still fit
            chosen.append(best)
            used += size
            nearest = np.maximum(nearest, vectors @ vectors[best])
        return chosen


def _tfidf(docs: list[list[str]]) -> tuple[np.ndarray, dict[str, int]]:
    """Unit-length TF-IDF rows (log tf) and the vocabulary."""
    vocab = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
    tf = np.zeros((len(docs), len(vocab)))
    rows = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
    np.add.at(tf, (rows, np.fromiter((vocab[w] for d in docs for w in d), dtype=np.intp, count=len(rows))), 1.0)
    vectors = np.log1p(tf) * np.log(1.0 + len(docs) / np.maximum((tf > 0).sum(axis=0), 1))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0), vocab


def _overlap_graph(vectors: np.ndarray) -> np.ndarray:
    """TextRank edge weights: shared content words over the sum of the log sentence sizes. The counts come
    from one product of the word-presence matrix (exact: small integers in float32)."""
    present = (vectors > 0).astype(np.float32)
    shared = (present @ present.T).astype(float)
    sizes = present.sum(axis=1).astype(float)
    logs = np.array([math.log(size) if size > 1 else 0.0 for size in sizes])
    valid = (logs[:, None] > 0) & (logs[None, :] > 0)
    graph = np.divide(shared, logs[:, None] + logs[None, :], out=np.zeros_like(shared), where=valid)
    np.fill_diagonal(graph, 0.0)
    return graph


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
