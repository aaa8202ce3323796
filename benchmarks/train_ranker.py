"""Train the learned sentence rankers of the extractive summarizer (make train-ranker).

For each training split in ../shared/data (never the dev sets), every sentence is described by
pipeline.summarize.ranker's features (the code the summarizer runs) and a pairwise logistic regression
(scikit-learn, fixed seed) learns which sentence of an article should rank above which (see `fit`). SPECS says,
per ranker, what it learns from:
- labels `oracle`: membership in the greedy extractive oracle (the sentences that most raise ROUGE-1 + ROUGE-2 F1
  against the reference, as many as the reference has sentences), each oracle sentence above the others;
- labels `gain`: every pair of sentences whose ROUGE-1 + ROUGE-2 + ROUGE-L F1 against the reference differ, weighted
  by the difference (a headline-like reference of one sentence: which sentence is closer matters, by how much).
Settings (hash size, regularisation, MMR redundancy) are chosen by the ROUGE-2 of the summaries the summarizer
then makes on held-out folds of the training split (five folds by id hash, near-duplicate articles kept in one
fold where the spec says so: `assign_folds`; `folds` of them held out in turn); the final model is fit on the
whole split and written as JSON to pipeline/summarize/rankers/NAME.json with the command, data, settings and
held-out scores beside the weights.

Where the spec says `trim`, a clause trimmer (pipeline/summarize/trim.py) is trained next on the same articles:
every run of clauses of every sentence, labelled like `gain` sentences (pairs of runs of the same sentence), its
regularisation chosen by the held-out ROUGE-2 of one-sentence summaries that the fold's ranker picks and the
fold's trimmer cuts; written to rankers/NAME-trim.json.

Usage: python benchmarks/train_ranker.py [--rankers zh-finna en-ectsum] [--limit N]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass
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
from pipeline.summarize import trim  # noqa: E402
from pipeline.summarize.extractive import ExtractiveSummarizer  # noqa: E402

SEED = 0
FOLDS = 5
NEGATIVES = 20  # labels `oracle`: other sentences paired with each oracle sentence (sampled with the seed)


@dataclass(frozen=True)
class Spec:
    file: str
    lang: str
    labels: str                  # oracle | gain (module docstring)
    features: tuple[str, ...]    # dense features (names in ranker.FEATURES)
    lead_words: bool             # lexical features also marked by lead (ranker.by_lead)
    dims: tuple[int, ...]        # grid: hash buckets of the lexical features
    c: tuple[float, ...]         # grid: inverse regularisation
    redundancy: tuple[float, ...]  # grid: MMR redundancy
    folds: int                   # how many of the five folds are held out in turn to choose the settings
    near_duplicates: bool        # keep near-duplicate articles in one fold (assign_folds)
    trim: tuple[float, ...] = ()  # grid of inverse regularisation for a clause trimmer (none: no trimmer)
    counts: bool = False         # hashed words as counts (trim.Trimmer) rather than distinct buckets (Ranker.score)


SPECS = {
    # Earnings calls (~130 sentences, several reference lines): the first fold held out (one is plenty here).
    "en-ectsum": Spec("en_ectsum_train.jsonl", "en", "oracle", ranking.DENSE, False, (4096, 16384),
                      (0.02, 0.05, 0.2, 1.0), (0.0, 0.1, 0.2, 0.3), 1, False),
    # Chinese financial news (~5 sentences, a headline): all five folds in turn, since one fold's mean moves by
    # +-0.4 ROUGE-2, as much as the settings differ.
    "zh-finna": Spec("zh_finna_train.jsonl", "zh", "gain", ranking.FEATURES, True, (65536,), (0.2, 0.5, 1.0, 2.0),
                     (0.0, 0.2), 5, True, (0.01, 0.02, 0.05, 0.1)),
}


def assign_folds(articles: list[dict], near_duplicates: bool, shingle: int = 8, shared: float = 0.2) -> None:
    """Five folds by id hash. With `near_duplicates`, articles of which a `shared` part or more of the shorter
    one's distinct `shingle`-character strings occur in the other (templates such as registry notices or quake
    reports, one story from two outlets; strings in more than 50 articles are boilerplate and do not count) form
    a group that stays in one fold, that of its smallest id: held-out scores then measure unseen stories, not
    remembered ones."""
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if near_duplicates:
        owners: dict[int, list[int]] = {}
        sizes = []
        for i, a in enumerate(articles):
            text = a["record"]["article"]
            keys = {zlib.crc32(text[j:j + shingle].encode()) for j in range(len(text) - shingle + 1)}
            sizes.append(len(keys))
            for key in keys:
                owners.setdefault(key, []).append(i)
        overlap = Counter((i, j) for ids in owners.values() if len(ids) <= 50
                          for x, i in enumerate(ids) for j in ids[x + 1:])
        for (i, j), count in sorted(overlap.items()):
            if count >= max(3, shared * min(sizes[i], sizes[j])):
                parent[root(j)] = root(i)
    groups: dict[int, list[str]] = {}
    for i, a in enumerate(articles):
        groups.setdefault(root(i), []).append(a["record"]["id"])
    for i, a in enumerate(articles):
        a["fold"] = zlib.crc32(min(groups[root(i)]).encode()) % FOLDS
    empty = sorted(set(range(FOLDS)) - {a["fold"] for a in articles})
    if empty:
        raise ValueError(f"folds {empty} have no article ({len(articles)} articles in {len(groups)} groups of near "
                         "duplicates): more, or more varied, training articles are needed")


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


def prepare(records: list[dict], spec: Spec) -> list[dict]:
    """Per article: candidate sentences (as the summarizer sees them), budget, labels, features."""
    lp = profile(spec.lang)
    scorer = next(iter(scorers(spec.lang).values()))
    tokenize = scorer._tokenizer.tokenize
    out = []
    for record in records:
        sentences = [s.text for s in split_sentences(record["article"], spec.lang) if not lp.is_heading(s.text)]
        if len(sentences) < 2:
            continue
        reference = [s.text for s in split_sentences(record["summary"], spec.lang)]
        k = max(1, min(len(sentences), len(reference)))
        if spec.labels == "oracle":
            chosen = oracle(sentences, record["summary"], k, tokenize)
            gains = np.array([float(i in chosen) for i in range(len(sentences))])
        else:
            gains = np.array([gain(scorer, "\n".join(reference), s) for s in sentences])
        values, _, lexical = ranking.features(sentences, lp, record.get("title"), True,
                                              any(name in ranking.SHAPE for name in spec.features))
        out.append({"record": record, "sentences": sentences, "reference": "\n".join(reference), "k": k,
                    "values": values, "lexical": ranking.by_lead(lexical) if spec.lead_words else lexical,
                    "gains": gains})
    return out


def gain(scorer, reference: str, text: str) -> float:
    """ROUGE-1 + ROUGE-2 + ROUGE-L F1 of `text` against the reference (labels `gain`)."""
    score = scorer.score(reference, text)
    return sum(score[m].fmeasure for m in ("rouge1", "rouge2", "rougeL"))


def clause_runs(articles: list[dict], lang: str) -> list[dict]:
    """The trimmer's training groups: per sentence of two clauses or more, every run of its clauses with its
    features and its gain against the article's reference (the shape `design` and `pairs` take)."""
    lp = profile(lang)
    scorer = next(iter(scorers(lang).values()))
    groups = []
    for a in articles:
        for index, sentence in enumerate(a["sentences"]):
            parts = trim.clauses(sentence)
            if len(parts) < 2:
                continue
            runs, values, words = trim.candidates(parts, lp, index == 0)
            gains = np.array([gain(scorer, a["reference"], trim.text(parts, i, j, lang)) for i, j in runs])
            groups.append({"values": dict(zip(trim.FEATURES, values)), "lexical": words.expand(), "sentences": runs,
                           "gains": gains, "fold": a["fold"]})
    return groups


