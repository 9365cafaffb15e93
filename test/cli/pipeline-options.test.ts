import { describe, expect, it } from 'vitest';
import { pipelineInputFromOptions } from '../../client/commands/pipeline';
import { parsePipelineInput, pipelineStartDetails } from '../../contracts/pipeline';

describe('pipeline input: the scorer and validation knobs', () => {
  it('`--scorer-pairs` becomes train.scorerPairs; left out, the default 20 000 applies', () => {
    const input = pipelineInputFromOptions({ samples: 50, scorerPairs: 0 });
    expect(input).toEqual({ samples: 50, train: { scorerPairs: 0 } });
    const parsed = parsePipelineInput(input);
    expect(parsed.ok && parsed.value.train.scorerPairs).toBe(0);
    const defaults = parsePipelineInput({});
    expect(defaults.ok && defaults.value.train.scorerPairs).toBe(20_000);
    expect(defaults.ok && defaults.value.validation.chunkSize).toBe(2000);
  });

  it('refuses out-of-range values with the field named', () => {
    expect(parsePipelineInput({ train: { scorerPairs: -1 } })).toMatchObject({ ok: false, error: expect.stringMatching(/^train\.scorerPairs: /) });
    expect(parsePipelineInput({ validation: { chunkSize: 5 } })).toMatchObject({ ok: false, error: expect.stringMatching(/^validation\.chunkSize: /) });
    expect(parsePipelineInput({ train: { scorerPairs: 10, bogus: 1 } })).toMatchObject({ ok: false });
  });

  it('the Web UI details say how the scorer is fitted', () => {
    expect(pipelineStartDetails({ train: { scorerPairs: 500 } }).staticDetails).toContain('at most 500 training pairs');
    expect(pipelineStartDetails({ train: { scorerPairs: 0 } }).staticDetails).toContain('no pairs (the prior decides)');
  });
});
