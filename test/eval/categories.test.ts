/** Per-category edit precision and recall, on hand-made sentences. */
import { describe, expect, it } from 'vitest';
import { categoryScores } from '../../core/eval/categories';

describe('categoryScores', () => {
  it('counts right and wrong edits per category against the best-matching reference', () => {
    const sources = ['I am student .', 'He go to school in Monday .', 'She is happy .'];
    const refs = [['I am a student .', 'He goes to school on Monday .', 'She is happy .'], ['I am the student .', 'He went to school on Monday .', 'She is happy .']];
    const outputs = ['I am a student .', 'He goes to school at Monday .', 'She was happy .'];
    const s = categoryScores(sources, refs, outputs);
    expect(s.article).toEqual({ correct: 1, proposed: 1, gold: 1, precision: 1, recall: 1 });
    expect(s.preposition).toEqual({ correct: 0, proposed: 1, gold: 1, precision: 0, recall: 0 });
    expect(s.agreement).toMatchObject({ correct: 1, proposed: 1, gold: 1 });
    // an edit of a correct sentence is wrong
    expect(s.tense).toMatchObject({ correct: 0, proposed: 1, precision: 0 });
  });

  it('a system that changes nothing has recall 0 and (vacuous) precision 1', () => {
    const s = categoryScores(['a apple .'], [['an apple .']], ['a apple .']);
    expect(s.article).toEqual({ correct: 0, proposed: 0, gold: 1, precision: 1, recall: 0 });
  });
});
