import json

import numpy as np
import pytest
from rouge_score import rouge_scorer

from pipeline import evaluate
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.evaluate.faithfulness import inconsistent_terms
from pipeline.figures import extract
from pipeline.figures import unsupported as unsupported_numbers
from pipeline.evaluate.rouge import lines_for_lsum, rouge_columns
from pipeline.evaluate.stats import bootstrap_ci, paired_bootstrap, resamples
from pipeline.glossary.detect import detector_for

from .conftest import SHARED_DATA as SHARED

SOURCE = ("The central bank said outstanding green loans reached 1.2 trillion yuan at the end of 2021, up 33% "
          "from a year earlier. Banks also issued $140 billion of bonds.")
REFS = [
    {"id": "a", "summary": "Green loans reached 1.2 trillion yuan, up 33%.", "article": SOURCE},
    {"id": "b", "summary": "Banks issued $140 billion of bonds in 2021.", "article": SOURCE},
    {"id": "c", "summary": "The central bank reported growth in green loans.", "article": SOURCE},
]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("a,b", [
    ("1.2 trillion yuan", "1.2万亿元"), ("1.2 trillion yuan", "12000亿元"), ("$140 billion", "1400亿美元"),
    ("50%", "百分之五十"), ("5 per cent", "5%"), ("1,200 million dollars", "$1.2bn"), ("2021", "2021年"),
    ("0.1 percentage points", "0.1个百分点"), ("25 basis points", "25个基点"), ("三千二百万元", "3200万元"),
    ("fifty per cent", "百分之五十"), ("two billion dollars", "$2bn"), ("twenty-five percent", "25%"),
])
def test_equivalent_renderings_support_each_other(a, b):
    assert unsupported_numbers(a, b) == ([], 1)
    assert unsupported_numbers(b, a) == ([], 1)


@pytest.mark.parametrize("summary", ["1.3 trillion yuan", "1.2 billion yuan", "$1.2 trillion", "1.2万亿美元",
                                     "23%", "2020", "百分之五十五"])
def test_changed_figures_are_unsupported(summary):
    unsupported, total = unsupported_numbers(summary, "贷款1.2万亿元，增长33%，2021年，百分之五十")
    assert total == 1 and unsupported == [extract(summary)[0].text]


def test_rounding_is_allowed_only_to_the_written_precision():
    assert unsupported_numbers("sales of $1.1bn", "sales of $1.13bn")[0] == []
    assert unsupported_numbers("sales of $1.3bn", "sales of $1.13bn")[0] == ["$1.3bn"]


def test_names_with_digits_and_plain_number_words_are_not_figures():
    assert extract("COVID-19 hit Q2 sales at A320 lines") == []
    assert extract("two banks and one fund merged") == []


def test_inconsistent_glossary_rendering_is_reported():
    bad, total = inconsistent_terms("The bank expanded reloans and relending to small firms.", detector_for(None), "en")
    assert total == 2 and bad == ["reloans -> relending"]


def test_english_rouge_equals_rouge_score_on_own_texts():
    preds = ["Profits rose 5% at the bank. Shares fell.", "The bank cut its rates."]
    refs = ["The bank's profits rose 5%. Its shares fell sharply.", "Rates were cut by the bank on Monday."]
    cols = rouge_columns(preds, refs, "en")
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
    for i, (p, r) in enumerate(zip(preds, refs)):
        expected = scorer.score(lines_for_lsum(r, "en"), lines_for_lsum(p, "en"))
        for m in ("rouge1", "rouge2", "rougeL", "rougeLsum"):
            assert cols[f"{m}_f"][i] == pytest.approx(100 * expected[m].fmeasure, abs=1e-9)
            assert cols[f"{m}_p"][i] == pytest.approx(100 * expected[m].precision, abs=1e-9)


@pytest.mark.skipif(not (SHARED / "en_bbc_business_dev.jsonl").exists(), reason="shared BBC dev data not present")
def test_english_rouge_equals_rouge_score_on_bbc_dev():
    rows = [json.loads(line) for line in (SHARED / "en_bbc_business_dev.jsonl").read_text().splitlines()]
    preds = [r["article"].split("\n")[0] for r in rows]
    refs = [r["summary"] for r in rows]
    cols = rouge_columns(preds, refs, "en")
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
    for i, (p, r) in enumerate(zip(preds, refs)):
        raw = scorer.score(r, p)  # rouge1/2/L do not depend on line breaks
        lsum = scorer.score(lines_for_lsum(r, "en"), lines_for_lsum(p, "en"))["rougeLsum"]
        for m in ("rouge1", "rouge2", "rougeL"):
            for stat, value in zip("prf", raw[m]):
                assert abs(cols[f"{m}_{stat}"][i] - 100 * value) < 1e-9
        for stat, value in zip("prf", lsum):
            assert abs(cols[f"rougeLsum_{stat}"][i] - 100 * value) < 1e-9


