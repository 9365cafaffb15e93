/** The `correct` command, run for real in a subprocess (test/engines/cli-entry.ts). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveRuleModel, trainRuleModel } from '../../core/engines/rules';
import { correctionSchema } from '../../core/engines/types';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
let dir: string;

function run(args: string[], input = '') {
  const r = spawnSync(tsx, ['test/engines/cli-entry.ts', 'correct', ...args], { cwd: repoRoot, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'correct-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('correctly correct', () => {
  it('corrects plain lines from stdin with the default engine (the ensemble), keeping empty lines', () => {
    const r = run([], 'He go to school every days.\n\ni recieve a apple.\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('He goes to school every day.\n\nI receive an apple.\n');
    // Harper alone misses "every days"
    expect(run(['--engine', 'harper'], 'He go to school every days.\n').stdout).toBe('He goes to school every days.\n');
  });

  it('reads and writes JFLEG-tokenized files with --tokenized', () => {
    const input = path.join(dir, 'in.txt');
    const output = path.join(dir, 'out.txt');
    writeFileSync(input, "She do n't like it , becouse it 's big . \nHe go to school .\n");
    const r = run(['--tokenized', '--input', input, '--output', output]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(output, 'utf8')).toBe("She does n't like it , because it 's big .\nHe goes to school .\n");
  });

  it('writes JSON records with --jsonl, reasons in Korean by default and English on request', () => {
    const ko = run(['--jsonl'], 'I recieve a apple.\n\n');
    expect(ko.code).toBe(0);
    const lines = ko.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const rec = correctionSchema.parse(JSON.parse(lines[0]));
    expect(Object.keys(JSON.parse(lines[0]))).toEqual(['input', 'corrected', 'reason', 'edits', 'engine', 'modelVersion', 'systems']);
    expect(rec).toMatchObject({ input: 'I recieve a apple.', corrected: 'I receive an apple.', engine: 'ensemble', modelVersion: null, systems: ['harper', 'languagetool', 'learner'] });
    expect(rec.reason).toContain("철자: 'recieve' → 'receive' — 'recieve'의 올바른 철자는 'receive'입니다.");
    expect(JSON.parse(lines[1])).toMatchObject({ input: '', corrected: '', edits: [] });
    const en = run(['--jsonl', '--reason-language', 'en'], 'I recieve a apple.\n');
    expect(JSON.parse(en.stdout).reason).toMatch(/Spelling: 'recieve' → 'receive'/);
  });

  it('runs the rules engine with a model file', () => {
    const pairs = ['I went to store.', 'She ran to store today.', 'We drove to store early.'].map((source) => ({
      source,
      target: source.replace('to store', 'to the store'),
    }));
    const model = path.join(dir, 'rules.json');
    saveRuleModel(trainRuleModel(pairs, { minCount: 2, minPrecision: 0.9, confidence: 0 }), model);
    const r = run(['--engine', 'rules', '--model', model, '--model-version', '4', '--jsonl'], 'They walked to store.\n');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ corrected: 'They walked to the store.', engine: 'rules', modelVersion: '4' });
  });

  it('fails with one error line and exit code 2 on bad input', () => {
    const cases: [string[], RegExp][] = [
      [['--engine', 'nope'], /^error: unknown engine "nope" \(available: harper, ensemble, languagetool, rules, champion, openai, ollama\)$/],
      [['--input', path.join(dir, 'missing.txt')], /^error: --input .*missing\.txt: no such file$/],
      [['--engine', 'rules'], /^error: engine "rules" needs a model/],
      [['--engine', 'rules', '--model', path.join(dir, 'missing.json')], /^error: rule model .*missing\.json: no such file$/],
      [['--reason-language', 'fr'], /^error: --reason-language must be ko or en/],
    ];
    const corrupt = path.join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"format": "correctly-rules", "version": 1, "rules": [\n');
    cases.push([['--engine', 'rules', '--model', corrupt], /^error: .*corrupt\.json: rule model is not valid JSON/]);
    const wrong = path.join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ format: 'correctly-rules', version: 1, options: {}, stats: {}, rules: 'x' }));
    cases.push([['--engine', 'rules', '--model', wrong], /^error: .*wrong\.json: invalid rule model at /]);
    for (const [args, message] of cases) {
      const r = run(args, 'He go.\n');
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      const errLines = r.stderr.trimEnd().split('\n');
      expect(errLines, r.stderr).toHaveLength(1);
      expect(errLines[0]).toMatch(message);
    }
  });
});
