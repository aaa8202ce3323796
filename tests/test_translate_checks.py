"""Checks of a translation against its source (figures, words left untranslated, glossary terms, names) and the
bounded repair of the translate stage, with hand-written cases in both directions."""
import pytest

from pipeline import load_config
from pipeline.figures import compare
from pipeline.glossary.detect import detector_for
from pipeline.schema import Summary
from pipeline.translate import TRANSLATORS, TranslateStage
from pipeline.translate.checks import entities, failures, terms, untranslated

DETECTOR = detector_for(None)


@pytest.mark.parametrize("source, output", [
    ("全国绿色贷款余额达到1.2万亿元。", "Green loans reached 1.2 trillion yuan."),
    ("The firm raised $140 billion.", "该公司募资1400亿美元。"),
    ("新增就业18万人。", "180,000 new jobs were created."),
    ("The PBOC cut the ratio by 0.5 percentage points.", "央行将该比率下调0.5个百分点。"),
    ("1-9月份，利润增长5%。", "From January to September, profits rose 5%."),
    ("Profits rose 5% in January-September.", "1-9月利润增长5%。"),
    ("12月19日，公司宣布收购。", "On December 19, the company announced the deal."),
    ("利率降至百分之零点二五。", "The rate was cut to 0.25%."),
    ("增速回升至34.2 %。", "Growth rebounded to 34.2%."),
    ("连续6年增长超过50%。", "It grew more than 50% for six consecutive years."),
    ("亚马逊挤进全球十大零售商。", "Amazon entered the world's top 10 retailers."),
    ("Three banks cut rates.", "三家银行下调了利率。"),
    ("分别上升1.1个和0.2个百分点。", "They rose 1.1 and 0.2 percentage points respectively."),
    ("The market may exceed 1 trillion yuan.", "市场规模有望破万亿元。"),
    ("约三分之二的贷款是消费贷款。", "About two-thirds of the loans are consumer loans."),
    ("About 2/3 of the loans are consumer loans.", "约三分之二的贷款是消费贷款。"),
    ("A third of the funds went abroad.", "三分之一的资金流向海外。"),
    ("该集团估值5亿多美元。", "The group is valued at more than half a billion dollars."),
    ("该家族40年前创立了公司。", "The family founded the firm four decades ago."),
    ("这将节省数十亿美元。", "This will save billions of dollars."),
    ("半数以上的企业实现盈利。", "More than 50% of the firms made a profit."),
    ("出口比2016年增长8%。", "Exports rose 8% year-on-year."),
    ("新的一年里，银行将推出更多产品。", "In the new year, banks will launch more products."),
    ("全镇七点五万亩青花椒已成为支柱产业。", "Green peppers on 5,000 hectares are the town's main industry."),
    ("农场占地3000英亩。", "The farm covers 3,000 acres."),
    ("园区规划面积50平方公里。", "The park is planned to cover 5,000 hectares."),
    ("Growth may reach US$2. 4 trillion by 2025.", "到2025年增长可达2.4万亿美元。"),
])
def test_figures_rendered_in_the_other_language_pass(source, output):
    found = compare(source, output)
    assert (found.missing, found.added) == ([], [])


@pytest.mark.parametrize("source, output, missing, added", [
    ("分别比上月上升1.1个和0.2个百分点。", "They rose by two percentage points.", ["1.1", "0.2个百分点"],
     ["two percentage points"]),
    ("增速回升至34.2 %。", "Growth rebounded.", ["34.2 %"], []),
    ("eMarketer跟踪了180家最大的电商。", "eMarketer tracked the largest e-commerce firms.", ["180"], []),
    ("The deal is worth $9 billion.", "该交易价值9亿美元。", ["$9 billion"], ["9亿美元"]),
    ("The deal closed on Jan. 15.", "该交易于1月1日完成。", ["15"], []),
    ("Sales rose 5%.", "2023年销售额增长5%。", [], ["2023年"]),
    ("约三分之二的贷款是消费贷款。", "About three-quarters of the loans are consumer loans.", ["三分之二"],
     ["three-quarters"]),
    ("Output grew in the first three quarters of 2023.", "前三季度产量增长。", ["2023"], []),  # no fraction there
    ("出口比2016年增长8%。", "Exports rose 8%.", ["2016年"], []),  # the year a comparison is with needs a word
    ("半数以上的企业实现盈利。", "More than 40% of the firms made a profit.", [], ["40%"]),
    ("农场占地3000亩。", "The farm covers 3,000 acres.", ["3000"], ["3,000"]),  # a mu is not an acre
    ("全镇七点五万亩青花椒。", "Green peppers on 7,500 hectares.", ["七点五万"], ["7,500"]),
])
def test_changed_dropped_and_invented_figures_are_found(source, output, missing, added):
    found = compare(source, output)
    assert (found.missing, found.added) == (missing, added)


EN = "CISA and Tesla said ransomware threat actors hit the S&P 500 firm's iPhone unit in 2023."


