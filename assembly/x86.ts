// User mode: an interpreter for i386 user code (32-bit protected mode, flat segments,
// CPL 3; the instruction set of an i686 of 2008 without MMX/SSE) that runs an LWP from its
// trapframe through its address space's page tables, and stops on `int $0x80`, a page
// fault, an instruction budget, a protection fault (hlt, cli, in/out, a bad selector), an
// undefined instruction, a divide error, or int3. docs/x86.md lists the instructions.
//
// The files: this one is the run loop (fetch, decode, and the hot instructions, inline);
// x86_decode.ts the opcode attributes; x86_mem.ts the software TLB and user memory;
// x86_flags.ts lazy and eager flags; x86_int.ts every other integer instruction (the slow
// path); x86_string.ts the string instructions; x87.ts the FPU; x86_defs.ts what they share.
//
// Structure of one step: fetch (a one-page software TLB for code, in locals), decode
// (prefixes, opcode, ModRM, SIB, displacement, immediate: the attributes come from a
// table core init fills at K + C_OPATTR), one check that every byte decoded was really
// fetchable, then execute: the hot instructions in one switch here, anything else in
// execSlow with the flags in memory. Every memory operand is resolved to a linear address
// (a register's slot in the register file, a byte of simulated physical memory, or a
// bounce buffer for an access that straddles two pages) before anything is changed, so a
// faulting instruction changes nothing.
//
// Flags are lazy for add/adc/sub/sbb/cmp/neg/inc/dec and the logic ops: the last such
// operation's kind, operands and result stay in locals and are turned into EFLAGS bits
// only when something reads them (jcc, setcc, adc/sbb, a flag instruction, the slow path,
// the stop).
import { ld8, ld16, ld32, st8, st16, st32, copy, fill, ltu, divu, mul32 } from "./mem";
import { K, PHYS, C_RUN_BASE, C_FAULT_VA, C_FAULT_ERR, C_OPATTR, stat, STAT_COW_OPTIM } from "./state";
import {
  EINVAL, PGEX_P, PGEX_W, PGEX_U, PSL_C, PSL_PF, PSL_AF, PSL_Z, PSL_N, PSL_D, PSL_V,
  TF_EAX, TF_ECX, TF_EDX, TF_EBX, TF_ESP, TF_EBP, TF_ESI, TF_EDI, TF_EIP, TF_EFLAGS,
  TF_TRAPNO, TF_ERR,
} from "./i386";
import { pmap_walk, pmap_cr3, pmap_valid, pmap_fault } from "./pmap";
import { tfLinear, fpuLinear, tscLinear } from "./cpu";
import {
  STOP_SYSCALL, STOP_FAULT, STOP_BUDGET, STOP_HALT, STOP_ILLEGAL, STOP_DIVIDE, STOP_TRAP,
  T_PRIVINFLT, T_BPTFLT, T_PROTFLT, T_PAGEFLT, T_DIVIDE, T_SYSCALL80,
  RUN_COUNT, RUN_STOP, RUN_PM, RUN_HI, RUN_COW, RUN_KEPT, RUN_PD, RUN_TD, RUN_REGS, RUN_FB,
  RUN_FL, RUN_NIP, RUN_EXTRA, RUN_FPU,
} from "./x86_defs";
import { A_MODRM, A_I8, A_I32, A_I16, A_GRP3, A_BAD, A_ESC } from "./x86_decode";
import { L_NONE, L_ADD, L_ADC, L_SUB, L_SBB, L_LOGIC, L_INC, L_DEC, L_8, ARITH, szp, lazyCF, flagsOf, cond } from "./x86_flags";
import { xl, wr32, r8p, emptyTlb } from "./x86_mem";
import { execSlow, execPrefixed, shiftN, segLoad, umul64, smul64, div32 } from "./x86_int";

// ---------------------------------------------------------------- the interpreter

/** Instructions retired by the last cpu_run. */
export function cpu_run_count(): i32 { return ld32(K + C_RUN_BASE + RUN_COUNT); }

/** Stop reason of the last cpu_run (0 before any). */
export function cpu_run_stop(): i32 { return ld32(K + C_RUN_BASE + RUN_STOP); }

/**
 * For cpu_run_cow: the fault just recorded, resolved if it is a write to a present
 * copy-on-write page (pmap_fault; false, with nothing changed, for any other fault). The
 * trapframe gets the trap number and error code the stop would have saved, and the data
 * TLB is emptied; the caller empties the fetch page and restarts the instruction.
 */
function cowResolved(tf: i32, pm: i32): bool {
  const err = ld32(K + C_FAULT_ERR);
  if ((err & (PGEX_P | PGEX_W)) != (PGEX_P | PGEX_W)) return false;
  const kept = stat(STAT_COW_OPTIM);
  if (pmap_fault(pm, ld32(K + C_FAULT_VA), err) != 0) return false;
  const run = K + C_RUN_BASE;
  st32(run + RUN_COW, ld32(run + RUN_COW) + 1);
  if (stat(STAT_COW_OPTIM) != kept) st32(run + RUN_KEPT, ld32(run + RUN_KEPT) + 1);
  st32(tf + TF_TRAPNO, T_PAGEFLT);
  st32(tf + TF_ERR, err);
  emptyTlb(run); // as a new run starts: the page's frame or PTE changed
  return true;
}

