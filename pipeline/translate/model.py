"""Sentence-level translation with a Hugging Face model: encoder-decoder (Marian / opus-mt with a target
token, NLLB and M2M100 with a forced first token) or a causal instruction LLM with a chat prompt."""
from __future__ import annotations

from ..config import ModelSpec
from ..generate import clauses, count_tokens, fit_new_tokens, generate, input_limit, render, split_to_fit
from ..glossary.detect import TermDetector
from ..models import describe, load_model, runtime_details
from ..lang import profile
from .protect import has_placeholder, protect, restore


class ModelTranslator:
    def __init__(self, spec: ModelSpec, kind: str, source: str, target: str, detector: TermDetector | None = None,
                 protect: bool = True):
        self.spec = spec
        self.kind = kind
        self.source = source
        self.target = target
        self.detector = detector  # None (glossary off): amounts are still protected, terms are not
        self.protect = protect  # amounts (and glossary terms, with a detector) pass through placeholders
        self.name = describe(spec)

    def translate(self, sentences: list[str], attempt: int = 0) -> tuple[list[str], dict]:
        """Translate sentences (batched by length, returned in input order). Sentences longer than the model
        accepts are split at clause boundaries, never truncated; `details` records what was done. Placeholders
        (`protect`) pass amounts and glossary terms through; text without one gets an LLM's plain prompt
        (translate_xx_yy_plain). `attempt` > 0 is a retry of sentences that failed a check: 1 uses the other
        placeholder setting (the offline LLM, plain first, then gets its amounts and terms as placeholders), 2
        translates clause by clause with placeholders."""
        tokenizer, model = load_model(self.spec, self.kind)
        if self.spec.src_lang:
            tokenizer.src_lang = self.spec.src_lang
        spec = self.spec
        if spec.tgt_lang:
            forced = {"forced_bos_token_id": tokenizer.convert_tokens_to_ids(spec.tgt_lang)}
            spec = spec.model_copy(update={"generation": {**spec.generation, **forced}})
        task = f"translate_{self.source}_{self.target}"
        marker = f"{spec.target_prefix} " if spec.target_prefix else ""
        limit = input_limit(tokenizer, model, spec)
        # placeholders: as configured first; a retry does the other, then clause by clause with placeholders
        placeholders = {0: self.protect, 1: not self.protect, 2: True}[attempt]
        named = {name: spec.model_copy(update={"prompt": name}) for name in (task, f"{task}_plain", spec.prompt) if name}

        def prompt_name(text: str) -> str:
            # the placeholder prompt only for text that has one: told of "QZX1", a model may write one
            return spec.prompt or (task if has_placeholder(text) else f"{task}_plain")

        def prompt(text: str) -> str:
            return render(tokenizer, named[prompt_name(text)], self.kind, task, marker + text)

        def fits(text: str) -> bool:
            return count_tokens(tokenizer, prompt(text)) <= limit

        protected = [protect(s, self.source, self.detector, self.target) if placeholders else None for s in sentences]
        pieces: list[tuple[int, str]] = []
        for i, sent in enumerate(sentences):
            text = protected[i].text if placeholders else sent
            parts = clauses(text) if attempt == 2 else [text]
            pieces += [(i, p) for part in parts for p in split_to_fit(part, fits)]
        inputs = [prompt(p) for _, p in pieces]
        spec, capped = fit_new_tokens(tokenizer, model, self.kind, inputs, spec)
        outputs = generate(tokenizer, model, self.kind, inputs, spec)
        joiner = profile(self.target).joiner
        joined: list[list[str]] = [[] for _ in sentences]
        for (i, _), text in zip(pieces, outputs):
            joined[i].append(text)
        texts, dropped = [], 0
        for i, parts in enumerate(joined):
            text = joiner.join(parts)
            if placeholders:
                text, lost = restore(text, protected[i])
                dropped += len(lost)
            texts.append(text)
        details = {"sentences": len(sentences), "pieces": len(pieces), "split_for_length": len(pieces) - len(sentences),
                   "protected": sum(len(p.slots) for p in protected if p) if placeholders else 0,
                   "placeholders_dropped": dropped, "generation": spec.generation, **capped,
                   **runtime_details(spec, model)}
        if self.kind == "causal" and pieces:  # the prompt templates used, for provenance
            used = sorted({prompt_name(p) for _, p in pieces})
            details["prompt"] = used[0] if len(used) == 1 else used
        return texts, details
