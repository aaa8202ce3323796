"""Tiny random-weight models built in the tests, saved with save_pretrained and loaded by path through
exactly the code a real model uses. Output is gibberish; the code path is real."""
from __future__ import annotations

import json
from pathlib import Path

import sentencepiece as spm
import torch

# Random weights, but the same ones on every run and machine: outputs of a test do not depend on luck.
SEED = 0

_EN = [
    "The central bank cut the reserve requirement ratio by {n} basis points.",
    "Shares of the bank rose {n} percent in Shanghai trading.",
    "Green loans reached {n} trillion yuan at the end of the year.",
    "The fund bought existing stakes from {n} investors.",
    "Outstanding loans to technology firms grew by {n} percent.",
]
_ZH = [
    "央行下调存款准备金率{n}个基点。",
    "该银行股价在上海上涨{n}%。",
    "年末绿色贷款余额达到{n}万亿元。",
    "该基金从{n}名投资者手中收购现有份额。",
    "科技企业贷款余额增长{n}%。",
]


def _train_spm(lines: list[str], prefix: Path, vocab: int) -> None:
    corpus = prefix.with_suffix(".txt")
    corpus.write_text("\n".join(lines), encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(prefix), vocab_size=vocab,
                                   character_coverage=1.0, model_type="unigram", minloglevel=2,
                                   hard_vocab_limit=False)


TINY_MARIAN = dict(d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2,
                   encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=128)


def build_tiny_marian(folder: Path, target_tokens: tuple[str, ...] = (">>cmn_Hans<<",), shape: dict | None = None,
                      lines: tuple[list[str], list[str]] | None = None, vocab_size: int | None = None) -> Path:
    """A Marian en->zh model with 2 tiny layers and sentencepiece vocabularies trained here. The vocabulary is
    laid out as opus-mt's: </s> and <unk> first, <pad> last (CTranslate2's converter relies on it). The
    benchmarks pass a real model's `shape`, English and Chinese training `lines` and `vocab_size` (filled up with
    unused entries, so embeddings and output layer have the real size)."""
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    en, zh = lines or ([t.format(n=n) for t in _EN for n in range(60)], [t.format(n=n) for t in _ZH for n in range(60)])
    pieces_each = 120 if lines is None else 8000
    _train_spm(en, folder / "source", pieces_each)
    _train_spm(zh, folder / "target", pieces_each)
    pieces = ["</s>", "<unk>", *target_tokens]
    for name in ("source", "target"):
        proc = spm.SentencePieceProcessor(model_file=str(folder / f"{name}.model"))
        pieces += [proc.id_to_piece(i) for i in range(proc.get_piece_size())]
    vocab = {}
    for piece in pieces:
        if piece != "<pad>":
            vocab.setdefault(piece, len(vocab))
    for n in range(len(vocab), (vocab_size or 0) - 1):
        vocab[f"<unused{n}>"] = n
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (folder / "source.model").rename(folder / "source.spm")
    (folder / "target.model").rename(folder / "target.spm")
    shape = shape or TINY_MARIAN
    limit = 64 if shape is TINY_MARIAN else shape["max_position_embeddings"]
    tokenizer = MarianTokenizer(source_spm=str(folder / "source.spm"), target_spm=str(folder / "target.spm"),
                                vocab=str(folder / "vocab.json"), model_max_length=limit)
    config = MarianConfig(vocab_size=len(vocab), **shape, pad_token_id=vocab["<pad>"], eos_token_id=vocab["</s>"],
                          decoder_start_token_id=vocab["<pad>"])
    torch.manual_seed(SEED)
    model = MarianMTModel(config)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def fast_tokenizer(folder: Path, max_length: int, lines: list[str] | None = None, vocab: int = 400):
    """A byte-level BPE tokenizer trained here (default: on English and Chinese finance sentences; exact round
    trip). The benchmarks train one of a real model's vocabulary size on the dev articles."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    lines = lines or [t.format(n=n) for t in _EN + _ZH for n in range(40)] + ["QZX1 QZX2 QZX3 summarize: translate"]
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab, special_tokens=["<pad>", "<s>", "</s>", "<unk>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(lines, trainer)
    tok.post_processor = processors.TemplateProcessing(single="<s> $A </s>", special_tokens=[
        ("<s>", tok.token_to_id("<s>")), ("</s>", tok.token_to_id("</s>"))])
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>",
                                   unk_token="<unk>", model_max_length=max_length)


def build_tiny_bart(folder: Path, max_length: int = 64) -> Path:
    """A BART summarizer with one tiny layer each side: the architecture of distilbart-cnn, random weights."""
    from transformers import BartConfig, BartForConditionalGeneration

    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = fast_tokenizer(folder, max_length)
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in ("<pad>", "<s>", "</s>")}
    config = BartConfig(vocab_size=len(tokenizer), d_model=16, encoder_layers=1, decoder_layers=1,
                        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32,
                        max_position_embeddings=max_length, pad_token_id=ids["<pad>"], bos_token_id=ids["<s>"],
                        eos_token_id=ids["</s>"], decoder_start_token_id=ids["</s>"], forced_bos_token_id=ids["<s>"],
                        num_beams=4, length_penalty=2.0, no_repeat_ngram_size=3)  # hidden defaults, as real BART has
    torch.manual_seed(SEED)
    BartForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


CHAT_TEMPLATE = ("{% for m in messages %}<s>{{ m['role'] }}: {{ m['content'] }}</s>{% endfor %}"
                 "{% if add_generation_prompt %}<s>assistant: {% endif %}")


def build_tiny_causal(folder: Path) -> Path:
    """A Llama-architecture instruction model with a chat template, one tiny layer, random weights."""
    from transformers import LlamaConfig, LlamaForCausalLM

    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = fast_tokenizer(folder, 1024)
    tokenizer.chat_template = CHAT_TEMPLATE
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=1024,
                         pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
                         eos_token_id=tokenizer.eos_token_id)
    torch.manual_seed(SEED)
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
