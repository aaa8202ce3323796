"""The CTranslate2 runtime (`runtime: ctranslate2` in a model spec; the `bisum[fast]` extra): the same
Hugging Face model, converted once into a cache folder and run by CTranslate2 (int8 on CPU, float16 / int8 on
GPU). Tokenizing, chunking, placeholders, checks and provenance stay with the callers, shared with the
transformers runtime; this module converts, loads, and decodes a batch with the spec's generation settings.

The cache: one folder per (model, revision or local weights' size and time, quantization, CTranslate2
version), written under a temporary name and renamed when complete, with a manifest. A folder without a valid
manifest (a conversion that was killed) or that CTranslate2 cannot load is converted again, once."""
from __future__ import annotations

import gc
import hashlib
import importlib.util
import json
import os
import shutil
from pathlib import Path

from ..config import ModelSpec
from ..errors import ModelLoadError
from ..models import describe, guards, hf_missing, load_hf, set_threads

INSTALL = "pip install 'bisum[fast]' (or pip install 'ctranslate2>=4.6,<5')"
CACHE = Path(os.environ.get("BISUM_CT2_CACHE", Path.home() / ".cache" / "bisum" / "ctranslate2"))
MANIFEST = "bisum-conversion.json"

# HF generation setting -> CTranslate2 option; `early_stopping` and `use_cache` have no effect there (its beam
# search stops when the best beams are finished, and it always caches). Other settings are refused when the
# config is read.
OPTIONS = {"num_beams": "beam_size", "length_penalty": "length_penalty", "repetition_penalty": "repetition_penalty",
           "no_repeat_ngram_size": "no_repeat_ngram_size", "temperature": "sampling_temperature",
           "top_k": "sampling_topk", "top_p": "sampling_topp"}
NO_EFFECT = {"early_stopping", "use_cache", "do_sample", "max_new_tokens", "min_new_tokens", "max_length",
             "min_length", "bad_words_ids", "suppress_tokens", "forced_bos_token_id", "forced_eos_token_id"}


class CTranslate2Runtime:
    name = "ctranslate2"

    def check(self, spec: ModelSpec) -> None:
        if importlib.util.find_spec("ctranslate2") is None:
            raise ValueError(f"`runtime: ctranslate2` needs the ctranslate2 package, which is not installed. "
                             f"How to fix: {INSTALL}, or set `runtime: transformers`")
        unknown = sorted(set(spec.generation) - set(OPTIONS) - NO_EFFECT)
        if unknown:
            raise ValueError(f"generation setting(s) {', '.join(unknown)} have no CTranslate2 equivalent: "
                             "remove them, or use `runtime: transformers` for this model")

    def missing(self, spec: ModelSpec) -> str | None:
        return hf_missing(spec)

    def load(self, spec: ModelSpec, kind: str):
        return load_hf(spec, kind, _device(spec), _build)

    def generate_ids(self, tokenizer, model, kind: str, texts: list[str], spec: ModelSpec) -> list[list[int]]:
        ids = [tokenizer(t, add_special_tokens=kind != "causal", verbose=False)["input_ids"] for t in texts]
        return model.generate_ids(tokenizer, ids, spec.generation, model.guards)

    def details(self, spec: ModelSpec, model) -> dict:
        return {"runtime": self.name, "device": model.device, "compute_type": model.compute_type,
                "threads": model.threads, "converted": str(model.folder)}


RUNTIME = CTranslate2Runtime()


def _device(spec: ModelSpec) -> str:
    """The spec's device; `auto` is cuda when CTranslate2 sees a GPU, else cpu."""
    if spec.device != "auto":
        return spec.device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def _build(spec: ModelSpec, kind: str, source: str, kwargs: dict, device: str) -> "CT2Model":
    """The converted model of a local folder or the hub cache's snapshot, with the source's guards."""
    from huggingface_hub import snapshot_download
    from transformers import AutoConfig, GenerationConfig

    from ..models import _offline, _pickle_only

    if not spec.allow_pickle and _pickle_only(source):
        raise OSError("pickled weights only")
    config = AutoConfig.from_pretrained(source, **kwargs)
    if not Path(source).is_dir():
        source = snapshot_download(spec.model, revision=spec.revision, local_files_only=_offline(spec))
    try:
        settings = GenerationConfig.from_pretrained(source).to_dict()
    except OSError:  # no generation_config.json: the model config's settings
        settings = GenerationConfig.from_model_config(config).to_dict()
    model = CT2Model(spec, kind, source, config, device, set_threads(None), describe(spec))
    model.guards = guards(settings)
    return model


