import pytest

from pipeline.clean import clean_text, restore_original
from pipeline.config import CleanConfig


def test_example_residue_removed_and_truncation_flagged(example_en):
    result = clean_text(example_en, "en")
    removed = {e.original.strip() for e in result.edits if e.replacement == ""}
    assert {"Ta.", "It is."} <= removed
    assert "Ta." not in result.cleaned_text and "It is." not in result.cleaned_text
    assert [f.text for f in result.flags] == ["He said the bank would pay more attention."]
    assert restore_original(result.cleaned_text, result.edits) == example_en


@pytest.mark.parametrize("text", [
    'Asked whether the deal was done, he replied: "No."\n',
    '"Is it true?" she asked. "It is."\n',
    "Is the bank profitable? It is.\n",
    "Yes, he said.\n",
    "Outlook\n\nThe bank expects growth.\n",
    "- Revenue: $3.2bn\n- Margin: 41%\n",
    '"We will cut rates," he said.\n',
    "Analysts agreed. Yes.\n",
    "Jack Ma spoke. Shares rose.\n",
])
def test_legitimate_short_sentences_are_kept(text):
    result = clean_text(text, "en")
    assert result.cleaned_text == text
    assert result.edits == []


@pytest.mark.parametrize("text,expected,rule", [
    ("Profit rose to $1.13bn.For the year it fell.\n", "Profit rose to $1.13bn. For the year it fell.\n",
     "missing_space"),
    ("Sales rose,, analysts said.\n", "Sales rose, analysts said.\n", "punctuation.doubled"),
    ("Sales rose <b>sharply</b> in May.\n", "Sales rose sharply in May.\n", "markup.tag"),
    ("Sales rose in May &amp; June.\n", "Sales rose in May & June.\n", "markup.entity"),
    ("The bank です said profit rose.\n", "The bank said profit rose.\n", "stray_script.kana"),
    ("The bank said   profit rose.\n", "The bank said profit rose.\n", "whitespace.run"),
    ("The bank said profit rose.\u200b\n", "The bank said profit rose.\n", "whitespace.zero_width"),
    ("The bank cut rates. Ta de. Loans rose.\n", "The bank cut rates. Loans rose.\n", "fragment.romanized"),
    ("The bank cut rates. According to. Loans rose.\n", "The bank cut rates. Loans rose.\n",
     "fragment.function_words"),
    ("Rates fell 5%.\u202e Loans\u200f rose.\n", "Rates fell 5%. Loans rose.\n", "whitespace.zero_width"),  # bidi
    ("Sales at the cafÃ© chain rose.\n", "Sales at the café chain rose.\n", "encoding"),
    ("Net profit rose 12 percent to 3.4 billion yuan. Net profit rose 12 percent to 3.4 billion yuan.\n",
     "Net profit rose 12 percent to 3.4 billion yuan.\n", "duplicate.sentence"),
    ("上海 金融 业增长。\n", "上海金融业增长。\n", "whitespace.cjk_gap"),
    ("贷款增长，，同比上升。。\n", "贷款增长，同比上升。\n", "punctuation.doubled"),
    ("央行宣布降准。这是。贷款增长。\n", "央行宣布降准。贷款增长。\n", "fragment.zh_function_words"),
    ("央行宣布降准。据悉。贷款增长。\n", "央行宣布降准。贷款增长。\n", "fragment.zh_function_words"),
    ("It raised 6 trillion yuan yuan for the the banks.\n", "It raised 6 trillion yuan for the banks.\n",
     "duplicate.word"),
    ("The the bank cut rates.\n", "The bank cut rates.\n", "duplicate.word"),
    ("Sixty were listed, of which of which ten in Shanghai.\n", "Sixty were listed, of which ten in Shanghai.\n",
     "duplicate.word"),
    ("It will deepen the reform，and list more firms；rates fell。 Loans rose.\n",
     "It will deepen the reform, and list more firms; rates fell. Loans rose.\n", "punctuation.fullwidth"),
    ("The bank cut rates. Among them,. Loans rose.\n", "The bank cut rates. Loans rose.\n", "fragment.connector"),
    ("The bank cut rates. At the same time,. Loans rose.\n", "The bank cut rates. Loans rose.\n",
     "fragment.connector"),
    ("The bank cut rates. Er. Loans rose.\n", "The bank cut rates. Loans rose.\n", "fragment.romanized"),
    ("央行宣布降准。其中，。贷款增长。\n", "央行宣布降准。贷款增长。\n", "fragment.connector"),
    ("央行宣布降准。\u200b据悉。贷款增长。\n", "央行宣布降准。贷款增长。\n", "fragment.zh_function_words"),  # invisible
    ("贷款增长，。\n", "贷款增长。\n", "punctuation.doubled"),  # a comma before the full stop goes, no no-op edit
    ("公司计划将将铝合金工艺用于新车，贷款增长。\n", "公司计划将铝合金工艺用于新车，贷款增长。\n", "duplicate.word"),
])
def test_repairs(text, expected, rule):
    lang = "zh" if "上" in text or "贷" in text else "en"
    result = clean_text(text, lang)
    assert result.cleaned_text == expected
    assert rule in {e.rule for e in result.edits}
    assert restore_original(result.cleaned_text, result.edits) == text


