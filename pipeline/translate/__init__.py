"""Translate stage: turns a summary into the other language with the backend named in the config."""
from __future__ import annotations

from ..config import ModelSpec, TranslateConfig
from .seq2seq import Seq2SeqTranslator


def build_translator(config: TranslateConfig, direction: str) -> Seq2SeqTranslator | None:
    """The translator for 'en_zh' or 'zh_en', or None when the config has none for that direction."""
    spec: ModelSpec | None = getattr(config, direction)
    if config.backend == "none" or spec is None:
        return None
    return Seq2SeqTranslator(spec, target=direction.split("_")[1])


__all__ = ["Seq2SeqTranslator", "build_translator"]
