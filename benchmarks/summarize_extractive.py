"""Extractive summarizer against classic baselines, on the shared dev sets, in one run.

Every system gets the same sentences (this project's segmenter) and the same budget per article: the
number of sentences of the reference summary. Scores are mean ROUGE F1 x 100 from google rouge-score:
English with the stemmer and one sentence per line for rougeLsum; Chinese with a character tokenizer
and a jieba word tokenizer (rouge-score's default one deletes Chinese). Time per article is the fastest of
PASSES passes over the set, for every system alike. bisum rows: the hand-set weights (whole sentences), the
learned ranker with whole sentences (`summarize.trim: none`), and the default, whose one-sentence summaries of
Chinese news keep only the clauses the shipped trimmer chooses (the same sentence, cut; still one line). Then the
summary a user gets with no budget set (the embedded default), with its length as a share of the article. Usage:

    python benchmarks/summarize_extractive.py [--sets "BBC business" FinNA] [--limit N]
"""
from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import regex  # noqa: E402
from sumy.models.dom import ObjectDocumentModel, Paragraph  # noqa: E402
from sumy.models.dom import Sentence as SumySentence  # noqa: E402
from sumy.nlp.stemmers import Stemmer, null_stemmer  # noqa: E402
from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: E402
from sumy.summarizers.lsa import LsaSummarizer  # noqa: E402
from sumy.summarizers.luhn import LuhnSummarizer  # noqa: E402
from sumy.summarizers.text_rank import TextRankSummarizer  # noqa: E402
from sumy.utils import get_stop_words  # noqa: E402

from benchmarks._data import SETS, load  # noqa: E402
from pipeline.config import SummarizeConfig  # noqa: E402
from pipeline.evaluate.rouge import METRICS, scorers  # noqa: E402
from pipeline.schema import Sentence  # noqa: E402
from pipeline.segment import split_sentences  # noqa: E402
from pipeline.summarize.extractive import ExtractiveSummarizer  # noqa: E402
from pipeline.lang.zh import jieba  # noqa: E402

SUMY = {"sumy LexRank": LexRankSummarizer, "sumy TextRank": TextRankSummarizer, "sumy LSA": LsaSummarizer,
        "sumy Luhn": LuhnSummarizer}
_EN_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’-]\p{L}+)*")
SHOWN = ("rouge1", "rouge2", "rougeL", "rougeLsum")
PASSES = 3  # ms per article: the fastest of this many passes over the set (the first also pays for warm-up)


class _Words:
    """sumy tokenizer without NLTK data: regex words for English, jieba words for Chinese."""

    def __init__(self, lang: str):
        self.lang = lang

    def to_words(self, text: str) -> list[str]:
        if self.lang == "zh":
            return [w for w in jieba.lcut(text) if w.strip()]
        return _EN_WORD.findall(text)


def _sumy(cls, lang: str):
    summarizer = cls(Stemmer("english") if lang == "en" else null_stemmer)
    summarizer.stop_words = get_stop_words("english" if lang == "en" else "chinese")
    words = _Words(lang)

    def select(sentences: list[Sentence], k: int, record: dict) -> list[int]:
        objs = [SumySentence(s.text, words) for s in sentences]
        position = {id(o): i for i, o in enumerate(objs)}
        document = ObjectDocumentModel([Paragraph(objs)])
        return [position[id(o)] for o in summarizer(document, k)]

    return select


def _random(sentences, k, record):
    return sorted(random.Random(zlib.crc32(record["id"].encode())).sample(range(len(sentences)), k))


def _lead(sentences, k, record):
    return list(range(k))


def _ours(lang: str, method: str = "learned", trim: str = "auto"):
    """The summary's lines: its sentences, or the one trimmed sentence."""
    built: dict[int, ExtractiveSummarizer] = {}  # one summarizer per budget, built once as a user would

    def select(sentences, k, record):
        if k not in built:
            built[k] = ExtractiveSummarizer(SummarizeConfig(max_sentences=k, ratio=None, max_share=None,
                                                            ranking={"method": method}, trim=trim))
        summary = built[k].summarize(sentences, lang, title=record.get("title"))
        return [summary.text] if "trim" in summary.details else [sentences[i].text for i in summary.sentences]

    return select


