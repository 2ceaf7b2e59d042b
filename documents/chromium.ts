import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Readable, Writable } from "stream";
import { ToolError, UserError } from "../core/errors";
import { processAlive, whenInterrupted } from "../core/process";
import { chromiumPath, sandboxFlags } from "./browser";

export { CHROMIUM_ENV, chromiumPath, requireChromium, sandboxFlags } from "./browser";

/** Headless Chromium on a closed network: sandboxed where it can be, no background connections. */
export function headlessFlags(profileDir: string): string[] {
  return [
    "--headless",
    ...sandboxFlags(),
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--hide-scrollbars",
    "--disable-breakpad",
    "--font-render-hinting=none",
    `--user-data-dir=${profileDir}`,
  ];
}

/**
 * Each browser's temporary folder (profile, crash and cache folders, the pages it prints, which
 * are the customer's documents) is named after the run's process: a later run removes those of
 * runs that died before removing their own.
 */
const PROFILE = /^stackwright-chromium-(\d+)-/;

/**
 * Stops a browser's whole process group and removes its folder, synchronously (a signal handler
 * runs it): a helper still exiting may write once more, so the removal is checked and repeated.
 */
function stopAndRemove(child: ChildProcess, profile: string, stop = true): void {
  // (a group whose browser has exited is not signalled: its id may be another's by now)
  if (stop)
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 20; i++) {
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    Atomics.wait(pause, 0, 0, 25);
    if (!fs.existsSync(profile)) return;
  }
}

function removeDeadProfiles(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const m = PROFILE.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    const folder = path.join(dir, name);
    try {
      // The temp folder is shared: only a real folder of this user's, never a link.
      const stat = fs.lstatSync(folder);
      if (!stat.isDirectory() || stat.uid !== process.getuid?.()) continue;
      fs.rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Another run may be removing it too.
    }
  }
}

/** How long a page may take to load before the run gives up on it. */
const PAGE_LOAD_MS = 120_000;

/** Page.printToPDF parameters Stackwright uses (a subset of the DevTools protocol's). */
export interface PrintOptions {
  /** HTML for the running header; Chromium fills `pageNumber`, `totalPages`, `title` spans. */
  readonly headerTemplate?: string;
  readonly footerTemplate?: string;
}

interface Pending {
  resolve(value: Record<string, unknown>): void;
  reject(error: Error): void;
}

/**
 * One headless Chromium driven over the DevTools protocol on a pipe (no port, no extra
 * package). Pages share the browser, so printing several documents launches it once.
 */
