/**
 * How the ensemble picks among spelling suggestions, measured on a development set that is not
 * JFLEG: 800 words from the cspell list of common English misspellings (@cspell/dict-en-common-
 * misspellings, CC BY-SA 4.0; a dev dependency), each misspelling with one correction that is a
 * common word (Zipf ≥ 3.5), drawn with a fixed seed. Each word is checked in the frame
 * "I think ___ is here." by Harper and LanguageTool; a rule picks one suggestion from their union.
 *   npx tsx bench/spelling.bench.ts        (uses LANGUAGETOOL_URL or starts a LanguageTool server)
 *   ZIPF=1,3.5 npx tsx bench/spelling.bench.ts   (misspellings of rarer words)
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HarperCorrector } from '../core/engines/harper';
import { LanguageToolClient } from '../adapters/languagetool';
import { DEFAULT_SPELLING_RANK, spellingCost, weightedDistance } from '../core/engines/spelling';
import { mulberry32 } from '../core/random';
import { zipf } from '../core/text/frequency';
import { languagetoolServer } from './languagetool';
import { machine } from './machine';

// The package exports only its cspell config; the word list lies beside it.
const pkgDir = path.dirname(createRequire(import.meta.url).resolve('@cspell/dict-en-common-misspellings'));
const dict = JSON.parse(readFileSync(path.join(pkgDir, 'dict/dict-en.json'), 'utf8')) as { dictionaryDefinitions: { suggestWords: string[] }[] };
// ZIPF=1,3.5 draws misspellings of rarer words instead (the default: common words, Zipf ≥ 3.5)
const [ZIPF_FROM, ZIPF_TO] = (process.env.ZIPF ?? '3.5,99').split(',').map(Number);
const pairs = dict.dictionaryDefinitions[0].suggestWords
  .map((l) => l.split('->'))
  .filter(([m, c]) => c && !c.includes(',') && /^[a-z]{4,}$/.test(m) && /^[a-z]+$/.test(c) && zipf(c) >= ZIPF_FROM && zipf(c) < ZIPF_TO && zipf(m) === 0);
const rand = mulberry32(7);
const sample = pairs.map((p) => [rand(), p] as const).sort((a, b) => a[0] - b[0]).slice(0, 800).map((x) => x[1]);

const { url, stop } = process.env.LANGUAGETOOL_URL ? { url: process.env.LANGUAGETOOL_URL, stop: async () => {} } : await languagetoolServer();

const lt = new LanguageToolClient(url);
const harper = new HarperCorrector();
await harper.init();
const rows: { mis: string; cor: string; lt: string[]; harper: string[] }[] = [];
try {
  for (const [mis, cor] of sample) {
    const text = `I think ${mis} is here.`;
    const m = (await lt.check(text)).find((x) => x.start === 8);
    const h = (await harper.lint(text)).find((x) => x.start === 8);
    rows.push({ mis, cor, lt: m?.replacements ?? [], harper: h?.suggestions.map((s) => s.text) ?? [] });
  }
} finally {
  await harper.close();
  await stop();
}

type Row = (typeof rows)[number];
const pick = (r: Row, cost: (w: string) => number) => [...new Set([...r.lt, ...r.harper])].reduce((best, w) => (cost(w) < cost(best) ? w : best), '\u0000');
const byCost = (bonus: number) => (r: Row) => pick(r, (w) => (w === '\u0000' ? Infinity : spellingCost(r.mis, w, DEFAULT_SPELLING_RANK) - (r.lt.includes(w) && r.harper.includes(w) ? bonus : 0)));
const rules: [string, (r: Row) => string][] = [
  ["LanguageTool's first suggestion", (r) => r.lt[0] ?? r.harper[0] ?? ''],
  ["Harper's first suggestion", (r) => r.harper[0] ?? r.lt[0] ?? ''],
  ['union, weighted distance + 0.2 · surprisal', byCost(0)],
  ['… − 0.5 when both list it (the ensemble)', byCost(0.5)],
  ['the right word is among the suggestions (ceiling)', (r) => ([...r.lt, ...r.harper].includes(r.cor) ? r.cor : '')],
];
console.log(`# Spelling choice  (${machine()})\n`);
console.log(`${rows.length} misspellings of words of Zipf ${ZIPF_FROM}–${ZIPF_TO} (of ${pairs.length} eligible in the cspell list).\n`);
console.log('| rule | right |');
console.log('| --- | --- |');
for (const [name, f] of rules) console.log(`| ${name} | ${((100 * rows.filter((r) => f(r) === r.cor).length) / rows.length).toFixed(1)}% |`);

// Precision first: leave a word alone when its best suggestion is far from it. What a distance
// limit costs in right picks and saves in wrong ones (a wrong word is worse than none).
const ensemblePick = byCost(0.5);
console.log('\n| best suggestion kept when | right | wrong | left alone |');
console.log('| --- | --- | --- | --- |');
const limits: [string, (mis: string, w: string) => boolean][] = [
  ['no limit', () => true],
  ...[3, 2.5, 2].map((d) => [`distance ≤ ${d}`, (mis: string, w: string) => weightedDistance(mis, w, DEFAULT_SPELLING_RANK) <= d] as [string, (mis: string, w: string) => boolean]),
  ...[2, 2.5, 3].map((z) => [`Zipf of the word ≥ ${z}`, (_mis: string, w: string) => zipf(w) >= z] as [string, (mis: string, w: string) => boolean]),
];
for (const [name, keep] of limits) {
  let right = 0;
  let wrong = 0;
  for (const r of rows) {
    const w = ensemblePick(r);
    if (w === '\u0000' || !keep(r.mis, w)) continue;
    if (w === r.cor) right++;
    else wrong++;
  }
  const pct = (n: number) => `${((100 * n) / rows.length).toFixed(1)}%`;
  console.log(`| ${name} | ${pct(right)} | ${pct(wrong)} | ${pct(rows.length - right - wrong)} |`);
}