def _lines(select):
    """A selector of sentence indices as one of summary lines (article order)."""
    return lambda sentences, k, record: [sentences[i].text for i in sorted(select(sentences, k, record))]


def _oracle(lang: str):
    """Greedy extractive oracle: add the sentence that most raises (R1 + R2) F1 until the budget is
    used or nothing raises it. An upper bound for any sentence selector under this budget."""
    tokenizer = next(iter(scorers(lang).values()))._tokenizer

    def grams(tokens, n):
        return Counter(zip(*(tokens[i:] for i in range(n))))

    def f1(pred: Counter, ref: Counter) -> float:
        overlap = sum((pred & ref).values())
        return 0.0 if not overlap else 2 * overlap / (sum(pred.values()) + sum(ref.values()))

    def select(sentences, k, record):
        ref_tokens = tokenizer.tokenize(record["summary"])
        ref = [grams(ref_tokens, 1), grams(ref_tokens, 2)]
        toks = [tokenizer.tokenize(s.text) for s in sentences]
        chosen: list[int] = []
        best = 0.0
        while len(chosen) < k:
            gains = []
            for i in set(range(len(sentences))) - set(chosen):
                tokens = [t for j in sorted(chosen + [i]) for t in toks[j]]
                gains.append((f1(grams(tokens, 1), ref[0]) + f1(grams(tokens, 2), ref[1]), -i, i))
            if not gains or max(gains)[0] <= best:
                break
            best, _, pick = max(gains)
            chosen.append(pick)
        return sorted(chosen)

    return select


def systems(lang: str) -> dict:
    out = {"Random": _lines(_random), "Lead-k": _lines(_lead)}
    out.update({name: _lines(_sumy(cls, lang)) for name, cls in SUMY.items()})
    out["bisum hand-set"] = _ours(lang, "hand-set", "none")
    out["bisum learned, whole sentences"] = _ours(lang, trim="none")
    out["bisum extractive"] = _ours(lang)  # the default: learned where shipped, else hand-set; trimmed where shipped
    out["oracle (upper bound)"] = _lines(_oracle(lang))
    return out


def run_set(name: str, limit: int | None) -> None:
    loaded = load(name)
    if loaded is None:
        return
    records, lang = loaded
    records = records[:limit] if limit else records
    docs = []
    for r in records:
        sentences = split_sentences(r["article"], lang)
        k = max(1, min(len(sentences), len(split_sentences(r["summary"], lang))))
        docs.append((r, sentences, k))
    levels = scorers(lang)
    rows = []
    for system, select in systems(lang).items():
        totals = {(lv, m): 0.0 for lv in levels for m in METRICS}
        elapsed = []
        for _ in range(PASSES):
            gc.collect()
            gc.disable()  # as timeit does: a collection triggered by another system's garbage is not this one's cost
            start = time.perf_counter()
            picks = [select(sentences, k, r) for r, sentences, k in docs]
            elapsed.append(time.perf_counter() - start)
            gc.enable()
        for (r, sentences, k), lines in zip(docs, picks):
            pred = "\n".join(lines)
            ref = "\n".join(s.text for s in split_sentences(r["summary"], lang))
            for level, scorer in levels.items():
                scores = scorer.score(ref, pred)
                for m in METRICS:
                    totals[level, m] += scores[m].fmeasure
        rows.append((system, {key: 100 * v / len(docs) for key, v in totals.items()}, 1000 * min(elapsed) / len(docs)))
    print(f"\n### {name} dev ({len(docs)} articles, {lang}; budget = reference sentence count)\n")
    for level in levels:
        label = {"en": "rouge-score, stemmer on", "char": "character level", "word": "jieba word level"}[level]
        print(f"{label}: R1 / R2 / RL / RLsum F1 x100, ms per article (fastest of {PASSES} passes)\n")
        print("| system | R1 | R2 | RL | RLsum | ms/article |")
        print("|---|---|---|---|---|---|")
        for system, scores, ms in rows:
            cells = " | ".join(f"{scores[level, m]:.2f}" for m in SHOWN)
            print(f"| {system} | {cells} | {ms:.2f} |")
        print()
    _verdict(rows, next(iter(levels)))
    user_default(name, docs, lang)


