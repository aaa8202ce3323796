"""Glossary consistency of a summary: terms written in a form the glossary does not recommend. (Figures the
source does not state are checked by `pipeline.figures.unsupported`.)"""
from __future__ import annotations

from ..glossary.detect import TermDetector
from ..lang import detect_language


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
