"""Term detection: leftmost-longest matches of every surface form, so a compound in the term base wins over
its parts (股份回购 over 回购, 国债期货 over 国债). English forms match in singular and plural, with hyphen or
space, and by case rules; in Chinese no match starts inside a jieba word that is not itself a term form, nor
does a two-character one end inside one, so 期权 is not found inside 远期权益 nor 配股 in 获配股份, while 再贷款
is found in 再贷款额度. Then `context.py` drops qualified institution words (秘鲁央行) and ambiguous forms
without evidence of the financial sense."""
from __future__ import annotations

import bisect
import logging
import time
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import regex

from ..figures import currencies, currency, extract
from ..lang import profile
from ..lang.acronyms import MINOR_WORDS, definitions
from ..lang.zh import jieba, jieba_rs
from ..schema import GlossaryEntry, Lang, Occurrence, Sentence
from ..segment import split_sentences
from .context import Candidate, in_context, word_pattern
from .terms import Term, capitals, is_acronym, load_terms, mixed_case


# Plural forms whose singular is another word: "the Treasury" is a ministry, "an alternative" a choice,
# "borrowing" the act ("borrowing costs rose").
_NO_SINGULAR = frozenset({"futures", "earnings", "savings", "proceeds", "arrears", "securities", "goods", "means",
                          "news", "series", "headquarters", "economics", "statistics", "politics", "sales",
                          "treasuries", "alternatives", "borrowings"})


def _plurals(word: str) -> list[str]:
    if word.endswith(("s", "x", "sh", "ch")):
        return [word + "es"]
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return [word[:-1] + "ies"]
    return [word + "s"]


def _singular(word: str) -> str | None:
    """The singular of a plural-looking word, or None ("futures" and the like keep their plural)."""
    lower = word.lower()
    if lower in _NO_SINGULAR or len(word) < 4 or not lower.endswith("s") or lower.endswith(("ss", "us", "is", "ics")):
        return None
    if lower.endswith("ies"):
        return word[:-3] + "y"
    if lower.endswith(("sses", "xes", "shes", "ches")):
        return word[:-2]
    return word[:-1]


def _number_forms(word: str) -> list[str]:
    """The word, its plural and (for a plural) its singular: every form matches in both numbers."""
    if is_acronym(word):
        return [word[:-1]] + [word] if word.endswith("s") and not word.isupper() else [word, word + "s"]
    singular = _singular(word)
    return [word, *_plurals(word)] + ([singular] if singular else [])


def _english_pattern(form: str, explicit: frozenset[str] = frozenset()) -> str:
    """Regex for a surface form: singular and plural on the last word, hyphen or space between words,
    case-insensitive unless the form is an acronym (all capitals: "MLF" must not match "mlf"; or in its own mixed
    case: "MoM" must not match "mom") or a short lower-case abbreviation ("bp" must not match the company BP). A
    number form that another entry lists as its own (`explicit`, lower case) is left to that entry."""
    words = form.split(" ")
    parts = [regex.escape(w).replace(r"\-", r"[-\s]?") for w in words[:-1]]
    variants = sorted({v for v in _number_forms(words[-1])
                       if v == words[-1] or " ".join(words[:-1] + [v]).lower() not in explicit}, key=len, reverse=True)
    last = "(?:" + "|".join(regex.escape(v).replace(r"\-", r"[-\s]?") for v in variants) + ")"
    body = r"[-\s]+".join(parts + [last])
    if capitals(form) or mixed_case(form) or (form.isalpha() and form.islower() and len(form) <= 3):
        return body
    if regex.match(r"\p{Lu}[-\s]", form):  # "A-share", "S fund": the capital letter is not the article "a"
        return rf"(?=\p{{Lu}})(?i:{body})"
    return f"(?i:{body})"


_LINE = regex.compile(r"[^\n]+")

# A form right after a prefix that changes its meaning ("non-mortgage", "pre-tax income", "ex-PPP", "belt-tightening"),
# or an acronym right after a capitalised word and a hyphen ("TNK-BP"), is part of another word: not the term; so is
# a share class letter ("Class A shares" are not A-shares).
_PREFIXED = regex.compile(r"(?<![\p{L}\p{N}])(?i:non|ex|pre|post|anti|de|un|sub|semi|multi|inter|intra|mid|over|under"
                          r"|belt|self|cross)-$")
