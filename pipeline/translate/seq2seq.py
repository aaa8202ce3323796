"""Sentence-level translation with an encoder-decoder model (Marian / opus-mt, NLLB, M2M100)."""
from __future__ import annotations

import regex

from ..config import ModelSpec
from ..models import describe, load_seq2seq

BACKEND = "seq2seq"
_CLAUSE = regex.compile(r"(?<=[,;，；：:])\s*")


class Seq2SeqTranslator:
    def __init__(self, spec: ModelSpec, target: str):
        self.spec = spec
        self.target = target
        self.name = describe(spec)

    def translate(self, sentences: list[str]) -> tuple[list[str], dict]:
        """Translate sentences (batched by length, returned in input order). Sentences longer than the model
        accepts are split at clause boundaries, never truncated; `details` records the splits."""
        import torch

        tokenizer, model = load_seq2seq(self.spec)
        if self.spec.src_lang:
            tokenizer.src_lang = self.spec.src_lang
        limit = min(getattr(tokenizer, "model_max_length", 512) or 512, 512) - 2
        pieces: list[tuple[int, str]] = []
        for i, sent in enumerate(sentences):
            pieces += [(i, p) for p in self._fit(sent, tokenizer, limit)]
        order = sorted(range(len(pieces)), key=lambda k: len(pieces[k][1]))
        outputs: dict[int, str] = {}
        gen = dict(self.spec.generation)
        if self.spec.tgt_lang:
            gen["forced_bos_token_id"] = tokenizer.convert_tokens_to_ids(self.spec.tgt_lang)
        prefix = f"{self.spec.target_prefix} " if self.spec.target_prefix else ""
        for b in range(0, len(order), self.spec.batch_size):
            batch = order[b:b + self.spec.batch_size]
            enc = tokenizer([prefix + pieces[k][1] for k in batch], return_tensors="pt", padding=True)
            enc = {k: v.to(model.device) for k, v in enc.items()}
            with torch.inference_mode():
                out = model.generate(**enc, **gen)
            for k, text in zip(batch, tokenizer.batch_decode(out, skip_special_tokens=True)):
                outputs[k] = text.strip()
        joined: list[list[str]] = [[] for _ in sentences]
        for k, (i, _) in enumerate(pieces):
            joined[i].append(outputs[k])
        details = {"sentences": len(sentences), "pieces": len(pieces), "split_for_length": len(pieces) - len(sentences)}
        joiner = "" if self.target == "zh" else " "
        return [joiner.join(p) for p in joined], details

    @staticmethod
    def _fit(sentence: str, tokenizer, limit: int) -> list[str]:
        if len(tokenizer(sentence, verbose=False)["input_ids"]) <= limit:
            return [sentence]
        out, current = [], ""
        for clause in _CLAUSE.split(sentence):
            trial = f"{current} {clause}".strip() if current else clause
            if current and len(tokenizer(trial, verbose=False)["input_ids"]) > limit:
                out.append(current)
                current = clause
            else:
                current = trial
        if current:
            out.append(current)
        final = []
        for piece in out:  # a clause still too long: cut between words, keeping every word
            words, chunk = piece.split(" "), []
            for word in words:
                if chunk and len(tokenizer(" ".join(chunk + [word]), verbose=False)["input_ids"]) > limit:
                    final.append(" ".join(chunk))
                    chunk = []
                chunk.append(word)
            final.append(" ".join(chunk))
        return final
