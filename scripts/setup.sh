#!/usr/bin/env bash
# Installs what Correctly needs, idempotently: Node deps, the Temporal CLI (built from its Go
# module, pinned), the Python venv with MLflow, DVC and Chroma, and LanguageTool (Maven, Java 17). `--test` adds PostgreSQL and
# Chromium for the test suite. Each step is skipped when its inputs have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
stamp_dir=.tools/stamps
mkdir -p "$stamp_dir" .tools/bin

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "[setup] error: $1 is required ($2)" >&2; exit 1; }; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

need node "Node.js 20 or newer"
need npm "npm"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || { echo "[setup] error: Node.js >= 20 required, found $(node --version)" >&2; exit 1; }

# 1. Node dependencies from the committed lockfile.
h=$(hash_of package-lock.json)
if [ ! -d node_modules ] || [ "$(cat $stamp_dir/npm 2>/dev/null)" != "$h" ]; then
  say "installing Node dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$h" > $stamp_dir/npm
fi

# 1b. The CLI's compiled build (dist/cli, esbuild, half a second); bin/correctly rebuilds it when
# sources change and falls back to running from source if it cannot.
say "building the CLI (dist/cli)"
node scripts/build-cli.mjs

# 2. Temporal CLI, pinned. Newer tags refuse `go install` because of a replace directive.
TEMPORAL_CLI_VERSION=v1.5.1
if [ -n "${TEMPORAL_BIN:-}" ] && [ -x "${TEMPORAL_BIN}" ]; then
  say "using TEMPORAL_BIN=${TEMPORAL_BIN}"
elif [ ! -x .tools/bin/temporal ] || [ "$(cat $stamp_dir/temporal 2>/dev/null)" != "$TEMPORAL_CLI_VERSION" ]; then
  if command -v go >/dev/null 2>&1; then
    say "building the Temporal CLI $TEMPORAL_CLI_VERSION with go install (cached in Go's build cache)"
    GOTOOLCHAIN=local GOBIN="$root/.tools/bin" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
    echo "$TEMPORAL_CLI_VERSION" > $stamp_dir/temporal
  elif command -v temporal >/dev/null 2>&1; then
    say "Go not found; using temporal on PATH: $(command -v temporal)"
  else
    echo "[setup] error: need Go (to build the Temporal CLI) or a temporal binary on PATH / TEMPORAL_BIN" >&2
    exit 1
  fi
fi

# 3. Python venv with the servers and CLIs (pip's cache makes re-creation fast).
need python3 "Python 3.10+ for MLflow, DVC and Chroma"
h=$(hash_of infra/requirements.txt)
if [ ! -x .venv/bin/mlflow ] || [ "$(cat $stamp_dir/venv 2>/dev/null)" != "$h" ]; then
  say "creating the Python venv (.venv) with $(grep -v '^#' infra/requirements.txt | tr '\n' ' ')"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r infra/requirements.txt
  echo "$h" > $stamp_dir/venv
fi
# An empty MLflow database migrated by this MLflow: a new stack copies it instead of migrating (~4 s).
if [ ! -f .tools/mlflow/empty.db ] || [ "$(cat $stamp_dir/mlflow-empty-db 2>/dev/null)" != "$h" ]; then
  mkdir -p .tools/mlflow
  rm -f .tools/mlflow/empty.db
  .venv/bin/python infra/mlflow/empty-db.py .tools/mlflow/empty.db > .tools/mlflow/empty-db.log 2>&1 \
    || { echo "[setup] error: could not write an empty MLflow database (see .tools/mlflow/empty-db.log)" >&2; exit 1; }
  echo "$h" > $stamp_dir/mlflow-empty-db
fi

