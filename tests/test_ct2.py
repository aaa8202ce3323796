"""The CTranslate2 runtime against the transformers runtime, on the tiny models the tests build: the same tokens
for the same inputs (conversion and decoding settings match), the conversion cache, and the failure cases."""
import json
import shutil

import pytest

pytest.importorskip("ctranslate2")

from pipeline import Article, BilingualSummarizer, load_config  # noqa: E402
from pipeline.config import ModelSpec  # noqa: E402
from pipeline.errors import ConfigError, ModelLoadError  # noqa: E402
from pipeline.generate import generate_ids  # noqa: E402
from pipeline import models  # noqa: E402

TEXTS = ["The central bank cut the reserve requirement ratio by 25 basis points.", "Shares rose 3 percent.",
         "Green loans reached 5 trillion yuan. The fund bought stakes from 7 investors."]
GREEDY = {"max_new_tokens": 12, "num_beams": 1}
BEAMS = {"max_new_tokens": 16, "num_beams": 4, "length_penalty": 2.0, "no_repeat_ngram_size": 3}


@pytest.fixture(autouse=True)
def fresh(tmp_path, monkeypatch):
    """Each test converts into its own cache and loads models anew."""
    monkeypatch.setattr("pipeline.runtimes.ctranslate2.CACHE", tmp_path / "ct2-cache")
    monkeypatch.setattr(models, "_LOADED", {})


def new_tokens(folder, kind, generation, runtime, prefix=""):
    spec = ModelSpec(model=str(folder), runtime=runtime, generation=generation,
                     compute_type="float32" if runtime == "ctranslate2" else None)
    tokenizer, model = models.load_model(spec, kind)
    rows = generate_ids(tokenizer, model, kind, [prefix + t for t in TEXTS], spec)
    if runtime == "transformers" and kind != "causal":
        rows = [row[1:] for row in rows]  # the decoder start token, which CTranslate2 does not return
    ends = {tokenizer.pad_token_id, tokenizer.eos_token_id}
    return [[t for t in row if t not in ends] for row in rows]


@pytest.mark.parametrize("generation", [GREEDY, BEAMS], ids=["greedy", "beam4"])
@pytest.mark.parametrize("model,kind,prefix", [("tiny_marian", "seq2seq", ">>cmn_Hans<< "),
                                               ("tiny_bart", "seq2seq", ""), ("tiny_causal", "causal", "")],
                         ids=["translator", "summarizer", "causal"])
def test_float32_output_is_token_for_token_the_transformers_output(model, kind, prefix, generation, request):
    folder = request.getfixturevalue(model)
    expected = new_tokens(folder, kind, generation, "transformers", prefix)
    assert all(len(row) >= 8 for row in expected)  # something to compare: the random models do not stop early
    assert new_tokens(folder, kind, generation, "ctranslate2", prefix) == expected


def fast_config(tiny_bart, tiny_marian, **spec):
    gen = {"max_new_tokens": 8, "num_beams": 1}
    return load_config(overrides={
        "summarize": {"backend": "seq2seq", "en": {"model": str(tiny_bart), "runtime": "ctranslate2",
                                                   "generation": gen, **spec}},
        "translate": {"en_zh": {"model": str(tiny_marian), "runtime": "ctranslate2", "generation": gen, **spec}}})


def test_pipeline_runs_both_stages_on_ctranslate2_and_says_so(tiny_bart, tiny_marian, example_en):
    result = BilingualSummarizer(fast_config(tiny_bart, tiny_marian)).run(Article(id="a", text=example_en))
    for field in ("summary_en", "summary_zh"):
        provenance = result.provenance[field]
        assert provenance.details["runtime"] == "ctranslate2"
        assert provenance.details["compute_type"] == "int8"  # the CPU default
    assert result.summary_en and result.summary_zh


