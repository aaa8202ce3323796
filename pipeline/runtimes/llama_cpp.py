"""The llama.cpp runtime (`runtime: llama-cpp`; the `bisum[llm]` extra, llama-cpp-python): a GGUF file, named
by path or by its name in the model catalogue (`bisum models install NAME`), run on the CPU (or with its layers
on a GPU for a CUDA build). The prompt is rendered with the chat template inside the GGUF (in a sandboxed Jinja2
environment, as transformers renders templates); decoding is greedy unless `do_sample` is set. llama.cpp reuses
the key/value cache of the prompt prefix that consecutive inputs share (the instruction), so inputs run one after
another; the context size (`context_size`, default 4096) bounds prompt plus output, and the callers chunk longer
input at sentence boundaries."""
from __future__ import annotations

import atexit
import importlib.util
from types import SimpleNamespace

from ..config import ModelSpec
from ..errors import ModelLoadError
from ..models import describe, set_threads

INSTALL = "pip install 'bisum[llm]' (or pip install 'llama-cpp-python==0.3.36'; it builds from source with gcc)"
CONTEXT = 4096
# generation settings with a llama.cpp sampler equivalent; others are refused when the config is read
SETTINGS = {"max_new_tokens", "do_sample", "temperature", "top_k", "top_p", "min_p", "repetition_penalty",
            "num_beams", "max_time"}


class LlamaCppRuntime:
    name = "llama-cpp"

    def check(self, spec: ModelSpec) -> None:
        unknown = sorted(set(spec.generation) - SETTINGS)
        if unknown:
            raise ValueError(f"generation setting(s) {', '.join(unknown)} have no llama.cpp equivalent: remove them "
                             f"(llama-cpp takes {', '.join(sorted(SETTINGS))})")
        if spec.generation.get("num_beams", 1) != 1:
            raise ValueError("`runtime: llama-cpp` decodes greedily or by sampling: num_beams must be 1")

    def missing(self, spec: ModelSpec) -> str | None:
        from ..model_store import resolve

        try:
            path, _ = resolve(spec.model, spec.cache_dir)
        except ModelLoadError as exc:
            return exc.message
        if not path.is_file():
            return (f"cannot load model '{spec.model}': there is no such file. How to fix: set `model:` to a .gguf "
                    "file or a name from `bisum models list`")
        if importlib.util.find_spec("llama_cpp") is None:
            return (f"cannot load model '{spec.model}': `runtime: llama-cpp` needs llama-cpp-python, which is not "
                    f"installed. How to fix: {INSTALL}")
        return None

    def load(self, spec: ModelSpec, kind: str):
        from ..model_store import resolve, sha256_of

        if kind != "causal":
            raise ModelLoadError(f"cannot load model '{describe(spec)}' with llama-cpp as a {kind} model. How to "
                                 "fix: use `backend: causal` with `runtime: llama-cpp`")
        why = self.missing(spec)
        if why:
            raise ModelLoadError(why)
        path, item = resolve(spec.model, spec.cache_dir)
        import llama_cpp

        threads = set_threads(None)
        context = spec.context_size or CONTEXT
        try:
            llama = llama_cpp.Llama(str(path), n_ctx=context, n_batch=min(512, context), n_threads=threads,
                                    n_threads_batch=threads, seed=0, verbose=False,
                                    n_gpu_layers=-1 if spec.device.startswith("cuda") else 0)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelLoadError(f"cannot load model '{spec.model}' with llama.cpp: "
                                 f"{(str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]}. How to fix: "
                                 "check that the file is a complete GGUF (bisum models install verifies it)") from None
        atexit.register(llama.close)  # freed before interpreter shutdown tears down what its destructor needs
        template = llama.metadata.get("tokenizer.chat_template")
        if not template:
            raise ModelLoadError(f"cannot use model '{spec.model}': its GGUF has no chat template "
                                 "(tokenizer.chat_template). How to fix: use an instruction model's GGUF")
        longest = spec.generation.get("max_new_tokens", 256)
        model = SimpleNamespace(llama=llama, file=path.name, threads=threads, context=context, config=SimpleNamespace(),
                                sha256=item.sha256 if item else sha256_of(path), device=spec.device)
        return GGUFTokenizer(llama, template, max(16, context - longest)), model

    def generate_ids(self, tokenizer, model, kind: str, texts: list[str], spec: ModelSpec) -> list[list[int]]:
        import llama_cpp

        settings = spec.generation
        sampling = {"temp": 0.0, "top_k": 1, "top_p": 1.0, "min_p": 0.0}
        if settings.get("do_sample"):
            sampling = {"temp": settings.get("temperature", 1.0), "top_k": settings.get("top_k", 50),
                        "top_p": settings.get("top_p", 1.0), "min_p": settings.get("min_p", 0.0)}
        vocab = model.llama._model.vocab
        out = []
        for text in texts:
            prompt = tokenizer(text)["input_ids"]
            # new tokens: as asked, within what the context still holds after the prompt
            room = max(0, min(settings.get("max_new_tokens", 256), model.context - len(prompt)))
            new: list[int] = []
            if room:
                for token in model.llama.generate(prompt, repeat_penalty=settings.get("repetition_penalty", 1.0),
                                                  **sampling):
                    new.append(token)  # an end-of-turn token too, as transformers returns it
                    if llama_cpp.llama_vocab_is_eog(vocab, token) or len(new) >= room:
                        break
            out.append(new)
        return out

    def details(self, spec: ModelSpec, model) -> dict:
        return {"runtime": self.name, "device": model.device, "file": model.file, "sha256": model.sha256,
                "threads": model.threads, "context_size": model.context, "chat_template": "from the GGUF file"}


RUNTIME = LlamaCppRuntime()


class GGUFTokenizer:
    """The part of a Hugging Face tokenizer that pipeline/generate.py uses, over llama.cpp's tokenizer and the
    GGUF's chat template."""

    def __init__(self, llama, template: str, model_max_length: int):
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        def fail(message):
            raise ValueError(message)

        environment = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        environment.globals["raise_exception"] = fail
        self.llama, self.template = llama, environment.from_string(template)
        self.model_max_length = model_max_length

    def __call__(self, text, add_special_tokens: bool = False, verbose: bool = False, **_):
        """Token ids ({"input_ids": ...}) of a text or a list of texts; special tokens written in the text (the
        chat template's markers) are read as such."""
        texts = text if isinstance(text, list) else [text]
        ids = [self.llama.tokenize(t.encode("utf-8"), add_bos=add_special_tokens, special=True) for t in texts]
        return {"input_ids": ids if isinstance(text, list) else ids[0]}

    def apply_chat_template(self, messages: list[dict], tokenize: bool = False, add_generation_prompt: bool = True):
        text = self.template.render(messages=messages, add_generation_prompt=add_generation_prompt)
        return self(text)["input_ids"] if tokenize else text

    def batch_decode(self, rows: list[list[int]], skip_special_tokens: bool = True) -> list[str]:
        return [self.llama.detokenize(row, special=not skip_special_tokens).decode("utf-8", "replace") for row in rows]
