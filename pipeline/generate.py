"""Text generation shared by the model summarizers and translators: inputs rendered for the model (task
prefix, or a chat prompt from configs/prompts/chat.yaml for causal LLMs), batches sorted by length and results
returned in input order, and splitting at sentence / clause / word boundaries so nothing is truncated."""
from __future__ import annotations

from functools import lru_cache

import regex

from .config import CONFIG_DIR, ModelSpec, read_yaml
from .errors import ConfigError
from .runtimes import runtime

_CLAUSE = regex.compile(r"(?<=[,;，；：:])\s*")
PROMPTS = CONFIG_DIR / "prompts" / "chat.yaml"


@lru_cache(maxsize=1)
def prompts() -> dict[str, str]:
    return read_yaml(PROMPTS, "prompt file")


def render(tokenizer, spec: ModelSpec, kind: str, task: str, text: str, **fields) -> str:
    """The model input for `text`: the spec's prefix for seq2seq models; for causal models the prompt
    template (spec.prompt, else `task`) in the tokenizer's chat template."""
    if kind != "causal":
        return (spec.prefix or "") + text
    name = spec.prompt or task
    if name not in prompts():
        raise ConfigError(f"no prompt template '{name}' in {PROMPTS} (templates: {sorted(prompts())})")
    message = prompts()[name].format(text=text, **fields)
    return tokenizer.apply_chat_template([{"role": "user", "content": message}], tokenize=False,
                                         add_generation_prompt=True)


def prompt_details(spec: ModelSpec, kind: str, task: str) -> dict:
    """The prompt template a causal model was given, for provenance (seq2seq models have none)."""
    return {"prompt": spec.prompt or task} if kind == "causal" else {}


def count_tokens(tokenizer, text: str) -> int:
    return len(tokenizer(text, add_special_tokens=True, verbose=False)["input_ids"])


def input_limit(tokenizer, model, spec: ModelSpec) -> int:
    """Most input tokens the model takes: the spec's max_input_tokens, else the tokenizer / position limit."""
    if spec.max_input_tokens:
        return spec.max_input_tokens
    candidates = [getattr(tokenizer, "model_max_length", None),
                  getattr(model.config, "max_position_embeddings", None), getattr(model.config, "n_positions", None)]
    known = [c for c in candidates if isinstance(c, int) and 0 < c < 1_000_000]
    return min(known) if known else 512


def positions(model) -> int | None:
    """How many positions the model's (decoder) embeddings have, when its config says (relative-position models
    such as T5, and llama.cpp models that cap themselves, have none here)."""
    config = getattr(model, "config", None)
    known = [getattr(config, k, None) for k in ("max_position_embeddings", "n_positions", "max_target_positions")]
    known = [c for c in known if isinstance(c, int) and 0 < c < 1_000_000]
    return min(known) if known else None


def fit_new_tokens(tokenizer, model, kind: str, inputs: list[str], spec: ModelSpec) -> tuple[ModelSpec, dict]:
    """`spec` with max_new_tokens (and min_new_tokens) capped at the positions the model has left: after the
    longest prompt for a causal model, after the start token for an encoder-decoder. Also the provenance entry
    ({"max_new_tokens_capped": {"asked": N, "used": M}}) when it was capped, else {}."""
    limit, asked = positions(model), spec.generation.get("max_new_tokens")
    if not limit or not asked or not inputs:
        return spec, {}
    used = limit - (max(count_tokens(tokenizer, t) for t in inputs) if kind == "causal" else 1)
    used = max(1, used)
    if asked <= used:
        return spec, {}
    generation = {**spec.generation, "max_new_tokens": used}
    if generation.get("min_new_tokens"):
        generation["min_new_tokens"] = min(generation["min_new_tokens"], used)
    return spec.model_copy(update={"generation": generation}), {"max_new_tokens_capped": {"asked": asked,
                                                                                           "used": used}}


def generate(tokenizer, model, kind: str, inputs: list[str], spec: ModelSpec) -> list[str]:
    """Generate for every input with the spec's generation settings only; batches of similar length, results
    in input order."""
    order = sorted(range(len(inputs)), key=lambda i: count_tokens(tokenizer, inputs[i]))
    out: list[str] = [""] * len(inputs)
    for b in range(0, len(order), spec.batch_size):
        batch = order[b:b + spec.batch_size]
        ids = generate_ids(tokenizer, model, kind, [inputs[i] for i in batch], spec)
        for i, text in zip(batch, tokenizer.batch_decode(ids, skip_special_tokens=True)):
            out[i] = text.strip()
    return out


def generate_ids(tokenizer, model, kind: str, texts: list[str], spec: ModelSpec) -> list[list[int]]:
    """The new token ids for one batch (a causal model's prompt excluded), with the spec's runtime."""
    return runtime(spec.runtime).generate_ids(tokenizer, model, kind, texts, spec)


def clauses(text: str) -> list[str]:
    """`text` cut after every clause mark (, ; ， ； ： :), each clause with its mark."""
    return [c for c in _CLAUSE.split(text) if c]


def split_to_fit(text: str, fits) -> list[str]:
    """`text` as pieces that each satisfy `fits(piece)`: whole if it fits, else at clause boundaries, else
    between words (Chinese: characters). Every word is kept."""
    if fits(text):
        return [text]
    pieces, current = [], ""
    for clause in _CLAUSE.split(text):
        trial = f"{current} {clause}".strip() if current else clause
        if current and not fits(trial):
            pieces.append(current)
            current = clause
        else:
            current = trial
    if current:
        pieces.append(current)
    final = []
    for piece in pieces:
        sep = " " if " " in piece else ""  # Chinese: between characters
        chunk: list[str] = []
        for word in piece.split(" ") if sep else list(piece):
            if chunk and not fits(sep.join(chunk + [word])):
                final.append(sep.join(chunk))
                chunk = []
            chunk.append(word)
        final.append(sep.join(chunk))
    return final


def pack(sentences: list[str], fits, joiner: str) -> list[str]:
    """Consecutive sentences grouped into as few chunks as `fits` allows; an over-long sentence is split."""
    chunks, current = [], []
    for sentence in sentences:
        for piece in split_to_fit(sentence, fits):
            if current and not fits(joiner.join(current + [piece])):
                chunks.append(joiner.join(current))
                current = []
            current.append(piece)
    if current:
        chunks.append(joiner.join(current))
    return chunks
