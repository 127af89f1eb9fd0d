// Checks for what callers of the Node API hand in. Each throws the error type the caller
// gives (ForklabError for the API) with a message that names the parameter, so a bad
// value is refused before anything in the kernel changes.

type Err = new (message: string) => Error;

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "function") return "a function";
  if (Array.isArray(v)) return "an array";
  if (v !== null && typeof v === "object") return "an object";
  return String(v);
}

/** An integer (a JS number) from min to max. */
export function checkInt(E: Err, name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new E(`${name} must be an integer from ${min} to ${max}, got ${show(v)}`);
  }
  return v;
}

export function checkString(E: Err, name: string, v: unknown, maxLen = 1024): string {
  if (typeof v !== "string") throw new E(`${name} must be a string, got ${show(v)}`);
  if (v.length > maxLen) throw new E(`${name} must be at most ${maxLen} characters, got ${v.length}`);
  return v;
}

export function checkStrings(E: Err, name: string, v: unknown, maxCount: number): string[] {
  if (!Array.isArray(v)) throw new E(`${name} must be an array of strings, got ${show(v)}`);
  if (v.length > maxCount) throw new E(`${name} must have at most ${maxCount} strings, got ${v.length}`);
  v.forEach((s, i) => { if (typeof s !== "string") throw new E(`${name}[${i}] must be a string, got ${show(s)}`); });
  return v as string[];
}

export function checkBytes(E: Err, name: string, v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new E(`${name} must be a Uint8Array, got ${show(v)}`);
  return v;
}

/** An options object: undefined (all defaults) or a plain object with only the known keys. */
export function checkOptions<T extends object>(E: Err, name: string, v: unknown, keys: readonly string[]): Partial<T> {
  if (v === undefined) return {};
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new E(`${name} must be an object, got ${show(v)}`);
  for (const key of Object.keys(v)) {
    if (!keys.includes(key)) throw new E(`${name}: unknown option ${JSON.stringify(key)} (known: ${keys.join(", ")})`);
  }
  return v as Partial<T>;
}

export function checkFunction(E: Err, name: string, v: unknown): (...a: never[]) => unknown {
  if (typeof v !== "function") throw new E(`${name} must be a function, got ${show(v)}`);
  return v as (...a: never[]) => unknown;
}
