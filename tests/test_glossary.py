import opencc
import pytest

from pipeline.glossary import TermDetector, load_terms
from pipeline.glossary.detect import detector_for
from pipeline.segment import split_sentences

TERMS = load_terms()
DETECTOR = TermDetector(TERMS)


def found(text, lang="en"):
    return [(text[s:e], TERMS[i].en) for s, e, i in DETECTOR.find(text, lang)]


def test_term_base_schema():
    from pipeline.glossary.terms import CATEGORIES

    to_simplified = opencc.OpenCC("t2s")
    assert len(TERMS) >= 900
    ens = [t.en.lower() for t in TERMS]
    assert len(ens) == len(set(ens)), "duplicate English terms"
    owners: dict[str, list] = {}
    for term in TERMS:
        assert term.category in CATEGORIES, f"{term.en}: category {term.category!r} is not in the documented list"
        assert term.definition_en.endswith(".") and term.definition_zh.endswith("。"), term.en
        for form in [term.zh, *term.aliases_zh]:
            assert to_simplified.convert(form) == form, f"{form} is not Simplified Chinese"
        for form in term.forms():
            owners.setdefault(form.lower(), []).append(term)
    for form, terms in owners.items():  # a form of several entries must need context in every one of them
        if len({t.en for t in terms}) > 1:
            assert all(form in {f.lower() for f in t.ambiguous} for t in terms), f"{form} belongs to two terms"
    categories = {t.category for t in TERMS}
    assert categories == set(CATEGORIES), "a documented category without entries"


def test_us_uk_senses_are_explained():
    terms = {t.en: t for t in TERMS}
    for name in ("operating revenue", "restricted shares", "private bank", "debt ceiling"):
        assert "In Chinese" in terms[name].definition_en and "中文" in terms[name].definition_zh, name


@pytest.mark.parametrize("text,expected", [
    ("special innovation-themed reloans", [("reloans", "relending")]),
    ("Rediscounts were cut.", [("Rediscounts", "rediscount")]),
    ("a multi layer capital market", [("multi layer capital market", "multi-tier capital market")]),
    ("The PBOC rolled over 300 billion yuan of MLF loans.", [("PBOC", "People's Bank of China"),
                                                             ("MLF", "medium-term lending facility")]),
    ("an mlf rate", []),  # acronyms are case-sensitive
    ("private equity funds and private equity", [("private equity funds", "private equity fund"),
                                                 ("private equity", "private equity")]),
    ("Secondary funds, or S funds", [("Secondary funds", "S fund"), ("S funds", "S fund")]),
    # singular and plural of every form, including forms listed in the plural
    ("an outstanding loan and two NPLs", [("outstanding loan", "outstanding loans"), ("NPLs", "non-performing loan")]),
    # a number form that another entry lists is that entry's: "US Treasury" is not "US Treasuries"
    ("the US Treasury sold US Treasuries", [("US Treasury", "US Treasury"), ("US Treasuries", "US Treasuries")]),
    # a trading board named the way translations name it is that market, not a company's board of directors
    ("Chip makers listed on the STAR board raised 5 billion yuan from investors.", [("STAR board", "STAR Market")]),
    ("Firms moved from the SME board and the Growth Enterprise Market to the main board listing.",
     [("SME board", "SME Board"), ("Growth Enterprise Market", "ChiNext"), ("main board", "main board")]),
])
def test_english_detection(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text,lang", [
    ("In calculus the derivative of x squared is 2x.", "en"),
    ("Clone the repo and push your branch before the merge.", "en"),
    ("The pupils had PE after lunch, and the GP came to talk about flu jabs.", "en"),
    ("She studies sociology at the LSE.", "en"),
    ("The children drew a unicorn on the wall.", "en"),
    ("The circuit breaker tripped when the heater came on.", "en"),
    ("The team won by a wide margin.", "en"),
    ("家里的保险丝熔断了。", "zh"),
    ("商店正在回购旧手机，按成色报价。", "zh"),
    ("孩子画了一只独角兽。", "zh"),
    ("城市人口流动性明显增强。", "zh"),
    ("电脑主板坏了，需要换新的。", "zh"),
])
def test_everyday_senses_are_not_glossed(text, lang):
    assert found(text, lang) == []


