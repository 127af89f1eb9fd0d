// The decoder's opcode attributes: for every opcode, whether a ModRM byte follows, the
// size of the immediate, and whether the opcode is undefined (#UD) or a prefix. Opcodes
// are numbered 0..0x3FF: a one-byte opcode, 0x100 | the byte after 0F, and either of those
// | 0x200 under the operand-size prefix 66 (the 16-bit forms, with 16-bit immediates).
// Core init fills a 1 KiB table at K + C_OPATTR from opAttr, which the decoder reads.
import { ld8, ld16, ld32, st8, st32, ltu } from "./mem";
import { K, C_OPATTR, C_RUN_BASE, C_FAULT_VA, C_FAULT_ERR } from "./state";
import {
  STOP_FAULT, STOP_HALT, STOP_ILLEGAL, RUN_REGS, RUN_FS, RUN_GS, RUN_SEGBAD, RUN_NIP,
  RUN_DOP, RUN_DPFX, RUN_DMOD, RUN_DREG, RUN_DRM, RUN_DEA, RUN_DBESP, RUN_DIMM,
  P_OS, P_REP, P_REPNE, P_LOCK, P_FS, P_GS, P_BAD,
} from "./x86_defs";

export const A_MODRM: i32 = 1;
export const A_I8: i32 = 2;
export const A_I32: i32 = 4;
export const A_I16: i32 = 8;   // C2, C8 (with a second, 8-bit immediate), and 16-bit forms
export const A_GRP3: i32 = 16; // F6/F7: an immediate only for /0 and /1 (test)
export const A_BAD: i32 = 32;  // #UD: undefined on an i686, or not implemented (docs/x86.md)
export const A_PFX: i32 = 64;  // a prefix byte
export const A_ESC: i32 = 128; // a prefix or 0F: the decoder's one branch off the common path

export function opAttrInit(): void {
  for (let op = 0; op < 0x400; op++) st8(K + C_OPATTR + op, opAttr(op));
}

/** Decode attributes of opcode op (0..0x3FF, numbered as above). */
export function opAttr(op: i32): i32 {
  if (op >= 0x200) return opAttr16(op & 0x1FF);
  if (op >= 0x100) return opAttr0F(op & 0xFF);
  if (op < 0x40) {
    const f = op & 7;
    if (f < 4) return A_MODRM;
    if (f == 4) return A_I8;
    if (f == 5) return A_I32;
    if (op == 0x26 || op == 0x2E || op == 0x36 || op == 0x3E) return A_PFX | A_ESC; // es cs ss ds
    if (op == 0x0F) return A_BAD | A_ESC; // (the decoder reads the next byte first)
    return A_BAD; // push/pop segment registers, BCD adjustments (0F is handled before)
  }
  if (op < 0x62) return 0; // inc, dec, push, pop, pusha, popa
  if (op >= 0x64 && op < 0x68) return A_PFX | A_ESC; // fs gs, operand size, address size
  if (op >= 0x70 && op < 0x80) return A_I8; // jcc rel8
  if (op >= 0x84 && op < 0x90) return A_MODRM; // test xchg mov (8C 8E: segment registers) lea pop
  if (op >= 0x90 && op < 0xA0) return op == 0x9A ? A_BAD : 0; // xchg cbw cwd fwait pushf popf sahf lahf
  if (op >= 0xA0 && op < 0xA4) return A_I32; // mov moffs (the address: 32 bits under 66 too)
  if (op >= 0xA4 && op < 0xB0) return op == 0xA8 ? A_I8 : op == 0xA9 ? A_I32 : 0; // strings, test
  if (op >= 0xB0 && op < 0xB8) return A_I8;
  if (op >= 0xB8 && op < 0xC0) return A_I32;
  if (op >= 0xD8 && op < 0xE0) return A_MODRM; // x87
  switch (op) {
    case 0x68: return A_I32;
    case 0x69: return A_MODRM | A_I32;
    case 0x6A: return A_I8;
    case 0x6B: return A_MODRM | A_I8;
    case 0x6C: case 0x6D: case 0x6E: case 0x6F: return 0; // ins, outs: #GP at IOPL 0
    case 0x80: case 0x82: case 0x83: return A_MODRM | A_I8;
    case 0x81: return A_MODRM | A_I32;
    case 0xC0: case 0xC1: return A_MODRM | A_I8;
    case 0xC2: return A_I16;
    case 0xC3: return 0;
    case 0xC6: return A_MODRM | A_I8;
    case 0xC7: return A_MODRM | A_I32;
    case 0xC8: return A_I16; // enter imm16, imm8
    case 0xC9: return 0;
    case 0xCC: return 0; // int3
    case 0xCD: return A_I8;
    case 0xD0: case 0xD1: case 0xD2: case 0xD3: return A_MODRM;
    case 0xD7: return 0; // xlat
    case 0xE0: case 0xE1: case 0xE2: case 0xE3: return A_I8;
    case 0xE4: case 0xE5: case 0xE6: case 0xE7: return A_I8; // in, out: #GP at IOPL 0
    case 0xE8: case 0xE9: return A_I32;
    case 0xEB: return A_I8;
    case 0xEC: case 0xED: case 0xEE: case 0xEF: return 0;
    case 0xF0: case 0xF2: case 0xF3: return A_PFX | A_ESC;
    case 0xF4: case 0xF5: return 0;
    case 0xF6: case 0xF7: return A_MODRM | A_GRP3;
    case 0xF8: case 0xF9: case 0xFA: case 0xFB: case 0xFC: case 0xFD: return 0;
    case 0xFE: case 0xFF: return A_MODRM;
    default: return A_BAD; // bound arpl les lds far call/jmp/ret iret into aam aad salc icebp
  }
}

