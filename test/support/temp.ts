import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const TEMP_DIRS = Symbol.for("stackwright.test.tempDirs");

/** A new folder under the system's, removed when the test file is done (test/support/environment.js). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const global = globalThis as { [TEMP_DIRS]?: string[] };
  (global[TEMP_DIRS] ??= []).push(dir);
  return dir;
}
