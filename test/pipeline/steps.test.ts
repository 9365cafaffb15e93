/** The pipeline's steps shared by the workflow and the DVC stage driver (contracts/pipeline-steps.ts). */
import { describe, expect, it } from 'vitest';
import { parsePipelineInput } from '../../contracts/pipeline';
import { generateBatchInput, generationBatches, topRejectionReasons, validateSamplesInput, validationRefusal, versionDatasetInput } from '../../contracts/pipeline-steps';

const params = (input: object = {}) => {
  const p = parsePipelineInput(input);
  if (!p.ok) throw new Error(p.error);
  return p.value;
};

describe('pipeline steps', () => {
  it('splits generation into full batches and a last partial one', () => {
    expect(generationBatches({ samples: 450, batchSize: 200 })).toEqual([{ batch: 0, count: 200 }, { batch: 1, count: 200 }, { batch: 2, count: 50 }]);
    expect(generationBatches({ samples: 200, batchSize: 200 })).toEqual([{ batch: 0, count: 200 }]);
    const p = params({ samples: 30, batchSize: 10, seed: 9, reasonLanguage: 'en' });
    expect(generationBatches(p).map((b) => b.count).reduce((a, b) => a + b)).toBe(30);
    expect(generateBatchInput('p-1', p, { batch: 2, count: 10 })).toEqual({ pipelineId: 'p-1', batch: 2, offset: 20, count: 10, seed: 9, teacher: 'noise', reasonLanguage: 'en' });
  });

  it('builds each stage\'s input from the parameters', () => {
    const p = params({ validation: { piiPolicy: 'reject', maxSentenceTokens: 64, chunkSize: 500 }, splits: { valid: 0.2, test: 0.2 } });
    expect(validateSamplesInput('p-1', p)).toEqual({ pipelineId: 'p-1', embedder: 'local', nearDuplicateThreshold: 0.95, piiPolicy: 'reject', maxSentenceTokens: 64, chunkSize: 500 });
    expect(versionDatasetInput('p-1', p)).toEqual({ pipelineId: 'p-1', seed: 42, splits: { valid: 0.2, test: 0.2 } });
  });

  it('refuses a dataset with nothing accepted, or more rejected than allowed, naming the top reasons', () => {
    const byReason = { near_duplicate: 30, pii: 5, too_many_tokens: 50, unchanged: 1 };
    expect(topRejectionReasons(byReason)).toBe('too_many_tokens (50), near_duplicate (30), pii (5)');
    expect(validationRefusal({ total: 86, accepted: 0, rejected: 86, byReason }, 0.9)).toBe('All 86 generated samples were rejected; top reasons: too_many_tokens (50), near_duplicate (30), pii (5)');
    expect(validationRefusal({ total: 0, accepted: 0, rejected: 0, byReason: {} }, 0.9)).toBe('All 0 generated samples were rejected; top reasons: none recorded');
    expect(validationRefusal({ total: 100, accepted: 5, rejected: 95, byReason }, 0.9)).toBe('95 of 100 samples rejected (more than 90%); top reasons: too_many_tokens (50), near_duplicate (30), pii (5)');
    expect(validationRefusal({ total: 100, accepted: 10, rejected: 90, byReason }, 0.9)).toBeNull();
  });
});