@pytest.mark.parametrize("text,lang,expected", [
    ("Derivatives trading rose as banks hedged their swaps exposure.", "en", [("Derivatives", "derivatives")]),
    ("The unicorn was valued at 2 billion dollars in its latest funding round.", "en",
     [("unicorn", "unicorn"), ("dollars", "US dollar"), ("funding round", "financing round")]),
    ("沪深股市触发熔断，交易暂停15分钟。", "zh", [("熔断", "circuit breaker")]),
    # an acronym is explained by its full form elsewhere in the article
    ("Private equity returns fell. PE deals fell too.", "en",
     [("Private equity", "private equity"), ("PE", "private equity")]),
])
def test_ambiguous_forms_count_with_evidence(text, lang, expected):
    assert found(text, lang) == expected


@pytest.mark.parametrize("text,lang,expected", [
    # everyday senses inside sentences full of finance: the sentence score alone no longer admits them
    ("Investors lost trust in the bank after its quarterly profit fell 20%.", "en", []),
    ("Its shares were fine in early trading, and the stock closed 4% lower.", "en", []),
    ("Rebels refused to surrender, and oil prices and shares fell 5%.", "en", []),
    ("The easing of travel rules lifted airline shares by 6%.", "en", []),
    ("Airline shares rose 6%, and the pullback of troops calmed investors.", "en", []),  # cue in another clause
    ("商务部发布了促消费活动的操作指引，申报期限为30天。", "zh", [("商务部", "Ministry of Commerce"), ("消费", "consumption")]),
    # the entry's own cue word close by shows the financial sense
    ("Regulators imposed a fine of 5 million yuan on the brokerage.", "en",
     [("fine", "administrative penalty"), ("brokerage", "securities company")]),
    ("Investors bought trust products worth 3 billion yuan; the trust defaulted in May.", "en",
     [("trust products", "trust"), ("trust", "trust"), ("defaulted", "default")]),
    ("We raised our full-year outlook.", "en", [("outlook", "guidance")]),
    ("Our outlook for the economy is cautious.", "en", []),
    ("公司上调全年指引，该债券期限为5年。", "zh", [("指引", "guidance"), ("期限", "maturity")]),
])
def test_strict_forms_need_their_own_evidence_close_by(text, lang, expected):
    assert found(text, lang) == expected


@pytest.mark.parametrize("text,lang,expected", [
    # a word of the everyday sense right beside the form (the entry's `against` words) outweighs a sentence full
    # of finance; the same sentences with the financial sense keep the term
    ("The miner's shares rose 6% after it found a large copper deposit in Chile.", "en", []),
    ("Bank shares rose 6% as customer deposits grew 5%.", "en", [("deposits", "deposit")]),
    ("The former chief executive was taken into police custody, and the bank's shares fell 4%.", "en", []),
    ("The bank's custody business grew as assets under custody rose 8%.", "en",
     [("custody", "custody"), ("custody", "custody")]),
    ("The software developer raised $20 million in a funding round led by investors.", "en",
     [("funding round", "financing round")]),
    ("The developer missed a coupon payment on its dollar bonds.", "en",
     [("developer", "property developer"), ("coupon payment", "coupon payment"), ("dollar bonds", "dollar bond")]),
    ("The national team won the World Cup, and shares in the kit maker jumped 8%.", "en", []),
    ("Shares in the budget airline rose 4% after profit beat forecasts.", "en", []),
    ("Investors said talent acquisition costs fell 5% and profit rose.", "en", []),
    ("The military takeover sent the country's bonds lower as investors fled.", "en", []),
    ("The miner said gold reserves at the mine rose 5%, and its shares rose 3%.", "en", []),
    ("We are developing custom ASIC solutions, and revenue rose 12%.", "en", [("revenue", "operating revenue")]),
    ("ASIC fined the bank A$10 million.", "en", [("ASIC", "Australian Securities and Investments Commission")]),
    # a business unit, not the tax; the revenues are a finance sentence's
    ("Aerospace continues to weigh on CIT with revenues down 8%.", "en", [("revenues", "operating revenue")]),
    ("The charge for inventory layer liquidations cut profit.", "en", [("inventory", "inventory")]),
    ("Replica kits sold well during the Euro 2004 tournament, and profit rose.", "en", []),
    ("Cuba's convertible peso was withdrawn, the central bank said.", "en", [("central bank", "central bank")]),
    ("Axa expects an annual investment growth rate of 8%.", "en", []),
    ("The IEA published its World Energy Outlook, and oil prices fell.", "en", []),
    ("We ended the year with a net debt ratio below 20% of equity.", "en", []),
    ("The central bank's gold reserves rose for a sixth month.", "en",
     [("central bank", "central bank"), ("gold reserves", "gold reserves")]),
    ("该游戏开发商完成了新一轮融资，估值超过10亿元。", "zh", [("估值", "valuation")]),
    ("幼儿园推出托管服务，家长每月需缴纳托管费800元。", "zh", []),
    ("中国女排国家队在比赛中获胜，体育用品股走强。", "zh", []),
    ("这位球员因违约被俱乐部起诉，俱乐部母公司股价下跌。", "zh", [("母公司", "holding company"), ("股价", "stock price")]),
    ("专家指出，近年全国三公消费突破9000亿元。", "zh", []),
    ("据美国广播公司（ABC）报道，股市下跌。", "zh", []),                     # a broadcaster, not the bank
    ("上海市委经济工作会议提出，新增就业岗位60万个。", "zh", []),          # not the Central conference
    ("河南提出了10%及以上的投资增长目标。", "zh", []),                       # not economic growth
    ("央行开展逆回购操作，以对冲税期高峰的影响。", "zh",
     [("央行", "central bank"), ("逆回购操作", "reverse repurchase agreement")]),        # offset, not hedging
    ("集团合并营业收入超1万亿元。", "zh", [("营业收入", "operating revenue")]),        # consolidated, not a merger
    ("南水北调集团正在落实人员配置，基金则提高了权益配置仓位。", "zh", [("配置", "asset allocation")]),
    ("该房企债券违约，开发商股价下跌。", "zh",
     [("房企", "property developer"), ("债券违约", "debt default"), ("开发商", "property developer"),
      ("股价", "stock price")]),
])
def test_words_of_the_everyday_sense_beside_a_form_drop_it(text, lang, expected):
    assert found(text, lang) == expected


