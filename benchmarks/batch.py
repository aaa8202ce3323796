"""Batch runner throughput and memory on the embedded default, local engine and Ray engine.

1. The 300 BBC business dev articles with 1 and 2 local workers, and on a local Ray with 2 actors: articles per
   second and peak memory.
2. Memory flatness: 1,000 and 20,000 records (the dev articles replicated with new ids), 2 workers / 2 actors;
   the peak resident memory of the largest process must stay within 100 MB between the two.

Each run is a fresh `python -m pipeline batch` process (Ray: starting the local Ray included); peak memory is
the largest `ru_maxrss` among it and its descendants (workers; Ray's raylet, GCS and actor processes).
Usage: python benchmarks/batch.py [--large 20000] [--small 1000] [--engines local ray]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._data import load  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
rc = subprocess.run(sys.argv[1:]).returncode
print(rc, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _write_input(path: Path, records: list[dict], count: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(count):
            r = records[i % len(records)]
            fh.write(json.dumps({"id": f"{r['id']}-{i}", "title": r.get("title"), "text": r["article"]}) + "\n")


def _run(src: Path, out: Path, workers: int, engine: str = "local") -> tuple[int, float, float]:
    """(exit code, seconds, peak MB) of one batch run in a fresh process."""
    width = ["--workers", str(workers)] if engine == "local" else ["--engine", "ray", "--actors", str(workers)]
    command = [sys.executable, "-m", "pipeline", "batch", "--input", str(src), "--output", str(out),
               "--overwrite", "--quiet", *width]
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=ROOT, capture_output=True, text=True)
    rc, seconds, kb = result.stdout.split()
    return int(rc), float(seconds), int(kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--engines", nargs="+", default=["local", "ray"], choices=["local", "ray"])
    args = parser.parse_args()
    loaded = load("BBC business")
    if loaded is None:
        return
    records, _ = loaded
    runs = [("local", 1), ("local", 2)] * ("local" in args.engines) + [("ray", 2)] * ("ray" in args.engines)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "bbc.jsonl"
        _write_input(src, records, len(records))
        print(f"## Throughput: {len(records)} BBC business dev articles (process start included)\n")
        print("| engine | workers / actors | seconds | articles/s | peak memory (MB) |\n|---|---|---|---|---|")
        for engine, workers in runs:
            rc, seconds, mb = _run(src, tmp / "out.jsonl", workers, engine)
            assert rc == 0, f"batch exited {rc}"
            print(f"| {engine} | {workers} | {seconds:.1f} | {len(records) / seconds:.1f} | {mb:.0f} |", flush=True)
        print(f"\n## Memory: {args.small:,} vs {args.large:,} records (2 workers / actors)\n")
        print("| engine | records | seconds | articles/s | peak memory (MB) |\n|---|---|---|---|---|")
        for count in (args.small, args.large):
            _write_input(tmp / f"in-{count}.jsonl", records, count)
        for engine in args.engines:
            peaks, rates = [], []
            for count in (args.small, args.large):
                rc, seconds, mb = _run(tmp / f"in-{count}.jsonl", tmp / "out-big.jsonl", 2, engine)
                assert rc == 0, f"batch exited {rc}"
                peaks.append(mb)
                rates.append(count / seconds)
                print(f"| {engine} | {count:,} | {seconds:.1f} | {count / seconds:.1f} | {mb:.0f} |", flush=True)
            print(f"\n{engine}: peak memory grows by {peaks[1] - peaks[0]:+.0f} MB from {args.small:,} to "
                  f"{args.large:,} records (goal: within 100 MB); {rates[1]:.1f} articles/s at {args.large:,}.\n")


if __name__ == "__main__":
    main()
