"""Model path speed with a full-size replica of hf-small's summarizer (random weights: speed does not depend
on weight values). The architecture is distilbart-cnn-12-6's, written here as facts from its config.json on the
hub: d_model 1024, 12 encoder and 6 decoder layers, 16 heads, FFN 4096, 1024 positions, vocabulary 50,264; the
byte-level BPE tokenizer is trained here on the BBC dev articles with the same vocabulary size. Output length is
forced (min = max new tokens), so every setting does the same work. The replica is cached outside the repository
(~/.cache/bisum-bench).

1. Batch size of the summarizer on CPU (`batch_size` of the model spec), one process, 1 and 2 threads.
2. `bisum batch` with that model (batch size 4, so chunks of 4 records): 1 worker, 2 workers with the default
   thread split (cores / workers), and 2 workers each using every core (the old behaviour: oversubscribed).

Usage: python benchmarks/models.py [--articles 6] [--new-tokens 24] [--max-tokens 400]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._data import load  # noqa: E402

CACHE = Path(os.environ.get("BISUM_BENCH_CACHE", Path.home() / ".cache" / "bisum-bench"))
DISTILBART = dict(vocab_size=50264, d_model=1024, encoder_layers=12, decoder_layers=6, encoder_attention_heads=16,
                  decoder_attention_heads=16, encoder_ffn_dim=4096, decoder_ffn_dim=4096, max_position_embeddings=1024)


def replica(articles: list[str]) -> Path:
    """The distilbart-shaped replica (built once, then read from the cache)."""
    folder = CACHE / "distilbart-cnn-12-6-replica"
    if (folder / "config.json").exists():
        return folder
    import torch
    from transformers import BartConfig, BartForConditionalGeneration

    from tests.tiny_models import fast_tokenizer

    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = fast_tokenizer(folder, 1024, lines=articles, vocab=DISTILBART["vocab_size"])
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in ("<pad>", "<s>", "</s>")}
    torch.manual_seed(0)
    config = BartConfig(**{**DISTILBART, "vocab_size": len(tokenizer)}, pad_token_id=ids["<pad>"],
                        bos_token_id=ids["<s>"], eos_token_id=ids["</s>"], decoder_start_token_id=ids["</s>"])
    BartForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def batch_sizes(model: Path, texts: list[str], new_tokens: int) -> list[str]:
    import torch

    from pipeline.config import ModelSpec
    from pipeline.generate import generate
    from pipeline.models import load_model

    rows = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for size in (1, 4, 8):
            spec = ModelSpec(model=str(model), batch_size=size, max_input_tokens=1024,
                             generation={"num_beams": 1, "max_new_tokens": new_tokens, "min_new_tokens": new_tokens})
            tokenizer, net = load_model(spec, "seq2seq")
            start = time.perf_counter()
            generate(tokenizer, net, "seq2seq", texts, spec)
            seconds = time.perf_counter() - start
            rows.append(f"| {threads} | {size} | {len(texts) / seconds:.3f} |")
    return rows


def workers(model: Path, records: list[dict], new_tokens: int) -> list[str]:
    gen = {"num_beams": 1, "max_new_tokens": new_tokens, "min_new_tokens": new_tokens}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        for label, count, threads in (("1 worker", 1, None), ("2 workers, default split", 2, None),
                                      ("2 workers, all cores each", 2, os.cpu_count())):
            config = Path(tmp) / "c.yaml"
            config.write_text(json.dumps({"threads": threads, "translate": {"backend": "none"}, "summarize": {
                "backend": "seq2seq", "fallback": False, "en": {"model": str(model), "batch_size": 4,
                                                                 "max_input_tokens": 1024, "generation": gen}}}))
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "pipeline", "batch", "--input", str(src), "--output",
                                   str(Path(tmp) / f"out{count}{threads}.jsonl"), "--workers", str(count),
                                   "--config", str(config), "--quiet"], cwd=ROOT, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            status = "" if done.returncode == 0 else f" (exit {done.returncode}: {done.stderr.strip()[-200:]})"
            rows.append(f"| {label} | {seconds:.1f} | {len(records) / seconds:.3f}{status} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=6)
    parser.add_argument("--new-tokens", type=int, default=24)
    parser.add_argument("--max-tokens", type=int, default=400, help="only articles of at most this many tokens")
    parser.add_argument("--part", choices=["all", "batch-size", "workers"], default="all")
    args = parser.parse_args()
    loaded = load("BBC business")
    if loaded is None:
        return
    rows, _ = loaded
    model = replica([r["article"] for r in rows])
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model)
    # articles that fit the model in one piece: every setting then does exactly one pass per article
    picked = [r for r in rows if len(tokenizer(r["article"])["input_ids"]) <= args.max_tokens][: args.articles]
    print(f"distilbart-cnn-12-6 replica, {len(picked)} BBC articles of at most {args.max_tokens} tokens, "
          f"{args.new_tokens} new tokens each, {os.cpu_count()} cores\n")
    if args.part in ("all", "batch-size"):
        print("| threads | batch size | articles/s |\n|---|---|---|")
        print("\n".join(batch_sizes(model, [r["article"] for r in picked], args.new_tokens)))
    if args.part in ("all", "workers"):
        print("\n| `bisum batch` | seconds (process start and model load included) | articles/s |\n|---|---|---|")
        print("\n".join(workers(model, [{"id": r["id"], "text": r["article"]} for r in picked], args.new_tokens)))


if __name__ == "__main__":
    main()
