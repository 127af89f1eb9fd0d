// forklab's public API: the emulated kernel (Forklab), its core (Core), and the types
// both take and give.
export { Forklab, ForklabError, ForklabConsole } from "./kernel/api.js";
export type { SpawnOptions, SyscallResult, ProcInfo, LwpInfo, Mapping, RunOptions, ConsoleOutput } from "./kernel/api.js";
export type { MapEntryInfo } from "./kernel/vm_map.js";
export type { KernelOptions } from "./kernel/tunables.js";
export type { ProgramImage, Segment } from "./kernel/image.js";
export type { KernelEvent, EventType } from "./kernel/events.js";
export { SYS } from "./kernel/sysent.js";
export * as param from "./kernel/param.js";
export * as errno from "./kernel/errno.js";
export { Core, CoreError } from "./core/index.js";
export type { Strategy } from "./core/index.js";
export { parseElf, loadElfFile, ElfError } from "./kernel/imgact_elf.js";
export * from "./workloads/index.js";
export {
  bundledProgram, bundledProgramPath, bundledProgramBytes, installBundled, BUNDLED_PROGRAMS,
} from "./user/programs.js";
export type { BundledName } from "./user/programs.js";
