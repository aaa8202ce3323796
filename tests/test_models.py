"""Model backends, exercised with tiny random-weight models built in the tests and loaded by path through
the same code a real model uses. Outputs are gibberish; the code paths are real."""
import json

import pytest

from pipeline import Article, BilingualSummarizer, load_config
from pipeline.cli import main
from pipeline.config import ModelSpec
from pipeline.errors import ModelLoadError
from pipeline.generate import generate, pack, render
from pipeline.glossary.detect import detector_for
from pipeline.models import load_model
from pipeline.summarize import model as summarize_model
from pipeline.translate import model as translate_model
from pipeline.figures import unsupported
from pipeline.translate.protect import protect, restore

GEN = {"max_new_tokens": 5, "min_new_tokens": 5, "do_sample": False, "num_beams": 1}
SENTENCE = "Outstanding green loans in the province rose {n} percent to {n} billion yuan in the quarter."


def summarizer_config(model, kind="seq2seq", **spec):
    return load_config(overrides={"summarize": {"backend": kind, "en": {"model": str(model), "generation": GEN, **spec}},
                                  "translate": {"backend": "none"}})


def test_model_generation_defaults_are_dropped(tiny_bart):
    _, model = load_model(ModelSpec(model=str(tiny_bart)), "seq2seq")
    settings = {k: v for k, v in model.generation_config.to_diff_dict().items() if not k.endswith("token_id")}
    assert settings.get("num_beams", 1) == 1 and "length_penalty" not in settings  # only the config decides


def test_long_article_is_chunked_then_reduced_and_nothing_is_dropped(tiny_bart, monkeypatch):
    sentences = [SENTENCE.format(n=i) for i in range(400)]  # ~6,000 words
    seen = []
    real = summarize_model.generate
    monkeypatch.setattr(summarize_model, "generate", lambda *a: seen.append(list(a[3])) or real(*a))
    summarizer = BilingualSummarizer(summarizer_config(tiny_bart, max_input_tokens=60))
    result = summarizer.run(Article(id="long", text=" ".join(sentences)))
    details = result.provenance["summary_en"].details
    assert details["chunks"] > 10 and details["rounds"] >= 2 and details["input_tokens"] > 60 * details["chunks"] / 2
    assert result.summary_en and result.provenance["summary_en"].model == str(tiny_bart)
    first_round = " ".join(seen[0])
    positions = [first_round.find(s) for s in sentences]
    assert -1 not in positions and positions == sorted(positions)  # every sentence, in order, in round one
    tokenizer, _ = load_model(ModelSpec(model=str(tiny_bart)), "seq2seq")
    assert all(len(tokenizer(chunk)["input_ids"]) <= 60 for chunk in seen[0])


def test_batches_are_sorted_by_length_and_returned_in_input_order(tiny_bart):
    tokenizer, _ = load_model(ModelSpec(model=str(tiny_bart)), "seq2seq")

    class Echo:  # returns its input: output i must be input i
        device = "cpu"
        batches = []

        def generate(self, input_ids, attention_mask, **kwargs):
            self.batches.append(attention_mask.sum(dim=1).tolist())
            return input_ids

    texts = ["Green loans rose 5 percent.", "Rates.", "The fund bought existing stakes from 7 investors in June.",
             "Shares rose.", "Outstanding loans to technology firms grew by 9 percent this year."]
    echo = Echo()
    out = generate(tokenizer, echo, "seq2seq", texts, ModelSpec(model="x", batch_size=2, generation=GEN))
    assert out == texts
    lengths = [n for batch in echo.batches for n in batch]
    assert lengths == sorted(lengths)


def test_t5_task_prefix_and_chat_prompt(tiny_causal):
    tokenizer, _ = load_model(ModelSpec(model=str(tiny_causal)), "causal")
    assert render(tokenizer, ModelSpec(model="x", prefix="summarize: "), "seq2seq", "summarize_en", "Text.") == \
        "summarize: Text."
    prompt = render(tokenizer, ModelSpec(model="x"), "causal", "summarize_en", "Banks lent more.", max_sentences=2)
    assert prompt.startswith("<s>user: Summarize") and "at most 2 sentences" in prompt and "Banks lent more." in prompt
    assert prompt.endswith("<s>assistant: ")


