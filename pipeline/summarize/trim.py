"""Clause trimming of a one-sentence summary: a headline-style brief keeps only the clauses of its sentence that
carry the news ("近日，" / "据路透社报道，" / "…显示，" before it, a trailing elaboration after it).

A sentence is cut into clauses after its commas, semicolons and colons (not inside quotes or brackets, not in
"1,000" or "10:30"). Every contiguous run of clauses is a candidate, the whole sentence among them, described by
where it starts and ends, its size, figures and colons (FEATURES), and by hashed words: its first and last two
characters, the content words it keeps and those it drops before and after it. A learned trimmer is a linear
score over them, trained by `benchmarks/train_ranker.py` (make train-ranker) on the same training split as the
ranker it goes with and shipped as JSON in `rankers/` (weights only). Which documents: TRIMMERS."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import regex

from ..lang import LanguageProfile
from .ranker import FOLDER, TIE, code, mix, read

# (language, document kind) -> artefact in rankers/; other documents are never trimmed.
TRIMMERS = {("zh", "news"): "zh-finna-trim"}
MAX_CLAUSES = 10  # clauses past the tenth stay together: at most 55 candidates per sentence
# A shorter sentence (in budget units) is headline-sized already and kept whole: on FinNA train, trimming such
# sentences gains 0.07 of trimming's 5 char ROUGE-2 points, and it saves a third of the trimmer's time on LCSTS.
SHORT = 30
FEATURES = ("starts", "ends", "whole", "clause_share", "log_length", "log_length_squared", "char_share",
            "dropped_before", "dropped_after", "log_clauses", "log_chars_before", "log_chars_after", "digits",
            "digits_before", "digits_after", "lead", "ends_colon", "inner_colon", "up_to_15", "up_to_25", "up_to_35",
            "up_to_50", "over_50")
_OPEN, _CLOSE = "“‘「『（(【《[", "”’」』）)】》]"
_CUT = frozenset("，；：,;:")
_DIGIT = regex.compile(r"\d")
_COLON = regex.compile(r"[：:]")
_MARKS = "，；：,;:。！？!?…"
_SIZES = (15, 25, 35, 50)  # the size bins up_to_15 ... over_50 (characters)
# A clause that introduces what follows ("…在发布会上表示，", "外交部：") never ends a kept run: the brief would
# say that someone said something, and not what ("…表示。", the cleaner's truncation.nothing_reported).
_INTRODUCES = regex.compile(r"(?:[：:]|(?:表示|指出|认为|称|说|显示|介绍|强调|透露|报道|写道|提到|警告|获悉|了解到)"
                            r"\s*[，,])\s*$")
# Nor does a kept run begin with a word that ties it to the clause before ("但…", "并称…", "其中…", "同比增长…"): the
# brief would start mid-thought, often without its subject.
_JOINS = regex.compile(r"\s*(?:但是|但|而且|而(?!言)|并且|并(?!购)|且|同时|与此同时|其中|以及|同比|环比|此外|另外|因此|从而|进而)")
# Salts of the hashed words, one per kind (ranker.mix): span start, span end, dropped head's end and start,
# dropped tail's start, words dropped before, after, kept; nothing dropped before / after.
_FIRST, _LAST, _HEAD_END, _HEAD_START, _TAIL_START, _BEFORE, _AFTER, _KEPT, _NO_HEAD, _NO_TAIL = range(11, 21)
_WORD_SALTS = np.array([_BEFORE, _KEPT, _AFTER], dtype=np.uint64)  # by where the clause stands


def clauses(sentence: str) -> list[str]:
    """The sentence cut after each comma, semicolon or colon outside quotes and brackets (an ASCII one between
    digits is part of a number); the pieces joined give the sentence back. Past MAX_CLAUSES, the rest is one."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(sentence):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif ch in _CUT and depth == 0 and not (ch in ",:" and 0 < i < len(sentence) - 1
                                                and sentence[i - 1].isdigit() and sentence[i + 1].isdigit()):
            end = i + 1  # the spaces after the mark stay with its clause
            while end < len(sentence) and sentence[end].isspace():
                end += 1
            if sentence[start:end].strip(_MARKS + " "):
                pieces.append(sentence[start:end])
                start = end
    if start < len(sentence):
        if pieces and not sentence[start:].strip(_MARKS + " "):
            pieces[-1] += sentence[start:]  # a closing mark alone is not a clause
        else:
            pieces.append(sentence[start:])
    return pieces[:MAX_CLAUSES - 1] + ["".join(pieces[MAX_CLAUSES - 1:])] if len(pieces) > MAX_CLAUSES else pieces


