"""Sentence features and the learned rankers of the extractive summarizer.

`features` describes each sentence of a document by the numbers the hand-set weights combine (centrality, word
frequency, position, title similarity, figures) and, for a learned ranker, more of its place, size and shape
(DENSE, SHAPE), plus lexical codes: its content words and first two units (a Han character, or another word or
number), which a ranker hashes into buckets (crc32 and fixed integer mixing: no text is stored, and every
machine hashes alike). A learned ranker is a linear score over the features it lists and the hashed words,
trained by `benchmarks/train_ranker.py` (make train-ranker) on the training splits and shipped as JSON in
`rankers/` (weights only: nothing is unpickled or executed). Which ranker serves which documents: RANKERS."""
from __future__ import annotations

import json
import math
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

import numpy as np
import regex

from ..figures import FIGURE_MARK
from ..lang import LanguageProfile
from ..lang.base import TOKEN

FOLDER = Path(__file__).resolve().parent / "rankers"
# (language, document kind) -> artefact in rankers/; other documents use the hand-set weights. English news has
# no training split here, so it keeps the hand-set weights (which beat every baseline on BBC business); long
# Chinese documents keep them too.
RANKERS = {("en", "long"): "en-ectsum", ("zh", "news"): "zh-finna"}
DENSE = ("centrality", "frequency", "position", "title", "figures", "relative_position", "first", "second", "last",
         "length", "share", "lead_similarity", "document_similarity")
SHAPE = ("log_length", "log_length_squared", "clauses", "colon", "quote", "digits", "first_log_count",
         "position_capped", "shared", "first_shared")
FEATURES = DENSE + SHAPE
_CLAUSE = regex.compile(r"[，,；;]")
_COLON = regex.compile(r"[：:]")
_DIGIT = regex.compile(r"\d")
_QUOTE = regex.compile(r"[“”「」『』\"]")
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
SOLVE = 100  # _pagerank: largest graph solved exactly
# Values this close (relative to their size) are a tie, whatever the CPU's rounding: equal features (_unit), equal
# scores (the earlier sentence wins).
TIE = 1e-9