def test_causal_llm_summarizes_and_translates(tiny_causal, example_en, monkeypatch):
    spec = {"model": str(tiny_causal), "generation": GEN}
    config = load_config(overrides={"summarize": {"backend": "causal", "en": spec},
                                    "translate": {"backend": "causal", "en_zh": spec}})
    result = BilingualSummarizer(config).run(Article(id="a", text=example_en))
    assert result.summary_en is not None and result.summary_zh is not None
    assert result.provenance["summary_en"].backend == "causal" and result.provenance["summary_zh"].backend == "causal"
    translator = BilingualSummarizer(config).translate_stage.backend("en", "zh")
    seen = []
    monkeypatch.setattr(translate_model, "generate", lambda *a: seen.append(a[3]) or ["QZX2 的 QZX1"])
    texts, details = translator.translate(["Green loans reached 1.2 trillion yuan."])
    assert "QZX1 reached QZX2." in seen[0][0] and "Translate the following English text" in seen[0][0]
    assert texts == ["1.2万亿元 的 绿色贷款"] and details["protected"] == 2


def test_placeholders_protect_terms_and_amounts_both_ways():
    detector = detector_for(None)
    p = protect("Green loans reached 1.2 trillion yuan and relending rose 5%.", "en", detector, "zh")
    assert p.text == "QZX1 reached QZX2 and QZX3 rose QZX4."
    assert p.slots == {"QZX1": "绿色贷款", "QZX2": "1.2万亿元", "QZX3": "再贷款", "QZX4": "5%"}
    text, lost = restore("QZX1达到qzx 2，QZX3增长。", p)
    assert text == "绿色贷款达到1.2万亿元，再贷款增长。" and lost == ["5%"]
    back = protect("科创板公司募资1400亿美元。", "zh", detector, "en")
    assert back.slots == {"QZX1": "STAR Market", "QZX2": "fundraising", "QZX3": "$140 billion"}
    # percentage points are not percent: "0.5 percentage points" is 0.5个百分点, not "0.5%" and "age points"
    pp = protect("The PBOC cut the RRR by 0.5 percentage points.", "en", detector, "zh")
    assert pp.text == "The PBOC cut the RRR by QZX1." and pp.slots == {"QZX1": "0.5个百分点"}
    # a placeholder before a figure gets a space, or "QZX22024" would read as placeholder 22024; a model that
    # glues them anyway still gets its placeholder back
    glued = protect("央行宣布降准2024年计划", "zh", detector, "en")
    assert glued.text == "QZX1宣布QZX2 2024年计划"
    assert restore("QZX1 announced QZX22024 plan", glued) == ("central bank announced RRR cut2024 plan", [])
    # a term at the end of a line (a headline) is replaced alone: the lines after it are not lost
    headline = protect("央行宣布降准\n贷款增长", "zh", detector, "en")
    assert headline.text == "QZX1宣布QZX2\n贷款增长" and headline.slots == {"QZX1": "central bank", "QZX2": "RRR cut"}


def test_every_placeholder_comes_back_on_random_mixtures():
    import random

    detector = detector_for(None)
    pieces = ["央行宣布降准", "中国银行", "\n", "。", "，", "The Fed held interest rates steady.", " ", "Loans rose 5%.",
              "贷款增长1.2万亿元", "M2", "50ETF", "LPR", "绿色贷款余额", "$140 billion", "再贷款额度", "3.5%",
              "relending", "reloans", "1,200 yuan", "100亿美元", "0.5 percentage points", "0.5个百分点", "2024"]
    for seed in range(200):
        rng = random.Random(seed)
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 20)))
        for source, target in (("zh", "en"), ("en", "zh")):
            protected = protect(text, source, detector, target)
            restored, lost = restore(protected.text, protected)
            assert lost == [] and "QZX" not in restored, (seed, source, text)


def test_number_check_names_what_is_missing():
    assert unsupported("Loans rose 5% to 1.2 trillion yuan in 2021.", "贷款增长5%，达到1.2万亿元。")[0] == ["2021"]
    assert unsupported("Loans rose 5% to 1.2 trillion yuan.", "贷款达到12000亿元，增长5%。")[0] == []


@pytest.mark.parametrize("name", ["hf-small", "hf-small-fast"])
def test_offline_model_error_names_model_place_and_fix(monkeypatch, example_en, name):
    pytest.importorskip("ctranslate2") if name.endswith("fast") else None
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    config = load_config(name, {"summarize": {"fallback": False}, "translate": {"backend": "none"}})
    with pytest.raises(ModelLoadError) as err:
        BilingualSummarizer(config).run(Article(id="a", text=example_en))
    message = err.value.message
    assert "sshleifer/distilbart-cnn-12-6@main" in message and "local Hugging Face cache" in message
    assert "How to fix" in message and "folder with the weights" in message


