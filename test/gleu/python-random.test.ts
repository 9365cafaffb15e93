/**
 * PythonRandom against values printed by CPython 3.11.7 (`python3 -c …` as quoted above each case).
 * Any difference in seeding, tempering or rejection sampling changes these sequences.
 */
import { describe, expect, it } from 'vitest';
import { PythonRandom } from '../../core/gleu/python-random';

describe('PythonRandom matches CPython 3 random', () => {
  it('seed(101): ten randint(0, 3) then getrandbits(32)', () => {
    // python3 -c 'import random; random.seed(101); print([random.randint(0,3) for _ in range(10)], random.getrandbits(32))'
    // → [1, 2, 3, 0, 1, 1, 2, 3, 1, 2] 4170868291
    const rng = new PythonRandom(101);
    expect(Array.from({ length: 10 }, () => rng.randint(0, 3))).toEqual([1, 2, 3, 0, 1, 1, 2, 3, 1, 2]);
    expect(rng.getrandbits(32)).toBe(4170868291);
  });

  it('seed(0): raw 32-bit outputs, randint(0, 2) and random()', () => {
    // python3 -c 'import random; random.seed(0); print([random.getrandbits(32) for _ in range(3)], [random.randint(0,2) for _ in range(8)], repr(random.random()))'
    // → [3626764237, 1654615998, 3255389356] [1, 0, 1, 2, 1, 1, 1, 1] 0.3580493746949883
    const rng = new PythonRandom(0);
    expect([rng.getrandbits(32), rng.getrandbits(32), rng.getrandbits(32)]).toEqual([3626764237, 1654615998, 3255389356]);
    expect(Array.from({ length: 8 }, () => rng.randint(0, 2))).toEqual([1, 0, 1, 2, 1, 1, 1, 1]);
    expect(rng.random()).toBe(0.3580493746949883);
  });

  it('a seed wider than 32 bits becomes a two-word key, and the sign is ignored', () => {
    // python3 -c 'import random; random.seed(2**32+5); print([random.randint(1,6) for _ in range(8)]); random.seed(-101); print([random.randint(0,3) for _ in range(5)])'
    // → [2, 4, 3, 5, 1, 3, 6, 2]
    // → [1, 2, 3, 0, 1]
    const rng = new PythonRandom(2 ** 32 + 5);
    expect(Array.from({ length: 8 }, () => rng.randint(1, 6))).toEqual([2, 4, 3, 5, 1, 3, 6, 2]);
    const big = new PythonRandom(2n ** 32n + 5n);
    expect(Array.from({ length: 8 }, () => big.randint(1, 6))).toEqual([2, 4, 3, 5, 1, 3, 6, 2]);
    rng.seed(-101);
    expect(Array.from({ length: 5 }, () => rng.randint(0, 3))).toEqual([1, 2, 3, 0, 1]);
  });

  it('stays in step across several twists of the state (2000 draws) and for the last GLEU seed', () => {
    // python3 -c 'import random; random.seed(7); x=[random.randint(0,3) for _ in range(2000)]; print(x[1990:], random.getrandbits(32))'
    // → [1, 3, 0, 2, 0, 1, 0, 2, 0, 3] 2119961117
    const rng = new PythonRandom(7);
    const xs = Array.from({ length: 2000 }, () => rng.randint(0, 3));
    expect(xs.slice(1990)).toEqual([1, 3, 0, 2, 0, 1, 0, 2, 0, 3]);
    expect(rng.getrandbits(32)).toBe(2119961117);
    // python3 -c 'import random; random.seed(49999*101); print([random.randint(0,3) for _ in range(5)])'
    // → [3, 0, 0, 1, 1]
    rng.seed(49999 * 101);
    expect(Array.from({ length: 5 }, () => rng.randint(0, 3))).toEqual([3, 0, 0, 1, 1]);
  });

  it('randint(0, 0) still consumes output, as Python does', () => {
    // python3 -c 'import random; random.seed(3); print([random.randint(0,0) for _ in range(3)], random.getrandbits(32))'
    // → [0, 0, 0] 3933953013
    const rng = new PythonRandom(3);
    expect([rng.randint(0, 0), rng.randint(0, 0), rng.randint(0, 0)]).toEqual([0, 0, 0]);
    expect(rng.getrandbits(32)).toBe(3933953013);
  });

  it('reseeding restarts the sequence; bad arguments throw', () => {
    const rng = new PythonRandom(101);
    const first = Array.from({ length: 50 }, () => rng.nextUint32());
    rng.seed(101);
    expect(Array.from({ length: 50 }, () => rng.nextUint32())).toEqual(first);
    expect(rng.getrandbits(0)).toBe(0);
    expect(() => rng.getrandbits(33)).toThrow(RangeError);
    expect(() => rng.randint(3, 2)).toThrow(RangeError);
    expect(() => rng.seed(1.5)).toThrow(RangeError);
  });
});
