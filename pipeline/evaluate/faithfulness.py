"""Glossary consistency of a summary: terms written in a form the glossary does not recommend. (Figures the
source does not state are checked by `pipeline.figures.unsupported`.)"""
from __future__ import annotations

from ..glossary.detect import TermDetector
from ..lang import profile
from ..schema import Lang


def inconsistent_terms(summary: str, detector: TermDetector, lang: Lang) -> tuple[list[str], int]:
    """Glossary terms the summary (in `lang`, the evaluation's language) writes in a discouraged variant
    ("reloans" for relending), as "surface -> glossary form", and how many term occurrences it has."""
    found = detector.find_forms(summary, lang)
    bad = []
    for start, end, idx, variant in found:
        if variant:
            term = detector.terms[idx]
            bad.append(f"{summary[start:end]} -> {profile(lang).term_form(term)}")
    return bad, len(found)
