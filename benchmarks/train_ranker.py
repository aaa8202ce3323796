"""Train the learned sentence rankers of the extractive summarizer (make train-ranker).

For each training split in ../shared/data (never the dev sets): label every sentence with membership in the
greedy extractive oracle (the sentences that most raise ROUGE-1 + ROUGE-2 F1 against the reference, as many
as the reference has sentences), describe it with pipeline.summarize.ranker's features (the code the
summarizer runs), and fit a logistic regression (scikit-learn, fixed seed). Settings (regularisation, hash
size, MMR redundancy) are chosen on a fifth of the training split held out by id hash, by the ROUGE-2 of the
summaries the summarizer then makes (pairwise: see `fit`); the final model is fit on the whole split and written as JSON to
pipeline/summarize/rankers/NAME.json with the command, data, settings and held-out scores beside the weights.

Usage: python benchmarks/train_ranker.py [--rankers zh-finna en-ectsum] [--limit N]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks._data import DATA  # noqa: E402
from pipeline.config import SummarizeConfig  # noqa: E402
from pipeline.evaluate.rouge import scorers  # noqa: E402
from pipeline.lang import profile  # noqa: E402
from pipeline.schema import Sentence  # noqa: E402
from pipeline.segment import split_sentences  # noqa: E402
from pipeline.summarize import ranker as ranking  # noqa: E402
from pipeline.summarize.extractive import ExtractiveSummarizer  # noqa: E402

SEED = 0
TRAIN = {"zh-finna": ("zh_finna_train.jsonl", "zh"), "en-ectsum": ("en_ectsum_train.jsonl", "en")}
GRID_C = (0.02, 0.05, 0.2, 1.0)
GRID_DIMS = (4096, 16384)
GRID_REDUNDANCY = (0.0, 0.1, 0.2, 0.3)
NEGATIVES = 20  # other sentences paired with each oracle sentence (sampled with the seed when there are more)


def oracle(sentences: list[str], reference: str, k: int, tokenize) -> set[int]:
    """Greedy oracle: add the sentence that most raises R1 + R2 F1 (n-grams within sentences), up to k."""
    def grams(tokens, n):
        return Counter(zip(*(tokens[i:] for i in range(n))))

    def f1(pred: Counter, ref: Counter) -> float:
        overlap = sum((pred & ref).values())
        return 0.0 if not overlap else 2 * overlap / (sum(pred.values()) + sum(ref.values()))

    ref_tokens = tokenize(reference)
    refs = [grams(ref_tokens, 1), grams(ref_tokens, 2)]
    parts = [[grams(t, 1), grams(t, 2)] for t in (tokenize(s) for s in sentences)]
    chosen: list[int] = []
    current = [Counter(), Counter()]
    best = 0.0
    while len(chosen) < k:
        gains = [(f1(current[0] + parts[i][0], refs[0]) + f1(current[1] + parts[i][1], refs[1]), -i)
                 for i in range(len(sentences)) if i not in chosen]
        if not gains or max(gains)[0] <= best:
            break
        best, neg = max(gains)
        chosen.append(-neg)
        current = [current[0] + parts[-neg][0], current[1] + parts[-neg][1]]
    return set(chosen)


def prepare(records: list[dict], lang: str) -> list[dict]:
    """Per article: candidate sentences (as the summarizer sees them), budget, oracle labels, features."""
    lp = profile(lang)
    tokenize = next(iter(scorers(lang).values()))._tokenizer.tokenize
    out = []
    for record in records:
        sentences = [s.text for s in split_sentences(record["article"], lang) if not lp.is_heading(s.text)]
        if len(sentences) < 2:
            continue
        k = max(1, min(len(sentences), len(split_sentences(record["summary"], lang))))
        labels = oracle(sentences, record["summary"], k, tokenize)
        values, _, docs = ranking.features(sentences, lp, record.get("title"), learned=True)
        out.append({"record": record, "sentences": sentences, "k": k, "docs": docs,
                    "dense": np.column_stack([values[name] for name in ranking.DENSE]),
                    "labels": np.array([i in labels for i in range(len(sentences))], dtype=int)})
    return out


def design(articles: list[dict], dims: int):
    from scipy.sparse import csr_matrix, hstack

    dense = np.vstack([a["dense"] for a in articles])
    rows, cols, vals = [], [], []
    row = 0
    for a in articles:
        for buckets in ranking.words(a["docs"], dims):
            rows += [row] * len(buckets)
            cols += buckets.tolist()
            vals += [1.0 / math.sqrt(max(len(buckets), 1))] * len(buckets)
            row += 1
    lexical = csr_matrix((vals, (rows, cols)), shape=(row, dims))
    return hstack([csr_matrix(dense), lexical]).tocsr(), np.concatenate([a["labels"] for a in articles])


def fit(articles: list[dict], dims: int, c: float):
    """Pairwise logistic regression: for each oracle sentence and (up to NEGATIVES sampled) other sentences of
    the same article, the feature difference should rank the oracle sentence first. Learning which sentence
    of an article wins, rather than how likely a sentence is on its own, is what lets it leave the lead
    sentence when another carries the news."""
    from sklearn.linear_model import LogisticRegression

    x, y = design(articles, dims)
    rng = np.random.default_rng(SEED)
    winners, losers, start = [], [], 0
    for a in articles:
        n = len(a["labels"])
        positives = np.flatnonzero(a["labels"]) + start
        negatives = np.flatnonzero(a["labels"] == 0) + start
        for p in positives:
            sample = negatives if len(negatives) <= NEGATIVES else rng.choice(negatives, NEGATIVES, replace=False)
            winners += [p] * len(sample)
            losers += sample.tolist()
        start += n
    diff = x[winners] - x[losers]
    from scipy.sparse import vstack

    model = LogisticRegression(C=c, solver="liblinear", fit_intercept=False, random_state=SEED, max_iter=1000)
    model.fit(vstack([diff, -diff]).tocsr(), np.r_[np.ones(len(winners)), np.zeros(len(winners))])
    coef = model.coef_[0]
    return coef[:len(ranking.DENSE)], coef[len(ranking.DENSE):], 0.0


def rouge2(articles: list[dict], lang: str, learned: ranking.Ranker | None) -> float:
    """Mean ROUGE-2 F1 x100 of the summaries the summarizer makes with `learned` (benchmark levels: English
    with the stemmer, Chinese by character)."""
    scorer = next(iter(scorers(lang).values()))

    class WithRanker(ExtractiveSummarizer):
        def ranker(self, n_sentences, lang):
            return learned

    total = 0.0
    for a in articles:
        summarizer = WithRanker(SummarizeConfig(max_sentences=a["k"], ratio=None))
        sents = [Sentence(index=i, text=t, start=0, end=len(t)) for i, t in enumerate(a["sentences"])]
        picked = summarizer.summarize(sents, lang, title=a["record"].get("title")).sentences
        prediction = "\n".join(a["sentences"][i] for i in picked)
        reference = "\n".join(s.text for s in split_sentences(a["record"]["summary"], lang))
        total += scorer.score(reference, prediction)["rouge2"].fmeasure
    return 100 * total / len(articles)


def train(name: str, limit: int | None, data: Path = DATA, out_dir: Path = ranking.FOLDER) -> Path | None:
    file, lang = TRAIN[name]
    path = data / file
    if not path.exists():
        print(f"skipping {name}: {path} not found (the shared data is not part of the repository)", file=sys.stderr)
        return None
    started = time.perf_counter()
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = records[:limit] if limit else records
    articles = prepare(records, lang)
    held = [a for a in articles if zlib.crc32(a["record"]["id"].encode()) % 5 == 0]
    fitted = [a for a in articles if zlib.crc32(a["record"]["id"].encode()) % 5 != 0]
    print(f"{name}: {len(articles)} articles ({len(fitted)} fit, {len(held)} held out), "
          f"{sum(len(a['sentences']) for a in articles)} sentences, prepared in {time.perf_counter() - started:.0f} s")
    baseline = rouge2(held, lang, None)
    print(f"  held-out ROUGE-2, hand-set weights: {baseline:.2f}")
    trials = []
    for dims in GRID_DIMS:
        for c in GRID_C:
            dense, hashed, intercept = fit(fitted, dims, c)
            for redundancy in GRID_REDUNDANCY:
                candidate = ranking.Ranker(name, dense, hashed, intercept, redundancy, {})
                score = rouge2(held, lang, candidate)
                trials.append((score, -dims, -c, -redundancy))
                print(f"  dims {dims:>5}  C {c:<5} redundancy {redundancy:.1f}: {score:.2f}", flush=True)
    best = max(trials)  # ties: fewer buckets, stronger regularisation, less redundancy
    score, dims, c, redundancy = best[0], -best[1], -best[2], -best[3]
    dense, hashed, intercept = fit(articles, dims, c)
    out = out_dir / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    artefact = {
        "name": name, "features": list(ranking.DENSE), "dense": [round(float(v), 6) for v in dense],
        "hashed": [round(float(v), 5) for v in hashed], "intercept": round(intercept, 6), "redundancy": redundancy,
        "trained_on": {"file": file, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                       "articles": len(articles), "limit": limit},
        "command": "make train-ranker (python benchmarks/train_ranker.py)",
        "settings": {"C": c, "hash_buckets": dims, "redundancy": redundancy, "seed": SEED,
                     "labels": "greedy R1+R2 oracle, as many sentences as the reference"},
        "held_out_rouge2": {"learned": round(score, 2), "hand_set": round(baseline, 2), "articles": len(held)},
    }
    out.write_text(json.dumps(artefact, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"  chosen: dims {dims}, C {c}, redundancy {redundancy} (held-out ROUGE-2 {score:.2f} vs hand-set "
          f"{baseline:.2f}); wrote {out} ({out.stat().st_size // 1024} KB) in {time.perf_counter() - started:.0f} s")
    ranking.load.cache_clear()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rankers", nargs="*", default=sorted(set(ranking.RANKERS.values())), choices=list(TRAIN),
                        help="default: the shipped ones (zh-finna is trained only on request)")
    parser.add_argument("--limit", type=int, default=None, help="first N training articles (quick runs)")
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the *_train.jsonl files")
    parser.add_argument("--out", type=Path, default=ranking.FOLDER, help="folder the rankers are written to")
    args = parser.parse_args()
    for name in args.rankers:
        train(name, args.limit, args.data, args.out)


if __name__ == "__main__":
    main()
