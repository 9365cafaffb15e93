/**
 * Input descriptors of a sentence, the features whose distributions the drift check compares:
 * length in words, out-of-vocabulary rate against the training vocabulary, share of non-letter
 * characters, edit density (word edits the model made per input word), and form/tone as a
 * nearest-neighbour vote over the Text Repository.
 */
import { dot } from '../embedding/types';
import { LocalHashEmbedder } from '../embedding/local-hash';

export interface Descriptors {
  length: number[];
  oovRate: number[];
  nonLetterShare: number[];
  editDensity: number[];
  form: string[];
  tone: string[];
}
export const NUMERIC_DESCRIPTORS = ['length', 'oovRate', 'nonLetterShare', 'editDensity'] as const;
export const CATEGORICAL_DESCRIPTORS = ['form', 'tone'] as const;

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
}

/** The vocabulary of a set of texts (lower-cased word tokens). */
export function vocabulary(texts: Iterable<string>): Set<string> {
  const v = new Set<string>();
  for (const t of texts) for (const w of words(t)) v.add(w);
  return v;
}

/** Share of a text's words with letters that the vocabulary lacks (numbers are not words here). */
export function oovRate(text: string, vocab: ReadonlySet<string>): number {
  const ws = words(text).filter((w) => /\p{L}/u.test(w));
  if (ws.length === 0) return 1;
  return ws.filter((w) => !vocab.has(w)).length / ws.length;
}

/** Share of the visible characters that are not letters (digits, symbols, punctuation). */
export function nonLetterShare(text: string): number {
  const visible = [...text.replace(/\s+/g, '')];
  if (visible.length === 0) return 0;
  return visible.filter((ch) => !/\p{L}/u.test(ch)).length / visible.length;
}

/** Word-level Levenshtein distance between input and output, per input word. */
export function editDensity(input: string, output: string): number {
  const a = words(input);
  const b = words(output);
  if (a.length === 0) return b.length === 0 ? 0 : 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] / a.length;
}

/**
 * Form and tone by majority vote of the k most similar Text Repository entries, with the
 * deterministic local hash embedding (character n-grams and words; not a neural model). Applied
 * the same way to reference and serving sentences, so its bias cancels in the comparison.
 */
export class FormToneClassifier {
  private readonly embedder = new LocalHashEmbedder();
  private vectors: number[][] = [];

  constructor(private readonly entries: readonly { text: string; form: string; tone: string }[], private readonly k = 5) {}

  async init(): Promise<this> {
    if (this.entries.length === 0) throw new Error('FormToneClassifier needs Text Repository entries: run `correctly db seed`');
    this.vectors = await this.embedder.embed(this.entries.map((e) => e.text));
    return this;
  }

  async classify(texts: readonly string[]): Promise<{ form: string; tone: string }[]> {
    const vs = await this.embedder.embed([...texts]);
    return vs.map((v) => {
      const nearest = this.vectors
        .map((e, i) => ({ i, s: dot(v, e) }))
        .sort((x, y) => y.s - x.s || x.i - y.i)
        .slice(0, this.k);
      const vote = (key: 'form' | 'tone') => {
        const counts = new Map<string, number>();
        for (const n of nearest) counts.set(this.entries[n.i][key], (counts.get(this.entries[n.i][key]) ?? 0) + 1);
        return [...counts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0][0];
      };
      return { form: vote('form'), tone: vote('tone') };
    });
  }
}

/** Descriptors of (input, model output) pairs. */
export async function describe(pairs: readonly { input: string; output: string }[], vocab: ReadonlySet<string>, classifier: FormToneClassifier): Promise<Descriptors> {
  const classes = await classifier.classify(pairs.map((p) => p.input));
  return {
    length: pairs.map((p) => words(p.input).length),
    oovRate: pairs.map((p) => oovRate(p.input, vocab)),
    nonLetterShare: pairs.map((p) => nonLetterShare(p.input)),
    editDensity: pairs.map((p) => editDensity(p.input, p.output)),
    form: classes.map((c) => c.form),
    tone: classes.map((c) => c.tone),
  };
}
