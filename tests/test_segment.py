import pytest

from pipeline.segment import split_sentences


def texts(text, lang="en"):
    return [s.text for s in split_sentences(text, lang)]


@pytest.mark.parametrize("text,expected", [
    ("Mr. Smith said profit rose 15.6% to $1.13bn. Sales fell.",
     ["Mr. Smith said profit rose 15.6% to $1.13bn.", "Sales fell."]),
    ("Revenue hit $1.13bn.For the year it rose.", ["Revenue hit $1.13bn.", "For the year it rose."]),
    ("The U.S. economy grew 2.1%. Apple Inc. rose.", ["The U.S. economy grew 2.1%.", "Apple Inc. rose."]),
    ("It happened in the U.S. The Fed said so.", ["It happened in the U.S.", "The Fed said so."]),
    ('He said: "No." Then he left!', ['He said: "No."', "Then he left!"]),
    ("It ranked No. 3 in the index.", ["It ranked No. 3 in the index."]),
    ("Debt reached 1.2 trillion yuan... Then it fell.", ["Debt reached 1.2 trillion yuan...", "Then it fell."]),
    ("- First item\n- Second item. More.", ["- First item", "- Second item.", "More."]),
])
def test_english_edge_cases(text, expected):
    assert texts(text) == expected


def test_chinese_punctuation_quotes_and_newlines():
    text = "上海将加大支持力度。他说：“我们会继续努力！”是吗？对；好的……结束\n新段落"
    assert texts(text, "zh") == ["上海将加大支持力度。", "他说：“我们会继续努力！”", "是吗？", "对；", "好的……", "结束", "新段落"]


def test_spans_point_into_the_text():
    text = "  First one.  Second one?\nThird"
    for s in split_sentences(text, "en"):
        assert text[s.start:s.end] == s.text