def compute_type(spec: ModelSpec, device: str) -> str:
    """The spec's compute type, else int8 on CPU and int8_float16 on GPU."""
    return spec.compute_type or ("int8" if device == "cpu" else "int8_float16")


def _fingerprint(spec: ModelSpec, source: str, quantization: str) -> str:
    """What the converted folder depends on: a local folder's weight files (size and time, so a changed model is
    converted again), or the hub id at its revision; the quantization and the CTranslate2 version."""
    import ctranslate2

    if Path(spec.model).is_dir():
        files = sorted(p for p in Path(spec.model).iterdir() if p.is_file())
        origin = [str(Path(spec.model).resolve())] + [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                                                      for p in files]
    else:
        origin = [spec.model, spec.revision or "main", source]
    return json.dumps({"origin": origin, "quantization": quantization, "ctranslate2": ctranslate2.__version__})


def cache_folder(spec: ModelSpec, source: str, quantization: str) -> tuple[Path, str]:
    fingerprint = _fingerprint(spec, source, quantization)
    name = Path(spec.model.rstrip("/")).name or "model"
    digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
    return Path(spec.cache_dir or CACHE) / f"{name}-{quantization}-{digest}", fingerprint


def _complete(folder: Path, fingerprint: str) -> bool:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return manifest["fingerprint"] == fingerprint and (folder / "model.bin").stat().st_size == manifest["bytes"]
    except (OSError, ValueError, KeyError, TypeError):
        return False


def convert(spec: ModelSpec, source: str, quantization: str, describe: str) -> Path:
    """The converted folder for `spec`: reused when complete, else converted from `source` (a local folder or
    the hub cache snapshot) into a temporary folder that is renamed when done."""
    folder, fingerprint = cache_folder(spec, source, quantization)
    if _complete(folder, fingerprint):
        return folder
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        def load_model(self, model_class, model_name_or_path, **kwargs):
            model = super().load_model(model_class, model_name_or_path, **kwargs)
            # transformers 5 dropped BART's `normalize_before` (always post-norm); the converter still reads it
            if getattr(model.config, "model_type", "") == "bart" and not hasattr(model.config, "normalize_before"):
                model.config.normalize_before = False
            return model

    folder.parent.mkdir(parents=True, exist_ok=True)
    work = folder.with_name(f"{folder.name}.partial-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    try:
        Converter(source, trust_remote_code=spec.trust_remote_code).convert(
            str(work), quantization=quantization, force=True)
    except Exception as exc:  # noqa: BLE001 - the converter raises anything; one line says why
        shutil.rmtree(work, ignore_errors=True)
        text = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200].rstrip(".")
        if "No conversion is registered" in text:
            text = "CTranslate2 has no converter for this architecture (" + text.split("configuration ")[-1].split(" ")[0] + ")"
        raise ModelLoadError(f"cannot convert model '{describe}' for CTranslate2: {text}. How to fix: use "
                             "`runtime: transformers` for this model") from None
    finally:
        gc.collect()
    (work / MANIFEST).write_text(json.dumps({"fingerprint": fingerprint, "bytes": (work / "model.bin").stat().st_size,
                                             "source": describe}), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)  # a half-written or stale folder
    os.replace(work, folder)
    return folder


