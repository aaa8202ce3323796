"""Clause trimming of one-sentence summaries: where it cuts a sentence, when the summarizer trims and what it records,
that the shipped trimmer is plain weights, and that the training script learns which clauses carry the news."""
import json
import random

import numpy as np
import pytest

from pipeline import Article, BilingualSummarizer
from pipeline.lang import profile
from pipeline.summarize import trim
from tests.conftest import train_twice

NEWS = ("据新华社报道，央行宣布下调金融机构存款准备金率0.5个百分点，释放长期资金约1万亿元。市场人士认为，此举有助于稳定市场预期。"
        "分析人士表示，银行净息差压力仍在，后续仍有降息空间。")


def summarize(text: str, **summarize):
    config = {"translate": {"backend": "none"}, "summarize": summarize}
    result = BilingualSummarizer(config).run(Article(id="a", text=text))
    return result, result.provenance["summary_zh"]


@pytest.mark.parametrize("sentence, expected", [
    ("周一公布的调查显示，俄罗斯央行料将加息100个基点，以抑制通胀。",
     ["周一公布的调查显示，", "俄罗斯央行料将加息100个基点，", "以抑制通胀。"]),
    ("他说：“我们将继续加息，直到通胀回落。”", ["他说：", "“我们将继续加息，直到通胀回落。”"]),
    ("公司（含子公司，不含联营企业）营收增长。", ["公司（含子公司，不含联营企业）营收增长。"]),
    ("营收1,000万元，时间10:30， 增长。", ["营收1,000万元，", "时间10:30， ", "增长。"]),
    ("单句没有逗号。", ["单句没有逗号。"]),
])
def test_clauses_are_cut_after_marks_outside_quotes_brackets_and_numbers(sentence, expected):
    assert trim.clauses(sentence) == expected


def test_clauses_give_the_sentence_back_and_stay_few():
    rng = random.Random(0)
    pieces = ["央行", "，", "；", "：", ",", "1,000", "10:30", "“", "”", "（", "）", " ", "。", "增长", "a", "，。"]
    for _ in range(2000):
        sentence = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
        parts = trim.clauses(sentence)
        assert "".join(parts) == sentence and len(parts) <= trim.MAX_CLAUSES
        assert all(p.strip("，；：,;:。！？!?… ") for p in parts[1:])  # no piece of marks alone after the first


def test_candidates_are_every_run_of_clauses_whole_sentence_first():
    parts = trim.clauses("据报道，央行宣布降准，释放资金1万亿元，市场反应平淡。")
    runs, values, words = trim.candidates(parts, profile("zh"), True)
    assert runs[0] == (0, 4) and sorted(runs) == sorted((i, j) for i in range(4) for j in range(i + 1, 5))
    assert values.shape == (len(trim.FEATURES), 10) and np.isfinite(values).all()
    assert values[trim.FEATURES.index("whole")].tolist() == [1.0] + [0.0] * 9
    assert words.stands.shape == (10, 4) and words.stands[0].tolist() == [1, 1, 1, 1]  # the whole sentence keeps all
    assert words.stands[runs.index((1, 3))].tolist() == [0, 1, 1, 2]
    assert set(words.clause.tolist()) == set(range(4)) and words.codes.dtype == np.uint64


@pytest.mark.parametrize("sentence", ["据新华社报道，央行宣布降准，释放资金1万亿元，市场反应平淡。", "央行：降准，降准，再降准。",
                                      "一，二", "“引号里，不切”，括号（甲，乙）外切，。"])
def test_fast_scores_equal_the_sum_of_the_pairs_the_training_fits(sentence):
    # Trimmer.scores sums each clause's word weights once per place; training fits every (run, code) pair.
    rng = np.random.default_rng(0)
    trimmer = trim.Trimmer("t", rng.normal(size=len(trim.FEATURES)), rng.normal(size=4096))
    runs, values, words = trim.candidates(trim.clauses(sentence), profile("zh"), False)
    owner, codes = words.expand()
    pairs = np.bincount(owner, trimmer.hashed[(codes % np.uint64(4096)).astype(np.int64)], minlength=len(runs))
    assert np.allclose(trimmer.scores(values, words), trimmer.dense @ values + pairs, rtol=1e-12, atol=1e-12)


def test_kept_clauses_end_with_a_full_stop():
    parts = ["据报道，", "央行宣布降准，", "释放资金。"]
    assert trim.text(parts, 1, 2, "zh") == "央行宣布降准。"
    assert trim.text(parts, 1, 3, "zh") == "央行宣布降准，释放资金。"
    assert trim.text(["Revenue rose, ", "analysts said."], 0, 1, "en") == "Revenue rose."


@pytest.mark.parametrize("sentence", ["国家统计局新闻发言人在发布会上表示，一季度经济运行总体平稳，物价温和上涨。",
                                      "外交部：中方愿同各方加强合作，共同维护地区稳定。"])
