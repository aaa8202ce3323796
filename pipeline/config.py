"""Configuration: typed sections for each stage, loaded from YAML. Unknown keys are errors.

The defaults in these classes ARE the embedded default (`configs/default.yaml` spells them out; a test keeps
the two equal), so the package runs with no YAML file at all. The shipped configs live inside the package
(`pipeline/configs/`, also reachable as `configs/` in the source tree), so a wheel finds them the same way.

Nothing in a config runs code: YAML is read with yaml.safe_load within limits (file size, values after alias
expansion),
`generation` takes only known plain settings, and model code or pickled weights are loaded only with the
explicit opt-ins `trust_remote_code: true` / `allow_pickle: true` of a model spec.
"""
from __future__ import annotations

import difflib
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ConfigError
from .gate import MAX_CHARS

CONFIG_DIR = Path(__file__).resolve().parent / "configs"
MAX_YAML_BYTES = 2_000_000  # a config, term or prompt file larger than this is refused

# Generation settings a config may give: plain numbers, flags and token-id lists. Keys that load code
# (custom_generate, trust_remote_code), take callables or objects (logits_processor, stopping_criteria,
# prefix_allowed_tokens_fn, assistant_model, streamer) or change the number of outputs are refused.
GENERATION_KEYS = frozenset({
    "max_new_tokens", "min_new_tokens", "max_length", "min_length", "num_beams", "num_beam_groups", "do_sample",
    "temperature", "top_k", "top_p", "min_p", "typical_p", "epsilon_cutoff", "eta_cutoff", "repetition_penalty",
    "encoder_repetition_penalty", "length_penalty", "no_repeat_ngram_size", "encoder_no_repeat_ngram_size",
    "early_stopping", "diversity_penalty", "bad_words_ids", "suppress_tokens", "begin_suppress_tokens",
    "forced_bos_token_id", "forced_eos_token_id", "renormalize_logits", "remove_invalid_values", "use_cache",
    "max_time",
})


def _plain(value) -> bool:
    """A number, a flag, None, or (nested) lists of integers."""
    if value is None or isinstance(value, (bool, int, float)):
        return True
    return isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) or
                                           isinstance(v, list) and _plain(v) for v in value)


MAX_YAML_NODES = 200_000  # values in a YAML file with its aliases expanded (the term base has ~40,000)


def _expanded_size(data, budget: int) -> int:
    """Values in `data` with every alias expanded, counting stops past `budget`: a 1 KB file of nested
    aliases ("billion laughs") would otherwise grow to gigabytes when the config is merged and validated."""
    count, stack = 0, [data]
    while stack and count <= budget:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


