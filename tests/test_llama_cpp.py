"""The llama.cpp runtime on a tiny Qwen2 GGUF the tests write (tests/tiny_gguf.py): the same prompt tokens and
the same greedy output as transformers' own GGUF loader, generation bounded by the context, provenance that
names the file and its SHA-256, and one-line reasons when the runtime or the model is missing."""
import hashlib
import os
import sys

import pytest

from pipeline import Article, BilingualSummarizer, load_config
from pipeline.config import ModelSpec
from pipeline.errors import ConfigError, ModelLoadError
from pipeline.generate import generate_ids, render
from pipeline.models import load_model

pytest.importorskip("llama_cpp")

GREEDY = {"max_new_tokens": 40, "do_sample": False}
ALPHABET = "abcdefghijklmnopqrstuvwxyz"
TEXTS = ["Rates fell by 5 points.", "央行降准0.5个百分点，释放长期资金约1万亿元。"]


def run(path, runtime, **spec):
    spec = ModelSpec(model=str(path), runtime=runtime, generation=spec.pop("generation", GREEDY), **spec)
    tokenizer, model = load_model(spec, "causal")
    prompts = [render(tokenizer, spec, "causal", "translate_en_zh", t) for t in TEXTS]
    ids = generate_ids(tokenizer, model, "causal", prompts, spec)
    return [tokenizer(p)["input_ids"] for p in prompts], ids, tokenizer.batch_decode(ids, skip_special_tokens=True)


def test_greedy_output_equals_transformers_gguf_loader(tiny_gguf):
    prompt_llama, ids_llama, text_llama = run(tiny_gguf, "llama-cpp")
    prompt_hf, ids_hf, text_hf = run(tiny_gguf, "transformers")
    assert prompt_llama == prompt_hf and len(prompt_llama[0]) > 100  # the GGUF's chat template, same tokens
    assert ids_llama == ids_hf and len(ids_llama[0]) == len(ALPHABET) + 1
    assert text_llama == [ALPHABET, ALPHABET]  # the model's end-of-turn after 'z' stops generation


def test_new_tokens_are_capped_by_the_context(tiny_gguf):
    prompts, ids, _ = run(tiny_gguf, "llama-cpp", context_size=200)
    assert len(prompts[0]) < 200 < len(prompts[1])  # byte-level tokens: the Chinese prompt is longer
    assert len(prompts[0]) + len(ids[0]) == 200 and len(ids[0]) < len(ALPHABET)  # stopped where the context ends
    assert ids[1] == []  # a prompt over the context gets nothing (the stages chunk input to fit beforehand)


def test_the_translate_stage_runs_on_llama_cpp_and_says_so(tiny_gguf, example_en):
    spec = {"model": str(tiny_gguf), "runtime": "llama-cpp", "target_prefix": None, "context_size": 1024,
            "generation": {"num_beams": 1, **GREEDY}}
    config = load_config(overrides={"translate": {"backend": "causal", "en_zh": spec}})
    result = BilingualSummarizer(config).run(Article(id="a", text=example_en))
    assert result.summary_zh  # what the tiny model writes, through the real code path
    details = result.provenance["summary_zh"].details
    assert details["runtime"] == "llama-cpp" and details["file"] == tiny_gguf.name
    assert details["sha256"] == hashlib.sha256(tiny_gguf.read_bytes()).hexdigest()
    assert details["context_size"] == 1024 and details["threads"] >= 1 and details["prompt"] == "translate_en_zh"
    assert any(w.startswith("summary_zh: figures") for w in result.warnings)  # it wrote no figure: said


def test_a_catalogue_model_that_is_not_installed_is_a_missing_summary_saying_how(tmp_path, monkeypatch, example_en):
    monkeypatch.setenv("BISUM_MODELS_DIR", str(tmp_path / "models"))
    result = BilingualSummarizer("offline").run(Article(id="a", text=example_en))
    assert result.summary_en and result.summary_zh is None
    (warning,) = [w for w in result.warnings if w.startswith("summary_zh")]
    assert "is not installed" in warning and "bisum models install qwen2.5-coder-1.5b-instruct-q4_k_m" in warning


def test_without_llama_cpp_python_the_reason_names_the_extra(tiny_gguf, monkeypatch):
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    with pytest.raises(ModelLoadError, match=r"bisum\[llm\]"):
        load_model(ModelSpec(model=str(tiny_gguf), runtime="llama-cpp", context_size=128), "causal")


@pytest.mark.parametrize("generation", [{"num_beams": 4}, {"no_repeat_ngram_size": 3}, {"length_penalty": 2.0}])
def test_settings_llama_cpp_cannot_honour_are_refused(generation):
    with pytest.raises(ConfigError, match="translate.en_zh"):
        load_config(overrides={"translate": {"en_zh": {"model": "x.gguf", "runtime": "llama-cpp",
                                                       "target_prefix": None, "generation": generation}}})


@pytest.mark.skipif(os.environ.get("BISUM_REAL_MODEL") != "1",
                    reason="needs the 1.04 GiB offline model: `bisum models install qwen2.5-coder-1.5b`, then "
                           "BISUM_REAL_MODEL=1 (make bench-llm runs it)")
def test_the_real_offline_model_translates_with_figures_and_terms_kept():
    config = load_config("offline")
    text = ("The central bank added 200 billion yuan of relending quota on Monday. "
            "Green loans rose 25 percent to 30 trillion yuan.")
    result = BilingualSummarizer(config).run(Article(id="real", text=text))
    assert "2000亿元" in result.summary_zh and "30万亿元" in result.summary_zh and "再贷款" in result.summary_zh
    assert result.provenance["summary_zh"].details["sha256"].startswith("cc324af0")
