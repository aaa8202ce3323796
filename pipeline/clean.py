"""Cleaning stage: removes machine-translation residue and repairs text, recording every edit.

All rules look at the ORIGINAL text and propose edits in its coordinates; overlapping proposals are
resolved (sentence removals win) and applied once. So each edit's offsets index the original, and
`restore_original(cleaned, edits)` rebuilds it exactly.
"""
from __future__ import annotations

import bisect
import difflib
import html
import itertools
import re
from dataclasses import dataclass

import ftfy
import regex

from .config import CleanConfig
from .gate import CONTROL_SEQUENCE
from .schema import CleanResult, Edit, Flag, Lang, Provenance, Sentence
from .lang import profile
from .lang.base import INVISIBLE
from .segment import split_sentences

PROVENANCE = Provenance(backend="rules", model="bisum-cleaner")

# ftfy limited to encoding repair: quotes, character width and ligatures are the author's, not damage.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    fix_line_breaks=False,
    remove_terminal_escapes=False,  # the whitespace.control rule removes these, with their own reason
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

_PRONOUN = r"(?:it|this|that|there|he|she|they|we|i|you|which|these|those)"
_AUX = r"(?:is|was|are|were|be|been|does|did|do|has|had|have|will|would|can|could|shall|should|may|might|must)"
# Romanised endings of Japanese / Chinese sentences left behind by MT ("Ta." from 他, "desu").
# MT output often puts a space before the final period ("Ta .", "It is ."): the same residue.
_ROMANISED = regex.compile(r"(?i)(?:ta|ne|ka|yo|desu|masu|deshita|da|le|ba|ya|wa|na|ga|wo|ni|ma|er|shi|zhe|jiu|hai|dou|ye)"
                           r"(?:\s+(?:de|men|le|ne|ma|ba))?\s*\.")  # "Ta de." (他的), "Ta men." (他们)
_DANGLING_AUX = regex.compile(rf"(?i){_PRONOUN}\s+{_AUX}(?:\s+not)?\s*\.")
_FUNCTION = (rf"(?:{_PRONOUN}|{_AUX}|the|a|an|and|or|but|so|of|to|in|on|at|for|with|as|by|such as|according to|"
             rf"due to|as well as|including|because of)")
_FUNCTION_WORDS = regex.compile(rf"(?i){_FUNCTION}(?:\s+{_FUNCTION})?\s*\.")
# A reporting verb with nothing reported ("He said.", "It was said.", "他表示。"): what was said was lost, or the
# attribution of the sentence before split off. Flagged, not removed: it may carry who said it.
_REPORTING_ONLY = regex.compile(r"(?i)(?![^.]*\b(?:what|which|as|than|how|where|when)\b)"  # "That's what he said."
                                r"(?:[\w'’.-]+\s+){0,3}(?:(?:was|were|has|have|had)\s+)?"
                                r"(?:said|says|added|noted|stated|told)\s*\."
                                r"|(?:他们|她们|他|她|其)?(?:表示|指出|认为|称|说)\s*[。．.]")
_ZH_PARTICLE = regex.compile(r"[他她它是了的吗呢吧啊嗯哦]\s*[。．.]")
# A Chinese sentence made only of pronouns and connectors ("据悉。", "这是。"): what it introduced was lost.
_ZH_UNIT = r"(?:他们|她们|它们|他|她|它|这|那|其中|此外|另外|同时|对此|据悉|因此|但是|而且|是)"
_ZH_FUNCTION_WORDS = regex.compile(rf"{_ZH_UNIT}{{1,3}}\s*[。．.]")
# A sentence that ends in a comma, semicolon or colon ("Among them,.", "其中，。"): what followed was lost. Made
# only of connector words ("At the same time,", "与此同时，") it goes; anything else may hold facts and is flagged.
_EN_CONNECTOR_WORDS = frozenset("""among them in addition additionally meanwhile however moreover furthermore for
    example instance at the same time on other hand meantime as a result therefore thus hence besides particular
    specifically that is namely of which this regard to end contrast by words first second third finally also then
    after present currently moment so far overall general generally speaking short fact still yet but and or more
    even nevertheless nonetheless instead otherwise similarly likewise accordingly consequently subsequently later
    earlier previously now today recently notably importantly including such""".split())
_ZH_CONNECTOR = (r"(?:其中|此外|另外|同时|与此同时|对此|为此|据悉|因此|所以|但是|而且|然而|不过|例如|比如|首先|其次|最后|"
                 r"总之|目前|此前|随后|另一方面|具体来看|具体而言|数据显示|报道称)")
