// The sys/tree.h red-black tree (assembly/rbtree.ts) and the per-process LWP trees
// (assembly/lwptree.ts). The algorithm is reference §7 (DragonFly sys/tree.h 1.11, the
// classic Niels Provos tree); lwp_rb_tree and rb_lwp_compare are kern_fork.c 1.76.
//
// test/fixtures/rb/expected.txt is what BSD's own <bsd/sys/tree.h> builds from the
// sequences of test/fixtures/rb/rbshape.c; the fixture is replayed here on both builds,
// and the C program is recompiled and rerun (when cc and the header exist) so the fixture
// cannot drift from the header.
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Core, CoreError, RbArena, RB_NODE, RB_RED, RB_BLACK } from "../../src/core/core.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/rb/", import.meta.url));
const ENOMEM = 12, EINVAL = 22;
const INT_MIN = -0x80000000, INT_MAX = 0x7FFFFFFF;

let wasm: Core;
let portable: Core;
beforeAll(async () => {
  wasm = Core.create({ physBytes: 4 << 20, maxThreads: 64 });
  portable = await Core.createPortable({ physBytes: 4 << 20, maxThreads: 64 });
});
const backends = (): [string, () => Core][] => [["wasm", () => wasm], ["portable", () => portable]];

/** The rbshape.c generator: state = state * 1664525 + 1013904223 (mod 2^32), returns state >> 8. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 8;
  };
}

/** A fresh arena per use: one per backend and size, reset between uses. */
const arenas = new Map<string, RbArena>();
function arena(core: Core, nodes: number): RbArena {
  const k = `${core.backend}:${nodes}`;
  let a = arenas.get(k);
  if (!a) { a = core.rbArena(nodes); arenas.set(k, a); }
  a.reset();
  return a;
}

/** Inserts keys in order on fresh nodes. */
function build(a: RbArena, keys: number[]): number[] {
  return keys.map((k, i) => {
    const n = a.node(i);
    a.setKey(n, k);
    expect(a.insert(n)).toBe(0);
    return n;
  });
}

/**
 * Every red-black and structural invariant: root black with no parent, no red node with a
 * red child, equal black height on every path, keys strictly increasing in order, every
 * child's parent link pointing back. Returns the keys in order.
 */
function checkTree(a: RbArena): number[] {
  // Raw reads (arena nodes are 4-byte aligned): this runs after every operation.
  const m = new Int32Array(a.core.linear().buffer);
  const w = (p: number, off: number) => m[(p + off) >>> 2];
  const ptr = (p: number, off: number) => w(p, off) >>> 0;
  const root = a.root();
  const keys: number[] = [];
  if (root === 0) return keys;
  if (ptr(root, RB_NODE.parent) !== 0) throw new Error("the root has a parent");
  if (w(root, RB_NODE.color) !== RB_BLACK) throw new Error("the root is red");
  const walk = (n: number, depth: number): number => {
    if (n === 0) return 1;
    if (depth > 64) throw new Error("tree deeper than any RB tree");
    const c = w(n, RB_NODE.color), k = w(n, RB_NODE.key);
    if (c !== RB_RED && c !== RB_BLACK) throw new Error(`node ${k} has colour ${c}`);
    const l = ptr(n, RB_NODE.left), r = ptr(n, RB_NODE.right);
    for (const ch of [l, r]) {
      if (ch === 0) continue;
      if (ptr(ch, RB_NODE.parent) !== n) throw new Error(`parent link of ${w(ch, RB_NODE.key)} does not point to ${k}`);
      if (c === RB_RED && w(ch, RB_NODE.color) === RB_RED) throw new Error(`red ${k} has a red child`);
    }
    const hl = walk(l, depth + 1);
    keys.push(k);
    const hr = walk(r, depth + 1);
    if (hl !== hr) throw new Error(`black heights differ under ${k}: ${hl} vs ${hr}`);
    return hl + (c === RB_BLACK ? 1 : 0);
  };
  walk(root, 0);
  for (let i = 1; i < keys.length; i++) {
    if (!(keys[i - 1] < keys[i])) throw new Error(`keys out of order: ${keys[i - 1]} then ${keys[i]}`);
  }
  return keys;
}

