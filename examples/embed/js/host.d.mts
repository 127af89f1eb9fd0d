// Types of host.mjs, for TypeScript users of the example (and its test).
export interface Walk { pde: number; pte: number; pa: number }
export declare function walk(ram: WebAssembly.Memory, physBase: number, cr3: number, va: number): Walk | null;
export declare function userWritable(e: Walk): boolean;
export interface HostReport {
  physBase: number; ctl: number; parent: number; child: number; childWrite: number;
  afterFork: { parent: Walk; child: Walk };
  parentEntries: Record<number, Walk>; childEntries: Record<number, Walk>;
  parentData: string; childData: string; parentText: string; childText: string;
  hostAreaIntact: boolean;
  translate(pm: number, va: number, access: number): number;
  walkOf(pm: number, va: number): Walk | null;
}
export declare function runHost(wasm?: Uint8Array): HostReport;
