import type { Command } from "commander";
import { documentFiles, loadDesign, progressReporter, inspectedStacks, VERSION } from "../pipeline";
import { printOutputNotes, writeOutputFolder } from "../output";
import { runChecks } from "../../policy";
import { printIssues } from "../report";

export function registerDocs(program: Command): void {
  program
    .command("docs")
    .description("write the architecture document only")
    .argument("<spec>", "design spec (YAML or JSON)")
    .requiredOption(
      "-o, --out <dir>",
      "output folder (its files replaced one by one; nothing else touched)",
    )
    .option("--templates <dir>", "folder of templates that override the built-in ones")
    .option("--pdf", "also print the document to PDF (needs Chromium)")
    .option("-q, --quiet", "print nothing but errors")
    .action(
      async (
        specFile: string,
        opts: { out: string; templates?: string; pdf?: boolean; quiet?: boolean },
      ) => {
        const design = loadDesign(specFile);
        if (!opts.quiet) printIssues(design.loaded.warnings);
        // The Terraform inventory chapter counts the stacks, so they are built but not written.
        const stacks = inspectedStacks(design);
        const files = await documentFiles(design, stacks, {
          findings: runChecks(design.loaded.model, stacks),
          ...(opts.templates ? { templates: opts.templates } : {}),
          pdf: Boolean(opts.pdf),
          progress: progressReporter(opts.quiet),
        });
        const written = writeOutputFolder(opts.out, files, {
          command: "docs",
          version: VERSION,
          inputs: [specFile],
        });
        printOutputNotes(opts.out, written, opts.quiet);
        if (!opts.quiet) process.stderr.write(`wrote ${files.size} document(s) to ${opts.out}\n`);
      },
    );
}
