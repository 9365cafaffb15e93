/** The rule model: alignment, learning in context, JSON round trip, errors, the corrector. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCorrector, EngineConfigError } from '../../core/engines';
import { loadConfig } from '../../config';
import { registerOfflineEngines } from '../../adapters/offline-engines';

registerOfflineEngines(loadConfig());
import { HarperCorrector } from '../../core/engines/harper';
import {
  diffTokens,
  loadRuleModel,
  RuleCorrector,
  RuleModel,
  RuleModelError,
  saveRuleModel,
  trainRuleModel,
  type TrainingPair,
  wilsonLowerBound,
} from '../../core/engines/rules';
import { applyEdits } from '../../core/engines/types';

let dir: string;
let harper: HarperCorrector;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rules-'));
  harper = new HarperCorrector();
  await harper.init();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await harper.close();
});

/** "went to store" is missing its article; "went to school/bed/work" is fine. */
const PAIRS: TrainingPair[] = [
  ['I went to store yesterday.', 'I went to the store yesterday.'],
  ['She walked to store with her dog.', 'She walked to the store with her dog.'],
  ['We drove to store after work.', 'We drove to the store after work.'],
  ['They ran to store in the rain.', 'They ran to the store in the rain.'],
  ['He goes to store every week.', 'He goes to the store every week.'],
  ['I went to school yesterday.', 'I went to school yesterday.'],
  ['She walked to work with her dog.', 'She walked to work with her dog.'],
  ['We drove to school after lunch.', 'We drove to school after lunch.'],
  ['They went to bed early.', 'They went to bed early.'],
  ['The store is open.', 'The store is open.'],
  ['He bought a store downtown.', 'He bought a store downtown.'],
  ['I went to the store.', 'I went to the store.'],
].map(([source, target]) => ({ source, target }));

const SMALL = { minCount: 2, minPrecision: 0.8, confidence: 0 };

describe('diffTokens', () => {
  it('finds insertions, deletions and replacements', () => {
    const a = 'he go to store every days'.split(' ');
    const b = 'he goes to the store every day'.split(' ');
    const edits = diffTokens(a, b).map((e) => [a.slice(e.i1, e.i2).join(' '), b.slice(e.j1, e.j2).join(' ')]);
    expect(edits).toEqual([
      ['go', 'goes'],
      ['', 'the'],
      ['days', 'day'],
    ]);
  });

  it('edits always rebuild the target', () => {
    const tok = fc.constantFrom('a', 'the', 'cat', 'dog', 'sat', 'on', '.', ',');
    fc.assert(
      fc.property(fc.array(tok, { maxLength: 12 }), fc.array(tok, { maxLength: 12 }), (a, b) => {
        let out: string[] = [];
        let i = 0;
        for (const e of diffTokens(a, b)) {
          out = out.concat(a.slice(i, e.i1), b.slice(e.j1, e.j2));
          i = e.i2;
        }
        out = out.concat(a.slice(i));
        expect(out).toEqual(b);
      }),
    );
  });
});

