"""The learned sentence rankers: which documents use them, what provenance says, that they are plain weights
that hash alike on every machine, and that the training script learns what its data teaches."""
import json
import os
import random
import subprocess
import sys

import pytest

from pipeline import Article, BilingualSummarizer
from pipeline.summarize import ranker
from tests.conftest import ROOT

PARTS = ["Thank you, operator, and good morning, everyone.", "Please note the safe harbor statement on slide two.",
         "We will take questions after the prepared remarks.", "Let me turn to the outlook for the region.",
         "Our teams worked hard through a difficult season.", "I will now hand over to our chief financial officer."]
RESULTS = ["Revenue increased 14% to $3.2 billion in the quarter.", "Adjusted earnings per share were $1.27, up 9%.",
           "We raised full-year guidance for operating margin to 18.5%."]
OPENERS = ["Let me talk about", "We continue to focus on", "I want to highlight", "Our team keeps investing in",
           "We are pleased with"]
TOPICS = ["our customers", "the product pipeline", "the store network", "digital channels", "supply chain work",
          "our people", "the brand", "service quality", "the community", "sustainability"]
ENDINGS = ["this year.", "across regions.", "with discipline.", "over time.", "as planned."]


def transcript(seed: int = 0) -> str:
    """A long English call (70 distinct remarks, no figures) with three result sentences in the middle."""
    rng = random.Random(seed)
    remarks = [f"{o} {t} {e}" for o in OPENERS for t in TOPICS for e in ENDINGS]
    lines = rng.sample(remarks, 70)
    for k, line in enumerate(RESULTS):
        lines.insert(20 + 15 * k, line)
    return " ".join(lines)


def provenance(text: str, field: str, **summarize):
    config = {"translate": {"backend": "none"}, "summarize": summarize}
    result = BilingualSummarizer(config).run(Article(id="a", text=text))
    return result, result.provenance[field]


def test_shipped_rankers_are_small_plain_weights_with_their_record():
    for name in sorted(set(ranker.RANKERS.values())):
        path = ranker.FOLDER / f"{name}.json"
        assert path.stat().st_size < 2_000_000
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["features"] == list(ranker.DENSE)
        assert data["command"].startswith("make train-ranker") and data["trained_on"]["file"].endswith("_train.jsonl")
        assert data["held_out_rouge2"]["learned"] > 0 and data["settings"]["seed"] == 0


def test_long_english_documents_use_the_learned_ranker_and_say_so():
    result, summary = provenance(transcript(), "summary_en")
    assert summary.model == "bisum-ranker-en-ectsum" and summary.details["ranker"] == "learned: en-ectsum"
    assert sum(line in result.summary_en for line in RESULTS) >= 2  # the results, not the remarks


def test_english_news_keeps_the_hand_set_weights(example_en):
    _, summary = provenance(example_en, "summary_en")
    assert summary.model == "bisum-textrank-mmr" and summary.details["ranker"] == "hand-set weights"


def test_hand_set_method_is_selectable():
    result, summary = provenance(transcript(), "summary_en", ranking={"method": "hand-set"})
    assert summary.model == "bisum-textrank-mmr" and summary.details["ranker"] == "hand-set weights"


def test_chinese_news_keeps_the_hand_set_weights(example_zh):
    _, summary = provenance(example_zh, "summary_zh")
    assert summary.details["ranker"] == "hand-set weights"  # no Chinese ranker is shipped (README says why)


def test_without_the_artefact_the_hand_set_weights_serve(monkeypatch, tmp_path):
    monkeypatch.setattr(ranker, "FOLDER", tmp_path)
    ranker.load.cache_clear()
    try:
        _, summary = provenance(transcript(), "summary_en")
        assert summary.details["ranker"] == "hand-set weights"
    finally:
        ranker.load.cache_clear()


def test_an_artefact_for_other_features_is_refused(monkeypatch, tmp_path):
    data = json.loads((ranker.FOLDER / "en-ectsum.json").read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    (tmp_path / "en-ectsum.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(ranker, "FOLDER", tmp_path)
    ranker.load.cache_clear()
    try:
        with pytest.raises(ValueError, match="trained on features"):
            ranker.load("en-ectsum")
    finally:
        ranker.load.cache_clear()


def test_scores_do_not_depend_on_the_hash_seed(example_zh):
    code = ("import sys, json; from pipeline import BilingualSummarizer; s = BilingualSummarizer({'translate': "
            "{'backend': 'none'}}); print(json.dumps([s.run(t).summary_en or s.run(t).summary_zh for t in "
            "json.load(sys.stdin)]))")
    texts = json.dumps([example_zh, transcript(1)])
    outputs = {subprocess.run([sys.executable, "-c", code], input=texts, capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout for seed in ("1", "2")}
    assert len(outputs) == 1


def test_training_learns_what_the_data_teaches_and_is_deterministic(tmp_path):
    sys.path.insert(0, str(ROOT))
    from benchmarks import train_ranker

    rng = random.Random(0)
    rows = []
    for i in range(150):  # the reference is always the sentence about results, wherever it stands
        lines = [rng.choice(PARTS) for _ in range(8)]
        key = rng.randrange(8)
        lines[key] = rng.choice(RESULTS)
        rows.append({"id": f"t{i}", "article": " ".join(lines), "summary": lines[key]})
    (tmp_path / "en_ectsum_train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    first = train_ranker.train("en-ectsum", None, tmp_path, tmp_path / "a")
    second = train_ranker.train("en-ectsum", None, tmp_path, tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    record = json.loads(first.read_text(encoding="utf-8"))["held_out_rouge2"]
    assert record["learned"] > 90 and record["learned"] > record["hand_set"] + 20
