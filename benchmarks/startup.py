"""Start-up time of the command line: `bisum --help`, `bisum clean` and `bisum summarize` on an example
article (embedded default), each a fresh process, median of N runs. Goal: under 1 s for --help and clean.
Also says whether torch or transformers were imported (they must not be for these commands).

Usage: python benchmarks/startup.py [--runs 7]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "examples" / "01_shenzhen_green_bonds.txt"
PROBE = ("import sys; from pipeline.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
         "print(','.join(sorted({'torch', 'transformers'} & set(sys.modules))) or '-', file=sys.stderr)")


def measure(argv: list[str], runs: int) -> tuple[float, str]:
    times, heavy = [], "-"
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
        heavy = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "?"
    return statistics.median(times), heavy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"| command | seconds (median of {args.runs}) | torch / transformers imported |")
    print("|---|---|---|")
    for label, argv in (("bisum --help", ["--help"]), ("bisum clean ARTICLE", ["clean", str(ARTICLE)]),
                        ("bisum glossary ARTICLE", ["glossary", str(ARTICLE)]),
                        ("bisum summarize ARTICLE", ["summarize", str(ARTICLE)])):
        seconds, heavy = measure(argv, args.runs)
        print(f"| `{label}` | {seconds:.2f} | {'no' if heavy == '-' else heavy} |")


if __name__ == "__main__":
    main()
