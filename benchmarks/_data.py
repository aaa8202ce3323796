"""Paths of the shared evaluation sets; benchmarks skip politely when they are absent."""
from __future__ import annotations

import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SETS = {
    "BBC business": ("en_bbc_business_dev.jsonl", "en"),
    "ECTSum": ("en_ectsum_dev.jsonl", "en"),
    "FinNA": ("zh_finna_dev.jsonl", "zh"),
    "LCSTS": ("zh_lcsts_dev.jsonl", "zh"),
}


def load(name: str) -> tuple[list[dict], str] | None:
    """Records and language of a named set, or None (with a message) when the file is not there."""
    file, lang = SETS[name]
    path = DATA / file
    if not path.exists():
        print(f"skipping {name}: {path} not found (the shared data is not part of the repository)", file=sys.stderr)
        return None
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()], lang


OFFLINE_MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"


def offline_model_missing() -> str | None:
    """Why the offline catalogue model cannot run here (not installed, or no llama-cpp-python), or None."""
    from pipeline import model_store
    from pipeline.errors import ModelLoadError

    try:
        model_store.resolve(OFFLINE_MODEL)
        import llama_cpp  # noqa: F401
    except (ModelLoadError, ImportError) as exc:
        return getattr(exc, "message", str(exc))
    return None
