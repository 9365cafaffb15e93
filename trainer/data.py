"""Training examples: the dataset's triples rendered with the model's chat template.

The prompt (system + user turns, from trainer/prompts.json, shared with the TypeScript correctors)
asks to correct the sentence and explain in the reason language; the completion is the JSON
{"corrected": …, "reason": …} followed by the end-of-turn marker. Labels mask the prompt (-100),
so the loss is on the completion only.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

PROMPTS_FILE = Path(__file__).with_name("prompts.json")
IGNORE = -100


def load_prompts() -> dict[str, Any]:
    return json.loads(PROMPTS_FILE.read_text(encoding="utf-8"))


def read_split(data_dir: str | Path, split: str) -> list[dict[str, Any]]:
    path = Path(data_dir) / f"{split}.jsonl"
    if not path.exists():
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        for key in ("awkward", "corrected"):
            if not isinstance(row.get(key), str):
                raise ValueError(f"{path}:{n}: field {key!r} missing or not a string")
        rows.append(row)
    return rows


def messages(sentence: str, reason_language: str, prompts: dict[str, Any] | None = None) -> list[dict[str, str]]:
    p = prompts or load_prompts()
    return [
        {"role": "system", "content": p["system"][reason_language]},
        {"role": "user", "content": p["user"].replace("{sentence}", sentence)},
    ]


def completion_text(row: dict[str, Any]) -> str:
    return json.dumps({"corrected": row["corrected"], "reason": row.get("reason", "")}, ensure_ascii=False)


def end_of_turn(tokenizer) -> str:
    """What closes the model's turn: Gemma's <end_of_turn>, else the EOS token."""
    vocab = tokenizer.get_vocab()
    return "<end_of_turn>" if "<end_of_turn>" in vocab else tokenizer.eos_token


def prompt_text(tokenizer, sentence: str, reason_language: str, prompts: dict[str, Any] | None = None) -> str:
    return tokenizer.apply_chat_template(messages(sentence, reason_language, prompts), tokenize=False, add_generation_prompt=True)


def encode(tokenizer, row: dict[str, Any], max_length: int, default_language: str, prompts: dict[str, Any]) -> dict[str, list[int]] | None:
    """Token ids and labels of one example; None when the prompt alone does not fit."""
    lang = row.get("reasonLanguage") or default_language
    prompt = tokenizer(prompt_text(tokenizer, row["awkward"], lang, prompts), add_special_tokens=False)["input_ids"]
    completion = tokenizer(completion_text(row) + end_of_turn(tokenizer) + "\n", add_special_tokens=False)["input_ids"]
    if len(prompt) >= max_length:
        return None
    ids = (prompt + completion)[:max_length]
    labels = ([IGNORE] * len(prompt) + completion)[:max_length]
    return {"input_ids": ids, "labels": labels, "attention_mask": [1] * len(ids)}


class Examples(torch.utils.data.Dataset):
    def __init__(self, items: list[dict[str, list[int]]]):
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> dict[str, list[int]]:
        return self.items[i]


def build(tokenizer, rows: list[dict[str, Any]], max_length: int, default_language: str) -> tuple[Examples, int]:
    """The dataset and how many rows were dropped for a prompt longer than max_length."""
    prompts = load_prompts()
    items = [encode(tokenizer, r, max_length, default_language, prompts) for r in rows]
    kept = [x for x in items if x is not None]
    return Examples(kept), len(items) - len(kept)


@dataclass
class Collator:
    pad_id: int

    def __call__(self, batch: list[dict[str, list[int]]]) -> dict[str, torch.Tensor]:
        width = max(len(x["input_ids"]) for x in batch)
        pad = lambda xs, v: xs + [v] * (width - len(xs))  # noqa: E731 (right padding)
        return {
            "input_ids": torch.tensor([pad(x["input_ids"], self.pad_id) for x in batch]),
            "attention_mask": torch.tensor([pad(x["attention_mask"], 0) for x in batch]),
            "labels": torch.tensor([pad(x["labels"], IGNORE) for x in batch]),
        }