describe('trainRuleModel', () => {
  it('learns the article insertion and applies it only in its context', () => {
    const model = trainRuleModel(PAIRS, SMALL);
    const insert = model.rules.find((r) => r.before.length === 0 && r.after.join(' ') === 'the');
    expect(insert).toBeDefined();
    expect(insert!.right).toEqual(['store']);
    expect(insert!.type).toBe('article');
    const fires = (s: string) => model.match(s.split(' ')).map((m) => `${m.at}:${m.rule.before.join(' ')}→${m.rule.after.join(' ')}`);
    expect(fires('She ran to store today .')).toEqual(['3:→the']);
    expect(fires('She ran to school today .')).toEqual([]);
    expect(fires('She ran to the store today .')).toEqual([]);
    expect(fires('The store is big .')).toEqual([]);
    // no rule learnt for sentences that needed no change
    expect(model.rules.every((r) => r.after.join(' ') === 'the')).toBe(true);
  });

  it('keeps a rule only when precise and frequent enough', () => {
    expect(trainRuleModel(PAIRS, { ...SMALL, minCount: 6 }).rules).toEqual([]);
    // by default the Wilson lower bound does not trust 5 of 5
    expect(trainRuleModel(PAIRS).rules).toEqual([]);
    expect(wilsonLowerBound(1, 5, 1.645)).toBeLessThan(0.7);
    expect(wilsonLowerBound(1, 7, 1.645)).toBeGreaterThan(0.7);
    expect(wilsonLowerBound(0.95, 1000, 1.645)).toBeGreaterThan(0.93);
    expect(wilsonLowerBound(0.5, 10, 0)).toBe(0.5);
  });

  it('counts a sentence with several references once, weighting its edits', () => {
    const multi = PAIRS.flatMap((p) => [p, { source: p.source, target: p.source }]);
    const model = trainRuleModel(multi, SMALL);
    // each "to store" sentence now has the edit in 1 of its 2 references: precision 0.5
    expect(model.rules).toEqual([]);
    const lenient = trainRuleModel(multi, { ...SMALL, minPrecision: 0.4 });
    const insert = lenient.rules.find((r) => r.after.join(' ') === 'the' && r.left.join(' ') === 'to' && r.right.join(' ') === 'store')!;
    expect(insert.count).toBe(5);
    expect(insert.precision).toBeCloseTo(0.5);
  });

  it('is deterministic: the same pairs in any order give the same model', () => {
    const a = JSON.stringify(trainRuleModel(PAIRS, SMALL).toJSON());
    const b = JSON.stringify(trainRuleModel([...PAIRS].reverse(), SMALL).toJSON());
    expect(b).toBe(a);
  });

  it('reads already tokenized pairs', () => {
    const tokenized = PAIRS.map((p) => ({ source: p.source.replace(/\.$/, ' .'), target: p.target.replace(/\.$/, ' .') }));
    const model = trainRuleModel(tokenized, { ...SMALL, tokenized: true });
    expect(model.rules.some((r) => r.after.join(' ') === 'the')).toBe(true);
  });
});

