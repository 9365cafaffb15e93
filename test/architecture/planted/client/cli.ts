import { worker } from '../worker/main';
import { server } from '../serve/server';
import { stack } from '../ops/stack';
export const cli = [worker, server, stack];
