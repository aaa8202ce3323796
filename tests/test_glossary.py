import opencc
import pytest

from pipeline.glossary import TermDetector, load_terms
from pipeline.segment import split_sentences

TERMS = load_terms()
DETECTOR = TermDetector(TERMS)


def found(text, lang="en"):
    return [(text[s:e], TERMS[i].en) for s, e, i in DETECTOR.find(text, lang)]


def test_term_base_schema():
    to_simplified = opencc.OpenCC("t2s")
    assert len(TERMS) >= 60
    ens = [t.en.lower() for t in TERMS]
    assert len(ens) == len(set(ens)), "duplicate English terms"
    surface = {}
    for term in TERMS:
        for form in [term.zh, *term.aliases_zh]:
            assert to_simplified.convert(form) == form, f"{form} is not Simplified Chinese"
        for form in [term.en, *term.aliases_en, term.zh, *term.aliases_zh]:
            assert surface.setdefault(form.lower(), term.en) == term.en, f"{form} belongs to two terms"


@pytest.mark.parametrize("text,expected", [
    ("special innovation-themed reloans", [("reloans", "relending")]),
    ("Rediscounts were cut.", [("Rediscounts", "rediscount")]),
    ("a multi layer capital market", [("multi layer capital market", "multi-tier capital market")]),
    ("The MLF rate", [("MLF", "medium-term lending facility")]),
    ("an mlf rate", []),  # acronyms are case-sensitive
    ("private equity funds and private equity", [("private equity funds", "private equity fund"),
                                                 ("private equity", "private equity")]),
    ("Secondary funds, or S funds", [("Secondary funds", "S fund"), ("S funds", "S fund")]),
])
def test_english_detection(text, expected):
    assert found(text) == expected


def test_chinese_longest_match():
    assert found("人民银行扩大科技创新再贷款额度，存款准备金率下调。", "zh") == [
        ("人民银行", "People's Bank of China"), ("再贷款", "relending"), ("存款准备金率", "reserve requirement ratio")]


def test_glossary_entries_have_offsets_and_sentences():
    text = "Banks cut rates. Green loans rose and green loans fell."
    entries = DETECTOR.glossary(text, "en", split_sentences(text, "en"))
    assert [(e.term_en, e.term_zh) for e in entries] == [("green loan", "绿色贷款")]
    assert [(o.surface, o.sentence) for o in entries[0].occurrences] == [("Green loans", 1), ("green loans", 1)]
    assert all(text[o.start:o.end] == o.surface for o in entries[0].occurrences)


def test_user_terms_extend_and_override(tmp_path):
    user = tmp_path / "terms.yaml"
    user.write_text(
        "- {en: relending, zh: 再贷款, aliases_en: [reloans], category: custom, definition_en: x, definition_zh: y}\n"
        "- {en: tech credit, zh: 科技信贷, category: custom, definition_en: x, definition_zh: y}\n",
        encoding="utf-8")
    terms = {t.en: t for t in load_terms(user)}
    assert terms["relending"].category == "custom"
    assert "tech credit" in terms and len(terms) == len(TERMS) + 1


def test_user_terms_errors_name_the_entry(tmp_path):
    from pipeline.errors import ConfigError

    user = tmp_path / "terms.yaml"
    user.write_text("- {en: x, zh: y, category: c, definition_en: d}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="entry 1: 'definition_zh'"):
        load_terms(user)
