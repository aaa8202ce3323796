"""Translation with the offline model (configs/offline.yaml): the raw model with a plain prompt (no placeholders, no
checks, no retries) against the project's translator (placeholders, checks on every sentence, bounded repair), in
one run with the same model, runtime and threads. Sets: WMT18 zh-en economy sentences in both directions (zh->en as
published; en->zh with the Chinese original as the reference) and the CyEn2ZhSum sample (English article ->
three-sentence extractive summary -> Chinese, scored against the Chinese reference summary). Also: each check run
with the human reference as the "translation" (its false-alarm rate), over the whole WMT file, no model needed.

Usage: python benchmarks/translate.py [--sentences 100] [--offset 250] [--threads 2] [--false-alarms-only]
The checks were tuned on WMT rows 0-249 (file order); the default model rows are rows 250-349 (held out).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._data import DATA, OFFLINE_MODEL, offline_model_missing  # noqa: E402

WMT = DATA / "mt_wmt18_zhen_econ_dev.jsonl"
CYEN = DATA / "en2zh_cyen2zhsum_sample.jsonl"
MODEL = OFFLINE_MODEL
TUNED = 250  # rows 0..249 of the WMT file chose the checks' rules


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def false_alarms(rows: list[dict], detector) -> None:
    """Share of sentences where a check fires when the 'translation' is the human one."""
    from pipeline.translate.checks import failures

    codes = ["numbers_missing", "numbers_added", "untranslated_words", "term_not_rendered", "entity_unmatched",
             "entity_added"]
    print("\nFalse alarms: each check with the human reference as the translation (% of sentences)\n")
    print("| direction | rows | " + " | ".join(codes) + " |\n|---|---|" + "---|" * len(codes))
    for src, tgt in (("zh", "en"), ("en", "zh")):
        for name, part in (("0-249 (tuned on)", rows[:TUNED]), (f"{TUNED}-{len(rows) - 1} (held out)", rows[TUNED:])):
            fired = Counter(code for r in part for code in failures(r[src], r[tgt], src, tgt, detector))
            print(f"| {src}->{tgt} | {name} | " + " | ".join(f"{100 * fired[c] / len(part):.1f}" for c in codes) + " |")


def _config(threads: int, raw: bool, src: str, tgt: str):
    from pipeline import load_config

    config = load_config("offline", {"threads": threads})
    if not raw:
        return config
    spec = getattr(config.translate, f"{src}_{tgt}").model_copy(update={"prompt": f"translate_{src}_{tgt}_plain"})
    translate = config.translate.model_copy(update={"protect": False, "repair_attempts": 0, "checks": [],
                                                    f"{src}_{tgt}": spec})
    return config.model_copy(update={"translate": translate})


def run_row(sources: list[str], refs: list[str], src: str, tgt: str, raw: bool, threads: int, detector,
            dump: Path | None = None) -> dict:
    """Translate every source with one row's settings; score the outputs with the same checks for both rows
    (and write source, output, reference, notices and attempts per sentence as JSONL to `dump`)."""
    import sacrebleu

    from pipeline.figures import compare
    from pipeline.schema import Summary
    from pipeline.translate import TranslateStage
    from pipeline.translate.checks import failures

    stage = TranslateStage(_config(threads, raw, src, tgt).translate, detector)
    stage.run([Summary(lang=src, text=sources[0], backend="bench")], tgt)  # load the model outside the clock
    start = time.perf_counter()
    results = stage.run([Summary(lang=src, text=s, backend="bench") for s in sources], tgt)
    seconds = time.perf_counter() - start
    outputs = [r.text or "" for r in results]
    if dump is not None:
        dump.parent.mkdir(parents=True, exist_ok=True)
        dump.write_text("".join(json.dumps({"source": s, "output": o, "reference": ref,
                                            "notices": [n.message for n in r.notices],
                                            "repair": r.details.get("repair")}, ensure_ascii=False) + "\n"
                                for s, o, ref, r in zip(sources, outputs, refs, results)), encoding="utf-8")
    attempts = [a for r in results for a in r.details.get("repair", {}).get("attempts", [1])]
    tokenize = "zh" if tgt == "zh" else "13a"
    bleu = sacrebleu.corpus_bleu(outputs, [refs], tokenize=tokenize).score
    chrf = sacrebleu.corpus_chrf(outputs, [refs]).score
    figures = [compare(s, o) for s, o in zip(sources, outputs)]
    found = [failures(s, o, src, tgt, detector) for s, o in zip(sources, outputs)]
    noticed = [{n.code for n in r.notices} for r in results]
    source_figures = sum(f.source_figures for f in figures)
    missing = sum(len(f.missing) for f in figures)
    terms = [len(detector.find(s, src)) for s in sources]

    def unflagged(code: str) -> int:
        return sum(1 for f, n in zip(found, noticed) if code in f and code not in n)

    return {
        "BLEU": bleu, "chrF": chrf, "n": len(sources),
        "figures kept %": 100 * (source_figures - missing) / max(1, source_figures),
        "sentences w/ figure missing or changed": sum(1 for f in figures if f.missing),
        "sentences w/ figure added": sum(1 for f in figures if f.added),
        "... of them without a notice": unflagged("numbers_missing") + unflagged("numbers_added"),
        "sentences w/ untranslated words": sum(1 for f in found if "untranslated_words" in f),
        "... without a notice": unflagged("untranslated_words"),
        "glossary renderings right %": 100 * (1 - sum(len(f.get("term_not_rendered", [])) for f in found)
                                              / max(1, sum(terms))),
        "sentences w/ entity problem": sum(1 for f in found if "entity_unmatched" in f or "entity_added" in f),
        "s per input": seconds / len(sources),
        "attempts per sentence": sum(attempts) / len(attempts), "max attempts": max(attempts),
        "sentences still flagged": sum(1 for n in noticed if n),
    }


def _print(title: str, rows: list[tuple[str, dict]]) -> None:
    keys = list(rows[0][1])
    print(f"\n{title}\n\n| metric | " + " | ".join(name for name, _ in rows) + " |\n|---|" + "---|" * len(rows))
    for key in keys:
        cells = [f"{r[key]:.2f}" if isinstance(r[key], float) else str(r[key]) for _, r in rows]
        print(f"| {key} | " + " | ".join(cells) + " |")


def _dump(folder: Path | None, name: str, raw: bool) -> Path | None:
    return folder / f"{name}_{'raw' if raw else 'bisum'}.jsonl" if folder else None


def _summaries(records: list[dict], threads: int) -> list[str]:
    """Three-sentence extractive English summaries of the CyEn2ZhSum articles (the project's default summarizer)."""
    from pipeline import Article, BilingualSummarizer, load_config

    summarizer = BilingualSummarizer(load_config("default", {"translate": {"backend": "none"},
                                                             "summarize": {"max_sentences": 3}}))
    return [summarizer.run(Article(id=r["id"], text=r["article_en"])).summary_en for r in records]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100, help="WMT rows per direction for the model rows")
    parser.add_argument("--offset", type=int, default=TUNED, help="first WMT row for the model rows")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--false-alarms-only", action="store_true")
    parser.add_argument("--dump", type=Path, help="folder for the outputs of every row, as JSONL")
    args = parser.parse_args()
    if not WMT.exists():
        print(f"skipping: {WMT} not found (the shared data is not part of the repository)", file=sys.stderr)
        return 0
    from pipeline.glossary.detect import detector_for

    detector = detector_for(None)
    rows = _rows(WMT)
    false_alarms(rows, detector)
    if args.false_alarms_only:
        return 0
    missing = offline_model_missing()
    if missing:
        print(f"skipping the model rows: {missing}", file=sys.stderr)
        return 0
    part = rows[args.offset:args.offset + args.sentences]
    print(f"\nModel rows: WMT rows {args.offset}-{args.offset + len(part) - 1}, {MODEL}, llama-cpp runtime, "
          f"{args.threads} threads, greedy")
    for src, tgt in (("zh", "en"), ("en", "zh")):
        sources, refs = [r[src] for r in part], [r[tgt] for r in part]
        _print(f"WMT18 {src}->{tgt} ({len(part)} sentences)",
               [(name, run_row(sources, refs, src, tgt, raw, args.threads, detector,
                                _dump(args.dump, f"wmt_{src}_{tgt}", raw)))
                for name, raw in (("raw model, plain prompt", True), ("bisum translator", False))])
    if CYEN.exists():
        records = _rows(CYEN)
        summaries = _summaries(records, args.threads)
        refs = [r["summary_zh"] for r in records]
        _print(f"CyEn2ZhSum sample: English article -> 3-sentence extractive summary -> Chinese ({len(records)} "
               "articles; a smoke test)",
               [(name, run_row(summaries, refs, "en", "zh", raw, args.threads, detector,
                                _dump(args.dump, "cyen2zhsum", raw)))
                for name, raw in (("raw model, plain prompt", True), ("bisum translator", False))])
    return 0


if __name__ == "__main__":
    sys.exit(main())
