import { llm } from './llm';
// planted: adapters-below-the-loop
import { plain } from '../activities/plain';
export const up = [llm, plain];
