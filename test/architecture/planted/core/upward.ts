// planted: domain-is-innermost
import { llm } from '../adapters/llm';
export const upward = llm;
