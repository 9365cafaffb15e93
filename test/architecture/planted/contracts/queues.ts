import { engine } from '../core/engine';
// planted: contracts-import-only-domain
import { llm } from '../adapters/llm';
export const QUEUE = [engine, llm];
