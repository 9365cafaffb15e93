/** `correctly serve [--port N] [--host H]`: the serving API, web page and dashboard in the foreground. */
import type { Command } from 'commander';
import { runServingApi } from '../../serve/run';
import { action, cliConfig, UsageError } from './util';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the serving API (REST, OpenAI-compatible, web page, dashboard) until SIGTERM/SIGINT; `stack up api` runs it in the background')
    .option('--port <n>', 'port (default API_PORT)')
    .option('--host <addr>', 'address to listen on (default CORRECTLY_BIND_HOST)')
    .action(action(async (opts: { port?: string; host?: string }) => {
      const port = opts.port === undefined ? undefined : Number(opts.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new UsageError(`--port must be a port number 0-65535, got "${opts.port}"`);
      await runServingApi(cliConfig(), { port, host: opts.host });
    }));
}