@pytest.mark.parametrize("output, left", [
    ("威胁 actors发动了ransomware攻击。", ["actors", "ransomware"]),
    ("计划在2023年 rollout。", ["rollout"]),
    ("CISA、Tesla和标普500指数成分股S&P公司的iPhone部门受到攻击。", []),  # acronyms, names in their own casing
    ("H100芯片和5G网络的CPI数据。", []),  # tickers and product codes
    ("The公司表示。", ["The"]),  # a capitalised word the source does not write
])
def test_latin_words_left_in_chinese(output, left):
    assert untranslated(EN, output, "en", "zh", DETECTOR)["untranslated_words"] == left


def test_a_glossary_name_with_a_chinese_form_is_not_a_kept_name():
    source = "Shares of chip makers listed on the STAR Market rose."
    assert untranslated(source, "在STAR Market上市的芯片公司股价上涨。", "en", "zh", DETECTOR) == \
        {"untranslated_words": ["STAR", "Market"]}
    assert untranslated(source, "在科创板上市的芯片公司股价上涨。", "en", "zh", DETECTOR) == {"untranslated_words": []}


@pytest.mark.parametrize("output, left", [
    ("The recent price of秦皇岛 thermal coal rose.", ["秦皇岛"]),
    ("Green loans rose 25% to 30 trillion yuan.", []),
    ("张 Changsheng said 进行 was fine; 张 agreed.", ["张", "进行"]),  # each once, in order
])
def test_han_left_in_english(output, left):
    assert untranslated("秦皇岛动力煤价格上涨。", output, "zh", "en")["untranslated_words"] == left


def test_names_need_a_counterpart_and_no_organisation_is_invented():
    source = "CISA and GSA issued the guidance."
    found = entities(source, "国家网络安全和信息化局和国家发展和改革委员会发布了该指南。", "en", "zh", DETECTOR)
    assert found == {"entity_unmatched": ["CISA", "GSA"], "entity_added": ["国家发展和改革委员会"]}
    assert entities(source, "CISA和GSA发布了该指南。", "en", "zh", DETECTOR) == \
        {"entity_unmatched": [], "entity_added": []}
    # usual renderings, Latin words of Chinese text kept, and the currency of an amount is no name
    assert entities("HSBC said US demand for RMB100 billion of bonds rose.", "汇丰表示，美国对1000亿元债券的需求上升。",
                    "en", "zh", DETECTOR)["entity_unmatched"] == []
    assert entities("NHS英格兰签署了合同。", "NHS England signed a contract.", "zh", "en", DETECTOR) == \
        {"entity_unmatched": [], "entity_added": []}
    assert entities("NHS英格兰签署了合同。", "The health service signed a contract.", "zh", "en",
                    DETECTOR)["entity_unmatched"] == ["NHS"]


@pytest.mark.parametrize("source, output, unmatched", [
    # an acronym the sentence spells out: the full name's rendering is its counterpart, at every use
    ("State Grid Corporation of China (SGCC) and SGCC's partner met.", "国家电网公司及其合作伙伴会面。", []),
    ("NAT (National Aids Trust) welcomed the plan.", "英国艾滋病信托基金欢迎该计划。", []),
    # an acronym that begins a longer name is rendered with it
    ("Firms must obey UN Security Council resolutions.", "企业必须遵守安理会决议。", []),
    # full-width letters are the same name; a currency prefix is no name
    ("A PECC study gave HK$20 million.", "ＰＥＣＣ的研究给出两千万港币。", []),
    # still flagged: an acronym dropped, and one whose parenthesis spells another name
    ("The deal was backed by GMB.", "该交易得到工会支持。", ["GMB"]),
    ("The Trade Union Congress (GMB) backed it.", "职工大会支持该交易。", ["GMB"]),
])
def test_acronyms_defined_or_part_of_a_name_need_no_copy(source, output, unmatched):
    assert entities(source, output, "en", "zh", DETECTOR)["entity_unmatched"] == unmatched


def test_glossary_terms_need_their_form_or_its_head_word():
    assert terms("央行新增再贷款额度。", "The central bank added reloans quota.", "zh", "en", DETECTOR) == \
        {"term_not_rendered": ["glossary term '再贷款' is not rendered as 'relending'"]}
    # a synonym that keeps the head word, and a currency inside an amount (checked as a figure), pass
    assert terms("关于利率，该行表示将收紧政策。", "On rates, the bank said it would tighten.", "zh", "en", DETECTOR) == \
        {"term_not_rendered": []}
    assert terms("牛肉每磅卖到150美元。", "Beef sells for US$150 a pound.", "zh", "en", DETECTOR) == \
        {"term_not_rendered": []}


