#!/usr/bin/env node
/**
 * Builds the CLI into dist/cli with esbuild: client/cli.ts bundled as ES modules, one chunk per
 * lazily imported command group, npm packages left external (loaded from node_modules as usual).
 * The stack's long-running Node programs are entry points of the same build, sharing its chunks:
 * the serving API (serve.js), the worker (worker.js) and the engine pool's thread (pool-thread.js,
 * which config/paths.ts names when the code runs from the build). Run from the build, they skip
 * tsx's loader thread and its per-module round trips: ~3 CPU-s less per start of each.
 * `scripts/ensure-build.sh` runs this when a source file is newer than the build.
 *
 * Modules that locate files next to their source (`import.meta.dirname`, `import.meta.url`: a data
 * file, a module run in an engine thread) keep doing so: each use is rewritten to the source
 * directory or file, relative to the bundle, so the build works wherever the clone is (entry and
 * chunks share one directory, so one relative path serves whichever file the code lands in).
 *
 * Safe to run while the CLI runs, and twice at once: it builds into a temporary directory, then
 * renames each file into place (chunks have content hashes; the entry and the stamp go last).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'dist/cli');
const tmpDir = path.join(root, 'dist', `.cli-build-${process.pid}`);
const started = new Date();
const ENTRIES = {
  cli: path.join(root, 'client/cli.ts'),
  serve: path.join(root, 'serve/main.ts'),
  worker: path.join(root, 'worker/main.ts'),
  'pool-thread': path.join(root, 'adapters/engine-pool/pool-thread.ts'),
};

/** `import.meta.dirname` and `import.meta.url` → the module's source directory and file, found from the bundle's own location. */
const sourceDirname = {
  name: 'source-dirname',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.dirname') && !text.includes('import.meta.url')) return undefined;
      const rel = (p) => path.relative(outDir, p).split(path.sep).join('/');
      const fileExpr = `new URL(${JSON.stringify(rel(args.path))}, import.meta.url).href`;
      const dirExpr = `decodeURIComponent(new URL(${JSON.stringify(`${rel(path.dirname(args.path))}/`)}, import.meta.url).pathname).replace(/\\/$/, '')`;
      // the file first: the directory's expression uses the bundle's own import.meta.url
      return { contents: text.replaceAll('import.meta.url', `(${fileExpr})`).replaceAll('import.meta.dirname', `(${dirExpr})`), loader: 'ts' };
    });
  },
};

try {
  await build({
    entryPoints: ENTRIES,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: tmpDir,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [sourceDirname],
    // config/paths.ts: `RUNS_FROM_BUILD`
    define: { CORRECTLY_BUILT: 'true' },
  });
  // Chunks first, the entries after them, the stamp last: a program starting meanwhile sees a whole build.
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(path.relative(tmpDir, p));
    }
  };
  walk(tmpDir);
  const isEntry = (f) => Object.keys(ENTRIES).some((name) => f.startsWith(`${name}.`));
  files.sort((a, b) => Number(isEntry(a)) - Number(isEntry(b)));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(outDir, f)), { recursive: true });
    renameSync(path.join(tmpDir, f), path.join(outDir, f));
  }
  // Files of builds older than a day are no longer loaded by anything still running.
  const kept = new Set(files);
  for (const name of readdirSync(outDir)) {
    const p = path.join(outDir, name);
    if (!kept.has(name) && name !== '.built' && Date.now() - statSync(p).mtimeMs > 24 * 3600_000) rmSync(p, { recursive: true, force: true });
  }
  // The stamp carries the build's start time: a source saved during the build is newer, and rebuilds.
  const stamp = path.join(outDir, '.built');
  writeFileSync(stamp, `${started.toISOString()}\n`);
  utimesSync(stamp, started, started);
} finally {
  rmSync(tmpDir, { recursive: true, force: true });
}