/** The byte after 0F. */
function opAttr0F(b: i32): i32 {
  if (b >= 0x18 && b < 0x20) return A_MODRM; // hint NOPs (0F 1F /0 is the multi-byte NOP)
  if (b >= 0x40 && b < 0x50) return A_MODRM; // cmovcc
  if (b >= 0x80 && b < 0x90) return A_I32;   // jcc rel32
  if (b >= 0x90 && b < 0xA0) return A_MODRM; // setcc
  if (b >= 0xC8) return 0;                   // bswap
  switch (b) {
    case 0x0B: return 0;    // ud2
    case 0x31: return 0;    // rdtsc
    case 0xA2: return 0;    // cpuid
    case 0xA3: case 0xA5: case 0xAB: case 0xAD: case 0xAF: return A_MODRM;
    case 0xA4: case 0xAC: case 0xBA: return A_MODRM | A_I8;
    case 0xB0: case 0xB1: case 0xB3: case 0xB6: case 0xB7: case 0xBB:
    case 0xBC: case 0xBD: case 0xBE: case 0xBF: case 0xC0: case 0xC1: case 0xC7:
      return A_MODRM;
    default: return A_BAD; // system instructions, MMX, SSE, and the rest
  }
}

/** An opcode under 66: its 16-bit form, or #UD where that would be a 16-bit jump or return. */
function opAttr16(op: i32): i32 {
  if ((op >= 0x70 && op < 0x80) || (op >= 0x180 && op < 0x190) || (op >= 0xE0 && op < 0xE4)) return A_BAD;
  if ((op >= 0xD8 && op < 0xE0) || op >= 0x1C8) return A_BAD; // x87 environment forms, bswap r16
  switch (op) {
    case 0xC2: case 0xC3: case 0xC8: case 0xE8: case 0xE9: case 0xEB: return A_BAD;
    default: break;
  }
  const a = op >= 0x100 ? opAttr0F(op & 0xFF) : opAttr(op);
  if ((a & A_I32) != 0 && !(op >= 0xA0 && op < 0xA4)) return (a & ~A_I32) | A_I16;
  return a;
}

/** Whether `lock` may prefix opcode op (0..0x3FF) with ModRM reg field reg (memory form). */
export function lockable(op: i32, reg: i32): bool {
  const o = op & 0x1FF;
  if (o < 0x40) return (o & 7) < 2 && (o >>> 3) != 7; // add or adc sbb and sub xor r/m, r
  if (o >= 0x80 && o < 0x84) return reg != 7;
  switch (o) {
    case 0x86: case 0x87: return true;
    case 0xF6: case 0xF7: return reg == 2 || reg == 3;
    case 0xFE: case 0xFF: return reg < 2;
    case 0x1AB: case 0x1B3: case 0x1BB: case 0x1B0: case 0x1B1: case 0x1C0: case 0x1C1: return true;
    case 0x1BA: return reg >= 5;
    case 0x1C7: return reg == 1;
    default: return false;
  }
}

