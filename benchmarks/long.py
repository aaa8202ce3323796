"""Long inputs with the embedded default, one fresh process per size: seconds per stage and peak memory for
documents of 1k, 10k, 40k and 100k sentences, and the growth exponent between 10k and 100k (1 = linear).

Four kinds of text: `news` joins BBC business dev articles one after another (a day of newswire pasted as one
file); `calls` joins ECTSum earnings-call transcripts; `news, Chinese` joins FinNA articles; `residue, one line`
is written here (no data needed): news sentences and translation residue ("Ta.", "He said.", tags, zero-width
characters) on one single line, the worst case for anything that looks back to a line start. Goals: 100k
sentences (~7 MB) in under 60 s and under 1 GB peak on one core; exponent <= 1.2.

Usage: python benchmarks/long.py [--sizes 1000 10000 40000 100000] [--sets 'BBC business' ECTSum FinNA residue]
"""
from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._data import load  # noqa: E402

STAGES = ("detect", "clean", "segment", "summarize", "glossary", "total")
_RUN = """
import json, resource, sys, time
import pipeline
text = open(sys.argv[1], encoding="utf-8").read()
config = {"input": {"max_chars": 50_000_000}, "translate": {"backend": "none"}}
start = time.perf_counter()
result = pipeline.BilingualSummarizer(config).run(pipeline.Article(id="long", text=text))
wall = time.perf_counter() - start
print(json.dumps({"timings": result.timings, "wall": wall, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "sections": result.provenance["summary_" + result.source_lang].details.get("sections", 1)}))
"""


RESIDUE = ["The central bank cut its one-year lending rate by 10 basis points on Monday.", "Ta.",
           "Banks <br> raised deposit rates for small savers.", "He said.", "It is.",
           "Loans to small firms rose 5% in May,\u200b the regulator said.", "According to."]


def document(sentences: list[str], size: int, joiner: str, paragraph: int | None = 20) -> str:
    """`size` sentences, cycling through the source sentences (paragraphs of `paragraph`; None: one line)."""
    picked = [sentences[i % len(sentences)] for i in range(size)]
    if paragraph is None:
        return joiner.join(picked) + "\n"
    return "\n\n".join(joiner.join(picked[i:i + paragraph]) for i in range(0, size, paragraph)) + "\n"


def measure(text: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as fh:
        fh.write(text)
    done = subprocess.run([sys.executable, "-c", _RUN, fh.name], cwd=ROOT, capture_output=True, text=True)
    Path(fh.name).unlink()
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 40000, 100000])
    parser.add_argument("--sets", nargs="+", default=["BBC business", "ECTSum", "FinNA", "residue"])
    args = parser.parse_args()
    from pipeline.lang import profile
    from pipeline.segment import split_sentences

    for kind, name in (("news", "BBC business"), ("calls", "ECTSum"), ("news, Chinese", "FinNA"),
                       ("residue, one line", "residue")):
        if name not in args.sets:
            continue
        if name == "residue":
            sentences, lang, paragraph, source = RESIDUE, "en", None, "written here"
        else:
            loaded = load(name)
            if loaded is None:
                continue
            rows, lang = loaded
            sentences = [s.text for r in rows for s in split_sentences(r["article"], lang)]
            paragraph, source = 20, f"{name} dev sentences repeated"
        joiner = profile(lang).joiner
        print(f"\n#### {kind} ({source}), embedded default, 1 process\n")
        print("| sentences | MB | " + " | ".join(f"{s} s" for s in STAGES) + " | peak MB | sections |")
        print("|---" * (len(STAGES) + 4) + "|")
        totals = {}
        for size in args.sizes:
            text = document(sentences, size, joiner, paragraph)
            m = measure(text)
            totals[size] = m["timings"]["total"]
            cells = " | ".join(f"{m['timings'].get(s, 0.0):.2f}" for s in STAGES)
            print(f"| {size:,} | {len(text.encode()) / 1e6:.1f} | {cells} | {m['peak_mb']:.0f} | {m['sections']} |",
                  flush=True)
        if 10000 in totals and 100000 in totals:
            exponent = math.log(totals[100000] / totals[10000]) / math.log(10)
            print(f"\ngrowth exponent of the total time, 10k -> 100k sentences: {exponent:.2f}")


if __name__ == "__main__":
    main()
