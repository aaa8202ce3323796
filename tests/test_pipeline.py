import json

import pytest
import transformers

import pipeline.hf_pipeline  # noqa: F401  (registers the task)
from pipeline import Article, BilingualSummarizer, Result, load_config
from pipeline.cli import main
from pipeline.clean import restore_original
from pipeline.errors import EmptyTextError, UnsupportedLanguageError
from pipeline.glossary.detect import detector_for
from pipeline.io import stable_id
from pipeline.segment import split_sentences


def _without_timings(d):
    return {k: v for k, v in d.items() if k != "timings"}


def test_english_article_result(summarizer, example_en):
    result = summarizer.run(Article(id="a", text=example_en))
    assert Result.model_validate(result.to_dict()) == result
    assert result.source_lang == "en"
    assert restore_original(result.cleaned_text, result.edits) == example_en
    sentences = {s.text for s in split_sentences(result.cleaned_text, "en")}
    for sent in split_sentences(result.summary_en, "en"):
        assert sent.text in sentences
    assert "pay more attention" not in result.summary_en  # flagged sentences are not summary material
    assert {"relending", "rediscount", "green loan"} <= {g.term_en for g in result.glossary}
    for field in ("cleaned_text", "summary_en", "summary_zh", "glossary"):
        assert result.provenance[field].backend


def test_flagged_sentences_make_the_summary_only_when_nothing_else_is_left(summarizer):
    only = summarizer.run(Article(id="o", text="Banks\n\nHe said he would pay more attention."))
    assert only.flags and only.summary_en == "He said he would pay more attention."
    assert [(d.code, d.field) for d in only.warning_details if d.code == "flagged_only"] == [("flagged_only",
                                                                                           "summary_en")]
    mixed = summarizer.run(Article(id="m", text="He said he would pay more attention. Banks cut lending rates."))
    assert mixed.summary_en == "Banks cut lending rates."
    assert all(d.code != "flagged_only" for d in mixed.warning_details)


def test_missing_translation_model_is_reported_not_faked(summarizer, example_en):
    result = summarizer.run(Article(id="a", text=example_en))
    assert result.summary_zh is None
    warning = next(w for w in result.warnings if w.startswith("summary_zh is missing"))
    assert "Helsinki-NLP/opus-mt-en-zh" in warning and "folder with the weights" in warning
    assert result.provenance["summary_zh"].details["available"] is False
    assert result.provenance["summary_zh"].model == "Helsinki-NLP/opus-mt-en-zh"


def test_chinese_article(summarizer, example_zh):
    result = summarizer.run(Article(id="z", text=example_zh))
    assert result.source_lang == "zh"
    assert result.summary_zh and result.summary_en is None
    assert any("opus-mt-zh-en" in w for w in result.warnings)
    assert {"他。", "是。"} <= {e.original for e in result.edits}
    assert "再贷款" in {g.term_zh for g in result.glossary}


def test_local_translation_model_by_path(tiny_marian, example_en, monkeypatch):
    config = load_config(overrides={"translate": {"en_zh": {
        "model": str(tiny_marian), "generation": {"max_new_tokens": 6, "min_new_tokens": 6, "do_sample": False}}}})
    summarizer = BilingualSummarizer(config)
    seen = []
    from pipeline.models import load_model

    tokenizer, model = load_model(config.translate.en_zh, "seq2seq")
    original = model.generate
    monkeypatch.setattr(model, "generate", lambda **kw: seen.append(kw["input_ids"]) or original(**kw))
    result = summarizer.run(Article(id="a", text=example_en))
    assert result.summary_zh  # gibberish from random weights, but produced through the real code path
    assert result.provenance["summary_zh"].model == str(tiny_marian)
    assert not any("is missing" in w for w in result.warnings)
    # random weights cannot render the glossary terms of the English summary: each one is reported
    expected = detector_for(None).missing_renderings(result.summary_en, "en", result.summary_zh, "zh")
    assert expected and all(f"summary_zh: {m}" in result.warnings for m in expected)
    prefix_id = tokenizer.convert_tokens_to_ids(">>cmn_Hans<<")
    assert seen and all(int(row[0]) == prefix_id for batch in seen for row in batch)


def test_bad_articles_raise_named_errors(summarizer):
    with pytest.raises(EmptyTextError, match="record 'e'"):
        summarizer.run(Article(id="e", text="   \n"))
    with pytest.raises(UnsupportedLanguageError, match="record 'r'"):
        summarizer.run(Article(id="r", text="Центральный банк снизил ставку."))


def test_hf_pipeline_batches_and_matches_cli(example_en, example_zh, tmp_path, capsys):
    pipe = transformers.pipeline("bilingual-summarization")
    inputs = [{"id": "en", "text": example_en}, {"id": "zh", "text": example_zh}]
    batched = pipe(inputs, batch_size=2)
    assert [r["id"] for r in batched] == ["en", "zh"]
    for name, text, out in (("en", example_en, batched[0]), ("zh", example_zh, batched[1])):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        assert main(["summarize", str(path), "--format", "json"]) == 0
        cli = json.loads(capsys.readouterr().out)
        assert _without_timings(cli) == _without_timings(out)
    assert _without_timings(pipe(inputs[0])) == _without_timings(batched[0])
    assert pipe(example_en)["id"] == pipe(example_en)["id"] == stable_id(example_en)  # same id on every run


def test_warnings_are_structured(example_en):
    import pipeline

    result = pipeline.summarize(example_en)
    assert [(n.code, n.field) for n in result.warning_details] == [("translation_unavailable", "summary_zh")]
    assert result.warnings == [n.message for n in result.warning_details]
    off = pipeline.summarize(example_en, config={"translate": {"backend": "none"}})
    assert off.warning_details[0].code == "translation_disabled" and "disabled by config" in off.warnings[0]


@pytest.mark.parametrize("stage", ["segment", "clean", "summarize", "tokens"])
def test_a_language_without_a_profile_is_refused_by_every_stage(stage):
    from pipeline.clean import clean_text
    from pipeline.evaluate.abstraction import tokens
    from pipeline.summarize import ExtractiveSummarizer
    from pipeline.config import SummarizeConfig

    call = {"segment": lambda: split_sentences("Le taux a baissé.", "fr"),
            "clean": lambda: clean_text("Le taux a baissé.", "fr"),
            "summarize": lambda: ExtractiveSummarizer(SummarizeConfig()).summarize(
                split_sentences("The rate fell.", "en"), "fr"),
            "tokens": lambda: tokens("Le taux a baissé.", "fr")}[stage]
    with pytest.raises(UnsupportedLanguageError, match="no language profile for 'fr'"):
        call()
