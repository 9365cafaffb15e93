import { train } from '../activities/train';
import { pipeline } from '../workflows/pipeline';
export const worker = [train, pipeline];