def test_chinese_identical_texts_score_100_at_both_levels():
    text = "央行下调存款准备金率。释放资金1万亿元！市场反应积极？"
    cols = rouge_columns([text], [text], "zh")
    for level in ("char", "word"):
        for m in ("rouge1", "rouge2", "rougeL", "rougeLsum"):
            assert cols[f"{m}_f ({level})"][0] == pytest.approx(100.0)
    assert lines_for_lsum(text, "zh").split("\n") == ["央行下调存款准备金率。", "释放资金1万亿元！", "市场反应积极？"]


def test_chinese_char_level_keeps_han_after_a_number_apart():
    # "1月27日公布" is six characters and two numbers, not one token: a date must not swallow the words after it
    cols = rouge_columns(["苹果1月27日公布财报"], ["苹果公布财报"], "zh")
    assert cols["rouge1_r (char)"][0] == pytest.approx(100.0)
    assert cols["rouge1_p (char)"][0] == pytest.approx(100 * 6 / 10)


def test_bootstrap_interval_and_paired_test():
    rng = np.random.default_rng(1)
    a = rng.normal(50, 5, 200)
    b = a - 3 + rng.normal(0, 1, 200)
    ones = np.ones(200)
    idx = resamples(200, 1000, 0)
    low, high = bootstrap_ci(a, ones, idx)
    assert low < a.mean() < high and high - low < 3
    diff, p = paired_bootstrap((a, ones), (b, ones), idx)
    assert diff == pytest.approx(a.mean() - b.mean()) and p < 0.01
    assert paired_bootstrap((a, ones), (a, ones), idx)[1] == 1.0


def test_api_scores_compares_and_checks_faithfulness(tmp_path):
    refs = write_jsonl(tmp_path / "refs.jsonl", REFS)
    good = [{"id": r["id"], "summary": r["summary"]} for r in REFS]
    bad = [{"id": "a", "summary": "Green loans reached 1.5 trillion yuan, up 33%."},
           {"id": "b", "summary": "Banks issued reloans."}, {"id": "c", "summary": "Nothing."}]
    report = evaluate([good, bad], refs, names=["good", "bad"], rounds=200)
    by = {s.name: s for s in report.systems}
    assert by["good"].scores["rouge1_f"].value == pytest.approx(100.0)
    assert by["good"].scores["figures_unsupported_%"].value == 0.0
    assert by["bad"].scores["figures_unsupported_%"].value == pytest.approx(100 * 1 / 2)
    assert by["bad"].articles[0]["unsupported_figures"] == ["1.5 trillion yuan"]
    assert by["bad"].articles[1]["inconsistent_terms"] == ["reloans -> relending"]
    assert by["good"].scores["novel_1gram_%"].value < by["bad"].scores["novel_1gram_%"].value
    assert any(c.metric == "rouge1_f" and c.a == "good" and c.difference > 0 for c in report.comparisons)


def test_missing_and_duplicate_ids_are_named(tmp_path):
    refs = write_jsonl(tmp_path / "refs.jsonl", REFS)
    with pytest.raises(InputError, match="no record with id 'c'"):
        evaluate([{"id": "a", "summary": "x"}, {"id": "b", "summary": "y"}], refs)
    dup = write_jsonl(tmp_path / "dup.jsonl", [REFS[0], REFS[0]])
    with pytest.raises(InputError, match="duplicate id 'a'"):
        evaluate([{"id": "a", "summary": "x"}], dup)
    with pytest.raises(InputError, match="'zz' is not in the references"):
        evaluate([*({"id": r["id"], "summary": "x"} for r in REFS), {"id": "zz", "summary": "x"}], refs)


