// i386 architectural and DragonFly machine-dependent constants (reference §3, §4).
// Values above 0x7FFFFFFF are written as shifts so they are the same negative i32 in
// the Wasm build and in the portable build.

export const PAGE_SHIFT: i32 = 12;
export const PAGE_SIZE: i32 = 4096;
export const PAGE_MASK: i32 = 0xFFF;
export const NPTEPG: i32 = 1024;
export const NPDEPG: i32 = 1024;
export const PDRSHIFT: i32 = 22;
export const NBPDR: i32 = 1 << 22;

// PDE/PTE bits (reference §4.1).
export const PG_V: i32 = 0x001;
export const PG_RW: i32 = 0x002;
export const PG_U: i32 = 0x004;
export const PG_NC_PWT: i32 = 0x008;
export const PG_NC_PCD: i32 = 0x010;
export const PG_A: i32 = 0x020;
export const PG_M: i32 = 0x040;
export const PG_PS: i32 = 0x080;
export const PG_G: i32 = 0x100;
export const PG_W: i32 = 0x200;
export const PG_MANAGED: i32 = 0x400;
export const PG_FRAME: i32 = ~0xFFF;
/** PG_AVAIL3, forklab's copy-on-write mark: logically writable, write-protected (docs/core.md). */
export const PG_COW: i32 = 0x800;

// Page-fault error code bits.
export const PGEX_P: i32 = 1;
export const PGEX_W: i32 = 2;
export const PGEX_U: i32 = 4;

// VM protections (vm.h).
export const VM_PROT_READ: i32 = 1;
export const VM_PROT_WRITE: i32 = 2;
export const VM_PROT_EXECUTE: i32 = 4;

// rfork flags (unistd.h 1.9): cpu_fork looks at RFPROC alone; the rest are the kernel's.
export const RFNAMEG: i32 = 1 << 0;
export const RFENVG: i32 = 1 << 1;
export const RFFDG: i32 = 1 << 2;
export const RFNOTEG: i32 = 1 << 3;
export const RFPROC: i32 = 1 << 4;
export const RFMEM: i32 = 1 << 5;
export const RFNOWAIT: i32 = 1 << 6;
export const RFCNAMEG: i32 = 1 << 10;
export const RFCENVG: i32 = 1 << 11;
export const RFCFDG: i32 = 1 << 12;
export const RFTHREAD: i32 = 1 << 13;
export const RFSIGSHARE: i32 = 1 << 14;
export const RFLINUXTHPN: i32 = 1 << 16;
export const RFPGLOCK: i32 = 1 << 30;
export const RFPPWAIT: i32 = 1 << 31;

// Address-space geometry (reference §4.2).
export const PTDPTDI: i32 = 767;          // recursive self-map slot
export const KPTDI: i32 = 768;            // first kernel PDE
export const MPPTDI: i32 = 1022;          // per-CPU private space (unused here)
export const APTDPTDI: i32 = 1023;        // alternate recursive slot (unused here)
export const KERNBASE: i32 = 0xC000 << 16;            // 0xC0000000
export const VM_MAX_USER_ADDRESS: i32 = 0xBFC0 << 16; // 0xBFC00000
export const USRSTACK: i32 = 0xBFC0 << 16;            // 0xBFC00000
export const PTMAP: i32 = 0xBFC0 << 16;               // 767 << 22
export const PTD: i32 = (0xBFC0 << 16) + 767 * 4096;  // 0xBFEFF000

// PSL bits (reference §3.3).
export const PSL_C: i32 = 0x001;
export const PSL_PF: i32 = 0x004;
export const PSL_AF: i32 = 0x010;
export const PSL_Z: i32 = 0x040;
export const PSL_N: i32 = 0x080;
export const PSL_T: i32 = 0x100;
export const PSL_I: i32 = 0x200;
export const PSL_D: i32 = 0x400;
export const PSL_V: i32 = 0x800;
export const PSL_USER: i32 = 0x202;
export const PSL_KERNEL: i32 = 0x002;

