"""Generation server for a trained model (merged weights + tokenizer, as the trainer writes them):
one JSON request per line on stdin, one JSON reply per line on stdout. The TypeScript side
(adapters/providers/transformers.ts) uses it as a chat backend, so the LoRA candidate is evaluated and
served by the same LlmCorrector code as GPT-4o-mini and Ollama.

    python -m trainer.generate --model DIR [--device auto|cpu|cuda] [--max-new-tokens N]

Request:  {"id": 1, "messages": [{"role": "system"|"user"|"assistant", "content": "..."}], "max_new_tokens": 256}
Reply:    {"id": 1, "text": "...", "prompt_tokens": N, "completion_tokens": M}
          {"id": 1, "error": "..."} for a request it cannot serve.
The first line written is {"event": "ready", "device": ..., "model": ...}. Decoding is greedy
(deterministic), stopping at the end-of-turn marker. It exits when stdin closes.
"""
from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m trainer.generate", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="directory with merged weights and tokenizer")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("--max-new-tokens", type=int, default=256, help="upper bound for any request")
    a = p.parse_args(argv)
    out, sys.stdout = sys.stdout, sys.stderr  # library chatter goes to stderr; stdout carries the protocol only

    def emit(obj: dict) -> None:
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from .data import end_of_turn

    device = "cuda" if a.device == "auto" and torch.cuda.is_available() else ("cpu" if a.device == "auto" else a.device)
    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    tokenizer = AutoTokenizer.from_pretrained(a.model)
    model = AutoModelForCausalLM.from_pretrained(a.model, dtype=dtype).to(device).eval()
    stop_ids = {tokenizer.convert_tokens_to_ids(end_of_turn(tokenizer)), tokenizer.eos_token_id} - {None}
    emit({"event": "ready", "device": device, "model": a.model})

    for line in sys.stdin:
        if not line.strip():
            continue
        req_id = None
        try:
            req = json.loads(line)
            req_id = req.get("id")
            msgs = req["messages"]
            if not isinstance(msgs, list) or not all(isinstance(m, dict) and m.get("role") in ("system", "user", "assistant") and isinstance(m.get("content"), str) for m in msgs):
                raise ValueError("messages must be a list of {role, content}")
            limit = max(1, min(int(req.get("max_new_tokens") or a.max_new_tokens), a.max_new_tokens))
            prompt = tokenizer.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
            ids = tokenizer(prompt, add_special_tokens=False, return_tensors="pt")["input_ids"].to(device)
            with torch.no_grad():
                gen = model.generate(
                    ids,
                    attention_mask=torch.ones_like(ids),
                    max_new_tokens=limit,
                    do_sample=False,
                    eos_token_id=list(stop_ids),
                    pad_token_id=tokenizer.pad_token_id if tokenizer.pad_token_id is not None else next(iter(stop_ids)),
                )
            new = gen[0, ids.shape[1]:].tolist()
            while new and new[-1] in stop_ids:
                new.pop()
            emit({"id": req_id, "text": tokenizer.decode(new, skip_special_tokens=True), "prompt_tokens": int(ids.shape[1]), "completion_tokens": len(new)})
        except Exception as e:  # one bad request must not take the server down
            emit({"id": req_id, "error": f"{type(e).__name__}: {e}"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
