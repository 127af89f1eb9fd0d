// A map from non-negative integers (pids, core thread handles) to values, with the Map
// methods the kernel and its callers use. Keys hash to buckets (key & mask), like the
// kernel's pidhashtbl. A deleted entry leaves a free slot (key -1) for the next insert
// into its bucket, so a bucket's arrays never shrink or grow again once they hold what
// the bucket holds at its busiest: the insert-and-delete churn of fork and exit allocates
// nothing. (A Map under that churn rehashes or shrinks its table on nearly every fork.)
// When the entries outgrow the buckets (more than MAX_LOAD a bucket on average) the
// buckets quadruple, so a lookup stays O(1) at 100,000 processes; they never shrink.
// Iteration is in bucket order, not insertion order.

const FREE = -1;
/** Entries per bucket, on average, beyond which the buckets quadruple. */
const MAX_LOAD = 4;

export class IntMap<V> {
  private keyb: number[][] = [];
  private valb: (V | undefined)[][] = [];
  private mask: number;
  private n = 0;

  /**
   * `buckets` is rounded up to a power of two. Few buckets, so the whole map stays in the
   * cache: pids advance through the buckets one fork at a time, and with many buckets
   * every insert and delete touched one not seen for hundreds of forks.
   */
  constructor(buckets = 32) {
    let b = 1;
    while (b < buckets) b <<= 1;
    this.mask = b - 1;
    for (let i = 0; i < b; i++) { this.keyb.push([]); this.valb.push([]); }
  }

  get size(): number { return this.n; }

  get(key: number): V | undefined {
    if (!(key >= 0)) return undefined;
    const b = key & this.mask, ks = this.keyb[b];
    for (let i = 0; i < ks.length; i++) if (ks[i] === key) return this.valb[b][i];
    return undefined;
  }

  has(key: number): boolean { return key >= 0 && this.keyb[key & this.mask].includes(key); }

  set(key: number, value: V): this {
    if (!Number.isSafeInteger(key) || key < 0) throw new RangeError(`IntMap: key ${key} is not a non-negative integer`);
    const b = key & this.mask, ks = this.keyb[b], vs = this.valb[b];
    let free = -1;
    for (let i = 0; i < ks.length; i++) {
      if (ks[i] === key) { vs[i] = value; return this; }
      if (ks[i] === FREE && free < 0) free = i;
    }
    if (free >= 0) {
      ks[free] = key;
      vs[free] = value;
    } else {
      ks.push(key);
      vs.push(value);
    }
    if (++this.n > MAX_LOAD * (this.mask + 1)) this.grow();
    return this;
  }

  /** Four times the buckets, every entry rehashed (amortized O(1) per insert). */
  private grow(): void {
    const keyb = this.keyb, valb = this.valb;
    const b = (this.mask + 1) * 4;
    this.mask = b - 1;
    this.keyb = [];
    this.valb = [];
    for (let i = 0; i < b; i++) { this.keyb.push([]); this.valb.push([]); }
    for (let i = 0; i < keyb.length; i++) {
      const ks = keyb[i], vs = valb[i];
      for (let j = 0; j < ks.length; j++) {
        if (ks[j] === FREE) continue;
        const t = ks[j] & this.mask;
        this.keyb[t].push(ks[j]);
        this.valb[t].push(vs[j]);
      }
    }
  }

  delete(key: number): boolean {
    if (!(key >= 0)) return false;
    const b = key & this.mask, i = this.keyb[b].indexOf(key);
    if (i < 0) return false;
    this.keyb[b][i] = FREE;
    this.valb[b][i] = undefined;
    this.n--;
    return true;
  }

  *entries(): IterableIterator<[number, V]> {
    for (let b = 0; b <= this.mask; b++) {
      const ks = this.keyb[b], vs = this.valb[b];
      for (let i = 0; i < ks.length; i++) if (ks[i] !== FREE) yield [ks[i], vs[i]!];
    }
  }
  *keys(): IterableIterator<number> { for (const [k] of this.entries()) yield k; }
  *values(): IterableIterator<V> { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator](): IterableIterator<[number, V]> { return this.entries(); }
}