export class Chromium {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(m: Record<string, unknown>) => void>();
  private buffer = "";
  private exited?: Error;
  private forget: () => void = () => undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const input = child.stdio[4] as Readable;
    input.setEncoding("utf8");
    input.on("data", (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf("\0")) >= 0) {
        const message = JSON.parse(this.buffer.slice(0, end)) as Record<string, unknown>;
        this.buffer = this.buffer.slice(end + 1);
        this.dispatch(message);
      }
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    // A browser gone before it read a command breaks the pipe (EPIPE): its exit, which rejects
    // what is pending, says why (and a command's own timeout ends the wait otherwise).
    (child.stdio[3] as Writable).on("error", () => undefined);
    input.on("error", () => undefined);
    child.on("exit", (code) => {
      this.exited = new ToolError(
        `Chromium exited (${code}): ${stderr.trim().split("\n").slice(-3).join(" ")}`,
      );
      for (const p of this.pending.values()) p.reject(this.exited);
      this.pending.clear();
    });
  }

  static async launch(): Promise<Chromium> {
    const browser = chromiumPath();
    if (!browser) {
      throw new UserError(
        "--pdf needs Chromium: install Debian's chromium package or set STACKWRIGHT_CHROMIUM",
      );
    }
    removeDeadProfiles(os.tmpdir());
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), `stackwright-chromium-${process.pid}-`));
    const scratch = path.join(profile, "tmp");
    fs.mkdirSync(scratch);
    const child = spawn(
      browser,
      [...headlessFlags(path.join(profile, "profile")), "--remote-debugging-pipe", "about:blank"],
      {
        stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
        // A process group of its own: an interrupted run stops the browser and every helper
        // process it started, which would otherwise go on writing into the folder.
        detached: true,
        // Its crash reports, dconf cache and temporary files go by XDG's config and cache
        // folders and TMPDIR, not the profile: all into the temporary folder, so a run writes
        // nothing in the user's home or beside it. (HOME stays: fontconfig finds the user's own
        // fonts through it.)
        env: {
          ...process.env,
          XDG_CONFIG_HOME: path.join(profile, "config"),
          XDG_CACHE_HOME: path.join(profile, "cache"),
          TMPDIR: scratch,
        },
      },
    );
    const chromium = new Chromium(child, profile);
    // (a browser that has exited is not signalled: its group id may be another's by then)
    const remove = () => stopAndRemove(child, profile, !chromium.exited);
    // Ctrl-C or a TERM signal: the browser and its copy of the document go with the run.
    chromium.forget = whenInterrupted(remove);
    try {
      await new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", reject);
      });
      await chromium.send("Browser.getVersion");
    } catch (err) {
      // A browser that did not start leaves no folder either.
      remove();
      chromium.forget();
      throw err;
    }
    return chromium;
  }

  private dispatch(message: Record<string, unknown>) {
    const id = message.id as number | undefined;
    if (id !== undefined && this.pending.has(id)) {
      const p = this.pending.get(id) as Pending;
      this.pending.delete(id);
      const error = message.error as { message: string } | undefined;
      if (error) p.reject(new Error(`Chromium: ${error.message}`));
      else p.resolve((message.result ?? {}) as Record<string, unknown>);
      return;
    }
    for (const l of this.listeners) l(message);
  }

  send(
    method: string,
    params: object = {},
    sessionId?: string,
    timeoutMs = 120_000,
  ): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    const out = this.child.stdio[3] as Writable;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ToolError(`Chromium did not answer ${method} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      out.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  private waitFor(sessionId: string, method: string): Promise<void> {
    return new Promise((resolve) => {
      const listener = (m: Record<string, unknown>) => {
        if (m.sessionId === sessionId && m.method === method) {
          this.listeners.delete(listener);
          resolve();
        }
      };
      this.listeners.add(listener);
    });
  }

  /** Opens the HTML in a new tab (from a file, so relative and data URLs behave as on disk). */
  async open(html: string, viewport?: { width: number; height: number }): Promise<Page> {
    const file = path.join(this.profile, `page-${this.nextId}.html`);
    fs.writeFileSync(file, html);
    const { targetId } = (await this.send("Target.createTarget", { url: "about:blank" })) as {
      targetId: string;
    };
    const { sessionId } = (await this.send("Target.attachToTarget", {
      targetId,
      flatten: true,
    })) as { sessionId: string };
    await this.send("Page.enable", {}, sessionId);
    if (viewport)
      await this.send(
        "Emulation.setDeviceMetricsOverride",
        { ...viewport, deviceScaleFactor: 1, mobile: false },
        sessionId,
      );
    const loaded = this.waitFor(sessionId, "Page.loadEventFired");
    await this.send("Page.navigate", { url: `file://${file}` }, sessionId);
    // (the page loads nothing from elsewhere: its own policy forbids it, yet a load never ends
    // the run)
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      loaded,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new ToolError("Chromium did not finish loading the page within 120 s")),
          PAGE_LOAD_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    const page = new Page(this, targetId, sessionId, file);
    await page.evaluate("document.fonts.ready.then(() => true)");
    return page;
  }

  async close(): Promise<void> {
    (this.child.stdio[3] as Writable | null)?.on("error", () => undefined);
    if (!this.exited) {
      const gone = new Promise((resolve) => this.child.once("exit", resolve));
      await this.send("Browser.close").catch(() => undefined);
      // The grace timer must not keep the process alive once Chromium is gone.
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([gone, new Promise((resolve) => (grace = setTimeout(resolve, 5_000)))]);
      clearTimeout(grace);
    }
    (this.child.stdio[3] as Writable | null)?.destroy();
    (this.child.stdio[4] as Readable | null)?.destroy();
    // Its helper processes too, where it did not close.
    stopAndRemove(this.child, this.profile, !this.exited);
    this.forget();
  }
}

export class Page {
  constructor(
    private readonly browser: Chromium,
    private readonly targetId: string,
    private readonly sessionId: string,
    private readonly file: string,
  ) {}

  /** Evaluates a JavaScript expression in the page and returns its JSON value. */
  async evaluate<T = unknown>(expression: string): Promise<T> {
    const r = (await this.browser.send(
      "Runtime.evaluate",
      { expression, awaitPromise: true, returnByValue: true },
      this.sessionId,
    )) as { result: { value: T }; exceptionDetails?: { text: string } };
    if (r.exceptionDetails) throw new Error(`page script failed: ${r.exceptionDetails.text}`);
    return r.result.value;
  }

  /**
   * Prints to PDF. Tagging is off: Chromium numbers the structure elements of a tagged PDF
   * differently from run to run, and the same document must give the same bytes.
   */
  async pdf(options: PrintOptions = {}): Promise<Buffer> {
    const header = options.headerTemplate ?? "<span></span>";
    const footer = options.footerTemplate ?? "<span></span>";
    const { data } = (await this.browser.send(
      "Page.printToPDF",
      {
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: Boolean(options.headerTemplate || options.footerTemplate),
        headerTemplate: header,
        footerTemplate: footer,
        generateTaggedPDF: false,
        generateDocumentOutline: false,
      },
      this.sessionId,
    )) as { data: string };
    return Buffer.from(data, "base64");
  }

  async setViewport(viewport: { width: number; height: number }): Promise<void> {
    await this.browser.send(
      "Emulation.setDeviceMetricsOverride",
      { ...viewport, deviceScaleFactor: 1, mobile: false },
      this.sessionId,
    );
  }

  /** Lays the page out for `print` (as the PDF will be) or for the `screen`. */
  async emulateMedia(media: "print" | "screen"): Promise<void> {
    await this.browser.send("Emulation.setEmulatedMedia", { media }, this.sessionId);
  }

  /** A PNG of the viewport, or of the whole page when `fullPage`. */
  async screenshot(fullPage = false): Promise<Buffer> {
    const { data } = (await this.browser.send(
      "Page.captureScreenshot",
      { format: "png", captureBeyondViewport: fullPage },
      this.sessionId,
    )) as { data: string };
    return Buffer.from(data, "base64");
  }

  async close(): Promise<void> {
    await this.browser.send("Target.closeTarget", { targetId: this.targetId });
    fs.rmSync(this.file, { force: true });
  }
}