_CONNECTOR_ONLY = regex.compile(rf"((?:[\p{{L}}'’]+\s+){{0,3}}[\p{{L}}'’]+)\s*[,;:]\s*\.|{_ZH_CONNECTOR}\s*[，；：、,;:]\s*[。．.]")
# Only words that cannot end an English sentence: "hoping for." or "go on." are fine, "such as." is not.
_TRUNCATED_END = regex.compile(r"\b(?:the|a|an|and|or|of|than|into|onto|such as|including|as well as)\.$"
                            # a verb of saying or knowing whose clause was lost: "It is worth noting that."
                            r"|\b(?:said|says|noted|noting|believes?|believed|shows|showed|shown|indicated|indicates"
                            r"|stressed|emphasi[sz]ed|stated|announced|revealed|learned|learnt|pointed out)\s+that\.$"
                            # reported speech whose verb was lost: "He said he would." (not "as we said we would")
                            r"|(?<!\bas\s+\w+\s+)\b(?:said|says|added|stated|promised|pledged|vowed)\s+"
                            r"(?:that\s+)?\w+\s+(?:would|will|could|should|can|must|shall|might|may)\.$")
_LIGHT_VERB_END = regex.compile(
    r"(?i)(?:\b(?:pay|pays|paid|paying)\s+(?:more\s+|close\s+|special\s+|greater\s+|much\s+)?attention"
    r"|\b(?:attach|attaches|attached)\s+(?:great\s+|more\s+)?importance"
    r"|\b(?:make|makes|made)\s+(?:greater\s+|more\s+|every\s+)?efforts?"
    r"|\b(?:give|gives|gave)\s+(?:top\s+)?priority)"
    # ... or with the preposition whose object was lost: "attaches great importance to."
    r"(?P<preposition>\s+(?:to|on|in))?\.$"
)
# A relative clause before the verb holds its object: "the risks which we pay attention to."
_RELATIVE = regex.compile(r"(?i)\b(?:which|what|whom|(?:that|who)\s+(?:i|we|you|they|he|she))\b")
# A run of CJK script inside English: letters, CJK punctuation, and figures written between them
# ("利润增长了1.2亿元。"). Short runs without figures are residue; longer ones are untranslated text.
_CJK_LETTER = r"\p{Han}\p{Hiragana}\p{Katakana}ー"
_CJK_RUN = regex.compile(rf"[{_CJK_LETTER}](?:[{_CJK_LETTER}，。、；：！？（）《》「」【】％]|[\d.,%]+(?=[{_CJK_LETTER}，。％%])"
                         rf"|\s+(?=[{_CJK_LETTER}]))*")
_CJK_CLAUSE_LETTERS = 4
_TAG = regex.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
# Script and style elements go with their content; so do tags written with entities (&lt;b&gt;), which
# would otherwise be decoded into live markup.
_SCRIPT = regex.compile(r"(?is)<(script|style)\b[^>]*>.*?</\1\s*>|&lt;(script|style)\b.*?&lt;/\2\s*&gt;")
_ENCODED_TAG = regex.compile(r"&lt;/?[A-Za-z][A-Za-z0-9]*(?:\s(?:(?!&[lg]t;)[^<>])*)?/?&gt;")

_ENTITY = regex.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#x[0-9A-Fa-f]{2,5});")
# Invisible characters: bidirectional marks can reorder what a reader sees; English and Chinese text needs none.
_ZERO_WIDTH = regex.compile(f"[{INVISIBLE}]+")
_SPACE_RUN = regex.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f]")
_TRAILING = regex.compile(r"[ \t\u00a0]+(?=\n|$)")
_BLANK_LINES = regex.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_TEXT_END = regex.compile(r"\s+$")
_CJK_GAP = regex.compile(r"(?<=[\p{Han}，。、；：！？])[ \t]+(?=[\p{Han}，。、；：！？])")
# A gap that separates a headline, a dateline and the body is no stray space: a dateline starts with an agency or
# a reporter (新华社北京5月13日电, 本报讯) and ends with 电 or 讯; a headline is a run of ten characters or more from
# the line start without punctuation.
_DATELINE_START = regex.compile(r"新华社|中新社|中新网|新华网|人民网|央视网|本报讯|本报记者|记者|路透社|彭博社|法新社|美联社|财联社")
_DATELINE_END = regex.compile(r"[日社网报][电讯]$")
_HEADLINE = regex.compile(r"(?:^|\n)[^\n，。、；：！？,.;:!?]{10,}$")
_DOUBLED_EN = regex.compile(r"([,;:])\s*\1+|(?<=[\p{L}\d)%])\.\.(?!\.)|(?<=[\p{L}\d])\s+([,;:])(?=\s)")
_DOUBLED_ZH = regex.compile(r"([，。；：、])\1+|，(?=。)")
# Words that are never written twice in a row in English: "the the", "yuan yuan" are translation or transcript
# damage ("that that", "had had", "in in" and names such as "Walla Walla" can be right and are left alone).
_NEVER_DOUBLED = frozenset("""the an of to for with from at by and or but its their our this these those yuan dollar
    dollars euro euros yen pound pounds percent million billion trillion""".split())
