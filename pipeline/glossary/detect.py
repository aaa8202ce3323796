"""Term detection: longest match over every surface form, with English plural / hyphen / case variants;
a Chinese match may not start inside a jieba word that is not itself a term form (a private jieba tokenizer
knows every form), so 期权 is not found inside 远期权益 or 配股 inside 获配股份, while 再贷款 is found in
再贷款额度 (jieba: 再/贷款额度)."""
from __future__ import annotations

import bisect
from functools import lru_cache
from pathlib import Path

import regex

from ..lang import profile
from ..lang.zh import jieba
from ..schema import GlossaryEntry, Lang, Occurrence, Sentence
from .terms import Term, load_terms


def _plurals(word: str) -> list[str]:
    if word.endswith(("s", "x", "sh", "ch")):
        return [word + "es"]
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return [word[:-1] + "ies"]
    return [word + "s"]


def _english_pattern(form: str) -> str:
    """Regex for a surface form: plurals on the last word, hyphen or space between words, case-insensitive
    unless the form is an acronym (all capitals: "MLF" must not match "mlf")."""
    words = form.split(" ")
    last_variants = [words[-1]] + ([] if words[-1].isupper() and len(words) == 1 else _plurals(words[-1]))
    parts = [regex.escape(w).replace(r"\-", r"[-\s]?") for w in words[:-1]]
    last = "(?:" + "|".join(regex.escape(v).replace(r"\-", r"[-\s]?") for v in last_variants) + ")"
    body = r"[-\s]+".join(parts + [last])
    acronym = any(ch.isupper() for ch in form) and form.replace("-", "").replace(" ", "").isupper()
    if acronym:
        return body
    if regex.match(r"\p{Lu}[-\s]", form):  # "A-share", "S fund": the capital letter is not the article "a"
        return rf"(?=\p{{Lu}})(?i:{body})"
    return f"(?i:{body})"


_LINE = regex.compile(r"[^\n]+")
_WORD_START = regex.compile(r"(?<![\p{L}\p{N}])[\p{L}\p{N}]")
_SEPARATORS = regex.compile(r"[-\s]+")


def _key(text: str) -> str:
    """The first two letters of a form (or of the text at a word start), separators dropped, lower case."""
    return _SEPARATORS.sub("", text[:40]).lower()[:2]


def _alternation(forms: list[str]) -> regex.Pattern:
    """One pattern trying `forms` in order, each a whole word: group k+1 is forms[k]."""
    return regex.compile(
        r"(?<![\p{L}\p{N}])(?:" + "|".join(f"({_english_pattern(f)})" for f in forms) + r")(?![\p{L}\p{N}])")


