// A validator for the subset of JSON Schema (2020-12) that docs/schema/report.schema.json
// uses: type, const, enum, properties, required, additionalProperties, items, minimum,
// oneOf and local $ref (#/$defs/...). Any other keyword is an error, so the schema cannot
// quietly use something this validator would ignore.
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  "$schema", "$id", "$defs", "title", "description",
  "type", "const", "enum", "properties", "required", "additionalProperties", "items", "minimum", "oneOf", "$ref",
]);

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function hasType(v: unknown, t: string): boolean {
  if (t === "integer") return Number.isInteger(v);
  if (t === "number") return typeof v === "number" && Number.isFinite(v);
  return typeOf(v) === t;
}

/** The errors of `value` against `schema` (empty: valid), each with its JSON path. */
export function validate(root: Schema, value: unknown): string[] {
  const check = (s: Schema, v: unknown, path: string, errors: string[]): void => {
    for (const k of Object.keys(s)) if (!KNOWN.has(k)) throw new Error(`schema keyword ${k} at ${path} is not supported by this validator`);
    if (typeof s.$ref === "string") {
      const m = /^#\/\$defs\/(.+)$/.exec(s.$ref);
      const target = m && (root.$defs as Record<string, Schema>)[m[1]];
      if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
      check(target, v, path, errors);
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? s.type as string[] : [s.type as string];
      if (!types.some((t) => hasType(v, t))) { errors.push(`${path}: expected ${types.join(" or ")}, got ${typeOf(v)}`); return; }
    }
    if ("const" in s && JSON.stringify(v) !== JSON.stringify(s.const)) errors.push(`${path}: expected ${JSON.stringify(s.const)}`);
    if (s.enum && !(s.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(v))) errors.push(`${path}: ${JSON.stringify(v)} not in ${JSON.stringify(s.enum)}`);
    if (typeof s.minimum === "number" && typeof v === "number" && v < s.minimum) errors.push(`${path}: ${v} < ${s.minimum}`);
    if (s.oneOf) {
      const each = (s.oneOf as Schema[]).map((o) => { const e: string[] = []; check(o, v, path, e); return e; });
      const passing = each.filter((e) => e.length === 0).length;
      if (passing !== 1) {
        errors.push(`${path}: matches ${passing} of oneOf's ${each.length} schemas, not exactly 1`);
        // None: the errors against the nearest one say what is wrong.
        if (passing === 0) errors.push(...each.reduce((a, e) => (e.length < a.length ? e : a)));
      }
    }
    if (typeOf(v) === "object") {
      const o = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const r of (s.required ?? []) as string[]) if (!(r in o)) errors.push(`${path}: missing ${r}`);
      for (const [k, x] of Object.entries(o)) {
        if (k in props) check(props[k], x, `${path}.${k}`, errors);
        else if (s.additionalProperties === false) errors.push(`${path}: unexpected property ${k}`);
        else if (typeof s.additionalProperties === "object") check(s.additionalProperties as Schema, x, `${path}.${k}`, errors);
      }
    }
    if (Array.isArray(v) && s.items) v.forEach((x, i) => check(s.items as Schema, x, `${path}[${i}]`, errors));
  };
  const errors: string[] = [];
  check(root, value, "$", errors);
  return errors;
}
