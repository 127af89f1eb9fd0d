/* A C emulator's view of the forklab core (docs/embedding.md): the core.embed.wasm code,
 * translated to C by wasm2c (Debian package wabt), over guest RAM this host allocates.
 * The host lays a core out in its RAM, forks a process with copy-on-write, checks the
 * result with its own two-level i386 page walk, and feeds the core bad arguments, which
 * must come back as errors, never as traps. Build and run: ./build.sh OUTDIR && OUTDIR/host
 * (prints one "ok ..." line per check; exits 1 at the first failure, 2 on a trap). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORKLAB_FN(name) fl_##name /* the ABI's functions, prefixed in this host */
#include "forklab_core.h"
#include "wasm-rt-impl.h"
#include "core.h" /* wasm2c's output for the core: module name "core" */

static Z_core_instance_t core;
static wasm_rt_memory_t ram; /* the guest RAM: env.memory of the core */

wasm_rt_memory_t *Z_envZ_memory(struct Z_env_instance_t *env) { (void)env; return &ram; }

/* The header's functions this host uses, over the wasm2c instance. */
#define FL0(name) int32_t fl_##name(void) { return (int32_t)Z_coreZ_##name(&core); }
#define FL1(name) int32_t fl_##name(int32_t a) { return (int32_t)Z_coreZ_##name(&core, a); }
#define FL2(name) int32_t fl_##name(int32_t a, int32_t b) { return (int32_t)Z_coreZ_##name(&core, a, b); }
#define FL3(name) int32_t fl_##name(int32_t a, int32_t b, int32_t c) { return (int32_t)Z_coreZ_##name(&core, a, b, c); }
#define FL4(name) int32_t fl_##name(int32_t a, int32_t b, int32_t c, int32_t d) { \
  return (int32_t)Z_coreZ_##name(&core, a, b, c, d); }
FL0(core_abi_version) FL0(core_abi_minor) FL0(core_iobuf) FL0(pmap_create) FL0(thread_alloc) FL0(frames_free)
FL1(pmap_cr3) FL1(core_select) FL1(thread_free)
FL2(core_meta_bytes) FL2(pmap_fork) FL2(pcb_get)
FL3(pmap_enter) FL3(pmap_translate) FL3(tf_set)
FL4(core_init_at) FL4(copyout) FL4(copyin) FL4(cpu_fork)

enum { PHYS_BYTES = 1 << 20, CTL = 0x20000, RAM_PAGES = 48 };
static const uint32_t TEXT = 0x08048000u, DATA = 0x08049000u;
static uint32_t phys_base;
static int failures;

static void check(int ok, const char *what) {
  printf("%s %s\n", ok ? "ok" : "FAILED", what);
  if (!ok) failures++;
}

static uint32_t rd32(uint32_t lin) { uint32_t v; memcpy(&v, ram.data + lin, 4); return v; }

/* The host's MMU: PDE at cr3 + 4 * (va >> 22), PTE in the table it names; 0 if not present. */
static uint32_t walk(uint32_t cr3, uint32_t va, uint32_t *pte_out) {
  const uint32_t frame = (uint32_t)FORKLAB_PG_FRAME;
  uint32_t pde = rd32(phys_base + (cr3 & frame) + (va >> 22) * 4);
  if (!(pde & FORKLAB_PG_V)) return 0;
  uint32_t pte = rd32(phys_base + (pde & frame) + ((va >> 12) & 1023) * 4);
  if (!(pte & FORKLAB_PG_V)) return 0;
  if (pte_out) *pte_out = pte;
  return (pte & frame) | (va & 0xFFF);
}

static int32_t put(int32_t pm, uint32_t va, const char *s) {
  int32_t buf = fl_core_iobuf();
  memcpy(ram.data + (uint32_t)buf, s, strlen(s));
  return fl_copyout(pm, buf, (int32_t)va, (int32_t)strlen(s));
}

static int reads(int32_t pm, uint32_t va, const char *s) {
  uint32_t pa = walk((uint32_t)fl_pmap_cr3(pm), va, NULL);
  return pa != 0 && memcmp(ram.data + phys_base + pa, s, strlen(s)) == 0;
}

