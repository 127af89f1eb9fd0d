// Types of gen-abi.mjs, for its test.
export interface AbiConstant { name: string; value: number; comment: string }
export interface AbiGroup { comment: string; constants: AbiConstant[] }
export interface AbiExport { name: string; params: { name: string; type: "i32" | "void" }[]; result: "i32" | "void" }
export declare function readConstants(root: string): { file: string; groups: AbiGroup[] }[];
export declare function readExports(root: string): AbiExport[];
export declare function generate(root: string): Record<string, string>;
export declare function writeAbi(root: string): void;
