"""Translate stage: turns a summary into the other language with the backend named in the config."""
from __future__ import annotations

from ..config import ModelSpec, TranslateConfig
from ..glossary.detect import TermDetector
from .model import ModelTranslator


def build_translator(config: TranslateConfig, direction: str,
                     detector: TermDetector | None = None) -> ModelTranslator | None:
    """The translator for 'en_zh' or 'zh_en', or None when the config has none for that direction."""
    spec: ModelSpec | None = getattr(config, direction)
    if config.backend == "none" or spec is None:
        return None
    source, target = direction.split("_")
    return ModelTranslator(spec, config.backend, source, target, detector, protect=config.protect)


__all__ = ["ModelTranslator", "build_translator"]
