import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UserError } from "../core/errors";

/** Names the browser binary to print with; an invalid value is an error, not a fallback. */
export const CHROMIUM_ENV = "STACKWRIGHT_CHROMIUM";
/** `1` runs Chromium without its sandbox (containers that forbid the namespaces it needs). */
export const NO_SANDBOX_ENV = "STACKWRIGHT_CHROMIUM_NO_SANDBOX";

/** Binary names on PATH, most specific first. */
const PATH_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** Where packages and installers put the browser when PATH does not name it. */
function knownLocations(platform: NodeJS.Platform, home: string): string[] {
  if (platform === "darwin") {
    const apps = [
      "Google Chrome.app/Contents/MacOS/Google Chrome",
      "Chromium.app/Contents/MacOS/Chromium",
    ];
    return [
      ...apps.map((a) => path.posix.join("/Applications", a)),
      ...apps.map((a) => path.posix.join(home, "Applications", a)),
    ];
  }
  return [
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/snap/bin/chromium",
    "/opt/google/chrome/chrome",
  ];
}

/** What discovery looks at; the defaults are this process's. */
export interface ChromiumEnvironment {
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  readonly home?: string;
}

const isExecutableFile = (file: string): boolean => {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The Chromium or Chrome binary to print with: `STACKWRIGHT_CHROMIUM` when set (it must be an
 * executable file, else a UserError names it), else the first of chromium, chromium-browser,
 * google-chrome and google-chrome-stable on PATH, else the usual Linux and macOS locations.
 */
export function chromiumPath(environment: ChromiumEnvironment = {}): string | undefined {
  const env = environment.env ?? process.env;
  const named = env[CHROMIUM_ENV];
  if (named !== undefined && named !== "") {
    if (isExecutableFile(named)) return named;
    throw new UserError(
      `${CHROMIUM_ENV}=${named}: ${fs.existsSync(named) ? "not an executable file" : "no such file"}; set it to the Chromium or Chrome binary, or unset it to search the usual places`,
    );
  }
  const dirs = (env.PATH ?? "").split(path.delimiter).filter((d) => d !== "");
  const onPath = PATH_NAMES.flatMap((name) => dirs.map((d) => path.join(d, name)));
  const platform = environment.platform ?? process.platform;
  const home = environment.home ?? os.homedir();
  return [...onPath, ...knownLocations(platform, home)].find(isExecutableFile);
}

/**
 * Chromium keeps its sandbox unless it cannot have one: as root (Chromium refuses to start
 * sandboxed) or when `STACKWRIGHT_CHROMIUM_NO_SANDBOX=1` says the container forbids it.
 */
export function sandboxFlags(
  environment: { readonly env?: NodeJS.ProcessEnv; readonly uid?: number } = {},
): string[] {
  const env = environment.env ?? process.env;
  const uid = environment.uid ?? process.getuid?.();
  return uid === 0 || env[NO_SANDBOX_ENV] === "1" ? ["--no-sandbox"] : [];
}

/** The browser `--pdf` prints with; a UserError before any work when there is none. */
export function requireChromium(environment: ChromiumEnvironment = {}): string {
  const found = chromiumPath(environment);
  if (!found) {
    throw new UserError(
      `--pdf needs Chromium: install Chromium or Google Chrome, or set ${CHROMIUM_ENV} to its binary`,
    );
  }
  return found;
}