/** The run area's linear address (docs/x86.md): a host may read the counts there itself. */
export function cpu_run_area(): i32 { return K + C_RUN_BASE; }

/** Copy-on-write faults cpu_run_cow resolved in its last run. */
export function cpu_run_cow_faults(): i32 { return ld32(K + C_RUN_BASE + RUN_COW); }

/** Of those, the ones that kept their frame (the last reference: STAT_COW_OPTIM). */
export function cpu_run_cow_kept(): i32 { return ld32(K + C_RUN_BASE + RUN_KEPT); }

/**
 * Runs thread td's user context (its trapframe) in address space pm for at most `budget`
 * instructions. Returns the stop reason (STOP_*), or -EINVAL for a dead handle.
 */
export function cpu_run(td: i32, pm: i32, budget: i32): i32 { return runUser(td, pm, budget, false); }

/**
 * cpu_run that resolves a write fault on a copy-on-write page itself, as the kernel's
 * trap handler would (pmap_fault), and restarts the instruction in the same run, with the
 * software TLB emptied as a new run would have it. The trapframe's tf_trapno and tf_err
 * say T_PAGEFLT and the error code, as after the stop it saves. A fault pmap_fault does
 * not resolve (not copy-on-write, or no memory) stops the run as in cpu_run. The faults
 * resolved are counted in cpu_run_cow_faults() and cpu_run_cow_kept(); the host owes them
 * the accounting its own fault path does. This spares a return to the host per fault.
 */
export function cpu_run_cow(td: i32, pm: i32, budget: i32): i32 { return runUser(td, pm, budget, true); }

