import type { Command } from "commander";
import * as path from "path";
import {
  designFindings,
  documentFiles,
  loadDesign,
  modelFile,
  progressReporter,
  inspectedStacks,
  VERSION,
} from "../pipeline";
import { folderStamp, printOutputNotes, writeOutputFolder } from "../output";
import { readRegularFile } from "../manifest";
import { addQuietOptions, isQuiet, plural } from "../options";
import { printFindings, warnUnreadTemplates } from "../report";
import { isSpecRule } from "../../policy";
import { requireChromium } from "../../documents/chromium";
import { UserError } from "../../core/errors";

interface DocsOptions {
  out: string;
  templates?: string;
  pdf?: boolean;
  quiet?: boolean;
}

export function registerDocs(program: Command): void {
  const command = program
    .command("docs")
    .description("write the architecture document only")
    .argument("<spec>", "design spec (YAML or JSON)")
    .requiredOption(
      "-o, --out <dir>",
      "output folder (its files replaced one by one; nothing else touched)",
    )
    .option("--templates <dir>", "folder of templates that override the built-in ones")
    .option("--pdf", "also print the document to PDF (needs Chromium)");
  addQuietOptions(command).action(async (specFile: string, opts: DocsOptions) => {
    const quiet = isQuiet(opts);
    // A missing or misnamed browser fails before the work, not after it.
    if (opts.pdf) requireChromium();
    const design = loadDesign(specFile);
    // The Terraform inventory chapter counts the stacks, so they are built but not written.
    const stacks = inspectedStacks(design);
    const findings = designFindings(design, stacks);
    // As before the checks joined: the validator's warnings; the document lists the rest.
    if (!quiet) printFindings(findings.filter((f) => !f.suppressed && isSpecRule(f.ruleId)));
    const files = await documentFiles(design, stacks, {
      findings,
      ...(opts.templates ? { templates: opts.templates } : {}),
      pdf: Boolean(opts.pdf),
      progress: progressReporter(quiet),
    });
    // The runbook's commands run the files synth writes beside it: synth writes it too.
    files.delete("RUNBOOK.md");
    // Documents of another plan than the folder's synth wrote would drift from its Terraform,
    // and skip the day-2 refusals synth makes: that folder's documents are synth's to write.
    // (judged against what the folder holds now: a synth writing it meanwhile stops this run)
    const plannedAgainst = folderStamp(opts.out);
    if (planDiffers(opts.out, modelFile(design)))
      throw new UserError(
        `--out ${opts.out}: its model.json is not this design's model: synth wrote it from another design, or another Stackwright version wrote it (whose Terraform may read the same), and documents of this one beside it could describe other Terraform than the folder's; run synth with ${specFile} (it writes the documents too), or write them to another folder`,
      );
    const written = await writeOutputFolder(opts.out, files, {
      command: "docs",
      version: VERSION,
      inputs: [specFile],
      plannedAgainst,
      onWait: quiet ? undefined : (message) => process.stderr.write(message),
    });
    printOutputNotes(opts.out, written, quiet);
    warnUnreadTemplates(opts.templates, quiet);
    if (!quiet) process.stderr.write(`wrote ${plural(files.size, "document")} to ${opts.out}\n`);
  });
}

/** Whether the folder holds a model.json of another plan than this one. */
function planDiffers(out: string, plan: string): boolean {
  try {
    return (
      readRegularFile(path.join(out, "model.json")).toString("utf8").replace(/\r\n/g, "\n") !== plan
    );
  } catch {
    return false;
  }
}
