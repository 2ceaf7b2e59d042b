import * as fs from "fs";
import { findBlueprint } from "../../blueprints/catalog";
import { loadSpecFile } from "../../model/load";
import type { Model } from "../../model/types";
import { synthesizeTerraform } from "../../synth/app";
import { entryOf, RUN_FOLDER, synthesized } from "./synth-cache";

const example = loadSpecFile("examples/three-node.yaml").model;
const blueprint = findBlueprint(example.blueprint)!;
/** Designs no other test file synthesizes: their entries are this file's alone. */
const design = (cloud: string): Model => ({ ...example, cloud: { ...example.cloud, cloud } });

test.each(["json", "hcl"] as const)(
  "gives what synthesis gives in %s, stored once in the run's folder, in objects of its own",
  async (format) => {
    // GIVEN the run's folder (set up for the whole run) and a fresh synthesis of a design
    expect(fs.statSync(process.env[RUN_FOLDER]!).isDirectory()).toBe(true);
    const model = design(`synth-cache-${format}`);
    const fresh = await synthesizeTerraform(blueprint, model, format);
    // WHEN the design is asked for twice
    const file = entryOf(blueprint, model, format)!;
    const first = await synthesized(blueprint, model, format);
    const stored = fs.statSync(file);
    const second = await synthesized(blueprint, model, format);
    // THEN both answers are the synthesis, whole, text included, and the second was read back
    for (const answer of [first, second]) {
      expect(answer).toEqual(fresh);
      expect(answer.map((s) => s.content)).toEqual(fresh.map((s) => s.content));
    }
    expect(fs.statSync(file)).toMatchObject({ ino: stored.ino, mtimeMs: stored.mtimeMs });
    // AND editing one answer does not change the next
    (second[0].config as Record<string, unknown>).edited = true;
    expect((await synthesized(blueprint, model, format))[0].config).not.toHaveProperty("edited");
  },
);

test("synthesizes a changed model again", async () => {
  const model = design("synth-cache-a");
  const changed = design("synth-cache-b");
  expect(entryOf(blueprint, changed, "json")).not.toBe(entryOf(blueprint, model, "json"));
  const stacks = await synthesized(blueprint, changed, "json");
  expect(stacks).toEqual(await synthesizeTerraform(blueprint, changed, "json"));
  expect(stacks).not.toEqual(await synthesized(blueprint, model, "json"));
});
