"""One code path to load Hugging Face models from a hub id or a local folder, with clear errors."""
from __future__ import annotations

import os
from pathlib import Path

from .config import ModelSpec
from .errors import ModelLoadError


def describe(spec: ModelSpec) -> str:
    rev = f"@{spec.revision}" if spec.revision and not Path(spec.model).exists() else ""
    return f"{spec.model}{rev}"


def _offline(spec: ModelSpec) -> bool:
    return not spec.download or os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false")


def _hint(spec: ModelSpec) -> str:
    if Path(spec.model).exists():
        return "the folder must hold config.json, the weights and the tokenizer files (save_pretrained output)"
    if _offline(spec):
        return ("downloads are off (download: false or HF_HUB_OFFLINE=1): set `model:` to a local folder with "
                "the weights, or run once with `download: true` on a machine that reaches the Hugging Face hub "
                "(e.g. --config hf-small)")
    return "check the model id and revision, and that this machine reaches the Hugging Face hub"


def load_seq2seq(spec: ModelSpec):
    """Return (tokenizer, model) for an encoder-decoder model, on the device and dtype of the spec.
    Loaded once per process and spec; a failure is raised again without retrying."""
    key = spec.model_dump_json()
    if key not in _LOADED:
        try:
            _LOADED[key] = _load_seq2seq(spec)
        except ModelLoadError as exc:
            _LOADED[key] = exc
    if isinstance(_LOADED[key], ModelLoadError):
        raise _LOADED[key]
    return _LOADED[key]


_LOADED: dict[str, object] = {}


def _load_seq2seq(spec: ModelSpec):
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    kwargs = {"revision": spec.revision, "local_files_only": _offline(spec)}
    if Path(spec.model).exists():
        kwargs = {"local_files_only": True}
    where = "local folder" if Path(spec.model).exists() else (
        "local Hugging Face cache" if kwargs["local_files_only"] else "Hugging Face hub")
    try:
        tokenizer = AutoTokenizer.from_pretrained(spec.model, **kwargs)
        model = AutoModelForSeq2SeqLM.from_pretrained(spec.model, dtype=getattr(torch, spec.dtype), **kwargs)
    except (OSError, ValueError, KeyError) as exc:
        if where == "local Hugging Face cache":
            cause = "it is not there"
        else:
            cause = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160].rstrip(".")
        raise ModelLoadError(
            f"cannot load model '{describe(spec)}' from the {where}: {cause}. How to fix: {_hint(spec)}"
        ) from exc
    model.to(spec.device)
    model.eval()
    return tokenizer, model
