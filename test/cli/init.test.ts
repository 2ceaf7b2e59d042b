import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BLUEPRINTS } from "../../blueprints/catalog";
import { schemaReference } from "../../cli/commands/init";
import { markdownText } from "../../core/markdown";
import { ROOT, cli, tmp } from "../support/cli";
import { designFindings, documentFiles, inspectedStacks, loadDesign } from "../../cli/pipeline";
import { withFigures } from "../../model/figures";

const SCHEMA = path.join(ROOT, "stackwright.schema.json");
const MODELINE = /^# yaml-language-server: \$schema=(\S+)\n/;

describe("stackwright init", () => {
  test.each(BLUEPRINTS.map((b) => [b.name, b] as const))(
    "%s: writes its example with a working schema line; the spec validates and documents",
    async (name, blueprint) => {
      // GIVEN a folder that does not exist yet
      const dir = path.join(tmp(), "designs", name);
      const file = path.join(dir, "spec.yaml");
      // WHEN
      const r = await cli(["init", name, "--out", file]);
      // THEN
      expect(r.code).toBe(0);
      const text = fs.readFileSync(file, "utf8");
      const schema = MODELINE.exec(text)?.[1];
      expect(schema).toBeDefined();
      expect(path.resolve(dir, schema as string)).toBe(SCHEMA);
      const example = fs.readFileSync(path.join(ROOT, blueprint.example), "utf8");
      expect(text.replace(MODELINE, "")).toBe(example.replace(MODELINE, ""));
      expect(fs.readdirSync(dir)).toEqual(["spec.yaml"]);

      // The written file validates and documents through the pipeline validate and docs run
      // (the commands themselves are the CLI tests' subject).
      const design = loadDesign(file);
      expect(design.blueprint.name).toBe(name);
      const stacks = inspectedStacks(design);
      const files = await documentFiles(design, stacks, {
        findings: designFindings(design, stacks),
      });
      const doc = String(files.get("docs/architecture.md"));
      for (const d of blueprint.designPoints)
        expect(doc).toContain(markdownText(withFigures(d.title, design.loaded.model)));
    },
  );

  test("writes the schema path relative to the working folder for a bare file name", async () => {
    // GIVEN
    const dir = tmp();
    // WHEN
    expect((await cli(["init", "three-node", "--out", "spec.yaml"], dir)).code).toBe(0);
    // THEN
    const schema = MODELINE.exec(fs.readFileSync(path.join(dir, "spec.yaml"), "utf8"))?.[1];
    expect(path.isAbsolute(schema as string)).toBe(false);
    expect(path.resolve(dir, schema as string)).toBe(SCHEMA);
  });

  test("fails when the file exists, and leaves it as it was", async () => {
    // GIVEN
    const dir = tmp();
    const file = path.join(dir, "spec.yaml");
    fs.writeFileSync(file, "keep me\n");
    // WHEN
    const r = await cli(["init", "trystack", "--out", file]);
    // THEN
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--force");
    expect(fs.readFileSync(file, "utf8")).toBe("keep me\n");
    expect(fs.readdirSync(dir)).toEqual(["spec.yaml"]);
  });

  test("replaces an existing file with --force", async () => {
    // GIVEN
    const dir = tmp();
    const file = path.join(dir, "spec.yaml");
    fs.writeFileSync(file, "old\n");
    // WHEN
    const r = await cli(["init", "trystack", "--out", file, "--force"]);
    // THEN
    expect(r.code).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toContain("blueprint: trystack\n");
    expect(fs.readdirSync(dir)).toEqual(["spec.yaml"]);
  });

  test("fails when --out names a folder", async () => {
    const dir = tmp();
    const r = await cli(["init", "trystack", "--out", dir, "--force"]);
    expect(r.code).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test("never replaces a FIFO or device, takes a trailing slash as a folder, writes through a link", async () => {
    const dir = tmp();
    // GIVEN a FIFO where the file would go: even --force leaves it a FIFO
    const fifo = path.join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const r = await cli(["init", "trystack", "--out", fifo, "--force"]);
    expect([r.code, r.stderr]).toEqual([
      2,
      `error: --out ${fifo}: is not a regular file (a device, FIFO or socket); name a file to write\n`,
    ]);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    // AND a path ending in a slash names a folder: no file of that name is written
    const slash = `${path.join(dir, "designs")}/`;
    expect((await cli(["init", "trystack", "--out", slash])).stderr).toContain("names a folder");
    expect(fs.existsSync(path.join(dir, "designs"))).toBe(false);
    // AND a link to a spec is written through with --force: the link stays, its file changes
    fs.writeFileSync(path.join(dir, "real.yaml"), "old\n");
    fs.symlinkSync("real.yaml", path.join(dir, "link.yaml"));
    expect(
      (await cli(["init", "trystack", "--out", path.join(dir, "link.yaml"), "--force"])).code,
    ).toBe(0);
    expect(fs.lstatSync(path.join(dir, "link.yaml")).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, "real.yaml"), "utf8")).toContain("blueprint: trystack\n");
    // AND a .json name is refused: the spec would be YAML, which the loader reads as JSON
    const json = await cli(["init", "trystack", "--out", path.join(dir, "cloud.JSON")]);
    expect([json.code, json.stderr]).toEqual([
      2,
      `error: --out ${path.join(dir, "cloud.JSON")}: init writes the example as YAML, with its comments, and a .json spec is read as JSON; name it .yaml\n`,
    ]);
  });

  test("fails on an unknown blueprint with exit 2, listing the known ones", async () => {
    // GIVEN
    const dir = tmp();
    // WHEN
    const r = await cli(["init", "mainframe", "--out", path.join(dir, "spec.yaml")]);
    // THEN
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown blueprint "mainframe"');
    for (const b of BLUEPRINTS) expect(r.stderr).toContain(b.name);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test("fails without --out", async () => {
    expect((await cli(["init", "trystack"])).code).toBe(2);
  });
});

describe("schemaReference", () => {
  test("is a relative path with forward slashes when one exists", () => {
    expect(schemaReference("/a/b/spec.yaml", "/a/c/stackwright.schema.json")).toBe(
      "../c/stackwright.schema.json",
    );
  });

  test("falls back to a file URL when the relative path cannot be one token", () => {
    expect(schemaReference("/a/b/spec.yaml", "/a/my schemas/s#1.json")).toBe(
      "file:///a/my%20schemas/s%231.json",
    );
  });
});