/** next/prev/min/max/lookup/find agree with the sorted model. */
function checkQueries(a: RbArena, model: number[], probes: number[]): void {
  if (model.length === 0) {
    expect(a.min()).toBe(0);
    expect(a.max()).toBe(0);
  } else {
    expect(a.key(a.min())).toBe(model[0]);
    expect(a.key(a.max())).toBe(model[model.length - 1]);
  }
  // Forwards with next, backwards with prev: both give the model's order.
  const fwd: number[] = [], back: number[] = [];
  for (let n = a.min(); n !== 0 && fwd.length <= model.length; n = a.next(n)) fwd.push(a.key(n));
  for (let n = a.max(); n !== 0 && back.length <= model.length; n = a.prev(n)) back.push(a.key(n));
  back.reverse();
  if (fwd.length !== model.length || fwd.some((k, i) => k !== model[i])) expect(fwd).toEqual(model);
  if (back.length !== model.length || back.some((k, i) => k !== model[i])) expect(back).toEqual(model);
  const set = new Set(model);
  for (const k of probes) {
    const hit = a.lookup(k);
    if (set.has(k)) expect(a.key(hit)).toBe(k); else expect(hit).toBe(0);
  }
}

describe.each(backends())("rb tree shapes (%s)", (_name, core) => {
  it("an empty tree dumps as '.' and has no min, max or root", () => {
    const a = arena(core(), 8);
    expect(a.dump()).toBe(".");
    expect(a.root()).toBe(0);
    expect(a.min()).toBe(0);
    expect(a.max()).toBe(0);
    expect(a.lookup(0)).toBe(0);
    expect(a.inprog()).toBe(0);
  });

  it("inserting 1..7 ascending", () => {
    const a = arena(core(), 8);
    const seen: string[] = [];
    for (let k = 1; k <= 7; k++) {
      const n = a.node(k);
      a.setKey(n, k);
      expect(a.insert(n)).toBe(0);
      seen.push(a.dump());
    }
    expect(seen).toEqual([
      "1:B . .",
      "1:B . 2:R . .",
      "2:B 1:R . . 3:R . .",                              // rotate left at 1
      "2:B 1:B . . 3:B . 4:R . .",                        // red uncle: recolour, root stays black
      "2:B 1:B . . 4:B 3:R . . 5:R . .",                  // rotate left at 3
      "2:B 1:B . . 4:R 3:B . . 5:B . 6:R . .",            // recolour 3, 5 black and 4 red
      "2:B 1:B . . 4:R 3:B . . 6:B 5:R . . 7:R . .",      // rotate left at 5
    ]);
    checkTree(a);
    expect(a.inprog()).toBe(0);
  });

  it("inserting 7..1 descending is the mirror image", () => {
    const a = arena(core(), 8);
    build(a, [7, 6, 5, 4, 3, 2, 1]);
    expect(a.dump()).toBe("6:B 4:R 2:B 1:R . . 3:R . . 5:B . . 7:B . .");
  });

  it("the four 3-node orders all rotate to the same shape", () => {
    for (const order of [[1, 2, 3], [3, 2, 1], [1, 3, 2], [3, 1, 2]]) {
      const a = arena(core(), 4);
      build(a, order);
      expect(a.dump(), order.join(",")).toBe("2:B 1:R . . 3:R . .");
    }
  });

  it("removing a two-child red node: its successor takes its entry", () => {
    const a = arena(core(), 8);
    const nodes = build(a, [1, 2, 3, 4, 5, 6, 7]);
    const n4 = nodes[3], n5 = nodes[4];
    const { left, parent, color } = { left: a.left(n4), parent: a.parent(n4), color: a.color(n4) };
    expect(a.remove(n4)).toBe(n4);
    expect(a.dump()).toBe("2:B 1:B . . 5:R 3:B . . 6:B . 7:R . .");
    // 5 took 4's whole entry: its left (3), parent (2) and colour (red).
    expect(a.left(n5)).toBe(left);
    expect(a.parent(n5)).toBe(parent);
    expect(a.color(n5)).toBe(color);
    checkTree(a);
  });

  it("removing the black root: successor from deep left, then REMOVE_COLOR rotates", () => {
    const a = arena(core(), 8);
    const nodes = build(a, [1, 2, 3, 4, 5, 6, 7]);
    a.remove(nodes[1]);
    expect(a.dump()).toBe("3:B 1:B . . 6:R 4:B . 5:R . . 7:B . .");
    expect(a.root()).toBe(nodes[2]);
    checkTree(a);
  });

  it("removing leaves and one-child nodes", () => {
    const a = arena(core(), 8);
    const nodes = build(a, [1, 2, 3, 4, 5, 6, 7]);
    a.remove(nodes[6]); // red leaf 7
    expect(a.dump()).toBe("2:B 1:B . . 4:R 3:B . . 6:B 5:R . . .");
    a.remove(nodes[5]); // black 6 with one red child 5: 5 moves up and turns black
    expect(a.dump()).toBe("2:B 1:B . . 4:R 3:B . . 5:B . .");
    a.remove(nodes[0]); // black leaf 1: sibling 4 red, rotate left at 2
    expect(a.dump()).toBe("4:B 2:B . 3:R . . 5:B . .");
    checkTree(a);
  });

  it("a duplicate insert returns the existing node and changes nothing", () => {
    const a = arena(core(), 16);
    const nodes = build(a, [50, 20, 80, 10, 30]);
    const before = a.dump();
    const d = a.node(10);
    a.setKey(d, 30);
    expect(a.insert(d)).toBe(nodes[4]);
    expect(a.dump()).toBe(before);
    expect(a.inTree(d)).toBe(false);
    expect(a.find(d)).toBe(nodes[4]);
    a.setKey(d, 31);
    expect(a.find(d)).toBe(0);
  });

  it("keys compare as signed i32 and dump in signed decimal", () => {
    const a = arena(core(), 8);
    build(a, [0, -1, INT_MIN, INT_MAX, 1, -10, 1000000007]);
    expect(a.keys()).toEqual([INT_MIN, -10, -1, 0, 1, 1000000007, INT_MAX]);
    expect(a.dump()).toBe("-1:B -2147483648:B . -10:R . . 1:R 0:B . . 2147483647:B 1000000007:R . . .");
    expect(a.key(a.lookup(INT_MIN))).toBe(INT_MIN);
    expect(a.key(a.lookup(INT_MAX))).toBe(INT_MAX);
    expect(a.lookup(2)).toBe(0);
    checkTree(a);
  });

  it("nodes at unaligned addresses work the same", () => {
    const c = core();
    const a = arena(c, 8);
    build(a, [1, 2, 3, 4, 5, 6, 7]);
    const want = a.dump();
    // Hand-placed head and nodes at odd addresses, driven through the raw exports.
    const raw = c.x.core_scratch(16 + 7 * 21) >>> 0;
    const head = raw + 3;
    const lin = c.linear();
    lin.fill(0, raw, raw + 16 + 7 * 21);
    const dv = new DataView(lin.buffer);
    for (let k = 1; k <= 7; k++) {
      const n = head + 8 + (k - 1) * 21;
      dv.setInt32(n + RB_NODE.key, k, true);
      expect(c.x.rb_insert(head, n)).toBe(0);
    }
    expect(c.rbDump(head)).toBe(want);
    expect(c.x.rb_lookup(head, 5)).toBe(head + 8 + 4 * 21);
  });

  it("a dump that does not fit the I/O buffer is -ENOMEM", () => {
    const c = core();
    const n = 8000;
    const a = arena(c, n);
    const keys = Array.from({ length: n }, (_, i) => 1000000000 + i);
    build(a, keys);
    expect(c.x.rb_dump(a.head)).toBe(-ENOMEM);
    expect(() => a.dump()).toThrow(CoreError);
    for (let i = 0; i < n - 3000; i++) a.remove(a.node(i));
    const s = a.dump();
    expect(s.length).toBe(c.x.rb_dump(a.head));
    expect(s.split(" ").filter((t) => t !== ".").length).toBe(3000);
  });

  it("the face refuses foreign nodes and bad removes", () => {
    const a = arena(core(), 4);
    expect(() => a.insert(a.node(0) + 1)).toThrow(CoreError);
    expect(() => a.node(4)).toThrow(CoreError);
    expect(() => a.remove(a.node(1))).toThrow(/not in the tree/);
    build(a, [5]);
    expect(() => a.insert(a.node(0))).toThrow(/already in the tree/);
    expect(() => a.setKey(a.node(0), 6)).toThrow(CoreError);
  });
});