/**
 * Decodes the prefixed instruction at linear address ip0 (its bytes readable up to plim;
 * ferr is the fetch fault's error code past it) at eip: its prefixes (the last of a kind
 * wins), opcode, ModRM, SIB, displacement and immediate, into the run area for execSlow
 * (RUN_DOP ..., RUN_NIP). 0, or the stop it makes: a fetch fault, #UD (67, over 15 bytes,
 * an undefined opcode, a misplaced lock) or #GP (fs:/gs: through an unusable selector).
 * The hot loop in x86.ts decodes unprefixed instructions inline, the same way.
 */
export function decodePrefixed(ip0: i32, plim: i32, eip: i32, ferr: i32): i32 {
  const run = K + C_RUN_BASE;
  const R = run + RUN_REGS;
  const tab = K + C_OPATTR;
  let ip = ip0;
  let pfx = 0;
  let op = ld8(ip);
  ip++;
  while ((ld8(tab + op) & A_PFX) != 0) {
    switch (op) {
      case 0x66: pfx = pfx | P_OS; break;
      case 0x67: pfx = pfx | P_BAD; break; // address size: not implemented
      case 0xF0: pfx = pfx | P_LOCK; break;
      case 0xF2: pfx = (pfx & ~P_REP) | P_REPNE; break;
      case 0xF3: pfx = (pfx & ~P_REPNE) | P_REP; break;
      case 0x64: pfx = (pfx & ~P_GS) | P_FS; break;
      case 0x65: pfx = (pfx & ~P_FS) | P_GS; break;
      default: pfx = pfx & ~(P_FS | P_GS); break; // es cs ss ds: flat, base 0
    }
    if (ip - ip0 >= 15) break;
    op = ld8(ip);
    ip++;
  }
  if (op == 0x0F) { op = 0x100 | ld8(ip); ip++; }
  op = op | (pfx & P_OS);
  const at = ld8(tab + op);
  let mod = 0;
  let reg = 0;
  let rm = 0;
  let ea = 0;
  let besp = 0;
  let imm = 0;
  if ((at & A_BAD) == 0 && ip - ip0 < 15) {
    if ((at & A_MODRM) != 0) {
      const m = ld8(ip);
      ip++;
      mod = m >>> 6;
      reg = (m >>> 3) & 7;
      rm = m & 7;
      if (mod != 3) {
        if (rm == 4) {
          const sib = ld8(ip);
          ip++;
          const base = sib & 7;
          const idx = (sib >>> 3) & 7;
          if (idx != 4) ea = ld32(R + (idx << 2)) << (sib >>> 6);
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
      if (op == 0xF6) { imm = ld8(ip); ip++; } else if (op == 0xF7) { imm = ld32(ip); ip += 4; } else { imm = ld16(ip); ip += 2; }
    }
  }
  if (ltu(plim, ip) && ip - ip0 <= 16) {
    // A byte of the instruction lies in the next page, which faulted.
    st32(K + C_FAULT_VA, ((eip | 0xFFF) + 1) | 0);
    st32(K + C_FAULT_ERR, ferr);
    return STOP_FAULT;
  }
  if ((at & A_BAD) != 0 || (pfx & P_BAD) != 0 || ip - ip0 > 15) return STOP_ILLEGAL;
  // lock: only on a read-modify-write instruction with a memory destination
  if ((pfx & P_LOCK) != 0 && (mod == 3 || (at & A_MODRM) == 0 || !lockable(op, reg))) return STOP_ILLEGAL;
  if ((pfx & (P_FS | P_GS)) != 0) {
    // lea and the hint NOPs compute an address but access nothing
    const o = op & 0x1FF;
    const mem = (at & A_MODRM) != 0 ? mod != 3 && o != 0x8D && (o & 0x1F8) != 0x118 : o >= 0xA0 && o < 0xA4;
    if (mem) {
      const fs = (pfx & P_FS) != 0 ? 1 : 0;
      if ((ld32(run + RUN_SEGBAD) & (fs != 0 ? 1 : 2)) != 0) return STOP_HALT; // #GP
      const base = ld32(run + (fs != 0 ? RUN_FS : RUN_GS));
      if ((at & A_MODRM) != 0) ea = (ea + base) | 0; else imm = (imm + base) | 0;
    }
  }
  st32(run + RUN_DOP, op);
  st32(run + RUN_DPFX, pfx);
  st32(run + RUN_DMOD, mod);
  st32(run + RUN_DREG, reg);
  st32(run + RUN_DRM, rm);
  st32(run + RUN_DEA, ea);
  st32(run + RUN_DBESP, besp);
  st32(run + RUN_DIMM, imm);
  st32(run + RUN_NIP, (eip + (ip - ip0)) | 0);
  return 0;
}
