"""Loading a model spec once per process through its runtime (pipeline/runtimes/), and the one code path of
the Hugging Face runtimes for a hub id, a local folder or a .gguf file, with clear errors."""
from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from .config import ModelSpec
from .errors import ModelLoadError

LOG = logging.getLogger("bisum")  # `bisum --verbose` shows its INFO lines: what loads, from where, how long


def describe(spec: ModelSpec) -> str:
    rev = f"@{spec.revision}" if spec.revision and not Path(spec.model).exists() else ""
    return f"{spec.model}{rev}"


def _offline(spec: ModelSpec) -> bool:
    return not spec.download or os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false")


def _hint(spec: ModelSpec) -> str:
    if Path(spec.model).exists():
        return "the folder must hold config.json, the weights and the tokenizer files (save_pretrained output)"
    folder = "set `model:` to a folder with the weights"
    if not spec.download:
        return f"{folder}, or `download: true` where the hub is reachable (or use --config offline)"
    if _offline(spec):
        return f"HF_HUB_OFFLINE is set, so nothing is downloaded: unset it on a machine that reaches the hub, or {folder}"
    return "check the model id and revision, and that this machine reaches the Hugging Face hub"


# Generation settings of a model that guard correctness, not speed: kept when the model's defaults are dropped.
# opus-mt bans its <pad> token with bad_words_ids; BART and NLLB force their first / last tokens.
GUARDS = ("bad_words_ids", "suppress_tokens", "begin_suppress_tokens")


def guards(settings: dict) -> dict:
    """The model's special token ids (decoder start, forced BOS/EOS, pad, ...) and bans, nothing else."""
    return {k: v for k, v in settings.items() if v is not None and (k.endswith("token_id") or k in GUARDS)}


_THREADS: int | None = None


def set_threads(threads: int | None) -> int:
    """Intra-op threads for model work in this process (None: keep the setting, default one per core). Applied
    now if torch is loaded, else when a model loads. Returns the count torch will use, for provenance."""
    global _THREADS
    _THREADS = threads or _THREADS
    torch = sys.modules.get("torch")
    if torch is None:
        return _THREADS or available_cores()
    if _THREADS and torch.get_num_threads() != _THREADS:
        torch.set_num_threads(_THREADS)
    return torch.get_num_threads()


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity, e.g. a container's share), else the CPU count."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def runtime_details(spec: ModelSpec, model) -> dict:
    """How a loaded model runs, for provenance (runtime, device, precision, threads): its runtime says."""
    from .runtimes import runtime

    return runtime(spec.runtime).details(spec, model)


def load_model(spec: ModelSpec, kind: str = "seq2seq"):
    """Return (tokenizer, model) for an encoder-decoder ("seq2seq") or decoder-only ("causal") model, on the
    device and dtype of the spec. Loaded once per process and spec; a failure is raised again without retrying.
    The model's own generation defaults that change speed or output length (beams, length penalty, ...) are
    dropped, so those settings come from the config only; its special token ids and bans (`GUARDS`) stay."""
    key = f"{kind}:{spec.model_dump_json()}"
    if key not in _LOADED:
        from .runtimes import runtime

        start = time.perf_counter()
        try:
            _LOADED[key] = runtime(spec.runtime).load(spec, kind)
            LOG.info("loaded %s model %s (runtime %s, device %s) in %.2f s", kind, describe(spec), spec.runtime,
                     spec.device, time.perf_counter() - start)
        except ModelLoadError as exc:
            _LOADED[key] = exc
            LOG.info("could not load %s model %s: %s", kind, describe(spec), exc.message)
    if isinstance(_LOADED[key], ModelLoadError):
        # a new exception each time: re-raising the cached one would chain every caller's frames onto it
        raise ModelLoadError(_LOADED[key].message) from None
    return _LOADED[key]


_LOADED: dict[str, object] = {}


def quiet_hub() -> None:
    """The hub client logs every retry of an unreachable hub as a warning; the one-line error says it all."""
    import huggingface_hub

    huggingface_hub.utils.logging.set_verbosity_error()


def _in_local_cache(spec: ModelSpec) -> bool:
    """Whether the hub cache holds the model's config.json at the spec's revision."""
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(spec.model, "config.json", revision=spec.revision)
    except ValueError:  # not a valid repo id: the loader will say so
        return True
    return isinstance(found, str)


def _pickle_only(model: str) -> bool:
    folder = Path(model)
    return folder.is_dir() and not any(folder.glob("*.safetensors")) and any(folder.glob("*.bin"))


def _failure(spec: ModelSpec, where: str, exc: Exception) -> ModelLoadError:
    if where == "local Hugging Face cache":
        cause = "it is not there"
    elif not spec.allow_pickle and _pickle_only(spec.model):
        cause = ("the folder has only pickled weights (.bin), which can run code when loaded; convert them to "
                 "safetensors, or set `allow_pickle: true` in the model spec if you trust this model")
    else:
        cause = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160].rstrip(".")
    return ModelLoadError(f"cannot load model '{describe(spec)}' from the {where}: {cause}. How to fix: {_hint(spec)}")


def gguf_file(model: str) -> Path | None:
    """The GGUF file a spec's `model:` names directly (a path ending in .gguf), else None."""
    return Path(model).expanduser() if model.lower().endswith(".gguf") else None


def hf_missing(spec: ModelSpec) -> str | None:
    """Why a Hugging Face model cannot load, found without importing torch or transformers (no such folder; not in
    the local cache with downloads off), else None."""
    single = gguf_file(spec.model)
    local = Path(spec.model).expanduser()
    if (spec.model.startswith(("/", "./", "../", "~")) or single) and not local.exists():
        return (f"cannot load model '{spec.model}': there is no such {'file' if single else 'folder'}. How to fix: "
                "set `model:` to a folder holding the model (save_pretrained output), a .gguf file or a hub id")
    if _offline(spec) and not local.exists() and not _in_local_cache(spec):
        return (f"cannot load model '{describe(spec)}' from the local Hugging Face cache: it is not there. "
                f"How to fix: {_hint(spec)}")
    return None


def load_hf(spec: ModelSpec, kind: str, device: str, build) -> tuple[object, object]:
    """(tokenizer, model) of a Hugging Face model through one code path for the transformers and CTranslate2
    runtimes: the same checks of the source, the same tokenizer; `build(spec, kind, source, kwargs, device)`
    makes the runtime's model. A `.gguf` file is read by transformers' own GGUF loader."""
    why = hf_missing(spec)
    if why:
        raise ModelLoadError(why)
    single, local = gguf_file(spec.model), Path(spec.model).expanduser()
    from transformers import AutoTokenizer

    kwargs = {"revision": spec.revision, "local_files_only": _offline(spec)}
    source = spec.model
    if local.exists():
        kwargs = {"local_files_only": True}
        source = str(local.parent if single else local)
        if single:
            kwargs["gguf_file"] = local.name
    # Code shipped with a model runs only with the explicit opt-in; weights load from safetensors unless
    # pickled weights are allowed explicitly (torch.load of a .bin file can run code).
    kwargs["trust_remote_code"] = spec.trust_remote_code
    where = "local folder" if local.exists() else (
        "local Hugging Face cache" if kwargs["local_files_only"] else "Hugging Face hub")
    try:
        quiet_hub()
        tokenizer = AutoTokenizer.from_pretrained(source, **kwargs)
        model = build(spec, kind, source, kwargs, device)
    except (OSError, ValueError, KeyError) as exc:
        raise _failure(spec, where, exc) from exc
    if kind == "causal":
        tokenizer.padding_side = "left"
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
    return tokenizer, model
