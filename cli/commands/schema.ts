import type { Command } from "commander";
import { z } from "zod";
import { specSchema } from "../../spec/schema";
import { BLUEPRINTS } from "../../blueprints/catalog";

/** Where the schema is published; editors and validators key their caches on it. */
export const SCHEMA_ID = "https://stackwright.dev/schema/v1/stackwright.schema.json";

/** zod's formats that are not JSON Schema's: their pattern already says everything. */
const CUSTOM_FORMATS: ReadonlySet<string> = new Set(["cidrv4", "cidrv6"]);

/**
 * The spec's JSON Schema, from zod's own conversion of the one schema the CLI validates with:
 * draft-07 (the dialect the YAML language server fully supports), every field described, with
 * defaults and examples, standard formats only, and the blueprint names as an enum.
 * @param blueprints the blueprint names `blueprint` accepts @default every built-in blueprint
 */
export function specJsonSchema(
  blueprints: readonly string[] = BLUEPRINTS.map((b) => b.name),
): Record<string, unknown> {
  const generated = z.toJSONSchema(specSchema, {
    target: "draft-07",
    io: "input",
    unrepresentable: "any",
    override: ({ jsonSchema }) => {
      if (typeof jsonSchema.format === "string" && CUSTOM_FORMATS.has(jsonSchema.format)) {
        delete jsonSchema.format;
      }
    },
  }) as Record<string, unknown> & { properties: Record<string, Record<string, unknown>> };
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: "Stackwright design spec",
    description:
      "One OpenStack private-cloud design: Stackwright validates it and writes the Terraform and the documents from it.",
    ...rest,
    properties: {
      ...rest.properties,
      blueprint: { ...rest.properties.blueprint, enum: [...blueprints] },
    },
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
