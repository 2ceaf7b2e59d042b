import { Option, type Command } from "commander";
import { BLUEPRINTS } from "../../blueprints/catalog";
import { formatOption } from "../options";

export function registerBlueprints(program: Command): void {
  program
    .command("blueprints")
    .description("list the blueprints with a one-line description")
    .addOption(formatOption(["text", "json"]))
    // The former spelling of --format json.
    .addOption(new Option("--json").hideHelp())
    .action((opts: { format: "text" | "json"; json?: boolean }) => {
      const rows = BLUEPRINTS.map((b) => ({
        name: b.name,
        description: b.description,
        example: b.example,
      }));
      if (opts.json || opts.format === "json") {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const width = Math.max(...rows.map((r) => r.name.length));
      for (const r of rows) process.stdout.write(`${r.name.padEnd(width)}  ${r.description}\n`);
    });
}