@pytest.mark.parametrize("source, output, src, tgt", [
    ("该集团宣布收购一家银行。", "The group announced it would acquire a bank.", "zh", "en"),  # stem: acqui-
    ("监管部门加强反洗钱工作。", "Regulators stepped up anti-money laundry work.", "zh", "en"),
    ("美元走弱。", "The US$ weakened.", "zh", "en"),  # the same currency by symbol
    ("Tariffs on imports and exports were cut.", "进出口关税下调。", "en", "zh"),  # 进口 inside 进出口
])
def test_looser_renderings_of_a_term_pass(source, output, src, tgt):
    assert terms(source, output, src, tgt, DETECTOR) == {"term_not_rendered": []}


def test_a_rendering_missing_a_content_word_is_still_flagged():
    found = terms("该集团宣布收购一家银行。", "The group announced it would buy a bank.", "zh", "en", DETECTOR)
    assert found == {"term_not_rendered": ["glossary term '收购' is not rendered as 'acquisition'"]}


def test_failures_keep_only_failing_codes_of_the_named_checks():
    out = failures("Profits rose 5% at CISA.", "利润增长了。", "en", "zh", DETECTOR)
    assert out == {"numbers_missing": ["5%"], "entity_unmatched": ["CISA"]}
    assert failures("Profits rose 5% at CISA.", "利润增长了。", "en", "zh", DETECTOR, ["entities"]) == \
        {"entity_unmatched": ["CISA"]}


class Scripted:
    """A translator backend that answers each attempt from a script: {attempt: output}."""

    def __init__(self, script: dict[int, str]):
        self.script, self.calls = script, []
        self.spec = load_config().translate.en_zh
        self.kind, self.name = "scripted", "scripted"

    def translate(self, sentences, attempt=0):
        self.calls.append((attempt, list(sentences)))
        return [self.script[attempt] for _ in sentences], {"sentences": len(sentences)}


def _stage(monkeypatch, script: dict[int, str], **translate) -> tuple[TranslateStage, Scripted]:
    backend = Scripted(script)
    monkeypatch.setitem(TRANSLATORS, "seq2seq", lambda *a: backend)
    config = load_config(overrides={"translate": translate}).translate
    return TranslateStage(config, DETECTOR), backend


def test_a_failing_sentence_is_retried_and_the_passing_candidate_kept(monkeypatch):
    stage, backend = _stage(monkeypatch, {0: "利润增长了。", 1: "利润增长了5%。", 2: "不该用到。"})
    [out] = stage.run([Summary(lang="en", text="Profits rose 5%.", backend="x")], "zh")
    assert out.text == "利润增长了5%。" and out.notices == []
    assert out.details["repair"] == {"attempts": [2], "checks_failed": [[]], "words_translated_alone": [0],
                                     "max_attempts": 3}
    assert [attempt for attempt, _ in backend.calls] == [0, 1]  # stops as soon as every check passes


def test_retries_are_bounded_and_what_still_fails_is_a_notice(monkeypatch):
    stage, backend = _stage(monkeypatch, {0: "利润增长了。", 1: "利润增长了6%。", 2: "利润大增。"})
    [out] = stage.run([Summary(lang="en", text="Profits rose 5%.", backend="x")], "zh")
    # attempt 1 changed the figure (two failing codes), attempt 2 dropped it again: the first candidate is kept
    assert out.text == "利润增长了。" and out.details["repair"]["attempts"] == [3]
    assert [n.code for n in out.notices] == ["numbers_missing"] and "5%" in out.notices[0].message
    assert len(backend.calls) == 3


def test_repair_can_be_turned_off_and_checks_chosen(monkeypatch):
    stage, backend = _stage(monkeypatch, {0: "利润增长了。"}, repair_attempts=0, checks=["entities"])
    [out] = stage.run([Summary(lang="en", text="Profits rose 5%.", backend="x")], "zh")
    assert out.notices == [] and len(backend.calls) == 1 and out.details["repair"]["max_attempts"] == 1


class WordByWord(Scripted):
    """Leaves a word untranslated in every whole-sentence attempt; translates a word given alone."""

    def translate(self, sentences, attempt=0):
        self.calls.append((attempt, list(sentences)))
        if sentences == ["畅通"]:
            return ["smooth flow."], {}
        return ["Together we will promote trade畅通 in the region."] * len(sentences), {"sentences": len(sentences)}


def test_a_word_left_untranslated_is_translated_alone_and_put_in_place(monkeypatch):
    backend = WordByWord({})
    monkeypatch.setitem(TRANSLATORS, "seq2seq", lambda *a: backend)
    stage = TranslateStage(load_config().translate, DETECTOR)
    [out] = stage.run([Summary(lang="zh", text="我们将共同促进区域贸易畅通。", backend="x")], "en")
    assert out.text == "Together we will promote trade smooth flow in the region." and out.notices == []
    assert out.details["repair"]["words_translated_alone"] == [1] and out.details["repair"]["attempts"] == [3]
    assert backend.calls[-1] == (0, ["畅通"])  # one batch of the words left, after the bounded retries
