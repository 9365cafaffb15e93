import { engine } from '../core/engine';
export const plain = engine;
export type Plain = typeof plain;