# 4. LanguageTool 6.8 (server + English) from Maven Central, pinned in infra/languagetool/pom.xml.
#    Java 17 and Maven come from Debian packages when missing; Maven's repository (~/.m2) is the cache.
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing $* from Debian packages"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    echo "[setup] error: need $* (install them with your package manager, or set LANGUAGETOOL_URL to a running LanguageTool server and skip this step with CORRECTLY_SKIP_LANGUAGETOOL=1)" >&2
    exit 1
  fi
}
if [ -z "${CORRECTLY_SKIP_LANGUAGETOOL:-}" ]; then
  java_major=$( (java -version 2>&1 || true) | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -n1)
  if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then apt_install openjdk-17-jre-headless; fi
  h=$(hash_of infra/languagetool/pom.xml)
  if [ ! -f .tools/languagetool/lib/languagetool-server-6.8.jar ] || [ "$(cat $stamp_dir/languagetool 2>/dev/null)" != "$h" ]; then
    command -v mvn >/dev/null 2>&1 || apt_install maven
    say "installing LanguageTool 6.8 (server + English) from Maven Central into .tools/languagetool"
    rm -rf .tools/languagetool/lib
    mvn -q -B -f infra/languagetool/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$root/.tools/languagetool/lib"
    echo "$h" > $stamp_dir/languagetool
  fi
fi

if [ "${1:-}" = "--test" ]; then
  # 5. Test-only system packages: real PostgreSQL 15 and Chromium for browser tests.
  missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing ${missing[*]} from Debian packages"
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "[setup] error: tests need: ${missing[*]} (install them with your package manager)" >&2
      exit 1
    fi
  fi
  # 6. compose-check: validates compose.yaml with compose-go, the Compose Specification's loader.
  h=$(hash_of infra/compose-check/go.mod infra/compose-check/go.sum infra/compose-check/main.go)
  if [ ! -x .tools/bin/compose-check ] || [ "$(cat $stamp_dir/compose-check 2>/dev/null)" != "$h" ]; then
    say "building compose-check (compose-go)"
    (cd infra/compose-check && GOTOOLCHAIN=local go build -o "$root/.tools/bin/compose-check" .)
    echo "$h" > $stamp_dir/compose-check
  fi
fi
if [ "${1:-}" = "--test" ]; then
  # 6. OpenWebUI for its end-to-end test (test/serve/openai.test.ts), pinned, in its own venv:
  #    the package without its dependency list (which pulls torch, CUDA wheels and document
  #    parsers: gigabytes) plus the slim dependency set upstream ships in the wheel for its slim
  #    image (requirements-slim.txt: API, auth, SQLite; no local models).
  OPENWEBUI_VERSION=0.12.4
  owui=.tools/open-webui-$OPENWEBUI_VERSION
  if [ ! -x "$owui/bin/open-webui" ] || [ "$(cat $stamp_dir/open-webui 2>/dev/null)" != "$OPENWEBUI_VERSION" ]; then
    py=""
    for c in python3 python3.12 python3.11; do
      if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 12) else 1)'; then py=$c; break; fi
    done
    [ -n "$py" ] || { echo "[setup] error: open-webui $OPENWEBUI_VERSION needs Python 3.11 or 3.12 (for test/serve/openai.test.ts)" >&2; exit 1; }
    say "installing open-webui $OPENWEBUI_VERSION with its slim dependency set into $owui"
    rm -rf "$owui"
    "$py" -m venv "$owui"
    wheel_dir=$(mktemp -d)
    "$owui/bin/pip" download --quiet --disable-pip-version-check --no-deps -d "$wheel_dir" "open-webui==$OPENWEBUI_VERSION"
    "$owui/bin/python" -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("requirements-slim.txt").decode())' "$wheel_dir"/open_webui-*.whl > "$wheel_dir/requirements-slim.txt"
    "$owui/bin/pip" install --quiet --disable-pip-version-check -r "$wheel_dir/requirements-slim.txt"
    "$owui/bin/pip" install --quiet --disable-pip-version-check --no-deps "$wheel_dir"/open_webui-*.whl
    rm -rf "$wheel_dir"
    echo "$OPENWEBUI_VERSION" > $stamp_dir/open-webui
  fi
fi
say "ready"
