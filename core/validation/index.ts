/**
 * The validate stage's logic: every candidate triple goes through the checks, cheapest first, and
 * is accepted or rejected with stable reason codes; PII is redacted.
 *
 *   1. schema_invalid   zod schema: shape, clean text, known error types, reason language
 *   2. pii              emails, phones, card numbers, RRN/SSN, IPs, URLs with credentials:
 *                       redacted (always), and the sample rejected under policy `reject`
 *   3. unchanged        corrected = awkward after whitespace normalisation
 *   4. length_ratio     len(awkward)/len(corrected) out of bounds
 *   5. too_different    the "correction" is another sentence
 *   6. profanity        obscenity, English
 *   7. too_many_tokens  o200k_base token limits per field and in total
 *   8. near_duplicate   embedding + vector index, only for samples that passed 1–7
 * Checks 2–7 all run (a sample collects every cheap reason) when the text fields are usable; the
 * later checks see the redacted text.
 *
 * Pure logic: no database, no Temporal. The caller stores results and reports progress.
 */
import { LocalHashEmbedder } from '../embedding/local-hash';
import type { Embedder } from '../embedding/types';
import type { VectorIndex, VectorMetadata } from '../embedding/vector-index';
import { parseValidationConfig, type ValidationConfig, type ValidationConfigInput } from './config';
import { findNearDuplicates, nearDuplicateReason } from './dedup';
import { checkLengthRatio, checkTooDifferent } from './length';
import { placeholdersIn, redactSample } from './pii';
import { checkProfanity } from './profanity';
import { checkSchema } from './schema';
import { checkTokens, sampleTokens } from './tokens';
import {
  type CandidateSample,
  emptyCounts,
  PII_TYPES,
  REASON_CODES,
  type RejectionReason,
  type SampleResult,
  type StageReport,
  TEXT_FIELDS,
} from './types';
import { checkUnchanged } from './unchanged';
import { loopYielder } from '../yield';

export * from './types';
export { DEFAULT_VALIDATION_CONFIG, parseValidationConfig, ValidationConfigSchema, type ValidationConfig, type ValidationConfigInput } from './config';
export { CandidateSampleSchema } from './schema';
export { detectPii, PII_PLACEHOLDERS, placeholdersIn, redactPii, redactSample, luhnValid, samplePiiTypes } from './pii';
export { containsProfanity, maskProfanity } from './profanity';
export { countTokens } from './tokens';

export interface ValidationProgress {
  phase: 'checks' | 'near_duplicate';
  done: number;
  total: number;
}

export interface ValidateOptions {
  /** Parsed or raw config (validated here; every field defaults). */
  config?: ValidationConfigInput;
  /** Embeds awkward sentences for the near-duplicate check (default: a LocalHashEmbedder). */
  embedder?: Embedder;
  /** Where accepted samples' embeddings live; required unless nearDuplicate.enabled is false. */
  vectorIndex?: VectorIndex;
  /** Metadata stored with each accepted sample's vector (e.g. pipeline id, batch). */
  metadataFor?: (sample: CandidateSample) => VectorMetadata;
  /** Called after every chunk of work (for activity heartbeats). */
  onProgress?: (p: ValidationProgress) => void;
}

export interface ValidationOutcome {
  results: SampleResult[];
  report: StageReport;
}

/** Samples per chunk of the cheap checks, between which the event loop gets a turn. */
const CHECK_CHUNK = 512;

/**
 * Runs checks 1–7 on one candidate. `fallbackId` names it when it has no usable id.
 * Synchronous and independent of other samples.
 */
export function runCheapChecks(raw: unknown, config: ValidationConfig, fallbackId = '(no id)'): SampleResult {
  const schema = checkSchema(raw, fallbackId);
  const reasons: RejectionReason[] = [...schema.reasons];
  // Redact whatever text there is, even for a sample about to be rejected: rejected samples are stored too.
  const { sample, redactions } = redactSample(schema.sample, { types: config.pii.types });
  // Placeholders already in the text are PII redacted before the sample was stored (generate stage).
  const found = [...redactions, ...TEXT_FIELDS.flatMap((field) => placeholdersIn(schema.sample[field]).map((type) => ({ field, type })))];
  if (found.length && config.pii.policy === 'reject') {
    const fields = [...new Set(found.map((r) => r.field))];
    const types = [...new Set(found.map((r) => r.type))];
    reasons.push({ code: 'pii', field: fields.join(','), detail: `PII (${types.join(', ')}) in ${fields.join(', ')}` });
  }
  let tokens: SampleResult['tokens'];
  if (schema.textUsable) {
    reasons.push(...checkUnchanged(sample), ...checkLengthRatio(sample, config.lengthRatio), ...checkTooDifferent(sample, config.tooDifferent));
    if (config.profanity.enabled) reasons.push(...checkProfanity(sample));
    tokens = sampleTokens(sample);
    reasons.push(...checkTokens(tokens, config.tokens));
  }
  return { id: sample.id, status: reasons.length ? 'rejected' : 'accepted', reasons, redactions, sample, ...(tokens ? { tokens } : {}) };
}

