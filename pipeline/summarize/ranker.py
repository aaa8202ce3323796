"""Sentence features and the learned rankers of the extractive summarizer.

`features` describes each sentence of a document by the numbers the hand-set weights combine (centrality, word
frequency, position, title similarity, figures) and, for a learned ranker, more of its place, size and shape
(SHAPE) plus lexical features: its words and first two units, as integer codes that are hashed into buckets
(crc32 and fixed integer mixing: no text is stored, and every machine hashes alike). The words are content words,
or with `unit_words` the pairs of adjacent units (a Han character, or another word or number), which need no
word segmenter. A ranker may also carry a `Salience` model: how likely each unit pair of a sentence is to
appear in a reference, from which the sentence's expected ROUGE-2 follows (SALIENCE). A learned ranker is a
linear score over the features it lists and the hashed words, trained by `benchmarks/train_ranker.py`
(make train-ranker) on the training splits and shipped as JSON in `rankers/` (weights only: nothing is
unpickled or executed). Which ranker serves which documents: RANKERS."""
from __future__ import annotations

import json
import math
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import regex

from ..figures import FIGURE_MARK
from ..lang import LanguageProfile
from ..lang.base import TOKEN

FOLDER = Path(__file__).resolve().parent / "rankers"
# (language, document kind) -> artefact in rankers/; other documents use the hand-set weights. English news has
# no training split here, so it keeps the hand-set weights (which beat every baseline on BBC business). Chinese
# news keeps them too: the best ranker trained on FinNA (`make train-ranker RANKERS=zh-finna`) gained 0.7
# ROUGE-2 on held-out training stories but nothing on the dev sets (README, "Learned ranker").
RANKERS = {("en", "long"): "en-ectsum"}
DENSE = ("centrality", "frequency", "position", "title", "figures", "relative_position", "first", "second", "last",
         "length", "share", "lead_similarity", "document_similarity")
SHAPE = ("log_length", "log_length_squared", "clauses", "colon", "quote", "digits", "first_log_count",
         "position_capped", "shared", "first_shared")
SALIENCE = ("salience", "salience_gap", "salience_top", "salience_log")
FEATURES = DENSE + SHAPE + SALIENCE
_CLAUSE = regex.compile(r"[，,；;]")
_COLON = regex.compile(r"[：:]")
_DIGIT = regex.compile(r"\d")
_QUOTE = regex.compile(r"[“”「」『』\"]")
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Units:
    """A document's distinct (sentence, adjacent-unit pair) rows, sorted by sentence: the pair as unit codes
    a << 32 | b, whether it holds a number, its index in the document's distinct pairs (`vocabulary`, sorted)
    and in how many sentences it occurs (`spread`)."""

    sentences: int
    vocabulary: np.ndarray
    sentence: np.ndarray
    pairs: np.ndarray
    numeric: np.ndarray
    word: np.ndarray
    spread: np.ndarray

    @classmethod
    def of(cls, sents: list[str]) -> Units:
        owner, pairs, numeric = [], [], []
        for i, sentence in enumerate(sents):
            found = TOKEN.findall(sentence.lower())
            if len(found) < 2:
                continue
            codes = np.array([code(u) for u in found], dtype=np.uint64)
            digit = np.array([u[0].isdigit() for u in found], dtype=bool)
            pairs.append((codes[:-1] << np.uint64(32)) | codes[1:])
            numeric.append(digit[:-1] | digit[1:])
            owner.append(np.full(len(found) - 1, i))
        if not pairs:
            empty = np.zeros(0, dtype=np.int64)
            return cls(len(sents), empty.astype(np.uint64), empty, empty.astype(np.uint64), empty.astype(bool), empty,
                       empty)
        owner, pairs, numeric = np.concatenate(owner), np.concatenate(pairs), np.concatenate(numeric)
        order = np.lexsort((pairs, owner))
        owner, pairs, numeric = owner[order], pairs[order], numeric[order]
        keep = np.ones(len(pairs), dtype=bool)
        keep[1:] = (pairs[1:] != pairs[:-1]) | (owner[1:] != owner[:-1])
        owner, pairs, numeric = owner[keep], pairs[keep], numeric[keep]
        vocabulary, word, spread = np.unique(pairs, return_inverse=True, return_counts=True)
        return cls(len(sents), vocabulary, owner, pairs, numeric, word, spread[word])

    def per_sentence(self, values: np.ndarray) -> np.ndarray:
        """Sums of per-row `values` by sentence."""
        return np.bincount(self.sentence, weights=values, minlength=self.sentences)


