"""Glossary stage: finds the financial terms of the term base in English or Chinese text."""
from __future__ import annotations

from .detect import TermDetector, load_terms
from .terms import Term

__all__ = ["Term", "TermDetector", "load_terms"]