def user_default(name: str, docs: list, lang: str) -> None:
    """The summary a user gets with no budget set (the embedded default config), against Lead-k with the same
    number of sentences and against the previous default (3 sentences, no share of the article)."""
    from pipeline.config import load_config
    from pipeline.lang import profile

    lp, (level, scorer) = profile(lang), next(iter(scorers(lang).items()))
    default = load_config(None).summarize
    rows = {"default (as a user gets it)": default,
            "previous default (3 sentences)": default.model_copy(update={"max_share": None})}
    print(f"{name}: the default budget ({default.max_sentences} sentences, at most {default.max_share} of the "
          f"article), {level} ROUGE-2 F1 x100\n")
    print("| system | median summary / article % | R2 | Lead-k, same sentences, R2 |\n|---|---|---|---|")
    for label, config in rows.items():
        summarizer = ExtractiveSummarizer(config)
        ratios, ours, lead = [], 0.0, 0.0
        for r, sentences, _ in docs:
            summary = summarizer.summarize(sentences, lang, title=r.get("title"))
            total = sum(lp.length(x.text) for x in sentences)
            ratios.append(lp.length(summary.text or "") / total if total else 0.0)
            lines = [summary.text] if "trim" in summary.details else [sentences[i].text for i in summary.sentences]
            ref = "\n".join(x.text for x in split_sentences(r["summary"], lang))
            ours += scorer.score(ref, "\n".join(lines))["rouge2"].fmeasure
            lead += scorer.score(ref, "\n".join(x.text for x in sentences[:len(summary.sentences)]))["rouge2"].fmeasure
        n = len(docs)
        print(f"| {label} | {100 * statistics.median(ratios):.1f} | {100 * ours / n:.2f} | {100 * lead / n:.2f} |")
    print()


def _verdict(rows, level: str) -> None:
    """Compare with the best baseline and with the oracle (the issue's goals)."""
    table = {system: scores for system, scores, _ in rows}
    baselines = [s for s in table if not s.startswith("bisum") and s != "oracle (upper bound)"]
    ours, oracle = table["bisum extractive"], table["oracle (upper bound)"]
    ms = {system: t for system, _, t in rows}
    for m in ("rouge2", "rougeL", "rougeLsum"):
        best = max(baselines, key=lambda s: table[s][level, m])
        gap = oracle[level, m] - table[best][level, m]
        closed = (ours[level, m] - table[best][level, m]) / gap if gap > 0 else float("nan")
        print(f"- {m} ({level}): bisum {ours[level, m]:.2f} vs best baseline {best} {table[best][level, m]:.2f} "
              f"({ours[level, m] - table[best][level, m]:+.2f}); gap to oracle closed: {100 * closed:.0f}%")
    print(f"- bisum (default) vs bisum hand-set, rouge2 ({level}): {ours[level, 'rouge2']:.2f} vs "
          f"{table['bisum hand-set'][level, 'rouge2']:.2f}; vs Lead-k {table['Lead-k'][level, 'rouge2']:.2f} "
          f"(whole sentences: {table['bisum learned, whole sentences'][level, 'rouge2']:.2f})")
    print(f"- speed: bisum {ms['bisum extractive']:.2f} ms/article vs sumy LexRank {ms['sumy LexRank']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS))
    parser.add_argument("--limit", type=int, default=None, help="first N articles of each set (quick runs)")
    args = parser.parse_args()
    for name in args.sets:
        run_set(name, args.limit)


if __name__ == "__main__":
    main()
