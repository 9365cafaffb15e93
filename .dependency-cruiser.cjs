/**
 * The layers of Correctly and what may import what (docs/architecture.md explains them).
 * `make test` runs `npm run depcruise` before any test: one upward import or one cycle fails it.
 *
 *   core/        domain: engines, text, GLEU, evaluation, drift, validation, teachers' logic
 *   config/      settings and project locations
 *   contracts/   what workflows, workers, activities, clients and stages share
 *   adapters/    I/O behind the domain's ports (MLflow, DVC, Chroma, LanguageTool, LLMs, engine threads…)
 *   entities/    the database: schema, migrations, seed data
 *   ops/         the dev stack and worker monitoring
 *   activities/ workflows/ stages/   the retraining loop
 *   worker/ serve/ client/           composition roots (processes)
 */
const APP = '^(activities|workflows|stages)/';
const ROOTS = '^(worker|serve|client)/';
const NOT_PRODUCTION = '^(test|bench|scripts)/';

/** Packages and Node modules that reach servers, processes, threads or the database: never in the domain. */
const IO_PACKAGES = `(^|/)node_modules/(${['@temporalio', 'pg', 'typeorm', 'piscina', 'chromadb', 'openai', 'ollama', 'fastify', '@fastify', 'prom-client'].join('|')})/`;
const IO_NODE_MODULES = `^(node:)?(${['child_process', 'net', 'http', 'https', 'http2', 'dgram', 'cluster', 'worker_threads'].join('|')})$`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle ties modules together so neither can be read, tested or moved alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-innermost',
      severity: 'error',
      comment: 'core/ is the domain: it imports nothing of the project outside core/ (ports are declared in core/, implemented in adapters/).',
      from: { path: '^core/' },
      to: { path: '^(?!core/)[^/]+/', pathNot: '(^|/)node_modules/' },
    },
    {
      name: 'domain-has-no-io',
      severity: 'error',
      comment: 'The domain talks to no server, process, thread or database: that is what adapters/ are for.',
      from: { path: '^core/' },
      to: { path: [IO_PACKAGES, IO_NODE_MODULES], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'config-imports-only-domain',
      severity: 'error',
      comment: 'config/ (settings, paths) sits just above the domain: everything else may read it.',
      from: { path: '^config/' },
      to: { path: '^(?!(config|core)/)[^/]+/', pathNot: '(^|/)node_modules/' },
    },
    {
      name: 'contracts-import-only-domain',
      severity: 'error',
      comment: 'contracts/ are shared by workflows (sandboxed, deterministic), workers, activities, clients and stages: they may use the domain only.',
      from: { path: '^contracts/' },
      to: { path: '^(?!(contracts|core)/)[^/]+/', pathNot: '(^|/)node_modules/' },
    },
    {
      name: 'adapters-below-the-loop',
      severity: 'error',
      comment: 'Adapters (and the database in entities/) serve the domain and the loop; they never import the loop, the processes or operations tooling.',
      from: { path: '^(adapters|entities)/' },
      to: { path: [APP, ROOTS, '^ops/', NOT_PRODUCTION] },
    },
    {
      name: 'ops-below-the-loop',
      severity: 'error',
      comment: 'ops/ starts processes by their entry files (config/paths.ts), never by importing them.',
      from: { path: '^ops/' },
      to: { path: [APP, ROOTS, NOT_PRODUCTION] },
    },
    {
      name: 'loop-below-the-processes',
      severity: 'error',
      comment: 'Activities, workflows and DVC stages are assembled by the processes (worker, serve, client), never the reverse.',
      from: { path: APP },
      to: { path: [ROOTS, '^ops/', NOT_PRODUCTION] },
    },
    {
      name: 'workflows-take-only-types-of-activities',
      severity: 'error',
      comment: 'Workflow code runs in the deterministic sandbox: it takes activities as types (proxyActivities), never their code.',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-are-deterministic',
      severity: 'error',
      comment: 'Workflow code runs in the sandbox: no adapters, database, config loading or operations tooling.',
      from: { path: '^workflows/' },
      to: { path: '^(adapters|entities|config|ops|stages)/' },
    },
    {
      name: 'serving-and-workers-stay-apart',
      severity: 'error',
      comment: 'The serving API and the worker are separate processes; only the CLI (client/) starts either.',
      from: { path: '^(serve|worker)/' },
      to: { path: '^client/' },
    },
    {
      name: 'worker-does-not-import-serving',
      severity: 'error',
      from: { path: '^worker/' },
      to: { path: '^serve/' },
    },
    {
      name: 'serving-does-not-import-the-worker',
      severity: 'error',
      from: { path: '^serve/' },
      to: { path: '^worker/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // test/architecture/planted/ breaks every rule on purpose (test/architecture/layers.test.ts cruises it on its own)
    exclude: { path: '^(dist|\\.venv|\\.venv-trainer|\\.tools|\\.state|test/architecture/planted)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.cjs', '.json'],
    },
  },
};
