import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { randomBytes } from "crypto";
import { UserError } from "../core/errors";

/** Held while a run writes into an output folder, so concurrent runs take turns. */
export const LOCK_FILE = ".stackwright.lock";

/** How long a run waits for another run's lock before it gives up. */
export const LOCK_WAIT_MS = 120_000;

/** Temporary files are `.<name>.stackwright-tmp-<pid>-<hex>`, so a later run can tell whose they are. */
export const SCRATCH_NAME = /^\.(?<file>.*)\.stackwright-tmp-(?<pid>\d+)-[0-9a-f]{8}$/;

export function scratchName(file: string): string {
  return path.join(
    path.dirname(file),
    `.${path.basename(file)}.stackwright-tmp-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
}

import { processAlive } from "../core/process";

export { processAlive };

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
  /** Its PID namespace (containers sharing a host name each count pids from 1); "" unknown. */
  readonly pidNamespace: string;
  /** When it started (boot and clock tick), so a later process given its pid is told apart; "" unknown. */
  readonly started: string;
}

/** This process's PID namespace, as Linux names it (`pid:[4026531836]`); "" elsewhere. */
const PID_NAMESPACE = (() => {
  try {
    return fs.readlinkSync("/proc/self/ns/pid");
  } catch {
    return "";
  }
})();

/** This boot's id: a pid's start tick counts from boot. */
const BOOT_ID = (() => {
  try {
    return fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return "";
  }
})();

/**
 * Start ticks count from boot as this process's time namespace shifts it: a process in another
 * one is seen starting elsewhere, so its start is compared only within one.
 */
const TIME_NAMESPACE = (() => {
  try {
    return fs.readlinkSync("/proc/self/ns/time");
  } catch {
    // Kernels before 5.6 have none: every process reads one clock.
    return fs.existsSync("/proc/self/ns") ? "time:none" : "";
  }
})();

/**
 * When a process of this PID namespace started, as Linux tells it (boot, time namespace, tick);
 * "" elsewhere or when it is gone.
 */
export function processStarted(pid: number): string {
  if (!BOOT_ID || !TIME_NAMESPACE || !Number.isSafeInteger(pid) || pid <= 0) return "";
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (2nd field) may hold spaces and parentheses: fields follow its last ")".
    const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
    return /^\d+$/.test(start) ? `${BOOT_ID}:${TIME_NAMESPACE}:${start}` : "";
  } catch {
    return "";
  }
}

const STARTED = processStarted(process.pid);

/** Two starts read against one boot and time namespace (all but the tick). */
const sameClock = (a: string, b: string) =>
  a.slice(0, a.lastIndexOf(":")) === b.slice(0, b.lastIndexOf(":"));

/** A lock file's text: the owner, one field a line. */
const ownerText = (nonce: string) =>
  `${process.pid}\n${os.hostname()}\n${nonce}\n${PID_NAMESPACE}\n${STARTED}\n`;

function readOwner(file: string): Owner | undefined {
  try {
    const [pid, host, nonce, pidNamespace, started] = fs.readFileSync(file, "utf8").split("\n");
    return {
      pid: Number(pid),
      host: host ?? "",
      nonce: nonce ?? "",
      pidNamespace: pidNamespace ?? "",
      started: started ?? "",
    };
  } catch {
    return undefined;
  }
}

/**
 * Why the lock file is none a run wrote: a symbolic link, not a file, or text that starts with no
 * pid (an empty or half-written one may be a run's lock being written: it is waited on).
 */
function notALock(file: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (stat.isSymbolicLink()) return "is a symbolic link";
  if (!stat.isFile()) return "is not a file";
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  // (a run's lock may be read half written where it is written in place: any start of a pid)
  const first = text.split("\n")[0];
  return /^\d*$/.test(first) && (text.includes("\n") ? first !== "" : true)
    ? undefined
    : "holds other text";
}

/** The lock this process holds. */
let held: string | undefined;

/**
 * A lock whose holder died on this machine; a lock from another host is never broken. One of
 * this process's id that it does not hold was left by an earlier process of that id (in a
 * container, each run is often the same pid).
 */
function isStale(owner: Owner, file: string): boolean {
  if (owner.host !== os.hostname()) return false;
  // Another container's pid says nothing here: its lock is left, as another host's.
  if (owner.pidNamespace && PID_NAMESPACE && owner.pidNamespace !== PID_NAMESPACE) return false;
  if (owner.pid === process.pid) return held !== file;
  if (!processAlive(owner.pid)) return true;
  // Alive, but maybe a later process given the dead run's pid (pids wrap): told only by a start
  // seen from this boot and time namespace, as the other run wrote it.
  const started = owner.started && processStarted(owner.pid);
  return Boolean(started) && sameClock(started, owner.started) && started !== owner.started;
}

/** Creates `file` with its content in one step (hard link of a finished temp file); false if it exists. */
function createExclusive(file: string, content: string): boolean {
  const temp = scratchName(file);
  try {
    fs.writeFileSync(temp, content, { flag: "wx" });
    fs.linkSync(temp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS" && code !== "EOPNOTSUPP")
      throw err;
    // File systems without hard links: an exclusive create (content follows a moment later).
    try {
      fs.writeFileSync(file, content, { flag: "wx" });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw e;
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

// Asynchronous, so SIGINT and SIGTERM still end a run that is waiting.
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Removes a stale lock; a short-lived `.break` lock makes sure two runs never both break it. */
function breakStale(file: string, seen: Owner): void {
  const breaker = `${file}.break`;
  const me = ownerText(randomBytes(8).toString("hex"));
  if (!createExclusive(breaker, me)) {
    const other = readOwner(breaker);
    if (other && isStale(other, breaker)) fs.rmSync(breaker, { force: true });
    return;
  }
  try {
    const now = readOwner(file);
    if (now && now.nonce === seen.nonce && now.pid === seen.pid && isStale(now, file)) {
      fs.rmSync(file, { force: true });
    }
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

/** How long a lock may stay without its first line before it counts as a killed run's. */
const HALF_WRITTEN_MS = 5_000;

/**
 * Whether the lock is one a run was killed while writing (where it is written in place, on file
 * systems without hard links): no whole first line, and no change for a while.
 */
function halfWritten(file: string): fs.Stats | undefined {
  try {
    const stat = fs.lstatSync(file);
    const text = fs.readFileSync(file, "utf8");
    return !text.includes("\n") && Date.now() - stat.mtimeMs > HALF_WRITTEN_MS ? stat : undefined;
  } catch {
    return undefined;
  }
}

/** Removes a half-written lock, under the `.break` lock, if it is still the one seen. */
function breakHalfWritten(file: string, seen: fs.Stats): void {
  const breaker = `${file}.break`;
  if (!createExclusive(breaker, ownerText(randomBytes(8).toString("hex")))) {
    // (a break lock a killed run left goes, as breakStale's does)
    const other = readOwner(breaker);
    if (other && isStale(other, breaker)) fs.rmSync(breaker, { force: true });
    return;
  }
  try {
    const now = halfWritten(file);
    if (now && now.ino === seen.ino && now.mtimeMs === seen.mtimeMs)
      fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

export interface LockOptions {
  /** How long to wait for another run. */
  readonly waitMs?: number;
  /** Told once when the run starts waiting for another run. */
  readonly onWait?: (message: string) => void;
  /** The option that named the folder, in messages. @default "--out" */
  readonly option?: string;
}

/**
 * Takes the output folder's lock, waiting while another live run holds it; a lock left by a
 * killed run is recognized by its process id and taken over. Resolves to the release function.
 */
export async function lockFolder(
  dir: string,
  shown: string,
  { waitMs = LOCK_WAIT_MS, onWait, option = "--out" }: LockOptions = {},
): Promise<() => void> {
  const file = path.join(dir, LOCK_FILE);
  const me = ownerText(randomBytes(8).toString("hex"));
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    if (createExclusive(file, me)) break;
    const foreign = notALock(file);
    if (foreign)
      throw new UserError(
        `${option} ${shown}: ${file} ${foreign}, no lock a Stackwright run writes; delete it if no Stackwright run is writing to this folder`,
      );
    const owner = readOwner(file);
    if (owner && isStale(owner, file)) {
      breakStale(file, owner);
      continue;
    }
    const half = halfWritten(file);
    if (half) {
      breakHalfWritten(file, half);
      continue;
    }
    const who =
      owner && Number.isSafeInteger(owner.pid) && owner.pid > 0 ? ` (pid ${owner.pid})` : "";
    if (!told && onWait) {
      told = true;
      onWait(
        `waiting for another Stackwright run${who} to finish writing to ${shown} (up to ${Math.round(waitMs / 1000)} s)\n`,
      );
    }
    if (Date.now() >= deadline) {
      throw new UserError(
        `${option} ${shown}: another Stackwright run${who} is writing to this folder; try again when it has finished, or delete ${file} if no such run is active`,
      );
    }
    await sleep(50 + Math.floor(Math.random() * 50));
  }
  held = file;
  // A run killed between breaking a lock and dropping its break lock leaves that behind.
  const breaker = readOwner(`${file}.break`);
  if (breaker && isStale(breaker, `${file}.break`)) fs.rmSync(`${file}.break`, { force: true });
  return () => {
    if (readOwner(file)?.nonce === me.split("\n")[2]) fs.rmSync(file, { force: true });
    if (held === file) held = undefined;
  };
}

/** Drops the lock this process holds (on SIGINT/SIGTERM). */
export function releaseHeldLock(): void {
  if (held && readOwner(held)?.pid === process.pid) fs.rmSync(held, { force: true });
  held = undefined;
}