@pytest.mark.parametrize("text,expected", [
    # "leverage" alone in an earnings call is mostly the operating kind or the verb: financial leverage needs its
    # own cue word close by
    ("We will leverage our network in Asia, and the bank's shares rose 3% on strong profit.", []),
    ("Strong volume leverage and price gains lifted profit 10%.", []),
    ("Operating leverage improved as revenue grew faster than costs.",
     [("Operating leverage", "operating leverage"), ("revenue", "operating revenue")]),
    ("Net leverage fell to 2.5 times.", [("leverage", "leverage")]),
])
def test_leverage_needs_its_own_cue(text, expected):
    assert found(text, "en") == expected


@pytest.mark.parametrize("text,expected", [
    # compounds of 消费 and 净值 with an entry of their own, or none (消费电子 is an industry)
    ("受消费电子需求拉动，公司营业收入增长30%。", [("营业收入", "operating revenue")]),
    ("公司收到重庆蚂蚁消费金融有限公司的通知。", [("消费金融", "consumer finance company")]),
    ("可选消费板块累跌2%，消费股再次成为基金重仓。",
     [("可选消费板块", "consumer discretionary sector"), ("消费股", "consumer stocks")]),
    ("全市能源消费总量下降5%。", [("能源消费总量", "energy consumption")]),
    ("高净值群体加大了海外投资。", [("高净值群体", "high-net-worth individuals")]),
    ("黄楚平当选广东省人大常委会主任。", []),                      # a provincial congress, not the NPC
    ("政府重视民生必需消费品的保供稳价。", []),                    # necessities, not the consumer staples sector
])
def test_chinese_compounds_take_their_own_entry(text, expected):
    assert found(text, "zh") == expected


def test_a_chinese_term_at_a_line_end_spans_only_itself():
    # a headline or a bullet without a full stop: the match used to run past the line end ("降准\n贷款增长")
    text = "央行宣布降准\n贷款增长"
    assert [(s, e) for s, e, _ in DETECTOR.find(text, "zh")] == [(0, 2), (4, 6)]
    assert found("中国银行", "zh") == [("中国银行", "Bank of China")]


