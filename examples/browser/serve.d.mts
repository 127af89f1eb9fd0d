import type { Server } from "node:http";
/** Serves `root` on 127.0.0.1:`port` (0: any free port); resolves to the server once listening. */
export function serve(root: string, port?: number): Promise<Server>;
