import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '../../core/embedding';
import { InMemoryVectorIndex } from '../../core/embedding/vector-index';
import { type CandidateSample, REASON_CODES, type SampleResult, validateBatch, type ValidationProgress } from '../../core/validation';
import { sample, variedSamples } from './fixtures';

const embedder = new LocalHashEmbedder();
const freshIndex = () => new InMemoryVectorIndex(embedder.dimensions);

/** A pool of candidates covering every outcome, for building random batches. */
const POOL: CandidateSample[] = [
  sample({ id: 'p_ok1' }),
  sample({ id: 'p_ok2', awkward: 'She have been living in this city since five years ago.', corrected: 'She has been living in this city for five years.', reason: '현재완료와 기간에는 for를 씁니다.', errorTypes: ['tense', 'preposition'] }),
  sample({ id: 'p_dup2', awkward: 'She have been living in this town since five years ago.', corrected: 'She has been living in this town for five years.', reason: '현재완료와 기간에는 for를 씁니다.', errorTypes: ['tense', 'preposition'] }),
  sample({ id: 'p_ok3', awkward: 'I am agree with your opinion about the new library.', corrected: 'I agree with your opinion about the new library.', reason: 'agree는 동사이므로 am이 필요 없습니다.', errorTypes: ['redundancy'] }),
  sample({ id: 'p_en', awkward: 'Informations are importants.', corrected: 'Information is important.', reason: '"Information" is uncountable and takes a singular verb.', reasonLanguage: 'en', errorTypes: ['plural', 'agreement'] }),
  sample({ id: 'p_pii', awkward: 'Please call me to 010-1234-5678 tomorrow.', corrected: 'Please call me at 010-1234-5678 tomorrow.', reason: 'call 뒤에는 at 없이 번호를 쓰거나 at을 씁니다.', errorTypes: ['preposition'] }),
  sample({ id: 'p_unch', corrected: 'He go to school yesterday.' }),
  sample({ id: 'p_prof', awkward: 'This fucking bus are always late.', corrected: 'This fucking bus is always late.', errorTypes: ['agreement'] }),
  sample({ id: 'p_diff', awkward: 'The cat sit on the mat.', corrected: 'I like to eat apples in the morning.' }),
  sample({ id: 'p_len', awkward: 'He go.', corrected: 'He went to school yesterday with all of his friends.' }),
  sample({ id: 'p_bad', reasonLanguage: 'en', errorTypes: ['bogus'] }),
  { id: 'p_junk', awkward: 5 } as unknown as CandidateSample,
];

function checkInvariants(results: SampleResult[]) {
  for (const r of results) {
    if (r.status === 'accepted') expect(r.reasons).toEqual([]);
    else expect(r.reasons.length).toBeGreaterThanOrEqual(1);
    for (const reason of r.reasons) {
      expect(REASON_CODES).toContain(reason.code);
      if (reason.code === 'near_duplicate') expect(reason.duplicateOf).not.toBe(r.id);
    }
  }
}

const strip = (results: SampleResult[]) => results.map((r) => ({ id: r.id, status: r.status, codes: r.reasons.map((x) => [x.code, x.duplicateOf]), sample: r.sample, redactions: r.redactions }));