class CT2Model:
    """A converted model loaded by CTranslate2 (Translator for encoder-decoders, Generator for causal LMs), with
    the Hugging Face config of its source (for the position limit) and the settings it runs with."""

    def __init__(self, spec: ModelSpec, kind: str, source: str, config, device: str, threads: int, describe: str):
        import ctranslate2

        self.kind, self.config, self.device = kind, config, device
        self.compute_type = compute_type(spec, device)
        engine = ctranslate2.Generator if kind == "causal" else ctranslate2.Translator
        try:
            supported = ctranslate2.get_supported_compute_types(device.split(":")[0])
        except RuntimeError as exc:
            raise ModelLoadError(f"cannot run model '{describe}' with CTranslate2 on '{device}': "
                                 f"{str(exc).strip()[:160]}. How to fix: set `device: cpu` (or auto)") from None
        if self.compute_type not in supported:
            raise ModelLoadError(f"cannot run model '{describe}' with compute_type {self.compute_type} on "
                                 f"'{device}': this machine supports {', '.join(sorted(supported))}. How to fix: "
                                 "set `compute_type:` to one of them")
        index = int(device.split(":")[1]) if ":" in device else 0
        folder = convert(spec, source, self.compute_type, describe)
        for attempt in (1, 2):
            try:
                self.engine = engine(str(folder), device=device.split(":")[0], device_index=index,
                                     compute_type=self.compute_type, intra_threads=threads, inter_threads=1)
                break
            except Exception as exc:  # noqa: BLE001 - a corrupt cache folder: convert once more, then say why
                if attempt == 2:
                    raise ModelLoadError(f"cannot load model '{describe}' converted for CTranslate2 in {folder}: "
                                         f"{str(exc).strip()[:160]}. How to fix: delete that folder") from None
                shutil.rmtree(folder, ignore_errors=True)
                folder = convert(spec, source, self.compute_type, describe)
        self.folder, self.threads, self.vocabulary = folder, threads, vocabulary(folder)

    def generate_ids(self, tokenizer, token_ids: list[list[int]], generation: dict, guards: dict) -> list[list[int]]:
        """Decode one batch; returns the new token ids of each input (for encoder-decoders the forced first
        token included, as the transformers runtime returns it, less the decoder start token)."""
        tokens = [tokenizer.convert_ids_to_tokens(ids) for ids in token_ids]
        prompt = max(len(t) for t in tokens) if self.kind == "causal" else 1
        options, prefix = options_for(tokenizer, self.kind, {**guards, **generation}, prompt, self.vocabulary)
        if self.kind == "causal":
            results = self.engine.generate_batch(tokens, include_prompt_in_result=False, **options)
            return [tokenizer.convert_tokens_to_ids(r.sequences[0]) for r in results]
        results = self.engine.translate_batch(tokens, target_prefix=[prefix] * len(tokens) if prefix else None,
                                              max_input_length=0, **options)
        return [tokenizer.convert_tokens_to_ids(r.hypotheses[0]) for r in results]


def vocabulary(folder: Path) -> set[str]:
    """The target tokens of a converted model (Marian's conversion drops <pad>, for one)."""
    for name in ("target_vocabulary.json", "shared_vocabulary.json", "vocabulary.json"):
        if (folder / name).exists():
            return set(json.loads((folder / name).read_text(encoding="utf-8")))
    return set()


def options_for(tokenizer, kind: str, settings: dict, prompt: int, known: set[str]) -> tuple[dict, list[str] | None]:
    """CTranslate2 options that decode as transformers does with `settings`: (options, forced target prefix).
    Lengths: transformers' `max_length` / `min_length` count the decoder start token (encoder-decoders) or the
    prompt (`prompt`, causal models), with neither it makes 20 new tokens, and a forced end of sequence takes
    the last place; CTranslate2 counts new tokens only."""
    options = {OPTIONS[k]: v for k, v in settings.items() if k in OPTIONS and v is not None}
    options.setdefault("beam_size", 1)
    if settings.get("do_sample"):
        options.setdefault("sampling_topk", 50)  # transformers' default top_k
    else:
        for key in ("sampling_topk", "sampling_topp", "sampling_temperature"):
            options.pop(key, None)
    banned = [[t] for t in tokenizer.convert_ids_to_tokens(settings.get("suppress_tokens") or [])]
    banned += [tokenizer.convert_ids_to_tokens(ids) for ids in settings.get("bad_words_ids") or []]
    banned = [seq for seq in banned if all(t in known for t in seq)]  # a token it lacks is never generated
    if banned:
        options["suppress_sequences"] = banned
    forced = settings.get("forced_bos_token_id")
    prefix = [tokenizer.convert_ids_to_tokens(forced)] if forced is not None and kind != "causal" else None
    longest = settings.get("max_new_tokens") or (max(1, settings["max_length"] - prompt)
                                                 if settings.get("max_length") else 20)
    if settings.get("forced_eos_token_id") is not None:
        longest -= 1
    shortest = min(settings.get("min_new_tokens") or max(0, (settings.get("min_length") or 0) - prompt), longest)
    # both always stated: CTranslate2's defaults (256 / 1 for translators) are not transformers' (20 / 0)
    if kind == "causal":
        options.update(max_length=longest, min_length=shortest)
    else:
        options.update(max_decoding_length=longest, min_decoding_length=shortest)
    return options, prefix
