"""JSON-lines progress on stdout, one object per line, read by activities/finetune.ts:

  {"event": "start", "max_steps", "resumed_from_step", "device", "train_examples", ...}
  {"event": "progress", "step", "max_steps", "epoch", "loss", "learning_rate", "grad_norm",
   "gpu_mem_mb", "gpu_peak_mem_mb", "rss_mb", "cpu_s", "elapsed_s"}
  {"event": "eval", "step", "eval_loss"}
  {"event": "checkpoint", "step", "path"}
  {"event": "done", "metrics": {...}, "adapter", "merged", "metrics_file"}
  {"event": "error", "message"}

Anything else a library prints goes to stderr.
"""
from __future__ import annotations

import json
import resource
import sys
import time

import torch

_out = sys.stdout
_t0 = time.monotonic()


def emit(event: str, **fields) -> None:
    _out.write(json.dumps({"event": event, **fields}, ensure_ascii=False) + "\n")
    _out.flush()


def usage() -> dict[str, float]:
    """This process's CPU time, peak RSS and GPU memory (current and peak, MiB)."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    out = {
        "cpu_s": round(ru.ru_utime + ru.ru_stime, 3),
        "rss_mb": round(ru.ru_maxrss / 1024, 1),
        "elapsed_s": round(time.monotonic() - _t0, 3),
    }
    if torch.cuda.is_available():
        out["gpu_mem_mb"] = round(torch.cuda.memory_allocated() / 2**20, 1)
        out["gpu_peak_mem_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    return out
