import type { Command } from "commander";
import { loadDesign, progressReporter, specReport, VERSION } from "../pipeline";
import { printOutputNotes, writeOutputFolder } from "../output";
import { addQuietOptions, isQuiet, plural } from "../options";
import { printFindings, warnUnreadTemplates } from "../report";
import { inPriceBook, loadPriceBook, proposalDocuments } from "../../proposal/proposal";
import { requireChromium } from "../../documents/chromium";
import { unmatchedHardwareEntries } from "../../proposal/price-book";
import { costDesign, uncountedLines, unpricedReplacements } from "../../proposal/costing";
import { refuseFailedDesign } from "./check";

/** What the commercial side buys for a replacement line, in words. */
const REPLACES: Readonly<Record<string, (n: string) => string>> = {
  "block-tb-held": (n) => `buys arrays for the ${n} TB of block storage data`,
  "object-tb-held": (n) => `buys an object store for the ${n} TB of objects`,
  socket: (n) => `licenses ${n} CPU sockets`,
};

interface ProposalOptions {
  priceBook: string;
  out: string;
  templates?: string;
  pdf?: boolean;
  quiet?: boolean;
}

export function registerProposal(program: Command): void {
  const command = program
    .command("proposal")
    .description(
      "write a customer proposal: bill of materials, CAPEX/OPEX, 3- and 5-year TCO; exit 3, writing nothing, when the design fails its policy checks",
    )
    .argument("<spec>", "design spec (YAML or JSON)")
    .requiredOption("-p, --price-book <file>", "price book (YAML or JSON)")
    .requiredOption(
      "-o, --out <dir>",
      "output folder (its files replaced one by one; nothing else touched)",
    )
    .option("--templates <dir>", "folder with branding: templates, html/style.css, brand/logo.png")
    .option("--pdf", "also print the proposal to PDF (needs Chromium)");
  addQuietOptions(command).action(async (specFile: string, opts: ProposalOptions) => {
    const quiet = isQuiet(opts);
    // A missing or misnamed browser fails before the work, not after it.
    if (opts.pdf) requireChromium();
    const design = loadDesign(specFile);
    const book = loadPriceBook(opts.priceBook);
    const findings = specReport(design);
    // A proposal prices the design synth would build; synth refuses one that fails its checks.
    if (refuseFailedDesign(specFile, findings)) return;
    // Priced once before any warning, so a price the book lacks is told at its line.
    let costing: ReturnType<typeof costDesign>;
    try {
      costing = costDesign(design.loaded.model, book);
    } catch (err) {
      throw inPriceBook(err, opts.priceBook);
    }
    if (!quiet) printFindings(findings.filter((f) => !f.suppressed));
    // The proposal states the book's date as written; only the one writing it hears it passed.
    const today = new Date().toISOString().slice(0, 10);
    if (!quiet && book.validUntil && book.validUntil < today)
      process.stderr.write(
        `warning: ${opts.priceBook}: validUntil ${book.validUntil} has passed; the proposal states prices valid until then\n`,
      );
    const misspelt = unmatchedHardwareEntries(book, design.loaded.model);
    if (!quiet && misspelt.entries.length)
      process.stderr.write(
        `warning: ${opts.priceBook}: hardware ${misspelt.entries.length === 1 ? "entry" : "entries"} ${misspelt.entries.join(", ")} ${misspelt.entries.length === 1 ? "names" : "name"} no hardware profile of the design, while ${misspelt.unpriced.join(", ")} ${misspelt.unpriced.length === 1 ? "has" : "have"} no entry and ${misspelt.unpriced.length === 1 ? "is" : "are"} priced by role or from components; check the names\n`,
      );
    const volumeServers = (design.loaded.model.storage.volumeServersTB ?? 0) > 0;
    for (const u of quiet ? [] : uncountedLines(book, design.loaded.model))
      process.stderr.write(
        `warning: ${opts.priceBook}: ${u.line} is priced per ${u.per}, of which this design has none: the proposal leaves it out${volumeServers && u.per.endsWith("-tb") ? " (the TB units count Ceph's and Swift's usable capacity; the LVM and ZFS volume servers are counted by storage-node)" : ""}\n`,
      );
    for (const u of quiet ? [] : unpricedReplacements(costing))
      process.stderr.write(
        `warning: ${opts.priceBook}: ${u.field} is 0, while the commercial side ${REPLACES[u.per]?.(u.quantity.toLocaleString("en-US", { maximumFractionDigits: 2 })) ?? u.per} of this design: its totals leave them out, which favours it; give the price\n`,
      );
    const files = await proposalDocuments(
      design.loaded.model,
      book,
      design.blueprint.designPoints,
      {
        ...(opts.templates ? { templates: opts.templates } : {}),
        pdf: Boolean(opts.pdf),
        progress: progressReporter(quiet),
        findings,
      },
    ).catch((err: unknown) => {
      throw inPriceBook(err, opts.priceBook);
    });
    const written = await writeOutputFolder(opts.out, files, {
      command: "proposal",
      version: VERSION,
      inputs: [specFile, opts.priceBook],
      onWait: quiet ? undefined : (message) => process.stderr.write(message),
    });
    printOutputNotes(opts.out, written, quiet);
    warnUnreadTemplates(opts.templates, quiet);
    if (!quiet) {
      process.stderr.write(`wrote ${plural(files.size, "proposal file")} to ${opts.out}\n`);
    }
  });
}
