// Parsers for the command line's option values. Each throws commander's
// InvalidArgumentError saying what the option expects; commander names the option.
import { InvalidArgumentError } from "commander";
import type { Duration } from "../workloads/common.js";
import { STRATEGIES, type Strategy } from "../core/core.js";

/** A usage error found after parsing (two options that exclude each other, ...): exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** An integer from min to max (decimal digits only). */
export function intParser(min: number, max: number, what = "an integer"): (v: string) => number {
  return (v: string) => {
    const s = v.trim();
    if (!/^\d+$/.test(s)) throw new InvalidArgumentError(`expects ${what} from ${min} to ${max}`);
    const n = Number(s);
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expects ${what} from ${min} to ${max}`);
    return n;
  };
}

const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
export const MIN_MEM = 1 << 20;
export const MAX_MEM = 3 * 1024 ** 3;

/** A memory size: 64M, 1G, 512K, 1.5G, or bytes; KiB units; a multiple of 4096, 1M to 3G. */
export function parseSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i.exec(v.trim());
  const expects = "expects a memory size such as 64M or 1G (K, M, G are KiB, MiB, GiB), a multiple of 4K from 1M to 3G";
  if (!m) throw new InvalidArgumentError(expects);
  const bytes = Number(m[1]) * SIZE_UNITS[m[2].toLowerCase()];
  if (!Number.isSafeInteger(bytes) || bytes % 4096 !== 0 || bytes < MIN_MEM || bytes > MAX_MEM) throw new InvalidArgumentError(expects);
  return bytes;
}

const TIME_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** A virtual duration: 10s, 500ms, 2m, 1.5s, or ticks as 300t. */
export function parseDuration(v: string): Duration {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|t)$/i.exec(v.trim());
  const expects = "expects a virtual duration such as 10s, 500ms, 2m, or ticks such as 300t";
  if (!m) throw new InvalidArgumentError(expects);
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  if (unit === "t") {
    if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${expects} (ticks: a whole number, at least 1)`);
    return { ticks: n };
  }
  const seconds = n * TIME_UNITS[unit];
  if (!(seconds > 0) || seconds > 86400) throw new InvalidArgumentError(`${expects} (more than 0, at most 24h)`);
  return { seconds };
}

/** A path for --plot: must end in .svg. */
export function parseSvgPath(v: string): string {
  if (!/\.svg$/i.test(v)) throw new InvalidArgumentError("expects a file name ending in .svg");
  return v;
}

/** --strategy: copy, cow, share-pt, or a comma list of them to compare (copy,cow,share-pt), each once. */
export function parseStrategies(v: string): Strategy[] {
  const list = v.split(",").map((s) => s.trim());
  const expects = `Allowed choices are ${STRATEGIES.join(", ")}, or a comma list of them such as copy,cow`;
  if (!list.every((s): s is Strategy => (STRATEGIES as readonly string[]).includes(s))) throw new InvalidArgumentError(expects);
  if (new Set(list).size !== list.length) throw new InvalidArgumentError(`${expects} (each once)`);
  return list;
}