# libyaml's safe loader where PyYAML was built with it (the wheels are): the same safe types, ~8x faster on the
# 950-entry term base.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: str | Path, what: str = "YAML file"):
    """Parse a user-supplied YAML file safely: size and expansion limits, UTF-8, no Python objects. Every
    problem is a ConfigError naming the file."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ConfigError(f"{path}: {what} is a folder, not a file")
        with path.open("rb") as fh:  # bounded: a device or a pipe (/dev/zero, /dev/stdin) has no size to check
            raw = fh.read(MAX_YAML_BYTES + 1)
        if len(raw) > MAX_YAML_BYTES:
            raise ConfigError(f"{path}: {what} is larger than {MAX_YAML_BYTES:,} bytes")
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: {what} is not valid UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc.strerror or type(exc).__name__}") from None
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}: {what} is not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: {what} is nested too deeply") from None
    if _expanded_size(data, MAX_YAML_NODES) > MAX_YAML_NODES:
        raise ConfigError(f"{path}: {what} expands to more than {MAX_YAML_NODES:,} values (aliases inside aliases?)")
    return data


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CleanRules(_Section):
    """Each cleaning rule can be switched off."""

    encoding: bool = True
    whitespace: bool = True
    punctuation: bool = True
    missing_space: bool = True
    markup: bool = True
    stray_script: bool = True
    fragment: bool = True
    duplicate: bool = True
    truncation: bool = True
    traditional: bool = True


class CleanConfig(_Section):
    enabled: bool = True
    rules: CleanRules = CleanRules()
    # What happens to detected residue: "remove" edits it out, "flag" keeps it and reports it.
    fragment_action: Literal["remove", "flag"] = "remove"
    # Sentences flagged as truncated by translation are kept unless this is "remove".
    truncation_action: Literal["remove", "flag"] = "flag"
    # Duplicates shorter than this many words are left alone (short repeats are often legitimate).
    duplicate_min_words: int = Field(default=4, ge=1)


class RankingWeights(_Section):
    """Weights of the extractive sentence score (each feature is scaled to 0..1 within the article)."""

    centrality: float = Field(default=1.0, ge=0.0)   # TextRank over shared content words
    frequency: float = Field(default=0.0, ge=0.0)    # mean in-article frequency of the sentence's words
    position: float = Field(default=0.0, ge=0.0)     # 1 / (1 + sentence index)
    title: float = Field(default=0.0, ge=0.0)        # similarity to the title or headline
    figures: float = Field(default=0.0, ge=0.0)      # amounts, percentages and other figures in the sentence
    redundancy: float = Field(default=0.2, ge=0.0, le=1.0)  # MMR: 0 = no redundancy control


class Ranking(_Section):
    """Per-language weights, and weights for long documents (transcripts, reports) in any language. With
    `method: learned`, documents that have a shipped learned ranker (Chinese news, long English documents) use
    it instead; `hand-set` uses these weights everywhere."""

    method: Literal["learned", "hand-set"] = "learned"

    en: RankingWeights = RankingWeights(frequency=0.7, redundancy=0.1)
    zh: RankingWeights = RankingWeights(centrality=0.5, position=1.5, title=0.3, figures=0.5)
    long: RankingWeights = RankingWeights(frequency=0.5, figures=1.0)
    long_from_sentences: int = Field(default=60, ge=1)


def _expand_home(value: str | None) -> str | None:
    """A path setting with `~` at its start is in the home folder (relative paths are from the working folder)."""
    return str(Path(value).expanduser()) if isinstance(value, str) and value.startswith("~") else value


class ModelSpec(_Section):
    """A Hugging Face model: hub id or local folder, loaded through one code path."""

    model: str
    # The backend for this model (None: the section's `backend`), so each language can use its own.
    backend: Literal["seq2seq", "causal"] | None = None
    revision: str | None = None
    # False: use only a local folder or the local Hugging Face cache (never a network call).
    download: bool = False
    # Where the model runs: `auto` is the first GPU when there is one, else the CPU.
    device: str = Field(default="cpu", pattern=r"^(auto|cpu|cuda(:\d+)?|mps|xpu(:\d+)?)$")
    # Weights' dtype (transformers runtime); `auto`: bfloat16 (else float16) on a GPU, float32 on a CPU.
    dtype: Literal["auto", "float32", "float16", "bfloat16"] = "float32"
    # `transformers` runs the model with PyTorch; `ctranslate2` converts it once (into `cache_dir`, default
    # ~/.cache/bisum/ctranslate2) and runs it with CTranslate2 (the `bisum[fast]` extra); `llama-cpp` runs a GGUF
    # file or an installed catalogue model (`bisum models install`, `cache_dir` default ~/.cache/bisum/models)
    # with llama.cpp (the `bisum[llm]` extra). pipeline/runtimes/ holds one module per runtime.
    runtime: Literal["transformers", "ctranslate2", "llama-cpp"] = "transformers"
    # Quantized compute. ctranslate2: any of these (None: int8 on CPU, int8_float16 on GPU); transformers:
    # `int8` = dynamic int8 quantization of the linear layers, CPU only (None: the dtype as it is).
    compute_type: Literal["int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16",
                          "float32"] | None = None
    cache_dir: str | None = None
    batch_size: int = Field(default=8, ge=1)
    # Marian multi-target models need a target token such as ">>cmn_Hans<<" before each sentence.
    target_prefix: str | None = None
    # NLLB / M2M100 pick the output language with a forced first token, e.g. "zho_Hans" or "zh".
    src_lang: str | None = None
    tgt_lang: str | None = None
    # Every generation setting, stated here: nothing comes from the model's own generation defaults.
    generation: dict[str, Any] = {}
    # Text put before every input, e.g. "summarize: " for T5.
    prefix: str | None = None
    # `runtime: llama-cpp`: tokens of prompt plus output the model holds at once (None: 4096).
    context_size: int | None = Field(default=None, ge=64)
    # Longest input in tokens; longer input is chunked at sentence boundaries (None: the model's limit).
    max_input_tokens: int | None = Field(default=None, ge=16)
    # Causal LLMs: the prompt template in configs/prompts/chat.yaml (None: the task's default template).
    prompt: str | None = None
    # Opt-ins, off by default: run Python code shipped with the model; load pickled (.bin) weights
    # when the folder has no safetensors. Use only for models you trust.
    trust_remote_code: bool = False
    allow_pickle: bool = False

    @field_validator("model", "cache_dir")
    @classmethod
    def _home(cls, value: str | None) -> str | None:
        return _expand_home(value)

    @field_validator("generation")
    @classmethod
    def _safe_generation(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key, setting in value.items():
            if key not in GENERATION_KEYS:
                raise ValueError(f"generation setting '{key}' is not allowed (allowed: {', '.join(sorted(GENERATION_KEYS))})")
            if not _plain(setting):
                raise ValueError(f"generation setting '{key}' must be a number, a flag or a list of token ids")
            if isinstance(setting, (int, float)) and not isinstance(setting, bool) and setting < 0:
                raise ValueError(f"generation setting '{key}' must not be negative")
        return value

    @model_validator(mode="after")
    def _runtime_settings(self) -> "ModelSpec":
        from .runtimes import runtime

        runtime(self.runtime).check(self)
        return self


Share = Annotated[float, Field(gt=0.0, le=1.0)]


# The summary budget's fields (one given on the command line or the web page replaces the whole budget).
BUDGET_FIELDS = ("max_sentences", "ratio", "max_words", "max_chars")


class SummarizeConfig(_Section):
    """Length budget: the tightest of the limits that are set wins; at least one sentence is kept.
    With a model backend, `en` / `zh` name the model per language; a language without one is summarized
    by the extractive summarizer."""

    backend: Literal["extractive", "seq2seq", "causal"] = "extractive"
    max_sentences: int | None = Field(default=3, ge=1)
    ratio: float | None = Field(default=None, gt=0.0, le=1.0)
    max_words: int | None = Field(default=None, ge=1)
    max_chars: int | None = Field(default=None, ge=1)
    # At most this share of the article's length (words for English, characters for Chinese), one share or one per
    # language: a summary is never the article, however short the article is. Chosen on the dev sets (make
    # bench-summarize): a third of a Chinese article; 0.4 of an English one, as BBC references are long.
    max_share: Share | dict[Literal["en", "zh"], Share] | None = {"en": 0.4, "zh": 0.33}
    ranking: Ranking = Ranking()
    # Extractive, a summary of one sentence: `auto` keeps only the clauses of it that a shipped trimmer (Chinese
    # news) says carry the news, a headline-style brief (details.trim says what was kept); `none`: whole sentences.
    trim: Literal["auto", "none"] = "auto"
    en: ModelSpec | None = None
    zh: ModelSpec | None = None
    # A model that cannot be loaded: True = use the extractive summarizer and say so; False = fail.
    fallback: bool = True
    # Map-reduce over chunks: at most this many rounds of summarizing partial summaries.
    max_rounds: int = Field(default=4, ge=1)
    # Extractive: a document longer than this is summarized section by section, then the sections' picks
    # together, so cost grows linearly with its length (normal articles are one section).
    section_sentences: int = Field(default=1000, ge=10)


class TranslateConfig(_Section):
    backend: Literal["seq2seq", "causal", "none"] = "seq2seq"
    # Numbers, amounts and glossary terms are replaced by placeholders before translation and restored in
    # their target form; every number of the source must be in the output, else a warning.
    protect: bool = True
    # Checks run on every translated sentence (pipeline/translate/checks.py CHECKS); a sentence that fails one is
    # translated again, up to `repair_attempts` more times (first with the other `protect` setting, then clause by
    # clause with placeholders), and the candidate that fails fewest checks is kept.
    checks: list[Literal["figures", "untranslated", "terms", "entities"]] = ["figures", "untranslated", "terms",
                                                                           "entities"]
    repair_attempts: int = Field(2, ge=0, le=2)
    en_zh: ModelSpec | None = ModelSpec(
        model="Helsinki-NLP/opus-mt-en-zh",
        revision="main",
        target_prefix=">>cmn_Hans<<",
        generation={"num_beams": 4, "max_new_tokens": 256},
    )
    zh_en: ModelSpec | None = ModelSpec(
        model="Helsinki-NLP/opus-mt-zh-en",
        revision="main",
        generation={"num_beams": 4, "max_new_tokens": 256},
    )


class GlossaryConfig(_Section):
    enabled: bool = True
    # Optional YAML file of the user's own terms; entries override shipped ones with the same English term.
    user_terms: str | None = None
    # List finance-looking phrases that are not in the term base as unverified candidates.
    discover: bool = True

    @field_validator("user_terms")
    @classmethod
    def _home(cls, value: str | None) -> str | None:
        return _expand_home(value)


class InputConfig(_Section):
    # Longer texts are refused with the error code too_long (every entry point).
    max_chars: int = Field(default=MAX_CHARS, ge=1)
    # `bisum batch`: a record that takes longer than this many seconds becomes an error record (code
    # timeout) and the run goes on; None: no limit.
    max_seconds: float | None = Field(default=None, gt=0, le=30 * 86400, allow_inf_nan=False)  # at most 30 days


class Config(_Section):
    language: Literal["auto", "en", "zh"] = "auto"
    # Threads for model work in each process (None: all cores for one process; `bisum batch --workers N`
    # gives each worker cores / N, so workers do not oversubscribe the machine).
    threads: int | None = Field(default=None, ge=1)
    input: InputConfig = InputConfig()
    clean: CleanConfig = CleanConfig()
    summarize: SummarizeConfig = SummarizeConfig()
    translate: TranslateConfig = TranslateConfig()
    glossary: GlossaryConfig = GlossaryConfig()
    source: str = "<embedded default>"


def resolve_config_path(name: str | Path) -> Path:
    """A path as given, or a bare name looked up in `configs/` ("hf-small" -> configs/hf-small.yaml)."""
    path = Path(name)
    if path.exists():  # a folder or a device too: read_yaml says what is wrong with it
        return path
    candidates = [CONFIG_DIR / path.name, CONFIG_DIR / f"{path.name}.yaml"] if path.parent == Path(".") else []
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    names = sorted(p.stem for p in CONFIG_DIR.glob("*.yaml"))
    close = difflib.get_close_matches(path.stem, names, n=1) if path.parent == Path(".") else []
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise ConfigError(f"config file not found: {name} ({hint}give a path or a name from {CONFIG_DIR}: "
                      f"{', '.join(names)})")


def _section(loc: tuple) -> type[BaseModel] | None:
    """The settings model that holds the key at `loc` (Config, SummarizeConfig, a ModelSpec, ...), if any."""
    model: type[BaseModel] = Config
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        found = [t for t in (field.annotation, *typing.get_args(field.annotation))
                 if isinstance(t, type) and issubclass(t, BaseModel)]
        if not found:
            return None
        model = found[0]
    return model


def _describe(err: ValidationError, source: str) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "<top>"
    if first["type"] == "extra_forbidden":
        section = _section(first["loc"])
        close = difflib.get_close_matches(str(first["loc"][-1]), list(section.model_fields), n=1) if section else []
        problem = f"unknown config key '{where}'" + (f" (did you mean '{close[0]}'?)" if close else "")
    else:
        problem = f"bad value for '{where}': {first['msg']}"
    more = f" (and {len(err.errors()) - 1} more)" if len(err.errors()) > 1 else ""
    return f"{source}: {problem}{more}"


def load_config(name: str | Path | dict | Config | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Load a config: a YAML path or a name from configs/, a mapping of settings, a Config, or None (the
    embedded default); then validate it. Mappings merge into the defaults; `null` switches an optional
    section off (e.g. `translate: {zh_en: null}`)."""
    if isinstance(name, Config):
        if not overrides:
            return name
        base, source = name.model_dump(exclude={"source"}), name.source
        data: Any = {}
    else:
        base, source, data = Config().model_dump(exclude={"source"}), "<embedded default>", {}
        if isinstance(name, dict):
            data, source = name, "<settings given in Python>"
        elif isinstance(name, (str, Path)):
            path = resolve_config_path(name)
            source = str(path)
            data = read_yaml(path, "config") or {}
        elif name is not None:
            raise ConfigError(f"a config is a YAML path, a config name, a dict or a Config, not {type(name).__name__}")
    if not isinstance(data, dict) or not isinstance(overrides or {}, dict):
        raise ConfigError(f"{source}: top level must be a mapping")
    # A file only states what differs: it is merged over the embedded default, key by key.
    data = _merge(_merge(base, data), overrides or {})
    data["source"] = source
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source)) from None


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