@lru_cache(maxsize=1 << 16)
def code(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def mix(values: np.ndarray, salt: int) -> np.ndarray:
    """Integer codes scrambled with a salt (a separate hash space per kind of feature), as uint64."""
    x = (values.astype(np.uint64) ^ np.uint64(salt)) * _GOLDEN
    return x ^ (x >> np.uint64(29))


def needs_units(features: tuple[str, ...], unit_words: bool, salience: bool) -> bool:
    """Whether a learned ranker needs SHAPE and the Units (which long documents should not pay for otherwise)."""
    return unit_words or salience or any(name in SHAPE for name in features)


def features(sents: list[str], lp: LanguageProfile, title: str | None, learned: bool = False,
             unit_words: bool = False,
             shape: bool = False) -> tuple[dict[str, np.ndarray], np.ndarray, tuple | None, Units | None]:
    """Per-sentence features (the hand-set ones scaled to 0..1 within the document), the unit TF-IDF rows (for
    redundancy) and, with `learned`, the lexical codes (each sentence's words and first two units, as (sentence,
    code) arrays; see `buckets`). `learned` adds the rest of DENSE; `shape` adds SHAPE and returns the Units
    (else None); `unit_words` takes unit pairs as the words (else content words) and needs `shape`."""
    n = len(sents)
    units = Units.of(sents) if shape else None
    if unit_words:
        vectors = _tfidf(units.sentence, units.word, n, len(units.vocabulary))
        mean_count = units.per_sentence(units.spread) / np.maximum(units.per_sentence(np.ones(len(units.word))), 1)
        title_words = np.zeros(0, dtype=np.int64)
        if title:
            pairs = Units.of([title]).pairs
            title_words = np.searchsorted(units.vocabulary, pairs[np.isin(pairs, units.vocabulary)])
        owner = np.concatenate([units.sentence, units.sentence])  # pairs and their first units
        codes = np.concatenate([mix(units.pairs, 3), mix(units.pairs >> np.uint64(32), 4)])
    else:
        docs = [lp.content_words(s) for s in sents]
        vocab = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
        owner = np.repeat(np.arange(n), [len(d) for d in docs])
        index = np.fromiter((vocab[w] for d in docs for w in d), dtype=np.int64, count=len(owner))
        vectors = _tfidf(owner, index, n, len(vocab))
        counts = Counter(word for doc in docs for word in set(doc))
        mean_count = np.array([sum(counts[word] for word in doc) / len(doc) if doc else 0.0 for doc in docs])
        title_words = np.array([vocab[w] for w in (lp.content_words(title) if title else []) if w in vocab],
                               dtype=np.int64)
        codes = np.array([code(w) for d in docs for w in d] if learned else [], dtype=np.uint64)  # learned only
    title_similarity = np.zeros(n)  # 0 without a title (or one with no word of the document)
    if len(title_words):
        tvec = np.bincount(title_words, minlength=vectors.shape[1]).astype(float)
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
        return values, vectors, None, None
    centroid = vectors.sum(axis=0)
    norm = np.linalg.norm(centroid)
    sizes = np.array([lp.length(s) for s in sents], dtype=float)
    first = (position == 0).astype(float)
    values.update({
        "relative_position": position / max(n - 1, 1),
        "first": first,
        "second": (position == 1).astype(float),
        "last": (position == n - 1).astype(float),
        "length": _unit(np.log1p(sizes)),
        "share": sizes / max(sizes.sum(), 1.0),
        "lead_similarity": _unit(vectors @ vectors[0]),
        "document_similarity": _unit(vectors @ (centroid / norm)) if norm > 0 else np.ones(n),
    })
    if shape:
        log_length = np.log(np.maximum(sizes, 1.0))
        shared = units.per_sentence(units.spread > 1) / np.maximum(units.per_sentence(np.ones(len(units.word))), 1)
        values.update({
            "log_length": log_length,
            "log_length_squared": log_length ** 2 / 10,
            "clauses": np.array([len(_CLAUSE.findall(s)) for s in sents], dtype=float),
            "colon": np.array([bool(_COLON.search(s)) for s in sents], dtype=float),
            "quote": np.array([bool(_QUOTE.search(s)) for s in sents], dtype=float),
            "digits": np.array([len(_DIGIT.findall(s)) / max(len(s), 1) for s in sents]),
            "first_log_count": first * math.log(n),
            "position_capped": np.minimum(position, 5) / 5,
            "shared": shared,
            "first_shared": shared * first,
        })
    opening = [(i, code(f"^{u.lower()}")) for i, s in enumerate(sents) for u in TOKEN.findall(s)[:2]]
    owner = np.concatenate([owner, np.array([i for i, _ in opening], dtype=np.int64)])
    codes = np.concatenate([codes, np.array([c for _, c in opening], dtype=np.uint64)])  # + how each opens
    return values, vectors, (owner, codes), units


CONTEXT = 30  # Salience's context features (see salience_rows); the bias is the 28th
BIAS = 27


def salience_rows(units: Units, dims: int) -> np.ndarray:
    """For every row of `units`, the 11 columns of its features in a Salience weight vector: five hashed into
    `dims` (the pair; its first and its second unit; the pair with the sentence's position (first four); the
    pair with its spread over sentences (up to three)) and six context ones after them (position, spread, both,
    numeric-or-not by position, a bias, last sentence or not)."""
    at = np.minimum(units.sentence, 3)
    seen = np.minimum(units.spread, 3) - 1
    pairs = units.pairs
    hashed = [mix(pairs, 11), mix(pairs >> np.uint64(32), 12), mix(pairs & np.uint64(0xFFFFFFFF), 13),
              mix(pairs, 20) ^ mix(at, 21), mix(pairs, 30) ^ mix(seen, 31)]
    context = [at, 4 + seen, 7 + 3 * at + seen, 19 + 4 * units.numeric + at, np.full(len(pairs), BIAS),
               28 + (units.sentence == units.sentences - 1)]
    return np.column_stack([np.column_stack(hashed) % np.uint64(dims),
                            dims + np.column_stack(context).astype(np.uint64)]).astype(np.int64)


@dataclass(frozen=True)
class Salience:
    """A logistic regression over `salience_rows`: the chance that a unit pair of a sentence appears in the
    reference. Summed over a sentence's pairs it is the expected overlap E; with B pairs in the sentence and
    `reference_pairs` R (the training references' mean), 2E / (B + R) is the sentence's expected ROUGE-2 F1,
    which SALIENCE describes. `weights`: the hashed part, then CONTEXT context weights."""

    weights: np.ndarray
    reference_pairs: float

    def values(self, units: Units) -> dict[str, np.ndarray]:
        columns = salience_rows(units, len(self.weights) - CONTEXT)
        expected = units.per_sentence(1.0 / (1.0 + np.exp(-self.weights[columns].sum(axis=1))))
        f1 = 2 * expected / (units.per_sentence(np.ones(len(units.word))) + self.reference_pairs)
        return {"salience": 5 * f1, "salience_gap": 5 * (f1 - f1.max()),
                "salience_top": (f1 >= f1.max()).astype(float), "salience_log": np.log1p(expected)}


def by_lead(lexical: tuple) -> tuple:
    """The lexical codes twice: as they are, and marked as the first sentence's or another's, so that a word
    can count differently in the lead ("... held a meeting") than elsewhere."""
    owner, codes = lexical
    marked = np.where(owner == 0, mix(codes, 1), mix(codes, 2))
    return np.concatenate([owner, owner]), np.concatenate([codes, marked])


def buckets(lexical: tuple, dims: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (sentence, hash bucket) pairs of the lexical codes, sorted."""
    owner, codes = lexical
    keys = np.unique(owner.astype(np.uint64) * np.uint64(dims) + codes % np.uint64(dims))
    return (keys // np.uint64(dims)).astype(np.int64), (keys % np.uint64(dims)).astype(np.int64)


@dataclass(frozen=True)
class Ranker:
    """A linear score over the listed FEATURES and hashed lexical codes (each sentence's distinct buckets, summed
    and divided by the square root of their number; with `lead_words` also marked by lead, see by_lead; with
    `unit_words`, unit pairs as words); `salience`, when present, supplies SALIENCE."""

    name: str
    features: tuple[str, ...]
    dense: np.ndarray
    hashed: np.ndarray
    lead_words: bool
    unit_words: bool
    redundancy: float
    salience: Salience | None = None

    @property
    def shape(self) -> bool:
        return needs_units(self.features, self.unit_words, self.salience is not None)

    def score(self, values: dict[str, np.ndarray], lexical: tuple, units: Units | None) -> np.ndarray:
        if self.salience is not None:
            values = {**values, **self.salience.values(units)}
        dense = np.column_stack([values[name] for name in self.features]) @ self.dense
        owner, bucket = buckets(by_lead(lexical) if self.lead_words else lexical, len(self.hashed))
        n = len(dense)
        sums = np.bincount(owner, weights=self.hashed[bucket], minlength=n)
        return dense + sums / np.sqrt(np.maximum(np.bincount(owner, minlength=n), 1))


@lru_cache(maxsize=None)
def load(name: str) -> Ranker | None:
    """The shipped ranker `name`, or None when its file is absent (the hand-set weights are used then)."""
    path = FOLDER / f"{name}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    names = tuple(data["features"])
    unknown = [n for n in names if n not in FEATURES]
    if unknown or len(names) != len(data["dense"]) or bool(set(names) & set(SALIENCE)) != ("salience" in data):
        raise ValueError(f"{path}: trained on features {list(names)}, this version computes {list(FEATURES)}")
    salience = data.get("salience")
    if salience:
        salience = Salience(np.array(salience["weights"]), float(salience["reference_pairs"]))
    return Ranker(name=name, features=names, dense=np.array(data["dense"]), hashed=np.array(data["hashed"]),
                  lead_words=bool(data["lead_words"]), unit_words=bool(data["unit_words"]),
                  redundancy=float(data["redundancy"]),
                  salience=salience)


def for_document(lang: str, long: bool) -> Ranker | None:
    name = RANKERS.get((lang, "long" if long else "news"))
    return load(name) if name else None


def _tfidf(owner: np.ndarray, word: np.ndarray, n: int, size: int) -> np.ndarray:
    """Unit-length TF-IDF rows (log tf) of `n` sentences, from each occurrence's sentence and word index."""
    tf = np.zeros((n, size))
    np.add.at(tf, (owner, word), 1.0)
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
