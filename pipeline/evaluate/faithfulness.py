"""Faithfulness checks of one summary against its source: figures the source does not state, and glossary
terms written in a form the glossary does not recommend."""
from __future__ import annotations

from ..glossary.detect import TermDetector
from ..lang import detect_language
from .numbers import extract


def unsupported_numbers(summary: str, source: str) -> tuple[list[str], int]:
    """Figures of `summary` that no figure of `source` states (unit, scale and language aware), and how
    many figures the summary has."""
    stated = extract(source)
    figures = extract(summary)
    return [q.text for q in figures if not any(q.supported_by(s) for s in stated)], len(figures)


def inconsistent_terms(summary: str, detector: TermDetector) -> tuple[list[str], int]:
    """Glossary terms the summary writes in a discouraged variant ("reloans" for relending), as
    "surface -> glossary form", and how many term occurrences the summary has."""
    lang = detect_language(summary) if summary.strip() else "en"
    found = detector.find_forms(summary, lang)
    bad = []
    for start, end, idx, variant in found:
        if variant:
            term = detector.terms[idx]
            bad.append(f"{summary[start:end]} -> {term.en if lang == 'en' else term.zh}")
    return bad, len(found)
