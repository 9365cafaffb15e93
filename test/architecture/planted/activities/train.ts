import { llm } from '../adapters/llm';
import { QUEUE } from '../contracts/queues';
import { schema } from '../entities/schema';
// planted: loop-below-the-processes
import { server } from '../serve/server';
export const train = [llm, QUEUE, schema, server];
