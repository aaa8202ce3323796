"""bisum: bilingual (English + Chinese) summarizer for machine-translated financial news.

    from pipeline import summarize
    result = summarize("article text ...")          # Result: cleaned_text, edits, summary_en, summary_zh, ...

Scores against references: `pipeline.evaluate(predictions, references)`. Through Hugging Face:
`import pipeline.hf_pipeline` registers the task, then `transformers.pipeline("bilingual-summarization")`.
`import pipeline` itself loads neither torch nor transformers (model backends import them when used).
"""
from __future__ import annotations

from .config import Config, load_config
from .core import BilingualSummarizer
from .errors import BisumError, InputError
from .evaluate import evaluate
from .schema import Article, Result

__version__ = "0.1.0"


def summarize(text: str, *, id: str = "doc-1", title: str | None = None, config: str | Config | None = None) -> Result:
    """Summarize one article with the given config (default: the embedded default). A text the input gate
    refuses raises an InputError with its code (see README, "Errors, exit codes and the input gate")."""
    if not isinstance(text, str) or not isinstance(id, str) or not isinstance(title, (str, type(None))):
        raise InputError("text, id and title must be strings", record=str(id), code="bad_text_type")
    return BilingualSummarizer(config).run(Article(id=id, text=text, title=title))


__all__ = ["Article", "BilingualSummarizer", "BisumError", "Config", "Result", "evaluate", "load_config", "summarize"]