/** Validates a batch: results in input order and the stage report. */
export async function validateBatch(samples: readonly unknown[], opts: ValidateOptions = {}): Promise<ValidationOutcome> {
  const started = performance.now();
  const config = parseValidationConfig(opts.config ?? {});
  const timings = { checks: 0, embed: 0, index: 0 };
  if (config.nearDuplicate.enabled && !opts.vectorIndex) {
    throw new Error('validateBatch: nearDuplicate is enabled but no vectorIndex was given (pass a ChromaVectorIndex, an InMemoryVectorIndex for tests, or set nearDuplicate.enabled: false)');
  }

  // 1–7: cheap checks, yielding every 20 ms so the event loop (heartbeats, workflow tasks) keeps running.
  const results: SampleResult[] = [];
  const batchOrder = new Map<string, number>();
  const breathe = loopYielder();
  for (let start = 0; start < samples.length; start += CHECK_CHUNK) {
    const t0 = performance.now();
    const end = Math.min(samples.length, start + CHECK_CHUNK);
    for (let i = start; i < end; i++) {
      const r = runCheapChecks(samples[i], config, `(sample ${i})`);
      if (batchOrder.has(r.id)) {
        r.reasons.unshift({ code: 'schema_invalid', field: 'id', detail: `id: repeats the id of sample ${batchOrder.get(r.id)} of this batch` });
        r.status = 'rejected';
      } else batchOrder.set(r.id, i);
      results.push(r);
      await breathe();
    }
    timings.checks += performance.now() - t0;
    opts.onProgress?.({ phase: 'checks', done: end, total: samples.length });
    if (end < samples.length) await new Promise((resolve) => setImmediate(resolve));
  }

  // 8: near duplicates among the survivors.
  if (config.nearDuplicate.enabled && opts.vectorIndex) {
    const survivors = results.filter((r) => r.status === 'accepted');
    const found = await findNearDuplicates(
      survivors.map((r) => ({ id: r.id, text: r.sample.awkward, metadata: opts.metadataFor?.(r.sample) })),
      {
        embedder: opts.embedder ?? new LocalHashEmbedder(),
        index: opts.vectorIndex,
        config: config.nearDuplicate,
        batchOrder,
        rejectedIds: results.filter((r) => r.status === 'rejected').map((r) => r.id),
        onChunk: (done, total) => opts.onProgress?.({ phase: 'near_duplicate', done, total }),
        timings,
      },
    );
    for (const r of survivors) {
      const f = found.get(r.id);
      if (f) {
        r.reasons.push(nearDuplicateReason(f));
        r.status = 'rejected';
      }
    }
  }

  return { results, report: buildReport(results, performance.now() - started, timings) };
}

export function buildReport(results: readonly SampleResult[], durationMs: number, timings: StageReport['timingsMs'] = { checks: 0, embed: 0, index: 0 }): StageReport {
  const byReason = emptyCounts(REASON_CODES);
  const byFirstReason = emptyCounts(REASON_CODES);
  const redactionsByType = emptyCounts(PII_TYPES);
  let accepted = 0;
  let redacted = 0;
  for (const r of results) {
    if (r.status === 'accepted') accepted++;
    else byFirstReason[r.reasons[0].code]++;
    for (const code of new Set(r.reasons.map((x) => x.code))) byReason[code]++;
    if (r.redactions.length) redacted++;
    for (const x of r.redactions) redactionsByType[x.type]++;
  }
  const ms = (x: number) => Math.round(x * 10) / 10;
  return {
    total: results.length,
    accepted,
    rejected: results.length - accepted,
    byReason,
    byFirstReason,
    redacted,
    redactionsByType,
    durationMs: ms(durationMs),
    timingsMs: { checks: ms(timings.checks), embed: ms(timings.embed), index: ms(timings.index) },
  };
}
