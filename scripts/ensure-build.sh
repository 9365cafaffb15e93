#!/usr/bin/env bash
# Makes the compiled build (dist/cli, scripts/build-cli.mjs) current: builds it when it is missing
# or a source file is newer than it (about half a second). Exit 0 when dist/cli is current, 1 when
# it cannot be built (no esbuild): callers then run from source through tsx. The one place that
# decides whether the build is current, for `bin/correctly` and the stack's Node programs.
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
stamp="$root/dist/cli/.built"
if [ ! -f "$stamp" ] || [ -n "$(find "$root"/{client,contracts,core,config,adapters,ops,activities,workflows,worker,stages,entities,serve,infra} \
      "$root/package-lock.json" "$root/tsconfig.json" "$root/scripts/build-cli.mjs" \
      -newer "$stamp" \( -name '*.ts' -o -name '*.json' -o -name '*.mjs' \) -print -quit 2>/dev/null)" ]; then
  node "$root/scripts/build-cli.mjs" 2>/dev/null || exit 1
fi
[ -f "$root/dist/cli/cli.js" ]