_NAME_PART = regex.compile(r"\p{Lu}[\p{L}\p{N}]*-$")
# A capitalised word right after a short capitalised token and a hyphen is part of a name: "G-Unit", "X-Men".
_SHORT_NAME_PART = regex.compile(r"(?<![\p{L}\p{N}])\p{Lu}{1,3}-$")
_SHARE_CLASS = regex.compile(r"(?i:class)\s+$")
_LATIN_WORDS = regex.compile(r"[A-Za-z]+")
_THREE_WORDS = regex.compile(r"[A-Za-z]+[^A-Za-z\p{Han}]+[A-Za-z]+[^A-Za-z\p{Han}]+[A-Za-z]+")
_HAN = regex.compile(r"\p{Han}")
_HAN_RUN = regex.compile(r"\p{Han}[\p{Han}\d.%，。、；：！？“”‘’《》（）\s]*\p{Han}[。！？”’）]*")
_WORD_START = regex.compile(r"(?<![\p{L}\p{N}])[\p{L}\p{N}]")
_SEPARATORS = regex.compile(r"[-\s]+")


def _latin(char: str) -> bool:
    return char.isascii() and char.isalpha()


_NAME_GOES_ON = regex.compile(r"(?:\s+(?:of|and|the|for|&))*\s+\p{Lu}\p{Ll}")


def _cuts_run(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] begins or ends inside a run of Latin letters (a form inside another acronym) or of
    digits ("M1" in the M10 wafer size; "50ETF" keeps its ETF)."""
    def cut(a: str, b: str) -> bool:
        return (_latin(a) and _latin(b)) or (a.isdigit() and b.isdigit())

    return (start > 0 and cut(text[start - 1], text[start])) or (end < len(text) and cut(text[end - 1], text[end]))


_FUNCTION_WORDS = {"a", "an", "and", "of", "the", "for", "in", "on", "to"}


def _stem(word: str) -> str:
    """A word's first letters, enough to match its other forms: acqui- (acquisition, acquire), list- (listed)."""
    return word if len(word) <= 4 else word[:max(4, min(5, len(word) - 3))]


def _rendered(term: Term, translation: str, lang: Lang) -> bool:
    """A looser rendering of `term` than its glossary form, as human translators write it: in English every
    content word of one of its forms, each by its stem (acquire for acquisition, WeChat payment for WeChat Pay,
    listed baijiu companies for listed company), its head word alone (rates for interest rate), or the same
    currency by symbol or code (US$ for US dollar); in Chinese the characters of its form in order within two
    more characters (进出口 holds 进口, 国内消费需求 内需) or its last two characters (增长 for 经济增长)."""
    if lang == "zh":
        return any(regex.search(".{0,2}".join(map(regex.escape, form)), translation)
                   or (len(form) >= 4 and form[-2:] in translation) for form in (term.zh, *term.aliases_zh))
    code = currency(term.zh)
    if code is not None and code in currencies(translation):
        return True
    words = {m.group().lower() for m in regex.finditer(r"\p{L}+", translation)}
    for form in (term.en, *term.aliases_en):
        stems = [_stem(w.lower()) for w in regex.findall(r"\p{L}+", form) if w.lower() not in _FUNCTION_WORDS]
        if stems and all(any(w.startswith(s) for w in words) for s in stems):
            return True
    head = regex.sub(r"(?:s|es|ing|ed)$", "", term.en.split()[-1].lower()) if " " in term.en else ""
    return len(head) >= 4 and any(w.startswith(head) for w in words)


def _key(text: str) -> str:
    """The first two letters of a form (or of the text at a word start), separators dropped, lower case."""
    return _SEPARATORS.sub("", text[:40]).lower()[:2]


def _alternation(forms: list[str], explicit: frozenset[str]) -> regex.Pattern:
    """One pattern trying `forms` in order, each a whole word: group k+1 is forms[k]."""
    return regex.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(f"({_english_pattern(f, explicit)})" for f in forms)
                         + r")(?![\p{L}\p{N}])")


def _english_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of Chinese text written in English: three Latin words or more, and more than twice
    as many Latin letters as Han characters."""
    if not _THREE_WORDS.search(text):
        return []
    out = []
    for sentence in split_sentences(text, "zh"):
        words = _LATIN_WORDS.findall(sentence.text)
        if len(words) >= 3 and sum(map(len, words)) > 2 * len(_HAN.findall(sentence.text)):
            out.append((sentence.start, sentence.end))
    return out


def _chinese_passages(text: str) -> list[tuple[int, int]]:
    """Spans of Chinese passages left in English text: runs of Han characters (with the Chinese punctuation,
    figures and spaces between them) holding four Han characters or more."""
    return [m.span() for m in _HAN_RUN.finditer(text) if len(_HAN.findall(m.group())) >= 4]


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans replaced by spaces (same length, so positions still point into the text)."""
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], " " * (end - start)]
        last = end
    return "".join(parts) + text[last:]


