"""Unknown-term discovery: finance-looking noun phrases that the term base does not have, listed with counts
and context as unverified candidates. They are never translated: a human decides whether to add them."""
from __future__ import annotations

import bisect
from collections import defaultdict

import regex

from ..lang import profile
from ..schema import GlossaryEntry, Lang, Sentence, TermCandidate
from .detect import TermDetector

# Last words of English finance noun phrases ("... credit", "... reloans").
EN_HEADS = frozenset(
    """loan loans reloan reloans lending relending credit credits fund funds bond bonds note notes facility
    facilities tool tools instrument instruments product products financing finance insurance investment
    investments capital debt debts deposit deposits securities assets quota quotas rate rates market markets
    scheme schemes bill bills mortgage mortgages subsidy subsidies guarantee guarantees""".split()
)
# Words that make a phrase generic rather than a term (a list of its own: the profile's stop words are for
# sentence similarity, and adding them here would cut real candidates such as "high-quality loan").
EN_STOP = frozenset(
    """a an the of to in on at by for with from and or but as its their his her our your this that these those
    such other more most less new total all any each some many much several same its own is are was were be
    been has have had will would can could should may might also which who whose what when where while than
    very about over under into per year years month months last next first second third this same
    said says say including include includes such further higher lower large small big long short
    list lists issue issues launch launches offer offers provide provides support supports use uses cut cuts
    raise raises expand expands set sets make makes buy buys sell sells plan plans help helps get gets
    meanwhile however moreover furthermore therefore thus besides separately overall instead nevertheless
    nonetheless yet still now then today yesterday tomorrow""".split()
)
_EN_PHRASE = regex.compile(
    r"(?<![\p{L}\p{N}'’-])(?P<mods>(?:[A-Za-z][a-z]*(?:-[a-z]+)*[ \t]+){1,3})"
    r"(?P<head>" + "|".join(sorted(EN_HEADS, key=len, reverse=True)) + r")(?![\p{L}\p{N}-])"
)
ZH_HEADS = ("贷款", "信贷", "基金", "债券", "债", "工具", "利率", "融资", "保险", "票据", "便利")
# jieba part-of-speech tags that cannot modify a head noun: verbs, conjunctions, prepositions, particles,
# pronouns, numerals, measure words, punctuation, localisers, time words.
_ZH_NOT_MODIFIER = ("v", "c", "p", "u", "r", "m", "q", "x", "f", "t")
_ZH_WORD = regex.compile(r"^\p{Han}{2,}$")
_ZH_BLOCK = regex.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._]+")  # the runs jieba's tagger cuts independently
_ZH_HEAD = regex.compile("|".join(ZH_HEADS))
# Verbs whose object is a head word, written as one jieba word (发放贷款, 发行债券, 发债).
_ZH_ACTIONS = frozenset("发放 发行 申请 提供 购买 认购 赎回 偿还 归还 投放 筹集 募集 发 举 借 放 贷 还".split())
_ZH_STOP = frozenset("进一步 相关 有关 各类 各项 一批 部分 全部 主要 重点 其中 以及 我国 国内 今年 去年 目前 此次".split())


def _context(sentences: list[Sentence], starts: list[int], start: int) -> str:
    """The sentence holding position `start` (`starts`: the sentences' start offsets, ascending)."""
    k = bisect.bisect_right(starts, start) - 1
    if k >= 0 and start < sentences[k].end:
        text = sentences[k].text
        return text if len(text) <= 200 else text[:197] + "..."
    return ""


def _inside(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of the sorted, non-overlapping `spans`."""
    k = bisect.bisect_right(starts, start) - 1
    return k >= 0 and end <= spans[k][1]


def discover(text: str, lang: Lang, sentences: list[Sentence], detector: TermDetector,
             glossary: list[GlossaryEntry] | None = None) -> list[TermCandidate]:
    """Candidates in order of first occurrence. English: 2-4 word phrases ending in a finance head noun, with
    a hyphenated or repeated modifier; Chinese: 2-3 jieba words ending in a finance head word. A phrase
    inside a known term occurrence is not a candidate. `glossary`: the text's entries when already found."""
    known = sorted([(o.start, o.end) for entry in glossary for o in entry.occurrences] if glossary is not None
                   else [(s, e) for s, e, _ in detector.find(text, lang)])
    known_starts = [s for s, _ in known]
    sentence_starts = [s.start for s in sentences]
    found: dict[str, list[int]] = defaultdict(list)
    spaced = profile(lang).word_spaces
    spans = _english(text) if spaced else _chinese(text, detector)
    for start, end in spans:
        if _inside(known, known_starts, start, end):
            continue  # a known term, or part of one
        key = " ".join(text[start:end].lower().split()) if spaced else text[start:end]
        found[key].append(start)
    out = []
    for phrase, starts in found.items():
        if spaced and len(starts) < 2 and "-" not in phrase:
            continue  # one-off generic phrases are noise; hyphenated modifiers ("innovation-themed") are not
        out.append(TermCandidate(term=phrase, lang=lang, count=len(starts),
                                 contexts=list(dict.fromkeys(_context(sentences, sentence_starts, s)
                                                             for s in starts))[:3]))
    return out


def _english(text: str):
    for match in _EN_PHRASE.finditer(text):
        words = list(regex.finditer(r"\S+", match.group("mods")))
        kept = 0  # the run of modifier-like words right before the head
        for word in reversed(words):
            w = word.group().lower()
            if w in EN_STOP or (w.endswith("ed") and "-" not in w) or w.endswith("ly"):
                break  # determiners, generic words, verbs in the past tense, adverbs end the phrase
            kept += 1
        if kept:
            yield match.start("mods") + words[-kept].start(), match.end()


def _chinese(text: str, detector: TermDetector):
    """2-3 word noun compounds (jieba part of speech) ending in a finance head word. jieba's tagger cuts each run
    of Han letters, ASCII letters and digits on its own, so only the runs that hold a head word are tagged (the
    same words as tagging the whole text; memory stays per run)."""
    last_end = -1
    for block in _ZH_BLOCK.finditer(text):
        if not _ZH_HEAD.search(block.group()):
            continue
        for start, end in _chinese_block(block.group(), detector, last_end - block.start()):
            yield block.start() + start, block.start() + end
            last_end = block.start() + end


def _chinese_block(text: str, detector: TermDetector, last_end: int):
    words = detector.tagged_words(text)
    for i, (word, flag, _, end) in enumerate(words):
        if not word.endswith(ZH_HEADS) or _verb_object(word):
            continue
        for size in (3, 2):
            group = words[max(i - size + 1, 0):i + 1]
            if len(group) == size and all(_ZH_WORD.match(w) and w not in _ZH_STOP and f not in _ZH_NOT_MODIFIER
                                          and not (f.startswith("v") and f != "vn") for w, f, _, _ in group[:-1]):
                if group[0][2] > last_end:
                    yield group[0][2], end
                    last_end = end
                break


def _verb_object(word: str) -> bool:
    """Whether a word ending in a head is an action on it (发放贷款, 发行债券, 发债, 举债): not a kind of loan or
    bond. The verbs are listed: jieba also tags modifiers such as 质押 (质押融资) and 担保 (担保贷款) as verbs."""
    head = next(h for h in ZH_HEADS if word.endswith(h))
    return word[:-len(head)] in _ZH_ACTIONS
