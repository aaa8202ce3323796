"""This project's extractive summarizer against Lead-3 on BBC business dev and FinNA dev, scored by
`pipeline.evaluate` (ROUGE with 95% bootstrap intervals, paired bootstrap test, faithfulness, abstraction),
and the time `evaluate` takes for one system on the 300 BBC pairs. Reports go to benchmarks/out/. Usage:

    python benchmarks/evaluation.py [--sets "BBC business" FinNA]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._data import DATA, SETS, load  # noqa: E402
from pipeline import Article, BilingualSummarizer, evaluate, load_config  # noqa: E402
from pipeline.evaluate import render_report as render  # noqa: E402
from pipeline.lang import profile  # noqa: E402
from pipeline.segment import split_sentences  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def run_set(name: str) -> None:
    loaded = load(name)
    if loaded is None:
        return
    records, lang = loaded
    folder = OUT / name.split()[0].lower()
    folder.mkdir(parents=True, exist_ok=True)
    summarizer = BilingualSummarizer(load_config(None, {"translate": {"backend": "none"}}))
    results = summarizer.run_many([Article(id=r["id"], text=r["article"], title=r.get("title")) for r in records])
    ours = _write(folder / "bisum.jsonl", [{"id": x.id, "summary": getattr(x, f"summary_{lang}")} for x in results])
    lead = _write(folder / "lead3.jsonl", [
        {"id": r["id"], "summary": profile(lang).join(s.text for s in split_sentences(r["article"], lang)[:3])}
        for r in records])
    refs = DATA / SETS[name][0]
    start = time.perf_counter()
    evaluate(ours, refs)
    one = time.perf_counter() - start
    report = evaluate([ours, lead], refs, names=["bisum extractive", "Lead-3"])
    render.write_all(report, folder)
    print(f"\n## {name} dev\n")
    print(render.to_markdown(report).split("\n", 2)[2])
    print(f"evaluate() on {report.pairs} pairs, one system: {one:.2f} s; reports in {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=["BBC business", "FinNA"], choices=list(SETS))
    args = parser.parse_args()
    for name in args.sets:
        run_set(name)


if __name__ == "__main__":
    main()
