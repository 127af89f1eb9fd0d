/** A kernel invariant was broken (a lock released twice, a sleep under a spinlock...). */
export class KernelPanic extends Error {
  override name = "KernelPanic";
  constructor(message: string) { super(`panic: ${message}`); }
}