def test_conversion_is_cached_and_reused(tiny_bart, tmp_path, monkeypatch):
    calls = []
    from ctranslate2.converters import TransformersConverter

    real = TransformersConverter.convert
    monkeypatch.setattr(TransformersConverter, "convert", lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    first = new_tokens(tiny_bart, "seq2seq", GREEDY, "ctranslate2")
    monkeypatch.setattr(models, "_LOADED", {})
    assert new_tokens(tiny_bart, "seq2seq", GREEDY, "ctranslate2") == first
    assert len(calls) == 1
    assert [p.name for p in (tmp_path / "ct2-cache").iterdir() if ".partial" in p.name] == []


def only_folder(tmp_path):
    (folder,) = (tmp_path / "ct2-cache").iterdir()
    return folder


@pytest.mark.parametrize("damage", ["no manifest", "truncated weights", "garbage weights", "partial leftover"])
def test_a_damaged_cache_is_converted_again_cleanly(damage, tiny_bart, tmp_path, monkeypatch):
    expected = new_tokens(tiny_bart, "seq2seq", GREEDY, "ctranslate2")
    folder = only_folder(tmp_path)
    weights = folder / "model.bin"
    if damage == "no manifest":  # killed after writing the weights, before the manifest
        (folder / "bisum-conversion.json").unlink()
    elif damage == "truncated weights":
        weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    elif damage == "garbage weights":  # same size, so the manifest check passes: CTranslate2's load must fail
        weights.write_bytes(b"\x00" * weights.stat().st_size)
    else:  # a conversion killed half way leaves its temporary folder, never the final one
        shutil.copytree(folder, folder.with_name(folder.name + ".partial-99999"))
        shutil.rmtree(folder)
    monkeypatch.setattr(models, "_LOADED", {})
    assert new_tokens(tiny_bart, "seq2seq", GREEDY, "ctranslate2") == expected
    assert json.loads((folder / "bisum-conversion.json").read_text())["bytes"] == (folder / "model.bin").stat().st_size


def test_a_changed_local_model_is_converted_again(tiny_bart, tmp_path):
    copy = tmp_path / "bart"
    shutil.copytree(tiny_bart, copy)
    new_tokens(copy, "seq2seq", GREEDY, "ctranslate2")
    import torch
    from transformers import BartForConditionalGeneration

    model = BartForConditionalGeneration.from_pretrained(copy)
    with torch.no_grad():
        model.lm_head.weight.mul_(-1.0)
    model.save_pretrained(copy)
    models._LOADED.clear()
    assert new_tokens(copy, "seq2seq", GREEDY, "ctranslate2") == new_tokens(copy, "seq2seq", GREEDY, "transformers")
    assert len(list((tmp_path / "ct2-cache").iterdir())) == 2


def test_an_architecture_ctranslate2_cannot_convert_is_one_line(tiny_bart, tmp_path):
    from transformers import AutoTokenizer, LEDConfig, LEDForConditionalGeneration

    tokenizer = AutoTokenizer.from_pretrained(tiny_bart)
    folder = tmp_path / "led"
    LEDForConditionalGeneration(LEDConfig(vocab_size=len(tokenizer), d_model=16, encoder_layers=1, decoder_layers=1,
                                          encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
                                          decoder_ffn_dim=32, attention_window=[4], max_encoder_position_embeddings=64,
                                          max_decoder_position_embeddings=64)).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    with pytest.raises(ModelLoadError) as caught:
        models.load_model(ModelSpec(model=str(folder), runtime="ctranslate2"), "seq2seq")
    message = caught.value.message
    assert "\n" not in message and "no converter for this architecture (LEDConfig)" in message
    assert "runtime: transformers" in message
    assert not (tmp_path / "ct2-cache").exists() or not any((tmp_path / "ct2-cache").iterdir())


def test_a_failed_conversion_is_one_line_and_leaves_nothing(tiny_marian, tmp_path):
    folder = tmp_path / "marian"
    shutil.copytree(tiny_marian, folder)
    weights = folder / "model.safetensors"  # an interrupted download: the converter cannot read the weights
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    with pytest.raises(ModelLoadError) as caught:
        models.load_model(ModelSpec(model=str(folder), runtime="ctranslate2"), "seq2seq")
    assert "\n" not in caught.value.message and "cannot convert model" in caught.value.message
    assert list((tmp_path / "ct2-cache").iterdir()) == []


def test_the_summarizer_falls_back_with_a_notice_when_conversion_fails(tiny_bart, tmp_path, example_en, monkeypatch):
    monkeypatch.setattr("pipeline.runtimes.ctranslate2.CACHE", tmp_path / "file")
    (tmp_path / "file").write_text("not a folder")
    config = load_config(overrides={"summarize": {"backend": "seq2seq", "en": {
        "model": str(tiny_bart), "runtime": "ctranslate2", "generation": GREEDY}}, "translate": {"backend": "none"}})
    result = BilingualSummarizer(config).run(Article(id="a", text=example_en))
    assert result.provenance["summary_en"].backend == "extractive"
    assert [w.code for w in result.warning_details if w.field == "summary_en"] == ["model_fallback"]


def test_missing_package_is_a_one_line_config_error(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "ctranslate2" else real(name, *a))
    with pytest.raises(ConfigError) as caught:
        load_config(overrides={"translate": {"en_zh": {"model": "x", "runtime": "ctranslate2"}}})
    assert "pip install 'bisum[fast]'" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("setting", [{"num_beam_groups": 2}, {"typical_p": 0.5}, {"max_time": 3}])
def test_settings_ctranslate2_cannot_honour_are_refused(setting):
    with pytest.raises(ConfigError, match="no CTranslate2 equivalent"):
        load_config(overrides={"translate": {"en_zh": {"model": "x", "runtime": "ctranslate2", "generation": setting}}})


def test_compute_types_belong_to_their_runtime():
    with pytest.raises(ConfigError, match="needs `runtime: ctranslate2`"):
        load_config(overrides={"translate": {"en_zh": {"model": "x", "compute_type": "int8_float16"}}})


def test_dynamic_int8_on_the_transformers_runtime_quantizes_linear_layers(tiny_bart):
    spec = ModelSpec(model=str(tiny_bart), compute_type="int8", generation=GREEDY)
    tokenizer, model = models.load_model(spec, "seq2seq")
    assert any(type(m).__module__.endswith("quantized.dynamic.modules.linear") for m in model.modules())
    assert all(len(row) > 1 for row in generate_ids(tokenizer, model, "seq2seq", TEXTS, spec))


@pytest.mark.parametrize("generation", [{"max_length": 9}, {"min_length": 6, "max_new_tokens": 10}, {}],
                         ids=["max_length", "min_length", "defaults"])
def test_length_settings_mean_what_they_mean_in_transformers(generation, tiny_bart):
    expected = new_tokens(tiny_bart, "seq2seq", generation, "transformers")
    assert new_tokens(tiny_bart, "seq2seq", generation, "ctranslate2") == expected


@pytest.mark.parametrize("runtime", ["transformers", "ctranslate2"])
@pytest.mark.parametrize("model,kind", [("tiny_marian", "seq2seq"), ("tiny_causal", "causal")])
def test_new_tokens_are_capped_at_the_positions_the_model_has(runtime, model, kind, request):
    from pipeline.translate.model import ModelTranslator

    folder = request.getfixturevalue(model)
    positions = json.loads((folder / "config.json").read_text())["max_position_embeddings"]
    forced = {"max_new_tokens": 2 * positions, "min_new_tokens": 2 * positions, "num_beams": 1}
    spec = ModelSpec(model=str(folder), runtime=runtime, generation=forced,
                     compute_type="float32" if runtime == "ctranslate2" else None)
    texts, details = ModelTranslator(spec, kind, "en", "zh", protect=False).translate(["Shares rose 3 percent."])
    capped = details["max_new_tokens_capped"]  # said in provenance; the model was asked for twice its positions
    assert capped["asked"] == 2 * positions and 1 <= capped["used"] < positions and texts[0]
