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
    assert len(TERMS) >= 400
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
        ("人民银行", "People's Bank of China"), ("科技创新再贷款", "technology innovation relending"),
        ("存款准备金率", "reserve requirement ratio")]
    assert found("再贷款额度", "zh") == [("再贷款", "relending")]


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


def test_missing_renderings_name_the_term_and_its_glossary_form():
    source = "Green loans grew and the central bank expanded reloans."
    assert DETECTOR.missing_renderings(source, "en", "绿色贷款增长，央行扩大再贷款。", "zh") == []
    assert DETECTOR.missing_renderings(source, "en", "绿色贷款增长，央行扩大了重新贷款。", "zh") == [
        "glossary term 'relending' is not rendered as '再贷款'"]


def test_chinese_matches_respect_jieba_word_boundaries():
    assert found("远期权益上升", "zh") == []
    assert found("远期权益和期权交易", "zh") == [("期权", "options contract")]


def test_unknown_terms_are_listed_as_unverified_candidates():
    from pipeline.glossary.discover import discover

    text = ("Tools such as special innovation-themed reloans and technology-themed credit will expand. "
            "Banks cut mortgage rates. Green loans grew.")
    candidates = discover(text, "en", split_sentences(text, "en"), DETECTOR)
    assert [c.term for c in candidates] == ["special innovation-themed reloans", "technology-themed credit"]
    assert all(c.status == "unverified" and c.count == 1 and "Tools such as" in c.contexts[0] for c in candidates)
    zh = "人民银行设立技术改造再贷款，支持设备更新贷款。绿色贷款增长。"
    assert [c.term for c in discover(zh, "zh", split_sentences(zh, "zh"), DETECTOR)] == ["技术改造再贷款", "设备更新贷款"]