def test_occurrences_stay_on_their_line_and_do_not_overlap_on_random_mixtures():
    import random

    pieces = ["央行宣布降准", "中国银行", "\n", "。", "，", "The Fed held interest rates steady.", " ", "Loans rose 5%.",
              "贷款增长", "M10", "M2", "50ETF", "聚美股价", "LPR", "绿色贷款余额", "Mr. Smith", "再贷款额度", "期权",
              "copper deposit", "credit facility", "stock options", "CIT", "合并营业收入", "对冲", "\u200b"]
    for seed in range(200):
        rng = random.Random(seed)
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        for lang in ("zh", "en"):
            last = 0
            for start, end, _ in DETECTOR.find(text, lang):
                assert last <= start < end <= len(text) and "\n" not in text[start:end], (seed, lang, text)
                last = end


def test_chinese_passages_in_english_text_are_searched_as_chinese():
    text = "Loans rose. 央行宣布下调存款准备金率，释放长期资金。 Shares of 中国银行 rose, and the bank 央行 said so."
    assert found(text, "en") == [("央行", "central bank"), ("下调存款准备金率", "RRR cut"),
                                 ("中国银行", "Bank of China")]  # a run of two Han characters is residue, not a passage


def test_english_sentences_in_chinese_text_are_searched_as_english():
    text = "央行宣布降准。The Fed held interest rates steady, and bond yields fell. 市场反应平淡，LPR保持不变。"
    assert found(text, "zh") == [("央行", "central bank"), ("降准", "RRR cut"), ("The Fed", "Federal Reserve"),
                                 ("interest rates", "interest rate"), ("bond yields", "bond yield"),
                                 ("LPR", "loan prime rate")]
    # a Latin name or two inside a Chinese sentence is not an English sentence
    assert found("据Mr. Smith介绍，该基金规模为1.2亿元。", "zh") == []


@pytest.mark.parametrize("text,lang,expected", [
    # set phrases of the everyday sense (cues.yaml `everyday`), whatever the sentence is about
    ("With billions of yuan at stake, investors sold shares of the bank.", "en", []),
    ("Net profit rose 8%, beating forecasts by a wide margin.", "en", [("Net profit", "net profit")]),
    ("Analysts gave credit to the chief executive of the bank as loans rose 5%.", "en", []),
    ("城市人口流动性增强，银行资金充裕。", "zh", []),
    ("公司动漫衍生品收入增长20%，股价上涨3%。", "zh", [("股价", "stock price")]),
    ("工厂保险丝熔断导致停产，公司股价下跌5%。", "zh", [("股价", "stock price")]),
    ("该资产在产权交易所挂牌转让，交易金额5亿元。", "zh", []),                   # not a stock exchange
    ("公司取得100%份额的净利润，比上年同期增长6%。", "zh", [("净利润", "net profit")]),  # a share, not 基金份额
    ("银行间债券市场互联互通业务启动。", "zh", [("债券市场", "bond market")]),      # not Stock Connect
    ("The derivative of the price fell, and bond yields rose 5%.", "en", [("bond yields", "bond yield")]),
    ("Our capital allocation priorities are unchanged, and shares rose 5%.", "en", []),
    ("Revenue growth rate was 12% and earnings per share rose.", "en",
     [("Revenue", "operating revenue"), ("earnings per share", "earnings per share")]),
    ("ABN Amro shares rose 3% as banks gained.", "en", []),
    ("基金上涨了约50%，但投资者的亏损仍是事实。", "zh", []),          # an investor's loss, not a company's net loss
    ("公司预计全年亏损5亿元。", "zh", [("亏损", "net loss")]),
    ("今年将在临港新片区实行更大程度的压力测试。", "zh", [("临港新片区", "Lingang Special Area")]),  # a policy trial
    ("子公司于3月起纳入合并，公司营收增长。", "zh", [("子公司", "subsidiary"), ("营收", "operating revenue")]),
    ("合并报表显示利润增长。", "zh", [("合并报表", "consolidated financial statements")]),  # not 企业合并
    ("CBOT玉米期货和LPG价格下跌，PETG与EVA膜需求旺盛。", "zh", [("期货", "futures")]),  # no BOT, LP, PE, EV in them
    ("M10硅片价格上涨，M2增速回落，上证50ETF净流入。", "zh", [("M2", "broad money"), ("ETF", "exchange-traded fund")]),
    ("当天聚美股价应声企稳。", "zh", [("股价", "stock price")]),  # 聚/美/股价: 美股 would end inside a word
    ("PE机构加大投资，LP出资踊跃。", "zh", [("PE", "private equity"), ("LP", "limited partner")]),
    # a form of two entries: the sense with its own cue word
    ("Adjusted EBITDA margin rose 200 basis points.", "en",
     [("EBITDA", "EBITDA"), ("margin", "profit margin"), ("basis points", "basis point")]),
    ("Brokers raised the margin on copper futures contracts.", "en",
     [("margin", "margin"), ("futures contracts", "futures")]),
    ("The buyer paid a premium of 30% over the share price.", "en",
     [("premium", "price premium"), ("share price", "stock price")]),
    ("Written premiums at the insurer rose 9%.", "en", [("premiums", "insurance premium"), ("insurer", "insurer")]),
])
def test_set_phrases_and_senses(text, lang, expected):
    assert found(text, lang) == expected


