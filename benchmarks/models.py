"""Model path speed at real size: full-size replicas of hf-small's models with random weights (speed depends on
the architecture and the amount of work, not on weight values), run by every path the package has.

Replicas (shapes are facts from the models' config.json on the Hugging Face hub; tokenizers are trained here on
the shared dev sets with the real vocabulary size; cached outside the repository in ~/.cache/bisum-bench):
- summarizer: sshleifer/distilbart-cnn-12-6 (BART: d_model 1024, 12 encoder / 6 decoder layers, 16 heads,
  FFN 4096, 1024 positions, vocabulary 50,264, GELU)
- translator: Helsinki-NLP/opus-mt-en-zh (Marian: d_model 512, 6 + 6 layers, 8 heads, FFN 2048, 512 positions,
  vocabulary 65,001, swish, sinusoidal positions, shared embeddings)

Work: summarize BBC business dev articles (those that fit the model in one pass) and translate EN->ZH the
3-sentence extractive summaries of BBC articles, with hf-small's generation settings (4 beams, its length
penalty and n-gram ban) and the output length forced (min = max new tokens), so every path does the same work.
Each row runs in its own process (load time and peak memory are that process's); converting for CTranslate2
happens before, once, and is not timed.

Paths: `naive` = model.generate per input, batch 1; `transformers` = the package's path (batches of 8 sorted
by length); `transformers int8` = the same with dynamic int8 linear layers; `ctranslate2 int8|float32` = the
CTranslate2 runtime (configs/hf-small-fast.yaml uses int8).

Usage: python benchmarks/models.py [--summaries 6] [--translations 24] [--threads 1 2] [--device cpu|cuda]
       (make bench-models; on a machine with an NVIDIA GPU: make bench-models DEVICE=cuda)
       python benchmarks/models.py --part batch-size|workers   (the earlier batch-size and worker studies)
"""
from __future__ import annotations

import argparse
import json
import os
import resource
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
OPUS_MT_EN_ZH = dict(d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8,
                     decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048,
                     max_position_embeddings=512, activation_function="swish", scale_embedding=True,
                     static_position_embeddings=True, share_encoder_decoder_embeddings=True)
OPUS_MT_VOCAB = 65001
SUMMARY = {"num_beams": 4, "length_penalty": 2.0, "no_repeat_ngram_size": 3, "early_stopping": True}
TRANSLATION = {"num_beams": 4}
PATHS = {"naive": ("transformers", None), "transformers": ("transformers", None),
         "transformers int8": ("transformers", "int8"), "ctranslate2 int8": ("ctranslate2", "int8"),
         "ctranslate2 float32": ("ctranslate2", "float32"), "ctranslate2 int8_float16": ("ctranslate2", "int8_float16"),
         "ctranslate2 float16": ("ctranslate2", "float16")}
GPU_PATHS = ["naive", "transformers", "ctranslate2 int8_float16", "ctranslate2 float16"]  # transformers: bfloat16
CPU_PATHS = ["naive", "transformers", "transformers int8", "ctranslate2 int8", "ctranslate2 float32"]


def bart_replica(articles: list[str]) -> Path:
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
                        bos_token_id=ids["<s>"], eos_token_id=ids["</s>"], decoder_start_token_id=ids["</s>"],
                        forced_bos_token_id=ids["<s>"], forced_eos_token_id=ids["</s>"])
    BartForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def marian_replica(english: list[str], chinese: list[str]) -> Path:
    folder = CACHE / "opus-mt-en-zh-replica"
    if (folder / "config.json").exists():
        return folder
    from tests.tiny_models import build_tiny_marian

    return build_tiny_marian(folder, shape=OPUS_MT_EN_ZH, lines=(english, chinese), vocab_size=OPUS_MT_VOCAB)


