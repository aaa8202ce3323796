import json
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED_DATA = ROOT.parent / "shared" / "data"
SEED = SHARED_DATA / "seed_article_mt_artifacts.txt"


def train_twice(name: str, rows: list[dict], folder: Path) -> tuple[Path, Path]:
    """Writes `rows` as the training split of ranker `name` in `folder` and runs make train-ranker's code on it
    twice, into folder/a and folder/b (the two runs' files must be byte-identical)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks import train_ranker

    path = folder / train_ranker.SPECS[name].file
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    for out in ("a", "b"):
        train_ranker.train(name, None, folder, folder / out)
    return folder / "a", folder / "b"


@pytest.fixture(scope="session")
def summarizer():
    from pipeline import BilingualSummarizer

    return BilingualSummarizer()


@pytest.fixture(scope="session")
def example_en() -> str:
    return (EXAMPLES / "01_shenzhen_green_bonds.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_zh() -> str:
    return (EXAMPLES / "03_pboc_liquidity_zh.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory):
    from .tiny_models import build_tiny_marian

    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian"))


@pytest.fixture(scope="session")
def tiny_bart(tmp_path_factory):
    from .tiny_models import build_tiny_bart

    return build_tiny_bart(tmp_path_factory.mktemp("tiny-bart"))


@pytest.fixture(scope="session")
def tiny_causal(tmp_path_factory):
    from .tiny_models import build_tiny_causal

    return build_tiny_causal(tmp_path_factory.mktemp("tiny-causal"))


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory):
    pytest.importorskip("gguf")
    from .tiny_gguf import write

    return write(tmp_path_factory.mktemp("tiny-gguf") / "tiny-qwen2.gguf")


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"{SEED} not present (shared data is not part of the repository)")
    return SEED.read_text(encoding="utf-8")
