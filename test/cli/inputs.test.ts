// What `forklab run` is handed from the host: only a regular file of bounded size is read,
// and arguments beyond ARG_MAX are refused with a message, never an internal error.
import { describe, it, expect } from "vitest";
import { cli } from "./helpers.js";

describe("forklab run's inputs", () => {
  it("refuses a device such as /dev/zero at once (it would be read without end)", async () => {
    const t0 = Date.now();
    const r = await cli(["run", "/dev/zero"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot run \/dev\/zero: not a regular file/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("says so when the arguments pass ARG_MAX (execve's E2BIG), and runs 9,000 of them", async () => {
    const many = Array.from({ length: 20000 }, (_, i) => String(i + 1)); // `seq 1 20000`: 108,894 bytes
    const r = await cli(["run", "true", ...many]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ARG_MAX/);
    expect(r.stderr).not.toMatch(/internal error/);
    const ok = await cli(["run", "true", ...many.slice(0, 9000)]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/program +exit code 0/);
  });
});