def work(count_summaries: int, count_translations: int) -> dict | None:
    """The inputs: (article texts to summarize, per-article lists of summary sentences to translate)."""
    bbc, finna = load("BBC business"), load("FinNA")
    if bbc is None or finna is None:
        return None
    articles = [r["article"] for r in bbc[0]]
    bart = bart_replica(articles)
    marian = marian_replica(articles, [r["article"] for r in finna[0]])
    from transformers import AutoTokenizer

    from pipeline import BilingualSummarizer

    tokenizer = AutoTokenizer.from_pretrained(bart)
    fits = [a for a in articles if len(tokenizer(a)["input_ids"]) <= 1024]
    extractive = BilingualSummarizer({"translate": {"backend": "none"}, "glossary": {"enabled": False}})
    summaries = [extractive.run(a).summary_en for a in articles[:count_translations]]
    from pipeline.segment import split_sentences

    return {"bart": str(bart), "marian": str(marian), "summarize": fits[:count_summaries],
            "translate": [[s.text for s in split_sentences(t, "en")] for t in summaries]}


def spec_for(task: str, path: str, inputs: dict, device: str, new_tokens: int):
    from pipeline.config import ModelSpec

    runtime, compute = PATHS[path]
    generation = {**(SUMMARY if task == "summarize" else TRANSLATION), "max_new_tokens": new_tokens,
                  "min_new_tokens": new_tokens}
    if task == "summarize":
        return ModelSpec(model=inputs["bart"], runtime=runtime, compute_type=compute, device=device, dtype="auto",
                         max_input_tokens=1024, generation=generation)
    return ModelSpec(model=inputs["marian"], runtime=runtime, compute_type=compute, device=device, dtype="auto",
                     target_prefix=">>cmn_Hans<<", generation=generation)


def run_one(task: str, path: str, threads: int, inputs: dict, device: str, new_tokens: int) -> dict:
    """One row, in this process: load, then the task over every article."""
    from pipeline import models
    from pipeline.generate import generate, generate_ids, render

    models.set_threads(threads)
    spec = spec_for(task, path, inputs, device, new_tokens)
    start = time.perf_counter()
    tokenizer, model = models.load_model(spec, "seq2seq")
    loaded = time.perf_counter() - start
    articles = inputs[task]
    texts = articles if task == "summarize" else [[render(tokenizer, spec, "seq2seq", "", ">>cmn_Hans<< " + s)
                                                  for s in sentences] for sentences in articles]
    start = time.perf_counter()
    if task == "summarize":
        if path == "naive":
            for text in texts:
                generate_ids(tokenizer, model, "seq2seq", [text], spec)
        else:
            generate(tokenizer, model, "seq2seq", texts, spec)
    else:
        if path == "naive":  # per article, per sentence
            for sentences in texts:
                for sentence in sentences:
                    generate_ids(tokenizer, model, "seq2seq", [sentence], spec)
        else:  # the package's path: every sentence of every article in length-sorted batches
            generate(tokenizer, model, "seq2seq", [s for sentences in texts for s in sentences], spec)
    seconds = time.perf_counter() - start
    return {"articles_per_s": len(articles) / seconds, "load_s": loaded, "peak_mb": peak_mb()}


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(inputs_file: Path, inputs: dict, threads: list[int], device: str, summary_tokens: int,
          translation_tokens: int, paths: list[str]) -> None:
    print("| stage | path | threads | articles/s | load s | peak memory MB |\n|---|---|---|---|---|---|")
    for task, new_tokens in (("translate", translation_tokens), ("summarize", summary_tokens)):
        for path in paths:
            for count in threads:
                if path == "naive" and count != threads[0]:
                    continue  # the baseline once
                done = subprocess.run([sys.executable, __file__, "--row", task, path, str(count), str(inputs_file),
                                       device, str(new_tokens)], capture_output=True, text=True, cwd=ROOT)
                if done.returncode != 0:
                    print(f"| {task} | {path} | {count} | failed: {done.stderr.strip().splitlines()[-1][:120]} | | |")
                    continue
                row = json.loads(done.stdout.strip().splitlines()[-1])
                print(f"| {task} | {path} | {count} | {row['articles_per_s']:.3f} | {row['load_s']:.1f} | "
                      f"{row['peak_mb']:.0f} |", flush=True)


