import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UserError } from "../core/errors";
import { chromiumPath, CHROMIUM_ENV, sandboxFlags } from "./chromium";

export { chromiumPath } from "./chromium";

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
    `--user-data-dir=${profileDir}`,
  ];
}

/**
 * Prints HTML to PDF with headless Chromium. The dates Chromium stamps into the file are
 * replaced by a fixed one of the same length, so the same document gives the same bytes.
 */
export async function htmlToPdf(html: string, timeoutMs = 120_000): Promise<Buffer> {
  const browser = chromiumPath();
  if (!browser) {
    throw new UserError(
      `--pdf needs Chromium: install Chromium or Google Chrome, or set ${CHROMIUM_ENV} to its binary`,
    );
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "stackwright-pdf-"));
  try {
    const page = path.join(work, "document.html");
    const pdf = path.join(work, "document.pdf");
    fs.writeFileSync(page, html);
    const args = [
      ...headlessFlags(path.join(work, "profile")),
      "--no-pdf-header-footer",
      `--print-to-pdf=${pdf}`,
      `file://${page}`,
    ];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(browser, args, { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`Chromium did not finish printing within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      child.on("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        if (code === 0 && fs.existsSync(pdf)) resolve();
        else
          reject(
            new Error(
              `Chromium failed to print the PDF (exit ${code}): ${stderr.split("\n").slice(-3).join(" ")}`,
            ),
          );
      });
    });
    return stableDates(fs.readFileSync(pdf));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function stableDates(pdf: Buffer): Buffer {
  const text = pdf.toString("latin1");
  const fixed = text.replace(
    /\/(CreationDate|ModDate) \(D:(\d{14})/g,
    (_m, key: string) => `/${key} (D:20000101000000`,
  );
  return Buffer.from(fixed, "latin1");
}
