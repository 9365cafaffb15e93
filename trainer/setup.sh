#!/usr/bin/env bash
# Creates the trainer's venv (.venv-trainer, a link into the machine's cache, or $CORRECTLY_TRAINER_VENV) with the pinned
# trainer/requirements.txt, idempotently: nothing is done while the venv matches the requirements.
# pip's cache (~/.cache/pip) makes a re-creation mostly a copy: the first install downloads
# about 2.9 GB of wheels (torch + NVIDIA runtime) and the venv takes about 5.5 GB on disk.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
want=$(sha256sum trainer/requirements.txt | cut -c1-64)
if [ -n "${CORRECTLY_TRAINER_VENV:-}" ]; then
  venv=$CORRECTLY_TRAINER_VENV
else
  # The default venv lives in the machine's cache, one per requirements file, and .venv-trainer
  # points at it: a fresh clone on the same machine (CI) finds it instead of installing 5.5 GB again.
  cache=${CORRECTLY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/correctly}
  venv="$cache/venv-trainer-${want:0:12}"
  if [ -d .venv-trainer ] && [ ! -L .venv-trainer ]; then
    if [ "$(cat .venv-trainer/.requirements.sha256 2>/dev/null)" = "$want" ]; then
      echo "[trainer setup] .venv-trainer is up to date (installed once and kept; delete it to install again)"
      exit 0
    fi
    rm -rf .venv-trainer
  fi
  mkdir -p "$cache"
  ln -sfn "$venv" .venv-trainer
fi
stamp="$venv/.requirements.sha256"
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "[trainer setup] $venv is up to date (installed once per machine and kept; delete it to install again)"
  exit 0
fi
command -v "$python" >/dev/null || { echo "[trainer setup] error: $python not found (Python 3.10+ needed)" >&2; exit 1; }
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' || { echo "[trainer setup] error: Python 3.10+ needed" >&2; exit 1; }
echo "[trainer setup] installing $(grep -v '^#' trainer/requirements.txt | tr '\n' ' ')into $venv"
start=$(date +%s)
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r trainer/requirements.txt
echo "$want" > "$stamp"
echo "[trainer setup] done in $(( $(date +%s) - start )) s ($(du -sh "$venv" | cut -f1) on disk)"
