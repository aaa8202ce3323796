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
    # Glued sentences as scraped news has them: a straight quote after the dot opens the next sentence
    # when the quotes before it are balanced, and closes the sentence when one is open.
    ('It named a new chief."We are pleased," it said.', ['It named a new chief.', '"We are pleased," it said.']),
    ('He said "costs rose."Then he left.', ['He said "costs rose."', 'Then he left.']),
    ("It replaces Ms Mohd-Saaid.In a statement it said so.", ["It replaces Ms Mohd-Saaid.", "In a statement it said so."]),
    ("A resort could cost $40m.He said more.", ["A resort could cost $40m.", "He said more."]),
    ("It was valued at $180bn (£96bn).UK banks fell.", ["It was valued at $180bn (£96bn).", "UK banks fell."]),
    ("Births are lower than in the US.At home it is worse.", ["Births are lower than in the US.", "At home it is worse."]),
    ("Prices fell in March.A tie-up was agreed.", ["Prices fell in March.", "A tie-up was agreed."]),
    ("Rates were 0.5 percentage points e.g. in Jan. 2004 and rose.", ["Rates were 0.5 percentage points e.g. in Jan. 2004 and rose."]),
    ("Operator: Thank you. Our first question comes from Bank of America.\nAnalyst: Hi.",
     ["Operator: Thank you.", "Our first question comes from Bank of America.", "Analyst: Hi."]),
])
def test_english_edge_cases(text, expected):
    assert texts(text) == expected


def test_chinese_punctuation_quotes_and_newlines():
    text = "上海将加大支持力度。他说：“我们会继续努力！”是吗？对；好的……结束\n新段落"
    assert texts(text, "zh") == ["上海将加大支持力度。", "他说：“我们会继续努力！”", "是吗？", "对；", "好的……", "结束", "新段落"]


@pytest.mark.parametrize("text,expected", [
    ("「科创板」开市了！投资者说：「很好。」然后离开。", ["「科创板」开市了！", "投资者说：「很好。」", "然后离开。"]),
    ("利率为3.45%，较上月下降0.1个百分点。贷款余额12.5万亿元", ["利率为3.45%，较上月下降0.1个百分点。", "贷款余额12.5万亿元"]),
    ("一、总体情况\n1. 贷款增长。2. 存款下降。", ["一、总体情况", "1. 贷款增长。", "2. 存款下降。"]),
    # English sentences inside Chinese text end at their own full stops; abbreviations do not end them
    ("央行宣布降准。The Fed held rates steady. Analysts expect cuts. 市场反应平淡。",
     ["央行宣布降准。", "The Fed held rates steady.", "Analysts expect cuts.", "市场反应平淡。"]),
    ("苹果公司（Apple Inc. ）股价上涨3.5%。据Mr. Smith介绍，U.S. Treasury yields rose. 他表示关注。",
     ["苹果公司（Apple Inc. ）股价上涨3.5%。", "据Mr. Smith介绍，U.S. Treasury yields rose.", "他表示关注。"]),
    ("子公司KS Orka Renewables Pte. Ltd.拟收购股权。收入增长5%. 市场平稳。",
     ["子公司KS Orka Renewables Pte. Ltd.拟收购股权。", "收入增长5%.", "市场平稳。"]),
])
def test_chinese_edge_cases(text, expected):
    assert texts(text, "zh") == expected


def test_spans_point_into_the_text():
    text = "  First one.  Second one?\nThird"
    for s in split_sentences(text, "en"):
        assert text[s.start:s.end] == s.text
