#!/usr/bin/env bash
# Builds the Ollama server from its Go module, pinned, for the integration test that serves the
# tiny fine-tuned model (test/providers/ollama-real.test.ts). Built once: later runs find the binary
# and its version stamp and say so. About 4-5 minutes on a quiet 2-core machine the first time (13
# under load); Go's build cache makes a rebuild quick.
#
# The module zip leaves out llama.cpp's vendored headers, so they come from Debian's packages
# (nlohmann-json3-dev, libstb-dev) and, for miniaudio (audio input only), a stand-in header beside
# this script.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
OLLAMA_VERSION=v0.17.4
bin=.tools/bin/ollama
stamp=.tools/stamps/ollama
# Built once per machine into its cache, then copied: a fresh clone on the same machine (CI)
# does not build it again.
cached=${CORRECTLY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/correctly}/ollama-$OLLAMA_VERSION/ollama
if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$OLLAMA_VERSION" ]; then
  echo "[ollama build] cached: $bin is Ollama $OLLAMA_VERSION, built once (delete $stamp to build it again)"
  exit 0
fi
if [ -x "$cached" ]; then
  mkdir -p .tools/bin .tools/stamps
  cp "$cached" "$bin"
  echo "$OLLAMA_VERSION" > "$stamp"
  echo "[ollama build] cached: $bin copied from $cached (Ollama $OLLAMA_VERSION, built once on this machine; delete it to build again)"
  exit 0
fi
command -v go >/dev/null || { echo "[ollama build] error: Go is needed" >&2; exit 1; }
missing=()
[ -f /usr/include/nlohmann/json_fwd.hpp ] || missing+=(nlohmann-json3-dev)
[ -f /usr/include/stb/stb_image.h ] || missing+=(libstb-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "[ollama build] error: install ${missing[*]}" >&2
    exit 1
  fi
fi
mkdir -p .tools/bin .tools/stamps
echo "[ollama build] go install github.com/ollama/ollama@$OLLAMA_VERSION"
GOTOOLCHAIN=local GOBIN="$root/.tools/bin" CGO_CPPFLAGS="-I$root/test/providers/ollama-build -I/usr/include/stb/.." \
  go install "github.com/ollama/ollama@$OLLAMA_VERSION"
echo "$OLLAMA_VERSION" > "$stamp"
mkdir -p "$(dirname "$cached")"
cp "$bin" "$cached.tmp" && mv "$cached.tmp" "$cached"
echo "[ollama build] built $bin (Ollama $OLLAMA_VERSION) and kept a copy in $cached; later runs use it as it is"
