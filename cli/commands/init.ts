import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Command } from "commander";
import type { Blueprint } from "../../blueprints/blueprint";
import { BLUEPRINTS, findBlueprint } from "../../blueprints/catalog";
import { packageRoot } from "../../core/package-root";
import { UserError } from "../../core/errors";
import { writeFileAtomic } from "../output";
import { addQuietOptions, isQuiet } from "../options";

/** How every example spec starts: the YAML language server's schema association. */
export const SCHEMA_MODELINE = "# yaml-language-server: $schema=";
/** The spec's JSON Schema, at the package root. */
export const SCHEMA_FILE = "stackwright.schema.json";

/**
 * The `$schema=` reference to the schema file from a spec written at `specFile`: a path relative
 * to the spec's folder, or a file URL when no relative path exists (another drive) or it cannot be
 * written as one token (the language server reads up to the first white space and cuts at `#`).
 */
export function schemaReference(specFile: string, schemaFile: string): string {
  const relative = path.relative(path.dirname(path.resolve(specFile)), path.resolve(schemaFile));
  if (relative && !path.isAbsolute(relative) && !/[\s#]/.test(relative)) {
    return relative.split(path.sep).join("/");
  }
  return pathToFileURL(path.resolve(schemaFile)).href;
}

/** The blueprint's example spec, its schema line pointing at the package's schema from `specFile`. */
export function initialSpec(blueprint: Blueprint, specFile: string): string {
  const root = packageRoot();
  const text = fs.readFileSync(path.join(root, blueprint.example), "utf8");
  const newline = text.indexOf("\n");
  if (newline < 0 || !text.startsWith(SCHEMA_MODELINE)) {
    throw new Error(
      `${blueprint.example} does not start with the yaml-language-server schema line`,
    );
  }
  const schema = schemaReference(specFile, path.join(root, SCHEMA_FILE));
  return `${SCHEMA_MODELINE}${schema}${text.slice(newline)}`;
}

export function registerInit(program: Command): void {
  const command = program
    .command("init")
    .description("write a blueprint's example spec to start a design from")
    .argument("<blueprint>", "blueprint name (see `stackwright blueprints`)")
    .requiredOption("-o, --out <file>", "spec file to write (written atomically)")
    .option("--force", "replace the file if it exists");
  addQuietOptions(command).action(
    (name: string, opts: { out: string; force?: boolean; quiet?: boolean }) => {
      const blueprint = findBlueprint(name);
      if (!blueprint) {
        throw new UserError(
          `unknown blueprint ${JSON.stringify(name)}; known blueprints: ${BLUEPRINTS.map((b) => b.name).join(", ")}`,
        );
      }
      // The loader reads a .json spec as JSON; the example is YAML, with its comments.
      if (/\.json$/i.test(opts.out))
        throw new UserError(
          `--out ${opts.out}: init writes the example as YAML, with its comments, and a .json spec is read as JSON; name it .yaml`,
        );
      writeFileAtomic(opts.out, initialSpec(blueprint, opts.out), {
        overwrite: opts.force === true,
      });
      if (!isQuiet(opts)) {
        process.stderr.write(
          `wrote ${opts.out} (blueprint ${blueprint.name}); edit it, then run: stackwright validate ${opts.out}\n`,
        );
      }
    },
  );
}
