"""Model-free checks of a translation: words of the source language left in the output."""
import pytest

from pipeline.translate.checks import untranslated

EN = "CISA and Tesla said ransomware threat actors hit the S&P 500 firm's iPhone unit in 2023."


@pytest.mark.parametrize("output, left", [
    ("威胁 actors发动了ransomware攻击。", ["actors", "ransomware"]),
    ("计划在2023年 rollout。", ["rollout"]),
    ("CISA、Tesla和标普500指数成分股S&P公司的iPhone部门受到攻击。", []),  # acronyms, names in their own casing
    ("H100芯片和5G网络的CPI数据。", []),  # tickers and product codes
    ("The公司表示。", ["The"]),  # a capitalised word the source does not write
])
def test_latin_words_left_in_chinese(output, left):
    assert untranslated(EN, output, "zh") == left


@pytest.mark.parametrize("output, left", [
    ("The recent price of秦皇岛 thermal coal rose.", ["秦皇岛"]),
    ("Green loans rose 25% to 30 trillion yuan.", []),
    ("张 Changsheng said 进行 was fine; 张 agreed.", ["张", "进行"]),  # each once, in order
])
def test_han_left_in_english(output, left):
    assert untranslated("秦皇岛动力煤价格上涨。", output, "en") == left