def design(articles: list[dict], spec: Spec, dims: int):
    from scipy.sparse import csr_matrix, hstack

    dense = np.vstack([np.column_stack([a["values"][name] for name in spec.features]) for a in articles])
    rows, cols, vals = [], [], []
    start = 0
    for a in articles:
        if spec.counts:  # as Trimmer.scores: every (unit, code) pair once (the matrix sums repeated buckets)
            owner, codes = a["lexical"]
            bucket = (codes % np.uint64(dims)).astype(np.int64)
            weight = np.ones(len(owner))
        else:  # as Ranker.score: each unit's distinct buckets over the square root of their number
            owner, bucket = ranking.buckets(a["lexical"], dims)
            weight = 1.0 / np.sqrt(np.bincount(owner, minlength=len(a["sentences"]))[owner])
        rows.append(start + owner)
        cols.append(bucket)
        vals.append(weight)
        start += len(a["sentences"])
    lexical = csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(start, dims))
    return hstack([csr_matrix(dense), lexical]).tocsr()


def pairs(articles: list[dict], spec: Spec) -> tuple[list[int], list[int], list[float]]:
    """(winner row, loser row, weight) over all articles' sentences, by the spec's labels."""
    rng = np.random.default_rng(SEED)
    winners, losers, weights, start = [], [], [], 0
    for a in articles:
        gains = a["gains"]
        for p in range(len(gains)):
            if spec.labels == "oracle":
                if not gains[p]:
                    continue
                others = np.flatnonzero(gains == 0)
                if len(others) > NEGATIVES:
                    others = rng.choice(others, NEGATIVES, replace=False)
                worse = [(q, 1.0) for q in others]
            else:
                worse = [(q, gains[p] - gains[q]) for q in range(len(gains)) if gains[p] > gains[q] + 1e-9]
            for q, weight in worse:
                winners.append(start + p)
                losers.append(start + int(q))
                weights.append(float(weight))
        start += len(gains)
    return winners, losers, weights


