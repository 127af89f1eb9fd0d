export { Core, CoreError, STRATEGIES, STATS, FAULT_FLAG, PCB_FIELDS, TF_FIELDS } from "./core.js";
export type { Strategy, Translation, PageFault, CoreOptions, StatName, Pcb, Trapframe } from "./core.js";
export type { CoreExports, Backend } from "./exports.js";
export * as i386 from "../../assembly/i386.js";
