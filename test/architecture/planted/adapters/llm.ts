import { engine } from '../core/engine';
export const llm = engine;
