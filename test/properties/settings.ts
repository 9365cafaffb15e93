/**
 * fast-check settings for the property tests: a fresh random seed each run (that is the point),
 * reproducible on demand. A failure prints its seed and path; rerun with FC_SEED=<seed>
 * (and FC_PATH=<path>) to replay it. FC_RUNS raises the number of cases per property.
 */
import fc from 'fast-check';

fc.configureGlobal({
  numRuns: Number(process.env.FC_RUNS ?? 200),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
});

export { fc };

/** Plain English-looking words (no digits, no @), so text checks see ordinary prose. */
export const word = fc.constantFrom('the', 'a', 'he', 'she', 'go', 'goes', 'school', 'yesterday', 'to', 'in', 'book', 'read', 'reads', 'every', 'morning', 'my', 'friend', 'big', 'house', 'quickly', 'water', 'drink', 'drinks', 'city', 'old', 'new', 'I', 'we', 'they', 'is', 'are', 'was', 'were', 'at', 'on', 'with', 'letter', 'wrote', 'write', 'garden', 'cat', 'dog');

/** A sentence of 1–n words, capitalised, with a full stop. */
export const sentence = (min = 3, max = 14) =>
  fc.array(word, { minLength: min, maxLength: max }).map((ws) => {
    const s = ws.join(' ');
    return `${s[0].toUpperCase()}${s.slice(1)}.`;
  });

/** Runs of whitespace of the kinds the checks normalise. */
export const spaces = fc.array(fc.constantFrom(' ', '  ', '\t', ' \t '), { minLength: 1, maxLength: 3 }).map((a) => a.join(''));
