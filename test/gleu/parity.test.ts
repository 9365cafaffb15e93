/**
 * Parity with the JFLEG scorer (keisks/jfleg eval/gleu.py under Python 3) on the JFLEG dev set:
 * 754 sentences, source dev.src, references dev.ref0..3. Targets from the design doc, plus the
 * full-precision values the Python scorer gives (numpy 2.4 / scipy):
 *   hyp dev.src vs refs 0–3:  mean 0.3819651093965722, std 0.009596614540806209,
 *                             ci (0.3631560905230786, 0.40077412827006575)
 *   hyp dev.ref0 vs refs 1–3: mean 0.5575927490403988, std 0.0068895608986218,
 *                             ci (0.5440894578098047, 0.5710960402709929)
 */
import { describe, expect, it } from 'vitest';
import { readLines, runGleu } from '../../client/commands/gleu';
import { gleuCorpus } from '../../core/gleu/gleu';
import { jfleg } from './jfleg';

const load = (file: string) => readLines(jfleg(file), file);

describe('GLEU parity on JFLEG dev', () => {
  const sources = load('dev.src');
  const refs = [0, 1, 2, 3].map((k) => load(`dev.ref${k}`));

  it('has the expected data: 754 sentences, 4 references', () => {
    expect(sources).toHaveLength(754);
    for (const ref of refs) expect(ref).toHaveLength(754);
  });

  it('hypothesis = dev.src against refs 0–3 → 0.381965 (std 0.009597), within two seconds', () => {
    const started = performance.now();
    const r = gleuCorpus({ sources, references: refs, hypotheses: sources });
    const ms = performance.now() - started;
    expect(r.gleu.toFixed(6)).toBe('0.381965');
    expect(r.std.toFixed(6)).toBe('0.009597');
    expect(r.gleu).toBeCloseTo(0.3819651093965722, 14);
    expect(r.std).toBeCloseTo(0.009596614540806209, 14);
    expect(r.ci[0]).toBeCloseTo(0.3631560905230786, 14);
    expect(r.ci[1]).toBeCloseTo(0.40077412827006575, 14);
    expect(ms).toBeLessThan(2000);
  });

  it('hypothesis = dev.ref0 against refs 1–3 → 0.557593', () => {
    const r = gleuCorpus({ sources, references: refs.slice(1), hypotheses: refs[0] });
    expect(r.gleu.toFixed(6)).toBe('0.557593');
    expect(r.gleu).toBeCloseTo(0.5575927490403988, 14);
    expect(r.std).toBeCloseTo(0.0068895608986218, 14);
    expect(r.ci[0]).toBeCloseTo(0.5440894578098047, 14);
    expect(r.ci[1]).toBeCloseTo(0.5710960402709929, 14);
  });

  it('runGleu reads the files and rounds to 6 decimals as the scorer prints', () => {
    expect(
      runGleu({ src: jfleg('dev.src'), ref: [0, 1, 2, 3].map((k) => jfleg(`dev.ref${k}`)), hyp: jfleg('dev.src') }),
    ).toEqual({ gleu: 0.381965, std: 0.009597, ci: [0.363156, 0.400774] });
    expect(
      runGleu({ src: jfleg('dev.src'), ref: [1, 2, 3].map((k) => jfleg(`dev.ref${k}`)), hyp: jfleg('dev.ref0') }),
    ).toEqual({ gleu: 0.557593, std: 0.00689, ci: [0.544089, 0.571096] });
  });
});