// ---- BSD's sys/tree.h, through the fixture ----

interface Seq { idx: number; seed: number; mode: number; ops: number; range: number; offset: number; inspct: number; every: number; lines: string[] }

function parseFixture(text: string): Seq[] {
  const seqs: Seq[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("seq ")) {
      const [idx, seed, mode, ops, range, offset, inspct, every] = line.slice(4).split(" ").map(Number);
      seqs.push({ idx, seed, mode, ops, range, offset, inspct, every, lines: [] });
    } else {
      seqs[seqs.length - 1].lines.push(line);
    }
  }
  return seqs;
}

/** Replays one rbshape.c sequence; the dump lines it prints. */
function replay(core: Core, s: Seq): string[] {
  const a = arena(core, Math.max(s.ops, 1));
  const rnd = lcg(s.seed);
  const out: string[] = [];
  let used = 0, ins = 0, dup = 0, rem = 0, miss = 0;
  for (let j = 0; j < s.ops; j++) {
    let insert: boolean, key: number;
    if (s.mode === 0) {
      insert = rnd() % 100 < s.inspct;
      key = s.offset + (rnd() % s.range);
    } else if (j < Math.trunc(s.ops / 2)) {
      insert = true;
      key = s.mode === 1 ? s.offset + j : s.offset - j;
    } else {
      const d = rnd() % s.range;
      insert = false;
      key = s.mode === 1 ? s.offset + d : s.offset - d;
    }
    if (insert) {
      const n = a.node(used);
      a.setKey(n, key);
      if (a.insert(n) === 0) { used++; ins++; } else dup++;
    } else {
      const n = a.lookup(key);
      if (n !== 0) { expect(a.remove(n)).toBe(n); rem++; } else miss++;
    }
    if ((j + 1) % s.every === 0 || j + 1 === s.ops) {
      out.push(`${j + 1} ${ins} ${dup} ${rem} ${miss} | ${a.dump()}`);
    }
  }
  checkTree(a);
  return out;
}

