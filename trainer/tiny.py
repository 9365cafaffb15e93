"""A tiny, randomly initialised Gemma 3 (Gemma3ForCausalLM) and a tokenizer built locally, for tests:
nothing is downloaded.

    python -m trainer.tiny --out DIR --data DATA_DIR [--seed N]

The tokenizer is a byte-level BPE trained on the dataset's texts and the prompts, wrapped in
PreTrainedTokenizerFast with Gemma's special tokens (<pad> 0, <eos> 1, <bos> 2, <unk> 3,
<start_of_turn>, <end_of_turn>) and a Gemma-style chat template (the system turn is folded into
the first user turn, as Gemma 3's own template does).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

GEMMA_CHAT_TEMPLATE = (
    "{{ bos_token }}"
    "{%- if messages[0]['role'] == 'system' -%}"
    "{%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}"
    "{%- set loop_messages = messages[1:] -%}"
    "{%- else -%}"
    "{%- set first_user_prefix = '' -%}"
    "{%- set loop_messages = messages -%}"
    "{%- endif -%}"
    "{%- for message in loop_messages -%}"
    "{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
    "{%- endif -%}"
    "{%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}"
    "{{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else '') }}"
    "{{ message['content'] | trim }}"
    "{{ '<end_of_turn>\n' }}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<start_of_turn>model\n' }}{%- endif -%}"
)
SPECIALS = ["<pad>", "<eos>", "<bos>", "<unk>", "<start_of_turn>", "<end_of_turn>"]


def corpus(data_dir: Path) -> list[str]:
    from . import data

    prompts = data.load_prompts()
    texts = [prompts["system"]["ko"], prompts["system"]["en"], prompts["user"], "model user"]
    for split in ("train", "valid", "test"):
        for row in data.read_split(data_dir, split):
            texts += [row["awkward"], data.completion_text(row)]
    return texts


def build(out: Path, data_dir: Path, seed: int = 0, vocab_size: int = 800) -> None:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig, GenerationConfig, PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIALS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(corpus(data_dir), trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<bos>",
        eos_token="<eos>",
        pad_token="<pad>",
        unk_token="<unk>",
        additional_special_tokens=["<start_of_turn>", "<end_of_turn>"],
    )
    fast.chat_template = GEMMA_CHAT_TEMPLATE
    out.mkdir(parents=True, exist_ok=True)
    fast.save_pretrained(str(out))

    eot = fast.convert_tokens_to_ids("<end_of_turn>")
    config = Gemma3TextConfig(
        vocab_size=len(fast),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=32,
        query_pre_attn_scalar=32,
        max_position_embeddings=1024,
        sliding_window=128,
        # larger than the default 0.02, so tied-embedding logits can peak: the smoke test overfits quickly
        initializer_range=0.2,
        pad_token_id=fast.pad_token_id,
        bos_token_id=fast.bos_token_id,
        eos_token_id=[fast.eos_token_id, eot],
        architectures=["Gemma3ForCausalLM"],
    )
    torch.manual_seed(seed)
    model = Gemma3ForCausalLM(config)
    model.generation_config = GenerationConfig(bos_token_id=fast.bos_token_id, eos_token_id=[fast.eos_token_id, eot], pad_token_id=fast.pad_token_id)
    model.save_pretrained(str(out), safe_serialization=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m trainer.tiny", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--data", required=True, help="dataset directory whose texts train the tokenizer")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--vocab-size", type=int, default=800)
    a = p.parse_args(argv)
    build(Path(a.out), Path(a.data), a.seed, a.vocab_size)
    print(json.dumps({"event": "built", "path": str(Path(a.out).resolve())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
