/** Sample builders for the validation tests. */
import type { CandidateSample } from '../../core/validation';

export function sample(over: Partial<CandidateSample> = {}): CandidateSample {
  return {
    id: 'smp_1',
    awkward: 'He go to school yesterday.',
    corrected: 'He went to school yesterday.',
    reason: '과거 시제이므로 go를 went로 바꿨습니다.',
    reasonLanguage: 'ko',
    errorTypes: ['tense'],
    ...over,
  };
}

/**
 * Valid, distinct triples from one template (subject, verb, place, time): about half are near
 * duplicates of an earlier one ("He go to the library yesterday." / "She go to …"), which makes
 * them a good mixed batch for the near-duplicate check.
 */
export function variedSamples(n: number, prefix = 'smp'): CandidateSample[] {
  const subjects = ['He', 'She', 'My brother', 'Our teacher', 'The old man', 'My best friend', 'Her cousin', 'The manager', 'That girl', 'His uncle', 'The new student', 'My neighbour', 'The driver'];
  const verbs: [string, string, string][] = [
    ['go', 'went', 'to'],
    ['walk', 'walked', 'to'],
    ['drive', 'drove', 'to'],
    ['run', 'ran', 'to'],
    ['fly', 'flew', 'to'],
    ['travel', 'travelled', 'to'],
    ['cycle', 'cycled', 'to'],
  ];
  const places = ['the library', 'the station', 'the museum', 'the beach', 'the hospital', 'the market', 'the stadium', 'the airport', 'the bakery', 'the harbour', 'the castle', 'the village', 'the office', 'the park', 'the zoo', 'the cinema', 'the factory'];
  const times = ['yesterday', 'last week', 'two days ago', 'last night', 'this morning', 'last summer', 'on Monday', 'in 2019', 'after lunch', 'before dinner', 'at noon'];
  const reasons = ['과거를 나타내는 표현이 있으므로 과거 시제를 씁니다.', '시제 일치를 위해 동사를 과거형으로 바꿨습니다.', '과거의 일이므로 동사의 과거형이 필요합니다.'];
  const out: CandidateSample[] = [];
  for (let i = 0; i < n; i++) {
    const s = subjects[i % subjects.length];
    const [v, past, prep] = verbs[Math.floor(i / subjects.length) % verbs.length];
    const p = places[Math.floor(i / (subjects.length * verbs.length)) % places.length];
    const t = times[Math.floor(i / (subjects.length * verbs.length * places.length)) % times.length];
    const k = Math.floor(i / (subjects.length * verbs.length * places.length * times.length));
    const tail = k ? ` with ${k} friends` : '';
    out.push({
      id: `${prefix}_${i}`,
      awkward: `${s} ${v} ${prep} ${p} ${t}${tail}.`,
      corrected: `${s} ${past} ${prep} ${p} ${t}${tail}.`,
      reason: reasons[i % reasons.length],
      reasonLanguage: 'ko',
      errorTypes: ['tense'],
    });
  }
  return out;
}