# Looked for in the lower-cased text ("The the" too). The standard library's engine runs this literal alternation
# with a back-reference about 1.7 times faster than `regex`, and the scan covers every English text.
_WORD_TWICE = re.compile(r"\b(" + "|".join(sorted(_NEVER_DOUBLED, key=len, reverse=True)) + r")([ \t]+\1)\b")
# Two or three words written twice, the first a function word ("of which of which", "in the in the"), except the
# ones English repeats itself ("you're going to have to have ...").
_REPEATS_OF_ENGLISH = frozenset({"to have"})
_PHRASE_TWICE = re.compile(r"\b((?:of|in|on|at|to|for|with|from|by|which|that)(?:[ \t]+[a-z]+){1,2})"
                           r"([ \t]+\1)\b")
# Chinese function characters written twice ("计划将将铝合金", "公司的的利润"): removed when jieba cuts them as two
# one-character words; "标的的", "行为为", "不了了之" and "实实在在" are cut otherwise and stay.
_ZH_DOUBLE = regex.compile(r"([的了是在和与将被把对及从向为])\1")
# Chinese punctuation between English words ("the system，and"): the ASCII mark, spaced as English spaces it.
_FULLWIDTH_EN = regex.compile(r"(?<=[\p{Latin}\d%)\]\"”’'])[ \t]*([，；：。！？])[ \t]*(?=([\p{Latin}\d\"“(\[$£€])|\n|$)")
_FULLWIDTH_ASCII = {"，": ",", "；": ";", "：": ":", "。": ".", "！": "!", "？": "?"}
_GLUED = regex.compile(r"(?<=[\p{L}\d%)]{2})([.!?])(?=[\p{Lu}][\p{Ll}])")


@dataclass
class _Finding:
    """A sentence-level rule's verdict on one sentence."""

    sentence: Sentence
    rule: str
    reason: str
    confidence: float


@dataclass
class _Proposal:
    start: int
    end: int
    replacement: str
    rule: str
    reason: str
    confidence: float
    sentence_level: bool = False


