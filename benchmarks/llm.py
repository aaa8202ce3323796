"""The offline model (configs/offline.yaml) at real size: the project's llama-cpp runtime against llama-cpp-python
called directly (same prompts, same greedy decoding, same threads), and seconds per article to translate a
three-sentence extractive summary, at 1 and 2 threads. Each row runs in a fresh process (its load time and peak
memory are its own). Needs the installed model (`bisum models install qwen2.5-coder-1.5b`) and llama-cpp-python;
says so and stops otherwise. Then runs the test marked as needing the real model.

Usage: python benchmarks/llm.py [--articles 6] [--threads 1 2]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._data import OFFLINE_MODEL, load, offline_model_missing  # noqa: E402

MODEL = OFFLINE_MODEL
# Prompts for the tokens/s rows: written for this benchmark (not from the shared data).
SENTENCES = ["The central bank cut the reserve requirement ratio by 0.5 percentage points on Friday.",
             "Green loans in the province rose 28 percent to 820 billion yuan by the end of September.",
             "The lender said net profit for the first nine months fell 3.2 percent from a year earlier.",
             "中国人民银行周一表示，将新增科技创新再贷款额度2000亿元。",
             "截至9月末，全国绿色贷款余额达到30万亿元，同比增长25%。",
             "科创板上市公司前三季度研发投入同比增长12.4%。"]
NEW_TOKENS = 64


def _spec(threads: int):
    from pipeline import load_config

    spec = load_config("offline").translate.en_zh
    return spec.model_copy(update={"generation": {**spec.generation, "max_new_tokens": NEW_TOKENS}})


def _prompts(tokenizer, spec) -> list[str]:
    from pipeline.generate import render

    return [render(tokenizer, spec, "causal", "translate_zh_en" if not s.isascii() else "translate_en_zh", s)
            for s in SENTENCES]


def row_tokens(path: str, threads: int) -> dict:
    """The project's runtime: load_model + generate_ids, as the translator calls them."""
    from pipeline import models
    from pipeline.generate import generate_ids

    models.set_threads(threads)
    spec = _spec(threads)
    start = time.perf_counter()
    tokenizer, model = models.load_model(spec, "causal")
    loaded = time.perf_counter() - start
    prompts = _prompts(tokenizer, spec)
    generate_ids(tokenizer, model, "causal", prompts[:1], spec)  # warm-up, as for the direct row
    start = time.perf_counter()
    ids = generate_ids(tokenizer, model, "causal", prompts, spec)
    seconds = time.perf_counter() - start
    import llama_cpp

    vocab = model.llama._model.vocab  # the end-of-turn token the runtime returns is not text: not counted
    tokens = sum(1 for row in ids for t in row if not llama_cpp.llama_vocab_is_eog(vocab, t))
    return {"load_s": loaded, "tokens": tokens, "seconds": seconds}


def row_direct(path: str, threads: int) -> dict:
    """llama-cpp-python alone: Llama(...) and create_completion on the same rendered prompts, greedy."""
    import llama_cpp

    from pipeline import models

    models.set_threads(threads)
    spec = _spec(threads)
    start = time.perf_counter()
    llama = llama_cpp.Llama(path, n_ctx=spec.context_size, n_threads=threads, n_threads_batch=threads, seed=0,
                            verbose=False)
    loaded = time.perf_counter() - start
    from pipeline.runtimes.llama_cpp import GGUFTokenizer

    # the same prompts, rendered from the same template over this Llama (no second copy of the model)
    prompts = _prompts(GGUFTokenizer(llama, llama.metadata["tokenizer.chat_template"], spec.context_size), spec)
    llama.create_completion(prompts[0], max_tokens=NEW_TOKENS, temperature=0.0, top_k=1)
    start, tokens = time.perf_counter(), 0
    for prompt in prompts:
        done = llama.create_completion(prompt, max_tokens=NEW_TOKENS, temperature=0.0, top_k=1, top_p=1.0, min_p=0.0)
        tokens += done["usage"]["completion_tokens"]
    return {"load_s": loaded, "tokens": tokens, "seconds": time.perf_counter() - start}


