/**
 * Issue 12: the Text Repository must feed a 600-sample run without most samples rejected as
 * near-duplicates. A default run is replayed in memory, no servers:
 *   - generate: the pipeline's default parameters split into batches (contracts/pipeline-steps.ts),
 *     and each batch draws its texts and one-shot examples with the same pure function as
 *     activities/generate.ts (core/teacher/draw.ts: texts without replacement over the run, rows
 *     ordered by id), then the offline noise teacher writes each triple with the seed generate
 *     gives it;
 *   - validate: activities/validate.ts's order (sample id) and config (the pipeline's defaults),
 *     through validateBatch with the local hash embedder and its threshold. The vector index is
 *     exact brute force in memory instead of Chroma's approximate HNSW: same rules, and if anything
 *     stricter (an approximate search can miss a neighbour, never invent one).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineInputSchema } from '../../contracts/pipeline';
import { generateBatchInput, generationBatches } from '../../contracts/pipeline-steps';
import { LocalHashEmbedder } from '../../core/embedding/local-hash';
import { InMemoryVectorIndex } from '../../core/embedding/vector-index';
import { stableId } from '../../core/ids';
import { drawBatch } from '../../core/teacher/draw';
import { loadSeed, loadTexts } from '../../entities/seed/data';
import { FORMS, lengthBucketOf, SeedTextSchema, TONES } from '../../entities/seed/schema';
import { NoiseTeacher } from '../../core/teacher/noise';
import { type CandidateSample, containsProfanity, detectPii, samplePiiTypes, validateBatch } from '../../core/validation';

const seed = loadSeed();
const params = PipelineInputSchema.parse({});
const pipelineId = 'seed-coverage';

/** The rows generate reads, in its order: ids as core/db/seed.ts derives them, sorted ascending. */
const texts = seed.texts
  .map((t) => ({ ...t, id: stableId('txt', t.language, t.task, t.text) }))
  .filter((t) => t.language === 'en' && t.task === 'gec')
  .sort((a, b) => (a.id < b.id ? -1 : 1));
const examples = seed.examples
  .map((e) => ({ ...e, id: stableId('ex', 'en', 'gec', e.awkward, params.reasonLanguage) }))
  .sort((a, b) => (a.id < b.id ? -1 : 1));

/** The candidates a default run's generate stage stores, and how many texts it drew more than once. */
function generateRun(): { samples: CandidateSample[]; draws: number; distinctTexts: number } {
  const teacher = new NoiseTeacher();
  const samples: CandidateSample[] = [];
  const drawn = new Set<string>();
  let draws = 0;
  for (const b of generationBatches(params)) {
    const input = generateBatchInput(pipelineId, params, b);
    for (const [i, { text, example }] of drawBatch(texts, examples, input).entries()) {
      draws++;
      drawn.add(text.id);
      const triple = teacher.generateSync({
        text: text.text,
        form: text.form,
        example: { awkward: example.awkward, corrected: example.corrected, reason: input.reasonLanguage === 'ko' ? example.reasonKo : example.reasonEn, errorTypes: example.errorTypes },
        reasonLanguage: input.reasonLanguage,
        seed: input.seed * 1_000_003 + input.batch * 10_007 + i,
      });
      if (triple) samples.push({ id: stableId('smp', pipelineId, input.batch, i), ...triple });
    }
  }
  return { samples: samples.sort((a, b) => (a.id < b.id ? -1 : 1)), draws, distinctTexts: drawn.size };
}

