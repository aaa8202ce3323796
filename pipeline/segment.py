"""Sentence segmentation: each line split by its language profile's rules (English: abbreviations, decimals
and amounts, glued sentences, quotes; Chinese: 。！？；, ellipses and English sentence ends). Returns character
spans, so every later stage can point back into the text it was given."""
from __future__ import annotations

import regex

from .lang import profile
from .schema import Sentence


def split_sentences(text: str, lang: str) -> list[Sentence]:
    """Split `text` into sentences. Newlines always end a sentence (news paragraphs, bullets, headings)."""
    split_line = profile(lang).split_line
    spans: list[tuple[int, int]] = []
    for line in regex.finditer(r"[^\n]+", text):
        for start, end in split_line(line.group(), line.start()):
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
