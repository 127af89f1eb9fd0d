// The interpreter's shared definitions (docs/x86.md): stop reasons, trap numbers, the run
// area's layout, the decoder's prefix bits. Every x86*.ts and x87.ts file imports them here.

// Stop reasons (cpu_run's result).
export const STOP_SYSCALL: i32 = 1;
export const STOP_FAULT: i32 = 2;
export const STOP_BUDGET: i32 = 3;
export const STOP_HALT: i32 = 4;    // hlt, or any other #GP at CPL 3 (cli, in, a bad selector)
export const STOP_ILLEGAL: i32 = 5;
export const STOP_DIVIDE: i32 = 6;
export const STOP_TRAP: i32 = 7;    // int3 (#BP)

// trap.h (i386) trap numbers written to tf_trapno at a stop, as the trap entry would.
export const T_PRIVINFLT: i32 = 1;
export const T_BPTFLT: i32 = 3;
export const T_PROTFLT: i32 = 9;
export const T_PAGEFLT: i32 = 12;
export const T_DIVIDE: i32 = 18;
export const T_SYSCALL80: i32 = 0x80;

// Run area offsets (K + C_RUN_BASE; docs/x86.md lists them).
export const RUN_COUNT: i32 = 0;
export const RUN_STOP: i32 = 4;
export const RUN_PM: i32 = 8;
export const RUN_HI: i32 = 12;     // high word / remainder from mul and div
export const RUN_COW: i32 = 16;    // cpu_run_cow: copy-on-write faults resolved during the run
export const RUN_KEPT: i32 = 20;   // ... of which kept their frame (STAT_COW_OPTIM)
export const RUN_PD: i32 = 24;     // the run's page directory (physical), for the walks
export const RUN_TD: i32 = 28;     // the run's thread (rdtsc, segment loads)
export const RUN_REGS: i32 = 32;   // eax ecx edx ebx esp ebp esi edi
export const RUN_TLB: i32 = 64;    // read TLB 64..95, write TLB 96..127
export const RUN_RB: i32 = 128;    // read bounce buffer (16 bytes)
export const RUN_WB: i32 = 144;    // write bounce buffer (16 bytes)
export const RUN_WSEG: i32 = 160;  // the straddling write's two pieces (address, length) x 2
export const RUN_FB: i32 = 176;    // fetch buffer (32 bytes)
// The slow path's interface (x86_int.ts): the flags word in memory, the next eip, extra
// instructions retired (the iterations of a rep string instruction), the segment bases.
export const RUN_FL: i32 = 208;
export const RUN_NIP: i32 = 212;
export const RUN_EXTRA: i32 = 216;
export const RUN_FS: i32 = 220;    // %fs base
export const RUN_GS: i32 = 224;    // %gs base
export const RUN_FPU: i32 = 228;   // linear address of the thread's FPU state (pcb_save)
export const RUN_SEGBAD: i32 = 232; // bit 0: %fs, bit 1: %gs holds no usable selector (#GP on use)
export const RUN_SCRATCH: i32 = 240; // 16 bytes: x87 conversions through memory
// A prefixed instruction as decodePrefixed (x86_decode.ts) leaves it for execSlow: the
// opcode (0..0x3FF), prefix bits, ModRM fields, effective address (segment base added),
// whether the SIB base was esp, the immediate (the next eip is at RUN_NIP).
export const RUN_DOP: i32 = 256;
export const RUN_DPFX: i32 = 260;
export const RUN_DMOD: i32 = 264;
export const RUN_DREG: i32 = 268;
export const RUN_DRM: i32 = 272;
export const RUN_DEA: i32 = 276;
export const RUN_DBESP: i32 = 280;
export const RUN_DIMM: i32 = 284;
export const RUN_BYTES: i32 = 288;

// Prefix bits the decoder collects (the operand-size bit is also folded into the opcode
// as 0x200, so 16-bit forms have opcodes of their own).
export const P_OS: i32 = 0x200;
export const P_REP: i32 = 0x400;    // F3 (rep, repe)
export const P_REPNE: i32 = 0x800;  // F2
export const P_LOCK: i32 = 0x1000;
export const P_FS: i32 = 0x2000;
export const P_GS: i32 = 0x4000;
export const P_BAD: i32 = 0x8000;  // address size (67), or more than 15 bytes: #UD
