/**
 * Synthetic candidate triples for throughput measurements: diverse sentences from six slots of
 * 30–40 options each (so accidental near duplicates are rare), an agreement error to correct, and
 * a realistic sprinkling of problems: ~3% PII, ~2% exact duplicates under new ids, ~1% unchanged,
 * ~1% profanity. Deterministic for a seed.
 */
import type { CandidateSample } from '../../core/validation';
import { mulberry32 } from '../../core/random';

const SUBJECTS = ['My brother', 'The old teacher', 'Her youngest cousin', 'Our new neighbour', 'The quiet student', 'His grandmother', 'That famous singer', 'The hotel manager', 'A local farmer', 'My best friend', 'The taxi driver', 'Their little daughter', 'The young doctor', 'An angry customer', 'The school principal', 'Your older sister', 'The football coach', 'A tired nurse', 'The shy programmer', 'Our class president', 'The bakery owner', 'My uncle from Busan', 'The careful pilot', 'A curious child', 'The museum guide', 'Her German teacher', 'The night guard', 'A famous chef', 'The bus company', 'My roommate'];
const VERBS: [string, string][] = [['like', 'likes'], ['want', 'wants'], ['need', 'needs'], ['visit', 'visits'], ['clean', 'cleans'], ['paint', 'paints'], ['repair', 'repairs'], ['order', 'orders'], ['describe', 'describes'], ['remember', 'remembers'], ['prefer', 'prefers'], ['forget', 'forgets'], ['explain', 'explains'], ['borrow', 'borrows'], ['carry', 'carries'], ['watch', 'watches'], ['study', 'studies'], ['wash', 'washes'], ['fix', 'fixes'], ['bring', 'brings'], ['sell', 'sells'], ['build', 'builds'], ['draw', 'draws'], ['read', 'reads'], ['write', 'writes'], ['check', 'checks'], ['choose', 'chooses'], ['photograph', 'photographs'], ['collect', 'collects'], ['recommend', 'recommends']];
const OBJECTS = ['the red bicycle', 'a small wooden boat', 'the broken umbrella', 'an expensive camera', 'the kitchen window', 'a long history book', 'the garden fence', 'a bowl of noodles', 'the village church', 'an old map of Seoul', 'the blue notebook', 'a cup of green tea', 'the hospital report', 'a pair of running shoes', 'the mountain trail', 'a birthday cake', 'the train schedule', 'a jazz record', 'the science project', 'a bunch of flowers', 'the car engine', 'a winter jacket', 'the office printer', 'a chocolate biscuit', 'the river bridge', 'a math problem', 'the concert ticket', 'a silver necklace', 'the wedding photo', 'a plastic bottle', 'the tennis racket', 'a French novel', 'the morning newspaper', 'a paper lantern', 'the dusty piano'];
const PLACES = ['at the station', 'in the park', 'near the harbour', 'behind the library', 'at the market', 'in the classroom', 'on the rooftop', 'at the airport', 'in the hospital', 'beside the river', 'at the stadium', 'in the basement', 'on the beach', 'at the bakery', 'in the village', 'near the castle', 'at the office', 'in the garden', 'on the ferry', 'at the cinema', 'in the laboratory', 'near the border', 'at the zoo', 'in the kitchen', 'on the balcony', 'at the museum', 'in the forest', 'at the gym', 'near the temple', 'in the parking lot'];
const TIMES = ['every morning', 'on Sundays', 'after dinner', 'before school', 'twice a week', 'every summer', 'at night', 'during lunch', 'in the evening', 'every weekend', 'on rainy days', 'once a month', 'at dawn', 'in winter', 'on holidays', 'every Friday', 'after work', 'before bed', 'at noon', 'in spring', 'on weekdays', 'every year', 'in the afternoon', 'at midnight', 'on Mondays', 'during the break', 'after the exam', 'before breakfast', 'in autumn', 'every day'];
const REASONS = ['주어가 3인칭 단수이므로 동사에 -s를 붙여야 합니다.', '3인칭 단수 현재형에서는 동사 끝에 s나 es가 붙습니다.', '주어와 동사의 수를 일치시켜야 하므로 동사를 단수형으로 고쳤습니다.', '현재 시제에서 단수 주어 뒤의 동사는 -s 형태를 씁니다.'];

export function syntheticSamples(n: number, seed = 1, prefix = 'syn'): CandidateSample[] {
  const rand = mulberry32(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const out: CandidateSample[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.02 && out.length) {
      out.push({ ...out[Math.floor(rand() * out.length)], id: `${prefix}_${i}` });
      continue;
    }
    const [base, third] = pick(VERBS);
    let tail = `${pick(OBJECTS)} ${pick(PLACES)} ${pick(TIMES)}`;
    if (r > 0.97) tail += rand() < 0.5 ? `, call 010-${1000 + Math.floor(rand() * 9000)}-${1000 + Math.floor(rand() * 9000)}` : `, mail k${i}@example.com`;
    const subject = pick(SUBJECTS);
    const awkward = `${subject} ${base} ${tail}.`;
    let corrected = `${subject} ${third} ${tail}.`;
    if (r > 0.02 && r < 0.03) corrected = awkward;
    const profane = r > 0.03 && r < 0.04;
    out.push({
      id: `${prefix}_${i}`,
      awkward: profane ? `${subject} fucking ${base} ${tail}.` : awkward,
      corrected: profane ? `${subject} fucking ${third} ${tail}.` : corrected,
      reason: pick(REASONS),
      reasonLanguage: 'ko',
      errorTypes: ['agreement'],
    });
  }
  return out;
}