const fixtureText = readFileSync(join(FIXTURES, "expected.txt"), "utf8");
const fixture = parseFixture(fixtureText);

describe.each(backends())("same shapes as BSD sys/tree.h (%s)", (_name, core) => {
  it("the fixture holds the 30 sequences of rbshape.c", () => {
    expect(fixture.map((s) => s.idx)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(fixture.every((s) => s.lines.length > 0)).toBe(true);
  });
  it.each(fixture.map((s) => [s.idx, s] as const))("sequence %i", (_i, s) => {
    expect(replay(core(), s)).toEqual(s.lines);
  });
});

function haveC(): string | null {
  try {
    execFileSync("cc", ["--version"], { stdio: "ignore" });
  } catch {
    return "no C compiler (cc)";
  }
  try {
    execFileSync("cc", ["-fsyntax-only", "-x", "c", "-"], { input: "#include <bsd/sys/tree.h>\n", stdio: ["pipe", "ignore", "ignore"] });
  } catch {
    return "no <bsd/sys/tree.h> (apt-get install libbsd-dev)";
  }
  return null;
}
const noC = haveC();

describe("the fixture is what BSD's sys/tree.h builds", () => {
  if (noC !== null) {
    it.skip(`recompiling and rerunning rbshape.c: skipped, ${noC}`, () => {});
    return;
  }
  it("recompiling and rerunning rbshape.c reproduces expected.txt", () => {
    const dir = mkdtempSync(join(tmpdir(), "forklab-rbshape-"));
    try {
      const exe = join(dir, "rbshape");
      execFileSync("cc", ["-O2", "-Wall", "-Werror", "-o", exe, join(FIXTURES, "rbshape.c")], { stdio: "pipe" });
      const out = execFileSync(exe, { encoding: "utf8", maxBuffer: 64 << 20 });
      expect(out).toBe(fixtureText);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- invariants on long random sequences ----

interface Op { insert: boolean; key: number }
function randomOps(seed: number, count: number, range: number, insPct: number): Op[] {
  const rnd = lcg(seed);
  const ops: Op[] = [];
  for (let i = 0; i < count; i++) ops.push({ insert: rnd() % 100 < insPct, key: (rnd() % range) - (range >> 1) });
  return ops;
}

/** Runs ops with every check after every operation; the dumps at each 100th op. */
function runChecked(a: RbArena, ops: Op[], fullEvery: number): string[] {
  const model = new Map<number, number>(); // key -> node
  const free: number[] = [];
  for (let i = a.capacity - 1; i >= 0; i--) free.push(a.node(i));
  const dumps: string[] = [];
  ops.forEach((op, i) => {
    if (op.insert) {
      const n = free.pop()!;
      a.setKey(n, op.key);
      const before = model.has(op.key) ? a.dump() : "";
      const r = a.insert(n);
      if (model.has(op.key)) {
        expect(r).toBe(model.get(op.key));
        expect(a.find(n)).toBe(r);
        expect(a.dump()).toBe(before);
        free.push(n);
      } else {
        expect(r).toBe(0);
        model.set(op.key, n);
      }
    } else {
      const want = model.get(op.key) ?? 0;
      const n = a.lookup(op.key);
      expect(n).toBe(want);
      if (n !== 0) {
        expect(a.remove(n)).toBe(n);
        model.delete(op.key);
        free.push(n);
      }
    }
    const sorted = [...model.keys()].sort((x, y) => x - y);
    const keys = checkTree(a);
    if (keys.length !== sorted.length || keys.some((k, j) => k !== sorted[j])) expect(keys).toEqual(sorted);
    if (i % fullEvery === 0) checkQueries(a, sorted, [op.key, op.key + 1, op.key - 1, ...sorted.slice(0, 3)]);
    if (i % 100 === 99) dumps.push(a.dump());
  });
  // Remove everything, in a scrambled order, checking as it empties.
  const rest = [...model.values()];
  const rnd = lcg(ops.length);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = rnd() % (i + 1);
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  rest.forEach((n, i) => {
    a.remove(n);
    if (i % 7 === 0) checkTree(a);
  });
  expect(a.root()).toBe(0);
  expect(a.dump()).toBe(".");
  expect(a.min()).toBe(0);
  expect(a.max()).toBe(0);
  dumps.push(a.dump());
  return dumps;
}

const LONG: [number, number, number, number][] = [
  // seed, ops, key range, insert %
  [101, 3000, 400, 60],
  [202, 3000, 100, 50],
  [303, 2000, 1 << 30, 80],
  [404, 2000, 64, 70],
  [505, 6000, 1000, 55],
];

describe("invariants after every operation", () => {
  const results = new Map<string, string[]>();
  describe.each(backends())("%s", (name, core) => {
    it.each(LONG)("seed %i: %i ops over %i keys, insert percentage %i", (seed, count, range, pct) => {
      const a = arena(core(), count + 1);
      const dumps = runChecked(a, randomOps(seed, count, range, pct), 10);
      results.set(`${name}:${seed}`, dumps);
    });
  });
  it("the portable build gives the same dumps as the Wasm build", () => {
    for (const [seed] of LONG) {
      const w = results.get(`wasm:${seed}`), p = results.get(`portable:${seed}`);
      expect(w).toBeDefined();
      expect(p).toEqual(w);
    }
  });
  it("the checker itself catches a broken tree", () => {
    const a = arena(wasm, 8);
    build(a, [1, 2, 3, 4, 5, 6, 7]);
    const m = new Int32Array(wasm.linear().buffer);
    const n5 = a.lookup(5);
    m[(n5 + RB_NODE.color) >>> 2] = RB_BLACK; // 6 now has black height 2 on the left, 1 on the right
    expect(() => checkTree(a)).toThrow(/black heights/);
    m[(n5 + RB_NODE.color) >>> 2] = RB_RED;
    const n4 = a.lookup(4);
    m[(a.lookup(6) + RB_NODE.color) >>> 2] = RB_RED; // red 6 under red 4
    expect(() => checkTree(a)).toThrow(/red 4 has a red child/);
    m[(a.lookup(6) + RB_NODE.color) >>> 2] = RB_BLACK;
    m[(a.lookup(3) + RB_NODE.parent) >>> 2] = a.lookup(1);
    expect(() => checkTree(a)).toThrow(/parent link of 3/);
    m[(a.lookup(3) + RB_NODE.parent) >>> 2] = n4;
    expect(checkTree(a)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
  it("ascending, descending and zig-zag runs of 1000 keys", () => {
    for (const c of [wasm, portable]) {
      for (const keys of [
        Array.from({ length: 1000 }, (_, i) => i),
        Array.from({ length: 1000 }, (_, i) => 1000 - i),
        Array.from({ length: 1000 }, (_, i) => (i & 1 ? i : -i) | 0),
      ]) {
        const a = arena(c, 1000);
        build(a, keys);
        const sorted = [...keys].sort((x, y) => x - y);
        expect(checkTree(a)).toEqual(sorted);
        checkQueries(a, sorted, [-1, 0, 1, 999, 1000, 1001]);
      }
    }
  });
});

// ---- per-process LWP trees ----

describe.each(backends())("LWP trees (%s)", (_name, core) => {
  const threads: number[] = [];
  const take = (c: Core, n: number): number[] => {
    while (threads.length < n) {
      const td = c.threadAlloc();
      if (td <= 0) throw new Error(`threadAlloc failed: ${td}`);
      threads.push(td);
    }
    return threads.slice(0, n);
  };

  it("thread_rbnode is slot + 16 of the 64-byte thread slot, 0 out of range", () => {
    const c = core();
    const a = c.x.thread_rbnode(1);
    expect(a).toBeGreaterThan(0);
    expect(c.x.thread_rbnode(2)).toBe(a + 64);
    expect(c.x.thread_rbnode(64)).toBe(a + 63 * 64);
    expect(c.x.thread_rbnode(0)).toBe(0);
    expect(c.x.thread_rbnode(65)).toBe(0);
    expect(c.x.thread_rbnode(-1)).toBe(0);
  });

  it("insert, duplicate tid, lookup, order, count, dump, remove, free", () => {
    const c = core();
    const tds = take(c, 8);
    const h = c.lwpTreeAlloc();
    expect(c.x.rb_root(h)).toBe(0);
    expect(c.lwpCount(h)).toBe(0);
    expect(c.lwpTreeDump(h)).toBe(".");
    const tids = [5, 3, 8, 1, 4, 7, 9];
    tids.forEach((tid, i) => expect(c.lwpInsert(h, tds[i], tid)).toBe(0));
    // RB_INSERT on a taken tid returns the thread holding it; nothing is inserted.
    expect(c.lwpInsert(h, tds[7], 4)).toBe(tds[4]);
    expect(c.lwpCount(h)).toBe(7);
    expect(c.lwpLookup(h, 8)).toBe(tds[2]);
    expect(c.lwpLookup(h, 6)).toBe(0);
    expect(c.lwpList(h)).toEqual([1, 3, 4, 5, 7, 8, 9].map((t) => tds[tids.indexOf(t)]));
    expect(c.lwpTreeDump(h)).toBe("5:B 3:B 1:R . . 4:R . . 8:B 7:R . . 9:R . .");
    // The key is lwp_tid at slot + 32.
    const dv = new DataView(c.linear().buffer);
    expect(dv.getInt32(c.x.thread_rbnode(tds[2]) + 16, true)).toBe(8);
    expect(c.x.lwptree_free(h)).toBe(-EINVAL); // not empty
    expect(c.x.lwp_remove(h, tds[7])).toBe(-EINVAL); // not in the tree
    for (const i of [0, 2, 1, 3, 4, 5, 6]) expect(c.x.lwp_remove(h, tds[i])).toBe(0);
    expect(c.lwpCount(h)).toBe(0);
    expect(c.lwpTreeDump(h)).toBe(".");
    expect(c.x.lwp_first(h)).toBe(0);
    expect(c.x.lwptree_free(h)).toBe(0);
    expect(c.x.lwptree_free(h)).toBe(-EINVAL); // twice
  });

  it("lwp_fork's tid loop: ++tid until RB_INSERT returns NULL, wrapping to 1", () => {
    const c = core();
    const tds = take(c, 6);
    const h = c.lwpTreeAlloc();
    // Taken tids 1, 2, 3 and INT_MAX.
    expect(c.lwpInsert(h, tds[0], 1)).toBe(0);
    expect(c.lwpInsert(h, tds[1], 2)).toBe(0);
    expect(c.lwpInsert(h, tds[2], 3)).toBe(0);
    expect(c.lwpInsert(h, tds[3], INT_MAX)).toBe(0);
    let lasttid = INT_MAX - 1;
    let tid = lasttid, tries = 0;
    do {
      tid = (tid + 1) | 0;
      if (tid < 0) tid = 1;
      tries++;
    } while (c.lwpInsert(h, tds[4], tid) !== 0);
    expect(tid).toBe(4);
    expect(tries).toBe(5); // INT_MAX, 1, 2, 3 taken
    expect(c.lwpLookup(h, 4)).toBe(tds[4]);
    expect(c.lwpList(h)).toEqual([tds[0], tds[1], tds[2], tds[4], tds[3]]);
    for (const td of tds.slice(0, 5)) c.lwpRemove(h, td);
    c.lwpTreeFree(h);
  });

  it("a thread is in one tree at a time; bad heads are refused", () => {
    const c = core();
    const tds = take(c, 3);
    const h1 = c.lwpTreeAlloc(), h2 = c.lwpTreeAlloc();
    expect(c.lwpInsert(h1, tds[0], 10)).toBe(0);
    expect(c.lwpInsert(h1, tds[1], 20)).toBe(0);
    expect(c.x.lwp_insert(h2, tds[1], 30)).toBe(-EINVAL); // linked in h1
    expect(c.x.lwp_insert(h1, tds[1], 20)).toBe(tds[1]);  // already there: itself
    expect(c.x.lwp_remove(h2, tds[0])).toBe(-EINVAL);
    expect(c.x.lwp_insert(h1 + 4, tds[2], 1)).toBe(-EINVAL);
    expect(c.x.lwp_insert(0, tds[2], 1)).toBe(-EINVAL);
    expect(c.x.lwp_insert(h1, 0, 1)).toBe(-EINVAL);
    expect(c.x.lwp_lookup(h1 + 16 * 40, 10)).toBe(0);
    expect(c.x.lwptree_dump(12345)).toBe(-EINVAL);
    // Removed, it may join another tree.
    c.lwpRemove(h1, tds[1]);
    expect(c.lwpInsert(h2, tds[1], 30)).toBe(0);
    expect(c.lwpList(h2)).toEqual([tds[1]]);
    expect(c.x.lwp_next(tds[1])).toBe(0);
    c.lwpRemove(h1, tds[0]);
    c.lwpRemove(h2, tds[1]);
    c.lwpTreeFree(h1);
    c.lwpTreeFree(h2);
  });

  it("heads run out at maxThreads and are reused after free", () => {
    const c = core();
    const got: number[] = [];
    for (;;) {
      const h = c.x.lwptree_alloc();
      if (h === 0) break;
      got.push(h);
      expect(got.length).toBeLessThanOrEqual(64);
    }
    expect(got.length).toBe(64);
    expect(new Set(got).size).toBe(64);
    for (let i = 1; i < got.length; i++) expect(Math.abs(got[i] - got[i - 1]) % 16).toBe(0);
    expect(c.x.lwptree_free(got[10])).toBe(0);
    expect(c.x.lwptree_alloc()).toBe(got[10]);
    expect(c.x.lwptree_alloc()).toBe(0);
    for (const h of got) expect(c.x.lwptree_free(h)).toBe(0);
  });

  it("a 60-thread tree stays valid through removes", () => {
    const c = core();
    const tds = take(c, 60);
    const h = c.lwpTreeAlloc();
    const rnd = lcg(7);
    const tidOf = new Map<number, number>();
    for (const td of tds) {
      let tid = rnd() % 1000;
      while (c.lwpInsert(h, td, tid) !== 0) tid++;
      tidOf.set(td, tid);
    }
    const sortedTds = () => [...tidOf.entries()].sort((x, y) => x[1] - y[1]).map((e) => e[0]);
    expect(c.lwpList(h)).toEqual(sortedTds());
    for (const td of tds.filter((_, i) => i % 3 === 0)) {
      c.lwpRemove(h, td);
      tidOf.delete(td);
      expect(c.lwpList(h)).toEqual(sortedTds());
    }
    expect(c.lwpCount(h)).toBe(40);
    const s = c.lwpTreeDump(h);
    expect(s.split(" ").filter((t) => t !== ".").length).toBe(40);
    for (const td of tidOf.keys()) c.lwpRemove(h, td);
    c.lwpTreeFree(h);
  });
});
