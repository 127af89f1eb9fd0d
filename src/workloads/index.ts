// The workloads behind the forklab command line, for Node users too: each creates a
// machine, runs a program in virtual time and returns a typed report.
export { runBomb, BOMB_PROGRAMS } from "./bomb.js";
export type { BombOptions, BombReport, BombProgram, ErrnoCount } from "./bomb.js";
export { runSpawn, UNIXBENCH_SPAWN_BASELINE } from "./spawn.js";
export type { SpawnOptions as SpawnWorkloadOptions, SpawnReport } from "./spawn.js";
export { runProgram, formatEvent } from "./run.js";
export type { RunProgramOptions, RunReport, GuestFile } from "./run.js";
export { DEFAULT_MEM, DEFAULT_UID, seriesMax } from "./common.js";
export type {
  MachineOptions, ProcessOptions, Duration, Progress, ProgressFn, MachineInfo, Series, ExitInfo, HostClock,
} from "./common.js";