class TermDetector:
    def __init__(self, terms: list[Term]):
        self.terms = terms
        en_forms: dict[str, tuple[int, bool]] = {}
        zh_forms: dict[str, tuple[int, bool]] = {}
        for idx, term in enumerate(terms):
            for form in [term.en, *term.aliases_en]:
                en_forms.setdefault(form, (idx, False))
            for form in term.variants_en:
                en_forms.setdefault(form, (idx, True))
            for form in [term.zh, *term.aliases_zh]:
                zh_forms.setdefault(form, (idx, False))
            for form in term.variants_zh:
                zh_forms.setdefault(form, (idx, True))
        ordered = sorted(en_forms, key=len, reverse=True)
        self._en_index = [en_forms[f] for f in ordered]
        self._en = _alternation(ordered)
        # The same alternation split by the first two letters of the forms (separators dropped, lower case):
        # at a word start only the forms that can begin there are tried, so matching is linear in the text.
        by_key: dict[str, list[int]] = {}
        for k, form in enumerate(ordered):
            by_key.setdefault(_key(form), []).append(k)
        self._en_by_key = None if any(len(key) < 2 for key in by_key) else {
            key: (_alternation([ordered[k] for k in ks]), ks) for key, ks in by_key.items()}
        self._zh = zh_forms
        self._zh_lengths = sorted({len(f) for f in zh_forms}, reverse=True)
        self._jieba = None
        self._tagger = None

    def words(self, text: str) -> list[tuple[str, int, int]]:
        """jieba words (word, start, end) of Chinese text, with every term form in the dictionary."""
        if self._jieba is None:
            self._jieba = jieba.Tokenizer()
            for form in self._zh:
                self._jieba.add_word(form)  # jieba's suggested frequency: enough to keep the form whole
        return list(self._jieba.tokenize(text, HMM=False))

    def tagged_words(self, text: str) -> list[tuple[str, str, int, int]]:
        """(word, part of speech, start, end) with the same dictionary as `words`."""
        if self._tagger is None:  # built once: it reads jieba's whole dictionary
            from jieba import posseg

            self.words("")
            self._tagger = posseg.POSTokenizer(self._jieba)
        out, pos = [], 0
        for pair in self._tagger.cut(text, HMM=False):
            out.append((pair.word, pair.flag, pos, pos + len(pair.word)))
            pos += len(pair.word)
        return out

    def find(self, text: str, lang: Lang) -> list[tuple[int, int, int]]:
        """(start, end, term index) of every occurrence, leftmost-longest, non-overlapping."""
        return [(start, end, idx) for start, end, idx, _ in self.find_forms(text, lang)]

    def find_forms(self, text: str, lang: Lang) -> list[tuple[int, int, int, bool]]:
        """Like `find`, with True where the text uses a discouraged variant of the term."""
        if profile(lang).word_spaces:  # forms matched as words: regex with plurals, hyphens and case rules
            return self._find_spaced(text)
        out = []
        for line in _LINE.finditer(text):  # no form holds a line break; memory stays per line
            out += self._find_segmented(line.group(), line.start())
        return out

    def _find_segmented(self, text: str, offset: int) -> list[tuple[int, int, int, bool]]:
        inside = bytearray(len(text))  # 1 inside a jieba word that is not a term form: no match starts there
        self.words("")
        for word, start, end in self._jieba.tokenize(text, HMM=False):
            if word not in self._zh and end - start > 1:
                inside[start + 1:end] = b"\x01" * (end - start - 1)
        out, i = [], 0
        while i < len(text):
            for size in self._zh_lengths if not inside[i] else ():
                hit = self._zh.get(text[i:i + size])
                if hit is not None:
                    out.append((offset + i, offset + i + size, *hit))
                    i += size
                    break
            else:
                i += 1
        return out

    def _find_spaced(self, text: str) -> list[tuple[int, int, int, bool]]:
        """Leftmost, non-overlapping matches of the forms, as `self._en.finditer` finds them, trying at each
        word start only the forms whose first two letters fit."""
        if self._en_by_key is None:  # a user's form shorter than two letters: the one big alternation
            return [(m.start(), m.end(), *self._en_index[m.lastindex - 1]) for m in self._en.finditer(text)]
        out, end = [], 0
        for start in _WORD_START.finditer(text):
            p = start.start()
            entry = self._en_by_key.get(_key(text[p:p + 40])) if p >= end else None
            if entry is None:
                continue
            hit = entry[0].match(text, p)
            if hit is not None:
                out.append((hit.start(), hit.end(), *self._en_index[entry[1][hit.lastindex - 1]]))
                end = hit.end()
        return out

    def missing_renderings(self, source: str, source_lang: Lang, translation: str, target_lang: Lang) -> list[str]:
        """Terms of `source` whose glossary form in the target language is absent from `translation`."""
        found = self.find(translation, target_lang)
        present = {idx for _, _, idx in found}
        out = []
        for idx in dict.fromkeys(idx for _, _, idx in self.find(source, source_lang)):
            if idx not in present:
                term = self.terms[idx]
                src, want = profile(source_lang).term_form(term), profile(target_lang).term_form(term)
                out.append(f"glossary term '{src}' is not rendered as '{want}'")
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
    return TermDetector(load_terms(Path(user_file) if user_file else None))