def fit(articles: list[dict], spec: Spec, dims: int, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise logistic regression: the feature difference of a better and a worse sentence of the same article
    should rank the better one first. Learning which sentence of an article wins, rather than how likely a
    sentence is on its own, is what lets it leave the lead sentence when another carries the news. Returns the
    dense and the hashed weights."""
    from scipy.sparse import vstack
    from sklearn.linear_model import LogisticRegression

    x = design(articles, spec, dims)
    winners, losers, weights = pairs(articles, spec)
    diff = x[winners] - x[losers]
    model = LogisticRegression(C=c, solver="liblinear", fit_intercept=False, random_state=SEED, max_iter=1000)
    model.fit(vstack([diff, -diff]).tocsr(), np.r_[np.ones(len(winners)), np.zeros(len(winners))],
              sample_weight=np.r_[weights, weights])
    coef = model.coef_[0]
    return coef[:len(spec.features)], coef[len(spec.features):]


def rouge2(articles: list[dict], lang: str, learned: ranking.Ranker | None, trimmer: trim.Trimmer | None = None
           ) -> float:
    """Mean ROUGE-2 F1 x100 of the summaries the summarizer makes with `learned` and `trimmer` (benchmark levels:
    English with the stemmer, Chinese by character)."""
    scorer = next(iter(scorers(lang).values()))

    class WithRanker(ExtractiveSummarizer):
        def ranker(self, n_sentences, lang):
            return learned

        def trimmer(self, n_sentences, lang):
            return trimmer

    total = 0.0
    for a in articles:
        summarizer = WithRanker(SummarizeConfig(max_sentences=a["k"], ratio=None, max_share=None))
        sents = [Sentence(index=i, text=t, start=0, end=len(t)) for i, t in enumerate(a["sentences"])]
        total += scorer.score(a["reference"], summarizer.summarize(sents, lang, title=a["record"].get("title")).text
                              )["rouge2"].fmeasure
    return 100 * total / len(articles)


def train(name: str, limit: int | None, data: Path = DATA, out_dir: Path = ranking.FOLDER) -> Path | None:
    spec = SPECS[name]
    path = data / spec.file
    if not path.exists():
        print(f"skipping {name}: {path} not found (the shared data is not part of the repository)", file=sys.stderr)
        return None
    started = time.perf_counter()
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = records[:limit] if limit else records
    articles = prepare(records, spec)
    assign_folds(articles, spec.near_duplicates)
    print(f"{name}: {len(articles)} articles, {sum(len(a['sentences']) for a in articles)} sentences, "
          f"prepared in {time.perf_counter() - started:.0f} s; {spec.folds} of {FOLDS} folds held out in turn")
    held = [[a for a in articles if a["fold"] == f] for f in range(spec.folds)]
    fitted = [[a for a in articles if a["fold"] != f] for f in range(spec.folds)]
    n_held = sum(map(len, held))

    def held_out(make_ranker) -> float:
        """Mean held-out ROUGE-2 over the held-out folds' articles; make_ranker(f) serves fold f."""
        return sum(rouge2(held[f], spec.lang, make_ranker(f)) * len(held[f]) for f in range(spec.folds)) / n_held

    baseline = held_out(lambda f: None)
    print(f"  held-out ROUGE-2, hand-set weights: {baseline:.2f}")
    trials, fold_weights = [], {}
    for dims in spec.dims:
        for c in spec.c:
            weights = fold_weights[dims, c] = [fit(fitted[f], spec, dims, c) for f in range(spec.folds)]
            for redundancy in spec.redundancy:
                score = held_out(lambda f: ranking.Ranker(name, spec.features, *weights[f], spec.lead_words,
                                                          redundancy))
                trials.append((score, -dims, -c, -redundancy))
                print(f"  dims {dims:>5}  C {c:<5} redundancy {redundancy:.1f}: {score:.2f}", flush=True)
    best = max(trials)  # ties: fewer buckets, stronger regularisation, less redundancy
    score, dims, c, redundancy = best[0], -best[1], -best[2], -best[3]
    dense, hashed = fit(articles, spec, dims, c)
    out = out_dir / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    artefact = {
        "name": name, "features": list(spec.features), "dense": [round(float(v), 6) for v in dense],
        "hashed": [round(float(v), 5) for v in hashed], "lead_words": spec.lead_words,
        "redundancy": redundancy,
        "trained_on": {"file": spec.file, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                       "articles": len(articles), "limit": limit},
        "command": "make train-ranker (python benchmarks/train_ranker.py)",
        "settings": {"labels": spec.labels, "C": c, "hash_buckets": dims, "redundancy": redundancy, "seed": SEED,
                     "held_out_folds": f"{spec.folds} of {FOLDS} by crc32(id)" + (
                         ", near duplicates in one fold (that of their smallest id)" if spec.near_duplicates else "")},
        "held_out_rouge2": {"learned": round(score, 2), "hand_set": round(baseline, 2), "articles": n_held},
    }
    out.write_text(json.dumps(artefact, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"  chosen: dims {dims}, C {c}, redundancy {redundancy} (held-out ROUGE-2 {score:.2f} vs hand-set "
          f"{baseline:.2f}); wrote {out} ({out.stat().st_size // 1024} KB) in {time.perf_counter() - started:.0f} s")
    ranking.load.cache_clear()
    if spec.trim:
        rankers = [ranking.Ranker(name, spec.features, *fold_weights[dims, c][f], spec.lead_words, redundancy)
                   for f in range(spec.folds)]
        train_trimmer(name, articles, spec, rankers, score, path, limit, out_dir)
    return out


def train_trimmer(name: str, articles: list[dict], spec: Spec, rankers: list[ranking.Ranker], whole: float,
                  path: Path, limit: int | None, out_dir: Path) -> Path | None:
    """The clause trimmer that goes with ranker `name` (module docstring); `rankers` are the chosen settings'
    fold rankers, `whole` their held-out ROUGE-2 without trimming."""
    started = time.perf_counter()
    groups = clause_runs(articles, spec.lang)
    if not groups:
        print(f"skipping {name}-trim: no sentence of two clauses or more", file=sys.stderr)
        return None
    print(f"{name}-trim: {len(groups)} sentences of two clauses or more, "
          f"{sum(len(g['sentences']) for g in groups)} runs of clauses")
    trim_spec = Spec(spec.file, spec.lang, "gain", trim.FEATURES, False, spec.dims, spec.trim, (0.0,), spec.folds,
                     spec.near_duplicates, counts=True)
    dims = max(spec.dims)
    held = [[a for a in articles if a["fold"] == f] for f in range(spec.folds)]
    n_held = sum(map(len, held))
    trials = []
    for c in spec.trim:
        trimmers = [trim.Trimmer(f"{name}-trim", *fit([g for g in groups if g["fold"] != f], trim_spec, dims, c))
                    for f in range(spec.folds)]
        score = sum(rouge2(held[f], spec.lang, rankers[f], trimmers[f]) * len(held[f])
                    for f in range(spec.folds)) / n_held
        trials.append((score, -c))
        print(f"  C {c:<5}: {score:.2f} (whole sentences {whole:.2f})", flush=True)
    score, c = max(trials)[0], -max(trials)[1]  # ties: stronger regularisation
    dense, hashed = fit(groups, trim_spec, dims, c)
    out = out_dir / f"{name}-trim.json"
    artefact = {
        "name": f"{name}-trim", "features": list(trim.FEATURES), "dense": [round(float(v), 6) for v in dense],
        "hashed": [round(float(v), 5) for v in hashed],
        "trained_on": {"file": spec.file, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                       "sentences": len(groups), "limit": limit},
        "command": "make train-ranker (python benchmarks/train_ranker.py)",
        "settings": {"labels": "gain over the runs of clauses of one sentence", "C": c, "hash_buckets": dims,
                     "seed": SEED, "held_out_folds": f"{spec.folds} of {FOLDS}, as the ranker's"},
        "held_out_rouge2": {"trimmed": round(score, 2), "whole_sentences": round(whole, 2), "articles": n_held},
    }
    out.write_text(json.dumps(artefact, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"  chosen: C {c} (held-out ROUGE-2 {score:.2f} vs whole sentences {whole:.2f}); wrote {out} "
          f"({out.stat().st_size // 1024} KB) in {time.perf_counter() - started:.0f} s")
    trim.load.cache_clear()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rankers", nargs="*", default=sorted(set(ranking.RANKERS.values())), choices=list(SPECS),
                        help="default: every shipped ranker")
    parser.add_argument("--limit", type=int, default=None, help="first N training articles (quick runs)")
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the *_train.jsonl files")
    parser.add_argument("--out", type=Path, default=ranking.FOLDER, help="folder the rankers are written to")
    args = parser.parse_args()
    for name in args.rankers:
        train(name, args.limit, args.data, args.out)


if __name__ == "__main__":
    main()