def batch_sizes(model: str, texts: list[str], new_tokens: int) -> list[str]:
    from pipeline import models
    from pipeline.config import ModelSpec
    from pipeline.generate import generate

    rows = []
    for threads in (1, 2):
        models.set_threads(threads)
        for size in (1, 4, 8):
            spec = ModelSpec(model=model, batch_size=size, max_input_tokens=1024,
                             generation={"num_beams": 1, "max_new_tokens": new_tokens, "min_new_tokens": new_tokens})
            tokenizer, net = models.load_model(spec, "seq2seq")
            start = time.perf_counter()
            generate(tokenizer, net, "seq2seq", texts, spec)
            rows.append(f"| {threads} | {size} | {len(texts) / (time.perf_counter() - start):.3f} |")
    return rows


def workers(model: str, texts: list[str], new_tokens: int) -> list[str]:
    gen = {"num_beams": 1, "max_new_tokens": new_tokens, "min_new_tokens": new_tokens}
    records = [{"id": str(i), "text": t} for i, t in enumerate(texts)]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        for label, count, threads in (("1 worker", 1, None), ("2 workers, default split", 2, None),
                                      ("2 workers, all cores each", 2, os.cpu_count())):
            config = Path(tmp) / "c.yaml"
            config.write_text(json.dumps({"threads": threads, "translate": {"backend": "none"}, "summarize": {
                "backend": "seq2seq", "fallback": False, "en": {"model": model, "batch_size": 4,
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
    if len(sys.argv) > 1 and sys.argv[1] == "--row":
        task, path, threads, file, device, new_tokens = sys.argv[2:8]
        inputs = json.loads(Path(file).read_text(encoding="utf-8"))
        print(json.dumps(run_one(task, path, int(threads), inputs, device, int(new_tokens))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summaries", type=int, default=6, help="articles to summarize")
    parser.add_argument("--translations", type=int, default=24, help="3-sentence summaries to translate")
    parser.add_argument("--summary-tokens", type=int, default=80, help="forced length of each summary")
    parser.add_argument("--translation-tokens", type=int, default=48, help="forced length of each sentence")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--device", default="cpu", help="cpu, or cuda on a machine with an NVIDIA GPU")
    parser.add_argument("--paths", nargs="+", choices=list(PATHS), help="default: the CPU or the GPU paths")
    parser.add_argument("--part", choices=["paths", "batch-size", "workers"], default="paths")
    args = parser.parse_args()
    inputs = work(args.summaries, args.translations)
    if inputs is None:
        return
    args.paths = args.paths or (CPU_PATHS if args.device == "cpu" else GPU_PATHS)
    print(f"{os.cpu_count()} cores, device {args.device}; {len(inputs['summarize'])} BBC articles summarized "
          f"({args.summary_tokens} new tokens each), {len(inputs['translate'])} 3-sentence summaries translated "
          f"EN->ZH ({args.translation_tokens} new tokens per sentence)\n")
    if args.part == "batch-size":
        print("| threads | batch size | articles/s |\n|---|---|---|")
        print("\n".join(batch_sizes(inputs["bart"], inputs["summarize"], 24)))
        return
    if args.part == "workers":
        print("| `bisum batch` | seconds (process start and model load included) | articles/s |\n|---|---|---|")
        print("\n".join(workers(inputs["bart"], inputs["summarize"], 24)))
        return
    from pipeline import models

    for task in ("summarize", "translate"):  # convert once, outside the timed rows
        for path in args.paths:
            if PATHS[path][0] == "ctranslate2":
                models.load_model(spec_for(task, path, inputs, args.device, 8), "seq2seq")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(inputs, handle)
    try:
        table(Path(handle.name), inputs, args.threads, args.device, args.summary_tokens, args.translation_tokens,
              args.paths)
    finally:
        os.unlink(handle.name)


if __name__ == "__main__":
    main()
