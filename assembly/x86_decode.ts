// The decoder's opcode attributes: for every opcode, whether a ModRM byte follows, the
// size of the immediate, and whether the opcode is undefined (#UD) or a prefix. Opcodes
// are numbered 0..0x3FF: a one-byte opcode, 0x100 | the byte after 0F, and either of those
// | 0x200 under the operand-size prefix 66 (the 16-bit forms, with 16-bit immediates).
// Core init fills a 1 KiB table at K + C_OPATTR from opAttr, which the decoder reads.
import { st8 } from "./mem";
import { K, C_OPATTR } from "./state";

export const A_MODRM: i32 = 1;
export const A_I8: i32 = 2;
export const A_I32: i32 = 4;
export const A_I16: i32 = 8;   // C2, C8 (with a second, 8-bit immediate), and 16-bit forms
export const A_GRP3: i32 = 16; // F6/F7: an immediate only for /0 and /1 (test)
export const A_BAD: i32 = 32;  // #UD: undefined on an i686, or not implemented (docs/x86.md)
export const A_PFX: i32 = 64;  // a prefix byte

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
    if (op == 0x26 || op == 0x2E || op == 0x36 || op == 0x3E) return A_PFX; // es cs ss ds
    return A_BAD; // push/pop segment registers, BCD adjustments (0F is handled before)
  }
  if (op < 0x62) return 0; // inc, dec, push, pop, pusha, popa
  if (op >= 0x64 && op < 0x68) return A_PFX; // fs gs, operand size, address size
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
    case 0xF0: case 0xF2: case 0xF3: return A_PFX;
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