@lru_cache(maxsize=MAX_CLAUSES)
def _runs(m: int) -> tuple:
    """What every sentence of `m` clauses shares (computed once, read-only): its runs of clauses (whole sentence
    first) and, for the hashed words, the (run, salt) of each edge code with where the code is (see candidates),
    and where each clause stands for each run (0 dropped before, 1 kept, 2 dropped after)."""
    runs = [(0, m)] + [(i, j) for i in range(m) for j in range(i + 1, m + 1) if (i, j) != (0, m)]
    first, end = np.array(runs).T
    n = len(runs)
    head, tail = first > 0, end < m
    # Edge codes index [clause starts (m), clause ends (m), 0]: the run's start, its end, the end of the clause
    # before it and the start of the sentence (when it drops a head), the start of the clause after it.
    none = 2 * m
    edge_owner = np.concatenate([np.tile(np.arange(n), 4), np.flatnonzero(head)])
    edge_where = np.concatenate([first, m + end - 1, np.where(head, m + first - 1, none), np.where(tail, end, none),
                                 np.zeros(int(head.sum()), dtype=np.int64)])
    edge_salt = np.concatenate([np.full(n, _FIRST), np.full(n, _LAST), np.where(head, _HEAD_END, _NO_HEAD),
                                np.where(tail, _TAIL_START, _NO_TAIL), np.full(int(head.sum()), _HEAD_START)])
    clause = np.arange(m)
    stands = np.where(clause < first[:, None], 0, np.where(clause < end[:, None], 1, 2))
    shared = (edge_owner, edge_where, edge_salt.astype(np.uint64), stands)
    for array in shared:
        array.setflags(write=False)
    return runs, *shared


def candidates(parts: list[str], lp: LanguageProfile, lead: bool) -> tuple[list[tuple[int, int]], np.ndarray, Words]:
    """Every run of clauses (first, end) of a sentence cut into `parts` (whole sentence first), with its FEATURES
    (one row per feature, one column per run) and its hashed words. The features are computed run by run in
    Python: sentences have a few clauses, and numpy's cost per call would be most of the time."""
    m = len(parts)
    runs, edge_owner, edge_where, edge_salt, stands = _runs(m)
    # A run's closing marks are not part of it: its last clause's closing colon is `ends_colon`, not `inner_colon`.
    stripped = [p.rstrip(_MARKS + " ") for p in parts]
    ends, digits, colons = [0], [0], [0]  # running totals over the clauses
    for p in parts:
        ends.append(ends[-1] + len(p))
        digits.append(digits[-1] + len(_DIGIT.findall(p)))
        colons.append(colons[-1] + bool(_COLON.search(p)))
    closing = [p.rstrip()[-1:] in "：:" for p in parts]
    inner = [bool(_COLON.search(q)) for q in stripped]
    total, log_clauses = max(ends[m], 1.0), math.log(m)
    rows = []
    for i, j in runs:
        size = max(ends[j] - ends[i], 1.0)
        log_size = math.log(size)
        rows.append((i == 0, j == m, i == 0 and j == m, (j - i) / m, log_size, log_size * log_size / 10, size / total,
                     min(i, 4) / 4, min(m - j, 4) / 4, log_clauses, math.log1p(ends[i]), math.log1p(ends[m] - ends[j]),
                     (digits[j] - digits[i]) / size, digits[i] > 0, digits[m] > digits[j], lead, closing[j - 1],
                     colons[j - 1] > colons[i] or inner[j - 1], size <= _SIZES[0], _SIZES[0] < size <= _SIZES[1],
                     _SIZES[1] < size <= _SIZES[2], _SIZES[2] < size <= _SIZES[3], size > _SIZES[3]))
    values = np.array(rows, dtype=float).T
    # Hashed words: each run's first and last two characters, the clause edges around what it drops, and the
    # content words of every clause by where the clause stands (dropped before, kept, dropped after).
    edges = np.array([code(p[:2]) for p in parts] + [code(q[-2:]) for q in stripped] + [0], dtype=np.uint64)
    words = [sorted({code(w) for w in lp.content_words(p)}) for p in parts]
    return runs, values, Words(edge_owner, mix(edges[edge_where], edge_salt), stands,
                               np.array([k for k, ws in enumerate(words) for _ in ws], dtype=np.int64),
                               np.array([w for ws in words for w in ws], dtype=np.uint64))


