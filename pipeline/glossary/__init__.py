"""Glossary stage: finds the financial terms of the term base in English or Chinese text."""
from __future__ import annotations

from ..schema import Provenance
from .detect import TermDetector, load_terms
from .terms import Term


def provenance(user_terms: str | None, enabled: bool) -> Provenance:
    """Where the glossary field came from: the shipped term base, plus the user's file if any."""
    return Provenance(backend="term-base", model="bisum-terms", details={"user_terms": user_terms, "enabled": enabled})


__all__ = ["Term", "TermDetector", "load_terms", "provenance"]
