export { Core, CoreError, STRATEGIES, STATS, FAULT_FLAG, PCB_FIELDS, TF_FIELDS, STOP_REASONS } from "./core.js";
export type { Strategy, Translation, PageFault, CoreOptions, StatName, Pcb, Trapframe, StopReason, RunResult, CoreTables } from "./core.js";
export type { CoreExports } from "./exports.js";
export type { Backend } from "./backend.js";
export * as i386 from "../../assembly/i386.js";
