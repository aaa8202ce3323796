"""Acceptance checks on the commissioning article (read from ../shared/data; skipped when absent)."""
import json

from pipeline.cli import main
from pipeline.schema import Result
from pipeline.segment import split_sentences

from .conftest import SEED


def test_seed_article_end_to_end(seed_text, capsys):
    assert main(["summarize", str(SEED), "--format", "json"]) == 0
    result = Result.model_validate(json.loads(capsys.readouterr().out))
    removed = [e for e in result.edits if e.replacement == ""]
    assert sorted(e.original.strip() for e in removed) == ["It is.", "Ta."]
    assert all(e.original.strip() == "" or e.rule.startswith("fragment") for e in result.edits)
    assert [f.text for f in result.flags] == ["He said he would pay more attention."]
    assert " Ta." not in result.cleaned_text and "It is." not in result.cleaned_text
    cleaned_sentences = {s.text for s in split_sentences(result.cleaned_text, "en")}
    assert all(s.text in cleaned_sentences for s in split_sentences(result.summary_en, "en"))
    terms = {g.term_en: g.term_zh for g in result.glossary}
    for en, zh in {"S fund": "S基金", "relending": "再贷款", "rediscount": "再贴现", "STAR Market": "科创板"}.items():
        assert terms.get(en) == zh
    assert result.summary_zh is None and any("opus-mt-en-zh" in w for w in result.warnings)
