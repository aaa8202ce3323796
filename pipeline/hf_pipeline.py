"""`transformers.pipeline("bilingual-summarization")`: the whole bisum pipeline as a Hugging Face pipeline.

transformers 5.x has no summarization task, so this registers one. Inputs are article strings or dicts
({"id", "text", "title"}); outputs are the same result dicts the CLI prints. Choose a bisum YAML config with
`pipeline("bilingual-summarization", bisum_config="configs/hf-small.yaml")`.
"""
from __future__ import annotations

import os
from pathlib import Path

import torch
from torch.utils.data import DataLoader
from transformers import Pipeline
from transformers.pipelines import PIPELINE_REGISTRY
from transformers.pipelines.pt_utils import PipelineDataset, PipelineIterator

from .core import BilingualSummarizer
from .io import stable_id
from .schema import Article

TASK = "bilingual-summarization"


class BisumModel(torch.nn.Module):
    """Wraps the stage runner so that the pipeline machinery (device, batching) can hold it as a model."""

    def __init__(self, runner: BilingualSummarizer):
        super().__init__()
        self.runner = runner

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
    _load_tokenizer = False
    _load_feature_extractor = False
    _load_image_processor = False
    _load_processor = False

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
        super().__init__(model, *args, **kwargs)

    def _sanitize_parameters(self, **kwargs):
        return {}, {}, {}

    def preprocess(self, inputs, **_):
        if isinstance(inputs, Article):
            article = inputs
        elif isinstance(inputs, str):
            article = Article(id=stable_id(inputs), text=inputs)
        elif isinstance(inputs, dict):
            text = inputs.get("text")
            if not isinstance(text, str):
                raise TypeError(f"article {inputs.get('id')!r}: 'text' must be a string")
            article = Article(id=str(inputs.get("id") or stable_id(text)), text=text, title=inputs.get("title"))
        else:
            raise TypeError(f"expected an article string or dict, got {type(inputs).__name__}")
        return {"articles": [article]}

    def _forward(self, model_inputs, **_):
        return {"results": self.model.runner.run_batch(model_inputs["articles"])}

    def postprocess(self, model_outputs, **_):
        results = model_outputs["results"]
        result = results[0] if isinstance(results, list) else results
        return result.to_dict()

    def get_iterator(self, inputs, num_workers, batch_size, preprocess_params, forward_params, postprocess_params):
        """As the base class, but batches are lists of articles (nothing to pad): one `run_batch` per batch."""
        dataset = PipelineDataset(inputs, self.preprocess, preprocess_params)
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
