import * as path from "path";
import { findBlueprint } from "../../blueprints/catalog";
import { terraformInventory } from "../../documents/view-model";
import { runChecks } from "../../policy";
import { loadSpecFile } from "../../model/load";
import { inspectTerraform, synthesizeTerraform } from "../../synth/app";
import { stableClone, stableJson } from "../../synth/stable-json";
import { ROOT, SEED_BLUEPRINTS } from "../support/blueprints";

// cdktf writes stacks with its bundled json-stable-stringify; ours must match it byte for byte.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdktfStringify = require(
  path.join(path.dirname(require.resolve("cdktf")), "..", "node_modules", "json-stable-stringify"),
) as (value: unknown, options: { space: number }) => string;

describe("stableJson", () => {
  test.each([
    ["nested objects with unsorted keys", { b: { d: 1, c: [true, null] }, a: "x" }],
    ["empty objects and arrays", { a: {}, b: [], c: [{}, []] }],
    ["undefined members and array holes", { a: undefined, b: [undefined, 1], c: () => 1 }],
    ["keys that sort by code unit", { é: 1, Z: 2, a: 3, "10": 4, "9": 5, "//": 6 }],
    ["strings that need escaping", { s: 'quote " backslash \\ newline \n ${x} \u2028' }],
  ])("writes %s as cdktf does", (_, value) => {
    expect(stableJson(value)).toBe(cdktfStringify(value, { space: 2 }));
  });

  test("a stable clone writes the same text and has sorted keys", () => {
    const value = { b: { d: 1, c: [undefined, 2] }, a: {} };
    const clone = stableClone(value) as Record<string, unknown>;
    expect(Object.keys(clone)).toEqual(["a", "b"]);
    expect(stableJson(clone)).toBe(stableJson(value));
  });
});

describe.each(SEED_BLUEPRINTS)("%s stacks read without writing", (name) => {
  test("give the same findings and resource inventory as the written stacks", async () => {
    // GIVEN
    const blueprint = findBlueprint(name)!;
    const { model } = loadSpecFile(path.join(ROOT, blueprint.example));
    // WHEN
    const written = await synthesizeTerraform(blueprint, model, "json");
    const inspected = inspectTerraform(blueprint, model);
    // THEN
    expect(inspected.map((s) => s.name)).toEqual(written.map((s) => s.name));
    expect(runChecks(model, inspected)).toEqual(runChecks(model, written));
    expect(terraformInventory(inspected)).toEqual(terraformInventory(written));
    expect(JSON.parse(written[0].content)).toEqual(written[0].config);
  });
});