def test_the_fast_config_is_hf_small_on_ctranslate2():
    pytest.importorskip("ctranslate2")
    fast, plain = load_config("hf-small-fast").model_dump(), load_config("hf-small").model_dump()
    runtime = {"runtime": "ctranslate2", "compute_type": None, "device": "auto"}
    for section, name in (("summarize", "en"), ("translate", "en_zh"), ("translate", "zh_en")):
        assert fast[section][name] == {**plain[section][name], **runtime}  # same models and generation settings
    fast["source"] = plain["source"]
    assert {k: v for k, v in fast.items() if k not in ("summarize", "translate")} == \
        {k: v for k, v in plain.items() if k not in ("summarize", "translate")}


def test_fallback_to_extractive_is_stated(monkeypatch, example_en):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    config = load_config("hf-small", {"translate": {"backend": "none"}})
    result = BilingualSummarizer(config).run(Article(id="a", text=example_en))
    provenance = result.provenance["summary_en"]
    assert result.summary_en and provenance.backend == "extractive"
    assert provenance.details["fallback_from"] == "sshleifer/distilbart-cnn-12-6@main"
    assert any("extractive summarizer was used" in w for w in result.warnings)


def test_cli_offline_fails_clearly_and_local_folder_succeeds(tmp_path, tiny_bart, example_en, monkeypatch, capsys):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    article = tmp_path / "a.txt"
    article.write_text(example_en, encoding="utf-8")
    strict = tmp_path / "strict.yaml"
    strict.write_text("summarize: {backend: seq2seq, fallback: false, en: {model: sshleifer/distilbart-cnn-12-6}}\n",
                      encoding="utf-8")
    assert main(["summarize", str(article), "--config", str(strict)]) == 2
    assert "cannot load model 'sshleifer/distilbart-cnn-12-6'" in capsys.readouterr().err
    local = tmp_path / "local.yaml"
    local.write_text(json.dumps({"summarize": {"backend": "seq2seq", "fallback": False,
                                               "en": {"model": str(tiny_bart), "generation": GEN}}}), encoding="utf-8")
    assert main(["summarize", str(article), "--config", str(local), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["provenance"]["summary_en"]["model"] == str(tiny_bart) and result["summary_en"]


def test_pack_never_drops_words():
    words = [f"w{i}" for i in range(50)]
    chunks = pack([" ".join(words[:30]), " ".join(words[30:])], lambda t: len(t.split()) <= 8, " ")
    assert " ".join(chunks).split() == words and all(len(c.split()) <= 8 for c in chunks)
    zh = pack(["一二三四五六七八九十" * 3], lambda t: len(t) <= 7, "")
    assert "".join(zh) == "一二三四五六七八九十" * 3 and all(len(c) <= 7 for c in zh)


def test_cached_load_failure_is_raised_fresh_each_time(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    spec = ModelSpec(model="nobody/no-such-model")

    def depth():
        try:
            load_model(spec)
        except ModelLoadError as exc:
            tb, n = exc.__traceback__, 0
            while tb:
                tb, n = tb.tb_next, n + 1
            return n

    assert depth() == depth() == depth()  # a re-raised cached exception would keep every caller's frames


def _generated_ids(model, tokenizer, spec, texts, monkeypatch):
    """Run the project's generate() and return the token ids the model produced."""
    seen = []
    real = model.generate
    monkeypatch.setattr(model, "generate", lambda **kw: seen.append(real(**kw)) or seen[-1])
    generate(tokenizer, model, "seq2seq", texts, spec)
    return [row for batch in seen for row in batch.tolist()]


def test_the_models_ban_on_pad_survives(tiny_marian, tmp_path, monkeypatch):
    import shutil

    import torch
    from transformers import MarianMTModel

    folder = tmp_path / "pad-loving-marian"
    shutil.copytree(tiny_marian, folder)
    model = MarianMTModel.from_pretrained(folder)
    pad = model.config.pad_token_id
    with torch.no_grad():
        model.final_logits_bias[0, pad] = 100.0  # without the ban, greedy decoding emits <pad> at every step
    model.generation_config.bad_words_ids = [[pad]]  # what opus-mt ships
    model.save_pretrained(folder)
    spec = ModelSpec(model=str(folder), generation=GEN)
    tokenizer, loaded = load_model(spec, "seq2seq")
    assert loaded.generation_config.bad_words_ids == [[pad]] and loaded.generation_config.num_beams in (None, 1)
    for row in _generated_ids(loaded, tokenizer, spec, ["Green loans rose 5 percent."], monkeypatch):
        assert pad not in row[1:]  # position 0 is the decoder start token, which is <pad> in Marian


def test_forced_first_and_last_tokens_survive(tiny_bart, tmp_path, monkeypatch):
    import shutil

    from transformers import BartForConditionalGeneration

    folder = tmp_path / "forced-bart"
    shutil.copytree(tiny_bart, folder)
    model = BartForConditionalGeneration.from_pretrained(folder)
    bos, eos = model.config.bos_token_id, model.config.eos_token_id
    model.generation_config.forced_bos_token_id = bos
    model.generation_config.forced_eos_token_id = eos
    model.save_pretrained(folder)
    spec = ModelSpec(model=str(folder), generation={"max_new_tokens": 6, "num_beams": 1, "do_sample": False})
    tokenizer, loaded = load_model(spec, "seq2seq")
    rows = _generated_ids(loaded, tokenizer, spec, ["Shares of the bank rose 3 percent."], monkeypatch)
    assert rows and all(row[1] == bos for row in rows)
    assert all(eos in row[1:] for row in rows)  # forced at the length limit if not chosen before


def test_threads_follow_the_config_and_show_in_provenance(tiny_bart):
    import torch

    before = torch.get_num_threads()
    try:
        config = load_config(overrides={"threads": 1, "summarize": {"backend": "seq2seq",
                                                                    "en": {"model": str(tiny_bart), "generation": GEN}},
                                        "translate": {"backend": "none"}})
        result = BilingualSummarizer(config).run(Article(id="t", text=SENTENCE.format(n=3)))
        assert result.provenance["summary_en"].details["threads"] == 1 == torch.get_num_threads()
        assert result.provenance["summary_en"].details["device"] == "cpu"
    finally:
        torch.set_num_threads(before)


def test_batch_chunks_follow_the_model_batch_size_and_workers_split_the_cores(tiny_bart, tmp_path):
    from pipeline.batch import chunk_size, run_batch
    from pipeline.models import available_cores

    assert chunk_size(load_config()) == 8  # the default translators' batch size
    assert chunk_size(load_config(overrides={"translate": {"backend": "none"}})) == 16  # no model at all
    spec = {"model": str(tiny_bart), "generation": GEN, "batch_size": 40}
    config = load_config(overrides={"summarize": {"backend": "seq2seq", "en": spec}, "translate": {"backend": "none"}})
    assert chunk_size(config) == 40
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "text": SENTENCE.format(n=i)}) + "\n" for i in range(4)),
                   encoding="utf-8")
    run_batch(src, tmp_path / "out.jsonl", config, workers=2)
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {line["provenance"]["summary_en"]["details"]["threads"] for line in lines} == {max(1, available_cores() // 2)}


@pytest.mark.parametrize("model", ["tiny_bart", "tiny_marian"])
def test_beam_search_without_reordering_the_cross_attention_cache_gives_the_same_output(model, request):
    import torch

    folder = request.getfixturevalue(model)
    spec = ModelSpec(model=str(folder), generation={"num_beams": 4, "max_new_tokens": 12, "length_penalty": 2.0})
    tokenizer, net = load_model(spec, "seq2seq")
    texts = ["Shares rose 3 percent.", "Green loans reached 5 trillion yuan at the end of the year."]
    enc = tokenizer(texts, return_tensors="pt", padding=True)
    with torch.inference_mode():
        plain = net.generate(**enc, **spec.generation).tolist()
    from pipeline.generate import generate_ids

    assert generate_ids(tokenizer, net, "seq2seq", texts, spec) == plain


@pytest.mark.parametrize("protect", [False, True])
def test_retries_switch_placeholders_then_go_clause_by_clause(protect, tiny_causal, monkeypatch):
    spec = {"model": str(tiny_causal), "generation": GEN}
    config = load_config(overrides={"translate": {"backend": "causal", "protect": protect, "en_zh": spec}})
    translator = BilingualSummarizer(config).translate_stage.backend("en", "zh")
    seen = []
    monkeypatch.setattr(translate_model, "generate", lambda *a: seen.append(a[3]) or ["译文"] * len(a[3]))
    sentence = "Green loans reached 1.2 trillion yuan, CISA said."
    for attempt in (0, 1):  # as configured, then the other placeholder setting, each with its own prompt
        texts, details = translator.translate([sentence], attempt=attempt)
        [prompt] = seen[-1]
        placeholders = protect == (attempt == 0)
        assert ("QZX1 reached QZX2, CISA said." in prompt) == placeholders and (sentence in prompt) != placeholders
        assert ("Keep placeholders" in prompt) == placeholders and details["protected"] == 2 * placeholders
    texts, details = translator.translate([sentence], attempt=2)
    # the third: clause by clause, with placeholders, joined back into one translation per sentence
    assert len(seen[-1]) == 2 and "QZX1 reached QZX2," in seen[-1][0] and "CISA said." in seen[-1][1]
    assert texts == ["译文译文"] and details["pieces"] == 2 and details["sentences"] == 1
