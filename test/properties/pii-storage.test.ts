/**
 * Property (issue 15): personal data, written in any format and at any position, never reaches a
 * stored row. fast-check generates texts carrying RRNs (hyphen, dash variants, space, none;
 * ASCII, full-width or Arabic-Indic digits), Korean and international phone numbers (any
 * separator, zero-width characters), emails (also with a full-width @), Luhn-valid card numbers,
 * IPv4/IPv6 addresses, passport numbers and names of people, wrapped in punctuation or Korean
 * particles. They go through the real paths that store text:
 *   - the serving API over HTTP: POST /v1/corrections and POST /v1/feedback (better correction, comment);
 *   - the generate stage with an LLM teacher (a scripted OpenAI-protocol server that writes the PII
 *     into its triples), then the validate stage;
 *   - the drift check over the stored traffic.
 * Every row is read back from the database (serving_request, feedback, generated_sample,
 * drift_report) and must contain none of the values, in any spelling.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../../activities/deps';
import { driftActivities } from '../../activities/drift';
import { generateActivities } from '../../activities/generate';
import { validateActivities } from '../../activities/validate';
import { endpoints, loadConfig } from '../../config';
import { seedDatabase } from '../../entities/seed';
import { MlflowClient } from '../../adapters/mlflow';
import { runActivity } from '../../stages/activity';
import { luhnValid, normalizeForDetection } from '../../core/validation/pii';
import { openDatabase } from '../../entities/data-source';
import { DatasetVersionSchema, ModelVersionSchema } from '../../entities';
import { startServingApi, type ServingApi } from '../../serve/server';
import { DriftCheckInputSchema } from '../../contracts/drift-check';
import { FakeLlmServer } from '../providers/fake-llm-server';
import { post, registerRulesVersion, STORE_PAIRS } from '../serve/support';
import { stackEnv, startTestStack, type TestStack } from '../support/stack';
import { fc, sentence } from './settings';

/** A generated value and how to recognise it in a stored text, whatever its spelling. */
interface Pii {
  kind: string;
  value: string;
  /** The value in canonical form (see `canon`). */
  needle: string;
}

const KINDS_NUMERIC = new Set(['rrn', 'phone', 'card']);
/** Numeric values compare as their digits; others as normalised, lower-cased text without spaces. */
function canon(kind: string, text: string): string {
  const n = normalizeForDetection(text).text.toLowerCase();
  return KINDS_NUMERIC.has(kind) ? n.replace(/\D/g, '') : n.replace(/\s/g, '');
}
const pii = (kind: string, value: string): Pii => ({ kind, value, needle: canon(kind, value) });

const d = (min: number, max: number) => fc.integer({ min, max });
const digits = (n: number) => fc.array(d(0, 9), { minLength: n, maxLength: n }).map((a) => a.join(''));
/** Digits as written: ASCII, full-width (０-９) or Arabic-Indic (٠-٩). */
const script = fc.constantFrom((s: string) => s, (s: string) => s.replace(/\d/g, (c) => String.fromCharCode(0xff10 + Number(c))), (s: string) => s.replace(/\d/g, (c) => String.fromCharCode(0x0660 + Number(c))));
const dash = fc.constantFrom('-', '\u2010', '\u2013', '\u2014', '\u2212', '\uff0d');
const sep = fc.oneof(dash, fc.constantFrom(' ', '\u00a0', '\u3000', '.', '', '\u200b'));

const rrn = fc
  .tuple(digits(2), d(1, 12), d(1, 28), d(1, 4), digits(6), fc.oneof(dash, fc.constantFrom(' ', '', ' - ')), script)
  .map(([yy, mm, dd, g, rest, s, w]) => pii('rrn', w(`${yy}${String(mm).padStart(2, '0')}${String(dd).padStart(2, '0')}${s}${g}${rest}`)));
const phone = fc.oneof(
  fc.tuple(fc.constantFrom('010', '011', '016', '019'), digits(4), digits(4), sep, script).map(([p, a, b, s, w]) => pii('phone', w(`${p}${s}${a}${s}${b}`))),
  fc.tuple(fc.constantFrom('02', '031', '051', '064'), digits(3), digits(4), fc.constantFrom('-', ' ', '.'), script).map(([p, a, b, s, w]) => pii('phone', w(`${p}${s}${a}${s}${b}`))),
  fc.tuple(digits(4), digits(4), fc.constantFrom('+82 10 ', '+82-10-', '+82 (0)10 ', '\uff0b82 10 ')).map(([a, b, p]) => pii('phone', `${p}${a} ${b}`)),
);
const email = fc
  .tuple(fc.stringMatching(/^[a-z]{2,8}(\.[a-z]{2,6})?$/), fc.constantFrom('@', '\uff20'), fc.constantFrom('example.com', 'mail.co.kr', 'naver.com', 'uni.ac.kr'))
  .map(([local, at, domain]) => pii('email', `${local}${at}${domain}`));
