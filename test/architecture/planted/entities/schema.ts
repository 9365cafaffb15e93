import { llm } from '../adapters/llm';
// planted: adapters-below-the-loop (entities/ is the database adapter)
import { server } from '../serve/server';
export const schema = [llm, server];
