// Simulated physical memory: physical address P lives at linear address PHYS + P.
import { ld32, st32, copy, fill } from "./mem";
import { PHYS } from "./state";

export function pld32(pa: i32): i32 { return ld32(PHYS + pa); }
export function pst32(pa: i32, v: i32): void { st32(PHYS + pa, v); }
/** Linear address of a physical address, for bulk copies. */
export function plin(pa: i32): i32 { return PHYS + pa; }
export function pzero(pa: i32, n: i32): void { fill(PHYS + pa, 0, n); }
export function pcopy(dst: i32, src: i32, n: i32): void { copy(PHYS + dst, PHYS + src, n); }
