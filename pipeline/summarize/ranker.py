"""Sentence features and the learned ranker of the extractive summarizer.

`features` describes each sentence of a document by the same numbers the hand-set weights combine (centrality,
word frequency, position, title similarity, figures) and a few more (relative position, first / last sentence,
length, similarity to the lead sentence and to the whole document); `words` gives each sentence's content
words hashed into buckets (crc32, so no text is stored and every machine hashes alike). A learned ranker is a
logistic regression over both, trained by `benchmarks/train_ranker.py` (make train-ranker) on the training
splits and shipped as JSON in `rankers/` (weights only: nothing is unpickled or executed). Which ranker serves
which documents: RANKERS."""
from __future__ import annotations

import json
import math
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..figures import FIGURE_MARK
from ..lang import LanguageProfile

FOLDER = Path(__file__).resolve().parent / "rankers"
# (language, document kind) -> artefact in rankers/; other documents use the hand-set weights. English news has
# no training split here, so it keeps the hand-set weights (which beat every baseline on BBC business). Chinese
# news keeps them too: a ranker trained on FinNA (`make train-ranker RANKERS=zh-finna`) did not beat them (=
# Lead) on the dev sets (README, "Learned ranker").
RANKERS = {("en", "long"): "en-ectsum"}
DENSE = ("centrality", "frequency", "position", "title", "figures", "relative_position", "first", "second", "last",
         "length", "share", "lead_similarity", "document_similarity")


def features(sents: list[str], lp: LanguageProfile, title: str | None,
             learned: bool = False) -> tuple[dict[str, np.ndarray], np.ndarray, list[list[str]]]:
    """Per-sentence features (scaled to 0..1 within the document, except flags and shares), the unit TF-IDF
    rows (for redundancy) and each sentence's lexical features: its content words, and with `learned` (all
    of DENSE, for a learned ranker) its first two words too."""
    docs = [lp.content_words(s) for s in sents]
    n = len(sents)
    vectors, vocab = _tfidf(docs)
    counts = Counter(word for doc in docs for word in set(doc))
    mean_count = np.array([sum(counts[word] for word in doc) / len(doc) if doc else 0.0 for doc in docs])
    title_similarity = np.zeros(n)  # 0 without a title (or one with no word of the document)
    if title:
        tvec = np.zeros(len(vocab))
        for word in lp.content_words(title):
            if word in vocab:
                tvec[vocab[word]] += 1.0
        if tvec.any():
            title_similarity = _unit(vectors @ (tvec / np.linalg.norm(tvec)))
    position = np.arange(n, dtype=float)
    values = {
        "centrality": _unit(_pagerank(_overlap_graph(vectors))),
        "frequency": _unit(mean_count),
        "position": _unit(1.0 / (1.0 + position)),
        "title": title_similarity,
        "figures": _unit(np.array([len(FIGURE_MARK.findall(s)) for s in sents], dtype=float)),
    }
    if not learned:
        return values, vectors, docs
    centroid = vectors.sum(axis=0)
    norm = np.linalg.norm(centroid)
    sizes = np.array([lp.length(s) for s in sents], dtype=float)
    values.update({
        "relative_position": position / max(n - 1, 1),
        "first": (position == 0).astype(float),
        "second": (position == 1).astype(float),
        "last": (position == n - 1).astype(float),
        "length": _unit(np.log1p(sizes)),
        "share": sizes / max(sizes.sum(), 1.0),
        "lead_similarity": _unit(vectors @ vectors[0]),
        "document_similarity": _unit(vectors @ (centroid / norm)) if norm > 0 else np.ones(n),
    })
    lexical = [doc + [f"^{w}" for w in lp.tokens(s)[:2]] for doc, s in zip(docs, sents)]  # + how it opens
    return values, vectors, lexical


def words(docs: list[list[str]], dims: int) -> list[np.ndarray]:
    """Each sentence's distinct content words as hash buckets."""
    return [np.unique(np.fromiter((zlib.crc32(w.encode("utf-8")) % dims for w in set(doc)), dtype=np.int64,
                                  count=len(set(doc)))) for doc in docs]


@dataclass(frozen=True)
class Ranker:
    """A logistic regression over DENSE features and hashed words; scores are its logits."""

    name: str
    dense: np.ndarray
    hashed: np.ndarray
    intercept: float
    redundancy: float
    meta: dict

    def score(self, values: dict[str, np.ndarray], docs: list[list[str]]) -> np.ndarray:
        dense = np.column_stack([values[name] for name in DENSE]) @ self.dense
        buckets = words(docs, len(self.hashed))
        lexical = np.array([self.hashed[b].sum() / math.sqrt(len(b)) if len(b) else 0.0 for b in buckets])
        return dense + lexical + self.intercept


@lru_cache(maxsize=None)
def load(name: str) -> Ranker | None:
    """The shipped ranker `name`, or None when its file is absent (the hand-set weights are used then)."""
    path = FOLDER / f"{name}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != DENSE:
        raise ValueError(f"{path}: trained on features {data['features']}, this version computes {list(DENSE)}")
    return Ranker(name=name, dense=np.array(data["dense"]), hashed=np.array(data["hashed"]),
                  intercept=float(data["intercept"]), redundancy=float(data["redundancy"]),
                  meta={k: data[k] for k in ("trained_on", "command") if k in data})


def for_document(lang: str, long: bool) -> Ranker | None:
    name = RANKERS.get((lang, "long" if long else "news"))
    return load(name) if name else None


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
