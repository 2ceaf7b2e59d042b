import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { chromiumPath, requireChromium, sandboxFlags } from "../../documents/chromium";
import { UserError } from "../../core/errors";
import { EXAMPLE, ROOT, cli } from "../support/cli";
import { tempDir } from "../support/temp";

/** A folder with empty executables of the given names. */
function binDir(...names: string[]): string {
  const dir = tempDir("sw-chromium-");
  for (const name of names) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "#!/bin/sh\n", { mode: 0o755 });
  }
  return dir;
}

// No real install location exists under this home, and PATH names only the test's folders.
const nowhere = tempDir("sw-home-");

describe("Chromium discovery", () => {
  test("finds each usual name on PATH, chromium first", () => {
    // GIVEN folders on PATH with Chrome and Chromium
    const chrome = binDir("google-chrome-stable");
    const both = binDir("chromium-browser", "chromium");
    const env = { PATH: [chrome, both].join(path.delimiter) };
    // WHEN / THEN
    expect(chromiumPath({ env, platform: "freebsd", home: nowhere })).toBe(
      path.join(both, "chromium"),
    );
    for (const name of ["chromium-browser", "google-chrome", "google-chrome-stable"]) {
      const dir = binDir(name);
      expect(chromiumPath({ env: { PATH: dir }, platform: "freebsd", home: nowhere })).toBe(
        path.join(dir, name),
      );
    }
  });

  test("finds Chrome and Chromium in the user's macOS Applications folder", () => {
    const home = binDir("Applications/Chromium.app/Contents/MacOS/Chromium");
    expect(chromiumPath({ env: { PATH: "" }, platform: "darwin", home })).toBe(
      path.join(home, "Applications/Chromium.app/Contents/MacOS/Chromium"),
    );
    const chromeHome = binDir("Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
    expect(chromiumPath({ env: { PATH: "" }, platform: "darwin", home: chromeHome })).toBe(
      path.join(chromeHome, "Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
    );
  });

  test("skips files that are not executable", () => {
    const dir = binDir();
    fs.writeFileSync(path.join(dir, "chromium"), "", { mode: 0o644 });
    expect(chromiumPath({ env: { PATH: dir }, platform: "darwin", home: nowhere })).toBe(undefined);
  });

  test("STACKWRIGHT_CHROMIUM wins over PATH", () => {
    const named = path.join(binDir("my-chrome"), "my-chrome");
    const env = { PATH: binDir("chromium"), STACKWRIGHT_CHROMIUM: named };
    expect(chromiumPath({ env, platform: "linux", home: nowhere })).toBe(named);
  });

  test("fails when STACKWRIGHT_CHROMIUM names no executable file", () => {
    const plain = path.join(binDir(), "chrome");
    fs.writeFileSync(plain, "", { mode: 0o644 });
    for (const named of ["/nonexistent/chrome", binDir(), plain]) {
      const find = () => chromiumPath({ env: { STACKWRIGHT_CHROMIUM: named } });
      expect(find).toThrow(UserError);
      expect(find).toThrow(`STACKWRIGHT_CHROMIUM=${named}: `);
    }
  });

  test("fails with what to install when no browser is found", () => {
    const none = () => requireChromium({ env: { PATH: "" }, platform: "darwin", home: nowhere });
    expect(none).toThrow(UserError);
    expect(none).toThrow("--pdf needs Chromium: install Chromium or Google Chrome");
  });

  test("keeps the sandbox unless root or told otherwise", () => {
    expect(sandboxFlags({ env: {}, uid: 1000 })).toEqual([]);
    expect(sandboxFlags({ env: {}, uid: 0 })).toEqual(["--no-sandbox"]);
    expect(sandboxFlags({ env: { STACKWRIGHT_CHROMIUM_NO_SANDBOX: "1" }, uid: 1000 })).toEqual([
      "--no-sandbox",
    ]);
    expect(sandboxFlags({ env: { STACKWRIGHT_CHROMIUM_NO_SANDBOX: "0" }, uid: 1000 })).toEqual([]);
  });

  test("docs --pdf with a wrong STACKWRIGHT_CHROMIUM is exit 2 naming it, nothing written", async () => {
    const out = path.join(tempDir("sw-pdf-"), "out");
    const r = await cli(["docs", EXAMPLE, "--out", out, "--pdf"], undefined, {
      STACKWRIGHT_CHROMIUM: "/nonexistent/chrome",
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("STACKWRIGHT_CHROMIUM=/nonexistent/chrome: no such file");
    expect(fs.existsSync(out)).toBe(false);
  });

  test("a browser that dies at start is named with what it said, exit 1, nothing written", async () => {
    // GIVEN a "Chromium" that exits at once, before it reads a command (the pipe breaks)
    const dir = tempDir("sw-pdf-");
    const browser = path.join(dir, "chromium");
    fs.writeFileSync(browser, "#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n", {
      mode: 0o755,
    });
    const out = path.join(dir, "out");
    // WHEN
    const r = await cli(["docs", EXAMPLE, "--out", out, "--pdf"], undefined, {
      STACKWRIGHT_CHROMIUM: browser,
    });
    // THEN the failure is the tool's, said plainly: no crash, no "internal error"
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: Chromium exited (3): cannot open display (nothing written)\n");
    expect(fs.existsSync(out)).toBe(false);
  });
});

test("a closed browser leaves nothing behind to hold the process open", () => {
  // GIVEN a process that launches and closes a browser (CI installs Chromium)
  const script = `
    const { Chromium } = require(${JSON.stringify(path.join(ROOT, "dist/documents/chromium.js"))});
    Chromium.launch().then((b) => b.close()).then(() =>
      console.log(JSON.stringify(process.getActiveResourcesInfo())));`;
  // WHEN it has closed the browser
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  // THEN no timer is pending: `docs --pdf` used to wait 5 s more before it exited
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).not.toContain("Timeout");
});
