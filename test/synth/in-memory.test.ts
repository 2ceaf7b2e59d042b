import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findBlueprint } from "../../blueprints/catalog";
import { terraformInventory } from "../../documents/view-model";
import { runChecks } from "../../policy";
import { loadSpecFile } from "../../model/load";
import { appFolder, inspectTerraform, synthesizeTerraform } from "../../synth/app";
import { stableClone, stableJson } from "../../synth/stable-json";
import { ROOT, SEED_BLUEPRINTS } from "../support/blueprints";
import { tempDir } from "../support/temp";

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
    expect(inspected.map((s) => s.file)).toEqual(written.map((s) => s.file));
  });
});

describe("stacks read without writing, of a spec written as HCL", () => {
  test("are named as synth writes them", async () => {
    const blueprint = findBlueprint("three-node")!;
    const loaded = loadSpecFile(path.join(ROOT, blueprint.example));
    const model = { ...loaded.model, output: { ...loaded.model.output, format: "hcl" as const } };
    const inspected = inspectTerraform(blueprint, model);
    expect(inspected.map((s) => s.file)).toEqual(
      (await synthesizeTerraform(blueprint, model, "hcl")).map((s) => s.file),
    );
    expect(inspected[0].file).toMatch(/\/cdk\.tf$/);
  });
});

describe("cdktf's output folder", () => {
  const APP_FOLDER = `stackwright-synth-${process.getuid?.() ?? "user"}`;

  /** Every path under the folder, relative to it. */
  const tree = (dir: string): string[] =>
    fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();

  test("is one empty pair per user, kept for the next run: a killed synth leaves nothing new", async () => {
    // GIVEN the temp folder's synthesis folders before
    const temp = os.tmpdir();
    const synthFolders = () =>
      fs.readdirSync(temp).filter((f) => f.startsWith("stackwright-synth-"));
    const before = synthFolders();
    const blueprint = findBlueprint("three-node")!;
    const { model } = loadSpecFile(path.join(ROOT, blueprint.example));
    // WHEN a synthesis and a reading of the stacks run
    await synthesizeTerraform(blueprint, model, "json");
    inspectTerraform(blueprint, model);
    // THEN only the user's folder is there besides, with an empty stacks folder in it
    expect(synthFolders().filter((f) => !before.includes(f) && f !== APP_FOLDER)).toEqual([]);
    expect(tree(path.join(temp, APP_FOLDER))).toEqual(["stacks"]);
    // AND in a fresh temp folder the pair is made, private to the user, and reused
    const fresh = tempDir("sw-app-folder-");
    expect(appFolder(fresh)).toEqual({ outdir: path.join(fresh, APP_FOLDER), remove: false });
    expect(appFolder(fresh)).toEqual({ outdir: path.join(fresh, APP_FOLDER), remove: false });
    expect(tree(fresh)).toEqual([APP_FOLDER, path.join(APP_FOLDER, "stacks")]);
    expect(fs.statSync(path.join(fresh, APP_FOLDER)).mode & 0o777).toBe(0o700);
  });

  test.each([
    ["a file", (p: string) => fs.writeFileSync(p, "not a folder")],
    [
      "a link to a folder",
      (p: string) => fs.symlinkSync(fs.mkdtempSync(`${path.dirname(p)}/target-`), p),
    ],
    [
      "a folder whose stacks entry is a file",
      (p: string) => {
        fs.mkdirSync(p);
        fs.writeFileSync(path.join(p, "stacks"), "");
      },
    ],
  ])("is the run's own when the user's name is taken by %s", (_, occupy) => {
    // GIVEN the name taken by something that is not plainly the user's folder
    const temp = tempDir("sw-app-folder-");
    occupy(path.join(temp, APP_FOLDER));
    const before = tree(temp);
    // WHEN
    const folder = appFolder(temp);
    // THEN the run gets a new folder of its own to remove, and nothing is made through the link
    expect(folder.remove).toBe(true);
    expect(path.dirname(folder.outdir)).toBe(temp);
    expect(tree(temp).filter((f) => !f.startsWith(path.basename(folder.outdir)))).toEqual(before);
  });
});
