// MT19937 exactly as PyTorch's at::mt19937 (ATen/core/MT19937RNGEngine.h): seeded with the
// standard init_genrand(seed & 0xffffffff), `left`/`next` bookkeeping kept identical so the state
// serialises byte-for-byte like torch.get_rng_state().

export const MT_N = 624;
const MT_M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

export class MT19937 {
  /** Full 64-bit seed as given (only the low 32 bits feed the state). */
  seed: bigint = 0n;
  readonly state = new Uint32Array(MT_N);
  left = 1;
  next = 0;
  seeded = false;

  constructor(seed: bigint = 5489n) {
    this.init(seed);
  }

  init(seed: bigint): void {
    this.seed = BigInt.asUintN(64, seed);
    this.seeded = true;
    const st = this.state;
    st[0] = Number(this.seed & 0xffffffffn);
    for (let j = 1; j < MT_N; j++) {
      const prev = st[j - 1] ^ (st[j - 1] >>> 30);
      st[j] = (Math.imul(1812433253, prev) + j) >>> 0;
    }
    this.left = 1;
    this.next = 0;
  }

  /** Regenerate the 624 words (at::mt19937::next_state). */
  twist(): void {
    const st = this.state;
    this.left = MT_N;
    this.next = 0;
    let kk = 0;
    for (; kk < MT_N - MT_M; kk++) {
      const y = (st[kk] & UPPER) | (st[kk + 1] & LOWER);
      st[kk] = st[kk + MT_M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    for (; kk < MT_N - 1; kk++) {
      const y = (st[kk] & UPPER) | (st[kk + 1] & LOWER);
      st[kk] = st[kk + MT_M - MT_N] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    const y = (st[MT_N - 1] & UPPER) | (st[0] & LOWER);
    st[MT_N - 1] = st[MT_M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }

  /** One 32-bit draw (generator->random()). */
  nextU32(): number {
    if (--this.left === 0) this.twist();
    let y = this.state[this.next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * Bulk path: write `n` uniform floats in [0,1) — (draw & 0xffffff) * 2^-24, i.e.
   * at::uniform_real_distribution<float>(0, 1) — into out[offset..offset+n).
   */
  fillUniform24(out: Float32Array, offset: number, n: number): void {
    const st = this.state;
    let i = offset;
    const end = offset + n;
    while (i < end) {
      if (--this.left === 0) this.twist();
      // this.left draws remain including the current one
      const take = Math.min(end - i, this.left);
      let nx = this.next;
      for (let k = 0; k < take; k++) {
        let y = st[nx++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        out[i++] = (y & 0xffffff) * 5.9604644775390625e-8;
      }
      this.next = nx;
      this.left -= take - 1;
    }
  }

  /** One 53-bit uniform double in [0,1) from random64() = (hi << 32) | lo. */
  nextDouble53(): number {
    const hi = this.nextU32();
    const lo = this.nextU32();
    return ((hi & 0x1fffff) * 4294967296 + lo) * 1.1102230246251565e-16;
  }

  /** random64() as a bigint. */
  nextU64(): bigint {
    const hi = this.nextU32();
    const lo = this.nextU32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
}