// User segment selectors (machdep.c): LSEL(LUCODE_SEL, SEL_UPL), LSEL(LUDATA_SEL, SEL_UPL).
export const GSEL_UCODE: i32 = 0x1F;
export const GSEL_UDATA: i32 = 0x2F;

// struct pcb (pcb.h 1.12), 608 bytes.
export const PCB_CR3: i32 = 0;
export const PCB_EDI: i32 = 4;
export const PCB_ESI: i32 = 8;
export const PCB_EBP: i32 = 12;
export const PCB_ESP: i32 = 16;
export const PCB_EBX: i32 = 20;
export const PCB_EIP: i32 = 24;
export const PCB_DR0: i32 = 28;
export const PCB_DR1: i32 = 32;
export const PCB_DR2: i32 = 36;
export const PCB_DR3: i32 = 40;
export const PCB_DR6: i32 = 44;
export const PCB_DR7: i32 = 48;
export const PCB_LDT: i32 = 52;
export const PCB_SAVEFPU: i32 = 64;
export const PCB_FLAGS: i32 = 576;
export const PCB_ONFAULT: i32 = 580;
export const PCB_UNUSED: i32 = 584;
export const PCB_EXT: i32 = 588;
export const PCB_SPARE: i32 = 592;
export const SIZEOF_PCB: i32 = 608;

// struct trapframe (frame.h 1.9), 80 bytes, tf_gs first.
export const TF_GS: i32 = 0;
export const TF_FS: i32 = 4;
export const TF_ES: i32 = 8;
export const TF_DS: i32 = 12;
export const TF_EDI: i32 = 16;
export const TF_ESI: i32 = 20;
export const TF_EBP: i32 = 24;
export const TF_ISP: i32 = 28;
export const TF_EBX: i32 = 32;
export const TF_EDX: i32 = 36;
export const TF_ECX: i32 = 40;
export const TF_EAX: i32 = 44;
export const TF_XFLAGS: i32 = 48;
export const TF_TRAPNO: i32 = 52;
export const TF_ERR: i32 = 56;
export const TF_EIP: i32 = 60;
export const TF_CS: i32 = 64;
export const TF_EFLAGS: i32 = 68;
export const TF_ESP: i32 = 72;
export const TF_SS: i32 = 76;
export const SIZEOF_TRAPFRAME: i32 = 80;

// Kernel stacks (reference §3.4): UPAGES = 3.
export const UPAGES: i32 = 3;
export const KSTACK_SIZE: i32 = 12288;
export const KSTACK_PCB: i32 = 12288 - 608;          // 11680: td_pcb
export const KSTACK_SP0: i32 = 11680 - 16;           // 11664: td_sp after pmap_init_thread, TSS esp0
export const KSTACK_TF: i32 = 11680 - 16 - 80;       // 11584: md_regs
export const KSTACK_RETSLOT: i32 = 11584 - 4;        // 11580: pcb_esp
export const KSTACK_SWITCH_PSL: i32 = 11580 - 4;     // 11576: PSL_USER popped by cpu_heavy_restore
export const KSTACK_SWITCH_SP: i32 = 11576 - 4;      // 11572: td_sp, holds &cpu_heavy_restore

// Fixed symbolic kernel text addresses (docs/core.md): forklab runs no kernel machine
// code, so these name the kernel functions a switch-in would jump to.
export const KTEXT_BASE: i32 = 0xC010 << 16;          // 0xC0100000, DragonFly's i386 text start
export const FORK_TRAMPOLINE: i32 = (0xC010 << 16) + 0x1000;
export const FORK_RETURN: i32 = (0xC010 << 16) + 0x1100;
export const CPU_HEAVY_RESTORE: i32 = (0xC010 << 16) + 0x1200;
export const GENERIC_LWP_RETURN: i32 = (0xC010 << 16) + 0x1300;

// errno (errno.h 1.10); the core returns them negated.
export const EPERM: i32 = 1;
export const ENOEXEC: i32 = 8;
export const ENOMEM: i32 = 12;
export const EFAULT: i32 = 14;
export const EBUSY: i32 = 16;
export const EEXIST: i32 = 17;
export const EINVAL: i32 = 22;
export const EAGAIN: i32 = 35;
