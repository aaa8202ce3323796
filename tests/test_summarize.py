import pytest

from pipeline.config import Ranking, RankingWeights, SummarizeConfig
from pipeline.segment import split_sentences
from pipeline.summarize.extractive import ExtractiveSummarizer

EN = (
    "The central bank cut the reserve requirement ratio for commercial banks by 0.5 percentage points. "
    "The cut releases about 1 trillion yuan of long-term liquidity to commercial banks. "
    "Commercial banks welcomed the cut in the reserve requirement ratio. "
    "Analysts said the central bank may cut rates again this year. "
    "The weather in the capital was mild. "
    "Small firms hope commercial banks pass the liquidity on as cheaper loans."
)
ZH = "央行宣布下调存款准备金率0.5个百分点。此次降准释放长期资金约1万亿元。市场人士认为降准有助于稳定经济。当天天气晴朗。"


def summarize(text, lang="en", **budget):
    config = SummarizeConfig(**{"max_sentences": None, "max_share": None, **budget})
    sentences = split_sentences(text, lang)
    return ExtractiveSummarizer(config).summarize(sentences, lang), sentences


@pytest.mark.parametrize("budget,count", [({"max_sentences": 2}, 2), ({"ratio": 0.5}, 3), ({"max_sentences": 1}, 1)])
def test_sentence_and_ratio_budgets(budget, count):
    summary, _ = summarize(EN, **budget)
    assert len(summary.sentences) == count
    assert summary.sentences == sorted(summary.sentences)  # article order


def test_word_budget_is_respected_and_text_is_whole_sentences():
    summary, sentences = summarize(EN, max_words=30)
    assert len(summary.text.split()) <= 30
    assert summary.text == " ".join(sentences[i].text for i in summary.sentences)
    assert summary.details["budget"]["max_words"] == 30


def test_at_least_one_sentence_even_over_budget():
    summary, _ = summarize(EN, max_words=3)
    assert len(summary.sentences) == 1


def test_chinese_character_budget():
    summary, sentences = summarize(ZH, "zh", max_chars=40)
    assert len(summary.text) <= 40
    assert summary.text == "".join(sentences[i].text for i in summary.sentences)
    assert 0 in summary.sentences  # position weighs most in Chinese briefs


def test_irrelevant_sentence_is_not_chosen():
    summary, sentences = summarize(EN, max_sentences=3)
    assert "weather" not in summary.text


def test_flagged_and_heading_sentences_are_never_chosen():
    text = "Bank results\n" + EN
    sentences = split_sentences(text, "en")
    summary = ExtractiveSummarizer(SummarizeConfig(max_sentences=6)).summarize(sentences, "en", exclude={1, 2})
    assert not {0, 1, 2} & set(summary.sentences)


def test_redundancy_control_skips_a_repeated_sentence():
    repeated = EN + " The cut releases about 1 trillion yuan of long-term liquidity to commercial banks!"
    sentences = split_sentences(repeated, "en")
    strict = SummarizeConfig(max_sentences=3, ranking=Ranking(en=RankingWeights(redundancy=1.0)))
    summary = ExtractiveSummarizer(strict).summarize(sentences, "en")
    texts = [sentences[i].text.rstrip(".!") for i in summary.sentences]
    assert len(set(texts)) == len(texts)


def test_long_documents_use_long_weights_and_prefer_figures():
    regions = ["north", "south", "east", "west", "central", "coastal", "inland"]
    filler = [f"Revenue in the {regions[i % 7]} region grew strongly this quarter, said the team." for i in range(70)]
    filler[40] = "Revenue in the east region grew 12% to $3.4 billion this quarter, said the team."
    filler[10::12] = ["Thank you, operator."] * len(filler[10::12])
    text = " ".join(filler)
    sentences = split_sentences(text, "en")
    summarizer = ExtractiveSummarizer(SummarizeConfig(max_sentences=1))
    assert summarizer.weights(len(sentences), "en") == summarizer.config.ranking.long
    assert summarizer.weights(10, "en") == summarizer.config.ranking.en

    def pick(figures):
        config = SummarizeConfig(max_sentences=1, ranking=Ranking(method="hand-set", long=RankingWeights(figures=figures)))
        return ExtractiveSummarizer(config).summarize(sentences, "en").sentences

    # centrality and figures are each scaled to 0..1: a figures weight of 2 puts the only sentence with
    # figures at least 1.0 above every other one, so no rounding of the CPU can change the winner
    assert pick(2.0) == [40]
    assert pick(0.0) != [40]