@pytest.mark.parametrize("text,expected", [
    ("Non-mortgage revenue rose and non-interest income fell.", [("revenue", "operating revenue")]),  # not "mortgage"
    ("Pre-tax income rose 5%.", []),                                     # not "tax income"
    ("TNK-BP shares rose. Ex-PPP loans grew.", []),                       # part of a name or another acronym
    ("Yukos sold its stake to BP. We sold Class A shares.", [("stake", "stake")]),  # the company BP; a share class
    ("Mortgage loans rose. A-shares and H-shares fell.", [("Mortgage loans", "mortgage loan"),
                                                          ("A-shares", "A-share"), ("H-shares", "H-share")]),
])
def test_a_form_inside_a_hyphenated_word_is_not_the_term(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("The yield spread widened.", "yield spread"),                      # not term spread
    ("The notes were sold at par value.", "face value"),                # not principal
    ("The court issued a liquidation order.", "winding-up order"),      # not the creditor's petition
    ("Risk appetite faded.", "risk appetite"),                          # not market sentiment
    ("Cash and cash equivalents rose.", "cash and cash equivalents"),  # not 货币资金
    ("Operating income rose.", "operating profit"),                     # not 营业收入 (revenue)
    ("Income taxes rose.", "income tax"),                               # not 个人所得税 (personal)
    ("Interest income rose.", "interest income"),                       # not net interest income
    ("Interest expense rose.", "interest expense"),                     # not 财务费用 as a whole
    ("Treasuries rallied after the Treasury spoke.", "US Treasuries"),  # "the Treasury" is no bond
    ("Excluding PPP loans, loans grew.", "Paycheck Protection Program"),  # not a public-private partnership
    ("The government signed PPP projects.", "public-private partnership"),
    ("US retail sales rose 0.6%.", "retail sales"),                     # not 社会消费品零售总额
    ("We raised our earnings guidance.", "guidance"),                   # not 业绩预告
    ("R&D tax credits rose.", "tax credit"),                            # not 信贷
    ("Borrowing costs rose again.", "financing costs"),                 # not 有息负债
    ("Our borrowings fell after heavy borrowing last year.", "interest-bearing debt"),  # the act is no debt
    ("Tax benefits on stock option exercises fell.", "stock option"),  # 股票期权, not an options contract
    ("Credit losses rose.", "credit losses"),                           # not 信贷 (lending)
    ("The valuation allowance was released.", "valuation allowance"),   # not 估值
    ("Leveraged loan issuance rose.", "leveraged loan"),                # not 杠杆 alone
    ("Credit quality remained strong.", "credit quality"),              # not 信贷 (lending)
    ("We amended our credit agreement.", "credit agreement"),
    ("We repaid the revolver.", "revolving credit facility"),
])
def test_forms_belong_to_their_own_entry(text, expected):
    assert [term for _, term in found(text)] == [expected]


@pytest.mark.parametrize("text,lang,expected", [
    ("韩国央行宣布加息。", "zh", [("韩国央行", "Bank of Korea"), ("加息", "rate hike")]),
    ("秘鲁央行宣布加息。", "zh", [("加息", "rate hike")]),  # no entry for it: nothing, never the PBOC
    ("中国央行宣布降准。", "zh", [("中国央行", "People's Bank of China"), ("降准", "RRR cut")]),
    ("央行宣布降准。", "zh", [("央行", "central bank"), ("降准", "RRR cut")]),
    ("Korea's central bank raised rates.", "en", [("Korea's central bank", "Bank of Korea")]),
    ("Profit was 1.3bn Australian dollars; the dollar fell against the United States dollar.", "en",
     [("dollar", "US dollar"), ("United States dollar", "US dollar")]),  # another country's dollar is not 美元
    ("Peru's central bank raised rates.", "en", []),
    ("The central bank of Peru raised rates.", "en", []),
    ("Japan's Ministry of Finance intervened; the Ministry of Finance of Chile did not.", "en",
     [("Japan's Ministry of Finance", "Japan's Ministry of Finance")]),
])
def test_qualified_institution_words(text, lang, expected):
    assert found(text, lang) == expected


