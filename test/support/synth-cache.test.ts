import * as fs from "fs";
import { findBlueprint } from "../../blueprints/catalog";
import { loadSpecFile } from "../../model/load";
import { synthesizeTerraform } from "../../synth/app";
import { RUN_FOLDER, synthesized } from "./synth-cache";

const { model } = loadSpecFile("examples/three-node.yaml");
const blueprint = findBlueprint(model.blueprint)!;
const entries = () =>
  fs.readdirSync(process.env[RUN_FOLDER]!).filter((f) => f.startsWith("synth-"));

test.each(["json", "hcl"] as const)(
  "gives what synthesis gives in %s, from the run's folder once stored, in objects of its own",
  async (format) => {
    // GIVEN the run's folder (set up for the whole run) and a fresh synthesis of the design
    expect(fs.statSync(process.env[RUN_FOLDER]!).isDirectory()).toBe(true);
    const fresh = await synthesizeTerraform(blueprint, model, format);
    // WHEN the design is asked for twice (another test file of the run may have stored it)
    const first = await synthesized(blueprint, model, format);
    const stored = entries();
    const second = await synthesized(blueprint, model, format);
    // THEN both answers are the synthesis, whole, text included, and nothing more was stored
    for (const answer of [first, second]) {
      expect(answer).toEqual(fresh);
      expect(answer.map((s) => s.content)).toEqual(fresh.map((s) => s.content));
    }
    expect(entries()).toEqual(stored);
    // AND editing one answer does not change the next
    (second[0].config as Record<string, unknown>).edited = true;
    expect((await synthesized(blueprint, model, format))[0].config).not.toHaveProperty("edited");
  },
);

test("synthesizes a changed model again", async () => {
  const changed = { ...model, cloud: { ...model.cloud, cloud: "another" } };
  const stacks = await synthesized(blueprint, changed, "json");
  expect(stacks).toEqual(await synthesizeTerraform(blueprint, changed, "json"));
  expect(stacks).not.toEqual(await synthesized(blueprint, model, "json"));
});
