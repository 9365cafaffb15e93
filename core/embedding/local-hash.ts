/**
 * LocalHashEmbedder: a deterministic, offline text embedding by signed feature hashing.
 *
 * NOT a neural model. It has no notion of meaning: two texts are similar when they share surface
 * features. That is what near-duplicate detection of generated sentences needs, and it runs
 * anywhere with no download, no network and no randomness (same text → same vector, on every
 * machine and run).
 *
 * Features of the normalised text (NFKC, lower case, whitespace collapsed, padded with a space):
 *   - every character n-gram, n = 3..5 (UTF-16 code units), weight 1 — robust to small edits;
 *   - every word (letters, digits, apostrophes), weight `wordWeight`.
 * Each feature is hashed (FNV-1a, then a murmur3 finaliser) to one of `dimensions` buckets with a
 * hashed sign (the "hashing trick" with signed hashes, so collisions cancel out on average rather
 * than add up), and the vector is L2-normalised.
 *
 * Calibration. Raw cosine similarity of such bags of features falls roughly linearly with the share
 * of features that differ: changing one word of a 12-word sentence already takes it to about 0.88,
 * while neural sentence embeddings (the scale a "0.95 = near duplicate" threshold comes from) keep
 * such pairs above 0.95. To put this embedder on that scale, the last dimension holds a constant
 * component: a vector is [f, sqrt(bias)] / sqrt(1 + bias) for the unit feature vector f (hashed into
 * the other dimensions - 1 buckets), which maps raw similarity s to (s + bias) / (1 + bias). That is
 * monotone, so neighbour order is unchanged. Measured with the default bias 2: one word changed in
 * a 12-word sentence ≈ 0.957 (flagged at 0.95), in a 20-word one ≈ 0.98, in a 5-word one ≈ 0.91
 * (not flagged: too much of it changed); two content words of six changed ≈ 0.85; unrelated
 * sentences ≈ 0.65–0.72. `bias: 0` gives raw similarities (−0.1–0.1 for unrelated texts: hash
 * collisions).
 */
import { type Embedder, l2Normalize } from './types';

export interface LocalHashEmbedderOptions {
  /** Vector length (default 384). */
  dimensions?: number;
  /** Smallest and largest character n-gram (defaults 3 and 5). */
  minN?: number;
  maxN?: number;
  /** Weight of each word feature relative to one character n-gram (default 2). */
  wordWeight?: number;
  /** Calibration constant, see the module comment (default 2; 0 gives raw similarities). */
  bias?: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SEED_CHAR = 0x2f3a9c1b;
const SEED_WORD = 0x6b43a9b5;

/** murmur3 32-bit finaliser: spreads FNV's weak low bits over the whole word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const WORD_RE = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

export class LocalHashEmbedder implements Embedder {
  readonly name: string;
  readonly dimensions: number;
  private readonly minN: number;
  private readonly maxN: number;
  private readonly wordWeight: number;
  private readonly bias: number;

  constructor(opts: LocalHashEmbedderOptions = {}) {
    this.dimensions = opts.dimensions ?? 384;
    this.minN = opts.minN ?? 3;
    this.maxN = opts.maxN ?? 5;
    this.wordWeight = opts.wordWeight ?? 2;
    this.bias = opts.bias ?? 2;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 2) throw new Error('LocalHashEmbedder: dimensions must be an integer ≥ 2');
    if (!(this.minN >= 1 && this.maxN >= this.minN && Number.isInteger(this.minN) && Number.isInteger(this.maxN))) {
      throw new Error('LocalHashEmbedder: need integers 1 ≤ minN ≤ maxN');
    }
    if (!(this.wordWeight >= 0) || !(this.bias >= 0)) throw new Error('LocalHashEmbedder: wordWeight and bias must be ≥ 0');
    this.name = `local-hash-v1:d${this.dimensions}:c${this.minN}-${this.maxN}:w${this.wordWeight}:b${this.bias}`;
  }

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((t) => Array.from(this.embedOne(t)));
  }

  /** The embedding of one text as a Float64Array (synchronous; `embed` wraps it). */
  embedOne(text: string): Float64Array {
    const v = new Float64Array(this.dimensions);
    // With calibration the last dimension holds the constant component; features use the rest.
    const buckets = this.bias > 0 ? this.dimensions - 1 : this.dimensions;
    const s = ` ${normalizeForEmbedding(text)} `;
    const add = (h: number, w: number) => {
      const m = fmix32(h);
      v[m % buckets] += fmix32(m ^ 0x9e3779b9) & 1 ? w : -w;
    };
    // Character n-grams: one FNV pass per start position, emitting at every length in range.
    for (let i = 0; i + this.minN <= s.length; i++) {
      let h = FNV_OFFSET ^ SEED_CHAR;
      for (let k = 0; k < this.maxN && i + k < s.length; k++) {
        h = Math.imul(h ^ s.charCodeAt(i + k), FNV_PRIME) >>> 0;
        if (k + 1 >= this.minN) add(h ^ (k + 1), 1);
      }
    }
    if (this.wordWeight > 0) {
      for (const m of s.matchAll(WORD_RE)) {
        const w = m[0];
        let h = FNV_OFFSET ^ SEED_WORD;
        for (let k = 0; k < w.length; k++) h = Math.imul(h ^ w.charCodeAt(k), FNV_PRIME) >>> 0;
        add(h, this.wordWeight);
      }
    }
    l2Normalize(v);
    if (this.bias > 0) {
      if (v.every((x) => x === 0)) {
        v[buckets] = 1; // no features (empty text): the constant direction alone
        return v;
      }
      // v is now a unit feature vector f (last slot 0); make it [f, sqrt(bias)] / sqrt(1 + bias).
      const a = 1 / Math.sqrt(1 + this.bias);
      for (let i = 0; i < buckets; i++) v[i] *= a;
      v[buckets] = Math.sqrt(this.bias) * a;
    }
    return v;
  }
}

/** NFKC, lower case, whitespace runs collapsed to one space, trimmed. */
export function normalizeForEmbedding(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
