"""Sentence segmentation for English and Chinese news. Returns character spans, so every later stage can
point back into the text it was given."""
from __future__ import annotations

import regex

from .schema import Lang, Sentence

# Tokens that end in a period without ending a sentence (compared case-insensitively, without the dot).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt rep sen gov pres rev hon
    inc ltd co corp plc llc lp bros dept est approx assn govt intl natl univ
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    vs etc al e.g i.e cf viz no nos vol fig op ed pp a.m p.m u.s u.k u.n e.u u.s.a
    bn mn tn m b k""".split()
)
# After these abbreviations a capitalised word usually continues the sentence ("Mr. Smith", "No. 3").
_TITLES = frozenset("mr mrs ms dr prof sr jr st gen col lt sgt capt rep sen gov pres rev hon no nos vol fig".split())
# Words that commonly start a sentence: after "U.S." or "Inc." they signal a boundary.
_STARTERS = frozenset(
    """the a an it its he she they we i this that these those there but and however in on at for
    meanwhile analysts shares its his her their our according as while after before when if""".split()
)

# End punctuation, optional closing quotes/brackets, then whitespace and an opener, or a glued capital.
# ... or a lower-case fragment of at most three words that ends right away ("rose. ta. But"), which is
# machine-translation residue the cleaner must see as a sentence of its own.
_EN_BOUNDARY = regex.compile(
    r"""(?P<end>[.!?]+|\.{3}|…)(?P<close>["'”’)\]]*)(?:(?P<space>\s+)(?=["'“‘(\[]?[\p{Lu}\d$£€¥]"""
    r"""|\p{Ll}[\p{L}']*(?:\s+[\p{L}']+){0,2}[.!?](?:\s|$))|(?=[\p{Lu}](?:\p{Ll}|\s|\p{Lu}+\s)))"""
)
_ZH_BOUNDARY = regex.compile(r"(?:[。！？!?；;]+|…{1,2}|\.{3,6})[”’」』）)\"']*")


def split_sentences(text: str, lang: Lang) -> list[Sentence]:
    """Split `text` into sentences. Newlines always end a sentence (news paragraphs, bullets, headings)."""
    spans: list[tuple[int, int]] = []
    for line in regex.finditer(r"[^\n]+", text):
        splitter = _split_line_zh if lang == "zh" else _split_line_en
        for start, end in splitter(line.group(), line.start()):
            start, end = _strip(text, start, end)
            if end > start:
                spans.append((start, end))
    return [Sentence(index=i, start=s, end=e, text=text[s:e]) for i, (s, e) in enumerate(spans)]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_line_zh(line: str, offset: int):
    start = 0
    for match in _ZH_BOUNDARY.finditer(line):
        yield offset + start, offset + match.end()
        start = match.end()
    yield offset + start, offset + len(line)


def _split_line_en(line: str, offset: int):
    start = 0
    for match in _EN_BOUNDARY.finditer(line):
        if not _is_boundary(line, match):
            continue
        cut = match.end("close")
        if match.group("close")[:1] == '"' and line.count('"', start, match.start()) % 2 == 0:
            cut = match.start("close")  # quotes are balanced before it: the '"' opens the next sentence
        yield offset + start, offset + cut
        start = cut
    yield offset + start, offset + len(line)


def _previous_token(line: str, pos: int) -> str:
    """The token just before position `pos` (the end punctuation), without trailing dots."""
    i = pos
    while i > 0 and not line[i - 1].isspace() and line[i - 1] not in "\"'“‘([":
        i -= 1
    return line[i:pos]


def _is_boundary(line: str, match: regex.Match) -> bool:
    end_punct = match.group("end")
    if end_punct != ".":
        return True
    token = _previous_token(line, match.start("end"))
    if not token:
        return True
    following = line[match.end():].lstrip("\"'“‘([")
    next_word = regex.match(r"[\p{L}\d]+", following)
    capitalised = bool(next_word) and next_word.group()[0].isupper()
    next_word = next_word.group().lower() if next_word else ""
    starts = capitalised and next_word in _STARTERS  # "U.S. The ...": a capitalised common sentence opener
    glued = match.group("space") is None
    if glued:
        # "bn.For", "2004.The", "Mohd-Saaid.In", "$40m.He": the last piece before the dot ends in a lower-case
        # letter, digit, % or ")" and is longer than one letter (not "U.S.A" or "e.g.The").
        last = token.rsplit(".", 1)[-1]
        if regex.fullmatch(r"\p{Lu}{2,5}", last):  # "in the US.At his ..."
            return starts
        return (bool(regex.search(r"[\p{Ll}\d%)]$", last)) and (len(last) > 1 or last.isdigit())
                and last.lower() not in ABBREVIATIONS)
    key = token.lower()
    if key in ("no", "nos"):  # "No. 3" continues; "said no. Then" ends
        return not next_word[:1].isdigit()
    if key in ABBREVIATIONS or (len(token) == 1 and token.isupper()):
        if key in _TITLES or len(token) == 1:
            return False
        # "U.S. The ...", "Inc. It ..." end a sentence; "U.S. Treasury" and "e.g. in" do not.
        return starts
    if regex.fullmatch(r"(?:\p{L}\.)+\p{L}", token):  # initialisms with inner dots, e.g. "U.S" before the dot
        return starts
    return True
