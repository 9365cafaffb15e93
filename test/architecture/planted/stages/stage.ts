import { train } from '../activities/train';
// planted: not-to-unresolvable
import { gone } from './not-there';
export const stage = [train, gone];
