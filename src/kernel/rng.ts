// The kernel's only source of randomness (karc4random, scheduler choices): a seeded
// xorshift128+ style generator, so the same seed gives the same run.
export class Rng {
  private s0: number;
  private s1: number;
  constructor(seed: number) {
    // splitmix32 to spread small seeds
    let z = (seed | 0) + 0x9e3779b9;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b); z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.s0 = (z ^ (z >>> 16)) | 1;
    z = (seed | 0) + 0x3c6ef372;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b); z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.s1 = (z ^ (z >>> 16)) | 2;
  }
  /** A uniformly distributed unsigned 32-bit integer. */
  next(): number {
    let x = this.s0;
    const y = this.s1;
    this.s0 = y;
    x ^= x << 23; x ^= x >>> 17; x ^= y ^ (y >>> 26);
    this.s1 = x;
    return (this.s1 + y) >>> 0;
  }
  /** An integer in [0, n). */
  below(n: number): number { return n <= 1 ? 0 : this.next() % n; }
}
