import { llm } from '../adapters/llm';
export const server = llm;
