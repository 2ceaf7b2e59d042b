import * as fs from "fs";
import * as path from "path";

/** The package root (where package.json lives), from source or from the built dist/ tree. */
export function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error("package root not found");
    dir = up;
  }
  return dir;
}