def clean_text(text: str, lang: Lang, config: CleanConfig | None = None) -> CleanResult:
    """Clean `text` and return the cleaned text with its edits and flags."""
    config = config or CleanConfig()
    if not config.enabled:
        return CleanResult(original_text=text, cleaned_text=text)
    rules = config.rules
    applies = profile(lang).cleaning  # the language-specific rules of this language
    sentences = split_sentences(text, lang)
    proposals: list[_Proposal] = []
    flags: list[_Proposal] = []
    if rules.encoding:
        proposals += _encoding(text)
    if rules.markup:
        proposals += _markup(text)
    if rules.whitespace:
        proposals += _whitespace(text, "cjk_gap" in applies)
    if rules.punctuation:
        proposals += _punctuation(text, "punctuation.cjk" in applies)
    if rules.missing_space and "missing_space" in applies:
        proposals += [
            _Proposal(m.end(1), m.end(1), " ", "missing_space", "no space after sentence end", 0.95)
            for m in _GLUED.finditer(text)
        ]
    if rules.stray_script and "stray_script" in applies:
        removals, kept = _stray_script(text, sentences)
        proposals += removals
        flags += kept
    if rules.traditional and "traditional" in applies:
        proposals += _traditional(text)
    junk: list[_Finding] = []
    if rules.fragment:
        junk += _fragments(sentences, applies)
    if rules.duplicate:
        junk += _duplicates(sentences, profile(lang).duplicate_key, config.duplicate_min_words)
        if "duplicate.word" in applies:
            proposals += _repeated_words(text)
        if "duplicate.particle" in applies:
            proposals += _doubled_particles(text)
    truncated = _truncations(sentences) if rules.truncation and "truncation" in applies else []
    lines = _Lines(text)
    for findings, action in ((junk, config.fragment_action), (truncated, config.truncation_action)):
        for f in findings:
            if action == "remove":
                proposals.append(_sentence_removal(text, f, lines))
            else:
                flags.append(_Proposal(f.sentence.start, f.sentence.end, "", f.rule, f.reason, f.confidence, True))
    edits = _resolve(text, proposals)
    cleaned = apply_edits(text, edits)
    return CleanResult(
        original_text=text,
        cleaned_text=cleaned,
        edits=edits,
        flags=_flags_in_cleaned(flags, edits, cleaned),
    )


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (sorted by start) given in `text` coordinates."""
    parts, pos = [], 0
    for edit in edits:
        parts.append(text[pos:edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


def restore_original(cleaned: str, edits: list[Edit]) -> str:
    """Rebuild the original text from the cleaned text and the edits."""
    parts, pos, shift = [], 0, 0
    for edit in edits:
        at = edit.start + shift  # where the replacement starts in the cleaned text
        parts.append(cleaned[pos:at])
        parts.append(edit.original)
        pos = at + len(edit.replacement)
        shift += len(edit.replacement) - (edit.end - edit.start)
    parts.append(cleaned[pos:])
    return "".join(parts)


class _OffsetMap:
    """Positions of the original text mapped to the cleaned text, for edits sorted and non-overlapping: each
    lookup is a binary search over the edits, so mapping every flag costs n log n, not n x edits."""

    def __init__(self, edits: list[Edit]):
        self.edits = edits
        self.ends = [e.end for e in edits]
        self.shift = list(itertools.accumulate((len(e.replacement) - (e.end - e.start) for e in edits), initial=0))

    def cleaned(self, position: int, at_end: bool = False) -> int:
        """An insertion exactly at `position` lies before a span that starts there, and after a span that ends
        there (`at_end`); a position inside an edited span snaps to the span's start."""
        k = bisect.bisect_right(self.ends, position)  # edits ending at or before `position`
        if at_end and k and self.edits[k - 1].start == self.edits[k - 1].end == position:
            k -= 1
        if k < len(self.edits) and self.edits[k].start < position < self.edits[k].end:
            return self.edits[k].start + self.shift[k]
        return position + self.shift[k]

    def removed(self, start: int, end: int) -> bool:
        """Whether [start, end) lies inside one removal."""
        k = bisect.bisect_right(self.ends, start)
        while k < len(self.edits) and self.edits[k].start <= start:
            edit = self.edits[k]
            if end <= edit.end and edit.replacement == "":
                return True
            k += 1
        return False


# --- character-level rules -------------------------------------------------------------------------

def _encoding(text: str) -> list[_Proposal]:
    out = []
    for start, piece in _pieces(text):
        fixed = ftfy.fix_text(piece, config=_FTFY)
        if fixed == piece:
            continue
        matcher = difflib.SequenceMatcher(None, piece, fixed, autojunk=False)
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op != "equal":
                out.append(_Proposal(start + a0, start + a1, fixed[b0:b1], "encoding",
                                     "repaired encoding damage (mojibake)", 0.9))
    return out


