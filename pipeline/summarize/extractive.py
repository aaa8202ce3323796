"""Extractive summarizer: sentences scored by a learned ranker (pipeline/summarize/ranker.py) where one is
shipped for the language and document kind, else by hand-set weights of TextRank centrality, word salience,
a position prior, title similarity and figures (`summarize.ranking`, per language and for long documents);
then MMR redundancy control under a sentence / ratio / word / character budget. A summary of one sentence is
cut to the clauses that carry the news where a trimmer is shipped (trim.py, `summarize.trim`)."""
from __future__ import annotations

import math

import numpy as np

from ..config import RankingWeights, SummarizeConfig
from ..lang import LanguageProfile, profile
from ..schema import Document, Lang, Notice, Sentence, Summary
from . import trim
from .ranker import TIE, Ranker, _unit, features, for_document

BACKEND = "extractive"
MODEL = "bisum-textrank-mmr"  # the hand-set weights
LEARNED = "bisum-ranker"  # + the learned ranker's name
TRIMMER = "bisum-trimmer"  # + the trimmer's name


class ExtractiveSummarizer:
    """Selects sentences of the cleaned text and returns them in article order (one sentence alone may be
    trimmed to some of its clauses)."""

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
        scoring = self.weights(len(candidates), lang), self.ranker(len(candidates), lang)
        limit = self._limit(len(candidates))
        cap = self._size_cap(sum(lp.length(s.text) for s in candidates), lang)
        picked = self._pick(candidates, lp, title, scoring, limit, cap)
        details = {"candidates": len(candidates), "budget": self._budget_description(len(candidates)),
                   "ranker": f"learned: {scoring[1].name}" if scoring[1] else "hand-set weights"}
        sections = math.ceil(len(candidates) / self.config.section_sentences)
        if sections > 1:
            details["sections"] = sections
        text = lp.join(s.text for s in picked)
        trimmer = self.trimmer(len(candidates), lang) if len(picked) == 1 else None
        if trimmer is not None and lp.length(picked[0].text) >= trim.SHORT:
            text, details["trim"] = self._trim(picked[0], picked[0] is candidates[0], lp, trimmer)
        return Summary(lang=lang, text=text, sentences=[s.index for s in picked],
                       backend=BACKEND, model=f"{LEARNED}-{scoring[1].name}" if scoring[1] else MODEL,
                       details=details)

    def trimmer(self, n_sentences: int, lang: Lang) -> trim.Trimmer | None:
        """The clause trimmer for this language and document kind, unless `trim` is none."""
        if self.config.trim == "none":
            return None
        return trim.for_document(lang, n_sentences >= self.config.ranking.long_from_sentences)

    @staticmethod
    def _trim(sentence: Sentence, lead: bool, lp: LanguageProfile, trimmer: trim.Trimmer) -> tuple[str, dict]:
        """The clauses of the one chosen sentence that the trimmer keeps, and what was done: which clauses were
        kept of how many, the characters dropped, and where the kept text is in the cleaned text."""
        first, end, parts = trimmer.choose(sentence.text, lp, lead)
        before, kept = "".join(parts[:first]), "".join(parts[first:end])
        start = sentence.start + len(before) + len(kept) - len(kept.lstrip())
        return trim.text(parts, first, end, lp.code), {
            "model": f"{TRIMMER}-{trimmer.name}", "sentence": sentence.index, "clauses_kept": [first + 1, end],
            "clauses": len(parts), "chars_dropped": lp.length(sentence.text) - lp.length(kept),
            "span": [start, sentence.start + len(before) + len(kept.rstrip())]}

    def _pick(self, sents: list[Sentence], lp: LanguageProfile, title: str | None,
              scoring: tuple[RankingWeights, Ranker | None], limit: int, cap: float | None) -> list[Sentence]:
        """Up to `limit` chosen sentences, in article order. A document longer than `section_sentences` is
        summarized section by section (each to its share of `limit`, and at least `max_sentences`), then the
        sections' choices together: the cost grows linearly with the length, and an article of one section is
        summarized exactly as before."""
        size = self.config.section_sentences
        if len(sents) <= size:
            scores, vectors, redundancy = self._score(sents, lp, title, *scoring)
            chosen = self._select(sents, scores, vectors, lp, redundancy, limit, cap)
            return [sents[i] for i in sorted(chosen)]
        floor = min(limit, self.config.max_sentences or limit)
        shortlist = []
        for start in range(0, len(sents), size):
            section = sents[start:start + size]
            share = max(math.ceil(limit * len(section) / len(sents)), floor)
            shortlist += self._pick(section, lp, title, scoring, min(share, len(section)), cap)
        if len(shortlist) < len(sents):
            return self._pick(shortlist, lp, title, scoring, limit, cap)
        return self._within_budget(shortlist, lp, limit, cap)  # budgets so large that nothing was left out

    def _within_budget(self, sents: list[Sentence], lp: LanguageProfile, limit: int,
                       cap: float | None) -> list[Sentence]:
        """The first sentences, in article order, that fit the count and word / character budgets."""
        used, out = 0, []
        for sentence in sents:
            size = lp.length(sentence.text)
            if len(out) >= limit or out and cap is not None and used + size > cap:
                break
            out.append(sentence)
            used += size
        return out

    # --- scoring -------------------------------------------------------------------------------------
    def weights(self, n_sentences: int, lang: Lang) -> RankingWeights:
        ranking = self.config.ranking
        return ranking.long if n_sentences >= ranking.long_from_sentences else getattr(ranking, lang)

    def ranker(self, n_sentences: int, lang: Lang) -> Ranker | None:
        """The learned ranker for this language and document kind, unless `ranking.method` is hand-set."""
        ranking = self.config.ranking
        if ranking.method != "learned":
            return None
        return for_document(lang, n_sentences >= ranking.long_from_sentences)

    def _score(self, sents: list[Sentence], lp: LanguageProfile, title: str | None, w: RankingWeights,
               learned: Ranker | None) -> tuple[np.ndarray, np.ndarray, float]:
        """Sentence scores, the unit TF-IDF rows whose cosine similarities MMR uses against redundancy, and
        the redundancy weight: the learned ranker's when there is one, else the hand-set weights'."""
        texts = [s.text for s in sents]
        if learned is not None:
            values, vectors, lexical = features(texts, lp, title, True, learned.shape)
            return _unit(learned.score(values, lexical)), vectors, learned.redundancy
        values, vectors, _ = features(texts, lp, title)
        score = w.centrality * values["centrality"]
        for name in ("frequency", "position", "figures", "title"):
            score = score + getattr(w, name) * values[name]
        return score, vectors, w.redundancy

    # --- selection -----------------------------------------------------------------------------------
    def _budget_description(self, n: int) -> dict:
        c = self.config
        return {k: v for k, v in {"max_sentences": c.max_sentences, "ratio": c.ratio, "max_words": c.max_words,
                                  "max_chars": c.max_chars, "max_share": c.max_share,
                                  "sentences_available": n}.items() if v is not None}

    def _size_cap(self, length: int, lang: Lang) -> float | None:
        """The most words / characters a summary may have: the tightest of the word, character and share budgets
        (`length`: the candidates' words or characters), None without any."""
        c = self.config
        share = c.max_share.get(lang) if isinstance(c.max_share, dict) else c.max_share
        caps = [v for v in (c.max_words, c.max_chars, share and share * length) if v]
        return min(caps) if caps else None

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
                redundancy: float, limit: int, cap: float | None) -> list[int]:
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
            if chosen and cap is not None and used + size > cap:
                continue  # try shorter sentences that still fit
            chosen.append(best)
            used += size
            if len(chosen) < limit:
                nearest = np.maximum(nearest, vectors @ vectors[best])
        return chosen