def test_chinese_in_brackets_is_kept():
    text = "The PBOC expanded relending (再贷款) quotas.\n"
    assert clean_text(text, "en").cleaned_text == text


def test_numbers_and_names_unchanged_round_trip():
    text = "Tao  said 1,771 firms. Ta.\n\n\nIt is. Shares rose 15.6% to $1.2bn.Analysts agreed.\n\n"
    result = clean_text(text, "en")
    for token in ("Tao", "1,771", "15.6%", "$1.2bn."):
        assert token in result.cleaned_text
    assert restore_original(result.cleaned_text, result.edits) == text


def test_flag_mode_keeps_fragments():
    text = "The bank raised rates. Ta. Markets fell.\n"
    result = clean_text(text, "en", CleanConfig(fragment_action="flag"))
    assert result.cleaned_text == text
    assert [f.text for f in result.flags] == ["Ta."]


def test_rules_can_be_switched_off():
    text = "The bank raised rates. Ta.\n"
    config = CleanConfig.model_validate({"rules": {"fragment": False}})
    assert clean_text(text, "en", config).cleaned_text == text


def test_removals_leave_no_double_space():
    text = "です \u200b &amp; The bank <br> said profit rose.\n"
    result = clean_text(text, "en")
    assert result.cleaned_text == "& The bank said profit rose.\n"
    assert restore_original(result.cleaned_text, result.edits) == text


def test_flag_after_inserted_space():
    result = clean_text("Profit hit $1.2bn.He said it would pay attention.\n", "en")
    assert [f.text for f in result.flags] == ["He said it would pay attention."]


def test_flag_offsets_index_the_cleaned_text():
    text = "Ta. The regulator said it would support sectors such as.\n"
    result = clean_text(text, "en")
    flag = result.flags[0]
    assert result.cleaned_text[flag.start:flag.end] == flag.text == "The regulator said it would support sectors such as."


@pytest.mark.parametrize("text", ["He was hoping for.", "There was little to speak of, he said.", "I could go on.",
                                  "Profit rose exactly as we said we would.", "That's what he said.",
                                  "These are the risks which we pay attention to.",
                                  "It is a metric that I want to pay attention to."])
def test_stranded_prepositions_are_not_truncation(text):
    assert clean_text(text, "en").flags == []


@pytest.mark.parametrize("text", [
    "He said that that was the plan.\n",       # "that that" and "had had" can be right
    "The firm had had a bad year.\n",
    "It has been investing in in the last years.\n",
    "The short-term term loan was repaid.\n",  # not the same word twice
    "Walla Walla Bank and Bora Bora Resorts grew.\n",
    "More and more capital came in, and cash and cash equivalents rose.\n",  # "and" phrases repeat in English
    "You are going to have to have better systems.\n",
    "他说：“利润增长了。”\n",
    "他说，优质投资标的的机遇不会不了了之，带来实实在在的好处。\n",  # 标的+的, idioms: jieba keeps them whole
])
def test_words_that_may_be_doubled_are_kept(text):
    result = clean_text(text, "zh" if "他" in text else "en")
    assert result.cleaned_text == text and result.edits == []


@pytest.mark.parametrize("text,lang,flagged", [
    ("Rates fell. It is worth noting that. Loans rose.\n", "en", "It is worth noting that."),
    ("Rates fell. Revenue rose 5% in the quarter,. Loans rose.\n", "en", "Revenue rose 5% in the quarter,."),
    ("Rates fell. Loans grew strongly,. Deposits rose.\n", "en", "Loans grew strongly,."),  # not only connectors
    ("利率下降。公司表示，今年将继续扩大投资规模，。贷款增长。\n", "zh", "公司表示，今年将继续扩大投资规模。"),
    ("Rates fell.\u202e  Loans grew strongly,. Deposits rose.\n", "en", "Loans grew strongly,."),  # no edge spaces
    ("Zhang said that the regulator attaches great importance to. Loans rose.\n", "en",
     "Zhang said that the regulator attaches great importance to."),  # the preposition's object was lost
])
def test_a_sentence_that_lost_its_end_is_flagged_not_removed(text, lang, flagged):
    result = clean_text(text, lang)
    assert [f.text for f in result.flags] == [flagged]
    assert restore_original(result.cleaned_text, result.edits) == text