class Words(NamedTuple):
    """The hashed words of the runs of one sentence: each run's edge codes (run, code), and each clause's content
    words (clause, unsalted code), which count for a run by where the clause stands for it (`stands`: runs x
    clauses, 0 dropped before, 1 kept, 2 dropped after)."""

    edge_owner: np.ndarray
    edge_codes: np.ndarray
    stands: np.ndarray
    clause: np.ndarray
    codes: np.ndarray

    def expand(self) -> tuple[np.ndarray, np.ndarray]:
        """Every (run, code) pair, a word once per clause it is in: the rows the training script fits (a run's
        score is the sum of its pairs' weights, see Trimmer.scores)."""
        n = len(self.stands)
        owner = np.concatenate([self.edge_owner, np.repeat(np.arange(n), len(self.codes))])
        salts = _WORD_SALTS[self.stands[:, self.clause]].ravel()
        return owner, np.concatenate([self.edge_codes, mix(np.tile(self.codes, n), salts)])


@dataclass(frozen=True)
class Trimmer:
    """A linear score over FEATURES and the hashed words of each run of clauses (each word's bucket counted as
    often as the run has it: the sentence's few clauses make this cheap to score, see `scores`)."""

    name: str
    dense: np.ndarray
    hashed: np.ndarray

    def choose(self, sentence: str, lp: LanguageProfile, lead: bool) -> tuple[int, int, list[str]]:
        """The best run of clauses (first, end) and the clauses, of those that neither end on a clause introducing
        the rest nor begin with one tied to the clause before; a tie goes to the whole sentence, then to the
        earlier run."""
        parts = clauses(sentence)
        if len(parts) < 2:
            return 0, len(parts), parts
        runs, values, words = candidates(parts, lp, lead)
        scores = self.scores(values, words)
        stops = {k + 1 for k, part in enumerate(parts[:-1]) if _INTRODUCES.search(part)}  # run ends to refuse
        tied = {k for k, part in enumerate(parts) if k and _JOINS.match(part)}  # run starts to refuse
        if stops or tied:
            scores[[k for k, (first, end) in enumerate(runs) if end in stops or first in tied]] = -np.inf
        top = scores.max()
        best = int(np.argmax(scores >= top - TIE * max(1.0, abs(top))))  # the first of the best, up to rounding
        return *runs[best], parts


    def scores(self, values: np.ndarray, words: Words) -> np.ndarray:
        """Each run's score: the dense weights times its features plus the weights of its hashed words, each
        clause's words summed once per place a clause can stand in (not once per run)."""
        dims = len(self.hashed)
        n, m = words.stands.shape
        out = self.dense @ values + np.bincount(words.edge_owner, self.hashed[words.edge_codes % dims], minlength=n)
        if len(words.codes):
            weights = self.hashed[mix(words.codes, _WORD_SALTS[:, None]) % dims]  # places x words
            sums = np.bincount((np.arange(3)[:, None] * m + words.clause).ravel(), weights.ravel(), minlength=3 * m)
            out += sums.reshape(3, m)[words.stands, np.arange(m)].sum(axis=1)
        return out


def text(parts: list[str], first: int, end: int, lang: str) -> str:
    """The kept clauses, closed with a full stop where the last one ended in a comma, semicolon or colon."""
    kept = "".join(parts[first:end]).rstrip()
    if end < len(parts) and kept[-1:] in _CUT:
        kept = kept[:-1] + ("。" if lang == "zh" else ".")
    return kept.lstrip()


@lru_cache(maxsize=None)
def load(name: str) -> Trimmer | None:
    """The shipped trimmer `name`, or None when its file is absent (nothing is trimmed then). Its dense weights
    are put in FEATURES order (a feature it was not trained on weighs 0)."""
    data = read(FOLDER, name, FEATURES)
    if data is None:
        return None
    weights = dict(zip(data["features"], data["dense"]))
    return Trimmer(name=name, dense=np.array([weights.get(n, 0.0) for n in FEATURES]), hashed=np.array(data["hashed"]))


def for_document(lang: str, long: bool) -> Trimmer | None:
    name = TRIMMERS.get((lang, "long" if long else "news"))
    return load(name) if name else None