def test_references_in_two_languages_are_scored_one_language_at_a_time():
    zh = {"id": "z", "summary": "绿色贷款余额达到1.2万亿元，同比增长33%。", "article": "绿色贷款余额达到1.2万亿元，同比增长33%。"}
    refs = [*REFS, zh]
    preds = [{"id": r["id"], "summary_en": r["summary"] if r["id"] != "z" else None,
              "summary_zh": r["summary"] if r["id"] == "z" else None} for r in refs]
    english = evaluate(preds, refs, rounds=50)
    assert (english.lang, english.pairs) == ("en", 3)
    assert english.systems[0].scores["rouge1_f"].value == pytest.approx(100.0)
    assert "1 of 4 references are not in en ('z'): left out of this report; score them with lang / --lang zh" \
        in english.notes
    chinese = evaluate(preds, refs, lang="zh", rounds=50)
    assert (chinese.lang, chinese.pairs) == ("zh", 1)
    assert chinese.systems[0].scores["rouge1_f (char)"].value == pytest.approx(100.0)
    assert any("3 of 4 references are not in zh ('a', 'b', 'c')" in n for n in chinese.notes)
    with pytest.raises(InputError, match="no reference is in zh \\(they are in en\\)"):
        evaluate(preds, REFS, lang="zh")


def test_a_prediction_without_a_summary_is_scored_empty_and_counted():
    preds = [{"id": "a", "summary_en": REFS[0]["summary"]}, {"id": "b", "summary_en": None}, {"id": "c"}]
    report = evaluate(preds, REFS, rounds=50)
    assert [a["rouge1_f"] for a in report.systems[0].articles] == [pytest.approx(100.0), 0.0, 0.0]
    assert any("2 predictions have no 'summary_en' ('b', 'c'" in n for n in report.notes)
    with pytest.raises(InputError, match="record 'b' has int in 'summary_en'"):
        evaluate([preds[0], {"id": "b", "summary_en": 5}, preds[2]], REFS)


def test_parquet_and_datasets_inputs(tmp_path):
    import datasets

    refs = datasets.Dataset.from_list(REFS)
    refs.to_parquet(str(tmp_path / "refs.parquet"))
    preds = datasets.Dataset.from_list([{"id": r["id"], "prediction": r["summary"]} for r in REFS])
    preds.save_to_disk(str(tmp_path / "preds_ds"))
    report = evaluate(str(tmp_path / "preds_ds"), str(tmp_path / "refs.parquet"), rounds=100)
    assert report.systems[0].scores["rouge2_f"].value == pytest.approx(100.0)
    assert evaluate(preds, refs, rounds=100).systems[0].scores["rouge2_f"].value == pytest.approx(100.0)


def test_cli_writes_every_report_format(tmp_path, capsys):
    refs = write_jsonl(tmp_path / "refs.jsonl", REFS)
    a = write_jsonl(tmp_path / "a.jsonl", [{"id": r["id"], "summary_en": r["summary"]} for r in REFS])
    b = write_jsonl(tmp_path / "b.jsonl", [{"id": r["id"], "summary_en": "The bank."} for r in REFS])
    out = tmp_path / "report"
    assert main(["evaluate", "--pred", str(a), "--pred", str(b), "--ref", str(refs), "--out", str(out),
                 "--rounds", "100", "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert "| metric | a | b |" in md and "Paired bootstrap tests" in md
    assert json.loads((out / "report.json").read_text())["systems"][0]["name"] == "a"
    assert (out / "report.csv").read_text().startswith("system,metric,value,ci_low,ci_high")
    assert (out / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_subset_dataframes_and_to_pandas(tmp_path):
    import pandas as pd

    refs = pd.DataFrame([{"id": f"a{i}", "summary": "Banks lent more to small firms.", "article": "Banks lent more "
                          "to small firms this year. Rates fell."} for i in range(4)])
    preds = pd.DataFrame([{"id": "a0", "summary": "Banks lent more."}, {"id": "a2", "summary": "Rates fell."}])
    with pytest.raises(InputError, match="subset"):
        evaluate(preds, refs, rounds=10)
    report = evaluate(preds, refs, rounds=10, subset=True)
    assert report.pairs == 2 and any("2 left out" in note for note in report.notes)
    table = report.to_pandas()
    assert list(table.columns) == ["system", "metric", "value", "low", "high"] and len(table) == len(report.metrics())


def test_report_markdown_escapes_only_what_came_from_input(tmp_path):
    from pipeline.evaluate import to_markdown

    refs = write_jsonl(tmp_path / "refs.jsonl", REFS)
    good = [{"id": r["id"], "summary": r["summary"]} for r in REFS]
    bad = [{"id": r["id"], "summary": "Nothing here."} for r in REFS]
    text = to_markdown(evaluate([good, bad], refs, names=["good_*", "bad"], rounds=200))
    assert "<0.001" in text and "&lt;" not in text and "| good\\_\\* - bad |" in text
    assert "| rouge1_f |" in text and "rouge1\\_f" not in text  # our metric names as written, everywhere
