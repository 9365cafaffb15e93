#!/usr/bin/env bash
# Creates the trainer's venv (default .venv-trainer, or $CORRECTLY_TRAINER_VENV) with the pinned
# trainer/requirements.txt, idempotently: nothing is done while the venv matches the requirements.
# pip's cache (~/.cache/pip) makes a re-creation mostly a copy: the first install downloads
# about 2.9 GB of wheels (torch + NVIDIA runtime) and the venv takes about 5.5 GB on disk.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${CORRECTLY_TRAINER_VENV:-.venv-trainer}
python=${PYTHON:-python3}
stamp="$venv/.requirements.sha256"
want=$(sha256sum trainer/requirements.txt | cut -c1-64)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "[trainer setup] $venv is up to date (installed once and kept; delete it to install again)"
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
