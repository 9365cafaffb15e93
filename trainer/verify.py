"""Reload check: the saved adapter (on the base) and the merged weights reproduce the logits the
trainer recorded in probe.safetensors.

    python -m trainer.verify --out DIR --base MODEL

Prints one JSON line: {"adapter_max_abs_diff", "merged_max_abs_diff", "tokens"}.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m trainer.verify", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="the trainer's output directory")
    p.add_argument("--base", required=True, help="the base model the adapter was trained on")
    a = p.parse_args(argv)
    sys.stdout, real_stdout = sys.stderr, sys.stdout

    import torch
    from peft import PeftModel
    from safetensors.torch import load_file
    from transformers import AutoModelForCausalLM

    out = Path(a.out)
    probe = load_file(str(out / "probe.safetensors"))
    ids, want = probe["input_ids"], probe["logits"]
    result: dict[str, float | int | None] = {"tokens": int(ids.shape[-1])}
    with torch.no_grad():
        base = AutoModelForCausalLM.from_pretrained(a.base, dtype=torch.float32, attn_implementation="eager")
        model = PeftModel.from_pretrained(base, str(out / "adapter")).eval()
        result["adapter_max_abs_diff"] = float((model(input_ids=ids).logits.float() - want).abs().max())
        merged_dir = out / "merged"
        if merged_dir.exists():
            merged = AutoModelForCausalLM.from_pretrained(str(merged_dir), dtype=torch.float32, attn_implementation="eager").eval()
            result["merged_max_abs_diff"] = float((merged(input_ids=ids).logits.float() - want).abs().max())
        else:
            result["merged_max_abs_diff"] = None
    real_stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
