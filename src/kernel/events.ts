// The kernel's event stream. Each event is stamped with the virtual tick it happened at.
// Emitting costs nothing when nobody listens: the kernel tests wants(type) before it
// builds the event object. With the `trace` option every event also feeds a running
// 64-bit FNV-1a hash of a canonical encoding, so two runs can be compared by one string.
//
// To add an event type, add one line to EVENT_SCHEMA: its fields in canonical order, each
// "num" (a safe integer), "str", "bool", or a list of the strings it may take.

type Kind = "num" | "str" | "bool" | readonly string[];

export const EVENT_SCHEMA = {
  fork: { parent: "num", child: "num", flags: "num", tid: "num" },
  lwp_create: { pid: "num", tid: "num", creator: "num" },
  exit: { pid: "num", status: "num", parent: "num" },
  reap: { pid: "num", status: "num", by: "num" },
  exec: { pid: "num", name: "str", argc: "num" },
  limit: { pid: "num", uid: "num", which: ["maxproc", "nproc"], printed: "bool" },
  sleep: { pid: "num", tid: "num", wmesg: "str", timo: "num" },
  wakeup: { pid: "num", tid: "num", wmesg: "str", result: "num" },
  lock: { pid: "num", tid: "num", lock: "str", sharecount: "num", exclusive: "bool" },
  fault: { pid: "num", va: "num", err: "num", resolved: "bool" },
  signal: { pid: "num", tid: "num", sig: "num" },
  kprintf: { text: "str" },
  panic: { message: "str" },
} as const satisfies Record<string, Record<string, Kind>>;

type Schema = typeof EVENT_SCHEMA;
export type EventType = keyof Schema;

type ValueOf<K> = K extends "num" ? number
  : K extends "str" ? string
  : K extends "bool" ? boolean
  : K extends readonly (infer S)[] ? S
  : never;

export type EventFields<T extends EventType> = { -readonly [F in keyof Schema[T]]: ValueOf<Schema[T][F]> };

/** What the kernel passes to emit: the type and its fields. */
export type EventInput<T extends EventType = EventType> = T extends EventType ? { type: T } & EventFields<T> : never;

/** What listeners receive: the input stamped with the tick. */
export type KernelEvent<T extends EventType = EventType> = T extends EventType
  ? { type: T; tick: number } & EventFields<T>
  : never;

export type Listener<T extends EventType = EventType> = (e: KernelEvent<T>) => void;

const NONE: readonly Listener[] = [];

const FIELDS = new Map<string, [string, Kind][]>(
  Object.entries(EVENT_SCHEMA).map(([type, fields]) => [type, Object.entries(fields) as [string, Kind][]]),
);

export interface EventBusOptions {
  /** The virtual clock: the tick each event is stamped with. */
  clock: () => number;
  /** Hash every event into traceHash(), listened to or not. */
  trace?: boolean;
}

export class EventBus {
  readonly trace: boolean;
  private readonly clock: () => number;
  // Listener arrays are replaced, never mutated, so an emit in progress is unaffected by on/off.
  private byType = new Map<EventType, readonly Listener[]>();
  private all: readonly Listener[] = [];
  private readonly hash: Fnv1a64 | null;
  private count = 0;

  constructor(opts: EventBusOptions) {
    this.clock = opts.clock;
    this.trace = opts.trace ?? false;
    this.hash = this.trace ? new Fnv1a64() : null;
  }

  /** Whether an event of this type would go anywhere; test it before building the event. */
  wants(type: EventType): boolean {
    return this.trace || this.all.length > 0 || this.byType.has(type);
  }

  /** Whether any event would go anywhere. */
  get enabled(): boolean {
    return this.trace || this.all.length > 0 || this.byType.size > 0;
  }

  /** Listen to one type, or to every type with "*"; returns the function that stops it. */
  on<T extends EventType>(type: T, fn: Listener<T>): () => void;
  on(type: "*", fn: Listener): () => void;
  on(type: EventType | "*", fn: Listener): () => void {
    if (typeof fn !== "function") throw new Error("EventBus.on: listener must be a function");
    if (type === "*") {
      this.all = [...this.all, fn];
    } else {
      if (!FIELDS.has(type)) throw new Error(`EventBus.on: unknown event type ${JSON.stringify(type)}`);
      this.byType.set(type, [...(this.byType.get(type) ?? []), fn]);
    }
    return () => (type === "*" ? this.off("*", fn) : this.off(type, fn));
  }

  /** Stop one registration of fn (the earliest); nothing happens if it is not registered. */
  off<T extends EventType>(type: T, fn: Listener<T>): void;
  off(type: "*", fn: Listener): void;
  off(type: EventType | "*", fn: Listener): void {
    const list = type === "*" ? this.all : this.byType.get(type) ?? [];
    const i = list.indexOf(fn);
    if (i < 0) return;
    const rest = [...list.slice(0, i), ...list.slice(i + 1)];
    if (type === "*") this.all = rest;
    else if (rest.length > 0) this.byType.set(type, rest);
    else this.byType.delete(type);
  }

  /**
   * Stamp the event with the current tick (on the object given) and deliver it: first
   * hashed when tracing, then to the type's listeners, then to "*" listeners, each in the
   * order they were added. Outside a kernel step a listener's exception propagates to the
   * emitter; inside one (hold()) the event waits for the step to end.
   */
  emit(e: EventInput): void {
    const fns = this.byType.get(e.type);
    if (fns === undefined && this.all.length === 0 && this.hash === null) return;
    const ev = e as KernelEvent;
    (ev as { tick: number }).tick = this.clock();
    if (this.hash !== null) this.hashEvent(ev);
    if (fns === undefined && this.all.length === 0) return;
    if (this.depth > 0) { this.pending.push(ev, fns ?? NONE, this.all); return; }
    if (fns !== undefined) for (const fn of fns) fn(ev);
    for (const fn of this.all) fn(ev);
  }