static void scenario(void) {
  check(fl_core_abi_version() == FORKLAB_ABI_VERSION && fl_core_abi_minor() >= FORKLAB_ABI_MINOR, "ABI version");
  phys_base = (uint32_t)(CTL + fl_core_meta_bytes(PHYS_BYTES, 0) + FORKLAB_PAGE_SIZE - 1) & ~(uint32_t)FORKLAB_PAGE_MASK;
  check(fl_core_init_at(CTL, (int32_t)phys_base, PHYS_BYTES, 0) == CTL, "core_init_at with the default thread count");

  int32_t parent = fl_pmap_create();
  check(fl_pmap_enter(parent, (int32_t)TEXT, FORKLAB_VM_PROT_READ | FORKLAB_VM_PROT_WRITE) == 0
    && fl_pmap_enter(parent, (int32_t)DATA, FORKLAB_VM_PROT_READ | FORKLAB_VM_PROT_WRITE) == 0, "two pages mapped");
  check(put(parent, TEXT, "parent's text") == 0 && put(parent, DATA, "parent's data") == 0, "bytes written");

  int32_t child = fl_pmap_fork(parent, FORKLAB_FORK_COW);
  uint32_t ppte = 0, cpte = 0;
  uint32_t ppa = walk((uint32_t)fl_pmap_cr3(parent), DATA, &ppte), cpa = walk((uint32_t)fl_pmap_cr3(child), DATA, &cpte);
  check(child > 0 && ppa == cpa && (ppte & FORKLAB_PG_COW) && !(cpte & FORKLAB_PG_RW), "cow fork shares the frame, write-protected");
  check(put(child, DATA, "child's data!") == 0, "the child writes");
  check(reads(parent, DATA, "parent's data") && reads(child, DATA, "child's data!"), "the parent keeps its bytes, the child has its own");
  check(walk((uint32_t)fl_pmap_cr3(child), DATA, NULL) != ppa, "the child's page was copied");
  check(walk((uint32_t)fl_pmap_cr3(child), TEXT, NULL) == walk((uint32_t)fl_pmap_cr3(parent), TEXT, NULL), "the text page stays shared");
  check((uint32_t)fl_pmap_translate(child, (int32_t)DATA, FORKLAB_PGEX_U) == walk((uint32_t)fl_pmap_cr3(child), DATA, NULL),
    "the host's walk agrees with pmap_translate");

  /* Threads and cpu_fork: the child's trapframe is the parent's. */
  int32_t td1 = fl_thread_alloc(), td2 = fl_thread_alloc();
  check(fl_tf_set(td1, FORKLAB_TF_EIP, (int32_t)TEXT) == 0 && fl_cpu_fork(td1, td2, child, FORKLAB_RFPROC) == 0
    && fl_pcb_get(td2, FORKLAB_PCB_CR3) == fl_pmap_cr3(child), "cpu_fork sets the child's pcb_cr3");

  /* Bad arguments: errors, never traps, nothing changed. */
  int32_t free_before = fl_frames_free();
  check(fl_pmap_enter(999, (int32_t)TEXT, 3) == -FORKLAB_EINVAL, "a bad pmap handle is -EINVAL");
  check(fl_pmap_enter(parent, 0x1001, 3) == -FORKLAB_EINVAL, "an unaligned va is -EINVAL");
  check(fl_copyin(parent, (int32_t)TEXT, (int32_t)(ram.size - 2), 4) == -FORKLAB_EINVAL, "a buffer past the end of RAM is -EINVAL");
  check(fl_copyout(parent, fl_core_iobuf(), (int32_t)0xC0000000u, 4) == -FORKLAB_EFAULT, "a kernel address is -EFAULT");
  check(fl_pmap_fork(parent, 7) == -FORKLAB_EINVAL, "an unknown fork strategy is -EINVAL");
  check(fl_tf_set(td1, 2, 0) == -FORKLAB_EINVAL && fl_tf_set(-1, 0, 0) == -FORKLAB_EINVAL, "bad trapframe writes are -EINVAL");
  check(fl_thread_free(12345) == -FORKLAB_EINVAL, "a bad thread handle is -EINVAL");
  check(fl_core_select(-16) == -FORKLAB_EINVAL && fl_core_select(1) == -FORKLAB_EINVAL, "a bad control block is -EINVAL");
  check(fl_core_init_at(CTL, (int32_t)(ram.size - 0x1000), PHYS_BYTES, 0) == -FORKLAB_ENOMEM, "memory too small is -ENOMEM");
  check(fl_frames_free() == free_before, "no frame changed hands");
}

int main(void) {
  wasm_rt_init();
  wasm_rt_allocate_memory(&ram, RAM_PAGES, RAM_PAGES);
  memset(ram.data, 0x5A, FORKLAB_EMBED_MEMORY_BASE); /* the host's own bytes */
  Z_core_init_module();
  Z_core_instantiate(&core, NULL);
  wasm_rt_trap_t trap = wasm_rt_impl_try();
  if (trap != WASM_RT_TRAP_NONE) {
    printf("TRAP %s\n", wasm_rt_strerror(trap));
    return 2;
  }
  scenario();
  int intact = 1;
  for (uint32_t i = 0; i < FORKLAB_EMBED_MEMORY_BASE; i++) intact &= ram.data[i] == 0x5A;
  check(intact, "the host's low 64 KiB untouched");
  Z_core_free(&core);
  wasm_rt_free_memory(&ram);
  wasm_rt_free();
  return failures ? 1 : 0;
}
