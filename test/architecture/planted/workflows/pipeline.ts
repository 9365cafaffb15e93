import type { Plain } from '../activities/plain';
import { QUEUE } from '../contracts/queues';
// planted: workflows-take-only-types-of-activities
import { train } from '../activities/train';
// planted: workflows-are-deterministic
import { llm } from '../adapters/llm';
export const pipeline = (p: Plain) => [p, QUEUE, train, llm];
