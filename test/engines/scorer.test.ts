/**
 * The trained edit scorer: features of a hand-made pair, labels, deterministic training with the
 * real trainer (trainer/scorer.py, LightGBM in the project venv), threshold selection on the
 * validation rows, the trees evaluated in TypeScript as LightGBM does, and clear errors for model
 * files of the wrong format.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endpoints, loadConfig } from '../../config';
import { languageToolCandidates } from '../../core/engines/candidates';
import { BASE_FEATURES, clusterFeatures, ruleFeature, vectorOf } from '../../core/engines/features';
import { clusterCandidates } from '../../core/engines/merge';
import { PriorScorer } from '../../core/engines/prior-scorer';
import { loadScorer, ScorerModelError, TrainedScorer } from '../../core/engines/scorer';
import { labelOption, type ScorerRow, tokenDistance } from '../../core/engines/scorer-data';

const dir = mkdtempSync(path.join(os.tmpdir(), 'correctly-scorer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const python = path.join(endpoints(loadConfig({ ...process.env, CORRECTLY_CONFIG: '' })).venvBin, 'python');
const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Rows where LanguageTool's first suggestion is right and Harper's alone is wrong, with noise. */
function syntheticRows(n: number, seed: number): ScorerRow[] {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, (_, i) => {
    const lt = rand() < 0.5 ? 1 : 0;
    const prior = 0.3 + 0.4 * rand();
    const label = (lt ? rand() < 0.9 : rand() < 0.15) ? 1 : 0;
    return { group: `g${i}`, label, weight: 1, type: 'grammar', features: { prior_score: prior, sys_languagetool: lt, sys_harper: 1 - lt, [ruleFeature('languagetool', 'HE_VERB_AGR[1]')]: lt } } as ScorerRow;
  });
}