def _pieces(text: str, size: int = 2000):
    """(offset, piece) of each line, long lines cut at a space near every `size` characters: the diff of a
    repaired piece costs its length squared, so pieces keep a long line's cleaning linear."""
    for line in regex.finditer(r"[^\n]+", text):
        start, end = line.start(), line.end()
        while end - start > size:
            cut = text.rfind(" ", start + size // 2, start + size)
            cut = cut + 1 if cut > 0 else start + size
            yield start, text[start:cut]
            start = cut
        yield start, text[start:end]


def _traditional(text: str) -> list[_Proposal]:
    """Traditional Chinese characters converted to Simplified (OpenCC t2s), one edit per changed run."""
    from .lang.zh import to_simplified

    out = []
    for line in regex.finditer(r"[^\n]+", text):
        original, fixed = line.group(), to_simplified(line.group())
        if fixed == original:
            continue
        if len(fixed) == len(original):  # character for character: runs of changed characters, linear time
            changed = [i for i, (a, b) in enumerate(zip(original, fixed)) if a != b]
            runs = []
            for i in changed:
                if runs and runs[-1][1] == i:
                    runs[-1][1] = i + 1
                else:
                    runs.append([i, i + 1])
            spans = [(a, b, a, b) for a, b in runs]
        else:
            matcher = difflib.SequenceMatcher(None, original, fixed, autojunk=False)
            spans = [(a0, a1, b0, b1) for op, a0, a1, b0, b1 in matcher.get_opcodes() if op != "equal"]
        out += [_Proposal(line.start() + a0, line.start() + a1, fixed[b0:b1], "script.traditional",
                          "Traditional Chinese converted to Simplified", 0.95) for a0, a1, b0, b1 in spans]
    return out


def _markup(text: str) -> list[_Proposal]:
    out = [_Proposal(m.start(), m.end(), "", "markup.script", "script or style element", 0.95)
           for m in _SCRIPT.finditer(text)]
    out += [_Proposal(m.start(), m.end(), "", "markup.tag", "leftover HTML/XML tag", 0.95)
            for pattern in (_TAG, _ENCODED_TAG) for m in pattern.finditer(text)]
    for m in _ENTITY.finditer(text):
        decoded = html.unescape(m.group())
        if decoded != m.group():
            decoded = " " if decoded == "\u00a0" else decoded
            out.append(_Proposal(m.start(), m.end(), decoded, "markup.entity", "HTML entity", 0.95))
    return out


def _whitespace(text: str, cjk_gaps: bool) -> list[_Proposal]:
    out = [_Proposal(m.start(), m.end(), "", "whitespace.zero_width", "invisible character", 0.99)
           for m in _ZERO_WIDTH.finditer(text)]
    out += [_Proposal(m.start(), m.end(), "", "whitespace.control", "control character or terminal escape", 0.99)
            for m in CONTROL_SEQUENCE.finditer(text)]
    out += [_Proposal(m.start(), m.end(), " ", "whitespace.run", "odd or repeated spaces", 0.99)
            for m in _SPACE_RUN.finditer(text) if m.group() != " " and not _at_line_start(text, m.start())]
    out += [_Proposal(m.start(), m.end(), "", "whitespace.trailing", "trailing spaces", 0.99)
            for m in _TRAILING.finditer(text)]
    out += [_Proposal(m.start(), m.end(), "\n\n", "whitespace.blank_lines", "repeated blank lines", 0.99)
            for m in _BLANK_LINES.finditer(text) if text[m.end():].strip()]
    end = _TEXT_END.search(text)
    if end and end.group() != "\n":
        out.append(_Proposal(end.start(), end.end(), "\n" if "\n" in end.group() else "",
                             "whitespace.text_end", "whitespace at the end of the text", 0.99))
    if cjk_gaps:
        out += [_Proposal(m.start(), m.end(), "", "whitespace.cjk_gap", "space between Chinese characters", 0.9)
                for m in _CJK_GAP.finditer(text) if not _separates_parts(text, m.start(), m.end())]
    return out


def _separates_parts(text: str, start: int, end: int) -> bool:
    """Whether the gap text[start:end] separates a headline or a dateline from what follows."""
    before = text[max(0, start - 200):start]
    return bool(_DATELINE_START.match(text, end) or _DATELINE_END.search(before) or _HEADLINE.search(before))


def _at_line_start(text: str, pos: int) -> bool:
    return pos == 0 or text[pos - 1] == "\n"


def _punctuation(text: str, cjk: bool) -> list[_Proposal]:
    pattern = _DOUBLED_ZH if cjk else _DOUBLED_EN
    out = []
    for m in pattern.finditer(text):
        kept = "" if m.group() == "，" else m.group().strip()[-1]  # "，。" keeps the full stop only
        out.append(_Proposal(m.start(), m.end(), kept, "punctuation.doubled", "doubled or misplaced punctuation", 0.9))
    if not cjk and any(mark in text for mark in _FULLWIDTH_ASCII):  # a scan of the text only where one occurs
        for m in _FULLWIDTH_EN.finditer(text):
            mark = _FULLWIDTH_ASCII[m.group(1)] + (" " if m.group(2) else "")
            out.append(_Proposal(m.start(), m.end(), mark, "punctuation.fullwidth",
                                 "Chinese punctuation between English words", 0.9))
    return out


def _repeated_words(text: str) -> list[_Proposal]:
    """The second of two equal words that English never doubles ("the the"; "The the" at a sentence start), and
    of two equal phrases that begin with a function word ("of which of which")."""
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer (İ): offsets would shift
        return []
    out = []
    for pattern, reason in ((_WORD_TWICE, "word written twice"), (_PHRASE_TWICE, "words written twice")):
        for m in pattern.finditer(lower):
            first, second = text[m.start(1):m.end(1)], text[m.end(1):m.end(2)].lstrip()
            if second.islower() and (first.islower() or first[:1].isupper() and first[1:].islower()) \
                    and " ".join(second.split()) not in _REPEATS_OF_ENGLISH \
                    and text[m.start() - 1:m.start()] not in ("-", "'", "’") \
                    and text[m.end():m.end() + 1] not in ("-", "'", "’"):
                out.append(_Proposal(m.end(1), m.end(2), "", "duplicate.word", reason, 0.9))
    return out


def _doubled_particles(text: str) -> list[_Proposal]:
    """The second of two equal Chinese function characters that jieba cuts as two words (a few characters either
    side are enough to cut the same way)."""
    from .lang.zh import jieba_rs

    out = []
    for m in _ZH_DOUBLE.finditer(text):
        start = max(0, m.start() - 8)
        words, pos = {}, start
        for word in jieba_rs().cut(text[start:m.end() + 8], False):
            words[pos] = word
            pos += len(word)
        if words.get(m.start()) == m.group(1) and words.get(m.start() + 1) == m.group(1):
            out.append(_Proposal(m.start() + 1, m.end(), "", "duplicate.word", "word written twice", 0.85))
    return out


def _stray_script(text: str, sentences: list[Sentence]) -> tuple[list[_Proposal], list[_Proposal]]:
    """CJK script inside English sentences, outside brackets or quotes: short runs without figures are
    residue and removed; longer runs or runs with figures are untranslated text, kept and flagged, so that
    no fact is lost and no figure is left dangling."""
    removals, flags = [], []
    for sent in sentences:
        for m in _CJK_RUN.finditer(text, sent.start, sent.end):
            if _enclosed(text, m.start(), m.end(), sent):
                continue
            letters = len(regex.findall(rf"[{_CJK_LETTER}]", m.group()))
            if letters >= _CJK_CLAUSE_LETTERS or regex.search(r"\d", m.group()):
                flags.append(_Proposal(m.start(), m.end(), "", "stray_script.clause",
                                       "untranslated CJK text inside an English sentence (kept: it may carry facts)",
                                       0.7))
            else:
                start = m.start() - 1 if m.start() > sent.start and text[m.start() - 1] == " " else m.start()
                rule = "stray_script.han" if regex.match(r"\p{Han}", m.group()) else "stray_script.kana"
                removals.append(_Proposal(start, m.end(), "", rule, "CJK script left inside an English sentence", 0.9))
    return removals, flags


def _enclosed(text: str, start: int, end: int, sent: Sentence) -> bool:
    before = text[sent.start:start].rstrip()
    after = text[end:sent.end].lstrip()
    return bool(before) and before[-1] in "(（[“\"「'" and bool(after) and after[0] in ")）]”\"」'"


# --- sentence-level rules --------------------------------------------------------------------------

def _visible(sentence: str) -> str:
    """The sentence as a reader sees it: invisible characters (removed by their own rule) and edge spaces left out."""
    return (sentence if sentence.isascii() else _ZERO_WIDTH.sub("", sentence)).strip()


def _quoted(sentence: str) -> bool:
    return sentence[:1] in "\"“'‘「" or sentence.rstrip()[-1:] in "\"”'’」"


def _fragments(sentences: list[Sentence], applies: frozenset[str]) -> list[_Finding]:
    out = []
    for i, sent in enumerate(sentences):
        body = _visible(sent.text)
        if "fragment.zh" in applies and _ZH_PARTICLE.fullmatch(body):
            out.append(_Finding(sent, "fragment.zh_particle", "one-character fragment left by translation", 0.9))
        elif "fragment.zh" in applies and _ZH_FUNCTION_WORDS.fullmatch(body):
            out.append(_Finding(sent, "fragment.zh_function_words",
                                "only pronouns or connectors: what it introduced was lost", 0.85))
        elif _connector_only(body) and ("fragment.zh" in applies or "fragment.en" in applies):
            out.append(_Finding(sent, "fragment.connector", "a connector ending in a comma: what it introduced was "
                                "lost", 0.85))
        if "fragment.en" not in applies:
            continue
        if _quoted(body):
            continue
        answers_question = i > 0 and sentences[i - 1].text.rstrip("\"”’'").endswith("?")
        if _ROMANISED.fullmatch(body):
            out.append(_Finding(sent, "fragment.romanized", "romanised sentence ending left by translation", 0.95))
        elif answers_question:
            continue  # "Is it true? It is." is dialogue, not residue
        elif _DANGLING_AUX.fullmatch(body):
            out.append(_Finding(sent, "fragment.dangling_aux",
                                "pronoun and auxiliary verb with nothing after them", 0.9))
        elif _FUNCTION_WORDS.fullmatch(body):
            out.append(_Finding(sent, "fragment.function_words", "sentence made only of function words", 0.85))
    return out


def _comma_end(sentence: str) -> bool:
    """Ends in a full stop right after a comma, semicolon or colon ("Among them,.", "其中，。")."""
    body = sentence.rstrip()
    return body[-1:] in (".", "。", "．") and body[:-1].rstrip()[-1:] in (",", ";", ":", "，", "；", "：", "、")


def _connector_only(sentence: str) -> bool:
    """Only connector words, ending in a comma and a full stop ("Among them,.", "与此同时，。")."""
    if not _comma_end(sentence):
        return False
    match = _CONNECTOR_ONLY.fullmatch(sentence.strip())
    return match is not None and (match.group(1) is None
                                  or all(w in _EN_CONNECTOR_WORDS for w in match.group(1).lower().split()))


def _duplicates(sentences: list[Sentence], duplicate_key, min_words: int, window: int = 3) -> list[_Finding]:
    """A sentence repeating one of the `window` sentences before it. Speakers and reporters repeat points
    far apart; machine translation doubles a sentence next to itself."""
    keyed = [duplicate_key(s.text) for s in sentences]
    keys = [key for key, _ in keyed]
    out = []
    for i, (sent, (key, size)) in enumerate(zip(sentences, keyed)):
        if size >= min_words and key in keys[max(0, i - window):i]:
            out.append(_Finding(sent, "duplicate.sentence", "repeats the sentence just before it", 0.95))
    return out


def _truncations(sentences: list[Sentence]) -> list[_Finding]:
    out = []
    for i, sent in enumerate(sentences):
        body = _visible(sent.text)
        if _quoted(body):
            continue
        # A reporting verb right after a closing quote attributes the quote: '“...。”他称。', '"..." He said.'
        after_quote = i > 0 and sentences[i - 1].text.rstrip()[-1:] in "\"”’'」"
        if not after_quote and _REPORTING_ONLY.fullmatch(body):
            out.append(_Finding(sent, "truncation.nothing_reported", "reporting verb with nothing reported: what "
                                "was said was lost, or the attribution of the sentence before split off", 0.7))
            continue
        if _comma_end(body) and not _connector_only(body):
            out.append(_Finding(sent, "truncation.comma_end",
                                "ends with a comma or colon: what followed was lost", 0.8))
        elif _TRUNCATED_END.search(body, max(0, len(body) - 80)):  # every ending is shorter
            out.append(_Finding(sent, "truncation.dangling_word",
                                "ends with a word that needs a complement: the rest was lost", 0.8))
        elif (light := _LIGHT_VERB_END.search(body)) and not (
                light.group("preposition") and _RELATIVE.search(body, max(0, light.start() - 60), light.start())):
            out.append(_Finding(sent, "truncation.missing_object",
                                "verb phrase without its object (e.g. 'pay attention' to what?)", 0.6))
    return out


class _Lines:
    """Where the lines of a text start and where its last non-space character is, found once (a text of one
    long line would otherwise be scanned again for every sentence removed)."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in regex.finditer("\n", text)]
        self.text_end = len(text.rstrip())

    def start_of(self, position: int) -> int:
        return self.starts[bisect.bisect_right(self.starts, position) - 1]


def _sentence_removal(text: str, finding: _Finding, lines: _Lines) -> _Proposal:
    """Remove a sentence with the whitespace that separates it, leaving its neighbours intact: the spaces
    before it when text precedes it on its line; else the whitespace after it; and for a last line on its
    own, the line break before it (so the text keeps its final newline)."""
    sent = finding.sentence
    start, end = sent.start, sent.end
    line_start = lines.start_of(start)
    before = start
    while before > line_start and text[before - 1].isspace():
        before -= 1
    if before > line_start:  # text precedes it on its line
        while start > line_start and text[start - 1] in " \t":
            start -= 1
    elif end < lines.text_end:  # text follows it
        start = line_start
        while text[end] in " \t":
            end += 1
        if text[end] == "\n":  # the sentence was the whole line: take its line break(s) too
            while text[end].isspace():
                end += 1
    else:
        while start > 0 and text[start - 1].isspace():
            start -= 1
    return _Proposal(start, end, "", finding.rule, finding.reason, finding.confidence, True)


# --- resolution --------------------------------------------------------------------------------------

def _resolve(text: str, proposals: list[_Proposal]) -> list[Edit]:
    """Keep non-overlapping proposals: sentence removals first, then character edits outside them. Both are
    taken in order of position, so each one is checked against its neighbours only (linear cost)."""
    order = (lambda p: (p.start, -(p.end - p.start)))
    sentences: list[_Proposal] = []
    for prop in sorted((p for p in proposals if p.sentence_level), key=order):
        last = sentences[-1] if sentences else None
        if last is not None and last.start < prop.start < last.end and not text[prop.start:last.end].strip():
            prop.start = last.end  # neighbouring removals that both claim the space between them
        if last is None or not _overlaps(prop, last):
            sentences.append(prop)
    starts = [p.start for p in sentences]
    characters: list[_Proposal] = []
    for prop in sorted((p for p in proposals if not p.sentence_level), key=order):
        k = bisect.bisect_right(starts, prop.start)  # the sentence removals around it: [k - 1] and [k]
        if any(_overlaps(prop, other) for other in sentences[max(k - 1, 0):k + 1]) \
                or characters and _overlaps(prop, characters[-1]):
            continue
        characters.append(prop)
    chosen = sorted(sentences + characters, key=lambda p: (p.start, p.end))
    _absorb_spaces(text, chosen)
    return [Edit(start=p.start, end=p.end, original=text[p.start:p.end], replacement=p.replacement,
                 rule=p.rule, reason=p.reason, confidence=p.confidence) for p in chosen]


def _absorb_spaces(text: str, chosen: list[_Proposal]) -> None:
    """Removals leave no double space and no space at a line start or end. Walking the edits in order with the
    last character of the output so far: a removal made where the output ends in whitespace (or a line start)
    takes the spaces after it, and a run of spaces there collapses to nothing; a removal that ends its line
    takes the spaces before it."""
    prev_end, tail = 0, "\n"  # end of the previous edit in `text`; last character of the output so far
    line_end = _line_ends_after(text, chosen)
    for i, prop in enumerate(chosen):
        if prop.start > prev_end:
            tail = text[prop.start - 1]
        limit = chosen[i + 1].start if i + 1 < len(chosen) else len(text)
        blank = not text[prop.start:prop.end].strip(" \t")
        if prop.replacement == " " and blank and prop.end > prop.start and (
                tail in " \t\n" or line_end[i]):
            prop.replacement = ""  # a run of spaces after a removal at a line start, or at a line end
        elif not prop.replacement and prop.end > prop.start:
            if tail in " \t\n":
                while prop.end < limit and text[prop.end] in " \t":
                    prop.end += 1
            if line_end[i]:
                while prop.start > prev_end and text[prop.start - 1] in " \t":
                    prop.start -= 1
                tail = text[prop.start - 1] if prop.start > prev_end else tail
        if prop.replacement:
            tail = prop.replacement[-1]
        prev_end = max(prev_end, prop.end)


def _line_ends_after(text: str, chosen: list[_Proposal]) -> list[bool]:
    """For each edit: whether only spaces and removals (or runs of spaces) stand between it and its line end.
    One backward pass."""
    out = [False] * len(chosen)
    for i in range(len(chosen) - 1, -1, -1):
        pos = chosen[i].end
        limit = chosen[i + 1].start if i + 1 < len(chosen) else len(text)
        while pos < limit and text[pos] in " \t":
            pos += 1
        if pos == limit and i + 1 < len(chosen) and not chosen[i + 1].replacement.strip(" \t"):
            out[i] = out[i + 1]  # the next edit removes its text (or leaves spaces): what follows it decides
            continue
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        out[i] = pos == len(text) or text[pos] == "\n"
    return out


def _overlaps(a: _Proposal, b: _Proposal) -> bool:
    if a.start == a.end or b.start == b.end:  # insertions clash with spans that contain their point
        point, span = (a, b) if a.start == a.end else (b, a)
        return span.start <= point.start <= span.end if span.start != span.end else point.start == span.start
    return a.start < b.end and b.start < a.end


def _flags_in_cleaned(flags: list[_Proposal], edits: list[Edit], cleaned: str) -> list[Flag]:
    out = []
    offsets = _OffsetMap(edits)
    for prop in flags:
        if offsets.removed(prop.start, prop.end):
            continue  # removed by another rule
        start, end = offsets.cleaned(prop.start), offsets.cleaned(prop.end, at_end=True)
        # an edit at its edge (an invisible character removed, a mark respaced) may leave spaces inside the span
        span = cleaned[start:end]
        start, end = start + len(span) - len(span.lstrip()), start + len(span.rstrip())
        if start >= end:
            continue
        out.append(Flag(start=start, end=end, text=cleaned[start:end], rule=prop.rule, reason=prop.reason,
                        confidence=prop.confidence))
    return out