const card = fc
  .tuple(digits(14), fc.constantFrom('', ' ', '-', '\u2013'), script)
  .map(([body, s, w]) => {
    const partial = `4${body}`;
    const check = [...'0123456789'].find((c) => luhnValid(partial + c))!;
    const n = partial + check;
    return pii('card', w(n.match(/.{4}/g)!.join(s)));
  });
const ipv4 = fc.tuple(d(1, 223), d(0, 255), d(0, 255), d(1, 254)).map((o) => pii('ipv4', o.join('.')));
const ipv6 = fc.tuple(fc.array(fc.stringMatching(/^[0-9a-f]{1,4}$/), { minLength: 8, maxLength: 8 }), fc.boolean()).map(([g, compress]) => pii('ipv6', compress ? `${g[0]}:${g[1]}::${g[6]}:${g[7]}` : g.join(':')));
const passport = fc.oneof(
  digits(8).map((n) => pii('passport', `M${n}`)),
  fc.tuple(digits(3), fc.constantFrom('A', 'B', 'K'), digits(4)).map(([a, l, b]) => pii('passport', `M${a}${l}${b}`)),
  digits(9).map((n) => ({ ...pii('passport', n), value: `passport number ${n}` })),
);
const name = fc
  .constantFrom('John Smith', 'Sarah Johnson', 'David Miller', 'Kim Minji', 'Lee Seo-yeon', 'Park Ji-sung', 'Ji-hoon Choi')
  .chain((n) => fc.constantFrom(`my name is ${n}`, `${n} said`, `I met ${n}`, `Dear ${n},`).map((phrase) => ({ kind: 'name', value: phrase, needle: canon('name', n) })));
const anyPii = fc.oneof(rrn, phone, email, card, ipv4, ipv6, passport, name);

/** A value wrapped as it may appear: bare, in brackets or quotes, before punctuation, with Korean around it. */
const wrapped = fc.tuple(anyPii, fc.constantFrom(['', ''], ['(', ')'], ['"', '"'], ['', '.'], ['', ','], ['번호는 ', '입니다'], ['', '로 연락 주세요'], ['<', '>'])).map(([p, [a, b]]) => ({ pii: p, text: `${a}${p.value}${b}` }));

/** A sentence with 1–3 values inserted at word positions. */
const pieceOfText = fc.tuple(sentence(2, 10), fc.array(fc.tuple(wrapped, d(0, 20)), { minLength: 1, maxLength: 3 })).map(([s, inserts]) => {
  const words = s.split(' ');
  for (const [w, at] of inserts) words.splice(at % (words.length + 1), 0, w.text);
  return { text: words.join(' '), values: inserts.map(([w]) => w.pii) };
});

let ts: TestStack;
let db: DataSource;
let api: ServingApi;
let llm: FakeLlmServer;
let deps: ReturnType<typeof createDeps>;
const seen: Pii[] = [];
/** PII the scripted teacher writes into the next triple. */
let teacherPii: { text: string; values: Pii[] } = { text: '', values: [] };
const PIPELINE = 'pii-property';

