"""`transformers.pipeline("bilingual-summarization")`: the whole bisum pipeline as a Hugging Face pipeline.

transformers 5.x has no summarization task, so importing this module registers one (`import
pipeline.hf_pipeline`; `import pipeline` alone stays free of torch and transformers). Inputs are article strings or dicts
({"id", "text", "title"}); outputs are the same result dicts the CLI prints. Choose a bisum YAML config with
`pipeline("bilingual-summarization", bisum_config="hf-small")` (a name in configs/, or a path). Importing this module
also makes `transformers.pipeline` refuse `model=` for this task at once (see `_refusing_models`); a `pipeline`
imported from transformers before this module keeps its hub lookup.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Sized
from pathlib import Path

import torch
import transformers
from torch.utils.data import DataLoader
from transformers import Pipeline
from transformers.pipelines import PIPELINE_REGISTRY
from transformers.pipelines.pt_utils import PipelineDataset, PipelineIterator

from .config import load_config
from .core import BilingualSummarizer
from .errors import BisumError, InputError
from .gate import safe_id
from .io import stable_id
from .schema import Article, ErrorInfo, ErrorRecord

TASK = "bilingual-summarization"


class BisumModel(torch.nn.Module):
    """Wraps the BilingualSummarizer so that the pipeline machinery (device, batching) can hold it as a model."""

    def __init__(self, summarizer: BilingualSummarizer):
        super().__init__()
        self.summarizer = summarizer

    @property
    def device(self) -> torch.device:
        return torch.device("cpu")

    def can_generate(self) -> bool:
        return False


class EmbeddedDefault(os.PathLike):
    """The task's default "model": the embedded default config. transformers checks a default model with
    `os.path.exists`, so this is path-like and points at the package folder."""

    def __fspath__(self) -> str:
        return str(Path(__file__).parent)

    def __repr__(self) -> str:
        return "bisum embedded default (configs/default.yaml)"


class BilingualSummarizationPipeline(Pipeline):
    """Call-time parameters are the summary budget (`max_sentences`, `ratio`, `max_words`, `max_chars`); any
    other parameter is an error. A bad article in a list gives an error record `{id, error: {code, message}}`
    in its place (as `bisum batch` does); the other articles' results are returned as usual."""

    _load_tokenizer = False
    _load_feature_extractor = False
    _load_image_processor = False
    _load_processor = False
    BUDGET = ("max_sentences", "ratio", "max_words", "max_chars")
    CALL_SETTINGS = ("batch_size", "num_workers")  # taken by Pipeline.__call__ itself

    def __init__(self, model=None, *args, bisum_config: str | None = None, **kwargs):
        if isinstance(model, BisumModel):
            pass
        elif isinstance(model, BilingualSummarizer):
            model = BisumModel(model)
        elif model is None or isinstance(model, EmbeddedDefault):
            model = BisumModel(BilingualSummarizer(bisum_config))
        else:
            raise TypeError(f"{TASK} takes no Hugging Face model; pass bisum_config=<yaml> (got {model!r})")
        kwargs.setdefault("device", -1)
        self._summarizers: dict[str, BilingualSummarizer] = {}
        super().__init__(model, *args, **kwargs)

    def _sanitize_parameters(self, **kwargs):
        unknown = sorted(set(kwargs) - set(self.BUDGET))
        if unknown:
            raise TypeError(f"{TASK}: unknown parameter(s) {', '.join(unknown)}; call-time parameters are the "
                            f"summary budget: {', '.join(self.BUDGET)} (other settings go in bisum_config)")
        return {}, {"budget": kwargs} if kwargs else {}, {}

    def __call__(self, inputs, *args, **kwargs):
        if hasattr(inputs, "column_names") and hasattr(inputs, "features"):  # a datasets.Dataset: its rows
            inputs = list(inputs)
        if isinstance(inputs, (list, tuple)) and not inputs:  # the base class fails on nothing to iterate
            self._sanitize_parameters(**{k: v for k, v in kwargs.items() if k not in self.CALL_SETTINGS})
            return []
        return super().__call__(inputs, *args, **kwargs)

    def preprocess(self, inputs, **_):
        """An Article, or the InputError that says why this input is not one (it becomes an error record)."""
        if isinstance(inputs, Article):
            return {"articles": [inputs]}
        if isinstance(inputs, str):
            return {"articles": [Article(id=stable_id(inputs), text=inputs)]}
        if isinstance(inputs, dict):
            text = inputs.get("text")
            rid = safe_id(inputs.get("id")) or (stable_id(text) if isinstance(text, str) else "<no id>")
            if not isinstance(text, str):
                got = "nothing" if text is None else type(text).__name__
                return {"articles": [InputError(f"'text' is {got}, not a string", record=rid,
                                                code="missing_text" if text is None else "bad_text_type")]}
            title = inputs.get("title")
            return {"articles": [Article(id=rid, text=text, title=title if isinstance(title, str) else None)]}
        return {"articles": [InputError(f"an article is a string or a dict with 'text', not {type(inputs).__name__}",
                                        record="<no id>", code="bad_text_type")]}

    def _forward(self, model_inputs, budget: dict | None = None):
        items = model_inputs["articles"]
        summarizer = self._summarizer(budget)
        outcomes = iter(summarizer.run_many([a for a in items if isinstance(a, Article)]))
        return {"results": [next(outcomes) if isinstance(a, Article) else a for a in items]}

    def _summarizer(self, budget: dict | None) -> BilingualSummarizer:
        """The pipeline's summarizer, or one whose config has the call's budget merged in (built once per budget;
        models load once per process whatever the summarizer). A bad value is a ConfigError naming it."""
        base = self.model.summarizer
        if not budget:
            return base
        key = repr(sorted(budget.items()))
        if key not in self._summarizers:
            self._summarizers[key] = BilingualSummarizer(load_config(base.config, overrides={"summarize": budget}))
        return self._summarizers[key]

    def postprocess(self, model_outputs, **_):
        results = model_outputs["results"]
        result = results[0] if isinstance(results, list) else results
        if isinstance(result, BisumError):
            return ErrorRecord(id=result.record or "<no id>",
                               error=ErrorInfo(code=result.code, message=str(result))).model_dump()
        return result.to_dict()

    def get_iterator(self, inputs, num_workers, batch_size, preprocess_params, forward_params, postprocess_params):
        """As the base class, but batches are lists of articles (nothing to pad): one `run_many` per batch."""
        if isinstance(inputs, Sized):
            dataset = PipelineDataset(inputs, self.preprocess, preprocess_params)
        else:  # a generator: streamed, one worker
            dataset, num_workers = PipelineIterator(inputs, self.preprocess, preprocess_params), 0
        loader = DataLoader(dataset, num_workers=num_workers, batch_size=batch_size, collate_fn=_concat)
        model_iterator = PipelineIterator(loader, self.forward, forward_params, loader_batch_size=batch_size)
        return PipelineIterator(model_iterator, self.postprocess, postprocess_params)


