"""LoRA supervised fine-tuning of Gemma 3 on Correctly's triples.

    python -m trainer.train --data DIR --out DIR --base MODEL [--resume CKPT|auto] [--max-steps N] [--seed N] ...

DIR (--data) holds train.jsonl and valid.jsonl (rows: awkward, corrected, reason, reasonLanguage).
MODEL is a Hugging Face model name or a local directory (with the tokenizer and its chat template).
Writes to --out:
  checkpoints/checkpoint-N/   resumable Trainer checkpoints (adapter, optimizer, scheduler, RNG)
  adapter/                    the LoRA adapter (PEFT) and tokenizer
  merged/                     base + adapter merged, safetensors, with tokenizer: what Ollama imports
  probe.safetensors           logits of the trained model on a fixed prompt (reload check)
  metrics.json                losses, steps, time, CPU/GPU usage
Progress: JSON lines on stdout (trainer/progress.py). bf16 and gradient checkpointing on a GPU,
float32 on CPU; eval loss every --eval-steps with early stopping; seeded; resumable.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import threading
import time
from pathlib import Path

from . import progress
from .progress import emit

DEFAULT_BASE = "google/gemma-3-1b-it"
TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m trainer.train", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="dataset directory with train.jsonl and valid.jsonl")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--base", default=DEFAULT_BASE, help=f"base model: a local directory or a Hugging Face name (default {DEFAULT_BASE})")
    p.add_argument("--resume", help="checkpoint directory to resume from, or 'auto' for the latest under OUT/checkpoints")
    p.add_argument("--max-steps", type=int, default=-1, help="optimizer steps (default: --epochs over the data)")
    p.add_argument("--epochs", type=float, default=3.0)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--grad-accum", type=int, default=2)
    p.add_argument("--max-length", type=int, default=512, help="tokens per example (prompt + completion)")
    p.add_argument("--lora-r", type=int, default=16)
    p.add_argument("--lora-alpha", type=int, default=32)
    p.add_argument("--lora-dropout", type=float, default=0.05)
    p.add_argument("--target-modules", default=",".join(TARGET_MODULES))
    p.add_argument("--warmup-ratio", type=float, default=0.03, help="share of the steps spent warming up the learning rate, in [0, 1)")
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--scheduler", default="cosine", help="learning-rate schedule (transformers' names)")
    p.add_argument("--logging-steps", type=int, default=10)
    p.add_argument("--eval-steps", type=int, default=100)
    p.add_argument("--save-steps", type=int, default=100, help="checkpoint every N steps (a multiple of --eval-steps)")
    p.add_argument("--save-total-limit", type=int, default=3)
    p.add_argument("--patience", type=int, default=3, help="early stopping: evaluations without eval-loss improvement")
    p.add_argument("--reason-language", default="ko", choices=["ko", "en"], help="for rows without reasonLanguage")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("--no-bf16", action="store_true", help="float32 even on a GPU")
    p.add_argument("--no-gradient-checkpointing", action="store_true")
    p.add_argument("--no-merge", action="store_true", help="skip writing merged weights")
    p.add_argument("--exit-on-stdin-eof", action="store_true", help="exit when stdin closes (the parent process died)")
    p.add_argument("--step-delay", type=float, default=0.0, help="sleep seconds after each step (tests and demos only)")
    a = p.parse_args(argv)
    if a.save_steps % a.eval_steps:
        p.error("--save-steps must be a multiple of --eval-steps (the best checkpoint is kept by eval loss)")
    return a


def watch_stdin() -> None:
    """Exit when stdin reaches EOF: the worker that spawned us is gone, so nobody would read our progress."""

    fd = sys.stdin.fileno()

    def run() -> None:
        # os.read on the raw descriptor: a daemon thread blocked in sys.stdin's buffered reader
        # would hold its lock and abort the interpreter's shutdown
        try:
            while os.read(fd, 4096):
                pass
        except OSError:
            pass
        os._exit(3)

    threading.Thread(target=run, name="stdin-watch", daemon=True).start()


def latest_checkpoint(out: Path) -> str | None:
    ckpts = sorted((out / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[-1]))
    return str(ckpts[-1]) if ckpts else None


def checkpoint_step(path: str) -> int:
    state = Path(path) / "trainer_state.json"
    return int(json.loads(state.read_text())["global_step"]) if state.exists() else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.exit_on_stdin_eof:
        watch_stdin()
    # stdout carries only our JSON lines; libraries that print go to stderr
    sys.stdout = sys.stderr
    try:
        return train(args)
    except Exception as e:  # reported as a JSON line too, for the activity's error message
        emit("error", message=f"{type(e).__name__}: {e}")
        raise


def train(args: argparse.Namespace) -> int:
    import torch
    from peft import LoraConfig, get_peft_model
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer, EarlyStoppingCallback, Trainer, TrainerCallback, TrainingArguments, set_seed
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    from . import data

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    set_seed(args.seed)
    cuda = torch.cuda.is_available() and args.device != "cpu"
    if args.device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("--device cuda but no CUDA device is visible")
    bf16 = cuda and not args.no_bf16 and torch.cuda.is_bf16_supported()
    grad_ckpt = cuda and not args.no_gradient_checkpointing

    resume = latest_checkpoint(out) if args.resume == "auto" else args.resume
    if resume and not Path(resume).is_dir():
        raise FileNotFoundError(f"--resume {resume}: no such checkpoint directory")
    resumed_from = checkpoint_step(resume) if resume else 0

    tokenizer = AutoTokenizer.from_pretrained(args.base)
    if not tokenizer.chat_template:
        raise ValueError(f"{args.base}: the tokenizer has no chat template")
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    train_rows = data.read_split(args.data, "train")
    valid_rows = data.read_split(args.data, "valid")
    if not train_rows:
        raise ValueError(f"{args.data}/train.jsonl has no rows")
    train_set, dropped_train = data.build(tokenizer, train_rows, args.max_length, args.reason_language)
    valid_set, dropped_valid = data.build(tokenizer, valid_rows, args.max_length, args.reason_language)

    model = AutoModelForCausalLM.from_pretrained(args.base, dtype=torch.bfloat16 if bf16 else torch.float32, attn_implementation="eager")
    lora = LoraConfig(
        r=args.lora_r,
        lora_alpha=args.lora_alpha,
        lora_dropout=args.lora_dropout,
        target_modules=[m for m in args.target_modules.split(",") if m],
        task_type="CAUSAL_LM",
    )
    model = get_peft_model(model, lora)
    trainable, total = model.get_nb_trainable_parameters()

    has_eval = len(valid_set) > 0
    targs = TrainingArguments(
        output_dir=str(out / "checkpoints"),
        max_steps=args.max_steps,
        num_train_epochs=args.epochs,
        per_device_train_batch_size=args.batch_size,
        per_device_eval_batch_size=args.batch_size,
        gradient_accumulation_steps=args.grad_accum,
        learning_rate=args.lr,
        lr_scheduler_type=args.scheduler,
        warmup_steps=args.warmup_ratio,  # a float in [0, 1) is a share of the steps
        weight_decay=args.weight_decay,
        logging_strategy="steps",
        logging_steps=args.logging_steps,
        eval_strategy="steps" if has_eval else "no",
        eval_steps=args.eval_steps,
        save_strategy="steps",
        save_steps=args.save_steps,
        save_total_limit=args.save_total_limit,
        load_best_model_at_end=has_eval,
        metric_for_best_model="eval_loss" if has_eval else None,
        greater_is_better=False if has_eval else None,
        bf16=bf16,
        activation_checkpointing=grad_ckpt,
        activation_checkpointing_kwargs={"use_reentrant": False} if grad_ckpt else None,
        seed=args.seed,
        data_seed=args.seed,
        use_cpu=not cuda,
        report_to=[],
        remove_unused_columns=False,
        dataloader_num_workers=0,
        disable_tqdm=True,
    )

    t_start = time.monotonic()
    last = {"loss": math.nan, "eval_loss": math.nan}

    class JsonProgress(TrainerCallback):
        def on_train_begin(self, a, state, control, **kw):
            emit(
                "start",
                max_steps=state.max_steps,
                resumed_from_step=resumed_from,
                resume=resume,
                device="cuda" if cuda else "cpu",
                gpu=torch.cuda.get_device_name(0) if cuda else None,
                bf16=bf16,
                gradient_checkpointing=grad_ckpt,
                train_examples=len(train_set),
                valid_examples=len(valid_set),
                dropped_too_long=dropped_train + dropped_valid,
                trainable_params=trainable,
                total_params=total,
            )

        def on_log(self, a, state, control, logs=None, **kw):
            logs = logs or {}
            if "eval_loss" in logs:
                last["eval_loss"] = logs["eval_loss"]
                emit("eval", step=state.global_step, eval_loss=logs["eval_loss"], **progress.usage())
            elif "loss" in logs:
                last["loss"] = logs["loss"]
                emit(
                    "progress",
                    step=state.global_step,
                    max_steps=state.max_steps,
                    epoch=round(state.epoch or 0.0, 4),
                    loss=logs["loss"],
                    learning_rate=logs.get("learning_rate"),
                    grad_norm=logs.get("grad_norm"),
                    **progress.usage(),
                )

        def on_save(self, a, state, control, **kw):
            path = Path(a.output_dir) / f"checkpoint-{state.global_step}"
            emit("checkpoint", step=state.global_step, path=str(path.resolve()))

        def on_step_end(self, a, state, control, **kw):
            if args.step_delay > 0:
                time.sleep(args.step_delay)

    callbacks = [JsonProgress()]
    if has_eval and args.patience > 0:
        callbacks.append(EarlyStoppingCallback(early_stopping_patience=args.patience))
    trainer = Trainer(
        model=model,
        args=targs,
        train_dataset=train_set,
        eval_dataset=valid_set if has_eval else None,
        data_collator=data.Collator(tokenizer.pad_token_id),
        callbacks=callbacks,
    )
    for cb in (PrinterCallback, ProgressCallback):
        trainer.remove_callback(cb)
    result = trainer.train(resume_from_checkpoint=resume)
    state = trainer.state
    eval_loss = trainer.evaluate()["eval_loss"] if has_eval else math.nan

    # the adapter (PEFT format) and the tokenizer it was trained with
    model.eval()
    adapter_dir = out / "adapter"
    model.save_pretrained(str(adapter_dir))
    tokenizer.save_pretrained(str(adapter_dir))

    # logits of the trained model on a fixed prompt: `python -m trainer.verify` reloads and compares
    probe_row = (valid_rows or train_rows)[0]
    probe_text = data.prompt_text(tokenizer, probe_row["awkward"], probe_row.get("reasonLanguage") or args.reason_language)
    probe_ids = tokenizer(probe_text, add_special_tokens=False, return_tensors="pt")["input_ids"].to(model.device)
    with torch.no_grad():
        logits = model(input_ids=probe_ids).logits.float().cpu()
    save_file({"input_ids": probe_ids.cpu(), "logits": logits.contiguous()}, str(out / "probe.safetensors"))

    merged_dir = None
    if not args.no_merge:
        merged = model.merge_and_unload()
        merged_dir = out / "merged"
        merged.save_pretrained(str(merged_dir), safe_serialization=True)
        tokenizer.save_pretrained(str(merged_dir))

    best_step = None
    if state.best_model_checkpoint:
        best_step = int(Path(state.best_model_checkpoint).name.split("-")[-1])
    u = progress.usage()
    metrics = {
        "train_loss": result.training_loss,
        "last_loss": last["loss"],
        "eval_loss": eval_loss,
        "best_eval_loss": state.best_metric if state.best_metric is not None else eval_loss,
        "best_step": best_step,
        "steps": state.global_step,
        "max_steps": state.max_steps,
        "epochs": state.epoch,
        "early_stopped": bool(state.global_step < state.max_steps),
        "resumed_from_step": resumed_from,
        "train_examples": len(train_set),
        "valid_examples": len(valid_set),
        "dropped_too_long": dropped_train + dropped_valid,
        "trainable_params": trainable,
        "total_params": total,
        "train_seconds": round(time.monotonic() - t_start, 3),
        "cpu_s": u["cpu_s"],
        "peak_rss_mb": u["rss_mb"],
        "gpu_peak_mem_mb": u.get("gpu_peak_mem_mb", 0.0),
        "device": "cuda" if cuda else "cpu",
        "gpu": torch.cuda.get_device_name(0) if cuda else None,
        "bf16": bf16,
        "base": args.base,
        "seed": args.seed,
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    emit(
        "done",
        metrics=metrics,
        adapter=str(adapter_dir.resolve()),
        merged=str(merged_dir.resolve()) if merged_dir else None,
        metrics_file=str((out / "metrics.json").resolve()),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
