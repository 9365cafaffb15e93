/**
 * Harper on the full JFLEG dev set (754 sentences): detokenize each source, correct, tokenize
 * the output, score with GLEU. Measured: 0.4514 (source alone 0.381965); must stay ≥ 0.44.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
