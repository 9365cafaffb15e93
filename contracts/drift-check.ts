/** The drift check's contract: its input (validated by client and workflow) and its outcome. */
import { z } from 'zod';
import { DriftThresholdsSchema, QualityThresholdsSchema } from '../core/drift/assess';
import { PolicyPatchSchema } from './controller';
import { ModelNameSchema } from './pipeline';

export const DRIFT_CHECK_WORKFLOW = 'driftCheckWorkflow';

export const DriftCheckInputSchema = z
  .object({
    modelName: ModelNameSchema.default('correctly-corrector'),
    windowSeconds: z.number().int().min(10).max(30 * 24 * 3600).default(3600),
    minSamples: z.number().int().min(5).default(30),
    /** Only requests from this time on (e.g. since the last deploy); the window still bounds it. */
    since: z.iso.datetime({ offset: true }).optional(),
    /** At most this many reference sentences (the champion's training split) are described. */
    maxReference: z.number().int().min(20).max(20_000).default(2000),
    thresholds: DriftThresholdsSchema.default(DriftThresholdsSchema.parse({})),
    quality: QualityThresholdsSchema.default(QualityThresholdsSchema.parse({})),
    judge: z.enum(['none', 'openai', 'ollama']).default('none'),
    judgeSample: z.number().int().min(1).max(500).default(20),
    /** Signal the controller (signalWithStart) when drift is found. */
    signalController: z.boolean().default(true),
    /** Policy the controller starts with if the signal has to start it. */
    controllerPolicy: PolicyPatchSchema.optional(),
  })
  .strict();
export type DriftCheckInput = z.input<typeof DriftCheckInputSchema>;
export type DriftCheckParams = z.output<typeof DriftCheckInputSchema>;

export interface DriftCheckOutcome {
  reportId: string;
  drifted: boolean;
  skipped: string | null;
  sampleSize: number;
  reasons: string[];
  championVersion: string | null;
  signaled: boolean;
}
