/**
 * The parameters of a `dvc repro` experiment (params.yaml, passed to `correctly stage …` by DVC's
 * dict unpacking) mapped onto the retraining pipeline's own input schema, so the DVC pipeline and
 * the Temporal workflow accept and default exactly the same values.
 */
import { z } from 'zod';
import { parsePipelineInput, type PipelineInput, type PipelineParams } from '../contracts/pipeline';
import { sha256 } from '../core/ids';

/**
 * Flags every stage may receive (commander's camelCase of the params.yaml keys). Only their types
 * are checked here: the limits are the pipeline input's own (`pipelineParams` below).
 */
export const StageFlagsSchema = z
  .object({
    seed: z.number().int().optional(),
    // generate
    samples: z.number().int().optional(),
    batchSize: z.number().int().optional(),
    teacher: z.string().optional(),
    reasonLanguage: z.string().optional(),
    // validate (+ the split done when the dataset is versioned)
    embedder: z.string().optional(),
    nearDuplicateThreshold: z.number().optional(),
    piiPolicy: z.string().optional(),
    maxRejectRate: z.number().optional(),
    maxSentenceTokens: z.number().int().optional(),
    validSplit: z.number().optional(),
    testSplit: z.number().optional(),
    // train
    modelName: z.string().optional(),
    minCount: z.number().int().min(1).optional(),
    minPrecision: z.number().min(0).max(1).optional(),
    confidence: z.number().min(0).max(5).optional(),
    maxSpan: z.number().int().min(1).max(5).optional(),
    // evaluate
    jflegLimit: z.number().int().optional(),
    minGleuDelta: z.number().optional(),
    minNoChangeRate: z.number().optional(),
  })
  .strict();
export type StageFlags = z.infer<typeof StageFlagsSchema>;

export class StageInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageInputError';
  }
}

/** The flags as a pipeline input, validated by the pipeline's schema (same limits, same defaults). */
export function pipelineParams(flags: StageFlags): PipelineParams {
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const input = defined({
    seed: flags.seed,
    samples: flags.samples,
    batchSize: flags.batchSize,
    reasonLanguage: flags.reasonLanguage,
    modelName: flags.modelName,
    trigger: 'dvc repro',
  }) as Record<string, unknown>;
  const nonEmpty = (o: object) => (Object.keys(o).length ? o : undefined);
  const backends = nonEmpty(defined({ teacher: flags.teacher, embedder: flags.embedder }));
  const validation = nonEmpty(defined({ nearDuplicateThreshold: flags.nearDuplicateThreshold, piiPolicy: flags.piiPolicy, maxRejectRate: flags.maxRejectRate, maxSentenceTokens: flags.maxSentenceTokens }));
  const gate = nonEmpty(defined({ jflegLimit: flags.jflegLimit, minGleuDelta: flags.minGleuDelta, minNoChangeRate: flags.minNoChangeRate }));
  if (backends) input.backends = backends;
  if (validation) input.validation = validation;
  if (gate) input.gate = gate;
  if (flags.validSplit !== undefined || flags.testSplit !== undefined) input.splits = { valid: flags.validSplit ?? 0.1, test: flags.testSplit ?? 0.15 };
  const parsed = parsePipelineInput(input as PipelineInput);
  if (!parsed.ok) throw new StageInputError(`invalid stage parameters: ${parsed.error}`);
  return parsed.value;
}

/**
 * The pipeline id the experiment's samples are stored under. Generation and validation write the
 * samples table (validation changes their status), so the id covers the parameters of both: a
 * change to either starts a fresh set of samples instead of reusing ones judged differently.
 */
export function experimentId(p: PipelineParams): string {
  const key = {
    seed: p.seed,
    samples: p.samples,
    batchSize: p.batchSize,
    reasonLanguage: p.reasonLanguage,
    teacher: p.backends.teacher,
    embedder: p.backends.embedder,
    validation: p.validation,
    splits: p.splits,
  };
  return `dvc-${sha256(JSON.stringify(key)).slice(0, 16)}`;
}

/** The rules trainer's options given on the command line (the trainer defaults the rest). */
export function trainOptions(flags: StageFlags) {
  return Object.fromEntries(
    Object.entries({ minCount: flags.minCount, minPrecision: flags.minPrecision, confidence: flags.confidence, maxSpan: flags.maxSpan }).filter(([, v]) => v !== undefined),
  ) as { minCount?: number; minPrecision?: number; confidence?: number; maxSpan?: number };
}
