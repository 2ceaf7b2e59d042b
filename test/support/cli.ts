import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "./temp";
import { sha256 } from "../../cli/manifest";

export const ROOT = path.join(__dirname, "..", "..");
/** The built CLI: run `npm run build` first. */
export const BIN = path.join(ROOT, "bin", "stackwright.js");
export const EXAMPLE = path.join(ROOT, "examples", "enterprise-reference.yaml");

export function run(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The CLI in a process of its own, and a promise that resolves once it says it waits for another
 * run's lock of its folder (piped: said with --no-quiet).
 */
export function spawnUntilWaiting(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  let stderr = "";
  const waiting = new Promise<void>((resolve) =>
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("waiting for another Stackwright run")) resolve();
    }),
  );
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, waiting, ended, stderr: () => stderr };
}

export function tmp(): string {
  return tempDir("sw-cli-");
}

/** Every file under a folder, relative, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let running: Promise<unknown> = Promise.resolve();

/**
 * The CLI's `main` run in this process, answering as `run` does, without a process start and
 * module load per run (most of a small synth's time). What main touches process-wide (working
 * folder, environment, exit code, signal handlers, the output streams and whether they are
 * terminals) is set as a spawned CLI in a pipe would have it, and restored after; runs take turns.
 * Tests of what only a whole process shows (exit on a signal, crashes, the built package) use
 * `run`.
 */
export function cli(
  args: readonly string[],
  cwd = ROOT,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const result = running.then(() => inProcess(args, cwd, env));
  running = result.catch(() => undefined);
  return result;
}

type Write = typeof process.stdout.write;

async function inProcess(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<CliResult> {
  // Loaded on first use: a test file that only spawns the CLI does not load it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main } = require("../../cli/main") as typeof import("../../cli/main");
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  const savedExitCode = process.exitCode;
  const streams = [process.stdout, process.stderr] as const;
  const saved = streams.map((s) => ({ write: s.write, isTTY: s.isTTY }));
  const signals = ["SIGINT", "SIGTERM"] as const;
  const listeners = signals.map((s) => process.listeners(s));
  const captured = ["", ""];
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured[i] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      if (done) setImmediate(done);
      return true;
    }) as Write;
    (stream as { isTTY?: boolean }).isTTY = undefined;
  });
  for (const [k, v] of Object.entries({ NO_COLOR: "1", CHECKPOINT_DISABLE: "1", ...env }))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  process.exitCode = undefined;
  try {
    process.chdir(cwd);
    const code = await main(args);
    return { code, stdout: captured[0], stderr: captured[1] };
  } finally {
    process.chdir(savedCwd);
    process.exitCode = savedExitCode;
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
    streams.forEach((stream, i) => {
      stream.write = saved[i].write;
      (stream as { isTTY?: boolean }).isTTY = saved[i].isTTY;
    });
    signals.forEach((signal, i) => {
      for (const l of process.listeners(signal))
        if (!listeners[i].includes(l)) process.removeListener(signal, l);
    });
  }
}

/**
 * Writes a file of an output folder as a run of Stackwright would have (an earlier version, or a
 * run killed before it finished): the manifest records its content, so it is no edit of yours.
 */
export function writeAsWritten(out: string, rel: string, text: string): void {
  const manifestFile = path.join(out, "stackwright.json");
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  fs.writeFileSync(path.join(out, rel), text);
  manifest.files[rel].sha256 = sha256(text);
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
}
