// Measures the interpreter's speed on tight loops: instructions retired per second,
// Wasm release build and portable JS build. Run from the repo root after a core build:
//   node bench/x86-ips.bench.mjs (or npm run bench -- x86)
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const root = process.cwd();

function wasmCore() {
  const mod = new WebAssembly.Module(readFileSync(`${root}/build/core.wasm`));
  const inst = new WebAssembly.Instance(mod, { env: { abort() { throw new Error("abort"); } } });
  return { x: inst.exports, buf: () => inst.exports.memory.buffer };
}
async function portableCore() {
  const mem = await import(pathToFileURL(`${root}/build/portable/mem.js`).href);
  const x = await import(pathToFileURL(`${root}/build/portable/index.js`).href);
  return { x, buf: () => mem.memBuffer() };
}

const le32 = (v) => [v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, (v >>> 24) & 0xFF];
const CODE = 0x08048000, DATA = 0x08050000, STACK = 0x7FFFF000;
const PROGRAMS = {
  // L: add eax, ecx; dec ecx; jnz L               (3 instructions per iteration)
  "add/dec/jnz": [0x01, 0xC8, 0x49, 0x75, 0xFB],
  // L: add eax, ecx; inc ecx; cmp ecx, imm32; jne L (4)
  "add/inc/cmp/jne": [0x01, 0xC8, 0x41, 0x81, 0xF9, ...le32(0x7FFFFFFF), 0x75, 0xF5],
  // L: mov edx, [esi+ecx*4]; add eax, edx; mov [edi+ecx*4], eax; inc ecx; and ecx, 1023; jmp L (6, memory)
  "load/add/store/and/jmp": [0x8B, 0x14, 0x8E, 0x01, 0xD0, 0x89, 0x04, 0x8F, 0x41, 0x81, 0xE1, ...le32(1023), 0xEB, 0xEF],
  // L: push ecx; call f; pop ecx; dec ecx; jnz L; f: ret     (6: stack traffic)
  "push/call/ret/pop": [0x51, 0xE8, ...le32(4), 0x59, 0x49, 0x75, 0xF6, 0xC3],
};

function setup(c) {
  const { x } = c;
  if (x.core_init(16 << 20, 16) < 0) throw new Error("init");
  const pm = x.pmap_create();
  for (const va of [CODE, DATA, DATA + 0x1000, DATA + 0x2000, DATA + 0x3000, STACK - 0x1000]) x.pmap_enter(pm, va | 0, 7);
  const td = x.thread_alloc();
  return { pm, td };
}

function measure(c, env, name, code, budget) {
  const { x } = c;
  const io = x.core_iobuf() >>> 0;
  new Uint8Array(c.buf()).set(code, io);
  x.copyout(env.pm, io, CODE, code.length);
  x.exec_setregs(env.td, CODE, STACK, 0);
  x.tf_set(env.td, 40, name.startsWith("load") ? 0 : 0x7FFFFFFF); // ecx: never reaches 0 in the dec loops
  x.tf_set(env.td, 20, DATA);        // esi
  x.tf_set(env.td, 16, DATA + 0x1000); // edi
  const t0 = process.hrtime.bigint();
  const r = x.cpu_run(env.td, env.pm, budget);
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  const n = x.cpu_run_count() >>> 0;
  return { r, n, ips: n / dt };
}

for (const [label, make] of [["wasm", async () => wasmCore()], ["portable", portableCore]]) {
  const c = await make();
  const env = setup(c);
  for (const [name, code] of Object.entries(PROGRAMS)) {
    measure(c, env, name, code, 2_000_000); // warm-up (tier-up)
    const best = [];
    for (let i = 0; i < 3; i++) best.push(measure(c, env, name, code, label === "wasm" ? 100_000_000 : 30_000_000));
    const m = best.reduce((a, b) => (a.ips > b.ips ? a : b));
    console.log(`${label.padEnd(8)} ${name.padEnd(24)} stop=${m.r} retired=${m.n} ${(m.ips / 1e6).toFixed(1)} M instr/s`);
  }
}