@pytest.mark.parametrize("text,expected", [
    ("公司实施股份回购。", [("股份回购", "share buyback")]),
    ("利率债和国债期货上涨。", [("利率债", "rate bonds"), ("国债期货", "treasury bond futures")]),
    ("投资者被强制平仓。", [("强制平仓", "forced liquidation")]),
    ("母基金份额转让给S基金。", [("母基金", "fund of funds"), ("份额转让", "secondary market transaction"),
                               ("S基金", "S fund")]),
    ("三月M2同比增长7%。", [("M2", "broad money"), ("同比增长", "year-on-year")]),  # English acronyms in Chinese text
])
def test_compounds_win_over_their_parts(text, expected):
    assert found(text, "zh") == expected


def test_a_form_of_two_entries_takes_the_one_with_evidence():
    assert found("公司回购了2亿元股票并注销。", "zh") == [("回购", "share buyback")]
    assert found("银行间质押式回购利率下行，回购成交放量。", "zh")[-1] == ("回购", "repurchase agreement")
    assert found("他们回购了一些东西。", "zh") == []


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
    possessive = "The bank's cross-border green-tech loans grew, as did the lender’s cross-border green-tech loans."
    assert [c.term for c in discover(possessive, "en", split_sentences(possessive, "en"), DETECTOR)] == [
        "cross-border green-tech loans"]  # never "s cross-border green-tech loans"
    zh = "人民银行设立技术改造再贷款，支持数字化转型贷款。绿色贷款增长。"
    assert [c.term for c in discover(zh, "zh", split_sentences(zh, "zh"), DETECTOR)] == ["技术改造再贷款", "数字化转型贷款"]
    # an action on a head word (发放贷款, 发债) is no kind of loan or bond; a modifier jieba tags as a verb is kept
    zh = "银行为科技型中小企业发放贷款，企业发债规模扩大，知识产权质押贷款增长。"
    assert [c.term for c in discover(zh, "zh", split_sentences(zh, "zh"), DETECTOR)] == ["知识产权质押贷款"]


def test_chinese_discovery_tags_only_the_runs_that_hold_a_head_word(monkeypatch):
    from pipeline.glossary.discover import _ZH_BLOCK, discover

    text = "今年经济平稳增长，市场预期稳定。\n银行推出技术改造再贷款 ABC数字化转型贷款！消费回暖。"
    # jieba's tagger cuts each run on its own, so tagging a run gives the words that tagging the text gives there
    whole = DETECTOR.tagged_words(text)
    for run in _ZH_BLOCK.finditer(text):
        inside = [(w, f, s - run.start(), e - run.start()) for w, f, s, e in whole
                  if run.start() <= s and e <= run.end()]
        assert DETECTOR.tagged_words(run.group()) == inside
    tagged = []
    real = DETECTOR.tagged_words
    monkeypatch.setattr(DETECTOR, "tagged_words", lambda run: tagged.append(run) or real(run))
    candidates = discover(text, "zh", split_sentences(text, "zh"), DETECTOR)
    assert tagged == ["银行推出技术改造再贷款", "ABC数字化转型贷款"]
    assert [(c.term, c.contexts) for c in candidates] == [
        ("技术改造再贷款", ["银行推出技术改造再贷款 ABC数字化转型贷款！"]),
        ("数字化转型贷款", ["银行推出技术改造再贷款 ABC数字化转型贷款！"])]


