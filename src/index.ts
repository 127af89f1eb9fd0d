// forklab's public API in Node: everything every environment has (src/browser.ts), and
// programs on the host's disk.
export * from "./browser.js";
export { loadElfFile, bundledProgramPath } from "./user/host.js";