@pytest.mark.parametrize("text,lang", [("“油价会上涨。”他称。贷款增长。\n", "zh"),
                                       ('"Rates will fall." He said. Loans rose.\n', "en")])
def test_a_reporting_verb_after_a_quote_attributes_it_and_stays(text, lang):
    assert clean_text(text, lang).cleaned_text == text


def test_reported_speech_that_lost_its_verb_is_flagged():
    result = clean_text("Rates were cut. The governor said he would. Loans rose.\n", "en")
    assert [(f.text, f.rule) for f in result.flags] == [("The governor said he would.", "truncation.dangling_word")]


@pytest.mark.parametrize("text,lang,alone", [("Rates were cut. He said. Loans rose.\n", "en", "He said."),
                                             ("Rates were cut. The central bank said. Loans rose.\n", "en",
                                              "The central bank said."),
                                             ("央行宣布降准。他表示。贷款增长。\n", "zh", "他表示。")])
def test_a_reporting_verb_with_nothing_reported_is_flagged_not_removed(text, lang, alone):
    result = clean_text(text, lang)  # it may be the split-off attribution of the sentence before
    assert result.cleaned_text == text and result.edits == []
    assert [(f.text, f.rule) for f in result.flags] == [(alone, "truncation.nothing_reported")]


@pytest.mark.parametrize("text,expected", [
    ("Rates fell sharply 他 &lt;script&gt;x&lt;/script&gt; 他 as loans rose.", "Rates fell sharply as loans rose."),
    ("Rates fell. \u202e です Loans rose.", "Rates fell. Loans rose."),
    ("“Rates fell.” <br> \nLoans rose.", "“Rates fell.”\nLoans rose."),  # and none at a line end
])
def test_neighbouring_removals_leave_one_space(text, expected):
    result = clean_text(text, "en")
    assert result.cleaned_text == expected and restore_original(result.cleaned_text, result.edits) == text


def test_residue_at_a_line_start_takes_the_spaces_after_it():
    result = clean_text("Rates fell.\nです    Loans rose sharply in May.\n", "en")
    assert result.cleaned_text == "Rates fell.\nLoans rose sharply in May.\n"


def test_lowercase_residue_after_a_sentence():
    result = clean_text("Profit rose. ta. Sales fell. it is.\n", "en")
    assert result.cleaned_text == "Profit rose. Sales fell.\n"


def test_round_trip_on_random_mixtures_of_residue():
    import random

    pieces = ["The bank raised rates.", "Ta.", "it is.", "Profit hit $1.2bn.For 2024 it fell.", "Sales rose,, again.",
              "<br>", "&amp;", "です", "\u200b", "  ", "\n\n\n", "Net profit rose 12 percent in May.",
              "Net profit rose 12 percent in May.", '"No."', "He said he would pay more attention.", "cafÃ©",
              "Ta de.", "According to.", "He said.", "The bank said it would.", "\u202e"]
    zh_pieces = ["央行宣布降准。", "他。", "据悉。", "他表示。", "“油价会上涨。”", "贷款 增长。", "，，", "<br>", "\u200b",
                 "贷款增长5%。", "貸款增長。"]
    rng = random.Random(7)
    for _ in range(300):
        lang, chosen = ("zh", zh_pieces) if rng.random() < 0.4 else ("en", pieces)
        text = " ".join(rng.choice(chosen) for _ in range(rng.randint(1, 12)))
        if lang == "zh" and not any("\u4e00" <= ch <= "\u9fff" for ch in text):
            continue
        result = clean_text(text, lang)
        assert restore_original(result.cleaned_text, result.edits) == text
        for flag in result.flags:
            assert result.cleaned_text[flag.start:flag.end] == flag.text == flag.text.strip()


def test_a_long_line_with_mojibake_is_cleaned_piece_by_piece():
    from pipeline.clean import clean_text, restore_original

    text = "".join(f"The bankâ€™s profit rose {i}% while deposits grew steadily across region {i}. "
                   for i in range(400))  # one line of about 30,000 characters, mojibake in every sentence
    result = clean_text(text, "en")
    assert "â€" not in result.cleaned_text and result.cleaned_text.count("bank’s") == 400
    assert restore_original(result.cleaned_text, result.edits) == text


@pytest.mark.parametrize("text", [
    "财政部发行超长期特别国债规模1万亿元 新华社北京5月13日电 财政部13日宣布，今年将发行国债。\n",
    "本报讯 记者从央行获悉，再贷款额度将增加。\n",
    "央行宣布新增再贷款额度两千亿元支持科技企业 央行13日表示，额度将于下月起使用。\n",
])
def test_gaps_between_headline_dateline_and_body_are_kept(text):
    result = clean_text(text, "zh", CleanConfig())
    assert not [e for e in result.edits if e.rule == "whitespace.cjk_gap"]
    assert result.cleaned_text == text
