// What piscina loads in each pool thread when the code runs from source (a process running from
// the build loads dist/cli/pool-thread.js instead, config/paths.ts): TypeScript support for this
// thread, then the thread's code (./pool-thread.ts). Node 20 does not apply the parent's `--import tsx` loader hooks to
// ES modules in worker threads, so the thread registers tsx itself (harmless when it already is).
import { register } from 'tsx/esm/api';

register();
const thread = await import('./pool-thread.ts');
export default thread.default;
