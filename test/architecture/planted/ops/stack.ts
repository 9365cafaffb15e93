import { llm } from '../adapters/llm';
import { QUEUE } from '../contracts/queues';
// planted: ops-below-the-loop
import { worker } from '../worker/main';
export const stack = [llm, QUEUE, worker];
