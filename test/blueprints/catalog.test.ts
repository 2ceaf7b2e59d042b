import * as fs from "fs";
import * as path from "path";
import { BLUEPRINTS, DEFAULT_BLUEPRINT, findBlueprint } from "../../blueprints/catalog";
import { loadSpecFile } from "../../model/load";
import { ROOT, SEED_BLUEPRINTS } from "../support/blueprints";

describe("blueprint catalogue", () => {
  test("ships the seven architectures of the seed, the enterprise reference first", () => {
    expect(BLUEPRINTS.map((b) => b.name)).toEqual(SEED_BLUEPRINTS);
    expect(DEFAULT_BLUEPRINT).toBe("enterprise-reference");
    expect(findBlueprint("nope")).toBeUndefined();
  });

  test("has an example per blueprint, and every example spec names its own blueprint", () => {
    for (const b of BLUEPRINTS) {
      expect(b.example).toBe(`examples/${b.name}.yaml`);
      expect(loadSpecFile(path.join(ROOT, b.example)).model.blueprint).toBe(b.name);
    }
    // Other YAML files (price books, ...) may live beside the specs; specs declare a blueprint.
    for (const f of fs
      .readdirSync(path.join(ROOT, "examples"))
      .filter((x) => x.endsWith(".yaml"))) {
      const declared = /^blueprint: (\S+)$/m.exec(
        fs.readFileSync(path.join(ROOT, "examples", f), "utf8"),
      )?.[1];
      if (declared) expect(findBlueprint(declared)?.example).toBe(`examples/${f}`);
    }
  });

  test.each(BLUEPRINTS.map((b) => [b.name, b] as const))(
    "%s describes itself in one line and maps its design points",
    (_name, b) => {
      expect(b.description).not.toMatch(/\n/);
      expect(b.description.length).toBeLessThanOrEqual(160);
      expect(b.designPoints.length).toBeGreaterThanOrEqual(5);
      const ids = b.designPoints.map((d) => d.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const d of b.designPoints) {
        expect(d.title.trim()).not.toBe("");
        expect(d.realization.trim()).not.toBe("");
      }
    },
  );
});