describe('model JSON', () => {
  it('round-trips through JSON and a file', () => {
    const model = trainRuleModel(PAIRS, SMALL);
    const again = RuleModel.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(again.toJSON()).toEqual(model.toJSON());
    const file = path.join(dir, 'rules.json');
    saveRuleModel(model, file);
    expect(loadRuleModel(file).toJSON()).toEqual(model.toJSON());
    expect(model.toJSON()).toMatchObject({ format: 'correctly-rules', version: 1 });
  });

  it('says clearly what is wrong with a bad file', () => {
    const good = trainRuleModel(PAIRS, SMALL).toJSON();
    const bad = (v: unknown) => () => RuleModel.fromJSON(v);
    expect(bad('{not json')).toThrow(/rule model is not valid JSON/);
    expect(bad({ ...good, format: 'other' })).toThrow(/not a rule model/);
    expect(bad({ ...good, version: 99 })).toThrow(/unsupported rule model version/);
    expect(bad({ ...good, rules: [{ ...good.rules[0], precision: 2 }] })).toThrow(/invalid rule model at rules\.0\.precision/);
    expect(bad({ ...good, rules: [{ ...good.rules[0], type: 'nonsense' }] })).toThrow(RuleModelError);
    const file = path.join(dir, 'corrupt.json');
    writeFileSync(file, '{"format": "correctly-rules", "version": 1, "rules": [');
    expect(() => loadRuleModel(file)).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: rule model is not valid JSON`));
    expect(() => loadRuleModel(path.join(dir, 'missing.json'))).toThrow(/no such file/);
  });
});

describe('RuleCorrector', () => {
  it('applies Harper, then the rules, with offsets on the input and the model version', async () => {
    const model = trainRuleModel(PAIRS, SMALL);
    const rc = new RuleCorrector(model, { harper, modelVersion: '3' });
    const c = await rc.correct('i walked to store with my freind.');
    expect(c.corrected).toBe('I walked to the store with my friend.');
    expect(c).toMatchObject({ engine: 'rules', modelVersion: '3' });
    expect(applyEdits(c.input, c.edits)).toBe(c.corrected);
    const article = c.edits.find((e) => e.after.includes('the'))!;
    expect(article.type).toBe('article');
    expect(article.reason).toMatch(/^관사: 'the' 추가/);
    const en = await rc.correct('i walked to store with my freind.', { reasonLanguage: 'en' });
    expect(en.edits.find((e) => e.after.includes('the'))!.reason).toMatch(/^Article: add 'the' — .*\(rule: learned pattern: right 5 of 5 times in training\)$/);
    // outside its context the rule stays quiet
    expect((await rc.correct('I walked to school.')).corrected).toBe('I walked to school.');
    await rc.close(); // does not close the shared Harper it was given
    expect((await harper.correct('He go home.')).corrected).toBe('He goes home.');
  });

  it('renders insertions, deletions and punctuation with natural spacing', async () => {
    const pairs = [
      ['I like it very very much', 'I like it very much .'],
      ['We like them very very much', 'We like them very much .'],
      ['They like us very very much', 'They like us very much .'],
    ].map(([source, target]) => ({ source, target }));
    const model = trainRuleModel(pairs, { ...SMALL, tokenized: true });
    const rc = new RuleCorrector(model, { order: 'rules-only' });
    const c = await rc.correct('You like me very very much');
    expect(c.corrected).toBe('You like me very much.');
    expect(applyEdits(c.input, c.edits)).toBe(c.corrected);
  });

  it('keeps spacing right around clitics and punctuation', async () => {
    const rulesOnly = async (pairs: string[][], input: string) => {
      const model = trainRuleModel(pairs.map(([source, target]) => ({ source, target })), SMALL);
      return (await new RuleCorrector(model, { order: 'rules-only' }).correct(input)).corrected;
    };
    const expand = [["I don't go", 'I do not go'], ["We don't go", 'We do not go'], ["They don't go", 'They do not go']];
    expect(await rulesOnly(expand, "You don't go.")).toBe('You do not go.');
    expect(await rulesOnly(expand.map(([a, b]) => [b, a]), 'You do not go.')).toBe("You don't go.");
    const comma = [['Hi , there', 'Hi there'], ['Hi , you', 'Hi you'], ['Hi , all', 'Hi all']];
    expect(await rulesOnly(comma, 'Hi, there.')).toBe('Hi there.');
  });

  it('always returns edits on the input that rebuild its output (property)', async () => {
    const word = fc.constantFrom('a', 'the', 'cat', 'cats', 'is', 'are', 'on', 'in', 'mat', ',', '.', "n't", 'do', '(', ')', '"');
    const sentence = fc.array(word, { minLength: 1, maxLength: 8 }).map((ws) => ws.join(' '));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(sentence, sentence), { minLength: 1, maxLength: 6 }), fc.array(sentence, { maxLength: 4 }), async (pairs, inputs) => {
        const model = trainRuleModel(
          pairs.map(([source, target]) => ({ source, target })),
          { minCount: 1, minPrecision: 0, confidence: 0, tokenized: true },
        );
        const rc = new RuleCorrector(model, { order: 'rules-only' });
        for (const tokenized of inputs) {
          for (const text of [tokenized, tokenized.replace(/ ([,.)]|n't)/g, '$1')]) {
            const c = await rc.correct(text);
            expect(applyEdits(c.input, c.edits)).toBe(c.corrected);
            for (const e of c.edits) expect(c.input.slice(e.start, e.end)).toBe(e.before);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('is available through createCorrector, which rejects a missing or bad model', async () => {
    const file = path.join(dir, 'engine.json');
    saveRuleModel(trainRuleModel(PAIRS, SMALL), file);
    const rc = await createCorrector('rules', { modelPath: file, modelVersion: '7' });
    expect((await rc.correct('We walked to store.')).corrected).toBe('We walked to the store.');
    expect((await rc.correct('We walked to store.')).modelVersion).toBe('7');
    await rc.close?.();
    await expect(createCorrector('rules', {})).rejects.toThrow(EngineConfigError);
    await expect(createCorrector('rules', { modelPath: path.join(dir, 'nope.json') })).rejects.toThrow(/no such file/);
    await expect(createCorrector('nope')).rejects.toThrow(/unknown engine "nope"/);
  });
});
