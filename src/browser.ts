// forklab's API as every environment has it, and the browser entry (dist/browser/, the
// "browser" export condition): the emulated kernel (Forklab), its core (Core), the
// workloads, the bundled programs, and the types all of them take and give. In a browser
// the Wasm core is loaded first: `await initCore()`. src/index.ts adds Node's own.
export { Forklab, ForklabError, ForklabConsole } from "./kernel/api.js";
export type {
  SpawnOptions, SyscallResult, ProcInfo, LwpInfo, Mapping, RunOptions, TrapframeRegisters, SysctlName,
  WritableSysctlName, ConsoleOutput,
} from "./kernel/api.js";
export type { MapEntryInfo, EntryKind } from "./kernel/vm_map.js";
// The kernel itself (Forklab.kernel, for those who want its internals); the structures
// its members reference are internals, not API (typedoc.json lists them).
export type { Kernel } from "./kernel/kernel.js";
export type { Tunables } from "./kernel/tunables.js";
export type { Vmmeter, VmmeterCounters } from "./kernel/vmmeter.js";
export type { KernelOptions } from "./kernel/tunables.js";
export type { ProgramImage, Segment } from "./kernel/image.js";
export type { KernelEvent, EventType, EventFields } from "./kernel/events.js";
export { SYS } from "./kernel/sysent.js";
export * as param from "./kernel/param.js";
export * as errno from "./kernel/errno.js";
export { Core, CoreError, STRATEGIES, STATS, FAULT_FLAG, PCB_FIELDS, TF_FIELDS, STOP_REASONS, i386 } from "./core/index.js";
export type { RbArena } from "./core/core.js";
export type {
  Strategy, Translation, PageFault, CoreOptions, StatName, Pcb, Trapframe, StopReason, RunResult, CoreExports, Backend,
  CoreTables,
} from "./core/index.js";
export { initCore } from "./core/load.js";
export type { CoreSource, WasmModule, ResponseLike } from "./core/instantiate.js";
export { parseElf, ElfError } from "./kernel/imgact_elf.js";
export * from "./workloads/index.js";
export { bundledProgram, bundledProgramBytes, installBundled, isBundled, BUNDLED_PROGRAMS } from "./user/programs.js";
export type { BundledName } from "./user/programs.js";
