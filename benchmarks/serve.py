"""`bisum serve` as a user meets it: a fresh `bisum serve` process (the embedded default, or --config NAME), the time
to its first page and to a loaded pipeline, one 5,000-word article (BBC business dev articles joined; the example
articles repeated where the shared data is absent), and 20 concurrent requests on 127.0.0.1, each checked against
the same article run in this process (same Result except timings).

Usage: python benchmarks/serve.py [--config NAME] [--concurrent 20]
"""
from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._data import load  # noqa: E402
from tests.web_server import post  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, ready: bool, deadline: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if not ready or json.load(response)["ready"]:
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"{url} did not answer within {deadline - start:.0f} s")


def _articles() -> list[str]:
    data = load("BBC business")
    if data is not None:
        return [r["article"] for r in data[0]]
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=None)
    parser.add_argument("--concurrent", type=int, default=20)
    args = parser.parse_args()
    from pipeline import BilingualSummarizer

    articles = _articles()
    long, words = [], 0
    for text in articles * 50:
        long.append(text)
        words += len(text.split())
        if words >= 5000:
            break
    long_text = "\n\n".join(long)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(ROOT / ".venv/bin/bisum"), "serve", "--port", str(port)] + (["--config", args.config] if args.config
                                                                                 else [])
    start = time.perf_counter()
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        first = _wait(url + "/", False, start + 60) - start
        ready = _wait(url + "/api/health", True, start + 600) - start
        t = time.perf_counter()
        status, long_body = post(url + "/api/summarize", {"text": long_text})
        long_seconds = time.perf_counter() - t
        assert status == 200, long_body
        summarizer = BilingualSummarizer(args.config)
        batch = articles[:args.concurrent]
        expected = [summarizer.run(text).to_dict() for text in batch]
        t = time.perf_counter()
        with ThreadPoolExecutor(args.concurrent) as pool:
            answers = list(pool.map(lambda text: post(url + "/api/summarize", {"text": text}), batch))
        concurrent_seconds = time.perf_counter() - t
        same = sum(status == 200 and {k: v for k, v in body["result"].items() if k not in ("id", "timings")}
                   == {k: v for k, v in want.items() if k not in ("id", "timings")}
                   for (status, body), want in zip(answers, expected))
    finally:
        server.terminate()
        server.wait(10)
    print(f"\n`bisum serve`{' --config ' + args.config if args.config else ''} (fresh process, 127.0.0.1)\n")
    print("| measure | value |\n|---|---|")
    print(f"| first page after start | {first:.2f} s |")
    print(f"| pipeline loaded after start | {ready:.2f} s |")
    print(f"| one {words:,}-word article | {long_seconds:.2f} s, "
          f"{len(long_body['result']['summary_en'] or '')} characters of English summary |")
    print(f"| {len(batch)} concurrent requests | {concurrent_seconds:.2f} s, {same} of {len(batch)} answered with "
          "the right Result |")


if __name__ == "__main__":
    main()
