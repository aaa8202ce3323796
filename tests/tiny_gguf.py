"""A tiny Qwen2 GGUF written in the tests (gguf-py's GGUFWriter): 2 blocks, width 64, a byte-level vocabulary
of the 256 byte symbols, one merge and the chat markers, a ChatML template. Its weights make greedy decoding
decisive: the residual stream is mostly the last token's embedding, and the output matrix maps each printable
character to the next one by a wide margin, so llama.cpp and transformers' GGUF loader must agree token for
token (small random attention and MLP weights are still on the path)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

WIDTH, FFN, HEADS, KV_HEADS, BLOCKS = 64, 128, 4, 2, 2
SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
END = 256 + 1 + SPECIAL.index("<|im_end|>")  # byte symbols, the one merge, then the markers
TEMPLATE = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
            "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def byte_symbols() -> list[str]:
    """GPT-2's printable stand-ins for the 256 bytes, in byte order."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), 256))
    symbols, extra = {}, 0
    for b in range(256):
        if b in keep:
            symbols[b] = chr(b)
        else:
            symbols[b] = chr(256 + extra)
            extra += 1
    return [symbols[b] for b in range(256)]


def next_char(token: int) -> int | None:
    """The token the model is built to write after `token`: after a line break 'a', after a letter a..y the next
    one, after 'z' the end of turn <|im_end|>; None for the rest (no preference)."""
    if token == ord("\n"):
        return ord("a")
    if token == ord("z"):
        return END
    return token + 1 if ord("a") <= token < ord("z") else None


def write(path: Path, seed: int = 0) -> Path:
    import gguf

    rng = np.random.default_rng(seed)
    tokens = byte_symbols() + ["ab"] + SPECIAL
    vocab = len(tokens)
    writer = gguf.GGUFWriter(str(path), "qwen2")
    writer.add_context_length(512)
    writer.add_embedding_length(WIDTH)
    writer.add_block_count(BLOCKS)
    writer.add_feed_forward_length(FFN)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV_HEADS)
    writer.add_rope_freq_base(10000.0)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_file_type(0)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("qwen2")
    writer.add_token_list(tokens)
    writer.add_token_types([1] * 257 + [3] * len(SPECIAL))
    writer.add_token_merges(["a b"])
    writer.add_eos_token_id(tokens.index("<|im_end|>"))
    writer.add_bos_token_id(tokens.index("<|endoftext|>"))
    writer.add_pad_token_id(tokens.index("<|endoftext|>"))
    writer.add_add_bos_token(False)
    writer.add_chat_template(TEMPLATE)

    def small(*shape):
        return (rng.standard_normal(shape) * 0.01).astype(np.float32)

    embed = rng.standard_normal((vocab, WIDTH)).astype(np.float32)
    embed /= np.linalg.norm(embed, axis=1, keepdims=True)
    output = np.zeros((vocab, WIDTH), dtype=np.float32)
    for token in range(vocab):
        if next_char(token) is not None:
            output[next_char(token)] += 30.0 * embed[token]
    kv = WIDTH // HEADS * KV_HEADS
    writer.add_tensor("token_embd.weight", embed)
    for n in range(BLOCKS):
        for name, tensor in (("attn_norm.weight", np.ones(WIDTH, np.float32)), ("attn_q.weight", small(WIDTH, WIDTH)),
                             ("attn_q.bias", small(WIDTH)), ("attn_k.weight", small(kv, WIDTH)),
                             ("attn_k.bias", small(kv)), ("attn_v.weight", small(kv, WIDTH)),
                             ("attn_v.bias", small(kv)), ("attn_output.weight", small(WIDTH, WIDTH)),
                             ("ffn_norm.weight", np.ones(WIDTH, np.float32)), ("ffn_gate.weight", small(FFN, WIDTH)),
                             ("ffn_up.weight", small(FFN, WIDTH)), ("ffn_down.weight", small(WIDTH, FFN))):
            writer.add_tensor(f"blk.{n}.{name}", tensor)
    writer.add_tensor("output_norm.weight", np.ones(WIDTH, np.float32))
    writer.add_tensor("output.weight", output)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