beforeAll(async () => {
  ts = await startTestStack(['database', 'mlflow', 'chroma']);
  db = await openDatabase(endpoints(ts.config).databaseUrl, { poolSize: 8 });
  await seedDatabase(db);
  llm = new FakeLlmServer();
  // The teacher keeps the clean sentence it is given as `corrected` and writes the PII into the rest.
  llm.responder = (req) => {
    const prompt = req.body.messages.at(-1).content as string;
    const source = /keep it exactly\):\n([\s\S]*?)\n\nAnswer with JSON/.exec(prompt)![1];
    return { kind: 'reply', content: JSON.stringify({ awkward: `${source} ${teacherPii.text}`, corrected: source, reason: `Added: ${teacherPii.text}`, errorTypes: ['other'] }) };
  };
  const llmUrl = await llm.start();
  const config = loadConfig({ ...process.env, ...stackEnv(ts.config), OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${llmUrl}/v1`, PII_NAMES: 'on', API_RATE_LIMIT: '1000000' });
  deps = createDeps(config);
  api = await startServingApi(config, { port: 0, db, logLevel: false });

  // A champion with a stored dataset, so the drift check describes the traffic instead of skipping.
  const mlflow = new MlflowClient(endpoints(config).mlflowUrl);
  const version = await registerRulesVersion(mlflow, config.mlflowModelName, 'pii-property');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'correctly-test-pii-'));
  writeFileSync(path.join(dir, 'train.jsonl'), STORE_PAIRS.map((p, i) => JSON.stringify({ id: `s${i}`, awkward: p.source, corrected: p.target })).join('\n'));
  await db.getRepository(ModelVersionSchema).save({ id: 'mv-pii', name: config.mlflowModelName, version, pipelineId: 'pii-reference', mlflowRunId: 'x'.repeat(32), datasetMd5: 'pii.dir', status: 'champion', gate: {}, promotedAt: new Date() });
  await db.getRepository(DatasetVersionSchema).save({ id: 'ds-pii', pipelineId: 'pii-reference', md5: 'pii.dir', path: dir, remote: dir, counts: {} });
}, 240_000);

afterAll(async () => {
  await api?.close();
  await deps?.close();
  await llm?.stop();
  await db?.destroy();
  await ts?.stop();
}, 60_000);

/** Every text column of every stored row, one string per row. */
async function storedTexts(): Promise<{ table: string; text: string }[]> {
  const rows = async (table: string, sql: string) => ((await db.query(sql)) as Record<string, unknown>[]).map((r) => ({ table, text: Object.values(r).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n') }));
  return [
    ...(await rows('serving_request', 'select input_redacted, output, reason, client from serving_request')),
    ...(await rows('feedback', 'select better_correction, comment from feedback')),
    ...(await rows('generated_sample', 'select awkward, corrected, reason, rejection_reasons, redactions from generated_sample')),
    ...(await rows('drift_report', 'select metrics from drift_report')),
  ];
}

/** The values found in `rows` (drift reports are checked as text: their numbers are not digits of a value). */
function leaks(rows: { table: string; text: string }[], values: Pii[]): string[] {
  const out = new Set<string>();
  for (const r of rows) {
    for (const p of values) {
      const hay = r.table === 'drift_report' ? normalizeForDetection(r.text).text.toLowerCase() : canon(p.kind, r.text);
      const needle = r.table === 'drift_report' ? normalizeForDetection(p.value).text.toLowerCase() : p.needle;
      if (hay.includes(needle)) out.add(`${r.table}: ${p.kind} ${JSON.stringify(p.value)}`);
    }
  }
  return [...out];
}

describe('no stored row holds personal data, however it is written', () => {
  let batch = 0;

  it('requests, feedback and LLM-taught samples (per case, read back from the database)', async () => {
    await fc.assert(
      fc.asyncProperty(pieceOfText, pieceOfText, pieceOfText, async (request, feedback, taught) => {
        const values = [...request.values, ...feedback.values, ...taught.values];
        seen.push(...values);
        const c = await post(`${api.url}/v1/corrections`, { text: request.text, reasonLanguage: 'en' });
        expect(c.status, JSON.stringify(c.json)).toBe(200);
        const f = await post(`${api.url}/v1/feedback`, { requestId: c.json.requestId, feedbackToken: c.json.feedbackToken, rating: 'down', betterCorrection: feedback.text, comment: feedback.text });
        expect(f.status, JSON.stringify(f.json)).toBeLessThan(300);
        teacherPii = taught;
        const b = batch++;
        await runActivity(generateActivities(deps).generateBatch, { pipelineId: PIPELINE, activityType: 'generateBatch' }, { pipelineId: PIPELINE, batch: b, count: 1, seed: 7, teacher: 'openai', reasonLanguage: 'en' });
        const rows = [
          ...((await db.query('select input_redacted, output, reason from serving_request where id = $1', [c.json.requestId])) as object[]),
          ...((await db.query('select better_correction, comment from feedback where request_id = $1', [c.json.requestId])) as object[]),
          ...((await db.query('select awkward, corrected, reason, rejection_reasons from generated_sample where pipeline_id = $1 and batch = $2', [PIPELINE, b])) as object[]),
        ].map((r) => ({ table: 'row', text: JSON.stringify(Object.values(r)) }));
        expect(rows.length).toBeGreaterThanOrEqual(3);
        expect(leaks(rows, values)).toEqual([]);
        // The answer itself carries no value either (the model saw placeholders).
        expect(leaks([{ table: 'answer', text: JSON.stringify(c.json) }], request.values)).toEqual([]);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 25) },
    );
  }, 300_000);

  it('after the validate stage and a drift check, no row of any table holds any value', async () => {
    expect(seen.length).toBeGreaterThan(20);
    const validated = await runActivity(validateActivities(deps).validateSamples, { pipelineId: PIPELINE, activityType: 'validateSamples' }, { pipelineId: PIPELINE, embedder: 'local', nearDuplicateThreshold: 0.95, piiPolicy: 'redact' });
    expect(validated.total).toBe(batch);
    expect(validated.redacted).toBe(batch); // every sample had PII, recorded as redactions
    const drift = await runActivity(driftActivities(deps).checkDrift, { pipelineId: 'drift-pii', activityType: 'checkDrift' }, {
      ...DriftCheckInputSchema.parse({ modelName: deps.config.mlflowModelName, minSamples: 5, signalController: false }),
      checkId: 'pii-property-check',
      windowEnd: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(drift.skipped).toBeNull(); // the report describes the traffic
    const rows = await storedTexts();
    expect(rows.filter((r) => r.table === 'drift_report')).toHaveLength(1);
    expect(leaks(rows, seen)).toEqual([]);
    // …nor the address of the client.
    expect(rows.filter((r) => r.text.includes('127.0.0.1'))).toEqual([]);
  }, 300_000);
});