def test_user_terms_can_mark_ambiguous_forms(tmp_path):
    from pipeline.errors import ConfigError

    user = tmp_path / "terms.yaml"
    user.write_text("- {en: tech credit, zh: 科技信贷, aliases_en: [tech loans], ambiguous: [tech loans],"
                    " cues_en: [banks], category: custom, definition_en: x, definition_zh: y}\n", encoding="utf-8")
    detector = TermDetector(load_terms(user))
    assert [(s, e) for s, e, _ in detector.find("He fixed the tech loans page.", "en")] == []
    assert [(s, e) for s, e, _ in detector.find("Banks raised tech loans.", "en")] == [(13, 23)]
    # a sentence full of finance but no cue word: enough while the form is ambiguous, not when it is strict
    entry = ("- {en: orbit note, zh: 轨道票据, ambiguous: [orbit note], cues_en: [coupon], category: custom,"
             " definition_en: x, definition_zh: y}\n")
    text = "Investors sold the orbit note as shares and profits fell 5%."
    user.write_text(entry, encoding="utf-8")
    assert [(s, e) for s, e, _ in TermDetector(load_terms(user)).find(text, "en")] == [(19, 29)]
    user.write_text(entry.replace("cues_en", "strict: [orbit note], cues_en"), encoding="utf-8")
    assert [(s, e) for s, e, _ in TermDetector(load_terms(user)).find(text, "en")] == []
    assert len(TermDetector(load_terms(user)).find(text.replace("shares", "its coupon"), "en")) == 1
    user.write_text("- {en: x, zh: y, ambiguous: [z], category: c, definition_en: d, definition_zh: e}\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="entry 1: .*'z' is marked ambiguous, strict or generic but is not one of"):
        load_terms(user)
    user.write_text("- {en: x, zh: y, against_en: [z], category: c, definition_en: d, definition_zh: e}\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="entry 1: .*against_en / against_zh need an ambiguous or strict form"):
        load_terms(user)


def test_against_words_drop_only_their_own_sense(tmp_path):
    # two entries share the form "orbit note"; a word beside it that is against one of them leaves the other,
    # which then counts with its own cue word
    user = tmp_path / "terms.yaml"
    user.write_text(
        "- {en: orbit note, zh: 轨道票据, ambiguous: [orbit note], cues_en: [coupon], against_en: [satellite],"
        " category: custom, definition_en: x, definition_zh: y}\n"
        "- {en: orbit memo, zh: 轨道备忘, aliases_en: [orbit note], ambiguous: [orbit note], cues_en: [satellite],"
        " category: custom, definition_en: x, definition_zh: y}\n", encoding="utf-8")
    detector = TermDetector(load_terms(user))
    names = [t.en for t in detector.terms]

    def senses(text):
        return [names[idx] for _, _, idx in detector.find(text, "en")]
    assert senses("The satellite orbit note pays a coupon.") == ["orbit memo"]
    assert senses("The orbit note pays a coupon.") == ["orbit note"]
    assert senses("The orbit note was filed.") == []  # both senses, no evidence: not guessed


def test_chinese_words_are_jieba_words_with_the_term_forms_added():
    # The glossary cuts with jieba-rs; its words (and so which matches start inside a word) must be jieba's, with
    # every term form added to the dictionary at jieba's suggested frequency.
    from pipeline.lang.zh import jieba

    detector = TermDetector(load_terms())
    tokenizer = jieba.Tokenizer()
    for form in detector._zh:
        tokenizer.add_word(form)
    text = ("人民银行宣布支农支小再贷款额度增加2000亿元，科创板S基金份额转让试点扩大；获配股份的远期权益、"
            "绿色贷款余额和LPR均有变化。ＡＢＣ公司１２月发行绿色债券😀")
    assert [tuple(w) for w in detector.words(text)] == list(tokenizer.tokenize(text, HMM=False))


def test_a_one_letter_user_form_is_matched_by_the_one_big_alternation():
    # Forms are tried by their first two letters; a one-letter form has no such key, and then one alternation of
    # every form serves instead. Both ways find the same terms.
    from pipeline.glossary.terms import Term

    short = Term(en="K", zh="钾", category="custom", definition_en="x", definition_zh="y")
    detector = TermDetector([*TERMS, short])
    text = "Green loans and relending rose; K prices and the STAR Market too."
    assert detector._en_by_key is None and DETECTOR._en_by_key is not None
    def found(d):
        return [d.terms[idx].en for _, _, idx in d.find(text, "en", context=False)]

    assert found(detector) == ["green loan", "relending", "K", "STAR Market"]
    assert found(DETECTOR) == ["green loan", "relending", "STAR Market"]


def test_a_user_form_that_a_shipped_entry_lists_is_the_users_and_the_shipped_entry_keeps_the_rest(tmp_path):
    from pipeline.glossary.detect import TermDetector
    from pipeline.glossary.terms import load_terms
    from pipeline.segment import split_sentences

    user = tmp_path / "terms.yaml"
    user.write_text("- {en: ultra-long special treasury bond, zh: 超长期特别国债, category: custom, "
                    "definition_en: x, definition_zh: y}\n", encoding="utf-8")
    detector = TermDetector(load_terms(user))
    for text, expected in (("财政部将发行超长期特别国债1万亿元，用于重大项目建设。", ["超长期特别国债"]),
                           ("财政部将发行超长期特别国债，特别国债将用于重大项目。", ["超长期特别国债", "特别国债"])):
        found = detector.glossary(text, "zh", split_sentences(text, "zh"))
        assert [e.term_zh for e in found if e.category in ("custom", "bonds")] == expected


@pytest.mark.parametrize("text, found", [
    ("My mom said the Trading Moms group was fun.", []),  # an acronym in its own case only: MoM, not mom
    ("Prices rose 0.5% MoM and 2% YoY in March.", ["month-on-month", "year-on-year"]),
    ("50 Cent's G-Unit group released an album.", []),  # a name after a short capitalised token and a hyphen
    ("The bank sold its asset management unit for 2 billion dollars.", ["asset management", "subsidiary", "US dollar"]),
])
def test_acronyms_in_their_own_case_and_name_parts(text, found):
    from pipeline.glossary.detect import detector_for

    detector = detector_for(None)
    assert [detector.terms[i].en for _, _, i in detector.find(text, "en")] == found


def test_the_domain_model_tells_finance_from_general_text():
    from pipeline.glossary import domain

    en, zh = domain.model("en"), domain.model("zh")
    assert en.probability("Bond yields rose as the central bank signalled further rate cuts.") > 0.7
    assert en.probability("The striker scored twice before half-time and the fans sang.") < 0.2
    assert zh.probability("央行下调存款准备金率，释放长期资金。") > 0.7
    assert zh.probability("他在电影里扮演一位老师，观众非常喜欢。") < zh.probability("银行贷款利率下降。")
    assert en.probability("") == 0.5  # no word: no opinion


@pytest.mark.parametrize("text, lang, term", [
    ("Inflation picked up last month.", "en", "inflation"),
    ("Oil futures slipped.", "en", "futures"),
    ("A股今日收涨。", "zh", "A-share"),
    ("公司宣布配股计划。", "zh", "rights issue"),
])
def test_an_ambiguous_form_in_a_plain_finance_sentence_is_found(text, lang, term):
    detector = detector_for(None)
    assert [detector.terms[i].en for _, _, i in detector.find(text, lang)] == [term]
    # without the domain model it needs cue words (what the translation check asks a rendering of)
    assert detector.find(text, lang, domain=False) == []


def test_the_domain_does_not_vouch_for_an_ambiguous_form_in_its_everyday_sense():
    detector = detector_for(None)
    text = "On the way to the concert the tyre inflation warning came on, so we stopped at a garage."
    assert detector.find(text, "en") == []
    sports = "The winger joined on a short spell and his option to stay was taken up by the club after the match."
    assert [detector.terms[i].en for _, _, i in detector.find(sports, "en")] == []


def test_an_acronym_the_text_defines_as_another_name_is_not_the_entry():
    detector = detector_for(None)

    def found(text):
        return [(text[s:e], detector.terms[i].en) for s, e, i in detector.find(text, "en")]

    charts = "The Official UK Charts Company (OCC) said the OCC would change its rules."
    assert not [f for f in found(charts) if f[0] == "OCC"]
    assert ("OCC", "Office of the Comptroller of the Currency") in found(
        "The Office of the Comptroller of the Currency (OCC) fined the bank; the OCC said more fines may follow.")
    assert ("PBOC", "People's Bank of China") in found("The People's Bank of China (PBOC) cut rates again.")


@pytest.mark.parametrize("text, found", [
    ("Clint Eastwood's Million Dollar Baby led the Oscar hopefuls.", []),
    ("The film was rated by the British Board of Film Classification.", []),
    ("Dividend payouts rose 5% as profit grew.", [("Dividend", "dividend")]),  # a capital that starts a sentence
])
def test_a_lower_case_form_capitalised_inside_a_name_is_a_word_of_that_name(text, found):
    detector = detector_for(None)
    assert [(text[s:e], detector.terms[i].en) for s, e, i in detector.find(text, "en")] == found