def test_equal_scores_go_to_the_earlier_sentence():
    text = " ".join(["The bank raised its loan rates by a small amount this week."] * 3
                    + ["Bond yields in the region fell by a small amount this week."] * 3)
    sentences = split_sentences(text, "en")
    config = SummarizeConfig(max_sentences=1, ranking=Ranking(en=RankingWeights(redundancy=0.0)))
    assert ExtractiveSummarizer(config).summarize(sentences, "en").sentences == [0]


def test_nothing_left_gives_a_warning_not_a_crash():
    sentences = split_sentences("Only one sentence here.", "en")
    summary = ExtractiveSummarizer(SummarizeConfig()).summarize(sentences, "en", exclude={0})
    assert summary.text is None and "no sentence left" in summary.notices[0].message


def test_long_documents_are_summarized_section_by_section():
    regions = ["north", "south", "east", "west", "central", "coastal", "inland", "river", "delta", "plateau"]
    text = " ".join(f"Loans in the {regions[i % 10]} district {i} grew as banks lent more to firms." for i in range(250))
    text += " The central bank cut the reserve requirement ratio by 50 basis points, releasing 1 trillion yuan."
    sentences = split_sentences(text, "en")
    whole = ExtractiveSummarizer(SummarizeConfig(max_sentences=2)).summarize(sentences, "en")
    parts = ExtractiveSummarizer(SummarizeConfig(max_sentences=2, section_sentences=60)).summarize(sentences, "en")
    assert "sections" not in whole.details and parts.details["sections"] == 5
    assert len(parts.sentences) == 2 and parts.sentences == sorted(parts.sentences)
    exact = ExtractiveSummarizer(SummarizeConfig(max_sentences=2, section_sentences=251)).summarize(sentences, "en")
    assert exact.sentences == whole.sentences  # one section: exactly the whole-document selection
    again = ExtractiveSummarizer(SummarizeConfig(max_sentences=2, section_sentences=60)).summarize(sentences, "en")
    assert again.sentences == parts.sentences
    ratio = ExtractiveSummarizer(SummarizeConfig(max_sentences=None, ratio=0.02, section_sentences=60))
    assert len(ratio.summarize(sentences, "en").sentences) == 6  # ceil(0.02 * 251): the ratio of the whole text


def test_the_default_summary_is_at_most_its_share_of_the_article():
    """A short article keeps a third of its characters (Chinese) or 0.4 of its words (English), or its one best
    sentence, and says so in the budget; no share keeps the three sentences."""
    for text, lang, share in ((ZH, "zh", 0.33), (EN, "en", 0.4)):
        sentences = split_sentences(text, lang)
        lp_length = (lambda t: len(t)) if lang == "zh" else (lambda t: len(t.split()))
        summary = ExtractiveSummarizer(SummarizeConfig()).summarize(sentences, lang)
        within = lp_length(summary.text) <= share * sum(lp_length(s.text) for s in sentences)
        assert summary.text and (within or len(summary.sentences) == 1) and len(summary.sentences) < 3
        assert summary.details["budget"]["max_share"] == {"en": 0.4, "zh": 0.33}
        whole = ExtractiveSummarizer(SummarizeConfig(max_share=None)).summarize(sentences, lang)
        assert len(whole.sentences) == 3
    one = split_sentences("央行宣布下调存款准备金率0.5个百分点，释放长期资金约1万亿元。", "zh")
    assert ExtractiveSummarizer(SummarizeConfig(max_share=0.1)).summarize(one, "zh").text  # at least one sentence
