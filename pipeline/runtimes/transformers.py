"""The transformers runtime (`runtime: transformers`, the default): the model runs with PyTorch in the spec's
dtype on its device, optionally with dynamic int8 linear layers on a CPU. A `.gguf` file is read by
transformers' own GGUF loader (slow: ~66 s to load the offline model here and ~2 tokens/s; `runtime: llama-cpp`
is the fast path for GGUF)."""
from __future__ import annotations

from ..config import ModelSpec
from ..errors import ModelLoadError
from ..models import describe, guards, hf_missing, load_hf, set_threads


class TransformersRuntime:
    name = "transformers"

    def check(self, spec: ModelSpec) -> None:
        if spec.compute_type not in (None, "int8"):
            raise ValueError(f"compute_type '{spec.compute_type}' needs `runtime: ctranslate2` (the transformers "
                             "runtime takes `int8`, or a `dtype`)")

    def missing(self, spec: ModelSpec) -> str | None:
        return hf_missing(spec)

    def load(self, spec: ModelSpec, kind: str):
        return load_hf(spec, kind, _device(spec), _torch_model)

    def generate_ids(self, tokenizer, model, kind: str, texts: list[str], spec: ModelSpec) -> list[list[int]]:
        import torch

        enc = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=kind != "causal")
        enc = {k: v.to(model.device) for k, v in enc.items()}
        extra = {"cache": beam_cache()} if kind != "causal" and spec.generation.get("num_beams", 1) > 1 else {}
        with torch.inference_mode():
            ids = model.generate(**enc, **spec.generation, **extra)
        if kind == "causal":
            ids = ids[:, enc["input_ids"].shape[1]:]
        return ids.tolist()

    def details(self, spec: ModelSpec, model) -> dict:
        precision = {"compute_type": "int8"} if spec.compute_type == "int8" else {
            "dtype": str(model.dtype).split(".")[-1]}
        return {"runtime": self.name, "device": str(model.device), **precision, "threads": set_threads(None)}


RUNTIME = TransformersRuntime()


def _device(spec: ModelSpec) -> str:
    """The spec's device; `auto` is cuda when torch sees a GPU, else cpu."""
    if spec.device != "auto":
        return spec.device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _dtype(spec: ModelSpec, device: str):
    import torch

    if spec.dtype != "auto":
        return getattr(torch, spec.dtype)
    if device.startswith("cuda"):
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float32


def _torch_model(spec: ModelSpec, kind: str, source: str, kwargs: dict, device: str):
    from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM, GenerationConfig

    auto = AutoModelForCausalLM if kind == "causal" else AutoModelForSeq2SeqLM
    model = auto.from_pretrained(source, dtype=_dtype(spec, device),
                                 use_safetensors=None if spec.allow_pickle or "gguf_file" in kwargs else True,
                                 **kwargs)
    model.generation_config = GenerationConfig(**guards(model.generation_config.to_dict()))
    set_threads(None)
    try:
        model.to(device)
    except (RuntimeError, AssertionError) as exc:  # e.g. cuda asked for on a machine without it
        cause = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        raise ModelLoadError(f"cannot put model '{describe(spec)}' on device '{device}': {cause}. "
                             "How to fix: set `device: cpu` (or a device this machine has)") from exc
    model.eval()
    if spec.compute_type == "int8":
        if device != "cpu":
            raise ModelLoadError(f"cannot run model '{describe(spec)}' with compute_type int8 on '{device}': dynamic "
                                 "int8 is for CPUs. How to fix: remove compute_type, or use `runtime: ctranslate2`")
        model = _dynamic_int8(model)
    return model


def _dynamic_int8(model):
    """Linear layers with int8 weights, activations quantized on the fly (PyTorch's eager dynamic
    quantization: deprecated in favour of torchao, still shipped with the pinned torch)."""
    import warnings

    import torch
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (DeprecationWarning, UserWarning, FutureWarning))
        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def beam_cache():
    """An encoder-decoder cache whose beam search reorders only the decoder's own keys and values. transformers
    also reorders the cross-attention cache every step, although the beams of one input share it: copying
    batch x beams x input tokens of keys and values per layer per step (half the time of a beam search over
    long articles in a profile here, and memory that grows with the batch). The output is the same."""
    from transformers.cache_utils import DynamicCache, EncoderDecoderCache

    class BeamCache(EncoderDecoderCache):
        def reorder_cache(self, beam_idx):
            self.self_attention_cache.reorder_cache(beam_idx)

    return BeamCache(DynamicCache(), DynamicCache())
