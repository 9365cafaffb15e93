#!/usr/bin/env node
/**
 * Builds the CLI into dist/cli with esbuild: client/cli.ts bundled as ES modules, one chunk per
 * lazily imported command group, npm packages left external (loaded from node_modules as usual).
 * `bin/correctly` runs the build, and calls this again when a source file is newer than it.
 *
 * Modules that locate files next to their source (`import.meta.dirname`, `new URL(…, import.meta.url)`)
 * keep doing so: each use is rewritten to the source directory or file, relative to the bundle, so
 * the build works wherever the clone is (entry and chunks share one directory, so one relative path
 * serves whichever file the code lands in).
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

/**
 * `import.meta.dirname` → the module's source directory, and `import.meta.url` → the module's
 * source file URL, found from the bundle's own location: files beside the source (seed data, the
 * engine pool's thread entry, modules run in pool threads) are found from the build too.
 */
const sourceLocation = {
  name: 'source-location',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.dirname') && !text.includes('import.meta.url')) return undefined;
      const relDir = path.relative(outDir, path.dirname(args.path)).split(path.sep).join('/');
      const relFile = path.relative(outDir, args.path).split(path.sep).join('/');
      const dirExpr = `decodeURIComponent(new URL(${JSON.stringify(`${relDir}/`)}, import.meta.url).pathname).replace(/\\/$/, '')`;
      const urlExpr = `new URL(${JSON.stringify(relFile)}, import.meta.url).href`;
      // one placeholder first, so the URL expression's own import.meta.url is left alone
      const contents = text.replaceAll('import.meta.dirname', '__SOURCE_DIRNAME__').replaceAll('import.meta.url', `(${urlExpr})`).replaceAll('__SOURCE_DIRNAME__', `(${dirExpr})`);
      return { contents, loader: 'ts' };
    });
  },
};

try {
  await build({
    entryPoints: { cli: path.join(root, 'client/cli.ts') },
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
    plugins: [sourceLocation],
  });
  // Chunks first, the entry after them, the stamp last: a CLI starting meanwhile sees a whole build.
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(path.relative(tmpDir, p));
    }
  };
  walk(tmpDir);
  files.sort((a, b) => Number(a.startsWith('cli.')) - Number(b.startsWith('cli.')));
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
