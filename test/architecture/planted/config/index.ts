import { engine } from '../core/engine';
// planted: config-imports-only-domain
import { llm } from '../adapters/llm';
export const config = { engine, llm };
