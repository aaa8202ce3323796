"""Model runtimes: what runs a model spec's weights. Each runtime is one module with one object in RUNTIMES
(`runtime:` in a model spec names it) that has the same five hooks:

- `check(spec)`: refuse, when the config is read, settings this runtime cannot honour (raise ValueError);
- `load(spec, kind)`: (tokenizer, model) for a "seq2seq" or "causal" model, or raise ModelLoadError;
- `generate_ids(tokenizer, model, kind, texts, spec)`: the new token ids of each input of one batch;
- `details(spec, model)`: how the loaded model runs, for provenance;
- `missing(spec)`: why the model cannot load, found without loading it (no such file, not installed, not in the
  cache with downloads off), else None: said once before a run.

The tokenizer of every runtime answers `tokenizer(text)["input_ids"]`, `apply_chat_template(...)`,
`batch_decode(ids)` and `model_max_length`, so prompts, chunking and decoding (pipeline/generate.py) are
shared. Adding a runtime is one module here plus its entry below (and its name in ModelSpec.runtime)."""
from __future__ import annotations

from typing import Protocol

from ..config import ModelSpec


class Runtime(Protocol):
    name: str

    def check(self, spec: ModelSpec) -> None: ...

    def load(self, spec: ModelSpec, kind: str) -> tuple[object, object]: ...

    def generate_ids(self, tokenizer, model, kind: str, texts: list[str], spec: ModelSpec) -> list[list[int]]: ...

    def details(self, spec: ModelSpec, model) -> dict: ...

    def missing(self, spec: ModelSpec) -> str | None: ...


def runtime(name: str) -> Runtime:
    """The runtime registered as `name` (imported when first asked for, so that reading a config or importing
    the package loads no model library)."""
    from . import ctranslate2, llama_cpp, transformers

    registry = {"transformers": transformers.RUNTIME, "ctranslate2": ctranslate2.RUNTIME,
                "llama-cpp": llama_cpp.RUNTIME}
    return registry[name]


RUNTIMES = ("transformers", "ctranslate2", "llama-cpp")
