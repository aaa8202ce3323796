"""Abstractive summaries from a Hugging Face model: an encoder-decoder (BART, PEGASUS, T5 with its task
prefix, mT5) or a causal instruction LLM with a chat prompt.

Input over the model's limit is never truncated: it is split at sentence boundaries into chunks, each chunk
is summarized, and the joined partial summaries are summarized again (map-reduce) until they fit; the
summary's details record input tokens, chunks and rounds."""
from __future__ import annotations

from ..config import ModelSpec, SummarizeConfig
from ..generate import count_tokens, fit_new_tokens, generate, input_limit, pack, prompt_details, render
from ..models import describe, load_model, runtime_details
from ..schema import Document, Lang, Notice, Summary
from ..lang import profile
from ..segment import split_sentences


class ModelSummarizer:
    def __init__(self, spec: ModelSpec, kind: str, lang: Lang, config: SummarizeConfig):
        self.spec = spec
        self.kind = kind
        self.lang = lang
        self.config = config
        self.name = describe(spec)

    def summarize_many(self, documents: list[Document]) -> list[Summary]:
        """One summary per document (its sentences less the flagged ones), all documents batched together
        round by round."""
        documents = [[s.text for s in d.sentences if s.index not in d.exclude] for d in documents]
        tokenizer, model = load_model(self.spec, self.kind)
        limit = input_limit(tokenizer, model, self.spec)
        joiner = profile(self.lang).joiner
        task = f"summarize_{self.lang}"
        fields = {"max_sentences": self.config.max_sentences or 3}

        def wrap(text: str) -> str:
            return render(tokenizer, self.spec, self.kind, task, text, **fields)

        def fits(text: str) -> bool:
            return count_tokens(tokenizer, wrap(text)) <= limit

        texts = [joiner.join(doc) for doc in documents]
        details = [{"input_tokens": count_tokens(tokenizer, wrap(t)), "limit": limit, "chunks": 0, "rounds": 0}
                   for t in texts]
        current = [list(doc) for doc in documents]
        final: list[str | None] = [None] * len(documents)
        for round_number in range(1, self.config.max_rounds + 1):
            todo = [i for i in range(len(documents)) if final[i] is None]
            if not todo:
                break
            chunks = {i: pack(current[i], fits, joiner) for i in todo}
            flat = [(i, c) for i in todo for c in chunks[i]]
            inputs = [wrap(c) for _, c in flat]
            spec, capped = fit_new_tokens(tokenizer, model, self.kind, inputs, self.spec)
            outputs = generate(tokenizer, model, self.kind, inputs, spec)
            partial: dict[int, list[str]] = {i: [] for i in todo}
            for (i, _), out in zip(flat, outputs):
                partial[i].append(out)
            for i in todo:
                details[i].update(capped)
                details[i]["rounds"] = round_number
                details[i]["chunks"] = details[i]["chunks"] or len(chunks[i])
                if len(chunks[i]) == 1:
                    final[i] = partial[i][0]
                else:  # summarize the joined partial summaries in the next round
                    current[i] = [s.text for p in partial[i] for s in split_sentences(p, self.lang)] or partial[i]
        for i, text in enumerate(final):
            if text is None:  # still several chunks after max_rounds: keep every partial summary, say so
                final[i] = joiner.join(current[i])
                details[i]["unfinished"] = f"still {len(current[i])} sentences over the limit after " \
                                           f"{self.config.max_rounds} rounds; the partial summaries are joined"
        empty = [Notice.about("empty_model_output", f"summary_{self.lang}", "the model returned an empty summary")]
        return [Summary(lang=self.lang, text=text or None, backend=self.kind, model=self.spec.model,
                        revision=self.spec.revision,
                        details={**d, "generation": self.spec.generation,
                                 **prompt_details(self.spec, self.kind, task), **runtime_details(self.spec, model)},
                        notices=[] if text else empty)
                for text, d in zip(final, details)]
