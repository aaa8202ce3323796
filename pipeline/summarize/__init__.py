"""Summarize stage: picks the backend named in the config."""
from __future__ import annotations

from ..config import SummarizeConfig
from .extractive import ExtractiveSummarizer


def build_summarizer(config: SummarizeConfig) -> ExtractiveSummarizer:
    if config.backend == "extractive":
        return ExtractiveSummarizer(config)
    raise ValueError(f"unknown summarize backend {config.backend!r}")  # pragma: no cover - config validates


__all__ = ["ExtractiveSummarizer", "build_summarizer"]