describe('Text Repository coverage (issue 12)', () => {
  it('every sentence passes the seed schema, with no PII and no profanity', () => {
    expect(seed.texts.length).toBeGreaterThanOrEqual(1200);
    for (const t of seed.texts) {
      const r = SeedTextSchema.safeParse(t);
      expect(r.success, `${t.text}: ${r.error?.message}`).toBe(true);
      expect(t.lengthBucket).toBe(lengthBucketOf(t.text));
      expect(detectPii(t.text, { types: samplePiiTypes(params.backends.teacher) }), t.text).toEqual([]);
      expect(containsProfanity(t.text), t.text).toBe(false);
    }
    // Every form, tone and length is represented.
    expect(new Set(seed.texts.map((t) => t.form))).toEqual(new Set(FORMS));
    expect(new Set(seed.texts.map((t) => t.tone))).toEqual(new Set(TONES));
    expect(new Set(seed.texts.map((t) => t.lengthBucket))).toEqual(new Set(['short', 'medium', 'long']));
  });

  it(`a default run of ${params.samples} samples keeps at least 80% of them`, async () => {
    const { samples, draws, distinctTexts } = generateRun();
    expect(draws).toBe(params.samples);
    const embedder = new LocalHashEmbedder();
    const { results, report } = await validateBatch(samples, {
      config: {
        pii: { policy: params.validation.piiPolicy },
        nearDuplicate: { threshold: params.validation.nearDuplicateThreshold },
        tokens: { maxSentenceTokens: params.validation.maxSentenceTokens },
      },
      embedder,
      vectorIndex: new InMemoryVectorIndex(embedder.dimensions),
    });
    const rate = report.accepted / params.samples;
    // A near-duplicate is either the same seed text drawn again (only when a run asks for more
    // samples than there are texts) or two seed texts too alike: only the second is the Text
    // Repository's fault.
    const correctedOf = new Map(samples.map((s) => [s.id, s.corrected]));
    const nearDuplicates = results.flatMap((r) => r.reasons.filter((x) => x.code === 'near_duplicate').map((x) => ({ text: r.sample.corrected, of: correctedOf.get(x.duplicateOf!) })));
    const ofOtherTexts = nearDuplicates.filter((d) => d.of !== d.text);
    console.log(
      `seed coverage: ${texts.length} texts; ${params.samples} draws of ${distinctTexts} distinct texts; ` +
        `${samples.length} generated, ${report.accepted} accepted (${(rate * 100).toFixed(1)}% of ${params.samples}); ` +
        `${nearDuplicates.length} near-duplicates, ${ofOtherTexts.length} of them of another seed text`,
    );
    // Only near-duplicates may be rejected: anything else means a seed sentence the checks dislike.
    const otherReasons = results.flatMap((r) => r.reasons.filter((x) => x.code !== 'near_duplicate').map((x) => `${r.sample.corrected}: ${x.code}`));
    expect(otherReasons).toEqual([]);
    expect(ofOtherTexts.length, JSON.stringify(ofOtherTexts)).toBeLessThanOrEqual(params.samples * 0.01);
    expect(rate).toBeGreaterThanOrEqual(0.8);
  });

  it('the loader names a sentence written twice, across files or in one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'correctly-seed-'));
    try {
      const entry = (text: string) => ({ text, form: 'chat', tone: 'casual', lengthBucket: lengthBucketOf(text), language: 'en', task: 'gec' });
      writeFileSync(path.join(dir, 'a.json'), JSON.stringify([entry('See you at the station at seven.'), entry('The bus is late again.')]));
      writeFileSync(path.join(dir, 'b.json'), JSON.stringify([entry('The bus is late again.')]));
      expect(() => loadTexts(dir, ['a.json', 'b.json'])).toThrow(`Text Repository: 1 duplicate sentence(s): ${path.join(dir, 'b.json')}[0] repeats ${path.join(dir, 'a.json')}[1]: "The bus is late again."`);
      writeFileSync(path.join(dir, 'b.json'), JSON.stringify([entry('Take an umbrella with you.'), entry('Take an umbrella with you.')]));
      expect(() => loadTexts(dir, ['b.json'])).toThrow(`${path.join(dir, 'b.json')}[1] repeats ${path.join(dir, 'b.json')}[0]`);
      expect(loadTexts(dir, ['a.json']).map((t) => t.text)).toEqual(['See you at the station at seven.', 'The bus is late again.']);
      // Each file still goes through the schema, named in the error.
      writeFileSync(path.join(dir, 'c.json'), JSON.stringify([{ ...entry('Short one.'), lengthBucket: 'long' }]));
      expect(() => loadTexts(dir, ['a.json', 'c.json'])).toThrow(`${path.join(dir, 'c.json')}: 0: lengthBucket does not match the word count`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
