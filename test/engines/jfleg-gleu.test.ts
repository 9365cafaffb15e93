/**
 * Harper on the full JFLEG dev set (754 sentences): detokenize each source, correct, tokenize
 * the output, score with GLEU. Measured: 0.4514 (source alone 0.381965); must stay ≥ 0.44.
 * And the default engine (the ensemble, with the run's LanguageTool server) through the CLI, the
 * command the README reports: measured 0.4813; must stay ≥ 0.48.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/paths';
import { jfleg } from '../../adapters/jfleg';
import { HarperCorrector } from '../../core/engines/harper';
import { loadJfleg } from '../../adapters/jfleg';
import { gleuCorpus } from '../../core/gleu/gleu';
import { detokenize, tokenize } from '../../core/text/tokenize';

let harper: HarperCorrector;
beforeAll(async () => {
  harper = new HarperCorrector();
  await harper.init();
});
afterAll(async () => {
  await harper.close();
});

describe('harper on JFLEG dev', () => {
  it('scores GLEU ≥ 0.44', async () => {
    const { src, refs } = loadJfleg();
    expect(src).toHaveLength(754);
    const hypotheses: string[] = [];
    const latencies: number[] = [];
    for (const line of src) {
      const t0 = performance.now();
      const c = await harper.correct(detokenize(line));
      latencies.push(performance.now() - t0);
      hypotheses.push(tokenize(c.corrected));
    }
    const source = gleuCorpus({ sources: src, references: refs, hypotheses: src });
    const result = gleuCorpus({ sources: src, references: refs, hypotheses });
    latencies.sort((a, b) => a - b);
    const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    console.log(
      `JFLEG dev GLEU: source ${source.gleu.toFixed(6)}, harper ${result.gleu.toFixed(6)} ` +
        `[${result.ci[0].toFixed(4)}, ${result.ci[1].toFixed(4)}]; latency mean ${mean.toFixed(1)} ms, ` +
        `p50 ${latencies[latencies.length >> 1].toFixed(1)} ms, p95 ${latencies[Math.floor(latencies.length * 0.95)].toFixed(1)} ms`,
    );
    expect(source.gleu).toBeCloseTo(0.381965, 5);
    expect(result.gleu).toBeGreaterThanOrEqual(0.44);
  });
});

describe('the default engine on JFLEG dev, through the CLI', () => {
  it('`correct --engine ensemble --tokenized`, scored by `correctly gleu`: GLEU ≥ 0.48', () => {
    expect(process.env.LANGUAGETOOL_URL, 'the run\'s LanguageTool server (test/support/global-languagetool.ts)').toBeTruthy();
    const dir = mkdtempSync(path.join(tmpdir(), 'jfleg-ensemble-'));
    try {
      const bin = path.join(PROJECT_ROOT, 'bin/correctly');
      const hyp = path.join(dir, 'ensemble.txt');
      const corrected = spawnSync(bin, ['correct', '--engine', 'ensemble', '--tokenized', '--input', jfleg('dev.src'), '--output', hyp], { encoding: 'utf8', timeout: 600_000 });
      expect(corrected.status, corrected.stderr).toBe(0);
      const refs = [0, 1, 2, 3].map((i) => jfleg(`dev.ref${i}`));
      const scored = spawnSync(bin, ['gleu', '--src', jfleg('dev.src'), '--ref', ...refs, '--hyp', hyp], { encoding: 'utf8', timeout: 60_000 });
      expect(scored.status, scored.stderr).toBe(0);
      const { gleu, ci } = JSON.parse(scored.stdout) as { gleu: number; ci: [number, number] };
      console.log(`JFLEG dev GLEU, default engine: ${gleu} [${ci[0]}, ${ci[1]}]`);
      expect(gleu).toBeGreaterThanOrEqual(0.48);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