def test_a_run_never_ends_on_a_clause_that_introduces_the_rest(sentence):
    # A trimmer that would keep the fewest clauses from the start keeps none that end in "表示，" or a colon.
    weights = np.zeros(len(trim.FEATURES))
    weights[trim.FEATURES.index("dropped_after")] = 10.0
    first, end, parts = trim.Trimmer("t", weights, np.zeros(16)).choose(sentence, profile("zh"), True)
    assert (first, end) == (0, 2) and not trim.text(parts, first, end, "zh").endswith(("表示。", "外交部。"))


def test_a_run_never_begins_with_a_word_that_ties_it_to_the_clause_before():
    # A trimmer that would keep the last clause alone keeps none that start with "但" or "同比".
    weights = np.zeros(len(trim.FEATURES))
    weights[trim.FEATURES.index("dropped_before")] = 10.0
    sentence = "公司去年营收创新高，但净利润下滑，同比减少两成。"
    first, end, parts = trim.Trimmer("t", weights, np.zeros(16)).choose(sentence, profile("zh"), True)
    assert (first, end) == (0, 3)
    first, end, _ = trim.Trimmer("t", weights, np.zeros(16)).choose("并购重组加速，并购基金规模扩大。", profile("zh"), True)
    assert (first, end) == (1, 2)  # 并购 (mergers) is a noun, not 并 (and)


def test_a_one_sentence_chinese_summary_is_trimmed_and_says_how():
    result, summary = summarize(NEWS, max_sentences=1)
    record = summary.details["trim"]
    assert record["model"] == "bisum-trimmer-zh-finna-trim" and record["sentence"] == 0
    assert summary.model == "bisum-ranker-zh-finna"  # the ranker chose the sentence; the trimmer cut it
    start, stop = record["span"]
    kept = result.cleaned_text[start:stop]
    assert result.summary_zh in (kept, kept[:-1] + "。") and result.summary_zh != result.cleaned_text[:len(kept)]
    sentence = NEWS[:NEWS.index("。") + 1]
    assert record["chars_dropped"] == len(sentence) - len(kept) and kept in sentence
    assert 1 <= record["clauses_kept"][0] <= record["clauses_kept"][1] <= record["clauses"] == 3


def test_trimming_is_only_for_one_sentence_chinese_news_and_can_be_switched_off(example_en):
    whole = NEWS[:NEWS.index("。") + 1]
    for summarize_config in ({"max_sentences": 1, "trim": "none"}, {"max_sentences": 3, "max_share": None}):
        result, summary = summarize(NEWS, **summarize_config)
        assert "trim" not in summary.details and result.summary_zh.startswith(whole)
    result = BilingualSummarizer({"translate": {"backend": "none"}, "summarize": {"max_sentences": 1}}).run(
        Article(id="e", text=example_en))
    assert "trim" not in result.provenance["summary_en"].details


def test_the_shipped_trimmer_is_small_plain_weights_with_its_record():
    path = trim.FOLDER / "zh-finna-trim.json"
    assert path.stat().st_size < 3_000_000
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["features"] == list(trim.FEATURES) and data["command"].startswith("make train-ranker")
    assert data["held_out_rouge2"]["trimmed"] > data["held_out_rouge2"]["whole_sentences"]
    assert data["trained_on"]["file"] == "zh_finna_train.jsonl" and data["settings"]["seed"] == 0


def test_without_the_artefact_nothing_is_trimmed(monkeypatch, tmp_path):
    monkeypatch.setattr(trim, "FOLDER", tmp_path)
    trim.load.cache_clear()
    try:
        result, summary = summarize(NEWS, max_sentences=1)
        assert "trim" not in summary.details and result.summary_zh == NEWS[:NEWS.index("。") + 1]
    finally:
        trim.load.cache_clear()


HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得"


def clause_articles(count: int, seed: int = 0) -> list[dict]:
    """Made-up news of four sentences. The lead says where the news comes from, then the news, then a comment;
    the reference is the news clause alone (a headline)."""
    rng = random.Random(seed)

    def words(low, high):
        return "".join(rng.choice(HAN) for _ in range(rng.randrange(low, high)))

    rows = []
    for i in range(count):
        news = f"{words(2, 4)}公司宣布净利润增长百分之{rng.randrange(2, 40)}"
        lead = f"据{words(2, 5)}报道，{news}，{words(8, 14)}。"
        rows.append({"id": f"c{i}", "article": lead + "".join(words(10, 18) + "。" for _ in range(3)),
                     "summary": news})
    return rows


def test_training_learns_which_clauses_carry_the_news_and_is_deterministic(tmp_path, monkeypatch):
    first, second = (folder / "zh-finna-trim.json" for folder in train_twice("zh-finna", clause_articles(150),
                                                                              tmp_path))
    assert first.read_bytes() == second.read_bytes()
    record = json.loads(first.read_text(encoding="utf-8"))["held_out_rouge2"]
    assert record["trimmed"] > 90 and record["whole_sentences"] < 70
    monkeypatch.setattr(trim, "FOLDER", tmp_path / "a")
    trim.load.cache_clear()
    try:  # in place of the shipped one, it serves the summarizer
        article = clause_articles(1, seed=1)[0]
        result, summary = summarize(article["article"], max_sentences=1)
        assert result.summary_zh == article["summary"] + "。" and summary.details["trim"]["clauses_kept"] == [2, 2]
    finally:
        trim.load.cache_clear()