function runUser(td: i32, pm: i32, budget: i32, cow: bool): i32 {
  const run = K + C_RUN_BASE;
  st32(run + RUN_COUNT, 0);
  st32(run + RUN_STOP, 0);
  st32(run + RUN_COW, 0);
  st32(run + RUN_KEPT, 0);
  const tf = tfLinear(td); // the registers come from, and go back to, the trapframe here
  if (tf == 0 || pmap_valid(pm) != 1) return -EINVAL;
  st32(run + RUN_PM, pm);
  st32(run + RUN_PD, pmap_cr3(pm));
  st32(run + RUN_TD, td);
  st32(run + RUN_FPU, fpuLinear(td));
  segLoad(tf, td);
  emptyTlb(run);
  const R = run + RUN_REGS;
  const FB = run + RUN_FB;
  st32(R, ld32(tf + TF_EAX));
  st32(R + 4, ld32(tf + TF_ECX));
  st32(R + 8, ld32(tf + TF_EDX));
  st32(R + 12, ld32(tf + TF_EBX));
  st32(R + 16, ld32(tf + TF_ESP));
  st32(R + 20, ld32(tf + TF_EBP));
  st32(R + 24, ld32(tf + TF_ESI));
  st32(R + 28, ld32(tf + TF_EDI));
  let eip = ld32(tf + TF_EIP);
  let fl = ld32(tf + TF_EFLAGS) | 2;
  // Lazy flags: kind, operands, result.
  let lop = L_NONE;
  let la = 0;
  let lb = 0;
  let lr = 0;
  let n = 0;
  let stop = 0;
  let ftag = 0;   // fetch TLB: page va | 1
  let fbase = 0;  // linear address of the page minus its va
  let ferr = 0;

  while (true) {
    if (n >= budget) { stop = STOP_BUDGET; break; }
    // ---- fetch
    let ip = 0;
    let plim = 0;
    if ((((eip & ~0xFFF) | 1) == ftag) && (eip & 0xFFF) <= 0xFF0) {
      ip = (fbase + eip) | 0;
      plim = ip + 16;
    } else {
      const pa = pmap_walk(ld32(run + RUN_PD), eip, PGEX_U);
      if (ltu(-9, pa)) { stop = STOP_FAULT; break; }
      const pg = eip & ~0xFFF;
      ftag = pg | 1;
      fbase = (PHYS + (pa & ~0xFFF) - pg) | 0;
      const off = eip & 0xFFF;
      if (off <= 0xFF0) {
        ip = (fbase + eip) | 0;
        plim = ip + 16;
      } else {
        // The instruction may straddle into the next page: copy what there is.
        const avail = 4096 - off;
        fill(FB, 0, 32);
        copy(FB, (fbase + eip) | 0, avail);
        const pa2 = pmap_walk(ld32(run + RUN_PD), (pg + 4096) | 0, PGEX_U);
        if (ltu(-9, pa2)) {
          ferr = pa2 & 7;
          plim = FB + avail;
        } else {
          copy(FB + avail, (PHYS + (pa2 & ~0xFFF)) | 0, 16 - avail);
          plim = FB + 16;
        }
        ip = FB;
      }
    }
    // ---- decode
    const ip0 = ip;
    const tab = K + C_OPATTR; // opAttr(op), from the table core init made
    let op = ld8(ip);
    ip++;
    let at = ld8(tab + op);
    if ((at & A_ESC) != 0) { // 0F, or a prefix
      if (op == 0x0F) {
        op = 0x100 | ld8(ip);
        ip++;
        at = ld8(tab + op);
      } else {
        // A prefixed instruction: decoded and run out of line (x86_decode.ts, execSlow),
        // with the flags in memory, so prefixes cost the hot path nothing.
        st32(run + RUN_FL, flagsOf(fl, lop, la, lb, lr));
        lop = L_NONE;
        st32(run + RUN_COUNT, n);
        stop = execPrefixed(ip0, plim, eip, ferr, budget - n);
        fl = ld32(run + RUN_FL);
        n += ld32(run + RUN_EXTRA);
        if (stop == 0 || stop == STOP_TRAP || stop == STOP_SYSCALL) eip = ld32(run + RUN_NIP);
        if (stop != 0) {
          if (stop == STOP_SYSCALL || stop == STOP_TRAP) n++;
          if (stop == STOP_FAULT && cow && cowResolved(tf, pm)) { stop = 0; ftag = 0; continue; }
          break;
        }
        n++;
        continue;
      }
    }
    let mod = 0;
    let reg = 0;
    let rm = 0;
    let ea = 0;
    let besp = 0;
    let imm = 0;
    if ((at & A_BAD) == 0) {
      if ((at & A_MODRM) != 0) {
        const m = ld8(ip);
        ip++;
        mod = m >>> 6;
        reg = (m >>> 3) & 7;
        rm = m & 7;
        if (mod != 3) {
          if (rm == 4) {
            const s = ld8(ip);
            ip++;
            const base = s & 7;
            const idx = (s >>> 3) & 7;
            if (idx != 4) ea = ld32(R + (idx << 2)) << (s >>> 6);
            if (base == 5 && mod == 0) {
              ea = (ea + ld32(ip)) | 0;
              ip += 4;
            } else {
              ea = (ea + ld32(R + (base << 2))) | 0;
              if (base == 4) besp = 1;
            }
          } else if (rm == 5 && mod == 0) {
            ea = ld32(ip);
            ip += 4;
          } else {
            ea = ld32(R + (rm << 2));
          }
          if (mod == 1) {
            ea = (ea + ((ld8(ip) << 24) >> 24)) | 0;
            ip++;
          } else if (mod == 2) {
            ea = (ea + ld32(ip)) | 0;
            ip += 4;
          }
        }
      }
      if ((at & A_I8) != 0) {
        imm = ld8(ip);
        ip++;
      } else if ((at & A_I32) != 0) {
        imm = ld32(ip);
        ip += 4;
      } else if ((at & A_I16) != 0) {
        imm = ld16(ip);
        ip += 2;
        if (op == 0xC8) { imm = imm | (ld8(ip) << 16); ip++; } // enter's second immediate
      } else if ((at & A_GRP3) != 0 && (reg & 6) == 0) { // test /0, and its alias /1
        if (op == 0xF6) { imm = ld8(ip); ip++; } else { imm = ld32(ip); ip += 4; }
      }
    }
    if (ltu(plim, ip)) {
      // A byte of the instruction lies in the next page, which faulted.
      st32(K + C_FAULT_VA, ((eip | 0xFFF) + 1) | 0);
      st32(K + C_FAULT_ERR, ferr);
      stop = STOP_FAULT;
      break;
    }
    if ((at & A_BAD) != 0) { stop = STOP_ILLEGAL; break; }
    const nip = (eip + (ip - ip0)) | 0;

    // ---- execute
    // The ALU family: 00-3D (add or adc sbb and sub xor cmp) and 80-83.
    if (op < 0x40 || (op >= 0x80 && op < 0x84)) {
      let kind = 0;
      let s8 = 0;
      let p = 0;
      let b = 0;
      if (op < 0x40) {
        kind = op >>> 3;
        const form = op & 7;
        s8 = (form & 1) == 0 ? 1 : 0;
        const w = kind != 7 ? 1 : 0;
        if (form == 0) {
          p = mod == 3 ? r8p(R, rm) : xl(ea, 1, w);
          b = ld8(r8p(R, reg));
        } else if (form == 1) {
          p = mod == 3 ? R + (rm << 2) : xl(ea, 4, w);
          b = ld32(R + (reg << 2));
        } else if (form == 2) {
          const q = mod == 3 ? r8p(R, rm) : xl(ea, 1, 0);
          if (q == 0) { stop = STOP_FAULT; break; }
          b = ld8(q);
          p = r8p(R, reg);
        } else if (form == 3) {
          const q = mod == 3 ? R + (rm << 2) : xl(ea, 4, 0);
          if (q == 0) { stop = STOP_FAULT; break; }
          b = ld32(q);
          p = R + (reg << 2);
        } else {
          p = R;
          b = imm;
        }
      } else {
        kind = reg;
        s8 = (op & 1) == 0 ? 1 : 0;
        const w = kind != 7 ? 1 : 0;
        if (s8 != 0) p = mod == 3 ? r8p(R, rm) : xl(ea, 1, w);
        else p = mod == 3 ? R + (rm << 2) : xl(ea, 4, w);
        b = op == 0x83 ? (imm << 24) >> 24 : imm;
      }
      if (p == 0) {
        stop = STOP_FAULT;
        // (This family leaves the loop here, past the stop handling after the switch.)
        if (cow && cowResolved(tf, pm)) { stop = 0; ftag = 0; continue; }
        break;
      }
      const a = s8 != 0 ? ld8(p) : ld32(p);
      let r = 0;
      let k = 0;
      switch (kind) {
        case 0: r = (a + b) | 0; k = L_ADD; break;
        case 1: r = a | b; k = L_LOGIC; break;
        case 2: {
          const c = lazyCF(fl, lop, la, lb, lr);
          r = (a + b + c) | 0;
          k = c != 0 ? L_ADC : L_ADD;
          break;
        }
        case 3: {
          const c = lazyCF(fl, lop, la, lb, lr);
          r = (a - b - c) | 0;
          k = c != 0 ? L_SBB : L_SUB;
          break;
        }
        case 4: r = a & b; k = L_LOGIC; break;
        case 6: r = a ^ b; k = L_LOGIC; break;
        default: r = (a - b) | 0; k = L_SUB; break; // sub, cmp
      }
      if (s8 != 0) { r = r & 0xFF; k = k | L_8; }
      lop = k; la = a; lb = b; lr = r;
      if (kind != 7) {
        if (s8 != 0) st8(p, r); else wr32(p, r);
      }
      eip = nip;
      n++;
      continue;
    }

    switch (op) {
      // ---- inc, dec, push, pop (register)
      case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
      case 0x48: case 0x49: case 0x4A: case 0x4B: case 0x4C: case 0x4D: case 0x4E: case 0x4F: {
        const p = R + ((op & 7) << 2);
        fl = (fl & ~PSL_C) | lazyCF(fl, lop, la, lb, lr);
        const a = ld32(p);
        la = a; lb = 1;
        if (op < 0x48) { lr = (a + 1) | 0; lop = L_INC; } else { lr = (a - 1) | 0; lop = L_DEC; }
        st32(p, lr);
        eip = nip;
        break;
      }
      case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57: {
        const v = ld32(R + ((op & 7) << 2));
        const sp = (ld32(R + 16) - 4) | 0;
        const p = xl(sp, 4, 1);
        if (p == 0) { stop = STOP_FAULT; break; }
        wr32(p, v);
        st32(R + 16, sp);
        eip = nip;
        break;
      }
      case 0x58: case 0x59: case 0x5A: case 0x5B: case 0x5C: case 0x5D: case 0x5E: case 0x5F: {
        const sp = ld32(R + 16);
        const p = xl(sp, 4, 0);
        if (p == 0) { stop = STOP_FAULT; break; }
        const v = ld32(p);
        st32(R + 16, (sp + 4) | 0);
        st32(R + ((op & 7) << 2), v);
        eip = nip;
        break;
      }
      // ---- push imm, imul imm
      case 0x68: case 0x6A: {
        const v = op == 0x68 ? imm : (imm << 24) >> 24;
        const sp = (ld32(R + 16) - 4) | 0;
        const p = xl(sp, 4, 1);
        if (p == 0) { stop = STOP_FAULT; break; }
        wr32(p, v);
        st32(R + 16, sp);
        eip = nip;
        break;
      }
      case 0x69: case 0x6B: case 0x1AF: {
        const q = mod == 3 ? R + (rm << 2) : xl(ea, 4, 0);
        if (q == 0) { stop = STOP_FAULT; break; }
        const a = ld32(q);
        const b = op == 0x69 ? imm : op == 0x6B ? (imm << 24) >> 24 : ld32(R + (reg << 2));
        const lo = smul64(a, b);
        const hi = ld32(run + RUN_HI);
        st32(R + (reg << 2), lo);
        fl = (flagsOf(fl, lop, la, lb, lr) & ~ARITH) | szp(lo, 0) | (hi != (lo >> 31) ? PSL_C | PSL_V : 0);
        lop = L_NONE;
        eip = nip;
        break;
      }
      // ---- jcc rel8, rel32
      case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
      case 0x78: case 0x79: case 0x7A: case 0x7B: case 0x7C: case 0x7D: case 0x7E: case 0x7F:
        eip = cond(op & 15, fl, lop, la, lb, lr) != 0 ? (nip + ((imm << 24) >> 24)) | 0 : nip;
        break;
      case 0x180: case 0x181: case 0x182: case 0x183: case 0x184: case 0x185: case 0x186: case 0x187:
      case 0x188: case 0x189: case 0x18A: case 0x18B: case 0x18C: case 0x18D: case 0x18E: case 0x18F:
        eip = cond(op & 15, fl, lop, la, lb, lr) != 0 ? (nip + imm) | 0 : nip;
        break;
      // ---- setcc r/m8
      case 0x190: case 0x191: case 0x192: case 0x193: case 0x194: case 0x195: case 0x196: case 0x197:
      case 0x198: case 0x199: case 0x19A: case 0x19B: case 0x19C: case 0x19D: case 0x19E: case 0x19F: {
        const p = mod == 3 ? r8p(R, rm) : xl(ea, 1, 1);
        if (p == 0) { stop = STOP_FAULT; break; }
        st8(p, cond(op & 15, fl, lop, la, lb, lr));
        eip = nip;
        break;
      }
      // ---- test, xchg, mov, lea, pop r/m
      case 0x84: case 0x85: case 0xA8: case 0xA9: {
        const s8 = (op & 1) == 0 ? 1 : 0;
        let a = 0;
        let b = 0;
        if (op >= 0xA8) {
          a = s8 != 0 ? ld8(R) : ld32(R);
          b = imm;
        } else {
          const q = mod == 3 ? (s8 != 0 ? r8p(R, rm) : R + (rm << 2)) : xl(ea, s8 != 0 ? 1 : 4, 0);
          if (q == 0) { stop = STOP_FAULT; break; }
          a = s8 != 0 ? ld8(q) : ld32(q);
          b = s8 != 0 ? ld8(r8p(R, reg)) : ld32(R + (reg << 2));
        }
        lop = s8 != 0 ? L_LOGIC | L_8 : L_LOGIC; la = a; lb = b; lr = a & b;
        eip = nip;
        break;
      }
      case 0x86: {
        const p = mod == 3 ? r8p(R, rm) : xl(ea, 1, 1);
        if (p == 0) { stop = STOP_FAULT; break; }
        const rp = r8p(R, reg);
        const t = ld8(p);
        st8(p, ld8(rp));
        st8(rp, t);
        eip = nip;
        break;
      }
      case 0x87: {
        const p = mod == 3 ? R + (rm << 2) : xl(ea, 4, 1);
        if (p == 0) { stop = STOP_FAULT; break; }
        const rp = R + (reg << 2);
        const t = ld32(p);
        wr32(p, ld32(rp));
        st32(rp, t);
        eip = nip;
        break;
      }
      case 0x88: {
        const p = mod == 3 ? r8p(R, rm) : xl(ea, 1, 1);
        if (p == 0) { stop = STOP_FAULT; break; }
        st8(p, ld8(r8p(R, reg)));
        eip = nip;
        break;
      }
      case 0x89: {
        const p = mod == 3 ? R + (rm << 2) : xl(ea, 4, 1);
        if (p == 0) { stop = STOP_FAULT; break; }
        wr32(p, ld32(R + (reg << 2)));
        eip = nip;
        break;
      }
      case 0x8A: {
        const q = mod == 3 ? r8p(R, rm) : xl(ea, 1, 0);
        if (q == 0) { stop = STOP_FAULT; break; }
        st8(r8p(R, reg), ld8(q));
        eip = nip;
        break;
      }
      case 0x8B: {
        const q = mod == 3 ? R + (rm << 2) : xl(ea, 4, 0);
        if (q == 0) { stop = STOP_FAULT; break; }
        st32(R + (reg << 2), ld32(q));
        eip = nip;
        break;
      }
      case 0x8D:
        if (mod == 3) { stop = STOP_ILLEGAL; break; }
        st32(R + (reg << 2), ea);
        eip = nip;
        break;
      case 0x8F: {
        if (reg != 0) { stop = STOP_ILLEGAL; break; }
        const sp = ld32(R + 16);
        const q = xl(sp, 4, 0);
        if (q == 0) { stop = STOP_FAULT; break; }
        const v = ld32(q);
        if (mod == 3) {
          st32(R + 16, (sp + 4) | 0);
          st32(R + (rm << 2), v);
        } else {
          // With esp as the base, the address is computed after esp is incremented.
          const p = xl(besp != 0 ? (ea + 4) | 0 : ea, 4, 1);
          if (p == 0) { stop = STOP_FAULT; break; }
          wr32(p, v);
          st32(R + 16, (sp + 4) | 0);
        }
        eip = nip;
        break;
      }
      // ---- nop, xchg eax, cwde, cdq, sahf, lahf
      case 0x90:
        eip = nip;
        break;
      case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97: {
        const rp = R + ((op & 7) << 2);
        const t = ld32(rp);
        st32(rp, ld32(R));
        st32(R, t);
        eip = nip;
        break;
      }
      case 0x98:
        st32(R, (ld32(R) << 16) >> 16);
        eip = nip;
        break;
      case 0x99:
        st32(R + 8, ld32(R) >> 31);
        eip = nip;
        break;
      case 0x9E: { // sahf: SF ZF AF PF CF from ah
        const ah = ld8(R + 1);
        fl = (flagsOf(fl, lop, la, lb, lr) & ~(PSL_C | PSL_PF | PSL_AF | PSL_Z | PSL_N))
          | (ah & (PSL_C | PSL_PF | PSL_AF | PSL_Z | PSL_N));
        lop = L_NONE;
        eip = nip;
        break;
      }
      case 0x9F: // lahf
        st8(R + 1, (flagsOf(fl, lop, la, lb, lr) & 0xD5) | 2);
        eip = nip;
        break;
      // ---- mov moffs, mov imm
      case 0xA0: case 0xA1: {
        const q = xl(imm, op == 0xA0 ? 1 : 4, 0);
        if (q == 0) { stop = STOP_FAULT; break; }
        if (op == 0xA0) st8(R, ld8(q)); else st32(R, ld32(q));
        eip = nip;
        break;
      }
      case 0xA2: case 0xA3: {
        const p = xl(imm, op == 0xA2 ? 1 : 4, 1);
        if (p == 0) { stop = STOP_FAULT; break; }
        if (op == 0xA2) st8(p, ld8(R)); else wr32(p, ld32(R));
        eip = nip;
        break;
      }
      case 0xB0: case 0xB1: case 0xB2: case 0xB3: case 0xB4: case 0xB5: case 0xB6: case 0xB7:
        st8(r8p(R, op & 7), imm);
        eip = nip;
        break;
      case 0xB8: case 0xB9: case 0xBA: case 0xBB: case 0xBC: case 0xBD: case 0xBE: case 0xBF:
        st32(R + ((op & 7) << 2), imm);
        eip = nip;
        break;
      case 0xC6: case 0xC7: {
        if (reg != 0) { stop = STOP_ILLEGAL; break; }
        if (op == 0xC6) {
          const p = mod == 3 ? r8p(R, rm) : xl(ea, 1, 1);
          if (p == 0) { stop = STOP_FAULT; break; }
          st8(p, imm);
        } else {
          const p = mod == 3 ? R + (rm << 2) : xl(ea, 4, 1);
          if (p == 0) { stop = STOP_FAULT; break; }
          wr32(p, imm);
        }
        eip = nip;
        break;
      }
      // ---- movzx, movsx
      case 0x1B6: case 0x1BE: {
        const q = mod == 3 ? r8p(R, rm) : xl(ea, 1, 0);
        if (q == 0) { stop = STOP_FAULT; break; }
        const v = ld8(q);
        st32(R + (reg << 2), op == 0x1B6 ? v : (v << 24) >> 24);
        eip = nip;
        break;
      }
      case 0x1B7: case 0x1BF: {
        const q = mod == 3 ? R + (rm << 2) : xl(ea, 2, 0);
        if (q == 0) { stop = STOP_FAULT; break; }
        const v = ld16(q);
        st32(R + (reg << 2), op == 0x1B7 ? v : (v << 16) >> 16);
        eip = nip;
        break;
      }
      // ---- shifts and rotates: C0 C1 (imm8), D0 D1 (1), D2 D3 (cl)
      case 0xC0: case 0xC1: case 0xD0: case 0xD1: case 0xD2: case 0xD3: {
        const s8 = (op & 1) == 0 ? 1 : 0;
        const p = mod == 3 ? (s8 != 0 ? r8p(R, rm) : R + (rm << 2)) : xl(ea, s8 != 0 ? 1 : 4, 1);
        if (p == 0) { stop = STOP_FAULT; break; }
        const c = (op < 0xD0 ? imm : op < 0xD2 ? 1 : ld8(R + 4)) & 31;
        eip = nip;
        if (c == 0) break; // no change, flags included
        const a = s8 != 0 ? ld8(p) : ld32(p);
        if (reg == 2 || reg == 3 || reg == 6) { // rcl rcr, and the undocumented shl alias /6
          st32(run + RUN_FL, flagsOf(fl, lop, la, lb, lr));
          lop = L_NONE;
          const r = shiftN(reg, a, c, s8 != 0 ? 1 : 4);
          fl = ld32(run + RUN_FL);
          if (s8 != 0) st8(p, r); else wr32(p, r);
          break;
        }
        let r = 0;
        let cf = 0;
        let ov = 0;
        const f = flagsOf(fl, lop, la, lb, lr);
        lop = L_NONE;
        if (s8 != 0) {
          switch (reg) {
            case 0: { // rol
              const t = c & 7;
              r = ((a << t) | (a >>> (8 - t))) & 0xFF;
              cf = r & 1;
              ov = ((r >>> 7) ^ cf) & 1;
              break;
            }
            case 1: { // ror
              const t = c & 7;
              r = ((a >>> t) | (a << (8 - t))) & 0xFF;
              cf = r >>> 7;
              ov = ((r >>> 7) ^ (r >>> 6)) & 1;
              break;
            }
            case 4: // shl
              r = (a << c) & 0xFF;
              cf = c <= 8 ? (a >>> (8 - c)) & 1 : 0;
              ov = ((r >>> 7) ^ cf) & 1;
              break;
            case 5: // shr
              r = a >>> c;
              cf = (a >>> (c - 1)) & 1;
              ov = c == 1 ? a >>> 7 : 0;
              break;
            default: { // sar
              const sa = (a << 24) >> 24;
              r = (sa >> c) & 0xFF;
              cf = (sa >> (c - 1)) & 1;
              break;
            }
          }
        } else {
          switch (reg) {
            case 0:
              r = (a << c) | (a >>> (32 - c));
              cf = r & 1;
              ov = ((r >>> 31) ^ cf) & 1;
              break;
            case 1:
              r = (a >>> c) | (a << (32 - c));
              cf = r >>> 31;
              ov = ((r >>> 31) ^ (r >>> 30)) & 1;
              break;
            case 4:
              r = a << c;
              cf = (a >>> (32 - c)) & 1;
              ov = ((r >>> 31) ^ cf) & 1;
              break;
            case 5:
              r = a >>> c;
              cf = (a >>> (c - 1)) & 1;
              ov = c == 1 ? a >>> 31 : 0;
              break;
            default:
              r = a >> c;
              cf = (a >> (c - 1)) & 1;
              break;
          }
        }
        if (reg < 2) fl = (f & ~(PSL_C | PSL_V)) | cf | (ov << 11);
        else fl = (f & ~ARITH) | cf | (ov << 11) | szp(r, s8);
        if (s8 != 0) st8(p, r); else wr32(p, r);
        break;
      }
      // ---- ret, leave, int
      case 0xC2: case 0xC3: {
        const sp = ld32(R + 16);
        const q = xl(sp, 4, 0);
        if (q == 0) { stop = STOP_FAULT; break; }
        eip = ld32(q);
        st32(R + 16, (sp + 4 + (op == 0xC2 ? imm : 0)) | 0);
        break;
      }
      case 0xC9: {
        const bp = ld32(R + 20);
        const q = xl(bp, 4, 0);
        if (q == 0) { stop = STOP_FAULT; break; }
        st32(R + 20, ld32(q));
        st32(R + 16, (bp + 4) | 0);
        eip = nip;
        break;
      }
      case 0xCD:
        if (imm != 0x80) { stop = STOP_ILLEGAL; break; }
        eip = nip;
        stop = STOP_SYSCALL;
        break;
      // ---- loop, jecxz, call, jmp
      case 0xE0: case 0xE1: case 0xE2: {
        const c = (ld32(R + 4) - 1) | 0;
        st32(R + 4, c);
        let t = c != 0 ? 1 : 0;
        if (op == 0xE1) t = t & cond(4, fl, lop, la, lb, lr);
        else if (op == 0xE0) t = t & cond(5, fl, lop, la, lb, lr);
        eip = t != 0 ? (nip + ((imm << 24) >> 24)) | 0 : nip;
        break;
      }
      case 0xE3:
        eip = ld32(R + 4) == 0 ? (nip + ((imm << 24) >> 24)) | 0 : nip;
        break;
      case 0xE8: {
        const sp = (ld32(R + 16) - 4) | 0;
        const p = xl(sp, 4, 1);
        if (p == 0) { stop = STOP_FAULT; break; }
        wr32(p, nip);
        st32(R + 16, sp);
        eip = (nip + imm) | 0;
        break;
      }
      case 0xE9:
        eip = (nip + imm) | 0;
        break;
      case 0xEB:
        eip = (nip + ((imm << 24) >> 24)) | 0;
        break;
      // ---- hlt, flag instructions
      case 0xF4:
        stop = STOP_HALT;
        break;
      case 0xF5: case 0xF8: case 0xF9: {
        const f = flagsOf(fl, lop, la, lb, lr);
        lop = L_NONE;
        fl = op == 0xF5 ? f ^ PSL_C : op == 0xF8 ? f & ~PSL_C : f | PSL_C;
        eip = nip;
        break;
      }
      case 0xFC:
        fl = fl & ~PSL_D;
        eip = nip;
        break;
      case 0xFD:
        fl = fl | PSL_D;
        eip = nip;
        break;
      // ---- group 3: test not neg mul imul div idiv
      case 0xF6: case 0xF7: {
        const s8 = op == 0xF6 ? 1 : 0;
        const wr = reg == 2 || reg == 3 ? 1 : 0;
        const p = mod == 3 ? (s8 != 0 ? r8p(R, rm) : R + (rm << 2)) : xl(ea, s8 != 0 ? 1 : 4, wr);
        if (p == 0) { stop = STOP_FAULT; break; }
        const a = s8 != 0 ? ld8(p) : ld32(p);
        if (reg < 2) { // test, and its undocumented alias /1
          lop = s8 != 0 ? L_LOGIC | L_8 : L_LOGIC; la = a; lb = imm; lr = a & imm;
        } else if (reg == 2) {
          if (s8 != 0) st8(p, ~a); else wr32(p, ~a);
        } else if (reg == 3) {
          const r = s8 != 0 ? (0 - a) & 0xFF : (0 - a) | 0;
          lop = s8 != 0 ? L_SUB | L_8 : L_SUB; la = 0; lb = a; lr = r;
          if (s8 != 0) st8(p, r); else wr32(p, r);
        } else if (reg == 4 || reg == 5) {
          const f = flagsOf(fl, lop, la, lb, lr) & ~ARITH;
          lop = L_NONE;
          if (s8 != 0) {
            const al = ld8(R);
            const prod = reg == 4 ? mul32(al, a) : mul32((al << 24) >> 24, (a << 24) >> 24);
            st16(R, prod);
            const over = reg == 4 ? (prod & 0xFF00) != 0 : prod != ((prod << 24) >> 24);
            fl = f | szp(prod & 0xFF, 1) | (over ? PSL_C | PSL_V : 0);
          } else {
            const lo = reg == 4 ? umul64(ld32(R), a) : smul64(ld32(R), a);
            const hi = ld32(run + RUN_HI);
            st32(R, lo);
            st32(R + 8, hi);
            const over = reg == 4 ? hi != 0 : hi != (lo >> 31);
            fl = f | szp(lo, 0) | (over ? PSL_C | PSL_V : 0);
          }
        } else if (s8 != 0) {
          // div / idiv r/m8: ax / src -> al quotient, ah remainder
          if (a == 0) { stop = STOP_DIVIDE; break; }
          const ax = ld16(R);
          if (reg == 6) {
            const q = divu(ax, a);
            if (q > 255) { stop = STOP_DIVIDE; break; }
            st8(R, q);
            st8(R + 1, (ax - mul32(q, a)) | 0);
          } else {
            const sx = (ax << 16) >> 16;
            const sd = (a << 24) >> 24;
            let q = divu(sx < 0 ? -sx : sx, sd < 0 ? -sd : sd);
            if ((sx < 0) != (sd < 0)) q = -q;
            if (q < -128 || q > 127) { stop = STOP_DIVIDE; break; }
            st8(R, q);
            st8(R + 1, (sx - mul32(q, sd)) | 0);
          }
        } else {
          // div / idiv r/m32: edx:eax / src -> eax quotient, edx remainder
          if (a == 0) { stop = STOP_DIVIDE; break; }
          stop = div32(R, a, reg == 7);
          if (stop != 0) break;
        }
        eip = nip;
        break;
      }
      // ---- group 4/5: inc dec (r/m8, r/m32), call, jmp, push
      case 0xFE: case 0xFF: {
        const s8 = op == 0xFE ? 1 : 0;
        if (reg == 7 || reg == 3 || reg == 5 || (s8 != 0 && reg > 1)) { stop = STOP_ILLEGAL; break; }
        if (reg < 2) {
          const p = mod == 3 ? (s8 != 0 ? r8p(R, rm) : R + (rm << 2)) : xl(ea, s8 != 0 ? 1 : 4, 1);
          if (p == 0) { stop = STOP_FAULT; break; }
          fl = (fl & ~PSL_C) | lazyCF(fl, lop, la, lb, lr);
          const a = s8 != 0 ? ld8(p) : ld32(p);
          let r = reg == 0 ? (a + 1) | 0 : (a - 1) | 0;
          if (s8 != 0) r = r & 0xFF;
          lop = (reg == 0 ? L_INC : L_DEC) | (s8 != 0 ? L_8 : 0); la = a; lb = 1; lr = r;
          if (s8 != 0) st8(p, r); else wr32(p, r);
          eip = nip;
          break;
        }
        const q = mod == 3 ? R + (rm << 2) : xl(ea, 4, 0);
        if (q == 0) { stop = STOP_FAULT; break; }
        const v = ld32(q);
        if (reg == 4) { eip = v; break; }
        const sp = (ld32(R + 16) - 4) | 0;
        const p = xl(sp, 4, 1);
        if (p == 0) { stop = STOP_FAULT; break; }
        wr32(p, reg == 2 ? nip : v);
        st32(R + 16, sp);
        eip = reg == 2 ? v : nip;
        break;
      }
      default: { // the slow path (x86_int.ts), with the flags in memory
        st32(run + RUN_FL, flagsOf(fl, lop, la, lb, lr));
        lop = L_NONE;
        st32(run + RUN_NIP, nip);
        st32(run + RUN_EXTRA, 0);
        st32(run + RUN_COUNT, n);
        stop = execSlow(op, 0, mod, reg, rm, ea, besp, imm, eip, nip, budget - n);
        fl = ld32(run + RUN_FL);
        n += ld32(run + RUN_EXTRA);
        if (stop == 0 || stop == STOP_TRAP) eip = ld32(run + RUN_NIP);
        break;
      }
    }
    if (stop != 0) {
      if (stop == STOP_SYSCALL || stop == STOP_TRAP) n++;
      if (stop == STOP_FAULT && cow && cowResolved(tf, pm)) {
        // The faulting instruction changed nothing: run it again, with the TLBs emptied
        // (cowResolved empties the data TLB).
        stop = 0;
        ftag = 0;
        continue;
      }
      break;
    }
    n++;
  }

  // ---- stop: the registers back into the trapframe
  st32(tf + TF_EAX, ld32(R));
  st32(tf + TF_ECX, ld32(R + 4));
  st32(tf + TF_EDX, ld32(R + 8));
  st32(tf + TF_EBX, ld32(R + 12));
  st32(tf + TF_ESP, ld32(R + 16));
  st32(tf + TF_EBP, ld32(R + 20));
  st32(tf + TF_ESI, ld32(R + 24));
  st32(tf + TF_EDI, ld32(R + 28));
  st32(tf + TF_EIP, eip);
  st32(tf + TF_EFLAGS, flagsOf(fl, lop, la, lb, lr) | 2);
  if (stop == STOP_SYSCALL) {
    st32(tf + TF_TRAPNO, T_SYSCALL80);
    st32(tf + TF_ERR, 2);
  } else if (stop == STOP_FAULT) {
    st32(tf + TF_TRAPNO, T_PAGEFLT);
    st32(tf + TF_ERR, ld32(K + C_FAULT_ERR));
  } else if (stop == STOP_ILLEGAL) {
    st32(tf + TF_TRAPNO, T_PRIVINFLT);
    st32(tf + TF_ERR, 0);
  } else if (stop == STOP_HALT) {
    st32(tf + TF_TRAPNO, T_PROTFLT);
    st32(tf + TF_ERR, 0);
  } else if (stop == STOP_DIVIDE) {
    st32(tf + TF_TRAPNO, T_DIVIDE);
    st32(tf + TF_ERR, 0);
  } else if (stop == STOP_TRAP) {
    st32(tf + TF_TRAPNO, T_BPTFLT);
    st32(tf + TF_ERR, 0);
  }
  // The thread's retired count (rdtsc), 64-bit.
  const tsc = tscLinear(td);
  const t0 = ld32(tsc);
  const t1 = (t0 + n) | 0;
  st32(tsc, t1);
  if (ltu(t1, t0)) st32(tsc + 4, ld32(tsc + 4) + 1);
  st32(run + RUN_COUNT, n);
  st32(run + RUN_STOP, stop);
  return stop;
}
