import type { Command } from "commander";
import { z } from "zod";
import { specSchema } from "../../spec/schema";

/** The spec's JSON Schema, from zod's own conversion, for editors and other tools. */
export function specJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(specSchema, { io: "input", unrepresentable: "any" }),
    title: "Stackwright design spec",
  };
}

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("print the spec's JSON Schema")
    .action(() => {
      process.stdout.write(`${JSON.stringify(specJsonSchema(), null, 2)}\n`);
    });
}