class _Patterns(dict):
    """Entry index -> the pattern of its words, compiled when a text first needs it (start-up: most entries'
    words are never looked for)."""

    def __init__(self, words: dict[int, list[str]], spaced: bool):
        super().__init__()
        self._words, self._spaced = words, spaced

    def __contains__(self, idx) -> bool:
        return idx in self._words

    def __missing__(self, idx: int) -> regex.Pattern:
        pattern = self[idx] = word_pattern(self._words[idx], self._spaced)
        return pattern


def _word_lists(terms: list[Term], kind: str) -> dict[str, _Patterns]:
    """Per language, the patterns of each entry's `cues` or `against` words. English words count in both numbers
    ("bank" is shown by "banks" too), as term forms do."""
    return {"en": _Patterns({idx: [f for w in getattr(term, f"{kind}_en") for f in _number_forms(w)]
                             for idx, term in enumerate(terms) if getattr(term, f"{kind}_en")}, True),
            "zh": _Patterns({idx: getattr(term, f"{kind}_zh") for idx, term in enumerate(terms)
                             if getattr(term, f"{kind}_zh")}, False)}


class TermDetector:
    def __init__(self, terms: list[Term]):
        self.terms = terms
        forms: dict[str, dict[str, Candidate]] = {"en": {}, "zh": {}}
        for idx, term in enumerate(terms):
            marked, strict, generic = set(term.ambiguous) | set(term.strict), set(term.strict), set(term.generic)
            # English acronyms are written as they are in Chinese text too (M2, LPR, ETF).
            acronyms = [f for f in [term.en, *term.aliases_en] if is_acronym(f)]
            for lang, recommended, variants in (("en", [term.en, *term.aliases_en], term.variants_en),
                                                ("zh", [term.zh, *term.aliases_zh, *acronyms], term.variants_zh)):
                for form in recommended + variants:
                    known = forms[lang].get(form)
                    if known is not None and idx in (known.idx, *known.senses):
                        continue
                    if known is not None:  # a form of several entries: the context chooses (context.py)
                        forms[lang][form] = replace(known, senses=known.senses + (idx,), ambiguous=True)
                        continue
                    forms[lang][form] = Candidate(0, 0, idx, form in variants, form in marked or is_acronym(form),
                                                  form in generic, form in strict)
        en_forms = forms["en"]
        ordered = sorted(en_forms, key=len, reverse=True)
        explicit = frozenset(f.lower() for f in ordered)
        self._en_index = [en_forms[f] for f in ordered]
        # One alternation of every form, split by the first two letters of the forms (separators dropped, lower
        # case): at a word start only the forms that can begin there are tried, so matching is linear in the
        # text. A user's form shorter than two letters has no such key: then the one big alternation serves.
        by_key: dict[str, list[int]] = {}
        for k, form in enumerate(ordered):
            by_key.setdefault(_key(form), []).append(k)
        self._en_forms, self._explicit = ordered, explicit
        if any(len(key) < 2 for key in by_key):
            self._en, self._en_by_key = _alternation(ordered, explicit), None
        else:  # each key's alternation is compiled when a text first needs it (start-up: most are never used)
            self._en, self._en_by_key = None, by_key
        self._en_patterns: dict[str, regex.Pattern] = {}
        self._zh = forms["zh"]
        self._zh_lengths = sorted({len(f) for f in self._zh}, reverse=True)
        self._cues = _word_lists(terms, "cues")
        self._against = _word_lists(terms, "against")
        self._words = None
        self._tagger = None

    def words(self, text: str) -> list[tuple[str, int, int]]:
        """jieba words (word, start, end) of Chinese text, with every term form in the dictionary (at jieba's
        suggested frequency: enough to keep the form whole). Cut by jieba-rs, which gives jieba's words with the
        same dictionary additions (checked in the tests) several times faster."""
        if self._words is None:
            self._words = jieba_rs().Jieba()
            for form in self._zh:
                self._words.add_word(form, None, None)
        return self._words.tokenize(text, "default", False)

    def tagged_words(self, text: str) -> list[tuple[str, str, int, int]]:
        """(word, part of speech, start, end) with the same dictionary as `words` (jieba's tagger)."""
        if self._tagger is None:  # built once: it reads jieba's whole dictionary
            from jieba import posseg

            tokenizer = jieba.Tokenizer()
            for form in self._zh:
                tokenizer.add_word(form)
            self._tagger = posseg.POSTokenizer(tokenizer)
        out, pos = [], 0
        for pair in self._tagger.cut(text, HMM=False):
            out.append((pair.word, pair.flag, pos, pos + len(pair.word)))
            pos += len(pair.word)
        return out

    def find(self, text: str, lang: Lang, context: bool = True, domain: bool = True) -> list[tuple[int, int, int]]:
        """(start, end, term index) of every occurrence, leftmost-longest and non-overlapping, and
        (unless `context` is False) qualified institution words and unsupported ambiguous forms are left out;
        `domain` False: an ambiguous form needs its evidence whatever the domain of the text (context.py)."""
        return [(start, end, idx) for start, end, idx, _ in self.find_forms(text, lang, context, domain)]

    def find_forms(self, text: str, lang: Lang, context: bool = True,
                   domain: bool = True) -> list[tuple[int, int, int, bool]]:
        """Like `find`, with True where the text uses a discouraged variant of the term. English sentences
        inside Chinese text are searched as English, Chinese passages inside English text as Chinese."""
        spaced = profile(lang).word_spaces
        other, other_lang = (_chinese_passages(text), "zh") if spaced else (_english_sentences(text), "en")
        searched = _blank(text, other) if other else text
        if spaced:  # forms matched as words: regex with plurals, hyphens and case rules
            found = self._find_spaced(searched)
        else:
            found = []
            for line in _LINE.finditer(searched):  # no form holds a line break; memory stays per line
                found += self._find_segmented(line.group(), line.start())
        if context:
            found = in_context(searched, lang, found, self._cues[lang], self._against[lang], domain)
            if spaced:
                found = [c for c in self._not_defined_otherwise(searched, found) if not self._in_a_name(searched, c)]
        out = [(c.start, c.end, c.idx, c.variant) for c in found]
        for start, end in other:
            out += [(s + start, e + start, idx, variant)
                    for s, e, idx, variant in self.find_forms(text[start:end], other_lang, context, domain)]
        return sorted(out) if other else out

    def _in_a_name(self, text: str, c: Candidate) -> bool:
        """A form written in lower case in the term base, capitalised here with a capitalised word after it (past
        "of", "and", "the"), is a word of a title or a name: "Million Dollar Baby", "the British Board of Film
        Classification", "the Inflation Reduction Act"."""
        surface = text[c.start:c.end]
        if not surface[:1].isupper() or surface.isupper():
            return False
        term = self.terms[c.idx]
        lower = {f.lower() for f in (term.en, *term.aliases_en) if f[:1].islower()}
        if surface.lower() not in lower:
            return False
        return bool(_NAME_GOES_ON.match(text, c.end))

    def _not_defined_otherwise(self, text: str, found: list[Candidate]) -> list[Candidate]:
        """Drops an acronym that the text defines as another name: "The Official UK Charts Company (OCC)" is not
        the Office of the Comptroller of the Currency. A definition matches the entry when at least half the
        content words of its English name or one of its aliases are in it."""
        defined = definitions(text) if any(is_acronym(text[c.start:c.end]) for c in found) else {}
        if not defined:
            return found

        def words(name: str) -> set[str]:
            return {w for w in regex.findall(r"[a-z]+", name.lower()) if w not in MINOR_WORDS and w != "s"}

        def same(idx: int, name: str) -> bool:
            term, have = self.terms[idx], words(name)
            return any(len(words(n) & have) * 2 >= len(words(n)) for n in (term.en, *term.aliases_en) if words(n))

        return [c for c in found if text[c.start:c.end] not in defined or same(c.idx, defined[text[c.start:c.end]])]

    def _find_segmented(self, text: str, offset: int) -> list[Candidate]:
        """Leftmost-longest, non-overlapping matches starting where a jieba word starts (or inside a word that
        is itself a term form); a two-character form must also end where a jieba word ends (配股 is not found in
        获配股份: 获/配/股份, nor 美股 in 聚美股价: 聚/美/股价), a longer one may end inside a word (再贷款 in
        再贷款额度). No form begins or ends inside a run of Latin letters or of digits ("BOT" is not found in CBOT,
        "LP" in LPG, "M1" in M10)."""
        inside = bytearray(len(text) + 1)  # 1 inside a jieba word that is not a term form
        within = bytearray(len(text) + 1)  # 1 inside any jieba word
        for word, start, end in self.words(text):
            if end - start > 1:
                within[start + 1:end] = b"\x01" * (end - start - 1)
                if word not in self._zh:
                    inside[start + 1:end] = b"\x01" * (end - start - 1)
        out, i, n = [], 0, len(text)
        while i < n:
            for size in self._zh_lengths if not inside[i] else ():
                if i + size > n:  # a shorter slice at the line end is not a form of this length
                    continue
                hit = self._zh.get(text[i:i + size])
                if hit is not None and (size > 2 or not within[i + size]) and not _cuts_run(text, i, i + size):
                    out.append(replace(hit, start=offset + i, end=offset + i + size))
                    i += size
                    break
            else:
                i += 1
        return out

    def _find_spaced(self, text: str) -> list[Candidate]:
        """Leftmost-longest, non-overlapping matches of the forms, as the one big alternation finds them, trying
        at each word start only the forms whose first two letters fit."""
        if self._en_by_key is None:
            return [replace(self._en_index[m.lastindex - 1], start=m.start(), end=m.end())
                    for m in self._en.finditer(text)
                    if not self._part_of_other_words(text, m.start(), m.group())]
        out, end = [], 0
        for start in _WORD_START.finditer(text):
            p = start.start()
            key = _key(text[p:p + 40]) if p >= end else None
            ks = self._en_by_key.get(key) if key is not None else None
            hit = self._key_pattern(key, ks).match(text, p) if ks is not None else None
            if hit is not None and not self._part_of_other_words(text, p, hit.group()):
                out.append(replace(self._en_index[ks[hit.lastindex - 1]], start=hit.start(), end=hit.end()))
                end = hit.end()
        return out

    @staticmethod
    def _part_of_other_words(text: str, start: int, surface: str) -> bool:
        """Whether the form found at `start` is the second part of a hyphenated word that means something else, or
        a share class letter."""
        before = text[max(0, start - 12):start]
        if start < 2 or text[start - 1] != "-":
            return _SHARE_CLASS.search(before) is not None
        return _PREFIXED.search(before) is not None or (capitals(surface) and _NAME_PART.search(before) is not None) \
            or (surface[:1].isupper() and _SHORT_NAME_PART.search(before) is not None)

    def _key_pattern(self, key: str, ks: list[int]) -> regex.Pattern:
        """The alternation of the forms `ks` (those starting with `key`), compiled once."""
        pattern = self._en_patterns.get(key)
        if pattern is None:
            pattern = self._en_patterns[key] = _alternation([self._en_forms[k] for k in ks], self._explicit)
        return pattern

    def missing_renderings(self, source: str, source_lang: Lang, translation: str, target_lang: Lang) -> list[str]:
        """Terms of `source` whose glossary form in the target language is absent from `translation`. A currency
        word inside or right after an amount (150美元, 2.8亿元人民币) is left to the figures check, and a looser
        rendering (`_rendered`: acquire for acquisition, 进出口 for 进口) is a synonym, not a miss."""
        # a translation of finance is finance: no context needed; a discouraged variant ("reloans") is no rendering
        present = {idx for _, _, idx, variant in self.find_forms(translation, target_lang, context=False) if not variant}
        amounts = [(q.start, q.end) for q in extract(source) if q.currency]
        out = []
        for start, end, idx in self.find(source, source_lang, domain=False):
            term = self.terms[idx]
            if idx in present or any(s <= start and (end <= e or start == e) for s, e in amounts):
                continue
            if _rendered(term, translation, target_lang):
                continue
            src, want = profile(source_lang).term_form(term), profile(target_lang).term_form(term)
            message = f"glossary term '{src}' is not rendered as '{want}'"
            if message not in out:
                out.append(message)
        return out

    def glossary(self, text: str, lang: Lang, sentences: list[Sentence]) -> list[GlossaryEntry]:
        """Glossary entries in order of first occurrence, each with all its occurrences."""
        starts = [s.start for s in sentences]
        entries: dict[int, GlossaryEntry] = {}
        for start, end, idx in self.find(text, lang):
            term = self.terms[idx]
            entry = entries.setdefault(idx, GlossaryEntry(
                term_en=term.en, term_zh=term.zh, category=term.category,
                definition_en=term.definition_en, definition_zh=term.definition_zh))
            sentence = max(bisect.bisect_right(starts, start) - 1, 0)
            entry.occurrences.append(Occurrence(start=start, end=end, surface=text[start:end],
                                                sentence=sentence, lang=lang))
        return list(entries.values())


@lru_cache(maxsize=4)
def detector_for(user_file: str | None) -> TermDetector:
    """A detector over the shipped terms plus the user's file, built once per process."""
    start = time.perf_counter()
    detector = TermDetector(load_terms(Path(user_file) if user_file else None))
    logging.getLogger("bisum").info("term base: %d entries (shipped%s) in %.2f s", len(detector.terms),
                                    f" + {user_file}" if user_file else "", time.perf_counter() - start)
    return detector