def _concat(items: list[dict]) -> dict:
    return {"articles": [a for item in items for a in item["articles"]]}


def register() -> None:
    PIPELINE_REGISTRY.register_pipeline(
        TASK, pipeline_class=BilingualSummarizationPipeline, pt_model=(), default={"model": (EmbeddedDefault(), None)},
        type="text",
    )
    transformers.pipeline = transformers.pipelines.pipeline = _refusing_models(transformers.pipelines.pipeline)


def _refusing_models(factory):
    """`transformers.pipeline`, except that this task with a `model=` (a hub id or a path) is refused at once:
    transformers would resolve it on the hub before the task is asked (offline: ~20 s of retries, then OSError).
    Every other task, and this one without `model=`, goes to transformers unchanged."""
    if getattr(factory, "_bisum", False):
        return factory

    @functools.wraps(factory)
    def pipeline(task=None, model=None, *args, **kwargs):
        if task == TASK and isinstance(model, (str, os.PathLike)) and not isinstance(model, EmbeddedDefault):
            raise TypeError(f"{TASK} takes no Hugging Face model (got model={str(model)!r}): its models come from "
                            "bisum_config=<config name or YAML path>, e.g. bisum_config='hf-small'")
        return factory(task, model, *args, **kwargs)

    pipeline._bisum = True
    return pipeline


register()