function train(rows: ScorerRow[], valid: ScorerRow[], out: string, seed = 7): string {
  writeFileSync(path.join(dir, 'train.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
  writeFileSync(path.join(dir, 'valid.jsonl'), valid.map((r) => JSON.stringify(r)).join('\n'));
  writeFileSync(path.join(dir, 'base.json'), JSON.stringify(BASE_FEATURES));
  execFileSync(python, ['-m', 'trainer.scorer', '--train', path.join(dir, 'train.jsonl'), '--valid', path.join(dir, 'valid.jsonl'), '--base-features', path.join(dir, 'base.json'), '--out', out, '--seed', String(seed)], { cwd: repoRoot, encoding: 'utf8' });
  return readFileSync(out, 'utf8');
}

describe('edit scorer features and labels', () => {
  it('extracts the features of a hand-made pair', () => {
    const text = "He don't like it.";
    const cluster = clusterCandidates(text, languageToolCandidates(text, [{ rule: 'HE_VERB_AGR[1]', ruleId: 'HE_VERB_AGR', category: 'GRAMMAR', issueType: 'grammar', message: 'm', shortMessage: '', start: 3, end: 5, replacements: ['does', 'did'] }]))[0];
    const [does, did] = clusterFeatures(text, cluster);
    expect(does.get('sys_languagetool')).toBe(1);
    expect(does.get('sys_harper')).toBe(0);
    expect(does.get('languagetool_rank')).toBe(0);
    expect(did.get('languagetool_rank')).toBe(1);
    expect(does.get('languagetool_alternatives')).toBe(2);
    expect(does.get('lt_category=GRAMMAR')).toBe(1);
    expect(does.get('type=agreement')).toBe(1);
    expect(does.get(ruleFeature('languagetool', 'HE_VERB_AGR[1]'))).toBe(1);
    expect(does.get('replace')).toBe(1);
    expect(does.get('left_pronoun')).toBe(1);
    expect(does.get('sentence_start')).toBe(0);
    expect(does.get('prior_score')).toBeCloseTo(new PriorScorer().scoreCluster(text, cluster)[0], 12);
    expect(does.get('prior_rank_in_cluster')).toBe(0);
    expect(vectorOf(does, ['sys_languagetool', 'no-such-feature'])).toEqual([1, 0]);
  });

  it('labels an option 1 when it alone brings the sentence closer to the target', () => {
    const text = 'He go to school every days.';
    expect(labelOption(text, { start: 3, end: 5, after: 'goes' }, 'He goes to school every day.')).toBe(1);
    expect(labelOption(text, { start: 3, end: 5, after: 'went' }, 'He goes to school every day.')).toBe(0);
    expect(labelOption(text, { start: 0, end: 2, after: 'She' }, 'He goes to school every day.')).toBe(0);
    expect(tokenDistance(['a', 'b', 'c'], ['a', 'x', 'c'])).toBe(2);
  });
});

describe('edit scorer training (trainer/scorer.py)', () => {
  const trainRows = syntheticRows(600, 1);
  const validRows = syntheticRows(200, 2);

  it('is deterministic for a seed, and the trees evaluate in TypeScript as LightGBM scores them', () => {
    const a = train(trainRows, validRows, path.join(dir, 'a.json'));
    const b = train(trainRows, validRows, path.join(dir, 'b.json'));
    const strip = (m: string) => ({ ...JSON.parse(m), metrics: { ...JSON.parse(m).metrics, train_seconds: 0 } });
    expect(strip(a)).toEqual(strip(b));
    const scorer = TrainedScorer.fromJSON(a);
    expect(scorer.model.features.slice(0, BASE_FEATURES.length)).toEqual([...BASE_FEATURES]);
    expect(scorer.model.features).toContain(ruleFeature('languagetool', 'HE_VERB_AGR'));
    // The same rows scored in Python from the same dump (trainer/scorer.py checks the dump against LightGBM's own predictions)
    const python5 = JSON.parse(
      execFileSync(python, ['-c', `import json,sys; sys.path.insert(0,'.'); from trainer.scorer import read_rows, matrix, dump_probabilities
m=json.load(open(${JSON.stringify(path.join(dir, 'a.json'))})); x,_,_=matrix(read_rows(${JSON.stringify(path.join(dir, 'valid.jsonl'))})[:5], m['features'])
print(json.dumps(list(dump_probabilities(m, x))))`], { cwd: repoRoot, encoding: 'utf8' }),
    ) as number[];
    const ts5 = validRows.slice(0, 5).map((r) => scorer.probability(vectorOf(new Map(Object.entries(r.features)), scorer.model.features)));
    ts5.forEach((p, i) => expect(p).toBeCloseTo(python5[i], 12));
    const lt = vectorOf(new Map(Object.entries(validRows.find((r) => r.features.sys_languagetool === 1)!.features)), scorer.model.features);
    const harper = vectorOf(new Map(Object.entries(validRows.find((r) => r.features.sys_harper === 1)!.features)), scorer.model.features);
    // it learnt what the data says: LanguageTool's rule is right, Harper's alone is not
    expect(scorer.probability(lt)).toBeGreaterThan(0.6);
    expect(scorer.probability(harper)).toBeLessThan(0.4);
  });

  it('chooses the threshold on the validation rows: the best F0.5, nearest the prior among equals', () => {
    const model = JSON.parse(train(trainRows, validRows, path.join(dir, 'c.json')));
    expect(model.threshold).toBeGreaterThanOrEqual(0.3);
    expect(model.threshold).toBeLessThanOrEqual(0.8);
    expect(model.metrics.valid_f05).toBeGreaterThan(0.8);
    expect(model.metrics.threshold_from_prior).toBe(0);
    // too few validation rows: the prior's threshold stands
    const few = JSON.parse(train(trainRows, validRows.slice(0, 30), path.join(dir, 'd.json')));
    expect(few.threshold).toBe(0.5);
    expect(few.metrics.threshold_from_prior).toBe(1);
  });

  it('refuses too little data with one clear line', () => {
    expect(() => train(trainRows.slice(0, 5), validRows, path.join(dir, 'e.json'))).toThrow(/too little training data for the edit scorer: 5 rows/);
  });
});

describe('edit scorer model files', () => {
  const good = () => JSON.parse(readFileSync(path.join(dir, 'a.json'), 'utf8'));
  it('a model file of the wrong format gives a clear error naming what is wrong', () => {
    expect(() => TrainedScorer.fromJSON('{not json')).toThrow(ScorerModelError);
    expect(() => TrainedScorer.fromJSON('{not json')).toThrow(/^edit scorer model is not valid JSON/);
    expect(() => TrainedScorer.fromJSON({ ...good(), format: 'correctly-rules' })).toThrow(/not an edit scorer model \(format must be "correctly-edit-scorer"\)/);
    expect(() => TrainedScorer.fromJSON({ ...good(), version: 9 })).toThrow(/unsupported edit scorer version/);
    expect(() => TrainedScorer.fromJSON({ ...good(), features: [...good().features.slice(0, -1), 'mystery'] })).toThrow(/features this build cannot compute: mystery/);
    expect(() => TrainedScorer.fromJSON({ ...good(), features: good().features.slice(1) })).toThrow(/the features must include prior_score|booster has/);
    expect(() => TrainedScorer.fromJSON({ ...good(), threshold: 2 })).toThrow(/invalid edit scorer model at threshold/);
    const p = path.join(dir, 'missing.json');
    expect(() => loadScorer(p)).toThrow(`edit scorer model ${p}: no such file`);
  });
});