def row_translate(path: str, threads: int, articles: int) -> dict:
    """Seconds per article of the translate stage on three-sentence extractive summaries of BBC business dev
    articles (the examples when the shared data is absent), full pipeline, configs/offline.yaml."""
    from pipeline import Article, BilingualSummarizer, load_config

    data = load("BBC business")
    texts = [r["article"] for r in data[0][:articles]] if data else [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    summarizer = BilingualSummarizer(load_config("offline", {"threads": threads}))
    start = time.perf_counter()
    summarizer.run(Article(id="warm-up", text=texts[0]))
    loaded = time.perf_counter() - start
    seconds, warned, sentences = [], 0, 0
    for i, text in enumerate(texts):
        result = summarizer.run(Article(id=str(i), text=text))
        seconds.append(result.timings["translate"])
        warned += any(w.startswith("summary_zh: figures") for w in result.warnings)
        sentences += result.provenance["summary_zh"].details.get("sentences", 0)
    return {"load_s": loaded, "articles": len(texts), "s_per_article": sum(seconds) / len(seconds),
            "sentences": sentences, "numbers_warned": warned}


def child(part: str, threads: int, articles: int) -> None:
    from pipeline import model_store

    path = str(model_store.resolve(MODEL)[0])
    result = {"tokens": row_tokens, "direct": row_direct}[part](path, threads) if part != "translate" else \
        row_translate(path, threads, articles)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=6)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--part", choices=["tokens", "direct", "translate"], help=argparse.SUPPRESS)
    parser.add_argument("--threads-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part:
        child(args.part, args.threads_one, args.articles)
        return 0
    missing = offline_model_missing()
    if missing:
        print(f"skipping: {missing}", file=sys.stderr)
        return 0
    rows = []
    for threads in args.threads:
        for part in ("direct", "tokens", "translate"):
            out = subprocess.run([sys.executable, __file__, "--part", part, "--threads-one", str(threads),
                                  "--articles", str(args.articles)], capture_output=True, text=True, cwd=ROOT)
            if out.returncode:
                print(out.stderr[-2000:], file=sys.stderr)
                return 1
            rows.append((part, threads, json.loads(out.stdout.strip().splitlines()[-1])))
    print("| path | threads | tokens/s | load s | peak memory MB |\n|---|---|---|---|---|")
    for part, threads, r in rows:
        if part != "translate":
            name = "llama-cpp-python called directly" if part == "direct" else "bisum llama-cpp runtime"
            print(f"| {name} | {threads} | {r['tokens'] / r['seconds']:.2f} | {r['load_s']:.1f} | {r['peak_mb']:.0f} |")
    for threads in args.threads:
        ours = next(r for p, t, r in rows if p == "tokens" and t == threads)
        direct = next(r for p, t, r in rows if p == "direct" and t == threads)
        print(f"\n{threads} thread(s): the runtime reaches {100 * (ours['tokens'] / ours['seconds']) / (direct['tokens'] / direct['seconds']):.1f}% "
              f"of llama-cpp-python's tokens/s ({ours['tokens']} vs {direct['tokens']} tokens)")
    print("\n| translate a 3-sentence summary (offline config) | threads | articles | s/article | load s | peak memory MB | "
          "numbers warned |\n|---|---|---|---|---|---|---|")
    for part, threads, r in rows:
        if part == "translate":
            print(f"| full pipeline | {threads} | {r['articles']} | {r['s_per_article']:.2f} | {r['load_s']:.1f} | "
                  f"{r['peak_mb']:.0f} | {r['numbers_warned']} |")
    env = {**os.environ, "BISUM_REAL_MODEL": "1"}
    test = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore",
                           "tests/test_llama_cpp.py", "-k", "real"], cwd=ROOT, env=env, capture_output=True, text=True)
    print(f"\nreal-model test: {'passed' if test.returncode == 0 else 'FAILED'}")
    if test.returncode:
        print(test.stdout[-3000:])
    return test.returncode


if __name__ == "__main__":
    sys.exit(main())