describe('validateBatch', () => {
  it('accepts good samples, rejects bad ones with their reason codes, in input order', async () => {
    const index = freshIndex();
    const { results, report } = await validateBatch(POOL, { embedder, vectorIndex: index });
    expect(results.map((r) => r.id)).toEqual(POOL.map((s, i) => (typeof s.id === 'string' ? s.id : `(sample ${i})`)));
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(['p_ok1', 'p_ok2', 'p_ok3', 'p_en', 'p_pii'].map((id) => byId[id].status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted']);
    expect(byId.p_dup2.reasons).toEqual([expect.objectContaining({ code: 'near_duplicate', duplicateOf: 'p_ok2' })]);
    expect(byId.p_dup2.reasons[0].similarity).toBeGreaterThanOrEqual(0.95);
    expect(byId.p_unch.reasons.map((r) => r.code)).toEqual(['unchanged']);
    expect(byId.p_prof.reasons.map((r) => r.code)).toEqual(['profanity', 'profanity']);
    expect(byId.p_diff.reasons.map((r) => r.code)).toEqual(['too_different']);
    expect(byId.p_len.reasons.map((r) => r.code)).toEqual(['length_ratio', 'too_different']);
    expect(byId.p_bad.reasons.map((r) => r.code)).toEqual(['schema_invalid', 'schema_invalid']);
    expect(byId.p_junk.reasons.every((r) => r.code === 'schema_invalid')).toBe(true);
    expect(byId.p_pii.sample.corrected).toBe('Please call me at [PHONE] tomorrow.');
    expect(byId.p_pii.tokens?.total).toBeGreaterThan(0);
    checkInvariants(results);
    // Accepted samples are in the index under their ids, nothing else is.
    expect(await index.count()).toBe(report.accepted);
    expect([...(await index.nearest([(await embedder.embed([byId.p_ok1.sample.awkward]))[0]], 1))[0]].map((n) => n.id)).toEqual(['p_ok1']);
  });

  it('report counts add up', async () => {
    const { results, report } = await validateBatch(POOL, { embedder, vectorIndex: freshIndex() });
    expect(report.total).toBe(POOL.length);
    expect(report.accepted + report.rejected).toBe(report.total);
    expect(report.accepted).toBe(results.filter((r) => r.status === 'accepted').length);
    expect(Object.values(report.byFirstReason).reduce((a, b) => a + b, 0)).toBe(report.rejected);
    for (const code of REASON_CODES) {
      expect(report.byReason[code], code).toBe(results.filter((r) => r.reasons.some((x) => x.code === code)).length);
    }
    expect(report.byReason).toMatchObject({ near_duplicate: 1, unchanged: 1, profanity: 1, too_different: 2, length_ratio: 1, schema_invalid: 2, pii: 0 });
    expect(report.redacted).toBe(1);
    expect(report.redactionsByType.phone).toBe(2);
    expect(report.durationMs).toBeGreaterThan(0);
    expect(Object.keys(report.timingsMs)).toEqual(['checks', 'embed', 'index']);
  });

  it('PII policy reject: code pii, counted in the report', async () => {
    const { results, report } = await validateBatch(POOL, { embedder, vectorIndex: freshIndex(), config: { pii: { policy: 'reject' } } });
    expect(results.find((r) => r.id === 'p_pii')!.reasons.map((r) => r.code)).toEqual(['pii']);
    expect(report.byReason.pii).toBe(1);
    expect(report.redacted).toBe(1);
  });

  it('flags near duplicates of samples from earlier batches, not unrelated ones', async () => {
    const index = freshIndex();
    await validateBatch([POOL[1]], { embedder, vectorIndex: index });
    const { results } = await validateBatch(
      [
        { ...POOL[2], id: 'later_dup' },
        sample({ id: 'later_new', awkward: 'My father work in a bank since ten years.', corrected: 'My father has worked in a bank for ten years.', errorTypes: ['tense', 'preposition'] }),
      ],
      { embedder, vectorIndex: index },
    );
    expect(results[0].reasons).toEqual([expect.objectContaining({ code: 'near_duplicate', duplicateOf: 'p_ok2' })]);
    expect(results[1].status).toBe('accepted');
    expect(await index.count()).toBe(2);
  });

  it('re-running a batch gives the same results and does not grow the index', async () => {
    const index = freshIndex();
    const batch = [...POOL, ...variedSamples(40)];
    const first = await validateBatch(batch, { embedder, vectorIndex: index });
    const count = await index.count();
    const second = await validateBatch(batch, { embedder, vectorIndex: index });
    expect(strip(second.results)).toEqual(strip(first.results));
    expect(await index.count()).toBe(count);
    checkInvariants(second.results);
  });

  it('uses chunks: duplicates across chunk boundaries are found, progress is reported', async () => {
    const index = freshIndex();
    const base = variedSamples(30, 'c');
    const batch = [...base, ...base.map((s) => ({ ...s, id: `${s.id}_copy` }))];
    const progress: ValidationProgress[] = [];
    const { results, report } = await validateBatch(batch, { embedder, vectorIndex: index, config: { nearDuplicate: { batchSize: 7 } }, onProgress: (p) => progress.push(p) });
    for (const r of results.slice(30)) expect(r.reasons).toEqual([expect.objectContaining({ code: 'near_duplicate' })]);
    // Every copy duplicates an accepted sample.
    const accepted = new Set(results.filter((r) => r.status === 'accepted').map((r) => r.id));
    for (const r of results.filter((x) => x.status === 'rejected')) expect(accepted.has(r.reasons[0].duplicateOf!)).toBe(true);
    const dedup = progress.filter((p) => p.phase === 'near_duplicate');
    expect(dedup.length).toBe(Math.ceil(60 / 7));
    expect(dedup.at(-1)).toEqual({ phase: 'near_duplicate', done: 60, total: 60 });
    expect(report.rejected).toBeGreaterThanOrEqual(30);
    expect(progress.filter((p) => p.phase === 'checks').at(-1)).toEqual({ phase: 'checks', done: 60, total: 60 });
  });

  it('stores caller metadata with accepted vectors', async () => {
    const index = freshIndex();
    await validateBatch([sample({ id: 'm1' })], { embedder, vectorIndex: index, metadataFor: (s) => ({ pipelineId: 'pl_1', errorTypes: s.errorTypes.join(',') }) });
    expect(index.metadata.get('m1')).toEqual({ pipelineId: 'pl_1', errorTypes: 'tense' });
  });

  it('needs a vector index unless the near-duplicate check is off', async () => {
    await expect(validateBatch([sample()], {})).rejects.toThrow(/vectorIndex/);
    const { report } = await validateBatch([sample(), sample({ id: 'two' })], { config: { nearDuplicate: { enabled: false } } });
    expect(report.accepted).toBe(2);
  });

  it('rejects an invalid config with a readable message', async () => {
    await expect(validateBatch([], { config: { nearDuplicate: { threshold: 2 } } as never, vectorIndex: freshIndex() })).rejects.toThrow(/nearDuplicate\.threshold/);
  });
});

describe('validateBatch properties', () => {
  const batchArb = fc
    .array(fc.tuple(fc.integer({ min: 0, max: POOL.length - 1 }), fc.integer({ min: 0, max: 5 })), { maxLength: 25 })
    .map((picks) => {
      // Distinct ids; the same content may repeat under different ids (exact duplicates).
      const seen = new Set<string>();
      const out: CandidateSample[] = [];
      for (const [p, v] of picks) {
        const id = `${POOL[p].id ?? 'junk'}_${v}`;
        if (seen.has(id)) continue;
        seen.add(id);
        out.push({ ...POOL[p], id });
      }
      return out;
    });

  it('every rejected sample has a reason, accepted ones none; never a near duplicate of itself', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, async (batch) => {
        const { results, report } = await validateBatch(batch, { embedder, vectorIndex: freshIndex() });
        checkInvariants(results);
        expect(report.accepted + report.rejected).toBe(batch.length);
        // Exact duplicates under another id are always caught: at most one accepted per content.
        const acceptedContent = results.filter((r) => r.status === 'accepted').map((r) => r.sample.awkward);
        expect(new Set(acceptedContent).size).toBe(acceptedContent.length);
      }),
      { numRuns: 60 },
    );
  });

  it('validating the same batch twice gives the same result (fresh index, and re-run on the same index)', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, async (batch) => {
        const index = freshIndex();
        const a = await validateBatch(batch, { embedder, vectorIndex: index });
        const b = await validateBatch(batch, { embedder, vectorIndex: index });
        const c = await validateBatch(batch, { embedder, vectorIndex: freshIndex() });
        expect(strip(b.results)).toEqual(strip(a.results));
        expect(strip(c.results)).toEqual(strip(a.results));
        expect(await index.count()).toBe(a.report.accepted);
      }),
      { numRuns: 60 },
    );
  });
});
