/**
 * A bit-exact port of the parts of CPython 3's `random` module that the JFLEG GLEU scorer uses:
 * `random.seed(int)`, `random.getrandbits(k)`, `random.randint(a, b)` and `random.random()`.
 *
 * CPython's generator is the 32-bit Mersenne Twister MT19937 (Matsumoto & Nishimura, the 2002
 * `init_by_array` reference code, as in Modules/_randommodule.c). Reproducing it exactly is what
 * lets GLEU choose the same reference per sentence as the Python scorer and so match its numbers.
 *
 * All state is kept as unsigned 32-bit integers in a Uint32Array. JavaScript numbers are doubles,
 * so 32-bit products go through Math.imul (which wraps mod 2^32) and results are brought back to
 * unsigned with `>>> 0`.
 */

const N = 624; // state size in 32-bit words
const M = 397; // middle word offset of the twist
const MATRIX_A = 0x9908b0df; // constant vector a of the twist
const UPPER_MASK = 0x80000000; // most significant bit
const LOWER_MASK = 0x7fffffff; // least significant 31 bits

export class PythonRandom {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  constructor(seed: number | bigint = 0) {
    this.seed(seed);
  }

  /**
   * Same as Python 3's `random.seed(n)` for an int n: the key is |n| split into 32-bit words,
   * least significant first (so 0 gives the key [0] and 2**32 + 5 gives [5, 1]), fed to
   * `init_by_array`. Like Python, the sign is ignored: seed(-7) equals seed(7).
   */
  seed(seed: number | bigint): void {
    if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
      throw new RangeError(`PythonRandom.seed: expected an integer, got ${seed}`);
    }
    let n = BigInt(seed);
    if (n < 0n) n = -n;
    const key: number[] = [];
    do {
      key.push(Number(n & 0xffffffffn));
      n >>= 32n;
    } while (n > 0n);
    this.initByArray(key);
  }

  /** init_genrand: fill the state from a single 32-bit seed (a linear recurrence, Knuth's multiplier). */
  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1];
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.mti = N;
  }

  /** init_by_array: mix an arbitrary-length key into a state that init_genrand(19650218) prepared. */
  private initByArray(key: number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1];
      // non-linear: (mt[i] ^ ((prev ^ (prev >> 30)) * 1664525)) + key[j] + j, mod 2^32
      mt[i] = ((mt[i] ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1];
      // non-linear: (mt[i] ^ ((prev ^ (prev >> 30)) * 1566083941)) - i, mod 2^32
      mt[i] = ((mt[i] ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000; // MSB is 1, assuring a non-zero initial state
  }

  /** Regenerate all N words of state at once (the "twist"). */
  private twist(): void {
    const mt = this.mt;
    let kk = 0;
    for (; kk < N - M; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.mti = 0;
  }

  /** genrand_uint32: the next 32-bit output, tempered. */
  nextUint32(): number {
    if (this.mti >= N) this.twist();
    let y = this.mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * Python's `getrandbits(k)` for 0 <= k <= 32: the top k bits of one 32-bit output
   * (k = 0 returns 0 and consumes nothing, as in Python 3.9+).
   */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k > 32) {
      throw new RangeError(`PythonRandom.getrandbits: k must be an integer in 0..32, got ${k}`);
    }
    if (k === 0) return 0;
    return this.nextUint32() >>> (32 - k);
  }

  /**
   * Python's `_randbelow(n)` (the getrandbits variant): draw bit_length(n) bits, retry while
   * the draw is >= n. Note that n = 1 still consumes at least one output, as in Python.
   */
  randbelow(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0xffffffff) {
      throw new RangeError(`PythonRandom.randbelow: n must be an integer in 1..2^32-1, got ${n}`);
    }
    const k = 32 - Math.clz32(n); // n.bit_length()
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** Python's `randint(a, b)`: an integer in [a, b], both ends included, as `a + _randbelow(b - a + 1)`. */
  randint(a: number, b: number): number {
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b < a) {
      throw new RangeError(`PythonRandom.randint: empty or non-integer range (${a}, ${b})`);
    }
    return a + this.randbelow(b - a + 1);
  }

  /** Python's `random()`: a double in [0, 1) built from 53 random bits (genrand_res53). */
  random(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }
}