  // Kernel steps. While the kernel holds the bus, events wait, and the kernel delivers
  // them at the points where the step they report is complete (a syscall returned or
  // slept, a trap was handled); a listener's exception cannot leave a step half-done: it
  // is kept for the caller (takeErrors), and the other listeners still hear every event.
  private depth = 0;
  /** Each waiting event as three entries: the event, its type's listeners, the "*" listeners (no object per event). */
  private readonly pending: (KernelEvent | readonly Listener[])[] = [];
  private errors: unknown[] = [];

  /** Kernel work begins: events wait until deliver() or the last release(). */
  hold(): void { this.depth++; }

  /** Kernel work ended: when nothing holds the bus any more, the waiting events go out. */
  release(): void {
    if (--this.depth <= 0) { this.depth = 0; this.deliver(); }
  }

  /** A point where the kernel is consistent: the events so far reach their listeners. */
  deliver(): void {
    if (this.pending.length === 0) return;
    // A listener can cause no new events (the API refuses calls that would), but any
    // that came would be delivered here in order.
    const q = this.pending;
    for (let i = 0; i < q.length; i += 3) {
      const ev = q[i] as KernelEvent, fns = q[i + 1] as readonly Listener[], all = q[i + 2] as readonly Listener[];
      for (const fn of fns) this.call(fn, ev);
      for (const fn of all) this.call(fn, ev);
    }
    q.length = 0;
  }

  private call(fn: Listener, ev: KernelEvent): void {
    try { fn(ev); } catch (err) { this.errors.push(err); }
  }

  /** The exceptions listeners threw during held steps since the last call, oldest first. */
  takeErrors(): unknown[] {
    const e = this.errors;
    if (e.length) this.errors = [];
    return e;
  }

  /** Whether a listener has thrown since the last takeErrors. */
  get failed(): boolean { return this.errors.length > 0; }

  /** The running hash of every event so far, 16 hex digits; needs the trace option. */
  traceHash(): string {
    if (this.hash === null) throw new Error("EventBus.traceHash: tracing is off (create the bus with trace: true)");
    return this.hash.hex();
  }

  /** How many events have been hashed. */
  get traceCount(): number {
    return this.count;
  }

  // Canonical encoding: the type name, the tick, then each field in schema order. Numbers
  // are 'n' + 64-bit two's complement little-endian; strings 's' + 32-bit length + UTF-16
  // code units; booleans 'b' + one byte. Fixed fields per type keep it unambiguous.
  // Fields are all checked before any is hashed, so a refused event leaves the hash as it was.
  private hashEvent(ev: KernelEvent): void {
    const fields = FIELDS.get(ev.type);
    if (fields === undefined) throw new Error(`EventBus.emit: unknown event type ${JSON.stringify(ev.type)}`);
    const rec = ev as unknown as Record<string, unknown>;
    checkNum(ev.tick, "tick");
    for (const [name, kind] of fields) checkField(rec[name], kind, `${ev.type}.${name}`);
    const h = this.hash!;
    this.hashStr(ev.type);
    this.hashNum(ev.tick);
    for (const [name, kind] of fields) {
      const v = rec[name];
      if (kind === "num") this.hashNum(v as number);
      else if (kind === "bool") {
        h.byte(0x62);
        h.byte(v ? 1 : 0);
      } else this.hashStr(v as string);
    }
    this.count++;
  }

  private hashNum(v: number): void {
    this.hash!.byte(0x6E);
    this.hashU32(v >>> 0);
    this.hashU32(Math.floor(v / TWO32) >>> 0);
  }

  private hashStr(s: string): void {
    this.hash!.byte(0x73);
    this.hashU32(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      this.hash!.byte(c);
      this.hash!.byte(c >>> 8);
    }
  }

  private hashU32(v: number): void {
    this.hash!.byte(v);
    this.hash!.byte(v >>> 8);
    this.hash!.byte(v >>> 16);
    this.hash!.byte(v >>> 24);
  }
}

const TWO32 = 4294967296;

function checkNum(v: unknown, what: string): void {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) {
    throw new Error(`EventBus.emit: ${what} must be a safe integer, got ${String(v)}`);
  }
}

function checkField(v: unknown, kind: Kind, what: string): void {
  if (kind === "num") checkNum(v, what);
  else if (kind === "bool") {
    if (typeof v !== "boolean") throw new Error(`EventBus.emit: ${what} must be a boolean, got ${String(v)}`);
  } else if (typeof v !== "string" || (kind !== "str" && !kind.includes(v))) {
    throw new Error(`EventBus.emit: ${what} must be ${kind === "str" ? "a string" : kind.join(" | ")}, got ${String(v)}`);
  }
}

/** 64-bit FNV-1a, kept as two 32-bit halves (exact in doubles, no BigInt). */
export class Fnv1a64 {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  byte(b: number): void {
    const lo = (this.lo ^ (b & 0xFF)) >>> 0;
    // h * (2^40 + 0x1b3) mod 2^64: lo * 0x1b3 may carry into hi; lo << 40 lands in hi as lo << 8.
    const t = lo * 0x1b3;
    this.lo = t >>> 0;
    this.hi = (this.hi * 0x1b3 + Math.floor(t / TWO32) + (lo << 8)) >>> 0;
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, "0") + this.lo.toString(16).padStart(8, "0");
  }
}
