import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Blueprint } from "../../blueprints/blueprint";
import { findBlueprint } from "../../blueprints/catalog";
import type { Model } from "../../model/types";
import {
  synthesizeTerraform,
  withJsonText,
  type SynthesizedStack,
  type TerraformFormat,
} from "../../synth/app";

/** Names the folder the suite's global setup makes for one Jest run (test/support/global-setup.js). */
export const RUN_FOLDER = "STACKWRIGHT_TEST_RUN_FOLDER";

/**
 * `synthesizeTerraform` for tests that read a synth's output rather than test synthesis itself:
 * a design that a test file of this run synthesized already is read back, not synthesized again
 * (the seven examples were synthesized about 60 times a run). The code cannot change during a
 * run and synthesis is deterministic, so the key is what goes in: the whole model (plain data),
 * the built-in blueprint and the format. Another blueprint object, or no run folder, synthesizes.
 * Each call returns its own objects, so a test may edit what it gets.
 */
export async function synthesized(
  blueprint: Blueprint,
  model: Model,
  format: TerraformFormat = "json",
): Promise<SynthesizedStack[]> {
  const file = entryOf(blueprint, model, format);
  if (!file) return synthesizeTerraform(blueprint, model, format);
  if (fs.existsSync(file)) {
    const stacks = JSON.parse(fs.readFileSync(file, "utf8")) as SynthesizedStack[];
    return format === "json" ? stacks.map(withJsonText) : stacks;
  }
  const stacks = await synthesizeTerraform(blueprint, model, format);
  // JSON text is made when read: stored without it, as the stacks come.
  const stored = stacks.map((s) =>
    Object.fromEntries(
      Object.keys(s)
        .filter((k) => format !== "json" || k !== "content")
        .map((k) => [k, s[k as keyof SynthesizedStack]]),
    ),
  );
  // Another worker may write the same entry at once: each writes its own file and renames it.
  const scratch = `${file}.${process.pid}`;
  fs.writeFileSync(scratch, JSON.stringify(stored));
  fs.renameSync(scratch, file);
  return stacks;
}

/** Where the run keeps a design's stacks; none without a run folder or for another blueprint. */
export function entryOf(
  blueprint: Blueprint,
  model: Model,
  format: TerraformFormat,
): string | undefined {
  const folder = process.env[RUN_FOLDER];
  if (!folder || blueprint !== findBlueprint(model.blueprint)) return undefined;
  const key = createHash("sha256")
    .update(JSON.stringify([blueprint.name, format, model]))
    .digest("hex");
  return path.join(folder, `synth-${key}.json`);
}