@lru_cache(maxsize=1 << 16)
def code(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def mix(values: np.ndarray, salt: int | np.ndarray) -> np.ndarray:
    """Integer codes scrambled with a salt (a separate hash space per kind of feature; one for all codes or one
    per code), as uint64."""
    x = (values.astype(np.uint64) ^ np.asarray(salt, dtype=np.uint64)) * _GOLDEN
    return x ^ (x >> np.uint64(29))


def features(sents: list[str], lp: LanguageProfile, title: str | None, learned: bool = False,
             shape: bool = False) -> tuple[dict[str, np.ndarray], np.ndarray, tuple | None]:
    """Per-sentence features (the hand-set ones scaled to 0..1 within the document), the unit TF-IDF rows (for
    redundancy) and, with `learned`, the lexical codes (each sentence's content words and first two units, as
    (sentence, code) arrays; see `buckets`). `learned` adds the rest of DENSE, `shape` adds SHAPE."""
    n = len(sents)
    docs = [lp.content_words(s) for s in sents]
    vocab = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
    owner = np.repeat(np.arange(n), [len(d) for d in docs])
    vectors = _tfidf(owner, np.fromiter((vocab[w] for d in docs for w in d), dtype=np.int64, count=len(owner)), n,
                     len(vocab))
    word_sets = [set(doc) for doc in docs]
    counts = Counter(word for words in word_sets for word in words)
    # Features scaled to 0..1 within the document, as the rows of one matrix; the similarities to the title, the
    # lead and the whole document come from one product (with unscaled directions: the scaling removes the norm).
    rows = {"centrality": _pagerank(_overlap_graph(vectors)),
            "frequency": [sum(counts[word] for word in doc) / len(doc) if doc else 0.0 for doc in docs],
            "figures": [len(FIGURE_MARK.findall(s)) for s in sents]}
    directions = {}
    title_words = [vocab[w] for w in (lp.content_words(title) if title else []) if w in vocab]
    if title_words:  # else 0 (no title, or one with no word of the document)
        directions["title"] = np.bincount(title_words, minlength=len(vocab))
    if learned:
        sizes = np.array([lp.length(s) for s in sents], dtype=float)
        rows["length"] = np.log1p(sizes)
        directions.update(lead_similarity=vectors[0], document_similarity=vectors.sum(axis=0))
    if directions:
        rows.update(zip(directions, np.dot(vectors, np.column_stack(list(directions.values()))).T))
    places = _places(n)
    scaled = _unit(np.array(list(rows.values())))
    values = {"position": places["position"], "title": np.zeros(n), **dict(zip(rows, scaled))}
    if not learned:
        return values, vectors, None
    values.update(places)
    values["share"] = sizes / max(sizes.sum(), 1.0)
    if shape:
        log_length = np.log(np.maximum(sizes, 1.0))
        shared = np.array([sum(counts[w] > 1 for w in words) / len(words) if words else 0.0
                           for words in word_sets])
        marks = np.array([(len(_CLAUSE.findall(s)), bool(_COLON.search(s)), bool(_QUOTE.search(s)),
                           len(_DIGIT.findall(s)) / max(len(s), 1)) for s in sents], dtype=float)
        values.update({
            "log_length": log_length,
            "log_length_squared": log_length ** 2 / 10,
            "clauses": marks[:, 0],
            "colon": marks[:, 1],
            "quote": marks[:, 2],
            "digits": marks[:, 3],
            "shared": shared,
            "first_shared": shared * places["first"],
        })
    opening = [(i, code(f"^{m.group().lower()}")) for i, s in enumerate(sents) for m in islice(TOKEN.finditer(s), 2)]
    owner = np.concatenate([owner, np.array([i for i, _ in opening], dtype=np.int64)])
    codes = np.array([code(w) for d in docs for w in d] + [c for _, c in opening], dtype=np.uint64)
    return values, vectors, (owner, codes)


@lru_cache(maxsize=1024)
def _places(n: int) -> dict[str, np.ndarray]:
    """The features of each place among `n` sentences (the same for every document of that length: computed
    once, read-only). `position_capped` and `first_log_count` are SHAPE features, the rest DENSE."""
    position = np.arange(n, dtype=float)
    first = (position == 0).astype(float)
    places = {"position": _unit(1.0 / (1.0 + position)), "relative_position": position / max(n - 1, 1),
              "first": first, "second": (position == 1).astype(float), "last": (position == n - 1).astype(float),
              "first_log_count": first * math.log(n), "position_capped": np.minimum(position, 5) / 5}
    for array in places.values():
        array.setflags(write=False)
    return places


def by_lead(lexical: tuple) -> tuple:
    """The lexical codes twice: as they are, and marked as the first sentence's or another's, so that a word
    can count differently in the lead ("... held a meeting") than elsewhere."""
    owner, codes = lexical
    return np.concatenate([owner, owner]), np.concatenate([codes, mix(codes, np.where(owner == 0, 1, 2))])


def buckets(lexical: tuple, dims: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (sentence, hash bucket) pairs of the lexical codes, sorted."""
    owner, codes = lexical
    keys = np.unique(owner.astype(np.uint64) * np.uint64(dims) + codes % np.uint64(dims))
    return (keys // np.uint64(dims)).astype(np.int64), (keys % np.uint64(dims)).astype(np.int64)


@dataclass(frozen=True)
class Ranker:
    """A linear score over the listed FEATURES and hashed lexical codes (each sentence's distinct buckets, summed
    and divided by the square root of their number; with `lead_words` also marked by lead, see by_lead)."""

    name: str
    features: tuple[str, ...]
    dense: np.ndarray
    hashed: np.ndarray
    lead_words: bool
    redundancy: float

    @property
    def shape(self) -> bool:
        """Whether it uses SHAPE (which long documents should not pay for otherwise)."""
        return any(name in SHAPE for name in self.features)

    def score(self, values: dict[str, np.ndarray], lexical: tuple) -> np.ndarray:
        dense = self.dense @ np.array([values[name] for name in self.features])
        owner, bucket = buckets(by_lead(lexical) if self.lead_words else lexical, len(self.hashed))
        n = len(dense)
        sums = np.bincount(owner, weights=self.hashed[bucket], minlength=n)
        return dense + sums / np.sqrt(np.maximum(np.bincount(owner, minlength=n), 1))


def read(folder: Path, name: str, known: tuple[str, ...]) -> dict | None:
    """The artefact `name` (JSON weights) in `folder`, or None when its file is absent; refused when it was trained
    on features this version does not compute (`known`)."""
    path = folder / f"{name}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    names = data["features"]
    if any(n not in known for n in names) or len(names) != len(data["dense"]):
        raise ValueError(f"{path}: trained on features {list(names)}, this version computes {list(known)}")
    return data


@lru_cache(maxsize=None)
def load(name: str) -> Ranker | None:
    """The shipped ranker `name`, or None when its file is absent (the hand-set weights are used then)."""
    data = read(FOLDER, name, FEATURES)
    if data is None:
        return None
    return Ranker(name=name, features=tuple(data["features"]), dense=np.array(data["dense"]),
                  hashed=np.array(data["hashed"]), lead_words=bool(data["lead_words"]),
                  redundancy=float(data["redundancy"]))


def for_document(lang: str, long: bool) -> Ranker | None:
    name = RANKERS.get((lang, "long" if long else "news"))
    return load(name) if name else None


def _tfidf(owner: np.ndarray, word: np.ndarray, n: int, size: int) -> np.ndarray:
    """Unit-length TF-IDF rows (log tf) of `n` sentences, from each occurrence's sentence and word index."""
    tf = np.bincount(owner * size + word, minlength=n * size).reshape(n, size).astype(float)
    vectors = np.log1p(tf) * np.log(1.0 + n / np.maximum((tf > 0).sum(axis=0), 1))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


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
    """Scaled to 0..1 (each row of a matrix on its own). Values equal up to rounding (a spread under TIE of their
    size: the two sentences of a two-sentence document are equally similar to it, for one) become 1, so that
    no CPU's rounding decides which of them scores 0 and which 1."""
    low = values.min(axis=-1, keepdims=True)
    span = values.max(axis=-1, keepdims=True) - low
    size = np.abs(values).max(axis=-1, keepdims=True)
    return np.divide(values - low, span, out=np.ones(values.shape), where=span > TIE * size)


def _pagerank(sims: np.ndarray, damping: float = 0.85, iterations: int = 50) -> np.ndarray:
    """TextRank: the PageRank of the similarity graph (a sentence without edges links to every sentence alike).
    Solved exactly for up to SOLVE sentences (cheaper than iterating there), by power iteration above."""
    n = sims.shape[0]
    weights = sims.sum(axis=1, keepdims=True)
    transition = np.divide(sims, weights, out=np.full_like(sims, 1.0 / n), where=weights > 0)
    if n <= SOLVE:
        return np.linalg.solve(np.eye(n) - damping * transition.T, np.full(n, (1 - damping) / n))
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        new = (1 - damping) / n + damping * transition.T @ rank
        if np.abs(new - rank).sum() < 1e-9:
            return new
        rank = new
    return rank
