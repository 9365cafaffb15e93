"""Fits the edit scorer: which candidate edits of the base systems to keep.

    python -m trainer.scorer --train train.jsonl --valid valid.jsonl --base-features base.json --out model.json [--seed N]

Rows (JSON lines, written by the `train` stage from core/engines/scorer-data.ts):
    {"group": "...", "features": {"name": value, ...}, "label": 0|1, "weight": w, "type": "article"}
--base-features: a JSON list of the fixed feature names (core/engines/features.ts BASE_FEATURES);
rule indicators ("rule=languagetool:I_AM_VB") seen in at least --min-rule-count training rows join
them. A LightGBM binary classifier (deterministic for a seed: one thread, deterministic=True) is
fitted on the training rows; the decision threshold is the one that maximises F0.5 of the keep
decisions on the validation rows (precision counts twice as much as recall; among equals the one
closest to the prior's 0.5; with under 100 validation rows, 0.5). Writes the model as JSON (format "correctly-edit-scorer"): the feature names, the
threshold, the booster's own dump (evaluated in TypeScript by core/engines/scorer.ts), and training
metrics. A JSON summary line goes to stdout.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import lightgbm as lgb
import numpy as np

FORMAT = "correctly-edit-scorer"
VERSION = 1
# Where the trees start: logit(clip(prior_score)); core/engines/scorer.ts computes the same.
INIT_CLIP = (0.02, 0.98)


def read_rows(path: str) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise SystemExit(f"{path}:{n}: not JSON ({e.msg})")
            if not isinstance(row.get("features"), dict) or row.get("label") not in (0, 1):
                raise SystemExit(f"{path}:{n}: a row needs an object 'features' and a 'label' of 0 or 1")
            rows.append(row)
    return rows


def matrix(rows: list[dict], names: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    index = {n: i for i, n in enumerate(names)}
    x = np.zeros((len(rows), len(names)), dtype=np.float64)
    for r, row in enumerate(rows):
        for k, v in row["features"].items():
            i = index.get(k)
            if i is not None:
                x[r, i] = float(v)
    y = np.array([row["label"] for row in rows], dtype=np.int32)
    w = np.array([float(row.get("weight", 1.0)) for row in rows], dtype=np.float64)
    return x, y, w


def _leaf(node: dict, row: np.ndarray) -> float:
    while "split_feature" in node:
        node = node["left_child"] if row[node["split_feature"]] <= node["threshold"] else node["right_child"]
    return node["leaf_value"]


def dump_probabilities(model: dict, x: np.ndarray) -> np.ndarray:
    """P(keep) of rows from the model file alone (its dump and init), as core/engines/scorer.ts computes it."""
    lo, hi = model["init"]["clip"]
    p = np.clip(x[:, model["features"].index(model["init"]["from"])], lo, hi)
    raw = np.log(p / (1 - p)) + np.array([sum(_leaf(t["tree_structure"], row) for t in model["booster"]["tree_info"]) for row in x])
    return 1 / (1 + np.exp(-raw))


def f_beta(y: np.ndarray, keep: np.ndarray, w: np.ndarray, beta: float = 0.5) -> tuple[float, float, float]:
    tp = float(w[(keep == 1) & (y == 1)].sum())
    fp = float(w[(keep == 1) & (y == 0)].sum())
    fn = float(w[(keep == 0) & (y == 1)].sum())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    b2 = beta * beta
    f = (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0
    return f, p, r


def choose_threshold(y: np.ndarray, prob: np.ndarray, w: np.ndarray, default: float = 0.5, min_rows: int = 100) -> tuple[float, dict]:
    """The threshold with the best F0.5 on the validation rows; among equals, the one closest to
    the prior's own threshold (a handful of rows says little about extremes). With fewer than
    `min_rows` rows the prior's threshold stands."""
    f, p, r = f_beta(y, (prob >= default).astype(int), w)
    if len(y) < min_rows:
        return default, {"valid_f05": f, "valid_precision": p, "valid_recall": r, "threshold_from_prior": 1.0}
    best = (default, f, p, r)
    for t in np.round(np.arange(0.30, 0.801, 0.01), 2):
        f, p, r = f_beta(y, (prob >= t).astype(int), w)
        if f > best[1] + 1e-12 or (abs(f - best[1]) <= 1e-12 and abs(t - default) < abs(best[0] - default)):
            best = (float(t), f, p, r)
    t, f, p, r = best
    return t, {"valid_f05": f, "valid_precision": p, "valid_recall": r, "threshold_from_prior": 0.0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m trainer.scorer", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True)
    ap.add_argument("--valid", required=True)
    ap.add_argument("--base-features", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-rule-count", type=int, default=5)
    # Small, shallow, slow: the trees correct the prior only where many rows agree (a 600-sample
    # run gives a few hundred rows; deeper trees memorised word frequencies of the contexts).
    ap.add_argument("--trees", type=int, default=40)
    ap.add_argument("--leaves", type=int, default=4)
    ap.add_argument("--min-leaf", type=int, default=30, help="rows a leaf needs at least")
    ap.add_argument("--max-step", type=float, default=0.5, help="largest change of the logit one tree may make")
    ap.add_argument("--l2", type=float, default=5.0)
    ap.add_argument("--exclude", default="", help="regular expression of feature names not to use")
    ap.add_argument("--learning-rate", type=float, default=0.05)
    args = ap.parse_args(argv)

    t0 = time.time()
    base = json.loads(Path(args.base_features).read_text(encoding="utf-8"))
    train = read_rows(args.train)
    valid = read_rows(args.valid)
    if len(train) < 20 or len({r["label"] for r in train}) < 2:
        raise SystemExit(f"too little training data for the edit scorer: {len(train)} rows, labels {sorted({r['label'] for r in train})} (need both labels and at least 20 rows)")
    rule_counts = Counter(k for r in train for k in r["features"] if k.startswith("rule="))
    rules = sorted(k for k, c in rule_counts.items() if c >= args.min_rule_count)
    names = list(base) + rules
    if args.exclude:
        import re

        names = [n for n in names if n == "prior_score" or not re.search(args.exclude, n)]

    x, y, w = matrix(train, names)
    # Boost from the prior: the trees start at the hand-set prior's logit and learn corrections to
    # it, so where the training data says nothing the model keeps the prior's (precision-first) view.
    # The prior is clipped away from 0 and 1: a margin of ±9 (p = 1e-4) leaves a row almost no
    # curvature, and Newton steps on such rows give leaves huge values that flip the prior.
    prior_col = names.index("prior_score")
    lo, hi = INIT_CLIP

    def init_score(m: np.ndarray) -> np.ndarray:
        p = np.clip(m[:, prior_col], lo, hi)
        return np.log(p / (1 - p))

    params = {
        "objective": "binary",
        "learning_rate": args.learning_rate,
        "num_leaves": args.leaves,
        "min_data_in_leaf": args.min_leaf,
        "min_sum_hessian_in_leaf": 1.0,
        "max_delta_step": args.max_step,
        "feature_fraction": 1.0,
        "bagging_fraction": 1.0,
        "lambda_l2": args.l2,
        "seed": args.seed,
        "deterministic": True,
        "force_col_wise": True,
        "num_threads": 1,
        "verbosity": -1,
    }
    booster = lgb.train(params, lgb.Dataset(x, label=y, weight=w, init_score=init_score(x), feature_name=[f"f{i}" for i in range(len(names))], free_raw_data=False), num_boost_round=args.trees)

    metrics = {"train_rows": float(len(train)), "valid_rows": float(len(valid)), "train_positive_rate": float(y.mean()), "features": float(len(names))}
    if valid:
        xv, yv, wv = matrix(valid, names)
        pv = 1 / (1 + np.exp(-(booster.predict(xv, raw_score=True) + init_score(xv))))
        threshold, m = choose_threshold(yv, pv, wv)
        metrics.update(m)
        metrics["valid_positive_rate"] = float(yv.mean())
    else:
        threshold = 0.5
    metrics["train_seconds"] = time.time() - t0

    model = {
        "format": FORMAT,
        "version": VERSION,
        "features": names,
        "threshold": threshold,
        "init": {"from": "prior_score", "clip": list(INIT_CLIP)},
        "booster": booster.dump_model(),
        "training": {"seed": args.seed, "trees": args.trees, "leaves": args.leaves, "learning_rate": args.learning_rate, "min_leaf": args.min_leaf, "max_step": args.max_step, "l2": args.l2, "min_rule_count": args.min_rule_count, "lightgbm": lgb.__version__},
        "metrics": metrics,
    }
    # The file must score as the booster does (what TypeScript evaluates is the dump, not the booster).
    if valid:
        from_dump = dump_probabilities(model, xv)
        if not np.allclose(from_dump, pv, rtol=0, atol=1e-9):
            raise SystemExit(f"internal error: the dumped trees score differently from the booster (max difference {np.abs(from_dump - pv).max()})")
    Path(args.out).write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    print(json.dumps({"threshold": threshold, **metrics}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
