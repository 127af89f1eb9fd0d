// AssemblyScript's integer type names, so TypeScript can read the core's constant files
// (assembly/i386.ts) directly: one source of truth for every i386 constant.
type i32 = number;
